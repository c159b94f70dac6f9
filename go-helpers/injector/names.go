package injector

import (
	"go/token"
	"go/types"
	"regexp"
	"strings"
)

// packageNames gives the restorer the declared name of imported packages:
// from the type-checked dependency graph, else from export data, else guessed
// from the import path.
type packageNames struct {
	cfg   *importConfig
	fset  *token.FileSet
	known map[string]string
	imp   types.Importer
}

func (p *packageNames) learn(pkg *types.Package, seen map[*types.Package]bool) {
	if pkg == nil || seen[pkg] {
		return
	}
	seen[pkg] = true
	if _, ok := p.known[pkg.Path()]; !ok && pkg.Name() != "" && pkg.Name() != "_" {
		p.known[pkg.Path()] = pkg.Name()
	}
	for _, imp := range pkg.Imports() {
		p.learn(imp, seen)
	}
}

// ResolvePackage implements the dst restorer's resolver interface.
func (p *packageNames) ResolvePackage(path string) (string, error) {
	if path == "unsafe" {
		return "unsafe", nil
	}
	if name, ok := p.known[path]; ok {
		return name, nil
	}
	if _, inCfg := p.cfg.packageFile[p.cfg.resolve(path)]; inCfg {
		if p.imp == nil {
			p.imp = p.cfg.newImporter(p.fset)
		}
		if pkg, err := p.imp.Import(path); err == nil {
			p.known[path] = pkg.Name()
			return pkg.Name(), nil
		}
	}
	name := GuessPackageName(path)
	p.known[path] = name
	return name, nil
}

var lastSegment = regexp.MustCompile(`^(?:.+/)?([^/]+?)(?:\.v\d+|/v\d+)?$`)

// GuessPackageName infers a package name from its import path: the last
// segment without a .vN or /vN suffix, with non-identifier characters
// replaced by '_'.
func GuessPackageName(path string) string {
	m := lastSegment.FindStringSubmatch(path)
	name := path
	if m != nil {
		name = m[1]
	}
	return strings.Map(func(r rune) rune {
		if r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9') {
			return r
		}
		return '_'
	}, name)
}
