package join

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/format"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/dave/dst"
	"github.com/dave/dst/decorator"
	"github.com/dave/dst/decorator/resolver/gotypes"
	"github.com/dave/dst/dstutil"

	"github.com/orchestrion-ts/go-helpers/injector/may"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
)

// stdImporter reads the toolchain's export data (shared: tests run serially).
var stdImporter = importer.Default()

// env describes where the code is compiled.
type env struct {
	importPath string
	rootModule string
	rootConfig map[string]string
	testMain   bool
}

// matchesIn type-checks src (standard library imports only), walks it like
// the injector does, and returns one line per matching node:
// "<node type> <source text>".
func matchesIn(t *testing.T, jp string, src string, e env) []string {
	t.Helper()
	if e.importPath == "" {
		e.importPath = "example.com/pkg"
	}
	point, err := Decode(json.RawMessage(jp), "join-point")
	if err != nil {
		t.Fatalf("decode %s: %v", jp, err)
	}
	fset := token.NewFileSet()
	af, err := parser.ParseFile(fset, "input.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{
		Types:  map[ast.Expr]types.TypeAndValue{},
		Defs:   map[*ast.Ident]types.Object{},
		Uses:   map[*ast.Ident]types.Object{},
		Scopes: map[ast.Node]*types.Scope{},
	}
	conf := types.Config{Importer: stdImporter}
	pkg, err := conf.Check(e.importPath, fset, []*ast.File{af}, info)
	if err != nil {
		t.Fatalf("type-checking: %v", err)
	}
	dec := decorator.NewDecoratorWithImports(fset, e.importPath, gotypes.New(info.Uses))
	file, err := dec.DecorateFile(af)
	if err != nil {
		t.Fatal(err)
	}
	shared := &nodectx.File{
		File: file, ImportPath: e.importPath, TestMain: e.testMain, Types: info, Package: pkg,
		NodeMap: dec.Ast.Nodes, RootModulePath: e.rootModule, RootConfig: e.rootConfig,
	}
	var (
		chain *nodectx.Chain
		out   []string
	)
	dstutil.Apply(file, func(c *dstutil.Cursor) bool {
		chain = chain.Push(c.Node(), c.Name(), c.Index())
		return true
	}, func(c *dstutil.Cursor) bool {
		defer func() { chain = chain.Parent() }()
		if point.Matches(nodectx.New(chain, shared, c)) {
			out = append(out, describe(fset, dec.Ast.Nodes[c.Node()], c.Node()))
		}
		return true
	})
	return out
}

func describe(fset *token.FileSet, an ast.Node, dn dst.Node) string {
	var buf bytes.Buffer
	if spec, ok := an.(*ast.ValueSpec); ok {
		// A spec alone does not print; show its names.
		var names []string
		for _, n := range spec.Names {
			names = append(names, n.Name)
		}
		buf.WriteString(strings.Join(names, ","))
	} else if err := format.Node(&buf, fset, an); err != nil {
		buf.Reset()
		fmt.Fprintf(&buf, "?%v", err)
	}
	text := strings.Join(strings.Fields(buf.String()), " ")
	if len(text) > 40 {
		text = text[:40] + "…"
	}
	return fmt.Sprintf("%T %s", dn, text)
}

type matchCase struct {
	name string
	jp   string
	src  string
	env  env
	want []string
}

func runMatchCases(t *testing.T, cases []matchCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := matchesIn(t, tc.jp, tc.src, tc.env)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("matches:\n  got  %q\n  want %q", got, tc.want)
			}
		})
	}
}

func TestFunctionCall(t *testing.T) {
	const src = `package p

import (
	"net/http"
	h2 "net/http"
	. "strings"
)

type local struct{}

func (local) Get(string) {}

func Get(string) {}

func f(u string) {
	http.Get(u)
	h2.Get(u)
	http.DefaultClient.Get(u)
	Get(u)
	ToUpper(u)
	panic(u)
}

func g(u string) {
	http := local{}
	http.Get(u)
}
`
	runMatchCases(t, []matchCase{
		{"qualified and aliased", `{"function-call": "net/http.Get"}`, src, env{},
			// the selector on a package variable counts (Orchestrion quirk)
			[]string{"*dst.CallExpr http.Get(u)", "*dst.CallExpr h2.Get(u)", "*dst.CallExpr http.DefaultClient.Get(u)"}},
		{"local function and methods of locals", `{"function-call": "Get"}`, src, env{},
			[]string{"*dst.CallExpr Get(u)", "*dst.CallExpr http.Get(u)"}},
		{"dot import", `{"function-call": "strings.ToUpper"}`, src, env{}, []string{"*dst.CallExpr ToUpper(u)"}},
		{"builtin", `{"function-call": "panic"}`, src, env{}, []string{"*dst.CallExpr panic(u)"}},
		{"other package", `{"function-call": "net/http.Post"}`, src, env{}, nil},
	})
}

func TestMethodCall(t *testing.T) {
	const src = `package p

import (
	"io"
	"net/http"
	"strings"
)

type Client = http.Client

type wrapper struct{ *http.Client }

func f(c *http.Client, v http.Client, a *Client, w wrapper, r io.Reader, s *strings.Reader, req *http.Request) {
	c.Do(req)
	v.Do(req)
	a.Do(req)
	w.Do(req)
	r.Read(nil)
	s.Read(nil)
	(*http.Client).Do(c, req)
}
`
	runMatchCases(t, []matchCase{
		{"any", `{"method-call": {"receiver": "net/http.Client", "name": "Do"}}`, src, env{},
			// the method expression's operand is the type *http.Client
			[]string{"*dst.CallExpr c.Do(req)", "*dst.CallExpr v.Do(req)", "*dst.CallExpr (*http.Client).Do(c, req)"}},
		{"pointer-only", `{"method-call": {"receiver": "net/http.Client", "name": "Do", "match": "pointer-only"}}`, src, env{},
			[]string{"*dst.CallExpr c.Do(req)", "*dst.CallExpr (*http.Client).Do(c, req)"}},
		{"value-only", `{"method-call": {"receiver": "net/http.Client", "name": "Do", "match": "value-only"}}`, src, env{},
			[]string{"*dst.CallExpr v.Do(req)"}},
		{"interface", `{"method-call": {"receiver": "io.Reader", "name": "Read"}}`, src, env{},
			[]string{"*dst.CallExpr r.Read(nil)"}},
		{"other name", `{"method-call": {"receiver": "net/http.Client", "name": "Get"}}`, src, env{}, nil},
	})
}

func TestDeclarations(t *testing.T) {
	const src = `package p

var A, B = 1, 2

const C string = "c"

type T struct{}

func (T) A() {}

func A2() {
	var A bool
	_ = A
	x := 1
	_ = x
}
`
	runMatchCases(t, []matchCase{
		{"declaration-of", `{"declaration-of": "example.com/pkg.A"}`, src, env{},
			[]string{"*dst.ValueSpec A,B", "*dst.FuncDecl func (T) A() {}", "*dst.ValueSpec A"}},
		{"declaration-of type", `{"declaration-of": "example.com/pkg.T"}`, src, env{}, nil},
		{"declaration-of other package", `{"declaration-of": "example.com/other.A"}`, src, env{}, nil},
		{"value-declaration", `{"value-declaration": "bool"}`, src, env{},
			[]string{"*dst.ValueSpec A,B", "*dst.ValueSpec A"}},
		{"value-declaration string", `{"value-declaration": "string"}`, src, env{},
			[]string{"*dst.ValueSpec A,B", "*dst.ValueSpec C"}},
	})
}

func TestStructs(t *testing.T) {
	const src = `package p

import "net/http"

type S struct{ A int }

type N S

type Al = struct{ A int }

var (
	v  = http.Server{Addr: ":0"}
	p  = &http.Server{Addr: ":1", Handler: nil}
	l  = []http.Server{{Addr: ":2"}}
	s2 = S{1}
)
`
	runMatchCases(t, []matchCase{
		{"definition", `{"struct-definition": "example.com/pkg.S"}`, src, env{}, []string{"*dst.TypeSpec S struct{ A int }"}},
		{"alias definition", `{"struct-definition": "example.com/pkg.Al"}`, src, env{}, []string{"*dst.TypeSpec Al = struct{ A int }"}},
		{"not a struct", `{"struct-definition": "example.com/pkg.N"}`, src, env{}, nil},
		{"other package", `{"struct-definition": "example.com/pkg.S"}`, src, env{importPath: "example.com/other"}, nil},
		{"literal any", `{"struct-literal": {"type": "net/http.Server"}}`, src, env{},
			[]string{`*dst.CompositeLit http.Server{Addr: ":0"}`, `*dst.CompositeLit http.Server{Addr: ":1", Handler: nil}`}},
		{"literal value-only", `{"struct-literal": {"type": "net/http.Server", "match": "value-only"}}`, src, env{},
			[]string{`*dst.CompositeLit http.Server{Addr: ":0"}`}},
		{"literal pointer-only", `{"struct-literal": {"type": "net/http.Server", "match": "pointer-only"}}`, src, env{},
			[]string{`*dst.UnaryExpr &http.Server{Addr: ":1", Handler: nil}`}},
		{"literal field", `{"struct-literal": {"type": "net/http.Server", "field": "Addr"}}`, src, env{},
			[]string{`*dst.KeyValueExpr Addr: ":0"`, `*dst.KeyValueExpr Addr: ":1"`}},
		{"literal other field", `{"struct-literal": {"type": "net/http.Server", "field": "TLSConfig"}}`, src, env{}, nil},
		{"positional literal", `{"struct-literal": {"type": "S", "field": "A"}}`, src, env{}, nil},
	})
}

func TestPackageLevel(t *testing.T) {
	const src = "package p\n\nfunc f() {}\n"
	only := func(e env) env { e.importPath = "github.com/acme/mod/internal/x"; return e }
	fn := `{"function": [{"name": "f"}]}`
	runMatchCases(t, []matchCase{
		{"glob", `{"all-of": [{"package-filter": "github.com/acme/*/internal/*"}, ` + fn + `]}`, src, only(env{}), []string{"*dst.FuncDecl func f() {}"}},
		{"globstar", `{"all-of": [{"package-filter": "github.com/**/x"}, ` + fn + `]}`, src, only(env{}), []string{"*dst.FuncDecl func f() {}"}},
		{"glob miss", `{"all-of": [{"package-filter": "github.com/acme/*"}, ` + fn + `]}`, src, only(env{}), nil},
		{"root", `{"all-of": [{"package-filter": {"root": true}}, ` + fn + `]}`, src, only(env{rootModule: "github.com/acme/mod"}), []string{"*dst.FuncDecl func f() {}"}},
		{"root relative", `{"all-of": [{"package-filter": {"root": true, "pattern": "internal/*"}}, ` + fn + `]}`, src, only(env{rootModule: "github.com/acme/mod"}), []string{"*dst.FuncDecl func f() {}"}},
		{"root other module", `{"all-of": [{"package-filter": {"root": true}}, ` + fn + `]}`, src, only(env{rootModule: "github.com/acme/other"}), nil},
		{"root unknown", `{"all-of": [{"package-filter": {"root": true, "pattern": "*"}}, ` + fn + `]}`, src, only(env{}), nil},
		{"test-main", `{"all-of": [{"test-main": true}, ` + fn + `]}`, src, env{testMain: true}, []string{"*dst.FuncDecl func f() {}"}},
		{"test-main false", `{"all-of": [{"test-main": true}, ` + fn + `]}`, src, env{}, nil},
		{"test-main inside function-body", `{"function-body": {"all-of": [{"test-main": true}, ` + fn + `]}}`, src, env{testMain: true}, nil},
		{"configuration", `{"all-of": [{"configuration": {"httpmode": "wrap"}}, ` + fn + `]}`, src, env{rootConfig: map[string]string{"httpmode": "wrap"}}, []string{"*dst.FuncDecl func f() {}"}},
		{"configuration other", `{"all-of": [{"configuration": {"httpmode": "report"}}, ` + fn + `]}`, src, env{rootConfig: map[string]string{"httpmode": "wrap"}}, nil},
		{"configuration none", `{"all-of": [{"configuration": {"httpmode": "wrap"}}, ` + fn + `]}`, src, env{}, nil},
	})
}

func TestGlobMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, path string
		want          bool
	}{
		{"github.com/myorg/**/internal", "github.com/myorg/internal", true},
		{"github.com/myorg/**/internal", "github.com/myorg/a/b/internal", true},
		{"github.com/myorg/service**", "github.com/myorg/service1/x/y", true},
		{"**service/api", "github.com/myservice/api", true},
		{"**", "anything/at/all", true},
		{"a/**", "a", true},
		{"a/*", "a/b/c", false},
		{"a/x**y/c", "a/xzzy/c", false}, // "x*", "**", "*y" need two segments
		{"a/x**y/c", "a/x/q/y/c", true},
		{"a/[", "a/[", false},
	} {
		got, err := globMatch(tc.pattern, tc.path)
		if got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v, %v; want %v", tc.pattern, tc.path, got, err, tc.want)
		}
	}
}

func TestPreFilters(t *testing.T) {
	pkg := &may.PackageContext{ImportPath: "example.com/pkg", ImportMap: map[string]string{"net/http": ""}}
	file := &may.FileContext{FileContent: []byte("package p\nfunc Get() {}\n"), PackageName: "p"}
	for _, tc := range []struct {
		jp         string
		pkg, file  may.MatchType
		impliesLen int
	}{
		{`{"function-call": "net/http.Get"}`, may.Match, may.Match, 1},
		{`{"function-call": "database/sql.Open"}`, may.NeverMatch, may.NeverMatch, 1},
		{`{"function-call": "Get"}`, may.Unknown, may.Match, 1},
		{`{"method-call": {"receiver": "net/http.Client", "name": "Do"}}`, may.Match, may.NeverMatch, 1},
		{`{"declaration-of": "example.com/pkg.Get"}`, may.Match, may.Match, 1},
		{`{"value-declaration": "bool"}`, may.Unknown, may.Unknown, 0},
		{`{"struct-definition": "example.com/pkg.S"}`, may.Match, may.NeverMatch, 1},
		{`{"struct-definition": "example.com/other.S"}`, may.NeverMatch, may.NeverMatch, 1},
		{`{"struct-literal": {"type": "net/http.Server"}}`, may.Match, may.Unknown, 1},
		{`{"package-filter": "example.com/*"}`, may.Always, may.Unknown, 0},
		{`{"package-filter": "other.com/*"}`, may.NeverMatch, may.Unknown, 0},
		{`{"test-main": true}`, may.NeverMatch, may.Unknown, 0},
		{`{"test-main": false}`, may.Always, may.Unknown, 0},
		{`{"configuration": {"httpmode": "wrap"}}`, may.Unknown, may.Unknown, 0},
		{`{"not": {"function-call": "database/sql.Open"}}`, may.Always, may.Always, 0},
		// Only a property of the package itself rules a negation out.
		{`{"not": {"import-path": "example.com/pkg"}}`, may.NeverMatch, may.Unknown, 0},
		{`{"not": {"import-path": "example.com/other"}}`, may.Always, may.Unknown, 0},
		{`{"not": {"function-call": "net/http.Get"}}`, may.Unknown, may.Unknown, 0},
		{`{"not": {"package-name": "p"}}`, may.Unknown, may.NeverMatch, 0},
		{`{"all-of": [{"not": {"import-path": "example.com/pkg"}}, {"function-call": "net/http.Get"}]}`, may.NeverMatch, may.Unknown, 1},
		{`{"all-of": [{"import-path": "example.com/pkg"}, {"function-call": "net/http.Get"}]}`, may.Match, may.Unknown, 2},
		{`{"not": {"one-of": [{"function-call": "net/http.Get"}, {"import-path": "example.com/pkg"}]}}`, may.NeverMatch, may.Unknown, 0},
		// A function matches functions only, whatever its options.
		{`{"not": {"function": []}}`, may.Unknown, may.Unknown, 0},
		{`{"not": {"function-body": {"function": [{"signature": {}}]}}}`, may.Unknown, may.Unknown, 0},
		{`{"one-of": [{"function-call": "net/http.Get"}, {"import-path": "net/http"}]}`, may.Match, may.Match, 1},
	} {
		p, err := Decode(json.RawMessage(tc.jp), "join-point")
		if err != nil {
			t.Fatalf("%s: %v", tc.jp, err)
		}
		if got := p.PackageMayMatch(pkg); got != tc.pkg {
			t.Errorf("%s: PackageMayMatch = %v, want %v", tc.jp, got, tc.pkg)
		}
		if got := p.FileMayMatch(file); got != tc.file {
			t.Errorf("%s: FileMayMatch = %v, want %v", tc.jp, got, tc.file)
		}
		if got := p.ImpliesImported(); len(got) != tc.impliesLen {
			t.Errorf("%s: ImpliesImported = %q, want %d paths", tc.jp, got, tc.impliesLen)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct{ jp, want string }{
		{`{"function-call": "a."}`, `invalid function name "a."`},
		{`{"declaration-of": "Name"}`, `invalid symbol name "Name"`},
		{`{"method-call": {"name": "Do"}}`, `method-call: missing required field 'receiver'`},
		{`{"method-call": {"receiver": "net/http.Client"}}`, `method-call: missing required field 'name'`},
		{`{"method-call": {"receiver": "*net/http.Client", "name": "Do"}}`, `method-call: receiver type must not include a pointer sigil (use match: pointer-only instead): "*net/http.Client"`},
		{`{"method-call": {"receiver": "net/http.Client", "name": "Do", "match": "all"}}`, `invalid method-call.match value: "all"`},
		{`{"struct-definition": "*a.T"}`, `struct-definition type must not be a pointer (got "*a.T")`},
		{`{"struct-literal": {"type": "a.T", "field": "F", "match": "value-only"}}`, `struct-literal.field is not allowed with struct-literal.match: value-only`},
		{`{"struct-literal": {"type": "a.T", "match": ""}}`, `invalid struct-literal.match value: ""`},
		{`{"struct-literal": {"field": "F"}}`, `invalid TypeName syntax: ""`},
		{`{"package-filter": {"root": false}}`, `package-filter requires a 'pattern' field`},
		{`{"value-declaration": "[]int"}`, `invalid TypeName syntax: "[]int"`},
		{`{"test-main": "yes"}`, `expected a bool, got a string`},
	} {
		_, err := Decode(json.RawMessage(tc.jp), "join-point")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.jp, err, tc.want)
		}
	}
}

// Once the file is parsed, declaration-level filters are exact: a file that
// mentions a name without declaring it is not woven.
func TestPreFiltersWithSyntax(t *testing.T) {
	const src = "package p\n\n// struct g, goexit1 and Other are only mentioned here.\ntype (\n\tg struct{ x int }\n\th int\n)\n\nfunc f() { type local struct{}; _ = local{} }\n\nfunc (g) goexit0() {}\n"
	fset := token.NewFileSet()
	af, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	text := &may.FileContext{FileContent: []byte(src), PackageName: "p"}
	parsed := &may.FileContext{FileContent: []byte(src), PackageName: "p", AST: af}
	for _, tc := range []struct {
		jp           string
		text, parsed may.MatchType
	}{
		{`{"struct-definition": "example.com/p.g"}`, may.Unknown, may.Match},
		{`{"struct-definition": "example.com/p.local"}`, may.Unknown, may.Match},
		{`{"struct-definition": "example.com/p.h"}`, may.Unknown, may.NeverMatch},
		{`{"struct-definition": "example.com/p.Other"}`, may.Unknown, may.NeverMatch},
		{`{"function-body": {"function": [{"name": "goexit0"}]}}`, may.Unknown, may.Match},
		{`{"function-body": {"function": [{"name": "goexit1"}]}}`, may.Unknown, may.NeverMatch},
		{`{"function-body": {"function": [{"name": "absent"}]}}`, may.NeverMatch, may.NeverMatch},
	} {
		p, err := Decode(json.RawMessage(tc.jp), "join-point")
		if err != nil {
			t.Fatalf("%s: %v", tc.jp, err)
		}
		if got := p.FileMayMatch(text); got != tc.text {
			t.Errorf("%s: FileMayMatch before parsing = %v, want %v", tc.jp, got, tc.text)
		}
		if got := p.FileMayMatch(parsed); got != tc.parsed {
			t.Errorf("%s: FileMayMatch once parsed = %v, want %v", tc.jp, got, tc.parsed)
		}
	}
}

// Once the file is parsed, a call join point needs a call of that shape: a
// file that imports net/http and mentions Get without calling http.Get is
// not type-checked for it.
func TestCallFiltersWithSyntax(t *testing.T) {
	parse := func(src string) *may.FileContext {
		af, err := parser.ParseFile(token.NewFileSet(), "p.go", src, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		return &may.FileContext{FileContent: []byte(src), PackageName: "p", AST: af, ImportPath: "example.com/p"}
	}
	get := `{"function-call": "net/http.Get"}`
	do := `{"method-call": {"receiver": "net/http.Client", "name": "Do"}}`
	for _, tc := range []struct {
		jp, src string
		want    may.MatchType
	}{
		{get, "package p\n\nimport \"net/http\"\n\nvar _, _ = http.Get(\"u\")\n", may.Match},
		{get, "package p\n\nimport web \"net/http\"\n\nvar _, _ = (web.Get)(\"u\")\n", may.Match},
		{get, "package p\n\nimport . \"net/http\"\n\nvar _, _ = Get(\"u\")\n", may.Match},
		// Mentioned, imported, never called as http.Get.
		{get, "package p\n\nimport \"net/http\"\n\n// Get is documented here.\nvar c http.Client\n", may.NeverMatch},
		// A Get called on a value, not on the package; and a call without the import.
		{get, "package p\n\nimport \"net/http\"\n\nvar _ = new(http.Header).Get(\"k\")\n", may.NeverMatch},
		{get, "package p\n\nfunc Get() {}\n\nvar _ = f(Get)\n\nfunc f(func()) int { return 0 }\n", may.NeverMatch},
		{do, "package p\n\nfunc f(c interface{ Do() }) { c.Do() }\n", may.Match},
		{do, "package p\n\n// Do is a word here.\nfunc Do() {}\n\nfunc f() { Do() }\n", may.NeverMatch},
	} {
		p, err := Decode(json.RawMessage(tc.jp), "join-point")
		if err != nil {
			t.Fatalf("%s: %v", tc.jp, err)
		}
		if got := p.FileMayMatch(parse(tc.src)); got != tc.want {
			t.Errorf("%s on %q: FileMayMatch once parsed = %v, want %v", tc.jp, tc.src, got, tc.want)
		}
	}
	// The package's own function: its calls are unqualified, the filter leaves them be.
	own := parse("package p\n\nfunc Get() {}\n\nfunc f() { Get() }\n")
	own.ImportPath = "net/http"
	p, _ := Decode(json.RawMessage(get), "join-point")
	if got := p.FileMayMatch(own); got == may.NeverMatch {
		t.Errorf("own package's call ruled out")
	}
}

// The syntax filter of struct-literal never rules out a file the walk would
// match, and rules out files that only name the type.
func TestStructLiteralFilterWithSyntax(t *testing.T) {
	lit := `{"struct-literal": {"type": "net/http.Transport"}}`
	field := `{"struct-literal": {"type": "net/http.Transport", "field": "Proxy"}}`
	for _, tc := range []struct {
		jp, src string
		want    may.MatchType
	}{
		{lit, "package p\n\nimport \"net/http\"\n\nvar _ = &http.Transport{}\n", may.Match},
		{lit, "package p\n\nimport web \"net/http\"\n\nvar _ = web.Transport{MaxIdleConns: 1}\n", may.Match},
		{lit, "package p\n\nimport . \"net/http\"\n\nvar _ = Transport{}\n", may.Match},
		{field, "package p\n\nimport \"net/http\"\n\nvar _ = http.Transport{Proxy: nil}\n", may.Match},
		// Named, used, never written as a literal.
		{lit, "package p\n\nimport \"net/http\"\n\n// Transport is a word here.\nvar t *http.Transport\n\nvar _ = http.DefaultTransport.(*http.Transport)\n", may.NeverMatch},
		// A literal of another package's Transport, and of the file's own.
		{lit, "package p\n\nimport \"net/http\"\n\ntype Transport struct{}\n\nvar _ = Transport{}\n\nvar _ http.RoundTripper\n", may.NeverMatch},
		{lit, "package p\n\nimport \"net/url\"\n\nvar _ = url.URL{}\n", may.NeverMatch},
	} {
		checkParsedFilter(t, tc.jp, tc.src, tc.want)
	}
}

// Once parsed, a file must declare a function that passes the name and
// receiver options together; the filter never rules out what the walk matches.
func TestFunctionDeclFilterWithSyntax(t *testing.T) {
	rt := `{"function-body": {"function": [{"name": "RoundTrip"}, {"receiver": "*example.com/pkg.Transport"}]}}`
	val := `{"function-body": {"function": [{"receiver": "example.com/pkg.Transport"}, {"receiver": true}]}}`
	for _, tc := range []struct {
		jp, src string
		want    may.MatchType
	}{
		{rt, "package p\n\ntype Transport struct{}\n\nfunc (t *Transport) RoundTrip() {}\n", may.Match},
		{rt, "package p\n\ntype Transport[T any] struct{}\n\nfunc (t *Transport[T]) RoundTrip() {}\n", may.Match},
		// Another type's RoundTrip, in a file that names Transport.
		{rt, "package p\n\ntype Transport struct{}\n\ntype h2Transport struct{ t *Transport }\n\nfunc (t *h2Transport) RoundTrip() {}\n\nfunc (t *Transport) Close() {}\n", may.NeverMatch},
		// A value receiver for a pointer pattern, and a function without one.
		{rt, "package p\n\ntype Transport struct{}\n\nfunc (t Transport) RoundTrip() {}\n", may.NeverMatch},
		{rt, "package p\n\ntype Transport struct{}\n\nfunc RoundTrip(t *Transport) {}\n", may.NeverMatch},
		{val, "package p\n\ntype Transport struct{}\n\nfunc (Transport) M() {}\n", may.Unknown},
		{val, "package p\n\ntype Transport struct{}\n\nfunc (*Transport) M() {}\n", may.NeverMatch},
	} {
		checkParsedFilter(t, tc.jp, tc.src, tc.want)
	}
}

// checkParsedFilter: the join point's filter on the parsed file (of package
// example.com/pkg) answers want, rules the file out only when the walk matches
// nothing in it, and never while explaining.
func checkParsedFilter(t *testing.T, jp, src string, want may.MatchType) {
	t.Helper()
	p, err := Decode(json.RawMessage(jp), "join-point")
	if err != nil {
		t.Fatalf("%s: %v", jp, err)
	}
	af, err := parser.ParseFile(token.NewFileSet(), "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	ctx := &may.FileContext{FileContent: []byte(src), PackageName: "p", AST: af, ImportPath: "example.com/pkg"}
	got := p.FileMayMatch(ctx)
	if got != want {
		t.Errorf("%s on %q: FileMayMatch once parsed = %v, want %v", jp, src, got, want)
	}
	if matched := matchesIn(t, jp, src, env{}); (len(matched) > 0) != (got != may.NeverMatch) {
		t.Errorf("%s on %q: filter says %v, the walk matched %q", jp, src, got, matched)
	}
	ctx.Explaining = true
	if p.FileMayMatch(ctx) == may.NeverMatch {
		t.Errorf("%s on %q: ruled out while explaining", jp, src)
	}
}
