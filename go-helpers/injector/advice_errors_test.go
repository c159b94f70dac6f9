package injector_test

import (
	"strings"
	"testing"

	"github.com/orchestrion-ts/go-helpers/api"
	"github.com/orchestrion-ts/go-helpers/injector"
)

// TestAdviceApplyErrors: advice applied to a node of the wrong kind, or whose
// template fails, is an error of the whole file, prefixed with the aspect ID
// and the advice's index among the advice matched on the node.
func TestAdviceApplyErrors(t *testing.T) {
	const src = `package test

import "fmt"

type notStruct int

type s struct{}

var v = 1

func g(a ...int) {}

func f(x int) {
	//dd:here
	fmt.Println(x)
	g(x)
}
`
	cases := []struct {
		name, aspects, want string
	}{
		{"assign-value on a FuncDecl",
			`[{"id":"a","join-point":{"declaration-of":"example.com/a.f"},"advice":[{"assign-value":{"template":"1"}}]}]`,
			`"a"[0]: assign-value: expected *dst.ValueSpec, got *dst.FuncDecl`},
		{"assign-value with statements",
			`[{"id":"a","join-point":{"declaration-of":"example.com/a.v"},"advice":[{"assign-value":{"template":"x := 1\n_ = x"}}]}]`,
			`"a"[0]: assign-value: template must produce exactly 1 statement, but produced 2 statements`},
		{"assign-value with a statement",
			`[{"id":"a","join-point":{"declaration-of":"example.com/a.v"},"advice":[{"assign-value":{"template":"var y = 2"}}]}]`,
			`"a"[0]: assign-value: template must produce an expression, but produced *dst.DeclStmt`},
		{"append-args on a body",
			`[{"id":"b","join-point":{"function-body":{"function":[{"name":"f"}]}},"advice":[{"append-args":{"type":"any","values":[{"template":"1"}]}}]}]`,
			`"b"[0]: append-arguments: expected a *dst.CallExpr, received *dst.BlockStmt`},
		{"append-args value error",
			`[{"id":"b","join-point":{"function-call":"g"},"advice":[{"append-args":{"type":"any","values":[{"template":"1"},{"template":"{{ .Function.Receiver }}"}]}}]}]`,
			`"b"[0]: append-arguments[1]: CompileExpression: template: code.Template:1:12: executing "code.Template" at <.Function.Receiver>: error calling Receiver: the function in this context is not a method`},
		{"replace-function on a body",
			`[{"id":"c","join-point":{"function-body":{"function":[{"name":"f"}]}},"advice":[{"replace-function":"fmt.Print"}]}]`,
			`"c"[0]: expected a *dst.CallExpr, received *dst.BlockStmt`},
		{"add-struct-field on a FuncDecl",
			`[{"id":"d","join-point":{"declaration-of":"example.com/a.f"},"advice":[{"add-struct-field":{"name":"x","type":"int"}}]}]`,
			`"d"[0]: add-struct-field advice can only be applied to *dst.TypeSpec (got *dst.FuncDecl)`},
		{"wrap-expression on a statement",
			`[{"id":"e","join-point":{"function-body":{"function":[{"name":"f"}]}},"advice":[{"wrap-expression":{"template":"{{ . }}"}}]}]`,
			`"e"[0]: wrap-expression: expected dst.Expr or *dst.KeyValueExpr, got *dst.BlockStmt`},
		{"advice index is the position before sorting",
			`[{"id":"e","join-point":{"function-call":"g"},"advice":[{"wrap-expression":{"template":"{{ .AST.Fun }}(1)"}},{"prepend-statements":{"namespace":"z","template":"_ = 1"}}]}]`,
			`"e"[1]: prepend-statements: expected *dst.BlockStmt, got *dst.CallExpr`},
		{"inject-declarations with an import",
			`[{"id":"f","join-point":{"declaration-of":"example.com/a.f"},"advice":[{"inject-declarations":{"template":"import \"os\"\nvar _ = os.Args"}}]}]`,
			`"f"[0]: inject-declarations: CompileDeclarations: code templates must not contain import declarations, use the imports map instead`},
		{"inject-declarations that does not parse",
			`[{"id":"f","join-point":{"declaration-of":"example.com/a.f"},"advice":[{"inject-declarations":{"template":"func {"}}]}]`,
			`"f"[0]: inject-declarations: CompileDeclarations: while parsing generated code: `},
		{"placeholder of a statement",
			`[{"id":"g","join-point":{"function-body":{"function":[{"name":"f"}]}},"advice":[{"prepend-statements":{"template":"_ = {{ index .AST.List 0 }}"}}]}]`,
			`"g"[0]: prepend-statements: cannot use a *dst.ExprStmt where an expression is expected`},
		{"inject-declarations matching its own output",
			`[{"id":"i","join-point":{"import-path":"example.com/a"},"advice":[{"inject-declarations":{"template":"var _ = 1"}}]}]`,
			`"i"[0]: inject-declarations: applied more than 1000 times in this file`},
		{".AST nil interface child",
			`[{"id":"h","join-point":{"declaration-of":"example.com/a.v"},"advice":[{"assign-value":{"template":"{{ .AST.Type }}"}}]}]`,
			`"h"[0]: assign-value: CompileExpression: template: code.Template:1:7: executing "code.Template" at <.AST.Type>: error calling Type: ValueSpec.Type is nil`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeFile(t, "a.go", src)
			resp := injector.Instrument(&api.InstrumentRequest{
				APIVersion: ptr(0), ImportPath: "example.com/a", Files: []string{path},
				Aspects: aspectsJSON(t, c.aspects),
			})
			if len(resp.Errors) != 1 {
				t.Fatalf("expected one error, got %+v", resp)
			}
			if !strings.HasPrefix(resp.Errors[0].Message, c.want) {
				t.Errorf("error:\n got: %s\nwant: %s", resp.Errors[0].Message, c.want)
			}
			if len(resp.Files) != 0 {
				t.Errorf("no file should be returned on error")
			}
		})
	}
}

// TestAdviceDecodeErrors: malformed advice is reported when aspects are
// validated, with the path of the faulty element.
func TestAdviceDecodeErrors(t *testing.T) {
	cases := []struct{ advice, want string }{
		{`{"append-args":{"values":[{"template":"1"}]}}`, "advice.append-args: missing required key 'type'"},
		{`{"append-args":{"type":"interface{}","values":[]}}`, `advice.append-args.type: invalid TypeName syntax: "interface{}"`},
		// An absent template is the empty one (as in Orchestrion); an expression position needs one expression.
		{`{"append-args":{"type":"int","values":[{"imports":{}}]}}`, "advice.append-args.values[0].template: template must produce exactly 1 statement, but produced 0 statements"},
		{`{"prepend-statements":{"imports":["fmt"]}}`, "advice.prepend-statements.imports: expected a mapping, got a sequence"},
		{`{"add-struct-field":{"type":"int"}}`, "advice.add-struct-field: missing required key 'name'"},
		{`{"add-struct-field":{"name":"x","type":"[]int"}}`, `advice.add-struct-field.type: invalid TypeName syntax: "[]int"`},
		{`{"add-blank-import":["a"]}`, "advice.add-blank-import: expected a string, got a sequence"},
		{`{"replace-function":{"a":1}}`, "advice.replace-function: expected a string, got a mapping"},
		{`{"inject-declarations":{"template":"var x = 1","links":"a/b"}}`, "advice.inject-declarations.links: expected a sequence of import paths, got a string"},
		{`{"inject-declarations":{"template":"var x = 1","lang":""}}`, `advice.inject-declarations.lang: invalid go language level (expected e.g, "go1.18"): ""`},
		{`{"wrap-expression":{"template":"{{ .Nope"}}`, "advice.wrap-expression.template: template: code.Template:1: unclosed action"},
		{`{"assign-value":"true"}`, "advice.assign-value: expected a code template mapping, got a string"},
		{`{"no-such-advice":{}}`, `advice: unknown advice type: "no-such-advice"`},
	}
	for _, c := range cases {
		raw := `[{"id":"x","join-point":{"function-body":{"function":[{"name":"f"}]}},"advice":` + c.advice + `}]`
		resp := injector.Validate(&api.ValidateRequest{APIVersion: ptr(0), Aspects: aspectsJSON(t, raw)})
		if len(resp.Errors) != 1 {
			t.Errorf("%s: expected one error, got %+v", c.advice, resp.Errors)
			continue
		}
		e := resp.Errors[0]
		if got := e.Path + ": " + e.Message; got != c.want {
			t.Errorf("%s:\n got: %s\nwant: %s", c.advice, got, c.want)
		}
	}
}
