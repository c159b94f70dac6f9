package join

import (
	"strings"
	"sync"
)

var stdSet = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	for _, p := range strings.Fields(stdPackages) {
		set[p] = true
	}
	return set
})

// isStandardPackage tells whether path is a standard library package. The
// `*-implements` options only resolve interfaces from those: Orchestrion
// imports the interface's package with the toolchain's default importer,
// which finds export data for GOROOT packages only.
func isStandardPackage(path string) bool {
	return stdSet()[path]
}
