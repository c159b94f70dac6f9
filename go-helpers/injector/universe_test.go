package injector_test

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orchestrion-ts/go-helpers/api"
	"github.com/orchestrion-ts/go-helpers/injector"
)

// Requests after the first reuse the packages read from go's cache, and never
// what came from an archive outside it: a main package woven again after its
// leaf package changed (the edit loop, the leaf compiled in $WORK) sees the
// new leaf, and every answer is the one a fresh injector gives.
func TestUniverseEditLoop(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	defer injector.KeepUniverses(injector.KeepUniverses(true))
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("go.mod", "module example.com/u\n\ngo 1.22\n")
	main := write("main.go", "package main\n\nimport (\n\t\"context\"\n\t\"fmt\"\n\t\"net/http\"\n\n\t\"example.com/u/leaf\"\n)\n\nfunc main() {\n\tres, err := http.Get(\"http://127.0.0.1:1/\")\n\tfmt.Println(res, err, leaf.Price(context.Background()))\n}\n")
	// Each "build" lists the export data again and copies the leaf's archive to a
	// path outside go's cache, as the build that compiled it would have it.
	build := func(n int, leafSrc string) string {
		write("leaf/leaf.go", leafSrc)
		cmd := exec.Command("go", "list", "-export", "-deps", "-f", "{{if .Export}}packagefile {{.ImportPath}}={{.Export}}{{end}}", ".")
		cmd.Dir = dir
		list, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list: %v", err)
		}
		var lines []string
		for _, l := range strings.Split(strings.TrimSpace(string(list)), "\n") {
			if path, archive, ok := strings.Cut(strings.TrimPrefix(l, "packagefile "), "="); ok && path == "example.com/u/leaf" {
				work := filepath.Join(dir, "work", strings.Repeat("b", n), "_pkg_.a")
				copyFile(t, archive, work)
				l = "packagefile " + path + "=" + work
			}
			lines = append(lines, l)
		}
		return write("importcfg", strings.Join(lines, "\n")+"\n")
	}
	req := func(cfg string) *api.InstrumentRequest {
		return &api.InstrumentRequest{
			APIVersion: ptr(0), ImportPath: "example.com/u", GOARCH: "amd64", Files: []string{main}, ImportCfg: cfg,
			Aspects: aspectsJSON(t, `[{"id":"get","join-point":{"function-call":"net/http.Get"},
  "advice":[{"wrap-expression":{"template":"{{ . }} /* {{ .Function.ArgumentOfType \"context.Context\" }} */"}}]}]`),
		}
	}
	check := func(cfg string, wantHit bool) {
		t.Helper()
		injector.KeepUniverses(false)
		fresh := injector.Instrument(req(cfg))
		injector.KeepUniverses(true)
		injector.Instrument(req(cfg)) // kept for the next
		hits := injector.UniverseHits()
		again := injector.Instrument(req(cfg))
		if got := injector.UniverseHits() > hits; got != wantHit {
			t.Fatalf("served by a kept universe: %v, want %v", got, wantHit)
		}
		if len(again.Warnings) != 0 || len(again.Errors) != 0 || len(again.Files) != 1 {
			t.Fatalf("warnings %v, errors %v, %d files", again.Warnings, again.Errors, len(again.Files))
		}
		if again.Files[0].Content != fresh.Files[0].Content {
			t.Fatalf("a kept universe wove\n%s\na fresh one\n%s", again.Files[0].Content, fresh.Files[0].Content)
		}
	}
	check(build(1, "package leaf\n\nimport \"context\"\n\nfunc Price(ctx context.Context) int { return 1 }\n"), true)
	// The leaf changes: its signature too. A universe kept from the last build
	// serves the next, which must type-check main against the new leaf.
	first := build(2, "package leaf\n\nimport \"context\"\n\nfunc Price(ctx context.Context) int { return 1 }\n\nfunc Extra() int { return 2 }\n")
	hits := injector.UniverseHits()
	if r := injector.Instrument(req(first)); len(r.Warnings) != 0 || len(r.Files) != 1 || injector.UniverseHits() == hits {
		t.Fatalf("after the leaf's edit: warnings %v, %d files, hit %v", r.Warnings, len(r.Files), injector.UniverseHits() > hits)
	}
	write("main.go", strings.Replace(mustRead(t, main), "leaf.Price(context.Background())", "leaf.Price(context.Background(), 2)", 1))
	second := build(3, "package leaf\n\nimport \"context\"\n\nfunc Price(ctx context.Context, n int) int { return n }\n")
	hits = injector.UniverseHits()
	if r := injector.Instrument(req(second)); len(r.Warnings) != 0 || len(r.Files) != 1 || injector.UniverseHits() == hits {
		t.Fatalf("after the leaf's signature changed: warnings %v, %d files, hit %v", r.Warnings, len(r.Files), injector.UniverseHits() > hits)
	}
	check(second, true)
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
