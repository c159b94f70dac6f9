package injector

import "strings"

// weaveMode says how a package is treated regardless of the aspects.
type weaveMode int

const (
	weaveNormally weaveMode = iota
	weaveNever
	weaveTracerInternalOnly
)

// specialCases are checked in order; the first whose path is the package or
// one of its parents decides (config.md §1.7).
var specialCases = []struct {
	prefix string
	exact  bool
	mode   weaveMode
}{
	{prefix: "github.com/DataDog/orchestrion/runtime", mode: weaveNormally},
	{prefix: "github.com/DataDog/orchestrion", mode: weaveNever},
	{prefix: "gopkg.in/DataDog/dd-trace-go.v1", mode: weaveTracerInternalOnly},
	{prefix: "github.com/DataDog/dd-trace-go/internal/orchestrion/_integration", mode: weaveNormally},
	{prefix: "github.com/DataDog/dd-trace-go/v2/internal/orchestrion/_integration", mode: weaveNormally},
	{prefix: "github.com/DataDog/dd-trace-go", mode: weaveTracerInternalOnly},
	{prefix: "github.com/DataDog/go-tuf/client", exact: true, mode: weaveNever},
}

func weaveModeOf(importPath string) weaveMode {
	for _, sc := range specialCases {
		if importPath == sc.prefix || (!sc.exact && strings.HasPrefix(importPath, sc.prefix+"/")) {
			return sc.mode
		}
	}
	return weaveNormally
}
