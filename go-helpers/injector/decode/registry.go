package decode

import (
	"encoding/json"
	"fmt"
	"sort"
)

// Registry decodes singleton mappings (`kind: value`) into T, with one
// decoder per kind; join points and advice each keep one.
type Registry[T any] struct {
	// unknown formats the error for a kind nobody registered (%q is the kind).
	unknown  string
	decoders map[string]func(value json.RawMessage, path string) (T, error)
}

// NewRegistry makes an empty registry; unknownFormat must contain one %q.
func NewRegistry[T any](unknownFormat string) *Registry[T] {
	return &Registry[T]{unknown: unknownFormat, decoders: map[string]func(json.RawMessage, string) (T, error){}}
}

// Register adds the decoder of kind's value.
func (r *Registry[T]) Register(kind string, fn func(value json.RawMessage, path string) (T, error)) {
	if _, dup := r.decoders[kind]; dup {
		panic(fmt.Sprintf("decode: %q registered twice", kind))
	}
	r.decoders[kind] = fn
}

// Kinds lists the registered kinds, sorted.
func (r *Registry[T]) Kinds() []string {
	out := make([]string, 0, len(r.decoders))
	for k := range r.decoders {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Decode decodes one singleton mapping found at path; errors carry the path of
// the element that is wrong.
func (r *Registry[T]) Decode(raw json.RawMessage, path string) (T, error) {
	var zero T
	kind, value, err := Singleton(raw, path)
	if err != nil {
		return zero, err
	}
	fn, ok := r.decoders[kind]
	if !ok {
		return zero, Errorf(path, r.unknown, kind)
	}
	return fn(value, Field(path, kind))
}
