package injector

import (
	"fmt"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"sync/atomic"

	"golang.org/x/tools/go/gcexportdata"
)

// Imported packages are kept across requests of one injector instance (the
// job server's wasm worker lives for many builds). The loop a developer runs
// all day weaves a main package again after each edit: its imports but the
// edited package are the same archives of go's cache as last time, and
// decoding net/http's export data was half of that weave.
//
// A universe is a go/types package map filled by reading export data. It is
// used for a request only when every archive it has read is in the request's
// importcfg under the same import path, and it keeps only archives of go's
// cache, which are named by the SHA-256 of their content. Export data carries
// the declarations of other packages it refers to, and within one build every
// archive sees the same dependencies: so a universe read from archives the
// request's own build uses holds nothing that build does not see.
//
// An archive outside go's cache (a package compiled by this build, in $WORK)
// is read into the universe for this request only. It must come after the
// cached ones (else a cached package read later could refer to its objects),
// and its reading must not add objects to packages the universe already had
// (they would be that archive's view, which a later build may not share).
// Then the packages it created are removed again after the request; if not,
// the universe is dropped.
type universe struct {
	fset *token.FileSet
	pkgs map[string]*types.Package
	// read: import path (as the importer is asked, before importmap) →
	// archive, for packages read from go's cache.
	read map[string]string
	// uses: the requests it served; the files they parsed stay in its file set.
	uses int
}

// A universe is dropped after this many requests, so that the files of the
// packages woven with it do not pile up in its file set.
const maxUniverseUses = 256

// A few universes are kept, most recently used last: a build weaves a
// handful of packages in its edit loop (a leaf, main).
const maxUniverses = 2

var (
	// universesMu: the wasm instance serves one request at a time, tests do not.
	universesMu   sync.Mutex
	universes     []*universe
	keepUniverses = true
	// universesOff: x/tools could not read an archive's export data (a newer
	// toolchain's format): go/importer serves every request from then on.
	universesOff bool
	// universeHits counts the requests served by a kept universe (tests).
	universeHits atomic.Int64
)

// cacheOutput names an output file of go's build cache: its content's hash.
var cacheOutput = regexp.MustCompile(`^[0-9a-f]{64}-d$`)

func isCacheArchive(archive string) bool {
	return filepath.IsAbs(archive) && cacheOutput.MatchString(filepath.Base(archive))
}

// takeUniverse returns the kept universe that fits cfg and has read the most,
// or a new one; nil when universes are off. It belongs to the caller until
// release.
func takeUniverse(cfg *importConfig) *universe {
	universesMu.Lock()
	defer universesMu.Unlock()
	if universesOff {
		return nil
	}
	best := -1
	for i, u := range universes {
		if u.fits(cfg) && (best < 0 || len(u.read) > len(universes[best].read)) {
			best = i
		}
	}
	if best < 0 {
		return &universe{fset: token.NewFileSet(), pkgs: map[string]*types.Package{}, read: map[string]string{}}
	}
	u := universes[best]
	universes = append(universes[:best], universes[best+1:]...)
	universeHits.Add(1)
	return u
}

func (u *universe) fits(cfg *importConfig) bool {
	for path, archive := range u.read {
		if cfg.packageFile[cfg.resolve(path)] != archive {
			return false
		}
	}
	return true
}

// universeImporter imports through a universe for one request.
type universeImporter struct {
	u   *universe
	cfg *importConfig
	// before: the universe's packages and their scope sizes when the first
	// archive outside go's cache was read (nil until then).
	before map[string]int
	// spoilt: the universe cannot be kept.
	spoilt bool
	// readErr: x/tools could not read an archive's export data.
	readErr error
}

func disableUniverses() {
	universesMu.Lock()
	defer universesMu.Unlock()
	universesOff = true
	universes = nil
}

func newUniverseImporter(u *universe, cfg *importConfig) *universeImporter {
	return &universeImporter{u: u, cfg: cfg}
}

// Import reads a package as go/importer's gc importer with a lookup function
// does: the package gets the path it is imported by (importmap applied to find
// its archive only), and one read completely is not read again.
func (im *universeImporter) Import(path string) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	archive, ok := im.cfg.packageFile[im.cfg.resolve(path)]
	if !ok {
		return nil, fmt.Errorf("package %q is not in importcfg", path)
	}
	cached := isCacheArchive(archive)
	if pkg := im.u.pkgs[path]; pkg != nil && pkg.Complete() {
		if (cached && im.u.read[path] == archive) || (!cached && im.before != nil && !im.had(path)) {
			return pkg, nil
		}
	}
	if cached && im.before != nil {
		// After one outside the cache, which it could refer to.
		im.spoilt = true
	}
	if !cached && im.before == nil {
		im.before = make(map[string]int, len(im.u.pkgs))
		for p, pkg := range im.u.pkgs {
			im.before[p] = pkg.Scope().Len()
		}
	}
	pkg, err := im.readArchive(path, archive)
	if err != nil {
		im.spoilt = true
		return nil, err
	}
	if cached {
		im.u.read[path] = archive
	}
	return pkg, nil
}

func (im *universeImporter) had(path string) bool {
	_, ok := im.before[path]
	return ok
}

func (im *universeImporter) readArchive(path, archive string) (*types.Package, error) {
	f, err := os.Open(archive)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := gcexportdata.NewReader(f)
	if err == nil {
		var pkg *types.Package
		if pkg, err = gcexportdata.Read(r, im.u.fset, im.u.pkgs, path); err == nil {
			return pkg, nil
		}
	}
	im.readErr = fmt.Errorf("reading export data of %s (%s): %w", path, archive, err)
	return nil, im.readErr
}

// release gives the universe back for later requests, without what archives
// outside go's cache brought, or drops it. ok is false when the request failed
// (its universe may hold half a package).
func (im *universeImporter) release(ok bool) {
	universesMu.Lock()
	defer universesMu.Unlock()
	if !keepUniverses || !ok || im.spoilt {
		return
	}
	if im.before != nil {
		for p, n := range im.before {
			if im.u.pkgs[p].Scope().Len() != n {
				return
			}
		}
		for p := range im.u.pkgs {
			if !im.had(p) {
				delete(im.u.pkgs, p)
			}
		}
	}
	im.u.uses++
	// One that read nothing from go's cache (a cold build's: every archive in
	// $WORK) saves nothing.
	if len(im.u.read) == 0 || im.u.uses >= maxUniverseUses {
		return
	}
	universes = append(universes, im.u)
	if len(universes) > maxUniverses {
		universes = universes[1:]
	}
}
