package typed

import (
	"errors"
	"fmt"
	"go/types"
	"strings"

	"github.com/dave/dst"
)

// SplitPackageAndName splits "path/to/pkg.Name" at the last '.' before any
// '['; a name without '.' has an empty path.
func SplitPackageAndName(name string) (string, string) {
	head := name
	if i := strings.IndexByte(head, '['); i >= 0 {
		head = head[:i]
	}
	dot := strings.LastIndexByte(head, '.')
	if dot < 0 {
		return "", name
	}
	return name[:dot], name[dot+1:]
}

// ErrNotDependency: the interface's package is not among the packages the
// type checker loaded, so it cannot be resolved here (Orchestrion loads it
// from the toolchain instead).
var ErrNotDependency = errors.New("is not a dependency of the package being compiled")

// ResolveInterface finds the named interface type. Unqualified names are
// looked up in the universe (error, any, comparable); qualified ones among the
// packages visible to the type checker of the current package (the package
// itself and everything it imports, transitively).
func ResolveInterface(name string, current *types.Package) (*types.Interface, error) {
	path, ident := SplitPackageAndName(name)
	var obj types.Object
	if path == "" {
		obj = types.Universe.Lookup(ident)
	} else {
		pkg := findPackage(current, path, map[*types.Package]bool{})
		if pkg == nil {
			return nil, fmt.Errorf("package %q %w", path, ErrNotDependency)
		}
		obj = pkg.Scope().Lookup(ident)
	}
	if obj == nil {
		return nil, fmt.Errorf("type %q not found", name)
	}
	tn, ok := obj.(*types.TypeName)
	if !ok {
		return nil, fmt.Errorf("%q is not a type", name)
	}
	iface, ok := tn.Type().Underlying().(*types.Interface)
	if !ok {
		return nil, fmt.Errorf("%q is not an interface type", name)
	}
	return iface, nil
}

func findPackage(pkg *types.Package, path string, seen map[*types.Package]bool) *types.Package {
	if pkg == nil || seen[pkg] {
		return nil
	}
	seen[pkg] = true
	if pkg.Path() == path {
		return pkg
	}
	for _, imp := range pkg.Imports() {
		if found := findPackage(imp, path, seen); found != nil {
			return found
		}
	}
	return nil
}

// TypeResolver gives the go/types type of an original expression.
type TypeResolver interface {
	ResolveType(dst.Expr) types.Type
}

// ExprImplements reports whether the type of expr implements iface, falling
// back to a by-name method check (package identities can differ between
// importers).
func ExprImplements(r TypeResolver, expr dst.Expr, iface *types.Interface) bool {
	t := r.ResolveType(expr)
	if t == nil {
		return false
	}
	if types.Implements(t, iface) {
		return true
	}
	if iface.NumMethods() == 0 {
		return false
	}
	for i := 0; i < iface.NumMethods(); i++ {
		m := iface.Method(i)
		obj, _, _ := types.LookupFieldOrMethod(t, false, m.Pkg(), m.Name())
		if _, isFunc := obj.(*types.Func); !isFunc {
			return false
		}
	}
	return true
}
