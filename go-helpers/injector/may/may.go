// Package may implements the cheap, three-valued pre-filters that let the
// injector skip packages and files that an aspect cannot possibly match.
package may

import (
	"bytes"
	"go/ast"
	"strconv"
)

// MatchType is the result of a pre-filter: Match (may match), NeverMatch
// (certainly does not), Always (every node of the package or file matches:
// a property of the package or file itself, such as its import path) or
// Unknown. Only Always lets Not rule something out: dd-trace-go's
// `all-of: [not: {import-path: net/http}, …]` is then decided on net/http by
// its import path, instead of by decorating every file that calls a Get.
type MatchType int

const (
	Unknown MatchType = iota
	Match
	NeverMatch
	Always
)

// And combines two results conjunctively; Always is neutral.
func (m MatchType) And(o MatchType) MatchType {
	switch {
	case m == NeverMatch || o == NeverMatch:
		return NeverMatch
	case m == Always:
		return o
	case o == Always:
		return m
	case m == Match && o == Match:
		return Match
	default:
		return Unknown
	}
}

// Or combines two results disjunctively.
func (m MatchType) Or(o MatchType) MatchType {
	switch {
	case m == Always || o == Always:
		return Always
	case m == Match || o == Match:
		return Match
	case m == NeverMatch && o == NeverMatch:
		return NeverMatch
	default:
		return Unknown
	}
}

// Not negates a result: what matches nothing makes its negation match
// everything, and the other way round; anything else is unknown.
func (m MatchType) Not() MatchType {
	switch m {
	case NeverMatch:
		return Always
	case Always:
		return NeverMatch
	}
	return Unknown
}

// PackageContext describes the package being compiled.
type PackageContext struct {
	ImportPath string
	// ImportMap holds the importcfg packagefile entries (direct deps only).
	ImportMap map[string]string
	TestMain  bool
	// RootModulePath is the main module's path ("" when unknown).
	RootModulePath string
}

// PackageImports tells whether the package can refer to the given path.
func (c *PackageContext) PackageImports(path string) MatchType {
	if path == "" {
		return Unknown
	}
	if path == c.ImportPath {
		return Match
	}
	if _, ok := c.ImportMap[path]; ok {
		return Match
	}
	return NeverMatch
}

// FileContext describes one source file. The first pass runs before it is
// parsed; once it is (for type-checking), AST is set and declaration-level
// filters can decide exactly, so that only the files where an aspect can
// apply are decorated and woven (decorating is most of the injector's time).
type FileContext struct {
	FileContent []byte
	PackageName string
	AST         *ast.File
	// ImportPath is the package's, when known ("" otherwise).
	ImportPath string
	// Explaining: MayCall does not rule files out, so that the walk gives
	// its own verdict (stage syntax: "no call of …").
	Explaining bool
}

// MayCall tells, once the file is parsed, whether it may call the function
// name of package path (path "": a method named name) as function-call and
// method-call match calls: a call expression whose function is name qualified
// by an identifier (x.name(…)) or, for a package the file dot-imports, name
// alone. A call of the package's own function, or one through an import the
// file lacks, cannot resolve to path.name.
func (c *FileContext) MayCall(path, name string) MatchType {
	if c.AST == nil || c.Explaining || name == "" || (path != "" && path == c.ImportPath) {
		return Unknown
	}
	dot := false
	if path != "" {
		var imported bool
		if imported, dot = c.imports(path); !imported {
			return NeverMatch
		}
	}
	found := false
	ast.Inspect(c.AST, func(n ast.Node) bool {
		if found {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		switch fun := ast.Unparen(call.Fun).(type) {
		case *ast.SelectorExpr:
			_, isIdent := fun.X.(*ast.Ident)
			found = fun.Sel.Name == name && (isIdent || path == "")
		case *ast.Ident:
			found = dot && fun.Name == name
		}
		return true
	})
	if found {
		return Match
	}
	return NeverMatch
}

// MayCompositeLit tells, once the file is parsed, whether it may hold a
// composite literal of the named type of package path as struct-literal
// matches them: the literal's written type (generic arguments aside) is name
// qualified by an identifier (an import of path, or the text of path itself
// when the qualifier resolves to no import), or name alone through a dot
// import. A literal of the package's own type is written unqualified and
// never resolves to an import path, so it does not match either.
func (c *FileContext) MayCompositeLit(path, name string) MatchType {
	if c.AST == nil || c.Explaining || path == "" || name == "" {
		return Unknown
	}
	imported, dot := c.imports(path)
	found := false
	ast.Inspect(c.AST, func(n ast.Node) bool {
		if found {
			return false
		}
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		typ := lit.Type
		switch t := typ.(type) {
		case *ast.IndexExpr:
			typ = t.X
		case *ast.IndexListExpr:
			typ = t.X
		}
		switch t := ast.Unparen(typ).(type) {
		case *ast.SelectorExpr:
			x, isIdent := t.X.(*ast.Ident)
			found = isIdent && t.Sel.Name == name && (imported || x.Name == path)
		case *ast.Ident:
			found = dot && t.Name == name
		}
		return true
	})
	if found {
		return Match
	}
	return NeverMatch
}

// imports tells whether the file imports path, and whether through a dot
// import.
func (c *FileContext) imports(path string) (imported, dot bool) {
	for _, spec := range c.AST.Imports {
		if p, err := strconv.Unquote(spec.Path.Value); err == nil && p == path {
			imported = true
			dot = dot || (spec.Name != nil && spec.Name.Name == ".")
		}
	}
	return imported, dot
}

// DeclaresStruct tells, once the file is parsed, whether it declares a struct
// type named name (at any level, as StructDefinition matches any TypeSpec).
func (c *FileContext) DeclaresStruct(name string) MatchType {
	if c.AST == nil {
		return Unknown
	}
	found := false
	ast.Inspect(c.AST, func(n ast.Node) bool {
		if found {
			return false
		}
		if ts, ok := n.(*ast.TypeSpec); ok && ts.Name != nil && ts.Name.Name == name {
			if _, isStruct := ts.Type.(*ast.StructType); isStruct {
				found = true
			}
		}
		return true
	})
	if found {
		return Match
	}
	return NeverMatch
}

// DeclaresFunc tells, once the file is parsed, whether it declares a function
// or method named name (function literals have no name to match).
func (c *FileContext) DeclaresFunc(name string) MatchType {
	if c.AST == nil {
		return Unknown
	}
	for _, d := range c.AST.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name != nil && fd.Name.Name == name {
			return Match
		}
	}
	return NeverMatch
}

// DeclaresFuncWhere tells, once the file is parsed, whether one of its
// function declarations satisfies pred (Unknown before, and while explaining:
// the walk then gives its own verdict).
func (c *FileContext) DeclaresFuncWhere(pred func(*ast.FuncDecl) bool) MatchType {
	if c.AST == nil || c.Explaining {
		return Unknown
	}
	for _, d := range c.AST.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && pred(fd) {
			return Match
		}
	}
	return NeverMatch
}

// FileContains is a raw substring search over the file's bytes. As in
// Orchestrion, an empty needle never matches.
func (c *FileContext) FileContains(s string) MatchType {
	if s == "" {
		return NeverMatch
	}
	if bytes.Contains(c.FileContent, []byte(s)) {
		return Match
	}
	return NeverMatch
}
