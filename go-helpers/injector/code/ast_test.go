package code

import (
	"bytes"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"text/template"

	"github.com/dave/dst"
)

// TestASTProxiesUpToDate regenerates ast_proxies.go and compares.
func TestASTProxiesUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	out := filepath.Join(t.TempDir(), "ast_proxies.go")
	cmd := exec.Command("go", "run", "gen_ast.go", "-o", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run gen_ast.go: %v\n%s", err, msg)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("ast_proxies.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("ast_proxies.go is stale: run `go generate ./injector/code`")
	}
}

// TestASTViews checks the rules of the views on a small tree.
func TestASTViews(t *testing.T) {
	call := &dst.CallExpr{
		Fun:      &dst.SelectorExpr{X: dst.NewIdent("pkg"), Sel: dst.NewIdent("F")},
		Args:     []dst.Expr{dst.NewIdent("a"), &dst.BasicLit{Kind: token.INT, Value: "1"}},
		Ellipsis: true,
	}
	var ph placeholders
	tmpl := template.Must(template.New("t").Parse(
		`{{ .Fun.Name }}|{{ .Fun }}|{{ .Fun }}|{{ range .Args }}{{ .Copy }},{{ end }}|{{ .Ellipsis }}|{{ (index .Args 1).Value }}`))
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, wrapNode(call, &ph)); err != nil {
		t.Fatal(err)
	}
	const want = "F|_.__PLACEHOLDER_0__|_.__PLACEHOLDER_0__|_.__PLACEHOLDER_1__,_.__PLACEHOLDER_2__,|true|1"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
	if ph.byName["__PLACEHOLDER_0__"] != call.Fun {
		t.Error("printing must move the node itself")
	}
	if c := ph.byName["__PLACEHOLDER_1__"]; c == call.Args[0] || c.(*dst.Ident).Name != "a" {
		t.Error("Copy must stand for a clone")
	}

	// Nil children: pointer-typed ones give a (true) view of nil,
	// interface-typed ones fail, nil slices stay nil.
	fn := &dst.FuncDecl{Name: dst.NewIdent("f"), Type: &dst.FuncType{}}
	for src, want := range map[string]string{
		`{{ if .Recv }}yes{{ else }}no{{ end }}`:       "yes",
		`{{ if .Type.TypeParams }}yes{{ end }}`:        "yes",
		`{{ if .Decs.Start }}x{{ else }}none{{ end }}`: "none",
		`{{ .Name.Name }}`:                             "f",
	} {
		buf.Reset()
		if err := template.Must(template.New("t").Parse(src)).Execute(&buf, wrapNode(fn, &ph)); err != nil {
			t.Errorf("%s: %v", src, err)
		} else if buf.String() != want {
			t.Errorf("%s: got %q, want %q", src, buf.String(), want)
		}
	}
	spec := &dst.ValueSpec{Names: []*dst.Ident{dst.NewIdent("v")}}
	if err := template.Must(template.New("t").Parse(`{{ .Type }}`)).Execute(&buf, wrapNode(spec, &ph)); err == nil {
		t.Error("a nil interface-typed child must be an error")
	}
	if v := wrapNode(spec, &ph).(*astValueSpec).Values(); v != nil {
		t.Errorf("nil slice must stay nil, got %v", v)
	}
}
