package lineinfo

import (
	"os"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestPostProcess(t *testing.T) {
	cases := map[string]struct{ Source, Expected string }{
		"unchanged": {"package x\n//line a.go:1\nfunc f() {}\n", "package x\n//line a.go:1\nfunc f() {}\n"},
		"indented":  {"func f() {\n\t\t//line a.go:3\n\treturn\n  //line :9\n}", "func f() {\n//line a.go:3\n\treturn\n//line :9\n}"},
		"others":    {"\t// line a.go:3\n\t//linear\n", "\t// line a.go:3\n\t//linear\n"},
	}
	// The shared conformance cases, when available.
	if raw, err := os.ReadFile("/work/shared/conformance/postprocess.yml"); err == nil {
		var shared map[string]struct {
			Source   string `yaml:"source"`
			Expected string `yaml:"expected"`
		}
		if err := yaml.Unmarshal(raw, &shared); err != nil {
			t.Fatal(err)
		}
		for name, c := range shared {
			cases["shared/"+name] = struct{ Source, Expected string }{c.Source, c.Expected}
		}
	}
	for name, c := range cases {
		if got := string(PostProcess([]byte(c.Source))); got != c.Expected {
			t.Errorf("%s: got %q, want %q", name, got, c.Expected)
		}
	}
}
