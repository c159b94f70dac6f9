package injector_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/orchestrion-ts/go-helpers/api"
	"github.com/orchestrion-ts/go-helpers/injector"
)

func validateOne(t *testing.T, joinPoint, adv string) []api.ValidationError {
	t.Helper()
	raw := `[{"id":"t","join-point":` + joinPoint + `,"advice":[` + adv + `]}]`
	return injector.Validate(&api.ValidateRequest{APIVersion: ptr(0), Aspects: aspectsJSON(t, raw)}).Errors
}

func tmpl(kind, text string) string {
	b, _ := json.Marshal(text)
	return `{"` + kind + `":{"template":` + string(b) + `}}`
}

const bodyJP = `{"function-body":{"function":[{"name":"f"}]}}`
const callJP = `{"function-call":"net/http.Get"}`

// TestValidateTemplateErrors: what fails weaving on every node is reported
// when validating, with the template's path.
func TestValidateTemplateErrors(t *testing.T) {
	cases := []struct {
		name, jp, adv, path, want string
	}{
		{"unknown field of the context", bodyJP, tmpl("prepend-statements", `println({{ .Nope }})`),
			"advice[0].prepend-statements.template", `template: code.Template:1:11: executing "code.Template" at <.Nope>: can't evaluate field Nope in type *code.dot`},
		{"unknown method of .Function", bodyJP, tmpl("prepend-statements", "x := 1\n_ = {{ .Function.Nam }}"),
			"advice[0].prepend-statements.template", `can't evaluate field Nam in type *code.function`},
		{"wrong argument count", bodyJP, tmpl("prepend-statements", `_ = {{ .Function.Argument }}`),
			"advice[0].prepend-statements.template", `wrong number of args for Argument: want 1 got 0`},
		{"wrong argument type", bodyJP, tmpl("prepend-statements", `_ = {{ .Function.Argument "x" }}`),
			"advice[0].prepend-statements.template", `expected integer; found "x"`},
		{"unknown field after a branch", bodyJP, tmpl("prepend-statements", `{{ if .Function.Receiver }}_ = 1{{ end }}{{ .Function.Foo }}`),
			"advice[0].prepend-statements.template", `can't evaluate field Foo in type *code.function`},
		{"through a variable", bodyJP, tmpl("prepend-statements", `{{ $f := .Function }}_ = {{ $f.Bar }}`),
			"advice[0].prepend-statements.template", `can't evaluate field Bar in type *code.function`},
		{"in an if condition", bodyJP, tmpl("prepend-statements", `{{ if .Nope }}{{ end }}`),
			"advice[0].prepend-statements.template", `can't evaluate field Nope in type *code.dot`},
		{"field of a string", bodyJP, tmpl("prepend-statements", `_ = {{ .Function.Name.Length }}`),
			"advice[0].prepend-statements.template", `can't evaluate field Length in type string`},
		{"missing sub-template", bodyJP, tmpl("prepend-statements", `{{ template "nope" . }}`),
			"advice[0].prepend-statements.template", `template "nope" not defined`},
		{"Version takes no argument", bodyJP, tmpl("prepend-statements", `_ = {{ Version 1 }}`),
			"advice[0].prepend-statements.template", `wrong number of args for Version: want 0 got 1`},
		{"statements that do not parse", bodyJP, tmpl("prepend-statements", "println(\"x\""),
			"advice[0].prepend-statements.template", "generated code does not parse: template line 1: "},
		{"second line does not parse", bodyJP, tmpl("prepend-statements", "println({{ printf \"%q\" .Function.Name }})\nif {"),
			"advice[0].prepend-statements.template", "generated code does not parse: template line 2: "},
		{"expression that is a statement", callJP, tmpl("wrap-expression", "x := {{ . }}"),
			"advice[0].wrap-expression.template", "template must produce an expression, but produced AssignStmt"},
		{"two expressions", callJP, tmpl("wrap-expression", "{{ . }}\n{{ . }}"),
			"advice[0].wrap-expression.template", "template must produce exactly 1 statement, but produced 2 statements"},
		{"append-args value", callJP, `{"append-args":{"type":"any","values":[{"template":"1"},{"template":"f(("}]}}`,
			"advice[0].append-args.values[1].template", "generated code does not parse"},
		{"declarations that do not parse", `{"package-name":"main"}`, tmpl("inject-declarations", "func {"),
			"advice[0].inject-declarations.template", "generated code does not parse: template line 1: "},
		{"declarations with an import", `{"package-name":"main"}`, tmpl("inject-declarations", "import \"os\"\nvar _ = os.Args"),
			"advice[0].inject-declarations.template", "must not contain import declarations"},
		{"assign-value statements", `{"value-declaration":"int"}`, tmpl("assign-value", "x := 1\n_ = x"),
			"advice[0].assign-value.template", "template must produce exactly 1 statement"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			errs := validateOne(t, c.jp, c.adv)
			if len(errs) != 1 {
				t.Fatalf("expected one error, got %+v", errs)
			}
			if errs[0].Path != c.path || errs[0].Aspect != "t" || !strings.Contains(errs[0].Message, c.want) {
				t.Errorf("got %+v\nwant path %s, message containing %q", errs[0], c.path, c.want)
			}
		})
	}
}

// TestValidateTemplateNoFalsePositives: what fails only on some nodes, or
// in a branch, is not reported.
func TestValidateTemplateNoFalsePositives(t *testing.T) {
	cases := []struct{ name, jp, adv string }{
		{"result index out of range on some functions", bodyJP, tmpl("prepend-statements", `_ = {{ .Function.Result 7 }}`)},
		{"receiver of non-methods", bodyJP, tmpl("prepend-statements", `_ = {{ .Function.Receiver }}`)},
		{"typo in a branch", bodyJP, tmpl("prepend-statements", `{{ if .Function.Receiver }}{{ .Function.Nope }}{{ end }}`)},
		{"typo in a with", bodyJP, tmpl("prepend-statements", `{{ with .Function.ResultThatImplements "error" }}{{ .Nope }}{{ end }}`)},
		{"short-circuit and", bodyJP, tmpl("prepend-statements", `{{ if and false .Nope }}{{ end }}`)},
		{"fields of .AST depend on the node", callJP, tmpl("wrap-expression", `{{ .AST.Fun.Name }}({{ .AST.Whatever }})`)},
		{"variable reassigned in a branch", bodyJP, tmpl("prepend-statements", `{{ $x := .Function }}{{ if true }}{{ $x = .AST }}{{ end }}{{ $x.List }}`)},
		{"syntax depends on a branch", bodyJP, tmpl("prepend-statements", `{{ if .Function.Receiver }}f({{ else }}f(){{ end }}`)},
		{"empty name of a literal", bodyJP, tmpl("prepend-statements", `x := 1 {{ .Function.Name }}`)},
		{"lookup by type", bodyJP, tmpl("prepend-statements", `{{ .Function.ArgumentOfType "*net/http.Request" }}.Header = nil`)},
		{"map key", bodyJP, tmpl("prepend-statements", `{{ range .DirectiveArgs "x" }}{{ .Whatever }}{{ end }}`)},
		{"unparsable output of a failing render", bodyJP, tmpl("prepend-statements", `{{ .Function.Result 9 }} :=`)},
		{"Version", bodyJP, tmpl("prepend-statements", `_ = {{ printf "%q" Version }}`)},
		{"a defined template", bodyJP, tmpl("prepend-statements", `{{ define "x" }}_ = {{ .Function.Name | printf "%q" }}{{ end }}{{ template "x" . }}`)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if errs := validateOne(t, c.jp, c.adv); len(errs) != 0 {
				t.Errorf("unexpected errors %+v", errs)
			}
		})
	}
}

// TestValidateRealConfigurations: the project's golden cases, Orchestrion's
// conformance corpus and whatever dd-trace-go configuration the module cache
// holds all validate.
func TestValidateRealConfigurations(t *testing.T) {
	var files []string
	for _, pattern := range []string{"../../test/golden/*/config.yml", sharedConformance + "/*/config.yml"} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	{
		cache := os.Getenv("GOMODCACHE")
		if cache == "" {
			home, _ := os.UserHomeDir()
			cache = filepath.Join(home, "go", "pkg", "mod")
		}
		_ = filepath.WalkDir(filepath.Join(cache, "github.com", "!data!dog"), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && d.Name() == "orchestrion.yml" && !strings.Contains(p, ".github") {
				files = append(files, p)
			}
			return nil
		})
	}
	count := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Aspects []any `yaml:"aspects"`
		}
		if err := yaml.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		aspects := make([]api.Aspect, len(doc.Aspects))
		for i, a := range doc.Aspects {
			if aspects[i], err = json.Marshal(a); err != nil {
				t.Fatal(err)
			}
		}
		count += len(aspects)
		for _, e := range injector.Validate(&api.ValidateRequest{APIVersion: ptr(0), Aspects: aspects}).Errors {
			if strings.Contains(e.Message, "unknown join point type") || strings.Contains(e.Message, "unknown advice type") {
				continue
			}
			t.Errorf("%s: aspect %q: %s: %s", f, e.Aspect, e.Path, e.Message)
		}
	}
	t.Logf("%d aspects from %d files", count, len(files))
}
