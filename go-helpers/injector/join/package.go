package join

import (
	"encoding/json"

	"github.com/orchestrion-ts/go-helpers/injector/decode"
	"github.com/orchestrion-ts/go-helpers/injector/may"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
)

// ImportPath matches every node of the package with exactly this import path.
type ImportPath string

// PackageName matches every node of files whose package clause has this name.
type PackageName string

func init() {
	register("import-path", func(value json.RawMessage, path string) (Point, error) {
		s, err := decode.String(value, path)
		return ImportPath(s), err
	})
	register("package-name", func(value json.RawMessage, path string) (Point, error) {
		s, err := decode.String(value, path)
		return PackageName(s), err
	})
}

func (p ImportPath) Matches(ctx *nodectx.Context) bool { return ctx.ImportPath() == string(p) }
func (p ImportPath) PackageMayMatch(ctx *may.PackageContext) may.MatchType {
	if ctx.ImportPath == string(p) {
		return may.Always
	}
	return may.NeverMatch
}
func (ImportPath) FileMayMatch(*may.FileContext) may.MatchType { return may.Unknown }
func (p ImportPath) ImpliesImported() []string                 { return []string{string(p)} }

func (p PackageName) Matches(ctx *nodectx.Context) bool { return ctx.Package() == string(p) }
func (PackageName) PackageMayMatch(*may.PackageContext) may.MatchType {
	return may.Unknown
}
func (p PackageName) FileMayMatch(ctx *may.FileContext) may.MatchType {
	if ctx.PackageName == string(p) {
		return may.Always
	}
	return may.NeverMatch
}
func (PackageName) ImpliesImported() []string { return nil }
