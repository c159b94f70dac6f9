package dstrestore

import (
	"go/ast"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dave/dst/decorator"
)

// upstreamDir is the decorator package of the dst module go.mod requires.
func upstreamDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Version}} {{.Dir}}", "github.com/dave/dst").Output()
	if err != nil {
		t.Skipf("cannot locate github.com/dave/dst: %v", err)
	}
	version, dir, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
	if version != "v0.27.4" {
		t.Fatalf("go.mod requires github.com/dave/dst %s: copy its restorer here again (see doc.go) and update this test", version)
	}
	if dir == "" {
		t.Skip("github.com/dave/dst is not in the module cache")
	}
	return filepath.Join(dir, "decorator")
}

func header(name string) string {
	return "// Copied from github.com/dave/dst@v0.27.4/decorator/" + name + " (see doc.go).\n\n"
}

// TestSync checks that the copied files are dst's, modulo the package clause
// and the one edit documented in doc.go.
func TestSync(t *testing.T) {
	dir := upstreamDir(t)
	edits := map[string][][2]string{
		"restorer.go": {{
			"\tr.Dst.Nodes[out.X] = n\n",
			"\t// orchestrion-ts: upstream also does `r.Dst.Nodes[out.X] = n` here, while\n" +
				"\t// out.X is still a nil interface. That map entry is useless, and under\n" +
				"\t// Go 1.26+ js/wasm any operation on a nil interface key of a map grown\n" +
				"\t// past one table (~900 entries) reads out of bounds (see doc.go).\n",
		}},
		"restorer-generated.go": nil,
		"map.go":                nil,
	}
	for name, repl := range edits {
		up, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		want := header(name) + strings.Replace(string(up), "package decorator\n", "package dstrestore\n", 1)
		for _, r := range repl {
			if n := strings.Count(want, r[0]); n != 1 {
				t.Fatalf("%s: the edited text occurs %d times upstream", name, n)
			}
			want = strings.Replace(want, r[0], r[1], 1)
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("%s differs from dst's copy beyond the documented edit", name)
		}
	}

	// The avoid table is a declaration of decorator.go.
	up, err := os.ReadFile(filepath.Join(dir, "decorator.go"))
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(up), "// We never need to resolve idents")
	end := strings.Index(string(up), "// decorateSelectorExpr is a special case")
	if start < 0 || end < start {
		t.Fatal("avoid table not found in decorator.go")
	}
	want := header("decorator.go") + "package dstrestore\n\n" + strings.TrimRight(string(up)[start:end], "\n") + "\n"
	got, err := os.ReadFile("avoid.go")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("avoid.go differs from dst's table")
	}
}

// TestNoNilKey restores a file with qualified identifiers and checks that no
// nil interface key was written into the node maps, and that the output is
// what dst's own restorer prints.
func TestNoNilKey(t *testing.T) {
	src := `package p

import (
	"fmt"
	"time"
)

var (
	a = time.Now()
	b = fmt.Sprint(a)
	c time.Duration
)
`
	restore := func(useFork bool) (string, bool) {
		fset := token.NewFileSet()
		dec := decorator.NewDecoratorWithImports(fset, "p", guess{})
		f, err := dec.Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if useFork {
			res := &FileRestorer{Restorer: NewRestorerWithImports("p", guess{})}
			if err := res.Fprint(&b, f); err != nil {
				t.Fatal(err)
			}
			_, nilKey := res.Dst.Nodes[nil]
			return b.String(), nilKey
		}
		res := &decorator.FileRestorer{Restorer: decorator.NewRestorerWithImports("p", guess{})}
		if err := res.Fprint(&b, f); err != nil {
			t.Fatal(err)
		}
		_, nilKey := res.Dst.Nodes[nil]
		return b.String(), nilKey
	}
	got, nilKey := restore(true)
	if nilKey {
		t.Error("the restorer recorded a nil ast.Node key")
	}
	want, upstreamNilKey := restore(false)
	if !upstreamNilKey {
		t.Log("dst's restorer no longer records a nil key: this copy may be unnecessary")
	}
	if got != want {
		t.Errorf("output differs from dst's:\n%s\nwant:\n%s", got, want)
	}
	if got != src {
		t.Errorf("output differs from the source:\n%s", got)
	}
}

// guess resolves both ways from the import path.
type guess struct{}

func (guess) ResolveIdent(file *ast.File, parent ast.Node, parentField string, id *ast.Ident) (string, error) {
	if parentField == "Sel" {
		if sel, ok := parent.(*ast.SelectorExpr); ok {
			if x, ok := sel.X.(*ast.Ident); ok {
				for _, imp := range file.Imports {
					path := strings.Trim(imp.Path.Value, `"`)
					if filepath.Base(path) == x.Name {
						return path, nil
					}
				}
			}
		}
	}
	return "", nil
}

func (guess) ResolvePackage(path string) (string, error) { return filepath.Base(path), nil }
