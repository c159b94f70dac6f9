// Package advice implements advice: the transformations applied to nodes
// selected by a join point (config.md §3), and their ordering (§5).
package advice

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"

	"github.com/orchestrion-ts/go-helpers/injector/decode"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
)

// Advice changes the syntax tree at a matched node.
type Advice interface {
	// Apply performs the change; it reports whether the tree changed.
	Apply(ctx *nodectx.Context) (bool, error)
	// AddedImports lists the import paths the advice may introduce.
	AddedImports() []string
}

// Orderable is implemented by advice that carries ordering knobs.
type Orderable interface {
	Order() int
	Namespace() string
}

const (
	// DefaultNamespace sorts after every explicit namespace.
	DefaultNamespace = "\U0010FFFF"
	// DefaultOrder is the order of advice that does not set one.
	DefaultOrder = 0
)

var registry = decode.NewRegistry[Advice]("unknown advice type: %q")

func register(kind string, fn func(value json.RawMessage, path string) (Advice, error)) {
	registry.Register(kind, fn)
}

// Kinds lists the advice kinds this module understands.
func Kinds() []string { return registry.Kinds() }

// Decode decodes one advice from its singleton mapping at path.
func Decode(raw json.RawMessage, path string) (Advice, error) { return registry.Decode(raw, path) }

// DecodeList decodes `advice:`, which is a sequence or a single mapping.
func DecodeList(raw json.RawMessage, path string) ([]Advice, error) {
	if !decode.IsSequence(raw) {
		a, err := Decode(raw, path)
		if err != nil {
			return nil, err
		}
		return []Advice{a}, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, decode.Errorf(path, "%v", err)
	}
	out := make([]Advice, 0, len(items))
	for i, item := range items {
		a, err := Decode(item, decode.Item(path, i))
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// Ordered is advice matched on a node, with what sorting needs.
type Ordered struct {
	Advice
	AspectID string
	// Index is the running position among the advice matched on the node,
	// before sorting; it breaks ties and identifies the advice in errors.
	Index     int
	namespace string
	order     int
}

// NewOrdered wraps advice with its ordering data.
func NewOrdered(aspectID string, a Advice, index int) *Ordered {
	o := &Ordered{Advice: a, AspectID: aspectID, Index: index, namespace: DefaultNamespace, order: DefaultOrder}
	if oa, ok := a.(Orderable); ok {
		o.namespace, o.order = oa.Namespace(), oa.Order()
	}
	return o
}

// Sort orders advice by namespace (byte-wise), order, then Index.
func Sort(list []*Ordered) {
	slices.SortStableFunc(list, func(a, b *Ordered) int {
		if c := strings.Compare(a.namespace, b.namespace); c != 0 {
			return c
		}
		if c := cmp.Compare(a.order, b.order); c != 0 {
			return c
		}
		return cmp.Compare(a.Index, b.Index)
	})
}
