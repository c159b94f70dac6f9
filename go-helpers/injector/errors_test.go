package injector_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orchestrion-ts/go-helpers/api"
	"github.com/orchestrion-ts/go-helpers/injector"
)

func aspectsJSON(t *testing.T, s string) []api.Aspect {
	t.Helper()
	var out []api.Aspect
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

const printlnAspect = `[{"id":"p","join-point":{"function-body":{"function":[{"name":"f"}]}},
  "advice":{"prepend-statements":{"template":"println(\"hi\")"}}}]`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSyntaxErrorLeavesPackageUnchanged: a file that does not parse is for
// the compiler to report; the injector only warns, with the position.
func TestSyntaxErrorLeavesPackageUnchanged(t *testing.T) {
	path := writeFile(t, "bad.go", "package test\n\nfunc f() {\n\tx := \n}\n")
	resp := injector.Instrument(&api.InstrumentRequest{
		APIVersion: ptr(0), ImportPath: "example.com/bad", Files: []string{path},
		Aspects: aspectsJSON(t, printlnAspect),
	})
	if len(resp.Errors) != 0 || len(resp.Files) != 0 {
		t.Fatalf("expected no errors and no files, got %+v", resp)
	}
	if len(resp.Warnings) == 0 {
		t.Fatalf("expected a warning, got %+v", resp)
	}
	w := resp.Warnings[0]
	if w.File != path || w.Line != 5 || w.Column != 1 || !strings.Contains(w.Message, "syntax error") {
		t.Errorf("unexpected diagnostic %+v", w)
	}
}

// A type error leaves the package unwoven, as in Orchestrion: the compiler
// reports it in its own words. Function bodies are checked here because the
// template imports a package (bodiesMatter).
func TestTypeErrorIsWarningAndNoChange(t *testing.T) {
	path := writeFile(t, "a.go", "package test\n\nfunc f() {\n\tvar x int = \"s\"\n\t_ = x\n}\n")
	cfg := writeFile(t, "importcfg", "# empty\n")
	resp := injector.Instrument(&api.InstrumentRequest{
		APIVersion: ptr(0), ImportPath: "example.com/a", GOARCH: "amd64", Files: []string{path}, ImportCfg: cfg,
		Aspects: aspectsJSON(t, `[{"id":"p","join-point":{"function-body":{"function":[{"name":"f"}]}},
		  "advice":{"prepend-statements":{"imports":{"os":"os"},"template":"_ = os.Args"}}}]`),
	})
	if len(resp.Errors) != 0 || len(resp.Files) != 0 {
		t.Fatalf("expected no errors and no files, got %+v", resp)
	}
	if len(resp.Warnings) == 0 || resp.Warnings[0].Line != 4 {
		t.Fatalf("expected a warning at line 4, got %+v", resp.Warnings)
	}
}

// Function bodies are skipped only for the standard library: an error in a
// body is then not seen, and the package is woven. Elsewhere (user code) it is
// seen and leaves the package unwoven; so does an error outside bodies.
func TestTypeErrorWithBodiesSkipped(t *testing.T) {
	cfg := writeFile(t, "importcfg", "# empty\n")
	instrument := func(src string, std bool) *api.InstrumentResponse {
		return injector.Instrument(&api.InstrumentRequest{
			APIVersion: ptr(0), ImportPath: "example.com/a", GOARCH: "amd64", Files: []string{writeFile(t, "a.go", src)}, ImportCfg: cfg,
			Aspects: aspectsJSON(t, printlnAspect), StandardLibrary: std,
		})
	}
	body := "package test\n\nfunc f() {\n\tvar x int = \"s\"\n\t_ = x\n}\n"
	inBody := instrument(body, true)
	if len(inBody.Errors) != 0 || len(inBody.Files) != 1 || !strings.Contains(inBody.Files[0].Content, `var x int = "s"`) {
		t.Fatalf("expected the package woven with its error kept, got %+v", inBody)
	}
	if user := instrument(body, false); len(user.Files) != 0 || len(user.Warnings) == 0 || user.Warnings[0].Line != 4 {
		t.Fatalf("user code: expected no files and a warning at line 4, got %+v", user)
	}
	outside := instrument("package test\n\nvar x int = \"s\"\n\nfunc f() {}\n", true)
	if len(outside.Files) != 0 || len(outside.Warnings) == 0 || outside.Warnings[0].Line != 3 {
		t.Fatalf("expected no files and a warning at line 3, got %+v", outside)
	}
}

func TestNoImportcfgStillWeaves(t *testing.T) {
	// Without importcfg imports cannot be resolved, but qualified names are
	// still recognised and nothing needs full type information.
	path := writeFile(t, "a.go", "package test\n\nimport \"context\"\n\nfunc f(ctx context.Context) {}\n")
	resp := injector.Instrument(&api.InstrumentRequest{
		APIVersion: ptr(0), ImportPath: "example.com/a", Files: []string{path},
		Aspects: aspectsJSON(t, `[{"id":"p","join-point":{"function-body":{"function":[{"name":"f"}]}},
		  "advice":[{"prepend-statements":{"template":"_ = {{ .Function.ArgumentOfType \"context.Context\" }}"}}]}]`),
	})
	if len(resp.Errors) != 0 || len(resp.Files) != 1 {
		t.Fatalf("unexpected response %+v", resp)
	}
	if !strings.Contains(resp.Files[0].Content, "\t\t_ = ctx\n") {
		t.Errorf("unexpected output:\n%s", resp.Files[0].Content)
	}
}

func TestTemplateExecutionError(t *testing.T) {
	path := writeFile(t, "a.go", "package test\n\nfunc f() {}\n")
	resp := injector.Instrument(&api.InstrumentRequest{
		APIVersion: ptr(0), ImportPath: "example.com/a", Files: []string{path},
		Aspects: aspectsJSON(t, `[{"id":"boom","join-point":{"function-body":{"function":[{"name":"f"}]}},
		  "advice":[{"prepend-statements":{"template":"_ = {{ .Function.Argument 3 }}"}}]}]`),
	})
	if len(resp.Errors) != 1 || len(resp.Files) != 0 {
		t.Fatalf("unexpected response %+v", resp)
	}
	e := resp.Errors[0]
	if e.Aspect != "boom" || e.File != path || e.Line != 3 || !strings.Contains(e.Message, "index out of bounds: 3 (only 0 items)") {
		t.Errorf("unexpected diagnostic %+v", e)
	}
}

func TestReturnsAlias(t *testing.T) {
	path := writeFile(t, "a.go", "package test\n\nfunc f() (int, error) { return 0, nil }\n")
	resp := injector.Instrument(&api.InstrumentRequest{
		APIVersion: ptr(0), ImportPath: "example.com/a", Files: []string{path},
		Aspects: aspectsJSON(t, `[{"id":"r","join-point":{"function-body":{"function":[{"name":"f"}]}},
		  "advice":[{"prepend-statements":{"template":"_ = {{ .Function.Returns 1 }}"}}]}]`),
	})
	if len(resp.Errors) != 0 || len(resp.Files) != 1 {
		t.Fatalf("unexpected response %+v", resp)
	}
	if !strings.Contains(resp.Files[0].Content, "func f() (_ int, __result__1 error) {") {
		t.Errorf("unexpected output:\n%s", resp.Files[0].Content)
	}
}

func TestValidate(t *testing.T) {
	req := &api.ValidateRequest{APIVersion: ptr(0), Aspects: aspectsJSON(t, `[
	  {"id":"ok","join-point":{"function-body":{"directive":"x"}},"advice":[{"prepend-statements":{"template":"println()"}}]},
	  {"id":"bad-jp","join-point":{"function-body":{"foo":1}},"advice":[{"prepend-statements":{"template":"println()"}}]},
	  {"id":"bad-tmpl","join-point":{"directive":"x"},"advice":[{"prepend-statements":{"template":"{{ nosuchfunc }}"}}]},
	  {"id":"bad-advice","join-point":{"directive":"x"},"advice":{"frobnicate":{}}},
	  {"id":"bad-opt","join-point":{"function":[{"name":"a","receiver":true}]},"advice":[]},
	  {"id":"no-advice","join-point":{"directive":"x"}}
	]`)}
	resp := injector.Validate(req)
	type key struct {
		idx      int
		id, path string
	}
	got := map[key]string{}
	for _, e := range resp.Errors {
		got[key{e.AspectIndex, e.Aspect, e.Path}] = e.Message
	}
	want := map[key]string{
		{1, "bad-jp", "join-point.function-body"}:                `unknown join point type "foo"`,
		{2, "bad-tmpl", "advice[0].prepend-statements.template"}: `function "nosuchfunc" not defined`,
		{3, "bad-advice", "advice"}:                              `unknown advice type: "frobnicate"`,
		{4, "bad-opt", "join-point.function[0]"}:                 `not a singleton mapping`,
		{5, "no-advice", ""}:                                     `missing required key 'advice'`,
	}
	if len(got) != len(want) {
		t.Errorf("got %d errors, want %d: %+v", len(got), len(want), resp.Errors)
	}
	for k, msg := range want {
		if g, ok := got[k]; !ok || !strings.Contains(g, msg) {
			t.Errorf("%+v: want message containing %q, got %q (present: %v)", k, msg, g, ok)
		}
	}
}

func TestVersionHandshake(t *testing.T) {
	v := injector.Validate(&api.ValidateRequest{APIVersion: ptr(7)})
	if len(v.Errors) != 1 || v.Errors[0].AspectIndex != -1 ||
		!strings.Contains(v.Errors[0].Message, "version 7") || !strings.Contains(v.Errors[0].Message, "version 0") {
		t.Errorf("unexpected validate response %+v", v)
	}
	out := injector.InstrumentJSON([]byte(`{"apiVersion":3,"importPath":"x","files":[]}`))
	var resp api.InstrumentResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatal(err)
	}
	if len(resp.Errors) != 1 || !strings.Contains(resp.Errors[0].Message, "version 3") {
		t.Errorf("unexpected instrument response %s", out)
	}
	// Empty lists are [] rather than null.
	for _, field := range []string{`"files":[]`, `"references":[]`, `"warnings":[]`} {
		if !strings.Contains(string(out), field) {
			t.Errorf("response lacks %s: %s", field, out)
		}
	}
}

func TestUnchangedFilesNotReturned(t *testing.T) {
	a := writeFile(t, "a.go", "package test\n\nfunc f() {}\n")
	b := filepath.Join(filepath.Dir(a), "b.go")
	if err := os.WriteFile(b, []byte("package test\n\nfunc g() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	resp := injector.Instrument(&api.InstrumentRequest{
		APIVersion: ptr(0), ImportPath: "example.com/a", Files: []string{a, b},
		Aspects: aspectsJSON(t, printlnAspect),
	})
	if len(resp.Errors) != 0 || len(resp.Files) != 1 || resp.Files[0].Path != a {
		t.Fatalf("unexpected response %+v", resp)
	}
	if !strings.HasPrefix(resp.Files[0].Content, "//line "+a+":1:1\npackage test\n") {
		t.Errorf("unexpected output:\n%s", resp.Files[0].Content)
	}
}
