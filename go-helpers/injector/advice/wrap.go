package advice

import (
	"encoding/json"
	"fmt"

	"github.com/dave/dst"

	"github.com/orchestrion-ts/go-helpers/injector/code"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
)

// WrapExpression replaces the matched expression by the rendered one (in
// which `{{ . }}` is the original). On a *dst.KeyValueExpr, the value is
// wrapped: the template sees the value as its node.
type WrapExpression struct {
	Template *code.Template
	path     string
}

func init() {
	register("wrap-expression", func(value json.RawMessage, path string) (Advice, error) {
		t, err := templateObject(value, path)
		if err != nil {
			return nil, err
		}
		return &WrapExpression{Template: t, path: path}, nil
	})
}

func (a *WrapExpression) AddedImports() []string { return a.Template.AddedImports() }

func (a *WrapExpression) Templates() []TemplateUse {
	return []TemplateUse{{a.Template, code.Expression, templatePath(a.path)}}
}

func (a *WrapExpression) Apply(ctx *nodectx.Context) (bool, error) {
	kve, isKV := ctx.Node().(*dst.KeyValueExpr)
	if isKV {
		ctx = ctx.Child(kve.Value, "Value", -1)
	} else if _, isExpr := ctx.Node().(dst.Expr); !isExpr {
		return false, fmt.Errorf("wrap-expression: expected dst.Expr or *dst.KeyValueExpr, got %T", ctx.Node())
	}
	repl, err := a.Template.CompileExpression(ctx)
	if err != nil {
		return false, fmt.Errorf("wrap-expression: %w", err)
	}
	if isKV {
		kve.Value = repl
	} else {
		ctx.ReplaceNode(repl)
	}
	ctx.EnsureMinGoLang(a.Template.Lang)
	return true, nil
}
