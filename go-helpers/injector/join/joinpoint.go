// Package join implements join points: predicates over a syntax node and its
// ancestry that select where advice applies (config.md §2).
package join

import (
	"encoding/json"

	"github.com/orchestrion-ts/go-helpers/injector/decode"
	"github.com/orchestrion-ts/go-helpers/injector/may"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
)

// Point is a join point.
type Point interface {
	// Matches is the real test, run on every visited node.
	Matches(ctx *nodectx.Context) bool
	// PackageMayMatch is a sound pre-filter over the package (never
	// NeverMatch when Matches could be true).
	PackageMayMatch(ctx *may.PackageContext) may.MatchType
	// FileMayMatch is a sound pre-filter over a file's raw content.
	FileMayMatch(ctx *may.FileContext) may.MatchType
	// ImpliesImported lists import paths certainly imported when it matches.
	ImpliesImported() []string
}

var registry = decode.NewRegistry[Point]("unknown join point type %q")

func register(kind string, fn func(value json.RawMessage, path string) (Point, error)) {
	registry.Register(kind, fn)
}

// Kinds lists the join point kinds this module understands.
func Kinds() []string { return registry.Kinds() }

// Decode decodes a join point from its singleton mapping. path locates the
// mapping inside the aspect (e.g. "join-point"); errors carry the path of the
// element that is wrong.
func Decode(raw json.RawMessage, path string) (Point, error) { return registry.Decode(raw, path) }
