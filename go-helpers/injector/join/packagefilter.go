package join

import (
	"encoding/json"
	"path"
	"strings"

	"github.com/orchestrion-ts/go-helpers/injector/decode"
	"github.com/orchestrion-ts/go-helpers/injector/may"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
)

// PackageFilter matches every node of packages whose import path matches a
// glob pattern (path.Match syntax plus `**` spanning segments). With Root,
// only packages of the main module match, and the pattern applies to the
// path relative to the module ("." for its root package); Root without a
// pattern matches the whole main module.
type PackageFilter struct {
	Root    bool
	Pattern string
}

func init() {
	register("package-filter", func(value json.RawMessage, p string) (Point, error) {
		switch decode.Kind(value) {
		case "string":
			s, _ := decode.String(value, p)
			return PackageFilter{Pattern: s}, nil
		case "null":
			return PackageFilter{}, nil
		case "mapping":
		default:
			return nil, decode.Errorf(p, "expected a string or a mapping, got a %s", decode.Kind(value))
		}
		var raw struct {
			Root    json.RawMessage `json:"root"`
			Pattern json.RawMessage `json:"pattern"`
		}
		if err := json.Unmarshal(value, &raw); err != nil {
			return nil, decode.Errorf(p, "%v", err)
		}
		var pf PackageFilter
		if !decode.IsNull(raw.Root) {
			if decode.Kind(raw.Root) != "bool" {
				return nil, decode.Errorf(decode.Field(p, "root"), "expected a bool, got a %s", decode.Kind(raw.Root))
			}
			_ = json.Unmarshal(raw.Root, &pf.Root)
		}
		var err error
		if pf.Pattern, err = optionalString(raw.Pattern, decode.Field(p, "pattern")); err != nil {
			return nil, err
		}
		if pf.Pattern == "" && !pf.Root {
			return nil, decode.Errorf(p, "package-filter requires a 'pattern' field")
		}
		return pf, nil
	})
}

func (f PackageFilter) Matches(ctx *nodectx.Context) bool {
	return f.matches(ctx.ImportPath(), ctx.RootModulePath())
}

func (f PackageFilter) PackageMayMatch(ctx *may.PackageContext) may.MatchType {
	if f.matches(ctx.ImportPath, ctx.RootModulePath) {
		return may.Always
	}
	return may.NeverMatch
}

func (PackageFilter) FileMayMatch(*may.FileContext) may.MatchType { return may.Unknown }
func (PackageFilter) ImpliesImported() []string                   { return nil }

// matches applies the filter to importPath; root is the main module's path
// ("" when unknown: root filters then never match).
func (f PackageFilter) matches(importPath, root string) bool {
	if importPath == "" {
		return false
	}
	inRoot := root != "" && (importPath == root || strings.HasPrefix(importPath, root+"/"))
	if f.Root && f.Pattern == "" {
		return inRoot
	}
	if f.Pattern == "" {
		return false
	}
	target := importPath
	if f.Root {
		if !inRoot {
			return false
		}
		if importPath == root {
			target = "."
		} else {
			target = importPath[len(root)+1:]
		}
	}
	if f.Pattern == "*" {
		return true
	}
	ok, err := globMatch(f.Pattern, target)
	return err == nil && ok
}

// globMatch is path.Match, extended with `**` (zero or more whole segments)
// when the pattern contains it.
func globMatch(pattern, name string) (bool, error) {
	if !strings.Contains(pattern, "**") {
		return path.Match(pattern, name)
	}
	if pattern == "**" {
		return true, nil
	}
	var segs []string
	for _, s := range strings.Split(pattern, "/") {
		segs = append(segs, splitGlobstar(s)...)
	}
	return matchSegs(segs, strings.Split(name, "/"))
}

// splitGlobstar turns a pattern segment containing `**` into segments where
// `**` stands alone: "a**" → "a*", "**"; "**b" → "**", "*b";
// "a**b" → "a*", "**", "*b" (a middle part x becomes "*x*").
func splitGlobstar(seg string) []string {
	if seg == "**" || !strings.Contains(seg, "**") {
		return []string{seg}
	}
	if head, ok := strings.CutSuffix(seg, "**"); ok && head != "" {
		return []string{head + "*", "**"}
	}
	if tail, ok := strings.CutPrefix(seg, "**"); ok && tail != "" {
		return []string{"**", "*" + tail}
	}
	parts := strings.Split(seg, "**")
	var out []string
	for i, part := range parts {
		if i > 0 {
			out = append(out, "**")
		}
		if part == "" {
			continue
		}
		switch i {
		case 0:
			out = append(out, part+"*")
		case len(parts) - 1:
			out = append(out, "*"+part)
		default:
			out = append(out, "*"+part+"*")
		}
	}
	return out
}

// matchSegs matches path segments against pattern segments, `**` consuming
// any number of them (a trailing `**` matches any remainder).
func matchSegs(pat, segs []string) (bool, error) {
	for len(pat) > 0 {
		if pat[0] == "**" {
			if len(pat) == 1 {
				return true, nil
			}
			for skip := 0; skip <= len(segs); skip++ {
				ok, err := matchSegs(pat[1:], segs[skip:])
				if err != nil || ok {
					return ok, err
				}
			}
			return false, nil
		}
		if len(segs) == 0 {
			return false, nil
		}
		ok, err := path.Match(pat[0], segs[0])
		if err != nil || !ok {
			return false, err
		}
		pat, segs = pat[1:], segs[1:]
	}
	return len(segs) == 0, nil
}
