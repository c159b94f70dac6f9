package code

import (
	"errors"
	"fmt"
	"go/types"

	"github.com/dave/dst"

	"github.com/orchestrion-ts/go-helpers/injector/typed"
)

var (
	errNoFunction = errors.New("no function is present in this node chain")
	errNotMethod  = errors.New("the function in this context is not a method")
)

// function is `.Function`: the closest enclosing function declaration or
// literal (starting with the current node), or none.
type function struct {
	d    *dot
	decl *dst.FuncDecl // nil for literals
	typ  *dst.FuncType // nil when there is no function
}

// Function implements `.Function`.
func (d *dot) Function() *function {
	for link := d.ctx.Chain(); link != nil; link = link.Parent() {
		switch n := link.Node().(type) {
		case *dst.FuncDecl:
			return &function{d: d, decl: n, typ: n.Type}
		case *dst.FuncLit:
			return &function{d: d, typ: n.Type}
		}
	}
	return &function{d: d}
}

// Name is the declared name, "" for a function literal.
func (f *function) Name() (string, error) {
	if f.typ == nil {
		return "", errNoFunction
	}
	if f.decl == nil {
		return "", nil
	}
	return f.decl.Name.Name, nil
}

// Receiver is the name of a method's receiver (named if necessary).
func (f *function) Receiver() (string, error) {
	if f.typ == nil {
		return "", errNoFunction
	}
	if f.decl == nil || f.decl.Recv == nil {
		return "", errNotMethod
	}
	return nameAt(f.decl.Recv, 0, "receiver")
}

// Argument is the name of the index-th parameter (named if necessary).
func (f *function) Argument(index int) (string, error) {
	if f.typ == nil {
		return "", errNoFunction
	}
	return nameAt(f.typ.Params, index, "argument")
}

// Result is the name of the index-th result (named if necessary).
func (f *function) Result(index int) (string, error) {
	if f.typ == nil {
		return "", errNoFunction
	}
	return nameAt(f.typ.Results, index, "result")
}

// Returns is an alias of Result.
func (f *function) Returns(index int) (string, error) { return f.Result(index) }

// ArgumentOfType is the name of the first parameter whose type matches.
func (f *function) ArgumentOfType(typeName string) (string, error) {
	return f.orProbe(f.argumentOfType(typeName))
}

func (f *function) argumentOfType(typeName string) (string, error) {
	if f.typ == nil {
		return "", nil
	}
	return nameOfType(f.typ.Params, typeName, "argument")
}

// ResultOfType is the name of the first result whose type matches.
func (f *function) ResultOfType(typeName string) (string, error) {
	return f.orProbe(f.resultOfType(typeName))
}

func (f *function) resultOfType(typeName string) (string, error) {
	if f.typ == nil {
		return "", nil
	}
	return nameOfType(f.typ.Results, typeName, "result")
}

// ArgumentThatImplements: the first parameter of that exact type, else the
// first whose type implements the interface.
func (f *function) ArgumentThatImplements(iface string) (string, error) {
	return f.orProbe(f.argumentThatImplements(iface))
}

func (f *function) argumentThatImplements(iface string) (string, error) {
	if f.typ == nil {
		return "", nil
	}
	return f.implementing(f.typ.Params, iface, "argument")
}

// ResultThatImplements: as ArgumentThatImplements, for results.
func (f *function) ResultThatImplements(iface string) (string, error) {
	return f.orProbe(f.resultThatImplements(iface))
}

func (f *function) resultThatImplements(iface string) (string, error) {
	if f.typ == nil {
		return "", nil
	}
	return f.implementing(f.typ.Results, iface, "result")
}

// LastResultThatImplements: the last result of that exact type, else the
// last one implementing the interface.
func (f *function) LastResultThatImplements(iface string) (string, error) {
	return f.orProbe(f.lastResultThatImplements(iface))
}

func (f *function) lastResultThatImplements(iface string) (string, error) {
	if f.typ == nil || f.typ.Results == nil {
		return "", nil
	}
	results := f.typ.Results
	starts := fieldStarts(results)
	if tn, err := typed.ParseTypeName(iface); err == nil {
		for i := len(results.List) - 1; i >= 0; i-- {
			if tn.Matches(results.List[i].Type) {
				return nameAt(results, starts[i], "result")
			}
		}
	}
	it, err := f.resolve(iface)
	if it == nil {
		return "", err
	}
	for i := len(results.List) - 1; i >= 0; i-- {
		if typed.ExprImplements(f.d.ctx, results.List[i].Type, it) {
			return nameAt(results, starts[i], "result")
		}
	}
	return "", nil
}

// FinalResultImplements tells whether the last result matches or implements.
func (f *function) FinalResultImplements(iface string) (bool, error) {
	if f.typ == nil || f.typ.Results == nil || len(f.typ.Results.List) == 0 {
		return false, nil
	}
	last := f.typ.Results.List[len(f.typ.Results.List)-1]
	if tn, err := typed.ParseTypeName(iface); err == nil && tn.Matches(last.Type) {
		return true, nil
	}
	it, err := f.resolve(iface)
	if it == nil {
		return false, err
	}
	return typed.ExprImplements(f.d.ctx, last.Type, it), nil
}

func (f *function) implementing(fields *dst.FieldList, iface, use string) (string, error) {
	if fields == nil {
		return "", nil
	}
	if tn, err := typed.ParseTypeName(iface); err == nil {
		if idx, ok := tn.FieldIndex(fields); ok {
			return nameAt(fields, idx, use)
		}
	}
	it, err := f.resolve(iface)
	if it == nil {
		return "", err
	}
	starts := fieldStarts(fields)
	for i, field := range fields.List {
		if typed.ExprImplements(f.d.ctx, field.Type, it) {
			return nameAt(fields, starts[i], use)
		}
	}
	return "", nil
}

// orProbe stands for a name a lookup by type did not find when the template
// is rendered for validation: the representative function cannot have a
// parameter of every type, and a real node may.
func (f *function) orProbe(name string, err error) (string, error) {
	if name == "" && err == nil && f.d.probe {
		return "__probe__", nil
	}
	return name, err
}

func fieldStarts(fields *dst.FieldList) []int {
	out := make([]int, len(fields.List))
	idx := 0
	for i, f := range fields.List {
		out[i] = idx
		idx += typed.FieldWidth(f)
	}
	return out
}

func nameOfType(fields *dst.FieldList, typeName, use string) (string, error) {
	tn, err := typed.ParseTypeName(typeName)
	if err != nil {
		return "", err
	}
	idx, ok := tn.FieldIndex(fields)
	if !ok {
		return "", nil
	}
	return nameAt(fields, idx, use)
}

// nameAt returns the name of the index-th item of a field list, counting
// names. So that templates can refer to it, it edits the signature: in an
// unnamed list every item is named "_", and the requested item, if blank, is
// renamed "__<use>__<index>".
func nameAt(fields *dst.FieldList, index int, use string) (string, error) {
	if fields == nil {
		return "", fmt.Errorf("index out of bounds: %d (empty set)", index)
	}
	for _, f := range fields.List {
		if len(f.Names) == 0 {
			f.Names = []*dst.Ident{dst.NewIdent("_")}
		}
	}
	idx := 0
	for _, f := range fields.List {
		for _, id := range f.Names {
			if idx == index {
				if id.Name == "_" {
					id.Name = fmt.Sprintf("__%s__%d", use, index)
				}
				return id.Name, nil
			}
			idx++
		}
	}
	return "", fmt.Errorf("index out of bounds: %d (only %d items)", index, idx)
}

// resolve finds the interface for the *Implements helpers. An interface from
// a package this compile does not load cannot be resolved here; it is taken
// as implemented by nothing rather than failing the template (Orchestrion
// would load it from the toolchain). nil without an error means "none".
func (f *function) resolve(iface string) (*types.Interface, error) {
	it, err := typed.ResolveInterface(iface, f.d.ctx.TypesPackage())
	if errors.Is(err, typed.ErrNotDependency) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("resolving interface type %q: %w", iface, err)
	}
	return it, nil
}
