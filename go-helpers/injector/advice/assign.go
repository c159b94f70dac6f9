package advice

import (
	"encoding/json"
	"fmt"

	"github.com/dave/dst"

	"github.com/orchestrion-ts/go-helpers/injector/code"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
)

// AssignValue sets the initial value of every name declared by the matched
// *dst.ValueSpec to a copy of the rendered expression (the declared type, if
// any, is kept; the previous values are dropped).
type AssignValue struct {
	Template *code.Template
	path     string
}

func init() {
	register("assign-value", func(value json.RawMessage, path string) (Advice, error) {
		t, err := templateObject(value, path)
		if err != nil {
			return nil, err
		}
		return &AssignValue{Template: t, path: path}, nil
	})
}

func (a *AssignValue) AddedImports() []string { return a.Template.AddedImports() }

func (a *AssignValue) Templates() []TemplateUse {
	return []TemplateUse{{a.Template, code.Expression, templatePath(a.path)}}
}

func (a *AssignValue) Apply(ctx *nodectx.Context) (bool, error) {
	spec, ok := ctx.Node().(*dst.ValueSpec)
	if !ok {
		return false, fmt.Errorf("assign-value: expected *dst.ValueSpec, got %T", ctx.Node())
	}
	expr, err := a.Template.CompileExpression(ctx)
	if err != nil {
		return false, fmt.Errorf("assign-value: %w", err)
	}
	values := make([]dst.Expr, len(spec.Names))
	for i := range values {
		values[i] = dst.Clone(expr).(dst.Expr)
	}
	spec.Values = values
	ctx.EnsureMinGoLang(a.Template.Lang)
	return true, nil
}
