package code

import (
	"fmt"
	"reflect"

	"github.com/dave/dst"
	"github.com/dave/dst/dstutil"

	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
)

// dot is the `.` value of a template.
type dot struct {
	ctx *nodectx.Context
	ph  placeholders
	// probe: rendered for validation, on a representative node.
	probe bool
}

// placeholders stand for syntax nodes in the rendered text: each is a
// `_.__PLACEHOLDER_<n>__` selector, swapped for its node after parsing.
type placeholders struct {
	byName map[string]dst.Node
	moved  map[dst.Node]string // node -> its single "move" placeholder
}

// String renders `{{ . }}`: the current node itself (moved, not copied).
func (d *dot) String() string {
	return d.ph.use(d.ctx.Node())
}

// use returns the placeholder that moves node into the output; asking again
// for the same node gives the same placeholder.
func (p *placeholders) use(node dst.Node) string {
	if name, ok := p.moved[node]; ok {
		return "_." + name
	}
	name := p.add(node)
	if p.moved == nil {
		p.moved = map[dst.Node]string{}
	}
	p.moved[node] = name
	return "_." + name
}

// clone returns a new placeholder standing for a fresh copy of node.
func (p *placeholders) clone(node dst.Node) string {
	var c dst.Node
	if node != nil {
		c = dst.Clone(node)
	}
	return "_." + p.add(c)
}

func (p *placeholders) add(node dst.Node) string {
	if p.byName == nil {
		p.byName = map[string]dst.Node{}
	}
	name := fmt.Sprintf("__PLACEHOLDER_%d__", len(p.byName))
	p.byName[name] = node
	return name
}

// substitute swaps placeholders for the nodes they stand for. A placeholder
// sits where an expression is expected, so only expressions can replace it.
func (p *placeholders) substitute(node dst.Node) (dst.Node, error) {
	if len(p.byName) == 0 {
		return node, nil
	}
	var err error
	out := dstutil.Apply(node, func(c *dstutil.Cursor) bool {
		if err != nil {
			return false
		}
		sel, ok := c.Node().(*dst.SelectorExpr)
		if !ok {
			return true
		}
		repl, ok := p.byName[sel.Sel.Name]
		if !ok {
			return true
		}
		if x, ok := sel.X.(*dst.Ident); !ok || x.Name != "_" {
			return true
		}
		expr, ok := repl.(dst.Expr)
		if !ok || isNilNode(repl) {
			err = fmt.Errorf("cannot use a %T where an expression is expected", repl)
			return false
		}
		c.Replace(expr)
		return false
	}, nil)
	return out, err
}

func isNilNode(n dst.Node) bool {
	if n == nil {
		return true
	}
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}
