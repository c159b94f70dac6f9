package advice

import (
	"encoding/json"
	"fmt"

	"github.com/dave/dst"

	"github.com/orchestrion-ts/go-helpers/injector/code"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
)

// PrependStatements inserts the rendered statements, wrapped in a new nested
// block, at the start of the matched *dst.BlockStmt.
type PrependStatements struct {
	Template  *code.Template
	order     int
	namespace string
	path      string
}

func init() {
	register("prepend-statements", func(value json.RawMessage, path string) (Advice, error) {
		var knobs struct {
			Order     *int    `json:"order"`
			Namespace *string `json:"namespace"`
		}
		f, err := rawTemplate(value, path, &knobs)
		if err != nil {
			return nil, err
		}
		t, err := decodeTemplate(f, path)
		if err != nil {
			return nil, err
		}
		a := &PrependStatements{Template: t, order: DefaultOrder, namespace: DefaultNamespace, path: path}
		if knobs.Order != nil {
			a.order = *knobs.Order
		}
		if knobs.Namespace != nil && *knobs.Namespace != "" {
			a.namespace = *knobs.Namespace
		}
		return a, nil
	})
}

func (a *PrependStatements) Order() int        { return a.order }
func (a *PrependStatements) Namespace() string { return a.namespace }

func (a *PrependStatements) AddedImports() []string { return a.Template.AddedImports() }

func (a *PrependStatements) Templates() []TemplateUse {
	return []TemplateUse{{a.Template, code.Statements, templatePath(a.path)}}
}

func (a *PrependStatements) Apply(ctx *nodectx.Context) (bool, error) {
	block, ok := ctx.Node().(*dst.BlockStmt)
	if !ok {
		return false, fmt.Errorf("prepend-statements: expected *dst.BlockStmt, got %T", ctx.Node())
	}
	stmts, err := a.Template.CompileBlock(ctx)
	if err != nil {
		return false, fmt.Errorf("prepend-statements: %w", err)
	}
	block.List = append([]dst.Stmt{stmts}, block.List...)
	ctx.EnsureMinGoLang(a.Template.Lang)
	return true, nil
}
