package join

import (
	"encoding/json"

	"github.com/orchestrion-ts/go-helpers/injector/decode"
	"github.com/orchestrion-ts/go-helpers/injector/may"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
)

// TestMain matches every node when whether the package is the synthetic test
// main package equals the value. Evaluated through a parent context (inside
// `function-body`), the flag reads false, as in Orchestrion.
type TestMain bool

func init() {
	register("test-main", func(value json.RawMessage, path string) (Point, error) {
		var b bool
		if decode.Kind(value) != "bool" || json.Unmarshal(value, &b) != nil {
			return nil, decode.Errorf(path, "expected a bool, got a %s", decode.Kind(value))
		}
		return TestMain(b), nil
	})
}

func (t TestMain) Matches(ctx *nodectx.Context) bool { return ctx.TestMain() == bool(t) }

func (t TestMain) PackageMayMatch(ctx *may.PackageContext) may.MatchType {
	if ctx.TestMain == bool(t) {
		return may.Always
	}
	return may.NeverMatch
}

func (TestMain) FileMayMatch(*may.FileContext) may.MatchType { return may.Unknown }
func (TestMain) ImpliesImported() []string                   { return nil }
