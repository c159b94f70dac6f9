package injector_test

import (
	"encoding/json"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/orchestrion-ts/go-helpers/api"
	"github.com/orchestrion-ts/go-helpers/injector"
)

// Golden cases use the conformance format: <case>/config.yml (aspects, code,
// import-path, syntheticReferences, required-lang) and <case>/modified.go.snap.
// Project cases may also set (extensions, absent from the shared cases):
//   - root-module: the main module's path for `package-filter` root filters;
//     default github.com/DataDog/orchestrion, the main module when
//     Orchestrion's own harness runs the cases;
//   - root-config: the configuration map of the `configuration` join point;
//     default none, as in Orchestrion's harness (its compile step uses
//     {httpmode: wrap});
//   - test-main: compile as the synthetic test main package (default false).

const sharedConformance = "/work/shared/conformance/injector"

// projectGolden holds the project's own cases, shared with the TypeScript
// golden runner (relative to this package's directory).
const projectGolden = "../../test/golden"

type goldenConfig struct {
	Aspects             []any             `yaml:"aspects"`
	Code                string            `yaml:"code"`
	ImportPath          string            `yaml:"import-path"`
	SyntheticReferences map[string]bool   `yaml:"syntheticReferences"`
	RequiredLang        string            `yaml:"required-lang"`
	RootModule          *string           `yaml:"root-module"`
	RootConfig          map[string]string `yaml:"root-config"`
	TestMain            bool              `yaml:"test-main"`
}

// defaultRootModule is the main module of Orchestrion's test harness.
const defaultRootModule = "github.com/DataDog/orchestrion"

func TestGolden(t *testing.T) {
	if _, err := os.Stat(projectGolden); err != nil {
		t.Skipf("project golden cases not available: %v", err)
	}
	dirs, err := filepath.Glob(filepath.Join(projectGolden, "*", "config.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Skip("no golden cases found")
	}
	for _, cfg := range dirs {
		dir := filepath.Dir(cfg)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			runGolden(t, dir, true)
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

	rootModule := defaultRootModule
	if cfg.RootModule != nil {
		rootModule = *cfg.RootModule
	}
	rootConfig := cfg.RootConfig
	if rootConfig == nil {
		rootConfig = map[string]string{}
	}
	resp := injector.Instrument(&api.InstrumentRequest{
		APIVersion:     ptr(api.APIVersion),
		ImportPath:     importPath,
		GOOS:           "linux",
		GOARCH:         "amd64",
		Files:          []string{input},
		ImportCfg:      importcfg,
		Aspects:        aspects,
		TestMain:       cfg.TestMain,
		RootModulePath: rootModule,
		RootConfig:     rootConfig,
		// Orchestrion's harness calls its injector directly, below the
		// compile step's special cases.
		IgnoreSpecialCases: true,
		// What `Version` renders in Orchestrion's own test binary (which
		// produced the snapshots): the tag with a "+dev" suffix.
		OrchestrionVersion: "v1.12.0+dev",
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
	if len(resp.Files) == 0 {
		// As in Orchestrion's harness, references and the language level are
		// only checked for a modified file.
		return
	}
	if len(resp.Files) == 0 {
		// Orchestrion's harness checks references and language level of
		// modified files only.
		return
	}

	var gotRefs, wantRefs []string
	// As in Orchestrion's harness: true is an import, false a relocation
	// (a package reached only through //go:linkname).
	for _, r := range resp.References {
		gotRefs = append(gotRefs, r.Path+"="+r.Kind)
	}
	for p, imported := range cfg.SyntheticReferences {
		kind := api.KindRelocation
		if imported {
			kind = api.KindImport
		}
		wantRefs = append(wantRefs, p+"="+kind)
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
	// Like the compile's importcfg (and Orchestrion's harness import map),
	// keep the direct imports only: the package pre-filters read this map.
	direct := map[string]bool{}
	af, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, "input.go"), nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	for _, spec := range af.Imports {
		if p, err := strconv.Unquote(spec.Path.Value); err == nil {
			direct[p] = true
		}
	}
	var kept []string
	for _, line := range strings.Split(out, "\n") {
		if pkg, _, ok := strings.Cut(strings.TrimPrefix(line, "packagefile "), "="); ok && direct[pkg] {
			kept = append(kept, line)
		}
	}
	path := filepath.Join(dir, "importcfg")
	if err := os.WriteFile(path, []byte(strings.Join(kept, "\n")+"\n"), 0o644); err != nil {
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
