package typed

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strconv"

	"github.com/dave/dst"
)

// ReferenceKind says how a synthetic reference must be satisfied.
type ReferenceKind int

const (
	// RelocationTarget references only need to be linked (//go:linkname).
	RelocationTarget ReferenceKind = iota
	// ImportStatement references are imported and need an importcfg entry.
	ImportStatement
)

// ImportAliasPrefix prefixes the local names of imports added by advice.
const ImportAliasPrefix = "__orchestrion_"

// ReferenceMap collects the synthetic references created in one file.
type ReferenceMap struct {
	refs    map[string]ReferenceKind
	aliases map[string]string
	aspects map[string]string // path -> first aspect that introduced it
	order   []string          // insertion order, for stable reporting

	nodeMap map[dst.Node]ast.Node
	scopes  map[ast.Node]*types.Scope
}

// NewReferenceMap makes an empty map; nodeMap and scopes serve the scope
// lookups of AddImport.
func NewReferenceMap(nodeMap map[dst.Node]ast.Node, scopes map[ast.Node]*types.Scope) *ReferenceMap {
	return &ReferenceMap{nodeMap: nodeMap, scopes: scopes}
}

// AddImport records that `path` is referenced under the template-local name
// `localName` from the node chain (innermost first). Nothing is recorded when
// the file already imports the path under a usable name and `localName`
// resolves to that import at this point. Returns whether it recorded.
func (r *ReferenceMap) AddImport(file *dst.File, chain []dst.Node, path, localName, aspect string) bool {
	if name, found := fileImports(file, path); found && name != "." && name != "_" && r.resolvesToImport(chain, path, localName) {
		return false
	}
	r.add(path, ImportStatement, aspect)
	if localName != "_" {
		if r.aliases == nil {
			r.aliases = map[string]string{}
		}
		r.aliases[path] = ImportAliasPrefix + localName
	}
	return true
}

// AddLink records a link-time-only reference, unless the file imports it.
func (r *ReferenceMap) AddLink(file *dst.File, path, aspect string) bool {
	if _, found := fileImports(file, path); found {
		return false
	}
	return r.add(path, RelocationTarget, aspect)
}

func (r *ReferenceMap) add(path string, kind ReferenceKind, aspect string) bool {
	if r.refs == nil {
		r.refs = map[string]ReferenceKind{}
		r.aspects = map[string]string{}
	}
	old, found := r.refs[path]
	if found && old == ImportStatement {
		return false
	}
	if !found {
		r.order = append(r.order, path)
		r.aspects[path] = aspect
	}
	r.refs[path] = kind
	return true
}

// resolvesToImport looks `name` up in the go/types scope enclosing the first
// node of the chain and reports whether it is the package name of `path`.
func (r *ReferenceMap) resolvesToImport(chain []dst.Node, path, name string) bool {
	if len(chain) == 0 || r.scopes == nil {
		return false
	}
	first, ok := r.nodeMap[chain[0]]
	if !ok {
		return false
	}
	var scope *types.Scope
	for _, n := range chain {
		if fd, isDecl := n.(*dst.FuncDecl); isDecl {
			// go/types attaches function scopes to the FuncType.
			n = fd.Type
		}
		if an, found := r.nodeMap[n]; found {
			if s := r.scopes[an]; s != nil {
				scope = s
				break
			}
		}
	}
	if scope == nil {
		return false
	}
	_, obj := scope.LookupParent(name, first.Pos())
	if pn, isPkg := obj.(*types.PkgName); isPkg {
		return pn.Imported().Path() == path
	}
	return false
}

func fileImports(file *dst.File, path string) (string, bool) {
	for _, spec := range file.Imports {
		p, err := strconv.Unquote(spec.Path.Value)
		if err != nil || p != path {
			continue
		}
		if spec.Name == nil {
			return "", true
		}
		return spec.Name.Name, true
	}
	return "", false
}

// Reference is one recorded reference.
type Reference struct {
	Path   string
	Kind   ReferenceKind
	Aspect string
}

// List returns the recorded references in the order they were first seen.
func (r *ReferenceMap) List() []Reference {
	out := make([]Reference, 0, len(r.order))
	for _, p := range r.order {
		out = append(out, Reference{Path: p, Kind: r.refs[p], Aspect: r.aspects[p]})
	}
	return out
}

// AddSyntheticImports appends one import spec per ImportStatement reference
// (sorted by quoted path) to the last leading import declaration of the file,
// creating one at the top if there is none. Must run after traversal.
func (r *ReferenceMap) AddSyntheticImports(file *dst.File) bool {
	var specs []*dst.ImportSpec
	for path, kind := range r.refs {
		if kind != ImportStatement {
			continue
		}
		name := "_"
		if alias := r.aliases[path]; alias != "" {
			name = alias
		}
		specs = append(specs, &dst.ImportSpec{
			Name: &dst.Ident{Name: name},
			Path: &dst.BasicLit{Kind: token.STRING, Value: strconv.Quote(path)},
		})
	}
	if len(specs) == 0 {
		return false
	}
	sort.Slice(specs, func(i, j int) bool { return specs[i].Path.Value < specs[j].Path.Value })

	var target *dst.GenDecl
	for _, d := range file.Decls {
		gd, ok := d.(*dst.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			break
		}
		target = gd
	}
	if target == nil {
		target = &dst.GenDecl{Tok: token.IMPORT}
		file.Decls = append([]dst.Decl{target}, file.Decls...)
	}
	for _, s := range specs {
		file.Imports = append(file.Imports, s)
		target.Specs = append(target.Specs, s)
	}
	return true
}
