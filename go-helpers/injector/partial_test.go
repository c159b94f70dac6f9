package injector_test

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orchestrion-ts/go-helpers/api"
	"github.com/orchestrion-ts/go-helpers/injector"
)

// code prints a Go file without its comments: the code the compiler sees,
// whatever the layout.
func code(t *testing.T, src string) string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("woven file does not parse: %v", err)
	}
	var b bytes.Buffer
	if err := (&printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}).Fprint(&b, token.NewFileSet(), f); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// declPositions maps each top-level function (receiver type and name) to its
// position, //line directives applied.
func declPositions(t *testing.T, name, src string) map[string]token.Position {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]token.Position{}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			key := fd.Name.Name
			if fd.Recv != nil {
				var b bytes.Buffer
				printer.Fprint(&b, token.NewFileSet(), fd.Recv.List[0].Type)
				key = b.String() + "." + key
			}
			out[key] = fset.Position(fd.Name.Pos())
		}
	}
	return out
}

// checkPartial weaves req partially and whole, and compares: the same code,
// and every function where the original has it (the line always; the column
// too where the directive in force gives one).
func checkPartial(t *testing.T, req *api.InstrumentRequest) *api.InstrumentResponse {
	t.Helper()
	old := injector.WeaveWhole(true)
	whole := injector.Instrument(req)
	injector.WeaveWhole(false)
	before := injector.PartialWeaves()
	part := injector.Instrument(req)
	injector.WeaveWhole(old)
	if len(part.Errors) != 0 || len(whole.Errors) != 0 {
		t.Fatalf("errors: partial %+v, whole %+v", part.Errors, whole.Errors)
	}
	if injector.PartialWeaves() == before {
		t.Fatalf("no file of %s was woven partially", req.ImportPath)
	}
	if len(part.Files) != len(whole.Files) || len(part.Files) == 0 {
		t.Fatalf("%d files woven partially, %d whole", len(part.Files), len(whole.Files))
	}
	for i, pf := range part.Files {
		wf := whole.Files[i]
		if pf.Path != wf.Path {
			t.Fatalf("file %d: %s vs %s", i, pf.Path, wf.Path)
		}
		if code(t, pf.Content) != code(t, wf.Content) {
			t.Errorf("%s: the partial weave's code differs from the whole file's", pf.Path)
		}
		if strings.Join(pf.Generated, ",") != strings.Join(wf.Generated, ",") {
			t.Errorf("%s: generated %v, whole %v", pf.Path, pf.Generated, wf.Generated)
		}
		src, err := os.ReadFile(pf.Path)
		if err != nil {
			t.Fatal(err)
		}
		orig := declPositions(t, pf.Path, string(src))
		for key, p := range declPositions(t, pf.Path, pf.Content) {
			o, found := orig[key]
			if !found {
				continue // generated
			}
			if p.Filename != o.Filename || p.Line != o.Line || (p.Column != 0 && p.Column != o.Column) {
				t.Errorf("%s: %s at %s, was at %s", pf.Path, key, p, o)
			}
		}
	}
	if fmt.Sprint(part.References) != fmt.Sprint(whole.References) {
		t.Errorf("references: partial %v, whole %v", part.References, whole.References)
	}
	return part
}

// The runtime's proc.go (240 KB, woven for one statement in goexit1) and
// testing.go are woven partially: the same code as a whole-file weave, every
// function where it was.
func TestPartialWeaveStd(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks runtime and testing")
	}
	cases := map[string]string{
		"runtime": runtimeAspects,
		"testing": `[
{"id":"run","join-point":{"function-body":{"function":[{"receiver":"*testing.T"},{"name":"Run"}]}},"advice":[
  {"prepend-statements":{"imports":{"fmt":"fmt"},"template":"if false { fmt.Println({{ .Function.Receiver }}.Name()) }"}}]}]`,
	}
	for pkg, aspects := range cases {
		t.Run(pkg, func(t *testing.T) {
			checkPartial(t, stdRequest(t, pkg, aspects))
		})
	}
}

// A module's large file: the woven function is found and runs; the untouched
// text keeps the imports only it uses (the woven declaration uses none of
// them), declarations sharing a line, a comment at the end of the file; the
// program builds, and runtime.Caller reports the source's lines, in the woven
// function and in the untouched text.
func TestPartialWeaveBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	dir := t.TempDir()
	var big strings.Builder
	big.WriteString("// Package main is large.\npackage main\n\nimport (\n\t\"fmt\"\n\tstr \"strings\"\n\t\"os\"\n\t\"runtime\"\n)\n\n")
	for i := 0; i < 800; i++ {
		fmt.Fprintf(&big, "// f%d pads the file.\nfunc f%d(s string) string {\n\treturn str.Repeat(s, %d) + fmt.Sprint(%d)\n}\n\n", i, i, i%3, i)
	}
	big.WriteString("var a, b = 1, 2; func g() int { return a + b }\n\n")
	big.WriteString("//go:noinline\nfunc target(s string) string {\n\t_, _, line, _ := runtime.Caller(0) // target\n\treturn fmt.Sprint(s, line)\n}\n\n")
	big.WriteString("func where() int {\n\t_, _, line, _ := runtime.Caller(0) // where\n\treturn line\n}\n\n")
	big.WriteString("func exit() { os.Exit(0) }\n\n// The end.\n")
	src := big.String()
	lineOf := func(marker string) int { return strings.Count(src[:strings.Index(src, marker)], "\n") + 1 }
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("go.mod", "module example.com/partial\n\ngo 1.22\n")
	write("main.go", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(target(\"x\"), f1(\"y\"), g(), where())\n\texit()\n}\n")
	bigPath := write("big.go", src)
	if len(src) < 64<<10 {
		t.Fatalf("big.go is only %d bytes", len(src))
	}
	cmd := exec.Command("go", "list", "-export", "-deps", "-f", "{{if .Export}}packagefile {{.ImportPath}}={{.Export}}{{end}}", ".")
	cmd.Dir = dir
	list, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	req := &api.InstrumentRequest{
		APIVersion: ptr(0), ImportPath: "example.com/partial", GOARCH: "amd64",
		Files: []string{filepath.Join(dir, "main.go"), bigPath}, ImportCfg: write("importcfg", string(list)),
		Aspects: aspectsJSON(t, `[{"id":"t","join-point":{"function-body":{"function":[{"name":"target"}]}},
  "advice":[{"prepend-statements":{"template":"s = s + \"!\""}}]}]`),
	}
	woven := checkPartial(t, req).Files[0].Content
	if strings.Contains(woven, "func f200(") && !strings.Contains(woven, "//line "+bigPath+":") {
		t.Fatalf("no directive for the untouched text")
	}

	overlay := write("overlay.json", fmt.Sprintf(`{"Replace":{%q:%q}}`, bigPath, write("woven.txt", woven)))
	run := exec.Command("go", "run", "-overlay", overlay, ".")
	run.Dir = dir
	out, err := run.CombinedOutput()
	want := fmt.Sprintf("x!%d y1 3 %d", lineOf("// target"), lineOf("// where"))
	if err != nil || strings.TrimSpace(string(out)) != want {
		t.Fatalf("the woven program: %v\n%s\nwant %s", err, out, want)
	}
}

// A file that opens with its package's doc comment: go/printer moves a
// directive inside a doc comment to its end, so the file's first directive
// stands apart, and the package clause gets its own; every function stays on
// its line.
func TestDocCommentAnchor(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "doc.go")
	src := "// Package doc is documented.\n// Twice.\npackage doc\n\nfunc A() int {\n\treturn 1\n}\n\nfunc B() int {\n\treturn 2\n}\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	resp := injector.Instrument(&api.InstrumentRequest{
		APIVersion: ptr(0), ImportPath: "example.com/doc", GOARCH: "amd64", Files: []string{path},
		Aspects: aspectsJSON(t, `[{"id":"b","join-point":{"function-body":{"function":[{"name":"B"}]}},
  "advice":[{"prepend-statements":{"template":"_ = 0"}}]}]`),
	})
	if len(resp.Errors) != 0 || len(resp.Files) != 1 {
		t.Fatalf("errors %+v, %d files", resp.Errors, len(resp.Files))
	}
	woven := resp.Files[0].Content
	if first := "//line " + path + ":1:1\n"; !strings.HasPrefix(woven, first) {
		t.Errorf("the woven file does not open with %q:\n%s", first, woven)
	}
	orig := declPositions(t, path, src)
	for key, p := range declPositions(t, path, woven) {
		if o := orig[key]; p.Filename != o.Filename || p.Line != o.Line {
			t.Errorf("%s at %s, was at %s:\n%s", key, p, o, woven)
		}
	}
}

// A large file importing a package under two names is woven whole: the woven
// file keeps one name, which untouched text using the other would miss.
func TestPartialWeaveDuplicateImport(t *testing.T) {
	dir := t.TempDir()
	var src strings.Builder
	src.WriteString("package dup\n\nimport (\n\t\"strings\"\n\tstr \"strings\"\n)\n\n")
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&src, "func f%d(s string) string { return strings.TrimSpace(s) + str.ToUpper(s) }\n\n", i)
	}
	src.WriteString("func target() {}\n")
	path := filepath.Join(dir, "dup.go")
	if err := os.WriteFile(path, []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	req := &api.InstrumentRequest{
		APIVersion: ptr(0), ImportPath: "example.com/dup", GOARCH: "amd64", Files: []string{path},
		Aspects: aspectsJSON(t, `[{"id":"t","join-point":{"function-body":{"function":[{"name":"target"}]}},
  "advice":[{"prepend-statements":{"template":"_ = 0"}}]}]`),
	}
	before := injector.PartialWeaves()
	part := injector.Instrument(req)
	if injector.PartialWeaves() != before {
		t.Fatal("woven partially")
	}
	old := injector.WeaveWhole(true)
	whole := injector.Instrument(req)
	injector.WeaveWhole(old)
	if len(part.Files) != 1 || len(whole.Files) != 1 || part.Files[0].Content != whole.Files[0].Content {
		t.Fatalf("not the whole file's weave: %+v", part.Errors)
	}
}
