package injector_test

import (
	"strings"
	"testing"

	"github.com/orchestrion-ts/go-helpers/api"
	"github.com/orchestrion-ts/go-helpers/injector"
)

// TestGeneratedDirectivesNameTheirAspect: each `//line <generated>:1` of a
// modified file is attributed to the aspect whose template produced the code.
func TestGeneratedDirectivesNameTheirAspect(t *testing.T) {
	path := writeFile(t, "a.go", "package test\n\nfunc f() {\n\tprintln(1)\n}\n\nfunc g() {\n\tprintln(2)\n}\n")
	resp := injector.Instrument(&api.InstrumentRequest{
		APIVersion: ptr(0), ImportPath: "example.com/a", Files: []string{path},
		Aspects: aspectsJSON(t, `[
		  {"id":"in-f","join-point":{"function-body":{"function":[{"name":"f"}]}},"advice":[{"prepend-statements":{"template":"println(\"f\")"}}]},
		  {"id":"in-g","join-point":{"function-body":{"function":[{"name":"g"}]}},"advice":[{"prepend-statements":{"template":"println(\"g\")"}}]},
		  {"id":"decl","join-point":{"function-body":{"function":[{"name":"g"}]}},"advice":[{"inject-declarations":{"template":"var injected = 1"}}]}
		]`),
	})
	if len(resp.Errors) != 0 || len(resp.Files) != 1 {
		t.Fatalf("unexpected response %+v", resp)
	}
	f := resp.Files[0]
	if n := strings.Count(f.Content, "//line <generated>:1"); n != 3 {
		t.Fatalf("expected 3 generated regions, got %d:\n%s", n, f.Content)
	}
	want := []string{"in-f", "in-g", "decl"}
	if strings.Join(f.Generated, ",") != strings.Join(want, ",") {
		t.Errorf("generated = %q, want %q\n%s", f.Generated, want, f.Content)
	}
}
