package injector_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/orchestrion-ts/go-helpers/api"
	"github.com/orchestrion-ts/go-helpers/injector"
)

// Golden cases use the conformance format: <case>/config.yml (aspects, code,
// import-path, syntheticReferences, required-lang) and <case>/modified.go.snap.

const sharedConformance = "/work/shared/conformance/injector"

type goldenConfig struct {
	Aspects             []any           `yaml:"aspects"`
	Code                string          `yaml:"code"`
	ImportPath          string          `yaml:"import-path"`
	SyntheticReferences map[string]bool `yaml:"syntheticReferences"`
	RequiredLang        string          `yaml:"required-lang"`
}

func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/*/config.yml")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("no golden cases found")
	}
	for _, cfg := range dirs {
		dir := filepath.Dir(cfg)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			runGolden(t, dir, false)
		})
	}
}

// TestSharedConformance runs the shared directive case when it is available.
// With ORCHESTRION_CONFORMANCE_ALL=1 it runs every shared case, skipping those
// that use join points or advice this version does not implement yet.
func TestSharedConformance(t *testing.T) {
	if _, err := os.Stat(sharedConformance); err != nil {
		t.Skip("shared conformance cases not available")
	}
	names := []string{"directive"}
	all := os.Getenv("ORCHESTRION_CONFORMANCE_ALL") == "1"
	if all {
		entries, err := os.ReadDir(sharedConformance)
		if err != nil {
			t.Fatal(err)
		}
		names = names[:0]
		for _, e := range entries {
			names = append(names, e.Name())
		}
	}
	for _, name := range names {
		dir := filepath.Join(sharedConformance, name)
		if _, err := os.Stat(filepath.Join(dir, "config.yml")); err != nil {
			t.Run(name, func(t *testing.T) { t.Skip("case not available") })
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			runGolden(t, dir, all)
		})
	}
}

func runGolden(t *testing.T, dir string, skipUnsupported bool) {
	raw, err := os.ReadFile(filepath.Join(dir, "config.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg goldenConfig
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		t.Fatalf("config.yml: %v", err)
	}
	snap := filepath.Join(dir, "modified.go.snap")
	want, err := os.ReadFile(snap)
	if err != nil && !updating(dir) {
		t.Fatal(err)
	}

	aspects := make([]api.Aspect, len(cfg.Aspects))
	for i, a := range cfg.Aspects {
		if aspects[i], err = json.Marshal(a); err != nil {
			t.Fatal(err)
		}
	}
	if skipUnsupported {
		v := injector.Validate(&api.ValidateRequest{APIVersion: ptr(api.APIVersion), Aspects: aspects})
		for _, e := range v.Errors {
			if strings.Contains(e.Message, "unknown join point type") || strings.Contains(e.Message, "unknown advice type") {
				t.Skipf("not supported yet: %s", e.Message)
			}
		}
	}

	importPath := cfg.ImportPath
	if importPath == "" {
		importPath = "dummy/test/module"
	}
	work := t.TempDir()
	input := filepath.Join(work, "input.go")
	if err := os.WriteFile(input, []byte(strings.TrimSpace(cfg.Code)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	importcfg := buildImportcfg(t, work)

	resp := injector.Instrument(&api.InstrumentRequest{
		APIVersion: ptr(api.APIVersion),
		ImportPath: importPath,
		GOOS:       "linux",
		GOARCH:     "amd64",
		Files:      []string{input},
		ImportCfg:  importcfg,
		Aspects:    aspects,
	})
	if len(resp.Errors) > 0 {
		t.Fatalf("errors: %+v", resp.Errors)
	}
	if len(resp.Warnings) > 0 {
		t.Logf("warnings: %+v", resp.Warnings)
	}

	got := "<no changes>"
	if len(resp.Files) > 0 {
		if len(resp.Files) != 1 || resp.Files[0].Path != input {
			t.Fatalf("unexpected files: %+v", resp.Files)
		}
		got = normalize(resp.Files[0].Content, input)
	}
	if updating(dir) && got != string(want) {
		if err := os.WriteFile(snap, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("updated %s", snap)
		want = []byte(got)
	}
	if got != string(want) {
		t.Errorf("output mismatch\n--- want\n%s\n--- got\n%s", want, got)
	}

	var gotRefs, wantRefs []string
	for _, r := range resp.References {
		gotRefs = append(gotRefs, r.Path)
	}
	for p, ok := range cfg.SyntheticReferences {
		if ok {
			wantRefs = append(wantRefs, p)
		}
	}
	sort.Strings(gotRefs)
	sort.Strings(wantRefs)
	if strings.Join(gotRefs, ",") != strings.Join(wantRefs, ",") {
		t.Errorf("synthetic references: want %v, got %v", wantRefs, gotRefs)
	}
	if resp.LangLevel != cfg.RequiredLang {
		t.Errorf("lang level: want %q, got %q", cfg.RequiredLang, resp.LangLevel)
	}
}

// updating: UPDATE_GOLDEN=1 rewrites the snapshots of this module's own cases
// (never the shared ones).
func updating(dir string) bool {
	return os.Getenv("UPDATE_GOLDEN") == "1" && !strings.HasPrefix(dir, sharedConformance)
}

func normalize(s, input string) string {
	s = strings.ReplaceAll(s, "\t", "  ")
	return strings.ReplaceAll(s, "//line "+input+":", "//line input.go:")
}

// buildImportcfg makes a module around input.go and returns an importcfg
// listing the export data of its dependencies.
func buildImportcfg(t *testing.T, dir string) string {
	t.Helper()
	goCmd(t, dir, "mod", "init", "dummy/test/module")
	goCmd(t, dir, "mod", "tidy")
	out := goCmd(t, dir, "list", "-e", "-export", "-deps", "-f", "{{if .Export}}packagefile {{.ImportPath}}={{.Export}}{{end}}", ".")
	path := filepath.Join(dir, "importcfg")
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func goCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	return string(out)
}

func ptr[T any](v T) *T { return &v }
