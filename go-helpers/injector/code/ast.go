package code

//go:generate go run gen_ast.go -o ast_proxies.go

import (
	"fmt"

	"github.com/dave/dst"
)

// AST implements `.AST`: a view of the current node whose printing moves the
// node into the output, whose `Copy` stands for a clone of it, and whose
// child-node fields are methods returning views of the children (see
// gen_ast.go for the exact rules).
func (d *dot) AST() any {
	node := d.ctx.Node()
	if node == nil {
		return nil
	}
	return wrapNode(node, &d.ph)
}

// Name gives `.Name` on a selector the name of its selected identifier, so
// that `{{ .AST.Fun.Name }}` reads the same for `f(...)` and `pkg.F(...)`.
func (n *astSelectorExpr) Name() string { return n.SelectorExpr.Sel.Name }

// wrapChild wraps an interface-typed child; a nil child cannot be viewed.
func wrapChild[T dst.Node](child T, ph *placeholders, field string) (T, error) {
	var zero T
	if dst.Node(child) == nil {
		return zero, fmt.Errorf("%s is nil", field)
	}
	w, _ := wrapNode(child, ph).(T)
	return w, nil
}

// wrapList wraps every element of a slice of children; nil stays nil.
func wrapList[T dst.Node](list []T, ph *placeholders) []T {
	if list == nil {
		return nil
	}
	out := make([]T, len(list))
	for i, n := range list {
		if dst.Node(n) == nil {
			continue
		}
		out[i], _ = wrapNode(n, ph).(T)
	}
	return out
}
