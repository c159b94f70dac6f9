package join

import (
	"encoding/json"

	"github.com/orchestrion-ts/go-helpers/injector/decode"
	"github.com/orchestrion-ts/go-helpers/injector/may"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
)

// AllOf matches when every child matches (an empty list never matches).
type AllOf []Point

// OneOf matches when any child matches.
type OneOf []Point

// Not matches when its child does not.
type Not struct{ Point Point }

func decodeList(value json.RawMessage, path string) ([]Point, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(value, &items); err != nil {
		return nil, decode.Errorf(path, "expected a sequence of join points, got a %s", decode.Kind(value))
	}
	out := make([]Point, 0, len(items))
	for i, item := range items {
		p, err := Decode(item, decode.Item(path, i))
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func init() {
	register("all-of", func(value json.RawMessage, path string) (Point, error) {
		list, err := decodeList(value, path)
		if err != nil {
			return nil, err
		}
		if len(list) == 1 {
			return list[0], nil
		}
		return AllOf(list), nil
	})
	register("one-of", func(value json.RawMessage, path string) (Point, error) {
		list, err := decodeList(value, path)
		if err != nil {
			return nil, err
		}
		if len(list) == 1 {
			return list[0], nil
		}
		return OneOf(list), nil
	})
	register("not", func(value json.RawMessage, path string) (Point, error) {
		p, err := Decode(value, path)
		if err != nil {
			return nil, err
		}
		return Not{p}, nil
	})
}

func (a AllOf) Matches(ctx *nodectx.Context) bool {
	if len(a) == 0 {
		return false
	}
	for _, p := range a {
		if !p.Matches(ctx) {
			return false
		}
	}
	return true
}

func (a AllOf) PackageMayMatch(ctx *may.PackageContext) may.MatchType {
	res := may.Always
	for _, p := range a {
		if res = res.And(p.PackageMayMatch(ctx)); res == may.NeverMatch {
			break
		}
	}
	return res
}

func (a AllOf) FileMayMatch(ctx *may.FileContext) may.MatchType {
	res := may.Always
	for _, p := range a {
		if res = res.And(p.FileMayMatch(ctx)); res == may.NeverMatch {
			break
		}
	}
	return res
}

func (a AllOf) ImpliesImported() []string {
	var out []string
	for _, p := range a {
		out = append(out, p.ImpliesImported()...)
	}
	return out
}

func (o OneOf) Matches(ctx *nodectx.Context) bool {
	for _, p := range o {
		if p.Matches(ctx) {
			return true
		}
	}
	return false
}

func (o OneOf) PackageMayMatch(ctx *may.PackageContext) may.MatchType {
	res := may.NeverMatch
	for _, p := range o {
		if res = res.Or(p.PackageMayMatch(ctx)); res == may.Always {
			break
		}
	}
	return res
}

func (o OneOf) FileMayMatch(ctx *may.FileContext) may.MatchType {
	res := may.NeverMatch
	for _, p := range o {
		if res = res.Or(p.FileMayMatch(ctx)); res == may.Always {
			break
		}
	}
	return res
}

// ImpliesImported of one-of keeps the paths whose number of mentions across
// the children (duplicates included, as Orchestrion counts them) equals the
// number of children.
func (o OneOf) ImpliesImported() []string {
	count := map[string]int{}
	var order []string
	for _, p := range o {
		for _, path := range p.ImpliesImported() {
			if count[path] == 0 {
				order = append(order, path)
			}
			count[path]++
		}
	}
	var out []string
	for _, path := range order {
		if count[path] == len(o) {
			out = append(out, path)
		}
	}
	return out
}

func (n Not) Matches(ctx *nodectx.Context) bool { return !n.Point.Matches(ctx) }
func (n Not) PackageMayMatch(ctx *may.PackageContext) may.MatchType {
	return n.Point.PackageMayMatch(ctx).Not()
}
func (n Not) FileMayMatch(ctx *may.FileContext) may.MatchType {
	return n.Point.FileMayMatch(ctx).Not()
}
func (Not) ImpliesImported() []string { return nil }

// parts lists the join points p is made of: a combinator's operands, a
// function-body's function; none for the others.
func parts(p Point) []Point {
	switch p := p.(type) {
	case AllOf:
		return p
	case OneOf:
		return p
	case Not:
		return []Point{p.Point}
	case *FunctionBody:
		return []Point{p.Function}
	}
	return nil
}
