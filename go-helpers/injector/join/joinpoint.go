// Package join implements join points: predicates over a syntax node and its
// ancestry that select where advice applies (config.md §2).
package join

import (
	"encoding/json"
	"sort"

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

type decoderFunc func(value json.RawMessage, path string) (Point, error)

var decoders = map[string]decoderFunc{}

func register(kind string, fn decoderFunc) { decoders[kind] = fn }

// Kinds lists the join point kinds this module understands.
func Kinds() []string {
	out := make([]string, 0, len(decoders))
	for k := range decoders {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Decode decodes a join point from its singleton mapping. path locates the
// mapping inside the aspect (e.g. "join-point"); errors carry the path of the
// element that is wrong.
func Decode(raw json.RawMessage, path string) (Point, error) {
	kind, value, err := decode.Singleton(raw, path)
	if err != nil {
		return nil, err
	}
	fn, ok := decoders[kind]
	if !ok {
		return nil, decode.Errorf(path, "unknown join point type %q", kind)
	}
	return fn(value, decode.Field(path, kind))
}
