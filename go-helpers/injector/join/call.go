package join

import (
	"encoding/json"
	"go/types"
	"regexp"

	"github.com/dave/dst"

	"github.com/orchestrion-ts/go-helpers/injector/decode"
	"github.com/orchestrion-ts/go-helpers/injector/may"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
	"github.com/orchestrion-ts/go-helpers/injector/typed"
)

// FunctionCall matches call expressions whose callee resolves to the named
// function: `pkg.F(...)` (dst folds the qualifier into the identifier's Path,
// so aliases and dot-imports look alike) or a bare `F(...)` for an empty path.
// A selector whose operand is an identifier resolved to the path (e.g. a
// package-level variable `pkg.V.F(...)`) also matches, as in Orchestrion.
type FunctionCall struct {
	Path string
	Name string
}

// MethodCallMatch restricts method-call matches by the receiver's pointerness.
type MethodCallMatch int

const (
	MethodCallAny MethodCallMatch = iota
	MethodCallPointerOnly
	MethodCallValueOnly
)

// MethodCall matches `x.Name(...)` calls where the static type of x is the
// named receiver type (or a pointer to it, as match allows).
type MethodCall struct {
	Receiver typed.TypeName
	Name     string
	Match    MethodCallMatch
}

// The callee pattern: an optional qualifier up to the last dot, then an
// identifier (letters, digits, underscores).
var callTargetPattern = regexp.MustCompile(`\A(?:(.+)\.)?([\p{L}_][\p{L}_\p{Nd}]*)\z`)

func init() {
	register("function-call", func(value json.RawMessage, path string) (Point, error) {
		s, err := decode.String(value, path)
		if err != nil {
			return nil, err
		}
		m := callTargetPattern.FindStringSubmatch(s)
		if m == nil {
			return nil, decode.Errorf(path, "invalid function name %q", s)
		}
		return &FunctionCall{Path: m[1], Name: m[2]}, nil
	})

	register("method-call", func(value json.RawMessage, path string) (Point, error) {
		if decode.Kind(value) != "mapping" {
			return nil, decode.Errorf(path, "expected a mapping, got a %s", decode.Kind(value))
		}
		var raw struct {
			Receiver json.RawMessage `json:"receiver"`
			Name     json.RawMessage `json:"name"`
			Match    json.RawMessage `json:"match"`
		}
		if err := json.Unmarshal(value, &raw); err != nil {
			return nil, decode.Errorf(path, "%v", err)
		}
		mc := &MethodCall{}
		if !decode.IsNull(raw.Match) {
			s, err := decode.String(raw.Match, decode.Field(path, "match"))
			if err != nil {
				return nil, err
			}
			switch s {
			case "", "any":
				mc.Match = MethodCallAny
			case "pointer-only":
				mc.Match = MethodCallPointerOnly
			case "value-only":
				mc.Match = MethodCallValueOnly
			default:
				return nil, decode.Errorf(decode.Field(path, "match"), "invalid method-call.match value: %q", s)
			}
		}
		recv, err := optionalString(raw.Receiver, decode.Field(path, "receiver"))
		if err != nil {
			return nil, err
		}
		name, err := optionalString(raw.Name, decode.Field(path, "name"))
		if err != nil {
			return nil, err
		}
		if recv == "" {
			return nil, decode.Errorf(path, "method-call: missing required field 'receiver'")
		}
		if name == "" {
			return nil, decode.Errorf(path, "method-call: missing required field 'name'")
		}
		tn, err := typed.ParseTypeName(recv)
		if err != nil {
			return nil, decode.Errorf(decode.Field(path, "receiver"), "method-call: invalid receiver type %q: %v", recv, err)
		}
		if tn.Pointer {
			return nil, decode.Errorf(decode.Field(path, "receiver"), "method-call: receiver type must not include a pointer sigil (use match: pointer-only instead): %q", recv)
		}
		mc.Receiver, mc.Name = tn, name
		return mc, nil
	})
}

// optionalString decodes a string that may be absent or null ("").
func optionalString(raw json.RawMessage, path string) (string, error) {
	if decode.IsNull(raw) {
		return "", nil
	}
	return decode.String(raw, path)
}

func (f *FunctionCall) Matches(ctx *nodectx.Context) bool {
	call, ok := ctx.Node().(*dst.CallExpr)
	if !ok {
		return false
	}
	switch fun := call.Fun.(type) {
	case *dst.Ident:
		return fun.Name == f.Name && fun.Path == f.Path
	case *dst.SelectorExpr:
		if fun.Sel.Name != f.Name {
			return false
		}
		x, ok := fun.X.(*dst.Ident)
		return ok && x.Path == f.Path
	}
	return false
}

func (f *FunctionCall) PackageMayMatch(ctx *may.PackageContext) may.MatchType {
	return ctx.PackageImports(f.Path)
}

func (f *FunctionCall) FileMayMatch(ctx *may.FileContext) may.MatchType {
	r := ctx.FileContains(f.Name)
	if r == may.NeverMatch || f.Path == "" || ctx.MayCall(f.Path, f.Name) != may.NeverMatch {
		return r
	}
	return may.NeverMatch
}

// ImpliesImported is the callee's path, even when empty (as in Orchestrion).
func (f *FunctionCall) ImpliesImported() []string { return []string{f.Path} }

func (m *MethodCall) Matches(ctx *nodectx.Context) bool {
	call, ok := ctx.Node().(*dst.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*dst.SelectorExpr)
	if !ok || sel.Sel.Name != m.Name {
		return false
	}
	t := ctx.ResolveType(sel.X)
	if m.receiverMatches(t) {
		return true
	}
	return ctx.TypeCheckFailed(func() string { return m.receiverMismatch(t) })
}

func (m *MethodCall) receiverMatches(t types.Type) bool {
	if t == nil {
		return false
	}
	switch m.Match {
	case MethodCallPointerOnly:
		ptr, ok := t.(*types.Pointer)
		return ok && m.isReceiver(ptr.Elem())
	case MethodCallValueOnly:
		return m.isReceiver(t)
	default:
		if ptr, ok := t.(*types.Pointer); ok {
			t = ptr.Elem()
		}
		return m.isReceiver(t)
	}
}

// isReceiver: t is the named receiver type itself. An alias (*types.Alias)
// is not looked through, as in Orchestrion; an instance of a generic type has
// its origin's name.
func (m *MethodCall) isReceiver(t types.Type) bool {
	named, ok := t.(*types.Named)
	if !ok {
		return false
	}
	obj := named.Obj()
	return obj.Pkg() != nil && obj.Pkg().Path() == m.Receiver.ImportPath && obj.Name() == m.Receiver.Name
}

func (m *MethodCall) PackageMayMatch(ctx *may.PackageContext) may.MatchType {
	return ctx.PackageImports(m.Receiver.ImportPath)
}

func (m *MethodCall) FileMayMatch(ctx *may.FileContext) may.MatchType {
	r := ctx.FileContains(m.Name)
	if r == may.NeverMatch || ctx.MayCall("", m.Name) != may.NeverMatch {
		return r
	}
	return may.NeverMatch
}

func (m *MethodCall) ImpliesImported() []string {
	if m.Receiver.ImportPath == "" {
		return nil
	}
	return []string{m.Receiver.ImportPath}
}
