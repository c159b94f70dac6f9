package injector_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/orchestrion-ts/go-helpers/api"
	"github.com/orchestrion-ts/go-helpers/injector"
)

// stdRequest builds the request a compile of a standard-library package
// would send: its files and an importcfg of its imports' export data.
func stdRequest(t *testing.T, pkg, aspects string) *api.InstrumentRequest {
	t.Helper()
	out, err := exec.Command("go", "list", "-export", "-deps", "-f", "{{if .Export}}packagefile {{.ImportPath}}={{.Export}}{{end}}", pkg).Output()
	if err != nil {
		t.Skipf("go list -export %s: %v", pkg, err)
	}
	maps, err := exec.Command("go", "list", "-f", `{{range $k, $v := .ImportMap}}importmap {{$k}}={{$v}}{{"\n"}}{{end}}`, pkg).Output()
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "importcfg")
	if err := os.WriteFile(cfg, append(maps, out...), 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := exec.Command("go", "list", "-f", `{{range .GoFiles}}{{$.Dir}}/{{.}}{{"\n"}}{{end}}`, pkg).Output()
	if err != nil {
		t.Fatal(err)
	}
	return &api.InstrumentRequest{
		APIVersion: ptr(0), ImportPath: pkg, GoVersion: "", GOOS: runtime.GOOS, GOARCH: runtime.GOARCH,
		Files: strings.Fields(string(files)), ImportCfg: cfg, Aspects: aspectsJSON(t, aspects),
		StandardLibrary: true,
	}
}

// runtimeAspects are those dd-trace-go weaves into the runtime (goroutine-local storage).
const runtimeAspects = `[
{"id":"gls","join-point":{"struct-definition":"runtime.g"},"advice":[
  {"add-struct-field":{"name":"__dd_gls","type":"any"}},
  {"add-blank-import":"unsafe"},
  {"inject-declarations":{"template":"//go:linkname __dd_gls_get __dd_gls_get.V2\nvar __dd_gls_get = func() any { return getg().m.curg.__dd_gls }"}}]},
{"id":"goexit1","join-point":{"all-of":[{"import-path":"runtime"},{"function-body":{"function":[{"name":"goexit1"}]}}]},
 "advice":[{"prepend-statements":{"template":"getg().__dd_gls = nil"}}]}]`

// Weaving runtime and net/http with aspects that look at declarations only
// (those dd-trace-go applies there) skips the function bodies when
// type-checking, and gives byte for byte what checking them gives.
func TestBodiesSkippedGiveTheSameWeave(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks runtime and net/http twice")
	}
	cases := map[string]string{
		"runtime": runtimeAspects,
		"net/http": `[
{"id":"field","join-point":{"struct-definition":"net/http.Transport"},"advice":[{"add-struct-field":{"name":"DD__internal","type":"bool"}}]},
{"id":"rt","join-point":{"function-body":{"function":[{"name":"RoundTrip"},{"receiver":"*net/http.Transport"}]}},"advice":[
  {"inject-declarations":{"links":["example.com/observe"],"template":"//go:linkname __dd_observe example.com/observe.Observe\nfunc __dd_observe(*Request) (*Request, error)"}},
  {"prepend-statements":{"template":"{{- $req := .Function.Argument 0 -}}\nif !{{ .Function.Receiver }}.DD__internal {\n  var __err__ error\n  {{ $req }}, __err__ = __dd_observe({{ $req }})\n  if __err__ != nil { return nil, __err__ }\n}"}}]},
{"id":"serve","join-point":{"function-body":{"function":[{"receiver":"*net/http.Server"},{"name":"Serve"}]}},"advice":[
  {"prepend-statements":{"template":"if {{ .Function.Receiver }}.Handler == nil { {{ .Function.Receiver }}.Handler = DefaultServeMux }"}}]}]`,
	}
	for pkg, aspects := range cases {
		t.Run(pkg, func(t *testing.T) {
			req := stdRequest(t, pkg, aspects)
			before := injector.BodiesSkipped()
			fast := injector.Instrument(req)
			if injector.BodiesSkipped() != before+1 {
				t.Fatalf("%s was type-checked with its function bodies", pkg)
			}
			old := injector.CheckAllBodies(true)
			full := injector.Instrument(req)
			injector.CheckAllBodies(old)
			if len(full.Errors) != 0 || len(full.Files) == 0 {
				t.Fatalf("the full weave: errors %+v, warnings %+v, %d files", full.Errors, full.Warnings, len(full.Files))
			}
			if !reflect.DeepEqual(fast, full) {
				a, _ := json.Marshal(fast)
				b, _ := json.Marshal(full)
				t.Fatalf("the weaves differ:\nwithout bodies: %.2000s\nwith bodies: %.2000s", a, b)
			}
		})
	}
}

// A template that imports a package, a join point that resolves names in
// bodies, and a dot import each keep the bodies checked.
func TestBodiesCheckedWhenTheyMatter(t *testing.T) {
	src := "package a\n\nimport \"fmt\"\n\nfunc F() { fmt := 1; _ = fmt }\n\nfunc G() { fmt.Println() }\n"
	dot := "package a\n\nimport . \"fmt\"\n\nfunc F() { Println() }\n"
	cfg := stdRequest(t, "fmt", "[]").ImportCfg
	for name, tc := range map[string]struct{ src, aspect string }{
		"template imports": {src, `{"id":"i","join-point":{"function-body":{"function":[{"name":"F"}]}},"advice":{"prepend-statements":{"imports":{"fmt":"fmt"},"template":"fmt.Println()"}}}`},
		"function-call":    {src, `{"id":"c","join-point":{"function-call":"fmt.Println"},"advice":{"wrap-expression":{"template":"func() { {{ . }} }()"}}}`},
		"dot import":       {dot, `{"id":"d","join-point":{"function-body":{"function":[{"name":"F"}]}},"advice":{"prepend-statements":{"template":"_ = 1"}}}`},
	} {
		t.Run(name, func(t *testing.T) {
			path := writeFile(t, "a.go", tc.src)
			before := injector.BodiesSkipped()
			resp := injector.Instrument(&api.InstrumentRequest{
				APIVersion: ptr(0), ImportPath: "example.com/a", GOARCH: "amd64", Files: []string{path}, ImportCfg: cfg,
				Aspects: aspectsJSON(t, "["+tc.aspect+"]"), StandardLibrary: true,
			})
			if len(resp.Files) != 1 {
				t.Fatalf("want one woven file, got %+v (errors %+v, warnings %+v)", resp.Files, resp.Errors, resp.Warnings)
			}
			if injector.BodiesSkipped() != before {
				t.Fatalf("function bodies skipped")
			}
		})
	}
}
