package injector

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"

	"github.com/dave/dst"
	"github.com/dave/dst/decorator"
	"github.com/dave/dst/dstutil"

	"github.com/orchestrion-ts/go-helpers/api"
	"github.com/orchestrion-ts/go-helpers/injector/advice"
	"github.com/orchestrion-ts/go-helpers/injector/code"
	"github.com/orchestrion-ts/go-helpers/injector/join"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
	"github.com/orchestrion-ts/go-helpers/injector/typed"
)

// Validate decodes every aspect of the request (join points, advice, and the
// parsing of every template) without touching any Go source, then checks
// every template against representative nodes of its join point (see
// code.Template.Validate): what would fail weaving on every node is reported.
func Validate(req *api.ValidateRequest) *api.ValidateResponse {
	resp := &api.ValidateResponse{APIVersion: api.APIVersion, Errors: []api.ValidationError{}}
	if req.APIVersion == nil || *req.APIVersion != api.APIVersion {
		resp.Errors = append(resp.Errors, api.ValidationError{AspectIndex: -1, Message: api.VersionMismatch(req.APIVersion)})
		return resp
	}
	for i, raw := range req.Aspects {
		a, err := DecodeAspect(i, raw)
		if err != nil {
			ve := api.ValidationError{AspectIndex: i, Message: err.Error()}
			var ae *AspectError
			if errors.As(err, &ae) {
				ve.Aspect, ve.Path, ve.Message = ae.ID, ae.Path, ae.Msg
			}
			resp.Errors = append(resp.Errors, ve)
			continue
		}
		if use, err := checkTemplates(a); err != nil {
			resp.Errors = append(resp.Errors, api.ValidationError{AspectIndex: i, Aspect: a.ID, Path: use.Path, Message: err.Error()})
		}
	}
	return resp
}

// checkTemplates validates the aspect's templates; the first failure wins.
func checkTemplates(a *Aspect) (advice.TemplateUse, error) {
	for _, adv := range a.Advice {
		templated, ok := adv.(advice.Templated)
		if !ok {
			continue
		}
		_, assigns := adv.(*advice.AssignValue)
		for _, use := range templated.Templates() {
			r := roleOf(a.JoinPoint, use.Kind, assigns)
			probes := make([]*nodectx.Context, 0, len(probeFunctions))
			for _, fn := range probeFunctions {
				if ctx := probeContext(fn, r); ctx != nil {
					probes = append(probes, ctx)
				}
			}
			if err := use.Template.Validate(use.Kind, probes); err != nil {
				return use, err
			}
		}
	}
	return advice.TemplateUse{}, nil
}

// role is the kind of node a template is rendered for when validating.
type role int

const (
	roleBlock     role = iota // a function body
	roleCall                  // a call inside a function
	roleComposite             // a struct literal inside a function
	roleValueSpec             // a package-level variable
	roleTypeSpec              // a struct type declaration
	roleFunction              // a function declaration or literal
)

// roleOf picks the representative node: what the join point matches when it
// says, else what the advice applies to.
func roleOf(jp join.Point, kind code.Kind, assigns bool) role {
	if r, ok := joinRole(jp); ok && kind != code.Statements && !assigns {
		return r
	}
	switch {
	case kind == code.Statements:
		return roleBlock
	case assigns:
		return roleValueSpec
	case kind == code.Expression:
		return roleCall
	}
	return roleFunction
}

func joinRole(jp join.Point) (role, bool) {
	switch p := jp.(type) {
	case *join.FunctionCall, *join.MethodCall:
		return roleCall, true
	case *join.StructLiteral:
		return roleComposite, true
	case *join.StructDefinition:
		return roleTypeSpec, true
	case *join.DeclarationOf, *join.ValueDeclaration:
		return roleValueSpec, true
	case join.AllOf:
		for _, q := range p {
			if r, ok := joinRole(q); ok {
				return r, true
			}
		}
	}
	return 0, false
}

// nodeRole is the role a node of the representative file can play; -1: none.
func nodeRole(n dst.Node) role {
	switch n.(type) {
	case *dst.CallExpr:
		return roleCall
	case *dst.CompositeLit:
		return roleComposite
	case *dst.ValueSpec:
		return roleValueSpec
	case *dst.TypeSpec:
		return roleTypeSpec
	}
	return -1
}

// The representative file. The enclosing function of the nodes is either a
// method with named receiver, parameters and results, or a function literal
// inside it (whose name is empty): a template must render valid code for at
// least one of them.
const probeSource = `package probe

import (
	"context"
	"net/http"
)

type Probe struct {
	Field int
}

var Value int = 1

func (p *Probe) Handle(ctx context.Context, w http.ResponseWriter, r *http.Request, n int) (res int, err error) {
	v := client.Do(ctx, r, n)
	lit := Probe{Field: v}
	_ = lit
	fn := func(ctx context.Context, w http.ResponseWriter, r *http.Request, n int) (res int, err error) {
		v := client.Do(ctx, r, n)
		lit := Probe{Field: v}
		_ = lit
		return v, nil
	}
	_ = fn
	return v, nil
}
`

// probeFunctions select the enclosing function: the method, or the literal.
var probeFunctions = []func(*dst.FuncDecl) dst.Node{
	func(d *dst.FuncDecl) dst.Node { return d },
	func(d *dst.FuncDecl) dst.Node {
		var lit dst.Node
		dst.Inspect(d.Body, func(n dst.Node) bool {
			if fl, ok := n.(*dst.FuncLit); ok && lit == nil {
				lit = fl
			}
			return lit == nil
		})
		return lit
	},
}

// probeContext parses a fresh copy of the representative file (templates
// may edit the nodes they see) and returns the context of the node of the
// role, inside the function chosen by fn; nil if there is none.
func probeContext(fn func(*dst.FuncDecl) dst.Node, r role) *nodectx.Context {
	fset := token.NewFileSet()
	af, err := parser.ParseFile(fset, "probe.go", probeSource, parser.ParseComments)
	if err != nil {
		panic(err) // the source is a constant
	}
	dec := decorator.NewDecorator(fset)
	file, err := dec.DecorateFile(af)
	if err != nil {
		panic(err)
	}
	var method *dst.FuncDecl
	for _, d := range file.Decls {
		if fd, ok := d.(*dst.FuncDecl); ok {
			method = fd
		}
	}
	scope := fn(method)
	var target dst.Node
	switch r {
	case roleValueSpec, roleTypeSpec:
		if scope != dst.Node(method) {
			return nil // package-level: one representative is enough
		}
		for _, d := range file.Decls {
			if gd, ok := d.(*dst.GenDecl); ok {
				for _, spec := range gd.Specs {
					if nodeRole(spec) == r {
						target = spec
					}
				}
			}
		}
	case roleFunction:
		target = scope
	case roleBlock:
		switch s := scope.(type) {
		case *dst.FuncDecl:
			target = s.Body
		case *dst.FuncLit:
			target = s.Body
		}
	default:
		// The first call or struct literal of the function's own body.
		dst.Inspect(scope, func(n dst.Node) bool {
			if target != nil {
				return false
			}
			if _, isLit := n.(*dst.FuncLit); isLit && n != scope {
				return false
			}
			if nodeRole(n) == r {
				target = n
			}
			return target == nil
		})
	}
	if target == nil {
		return nil
	}

	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}, Scopes: map[ast.Node]*types.Scope{}}
	shared := &nodectx.File{
		File:       file,
		ImportPath: "example.com/probe",
		Types:      info,
		Package:    types.NewPackage("example.com/probe", "probe"),
		NodeMap:    dec.Ast.Nodes,
		Refs:       typed.NewReferenceMap(dec.Ast.Nodes, info.Scopes),
		Parse:      func(src []byte) (*dst.File, error) { return dec.Parse(src) },
		Version:    api.DefaultOrchestrionVersion,
		RootConfig: api.DefaultRootConfig(),
	}
	var found *nodectx.Context
	var chain *nodectx.Chain
	dstutil.Apply(file, func(c *dstutil.Cursor) bool {
		if found != nil || c.Node() == nil {
			return false
		}
		chain = chain.Push(c.Node(), c.Name(), c.Index())
		if c.Node() == target {
			found = nodectx.New(chain, shared, nil)
			return false
		}
		return true
	}, func(*dstutil.Cursor) bool {
		chain = chain.Parent()
		return true
	})
	return found
}
