package code

import (
	"fmt"

	"github.com/dave/dst"
	"github.com/dave/dst/dstutil"

	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
)

// dot is the `.` value of a template.
type dot struct {
	ctx *nodectx.Context

	// placeholders stand for syntax nodes in the rendered text; they are
	// `_.__PLACEHOLDER_<n>__` selectors, swapped for the nodes after parsing.
	byName map[string]dst.Node
	byNode map[dst.Node]string
}

// String renders `{{ . }}`: the current node itself (moved, not copied).
func (d *dot) String() string {
	return d.placeholder(d.ctx.Node(), true)
}

func (d *dot) placeholder(node dst.Node, move bool) string {
	if move {
		if name, ok := d.byNode[node]; ok {
			return "_." + name
		}
	}
	name := fmt.Sprintf("__PLACEHOLDER_%d__", len(d.byName))
	if d.byName == nil {
		d.byName = map[string]dst.Node{}
		d.byNode = map[dst.Node]string{}
	}
	if move {
		d.byName[name] = node
		d.byNode[node] = name
	} else {
		d.byName[name] = dst.Clone(node)
	}
	return "_." + name
}

// substitute swaps placeholders for the nodes they stand for.
func (d *dot) substitute(node dst.Node) dst.Node {
	if len(d.byName) == 0 {
		return node
	}
	return dstutil.Apply(node, func(c *dstutil.Cursor) bool {
		sel, ok := c.Node().(*dst.SelectorExpr)
		if !ok {
			return true
		}
		repl, ok := d.byName[sel.Sel.Name]
		if !ok {
			return true
		}
		if x, ok := sel.X.(*dst.Ident); !ok || x.Name != "_" {
			return true
		}
		c.Replace(repl)
		return false
	}, nil)
}
