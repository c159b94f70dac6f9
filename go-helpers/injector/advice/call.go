package advice

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/dave/dst"

	"github.com/orchestrion-ts/go-helpers/injector/code"
	"github.com/orchestrion-ts/go-helpers/injector/decode"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
	"github.com/orchestrion-ts/go-helpers/injector/typed"
)

// AppendArgs adds the rendered expressions at the end of the arguments of the
// matched *dst.CallExpr. When the call spreads a slice (`f(a, rest...)`), the
// slice is replaced by an immediately-invoked literal returning a copy of it
// with the new values appended, whose element type is Type.
type AppendArgs struct {
	Type   typed.TypeName
	Values []*code.Template
	path   string
}

// ReplaceFunction makes the matched *dst.CallExpr call another function
// (same arguments): Path.Name, or a built-in / same-package Name when Path is
// empty.
type ReplaceFunction struct {
	Path string
	Name string
}

func init() {
	register("append-args", func(value json.RawMessage, path string) (Advice, error) {
		if decode.Kind(value) != "mapping" {
			return nil, decode.Errorf(path, "expected a mapping, got a %s", decode.Kind(value))
		}
		var fields struct {
			Type   json.RawMessage   `json:"type"`
			Values []json.RawMessage `json:"values"`
		}
		if err := json.Unmarshal(value, &fields); err != nil {
			return nil, decode.Errorf(decode.Field(path, "values"), "expected a sequence of code templates")
		}
		if decode.IsNull(fields.Type) {
			return nil, decode.Errorf(path, "missing required key 'type'")
		}
		typeName, err := decode.String(fields.Type, decode.Field(path, "type"))
		if err != nil {
			return nil, err
		}
		tn, err := typed.ParseTypeName(typeName)
		if err != nil {
			return nil, decode.Errorf(decode.Field(path, "type"), "%v", err)
		}
		a := &AppendArgs{Type: tn, path: path}
		for i, raw := range fields.Values {
			t, err := templateObject(raw, decode.Item(decode.Field(path, "values"), i))
			if err != nil {
				return nil, err
			}
			a.Values = append(a.Values, t)
		}
		return a, nil
	})

	register("replace-function", func(value json.RawMessage, path string) (Advice, error) {
		fqn, err := decode.String(value, path)
		if err != nil {
			return nil, err
		}
		r := &ReplaceFunction{Name: fqn}
		if i := strings.LastIndexByte(fqn, '.'); i >= 0 {
			r.Path, r.Name = fqn[:i], fqn[i+1:]
		}
		return r, nil
	})
}

func (a *AppendArgs) AddedImports() []string {
	var out []string
	if a.Type.ImportPath != "" {
		out = append(out, a.Type.ImportPath)
	}
	for _, t := range a.Values {
		out = append(out, t.AddedImports()...)
	}
	return out
}

func (a *AppendArgs) Templates() []TemplateUse {
	out := make([]TemplateUse, len(a.Values))
	for i, t := range a.Values {
		out[i] = TemplateUse{t, code.Expression, templatePath(decode.Item(decode.Field(a.path, "values"), i))}
	}
	return out
}

func (a *AppendArgs) Apply(ctx *nodectx.Context) (bool, error) {
	call, ok := ctx.Node().(*dst.CallExpr)
	if !ok {
		return false, fmt.Errorf("append-arguments: expected a *dst.CallExpr, received %T", ctx.Node())
	}
	extra := make([]dst.Expr, len(a.Values))
	for i, t := range a.Values {
		expr, err := t.CompileExpression(ctx)
		if err != nil {
			return false, fmt.Errorf("append-arguments[%d]: %w", i, err)
		}
		extra[i] = expr
		ctx.EnsureMinGoLang(t.Lang)
	}

	if !call.Ellipsis || len(call.Args) == 0 {
		call.Args = append(call.Args, extra...)
		return true, nil
	}

	// f(a, rest...) becomes f(a, func(opts ...T) []T { return append(opts, v...) }(rest...)).
	last := len(call.Args) - 1
	appendCall := &dst.CallExpr{
		Fun:  dst.NewIdent("append"),
		Args: append([]dst.Expr{dst.NewIdent("opts")}, extra...),
	}
	call.Args[last] = &dst.CallExpr{
		Fun: &dst.FuncLit{
			Type: &dst.FuncType{
				Params: &dst.FieldList{List: []*dst.Field{{
					Names: []*dst.Ident{dst.NewIdent("opts")},
					Type:  &dst.Ellipsis{Elt: a.Type.AsNode()},
				}}},
				Results: &dst.FieldList{List: []*dst.Field{{
					Type: &dst.ArrayType{Elt: a.Type.AsNode()},
				}}},
			},
			Body: &dst.BlockStmt{List: []dst.Stmt{
				&dst.ReturnStmt{Results: []dst.Expr{appendCall}},
			}},
		},
		Args:     []dst.Expr{call.Args[last]},
		Ellipsis: true,
	}
	if p := a.Type.ImportPath; p != "" {
		ctx.AddImport(p, guessPackageName(p))
	}
	return true, nil
}

func (r *ReplaceFunction) AddedImports() []string {
	if r.Path == "" {
		return nil
	}
	return []string{r.Path}
}

func (r *ReplaceFunction) Apply(ctx *nodectx.Context) (bool, error) {
	call, ok := ctx.Node().(*dst.CallExpr)
	if !ok {
		return false, fmt.Errorf("expected a *dst.CallExpr, received %T", ctx.Node())
	}
	if id, isIdent := call.Fun.(*dst.Ident); isIdent {
		// Rewritten in place: decorations and position are kept.
		id.Path, id.Name, id.Obj = r.Path, r.Name, nil
	} else {
		call.Fun = &dst.Ident{Path: r.Path, Name: r.Name}
	}
	if r.Path != "" {
		ctx.AddImport(r.Path, guessPackageName(r.Path))
	}
	return true, nil
}

var (
	lastPathSegment = regexp.MustCompile(`^(?:.+/)?([^/]+?)(?:\.v\d+|/v\d+)?$`)
	nonIdentChar    = regexp.MustCompile(`[^a-zA-Z0-9_]`)
)

// guessPackageName derives, for cosmetic purposes only, an identifier suffix
// from an import path: its last segment without a .vN or /vN version suffix,
// with characters that cannot appear in an identifier replaced by '_'.
func guessPackageName(path string) string {
	name := path
	if m := lastPathSegment.FindStringSubmatch(path); m != nil {
		name = m[1]
	}
	return nonIdentChar.ReplaceAllLiteralString(name, "_")
}
