package advice

import (
	"encoding/json"

	"github.com/orchestrion-ts/go-helpers/injector/decode"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
)

// AddBlankImport adds `import _ "<path>"` to the file of the matched node.
type AddBlankImport string

func init() {
	register("add-blank-import", func(value json.RawMessage, path string) (Advice, error) {
		p, err := decode.String(value, path)
		if err != nil {
			return nil, err
		}
		return AddBlankImport(p), nil
	})
}

func (a AddBlankImport) AddedImports() []string { return []string{string(a)} }

// Apply records the import. The blank name never resolves to a package, so an
// existing import of the path does not prevent the record (the duplicate spec
// is dropped when imports are canonicalized).
func (a AddBlankImport) Apply(ctx *nodectx.Context) (bool, error) {
	return ctx.AddImport(string(a), "_"), nil
}
