// Package api defines the JSON messages exchanged between the TypeScript side
// of orchestrion-ts and the WebAssembly injector module. This file is the
// single definition of that wire format; bump APIVersion on any incompatible
// change.
package api

import "encoding/json"

// APIVersion is the version of the wire format implemented by this module.
// Every request carries the version its sender expects; a mismatch is
// reported as an error naming both versions.
const APIVersion = 0

// Aspect is one aspect from orchestrion.yml, converted to JSON as-is
// (join points and advice are YAML-shaped singleton mappings).
type Aspect = json.RawMessage

// InstrumentRequest asks the injector to weave the aspects into one package.
type InstrumentRequest struct {
	APIVersion *int   `json:"apiVersion"`
	ImportPath string `json:"importPath"`
	// GoVersion is the compiler's -lang value (e.g. "go1.22"); may be empty.
	GoVersion string `json:"goVersion"`
	GOOS      string `json:"goos"`
	GOARCH    string `json:"goarch"`
	// Files are absolute paths of every Go file of the package; they are read
	// from disk by the injector.
	Files []string `json:"files"`
	// ImportCfg is the path of the compile's -importcfg file; may be empty, in
	// which case imports cannot be resolved (see README of the injector).
	ImportCfg string   `json:"importcfg"`
	Aspects   []Aspect `json:"aspects"`

	// Optional extensions (may be omitted).

	// TestMain is true when compiling the synthetic test main package.
	TestMain bool `json:"testMain,omitempty"`
	// OrchestrionVersion is the value of the `Version` template function;
	// defaults to DefaultOrchestrionVersion.
	OrchestrionVersion string `json:"orchestrionVersion,omitempty"`
	// RootModulePath is the module path of the main module of the build (the
	// module of the directory the build runs in); `package-filter` with
	// `root: true` uses it. Empty: such filters never match.
	RootModulePath string `json:"rootModulePath,omitempty"`
	// RootConfig is the configuration map read by the deprecated
	// `configuration` join point. Absent (null): DefaultRootConfig, as in
	// Orchestrion's compile step; an empty object means no configuration.
	RootConfig map[string]string `json:"rootConfig,omitempty"`
	// IgnoreSpecialCases weaves the package even when its import path is one
	// Orchestrion's compile step special-cases (never woven, or tracer-internal
	// aspects only), as Orchestrion's injector tests do. A testing aid.
	IgnoreSpecialCases bool `json:"ignoreSpecialCases,omitempty"`
	// Explain asks for a verdict on every aspect sent (`orchestrion
	// instrument -explain`): InstrumentResponse.Explain. Without it, none of
	// that bookkeeping runs.
	Explain bool `json:"explain,omitempty"`
	// StandardLibrary: the package is in the toolchain's standard library
	// (its compile has -std), so it type-checks. When no aspect looks inside
	// function bodies they are then not type-checked: an error there would
	// reach the compiler through the woven file, whose line directives carry
	// no columns, where Orchestrion leaves a package that does not
	// type-check unwoven for the compiler to report.
	StandardLibrary bool `json:"standardLibrary,omitempty"`
}

// DefaultRootConfig is the root configuration Orchestrion uses when weaving
// at compile time.
func DefaultRootConfig() map[string]string { return map[string]string{"httpmode": "wrap"} }

// DefaultOrchestrionVersion is what the `Version` template function returns
// when the request does not say otherwise.
const DefaultOrchestrionVersion = "v1.12.0"

// File is a modified source file.
type File struct {
	Path    string `json:"path"`
	Content string `json:"content"`
	// Generated names, for each `//line <generated>:1` directive of Content
	// in order, the aspect whose template produced the code that follows it
	// ("" when unknown); absent when unknown for the file.
	Generated []string `json:"generated,omitempty"`
	// ParsedAs is the name the file was parsed under when a leading `//line`
	// directive named another file (absent otherwise). Orchestrion names the
	// woven file after its base name.
	ParsedAs string `json:"parsedAs,omitempty"`
}

// Reference kinds.
const (
	// KindImport: an import spec was added; the package must be in importcfg.
	KindImport = "import"
	// KindRelocation: only referenced through //go:linkname; the linker needs it.
	KindRelocation = "relocation"
)

// Reference is a synthetic reference: an import path newly referenced by the
// modified files.
type Reference struct {
	Path   string `json:"path"`
	Kind   string `json:"kind"`
	Aspect string `json:"aspect"`
}

// Diagnostic is an error or warning. Positions are 0 when unknown.
type Diagnostic struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Aspect  string `json:"aspect"`
	Message string `json:"message"`
}

// InstrumentResponse is the result of an instrument request. Only modified
// files are listed. Slices are never null in the JSON encoding.
type InstrumentResponse struct {
	APIVersion int          `json:"apiVersion"`
	Files      []File       `json:"files"`
	References []Reference  `json:"references"`
	LangLevel  string       `json:"langLevel"`
	Errors     []Diagnostic `json:"errors"`
	Warnings   []Diagnostic `json:"warnings"`
	// Explain: with InstrumentRequest.Explain, one verdict per aspect sent,
	// in request order.
	Explain []AspectVerdict `json:"explain,omitempty"`
}

// Explain stages, in pipeline order.
const (
	// StagePackage: the package-level filter (or a special case) ruled the package out.
	StagePackage = "package"
	// StageFile: the file-level filter ruled out every file.
	StageFile = "file"
	// StageSyntax: no node of the join point's shape.
	StageSyntax = "syntax"
	// StageTypes: nodes of that shape, rejected by a type check.
	StageTypes = "types"
	// StageMatched: the aspect applied.
	StageMatched = "matched"
)

// Position is a place in an original source file (1-based line and column).
type Position struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// Match is one place an aspect applied, with the advice kinds applied there
// in order.
type Match struct {
	Position
	Advice []string `json:"advice"`
}

// AspectVerdict says why the aspect at AspectIndex of the request did or did
// not apply. At is the first node rejected by types; Matches (StageMatched)
// every place it applied.
type AspectVerdict struct {
	AspectIndex int       `json:"aspectIndex"`
	Stage       string    `json:"stage"`
	Reason      string    `json:"reason"`
	At          *Position `json:"at,omitempty"`
	Matches     []Match   `json:"matches,omitempty"`
}

// ValidateRequest asks for the aspects to be decoded (and their templates
// parsed) without touching any Go source.
type ValidateRequest struct {
	APIVersion *int     `json:"apiVersion"`
	Aspects    []Aspect `json:"aspects"`
}

// ValidationError describes one invalid aspect. AspectIndex is -1 for errors
// that concern the request itself (e.g. a version mismatch).
type ValidationError struct {
	AspectIndex int    `json:"aspectIndex"`
	Aspect      string `json:"aspect"`
	// Path locates the faulty element inside the aspect, e.g.
	// "join-point.function-body" or "advice[0].prepend-statements.template".
	Path    string `json:"path"`
	Message string `json:"message"`
}

// ValidateResponse lists every problem found; an empty list means valid.
type ValidateResponse struct {
	APIVersion int               `json:"apiVersion"`
	Errors     []ValidationError `json:"errors"`
}

// VersionMismatch returns the message used when a request's apiVersion is not
// APIVersion (or is missing).
func VersionMismatch(got *int) string {
	if got == nil {
		return "API version mismatch: request has no apiVersion, this injector implements version 0"
	}
	return "API version mismatch: request uses version " + itoa(*got) + ", this injector implements version " + itoa(APIVersion)
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
