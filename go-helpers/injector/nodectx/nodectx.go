// Package nodectx provides the context in which join points are evaluated and
// advice is applied: the node being visited, its ancestry, and the per-file
// state (type information, synthetic references, language level).
package nodectx

import (
	"go/ast"
	"go/types"
	"go/version"

	"github.com/dave/dst"
	"github.com/dave/dst/dstutil"

	"github.com/orchestrion-ts/go-helpers/injector/typed"
)

// Chain is the ancestry of a node: each link knows its node, the name of the
// parent's field holding it (e.g. "Rhs", "Body") and its index in that field
// (-1 when not in a slice).
type Chain struct {
	parent *Chain
	node   dst.Node
	name   string
	index  int
}

// Push returns a new link below c.
func (c *Chain) Push(node dst.Node, name string, index int) *Chain {
	return &Chain{parent: c, node: node, name: name, index: index}
}

func (c *Chain) Parent() *Chain        { return c.parent }
func (c *Chain) Node() dst.Node        { return c.node }
func (c *Chain) PropertyName() string  { return c.name }
func (c *Chain) Index() int            { return c.index }
func (c *Chain) setNode(node dst.Node) { c.node = node }

// File holds the state shared by every context of one file.
type File struct {
	File       *dst.File
	ImportPath string
	TestMain   bool
	Types      *types.Info
	Package    *types.Package
	NodeMap    map[dst.Node]ast.Node
	Refs       *typed.ReferenceMap
	// Parse parses generated source with the file's decorator.
	Parse func(src []byte) (*dst.File, error)
	// Version is the value of the `Version` template function.
	Version string
	// RootModulePath is the main module's path (for `package-filter`).
	RootModulePath string
	// RootConfig is the configuration map of the root node (for the
	// `configuration` join point).
	RootConfig map[string]string

	// MinLang is the highest language level required by applied advice.
	MinLang string
	// Aspect is the ID of the aspect whose advice is being applied.
	Aspect string
	// Injections counts the inject-declarations applied to the file (a
	// guard against join points matching the injected code forever).
	Injections int
	// Origins maps the root nodes of generated code to the ID of the aspect
	// whose template produced them.
	Origins map[dst.Node]string
	// Generated lists the aspect of each `//line <generated>` directive of
	// the printed file, in order.
	Generated []string

	// AssumeTypes is set by explain while it evaluates a join point a second
	// time with every type-dependent check assumed to hold; TypeFailures
	// then collects what those checks would have rejected.
	AssumeTypes  bool
	TypeFailures []string
}

// Context is a node in its file.
type Context struct {
	link   *Chain
	file   *File
	cursor *dstutil.Cursor
	// parentView: made by Parent(), which (as in Orchestrion) does not carry
	// the TestMain flag.
	parentView bool
}

// New makes a context for the chain's node; cursor may be nil.
func New(chain *Chain, file *File, cursor *dstutil.Cursor) *Context {
	return &Context{link: chain, file: file, cursor: cursor}
}

// Chain returns the ancestry of this context's node.
func (c *Context) Chain() *Chain { return c.link }

// Node is the node this context represents.
func (c *Context) Node() dst.Node { return c.link.node }

// Parent returns the parent node's context (no cursor), or nil at the root.
func (c *Context) Parent() *Context {
	if c.link.parent == nil {
		return nil
	}
	return &Context{link: c.link.parent, file: c.file, parentView: true}
}

// Child returns a context for a child node not reached by the traversal.
func (c *Context) Child(node dst.Node, property string, index int) *Context {
	return &Context{link: c.link.Push(node, property, index), file: c.file, parentView: c.parentView}
}

func (c *Context) File() *dst.File              { return c.file.File }
func (c *Context) ImportPath() string           { return c.file.ImportPath }
func (c *Context) TestMain() bool               { return c.file.TestMain && !c.parentView }
func (c *Context) Package() string              { return c.file.File.Name.Name }
func (c *Context) Version() string              { return c.file.Version }
func (c *Context) Shared() *File                { return c.file }
func (c *Context) TypesPackage() *types.Package { return c.file.Package }

// RootModulePath is the main module's path ("" when unknown).
func (c *Context) RootModulePath() string { return c.file.RootModulePath }

// Config looks a key up in the configuration maps of the node's ancestry;
// only the root (the file) carries one.
func (c *Context) Config(key string) (string, bool) {
	v, ok := c.file.RootConfig[key]
	return v, ok
}

// ReplaceNode substitutes the current node (requires a cursor).
func (c *Context) ReplaceNode(n dst.Node) {
	if c.cursor == nil {
		panic("nodectx: ReplaceNode without a cursor")
	}
	c.cursor.Replace(n)
	c.link.setNode(n)
}

// ParseSource parses generated Go source with the file's decorator.
func (c *Context) ParseSource(src []byte) (*dst.File, error) { return c.file.Parse(src) }

// AddImport records a synthetic import of path, used as localName in a template.
func (c *Context) AddImport(path, localName string) bool {
	var nodes []dst.Node
	for l := c.link; l != nil; l = l.parent {
		nodes = append(nodes, l.node)
	}
	return c.file.Refs.AddImport(c.file.File, nodes, path, localName, c.file.Aspect)
}

// AddLink records a link-time reference to path.
func (c *Context) AddLink(path string) bool {
	return c.file.Refs.AddLink(c.file.File, path, c.file.Aspect)
}

// MarkGenerated records that n is generated code of the current aspect.
func (c *Context) MarkGenerated(n dst.Node) {
	if c.file.Origins == nil {
		c.file.Origins = map[dst.Node]string{}
	}
	c.file.Origins[n] = c.file.Aspect
}

// EnsureMinGoLang raises the required language level to at least lang.
func (c *Context) EnsureMinGoLang(lang string) {
	if lang == "" {
		return
	}
	// Levels compare as language versions: go1.21 and go1.21.3 are equal,
	// and the first one seen is kept.
	if c.file.MinLang == "" || version.Compare(version.Lang(lang), version.Lang(c.file.MinLang)) > 0 {
		c.file.MinLang = lang
	}
}

// TypeCheckFailed is what a join point answers when a check that needs
// go/types rejects the node: false, except in explain's relaxed evaluation,
// which notes why and assumes the check holds (so that a node of the right
// shape rejected by types can be told apart from no node of that shape).
func (c *Context) TypeCheckFailed(why func() string) bool {
	if !c.file.AssumeTypes {
		return false
	}
	c.file.TypeFailures = append(c.file.TypeFailures, why())
	return true
}

// ResolveType returns the go/types type of an original expression, or nil.
func (c *Context) ResolveType(expr dst.Expr) types.Type {
	info := c.file.Types
	if info == nil || expr == nil {
		// A nil interface key must not reach NodeMap: on Go 1.26+ js/wasm
		// that crashes once the map is large (see docs/wasm-bugs/).
		return nil
	}
	an, ok := c.file.NodeMap[expr]
	if !ok {
		return nil
	}
	e, ok := an.(ast.Expr)
	if !ok {
		return nil
	}
	return resolveAstType(info, e)
}

func resolveAstType(info *types.Info, e ast.Expr) types.Type {
	if tv, ok := info.Types[e]; ok && tv.Type != nil {
		return tv.Type
	}
	switch e := e.(type) {
	case *ast.Ident:
		if obj := info.Uses[e]; obj != nil {
			return obj.Type()
		}
	case *ast.SelectorExpr:
		if obj := info.Uses[e.Sel]; obj != nil {
			return obj.Type()
		}
	case *ast.StarExpr:
		if t := resolveAstType(info, e.X); t != nil {
			return types.NewPointer(t)
		}
	case *ast.ParenExpr:
		return resolveAstType(info, e.X)
	}
	return nil
}
