package injector

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// declarations prints each top-level declaration of src without function
// bodies (whether a function has one is kept).
func declarations(t *testing.T, name string, src []byte) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var out []string
	for _, d := range f.Decls {
		hasBody := false
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
			hasBody = true
			fd.Body = nil
		}
		var b bytes.Buffer
		if err := printer.Fprint(&b, fset, d); err != nil {
			t.Fatal(err)
		}
		if hasBody {
			b.WriteString(" {body}")
		}
		// Positions matter too: the type checker's errors name them.
		b.WriteString(" @" + fset.Position(d.Pos()).String())
		out = append(out, b.String())
	}
	return out
}

func checkElided(t *testing.T, name string, src []byte) bool {
	t.Helper()
	got, did := elideBodies(src)
	if !did {
		return false
	}
	if len(got) != len(src) || bytes.Count(got, []byte("\n")) != bytes.Count(src, []byte("\n")) {
		t.Fatalf("%s: the blanked file has another length or other lines", name)
	}
	want := declarations(t, name, src)
	have := declarations(t, name, got)
	if strings.Join(want, "\n") != strings.Join(have, "\n") {
		for i := range want {
			if i >= len(have) || want[i] != have[i] {
				t.Fatalf("%s: declaration %d differs:\n%s\nblanked:\n%v", name, i, want[i], have[i:min(i+1, len(have))])
			}
		}
		t.Fatalf("%s: %d declarations, %d blanked", name, len(want), len(have))
	}
	return true
}

// Blanking keeps every declaration as it is, bodies aside: the shapes a
// signature can take, literals holding braces or the word func, functions
// without a body.
func TestElideBodies(t *testing.T) {
	src := []byte(`// Package p.
package p

import "unsafe"

type T struct{ a, b int }

type G[E interface{ ~int | ~string }] struct{ e E }

var table = [...]int{1, 2, 3}

var lit = func() int { return len("}") }()

func asm(p unsafe.Pointer) uintptr // in assembly

func asm2()

func (t *T) M(x struct{ f func() }) (r struct {
	y int
}) {
	s := "{ not a brace"
	c := '}'
	_ = ` + "`" + `
func notADecl() {
}
` + "`" + `
	/* } */
	_, _ = s, c
	return
}

func Gen[E interface{ ~int }](e E) interface{ M() } {
	if e > 0 {
		return nil
	}
	return nil
}

func Shift(x int) [8 / 2]int { return [4]int{x} }

func Multi(
	a int, // a comment
	b string,
) (
	int, error,
) {
	return a, nil
}
`)
	if !checkElided(t, "p.go", src) {
		t.Fatal("nothing was blanked")
	}
	got, _ := elideBodies(src)
	for _, gone := range []string{"not a brace", "notADecl", "return a, nil", "e > 0"} {
		if bytes.Contains(got, []byte(gone)) {
			t.Errorf("%q is still there:\n%s", gone, got)
		}
	}
	for _, kept := range []string{`len("}")`, "[...]int{1, 2, 3}", "struct {\n\ty int\n}", "interface{ ~int | ~string }"} {
		if !bytes.Contains(got, []byte(kept)) {
			t.Errorf("%q is gone:\n%s", kept, got)
		}
	}
	// What it does not read with certainty, it leaves as it is.
	for _, s := range []string{
		"package p\n\nfunc f() struct /* c */ { a int } { return }\n",
		"package p\n\nfunc f() { s := \"unterminated\n}\n",
	} {
		if out, did := elideBodies([]byte(s)); did || string(out) != s {
			t.Errorf("blanked %q", s)
		}
	}
}

// Every file of some large standard packages: the same declarations blanked.
func TestElideBodiesStd(t *testing.T) {
	n := 0
	for _, pkg := range []string{"runtime", "net/http", "os", "reflect", "go/types", "syscall"} {
		files, _ := filepath.Glob(filepath.Join(runtime.GOROOT(), "src", pkg, "*.go"))
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if checkElided(t, f, src) {
				n++
			}
		}
	}
	if n < 500 {
		t.Fatalf("only %d files blanked", n)
	}
}
