// Package typed holds the type-name patterns used by join points and
// templates, and the bookkeeping of synthetic references.
package typed

import (
	"fmt"
	"regexp"

	"github.com/dave/dst"
)

// TypeName is a parsed type pattern: an optional `*`, an optional import path
// and an identifier. Only named types and one pointer level are supported.
type TypeName struct {
	ImportPath string
	Name       string
	Pointer    bool
}

var typeNamePattern = regexp.MustCompile(`\A(\*)?\s*(?:([A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*)\.)?([A-Za-z_][A-Za-z0-9_]*)\z`)

// ParseTypeName parses e.g. "*net/http.Request", "error" or "gopkg.in/yaml.v3.Node".
func ParseTypeName(s string) (TypeName, error) {
	m := typeNamePattern.FindStringSubmatch(s)
	if m == nil {
		return TypeName{}, fmt.Errorf("invalid TypeName syntax: %q", s)
	}
	return TypeName{Pointer: m[1] == "*", ImportPath: m[2], Name: m[3]}, nil
}

// Matches compares the pattern with a type expression structurally (no go/types).
func (n TypeName) Matches(expr dst.Expr) bool {
	switch e := expr.(type) {
	case *dst.Ident:
		return !n.Pointer && e.Path == n.ImportPath && e.Name == n.Name
	case *dst.SelectorExpr:
		// An unresolved qualified name: compare the qualifier's text.
		x, ok := e.X.(*dst.Ident)
		if !ok || x.Path != "" {
			return false
		}
		return !n.Pointer && x.Name == n.ImportPath && e.Sel.Name == n.Name
	case *dst.StarExpr:
		if !n.Pointer {
			return false
		}
		return TypeName{ImportPath: n.ImportPath, Name: n.Name}.Matches(e.X)
	case *dst.IndexExpr:
		return !n.Pointer && n.Matches(e.X)
	case *dst.IndexListExpr:
		return !n.Pointer && n.Matches(e.X)
	case *dst.InterfaceType:
		if e.Methods != nil && len(e.Methods.List) != 0 {
			return false
		}
		return n.ImportPath == "" && n.Name == "any"
	}
	return false
}

// MatchesDefinition matches a type expression appearing in the package
// currentPath (e.g. a method receiver) against this pattern.
func (n TypeName) MatchesDefinition(expr dst.Expr, currentPath string) bool {
	if n.ImportPath != currentPath {
		return false
	}
	return TypeName{Name: n.Name, Pointer: n.Pointer}.Matches(expr)
}

// AsNode builds the type expression this pattern denotes.
func (n TypeName) AsNode() dst.Expr {
	id := &dst.Ident{Name: n.Name, Path: n.ImportPath}
	if n.Pointer {
		return &dst.StarExpr{X: id}
	}
	return id
}

// FieldIndex returns the index (counting names, an unnamed field counting as
// one) of the first field of the list whose type matches the pattern.
func (n TypeName) FieldIndex(fields *dst.FieldList) (int, bool) {
	if fields == nil {
		return -1, false
	}
	idx := 0
	for _, f := range fields.List {
		if n.Matches(f.Type) {
			return idx, true
		}
		idx += FieldWidth(f)
	}
	return -1, false
}

// FieldWidth is the number of items a field declares (1 when unnamed).
func FieldWidth(f *dst.Field) int {
	if len(f.Names) == 0 {
		return 1
	}
	return len(f.Names)
}
