package join

import (
	"encoding/json"
	"sort"

	"github.com/orchestrion-ts/go-helpers/injector/decode"
	"github.com/orchestrion-ts/go-helpers/injector/may"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
)

// Configuration (deprecated) matches when every key has exactly the given
// value in the configuration of the node's ancestry (only the root carries
// one; Orchestrion's compile step sets {httpmode: wrap}). No keys: matches
// everything.
type Configuration map[string]string

func init() {
	register("configuration", func(value json.RawMessage, path string) (Point, error) {
		if decode.IsNull(value) {
			return Configuration(nil), nil
		}
		if decode.Kind(value) != "mapping" {
			return nil, decode.Errorf(path, "expected a mapping, got a %s", decode.Kind(value))
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(value, &raw); err != nil {
			return nil, decode.Errorf(path, "%v", err)
		}
		keys := make([]string, 0, len(raw))
		for k := range raw {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make(Configuration, len(raw))
		for _, k := range keys {
			v := raw[k]
			switch decode.Kind(v) {
			case "string":
				s, _ := decode.String(v, "")
				out[k] = s
			case "null":
				out[k] = ""
			case "number", "bool":
				// YAML scalars decode into strings as their text.
				out[k] = string(v)
			default:
				return nil, decode.Errorf(decode.Field(path, k), "expected a string, got a %s", decode.Kind(v))
			}
		}
		return out, nil
	})
}

func (c Configuration) Matches(ctx *nodectx.Context) bool {
	for k, want := range c {
		if got, found := ctx.Config(k); !found || got != want {
			return false
		}
	}
	return true
}

func (Configuration) PackageMayMatch(*may.PackageContext) may.MatchType { return may.Unknown }
func (Configuration) FileMayMatch(*may.FileContext) may.MatchType       { return may.Unknown }
func (Configuration) ImpliesImported() []string                         { return nil }
