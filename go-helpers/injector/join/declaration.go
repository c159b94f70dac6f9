package join

import (
	"encoding/json"
	"regexp"

	"github.com/dave/dst"

	"github.com/orchestrion-ts/go-helpers/injector/decode"
	"github.com/orchestrion-ts/go-helpers/injector/may"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
	"github.com/orchestrion-ts/go-helpers/injector/typed"
)

// DeclarationOf matches, in the package Path, any function declaration
// (methods included) named Name, and any value spec of a var/const
// declaration (package level or local) declaring Name. Type specs never match.
type DeclarationOf struct {
	Path string
	Name string
}

// ValueDeclaration matches value specs of var/const declarations whose type is
// either absent or matches the type name.
type ValueDeclaration struct {
	Type typed.TypeName
}

// The symbol pattern: a mandatory qualifier up to the last dot, then an
// identifier.
var symbolPattern = regexp.MustCompile(`\A(.+)\.([\p{L}_][\p{L}_\p{Nd}]*)\z`)

func init() {
	register("declaration-of", func(value json.RawMessage, path string) (Point, error) {
		s, err := decode.String(value, path)
		if err != nil {
			return nil, err
		}
		m := symbolPattern.FindStringSubmatch(s)
		if m == nil {
			return nil, decode.Errorf(path, "invalid symbol name %q", s)
		}
		return &DeclarationOf{Path: m[1], Name: m[2]}, nil
	})
	register("value-declaration", func(value json.RawMessage, path string) (Point, error) {
		s, err := decode.String(value, path)
		if err != nil {
			return nil, err
		}
		tn, err := typed.ParseTypeName(s)
		if err != nil {
			return nil, decode.At(path, err)
		}
		return &ValueDeclaration{Type: tn}, nil
	})
}

// inGenDecl: the node's direct parent is a GenDecl.
func inGenDecl(ctx *nodectx.Context) bool {
	parent := ctx.Chain().Parent()
	if parent == nil {
		return false
	}
	_, ok := parent.Node().(*dst.GenDecl)
	return ok
}

func (d *DeclarationOf) Matches(ctx *nodectx.Context) bool {
	if ctx.ImportPath() != d.Path {
		return false
	}
	switch n := ctx.Node().(type) {
	case *dst.FuncDecl:
		return n.Name != nil && n.Name.Name == d.Name
	case *dst.ValueSpec:
		if !inGenDecl(ctx) {
			return false
		}
		for _, id := range n.Names {
			if id.Name == d.Name {
				return true
			}
		}
	}
	return false
}

func (d *DeclarationOf) PackageMayMatch(ctx *may.PackageContext) may.MatchType {
	return ctx.PackageImports(d.Path)
}

func (d *DeclarationOf) FileMayMatch(ctx *may.FileContext) may.MatchType {
	return ctx.FileContains(d.Name)
}

func (d *DeclarationOf) ImpliesImported() []string { return []string{d.Path} }

func (v *ValueDeclaration) Matches(ctx *nodectx.Context) bool {
	spec, ok := ctx.Node().(*dst.ValueSpec)
	if !ok || !inGenDecl(ctx) {
		return false
	}
	return spec.Type == nil || v.Type.Matches(spec.Type)
}

func (v *ValueDeclaration) PackageMayMatch(ctx *may.PackageContext) may.MatchType {
	return ctx.PackageImports(v.Type.ImportPath)
}

func (*ValueDeclaration) FileMayMatch(*may.FileContext) may.MatchType { return may.Unknown }

func (v *ValueDeclaration) ImpliesImported() []string {
	if v.Type.ImportPath == "" {
		return nil
	}
	return []string{v.Type.ImportPath}
}
