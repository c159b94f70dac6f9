// Package may implements the cheap, three-valued pre-filters that let the
// injector skip packages and files that an aspect cannot possibly match.
package may

import "bytes"

// MatchType is the result of a pre-filter: Match (may match), NeverMatch
// (certainly does not) or Unknown.
type MatchType int

const (
	Unknown MatchType = iota
	Match
	NeverMatch
)

// And combines two results conjunctively.
func (m MatchType) And(o MatchType) MatchType {
	switch {
	case m == NeverMatch || o == NeverMatch:
		return NeverMatch
	case m == Match && o == Match:
		return Match
	default:
		return Unknown
	}
}

// Or combines two results disjunctively.
func (m MatchType) Or(o MatchType) MatchType {
	switch {
	case m == Match || o == Match:
		return Match
	case m == NeverMatch && o == NeverMatch:
		return NeverMatch
	default:
		return Unknown
	}
}

// Not negates a result conservatively: only NeverMatch becomes Match.
func (m MatchType) Not() MatchType {
	if m == NeverMatch {
		return Match
	}
	return Unknown
}

// PackageContext describes the package being compiled.
type PackageContext struct {
	ImportPath string
	// ImportMap holds the importcfg packagefile entries (direct deps only).
	ImportMap map[string]string
	TestMain  bool
	// RootModulePath is the main module's path ("" when unknown).
	RootModulePath string
}

// PackageImports tells whether the package can refer to the given path.
func (c *PackageContext) PackageImports(path string) MatchType {
	if path == "" {
		return Unknown
	}
	if path == c.ImportPath {
		return Match
	}
	if _, ok := c.ImportMap[path]; ok {
		return Match
	}
	return NeverMatch
}

// FileContext describes one source file before it is parsed.
type FileContext struct {
	FileContent []byte
	PackageName string
}

// FileContains is a raw substring search over the file's bytes. As in
// Orchestrion, an empty needle never matches.
func (c *FileContext) FileContains(s string) MatchType {
	if s == "" {
		return NeverMatch
	}
	if bytes.Contains(c.FileContent, []byte(s)) {
		return Match
	}
	return NeverMatch
}
