package injector

import (
	"bytes"
	"go/ast"
	"go/types"
	"sync/atomic"

	"github.com/dave/dst/decorator/resolver/gotypes"

	"github.com/orchestrion-ts/go-helpers/injector/join"
)

// checkAllBodies turns the function-body shortcut off (tests compare both);
// bodiesSkipped counts the packages checked without their function bodies.
var (
	checkAllBodies = false
	bodiesSkipped  atomic.Int64
)

// bodiesMatter tells whether weaving these files may look at go/types'
// information inside function bodies: a join point that resolves identifiers
// there (join.NeedsBodies), a template that imports a package (the alias it
// takes must not be shadowed where the code goes) or asks what implements an
// interface, or a dot import (an unqualified name in a body might be the
// imported package's). Otherwise the package is checked without its function
// bodies, most of the work on runtime or net/http, and nothing the weave
// reads changes: declarations, signatures and the files' imports are checked.
func bodiesMatter(files []*sourceFile) bool {
	if aspectsNeedBodies(files) {
		return true
	}
	for _, f := range files {
		for _, spec := range f.ast.Imports {
			if spec.Name != nil && spec.Name.Name == "." {
				return true
			}
		}
	}
	return false
}

// aspectsNeedBodies is bodiesMatter's part that the aspects decide.
func aspectsNeedBodies(files []*sourceFile) bool {
	for _, f := range files {
		if len(f.aspects) == 0 {
			continue
		}
		for _, a := range f.aspects {
			if join.NeedsBodies(a.JoinPoint) || bytes.Contains(a.rawAdvice, []byte(`"imports"`)) || bytes.Contains(a.rawAdvice, []byte("Implements")) {
				return true
			}
		}
	}
	return false
}

// importsResolver resolves identifiers for the decorator when function bodies
// were not checked: go/types' answer where it has one; for a qualified name in
// a body, the file's import of that name. A local variable named like an
// import is then taken for the package: the text printed is the same, and the
// import it keeps was in use anyway, or the package would not compile.
type importsResolver struct {
	types  *gotypes.DecoratorResolver
	uses   map[*ast.Ident]types.Object
	scopes map[ast.Node]*types.Scope
}

func (r *importsResolver) ResolveIdent(file *ast.File, parent ast.Node, parentField string, id *ast.Ident) (string, error) {
	se, ok := parent.(*ast.SelectorExpr)
	if !ok || parentField != "Sel" {
		return r.types.ResolveIdent(file, parent, parentField, id)
	}
	x, ok := se.X.(*ast.Ident)
	if !ok {
		return "", nil
	}
	if _, checked := r.uses[x]; checked {
		return r.types.ResolveIdent(file, parent, parentField, id)
	}
	if scope := r.scopes[file]; scope != nil {
		if pn, ok := scope.Lookup(x.Name).(*types.PkgName); ok {
			return pn.Imported().Path(), nil
		}
	}
	return "", nil
}
