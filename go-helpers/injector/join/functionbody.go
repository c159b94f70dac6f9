package join

import (
	"encoding/json"

	"github.com/dave/dst"

	"github.com/orchestrion-ts/go-helpers/injector/may"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
)

// FunctionBody matches the *dst.BlockStmt body of a function (declaration or
// literal) that the inner join point matches, evaluated on the function node.
type FunctionBody struct {
	Function Point
}

func init() {
	register("function-body", func(value json.RawMessage, path string) (Point, error) {
		inner, err := Decode(value, path)
		if err != nil {
			return nil, err
		}
		return &FunctionBody{Function: inner}, nil
	})
}

func (b *FunctionBody) Matches(ctx *nodectx.Context) bool {
	parent := ctx.Parent()
	if parent == nil {
		return false
	}
	var body *dst.BlockStmt
	switch fn := parent.Node().(type) {
	case *dst.FuncDecl:
		body = fn.Body
	case *dst.FuncLit:
		body = fn.Body
	default:
		return false
	}
	if body == nil || ctx.Node() != dst.Node(body) {
		return false
	}
	return b.Function.Matches(parent)
}

func (b *FunctionBody) PackageMayMatch(ctx *may.PackageContext) may.MatchType {
	return b.Function.PackageMayMatch(ctx)
}

func (b *FunctionBody) FileMayMatch(ctx *may.FileContext) may.MatchType {
	return b.Function.FileMayMatch(ctx)
}

func (b *FunctionBody) ImpliesImported() []string { return b.Function.ImpliesImported() }
