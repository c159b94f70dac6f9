package join

import (
	"encoding/json"
	"go/token"

	"github.com/dave/dst"

	"github.com/orchestrion-ts/go-helpers/injector/decode"
	"github.com/orchestrion-ts/go-helpers/injector/may"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
	"github.com/orchestrion-ts/go-helpers/injector/typed"
)

// StructDefinition matches the type spec defining the named struct type in
// its own package (`type T struct{...}` or the alias form `type T = struct{...}`).
type StructDefinition struct {
	Type typed.TypeName
}

// StructLiteralMatch selects which forms of a struct literal match.
type StructLiteralMatch int

const (
	StructLiteralAny StructLiteralMatch = iota
	StructLiteralValueOnly
	StructLiteralPointerOnly
)

func (m StructLiteralMatch) String() string {
	switch m {
	case StructLiteralValueOnly:
		return "value-only"
	case StructLiteralPointerOnly:
		return "pointer-only"
	}
	return "any"
}

// StructLiteral matches composite literals whose written type matches Type:
//   - with Field: the `Field: value` element of such a literal;
//   - any: the literal itself (also when under `&`);
//   - value-only: the literal unless its parent is `&`;
//   - pointer-only: the `&T{...}` expression.
type StructLiteral struct {
	Type  typed.TypeName
	Field string
	Match StructLiteralMatch
}

func init() {
	register("struct-definition", func(value json.RawMessage, path string) (Point, error) {
		s, err := decode.String(value, path)
		if err != nil {
			return nil, err
		}
		tn, err := typed.ParseTypeName(s)
		if err != nil {
			return nil, decode.At(path, err)
		}
		if tn.Pointer {
			return nil, decode.Errorf(path, "struct-definition type must not be a pointer (got %q)", s)
		}
		return &StructDefinition{Type: tn}, nil
	})

	register("struct-literal", func(value json.RawMessage, path string) (Point, error) {
		if decode.Kind(value) != "mapping" {
			return nil, decode.Errorf(path, "expected a mapping, got a %s", decode.Kind(value))
		}
		var raw struct {
			Type  json.RawMessage `json:"type"`
			Field json.RawMessage `json:"field"`
			Match json.RawMessage `json:"match"`
		}
		if err := json.Unmarshal(value, &raw); err != nil {
			return nil, decode.Errorf(path, "%v", err)
		}
		lit := &StructLiteral{}
		typeName, err := optionalString(raw.Type, decode.Field(path, "type"))
		if err != nil {
			return nil, err
		}
		if lit.Field, err = optionalString(raw.Field, decode.Field(path, "field")); err != nil {
			return nil, err
		}
		if !decode.IsNull(raw.Match) {
			s, err := decode.String(raw.Match, decode.Field(path, "match"))
			if err != nil {
				return nil, err
			}
			switch s {
			case "any":
				lit.Match = StructLiteralAny
			case "value-only":
				lit.Match = StructLiteralValueOnly
			case "pointer-only":
				lit.Match = StructLiteralPointerOnly
			default:
				return nil, decode.Errorf(decode.Field(path, "match"), "invalid struct-literal.match value: %q", s)
			}
		}
		if lit.Type, err = typed.ParseTypeName(typeName); err != nil {
			return nil, decode.At(decode.Field(path, "type"), err)
		}
		if lit.Field != "" && lit.Match != StructLiteralAny {
			return nil, decode.Errorf(path, "struct-literal.field is not allowed with struct-literal.match: %s", lit.Match)
		}
		return lit, nil
	})
}

func (s *StructDefinition) Matches(ctx *nodectx.Context) bool {
	if s.Type.Pointer {
		return false
	}
	spec, ok := ctx.Node().(*dst.TypeSpec)
	if !ok || spec.Name == nil || spec.Name.Name != s.Type.Name {
		return false
	}
	if _, isStruct := spec.Type.(*dst.StructType); !isStruct {
		return false
	}
	return ctx.ImportPath() == s.Type.ImportPath
}

func (s *StructDefinition) PackageMayMatch(ctx *may.PackageContext) may.MatchType {
	if ctx.ImportPath == s.Type.ImportPath {
		return may.Match
	}
	return may.NeverMatch
}

func (s *StructDefinition) FileMayMatch(ctx *may.FileContext) may.MatchType {
	return ctx.FileContains("struct").And(ctx.DeclaresStruct(s.Type.Name))
}

func (s *StructDefinition) ImpliesImported() []string {
	if s.Type.ImportPath == "" {
		return nil
	}
	return []string{s.Type.ImportPath}
}

// isLiteral: node is a composite literal whose written type matches.
func (s *StructLiteral) isLiteral(node dst.Node) bool {
	lit, ok := node.(*dst.CompositeLit)
	return ok && s.Type.Matches(lit.Type)
}

func isAddressOf(node dst.Node) (*dst.UnaryExpr, bool) {
	u, ok := node.(*dst.UnaryExpr)
	return u, ok && u.Op == token.AND
}

func (s *StructLiteral) Matches(ctx *nodectx.Context) bool {
	if s.Field != "" {
		kv, ok := ctx.Node().(*dst.KeyValueExpr)
		if !ok {
			return false
		}
		parent := ctx.Chain().Parent()
		if parent == nil || !s.isLiteral(parent.Node()) {
			return false
		}
		key, ok := kv.Key.(*dst.Ident)
		return ok && key.Name == s.Field
	}
	switch s.Match {
	case StructLiteralPointerOnly:
		u, ok := isAddressOf(ctx.Node())
		return ok && s.isLiteral(u.X)
	case StructLiteralValueOnly:
		if parent := ctx.Chain().Parent(); parent != nil {
			if _, ok := isAddressOf(parent.Node()); ok {
				return false
			}
		}
	}
	return s.isLiteral(ctx.Node())
}

func (s *StructLiteral) PackageMayMatch(ctx *may.PackageContext) may.MatchType {
	return ctx.PackageImports(s.Type.ImportPath)
}

func (s *StructLiteral) FileMayMatch(ctx *may.FileContext) may.MatchType {
	return ctx.MayCompositeLit(s.Type.ImportPath, s.Type.Name)
}

func (s *StructLiteral) ImpliesImported() []string {
	if s.Type.ImportPath == "" {
		return nil
	}
	return []string{s.Type.ImportPath}
}
