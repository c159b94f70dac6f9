package injector

import (
	"go/token"
	"strconv"

	"github.com/dave/dst"
)

// canonicalizeImports leaves a single import spec per path (dst prints
// duplicate imports of one path badly). The kept spec is the first with a real
// alias, else a blank one, else the first one (scanning stops at the first
// named spec that is not an improvement, as Orchestrion's does).
func canonicalizeImports(file *dst.File) {
	specsOf := map[string][]*dst.ImportSpec{}
	for _, spec := range file.Imports {
		path, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			continue
		}
		specsOf[path] = append(specsOf[path], spec)
	}

	keep := map[*dst.ImportSpec]bool{}
	for _, specs := range specsOf {
		best := specs[0]
		for _, s := range specs[1:] {
			if s.Name == nil {
				continue
			}
			if rank(s) > rank(best) {
				best = s
				continue
			}
			// A named spec that is no better ends the search.
			break
		}
		keep[best] = true
	}

	imports := file.Imports[:0]
	for _, spec := range file.Imports {
		if keep[spec] {
			imports = append(imports, spec)
		}
	}
	file.Imports = imports

	// Drop the other specs from the leading import declarations, and the
	// declarations left empty.
	decls := file.Decls[:0]
	leading := true
	for _, d := range file.Decls {
		gd, ok := d.(*dst.GenDecl)
		if !leading || !ok || gd.Tok != token.IMPORT {
			leading = false
			decls = append(decls, d)
			continue
		}
		specs := gd.Specs[:0]
		for _, s := range gd.Specs {
			if is, ok := s.(*dst.ImportSpec); !ok || keep[is] {
				specs = append(specs, s)
			}
		}
		gd.Specs = specs
		if len(gd.Specs) > 0 {
			decls = append(decls, d)
		}
	}
	file.Decls = decls
}

// rank orders import specs by preference: named (2) > blank (1) > plain (0).
func rank(s *dst.ImportSpec) int {
	switch {
	case s.Name == nil:
		return 0
	case s.Name.Name == "_":
		return 1
	default:
		return 2
	}
}
