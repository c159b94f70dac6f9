// Package injector weaves aspects into the Go files of one package: it parses
// and type-checks them, walks every file depth-first (children before
// parents), applies the advice of matching aspects, and prints the modified
// files with //line directives that keep positions pointing at the originals.
package injector

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"go/version"
	"os"
	"sort"
	"strings"

	"github.com/dave/dst"
	"github.com/dave/dst/decorator"
	"github.com/dave/dst/decorator/resolver"
	"github.com/dave/dst/decorator/resolver/gotypes"
	"github.com/dave/dst/dstutil"

	"github.com/orchestrion-ts/go-helpers/api"
	"github.com/orchestrion-ts/go-helpers/injector/advice"
	"github.com/orchestrion-ts/go-helpers/injector/join"
	"github.com/orchestrion-ts/go-helpers/injector/lineinfo"
	"github.com/orchestrion-ts/go-helpers/injector/may"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
	"github.com/orchestrion-ts/go-helpers/injector/typed"
)

// maxEagerBytes: once this many bytes of the package have been read, files
// are no longer pre-filtered one by one (mirrors Orchestrion).
const maxEagerBytes = 1 << 19

// maxTypeWarnings caps the type-checking errors reported as warnings.
const maxTypeWarnings = 10

// sourceFile is one input file.
type sourceFile struct {
	path    string // as given in the request
	name    string // name used for positions (a leading //line may rename it)
	content []byte
	aspects []*Aspect // nil: parsed for type-checking only
	ast     *ast.File
	elided  bool // ast is of the content with its function bodies blanked
}

type run struct {
	req  *api.InstrumentRequest
	resp *api.InstrumentResponse
	fset *token.FileSet
	// imp imports through the kept packages (universe.go).
	imp   *universeImporter
	files []*sourceFile
	// ex collects the verdicts when the request asks for explain; else nil.
	ex *explainer
	// noBodies: the package was type-checked without function bodies
	// (bodiesMatter was false), so identifiers there are not in go/types'
	// Uses and the decorator resolves them through the file's imports.
	noBodies bool
}

func newResponse() *api.InstrumentResponse {
	return &api.InstrumentResponse{
		APIVersion: api.APIVersion,
		Files:      []api.File{},
		References: []api.Reference{},
		Errors:     []api.Diagnostic{},
		Warnings:   []api.Diagnostic{},
	}
}

// Instrument handles an instrument request.
func Instrument(req *api.InstrumentRequest) *api.InstrumentResponse {
	r := &run{req: req, resp: newResponse(), fset: token.NewFileSet()}
	if req.APIVersion == nil || *req.APIVersion != api.APIVersion {
		r.fail("", 0, 0, "", api.VersionMismatch(req.APIVersion))
		return r.resp
	}
	r.instrument()
	// Not reached after a panic: the universe, which may hold half a package, is dropped.
	if r.imp != nil {
		r.imp.release(true)
	}
	return r.resp
}

func (r *run) fail(file string, line, col int, aspect, msg string) {
	r.resp.Errors = append(r.resp.Errors, api.Diagnostic{File: file, Line: line, Column: col, Aspect: aspect, Message: msg})
}

func (r *run) warn(file string, line, col int, aspect, msg string) {
	r.resp.Warnings = append(r.resp.Warnings, api.Diagnostic{File: file, Line: line, Column: col, Aspect: aspect, Message: msg})
}

func (r *run) instrument() {
	req := r.req
	if req.ImportPath == "" {
		r.fail("", 0, 0, "", "missing importPath")
		return
	}

	var aspects []*Aspect
	for i, raw := range req.Aspects {
		a, err := DecodeAspect(i, raw)
		if err != nil {
			var ae *AspectError
			if errors.As(err, &ae) {
				r.fail("", 0, 0, ae.ID, err.Error())
			} else {
				r.fail("", 0, 0, "", err.Error())
			}
			continue
		}
		aspects = append(aspects, a)
	}
	if len(r.resp.Errors) > 0 {
		return
	}
	if req.Explain {
		r.ex = newExplainer(r)
		r.ex.aspects = aspects
		defer r.ex.finish()
	}

	mode := weaveModeOf(req.ImportPath)
	if req.IgnoreSpecialCases {
		mode = weaveNormally
	}
	switch mode {
	case weaveNever:
		r.ex.decide(aspects, func(*Aspect) bool { return true }, api.StagePackage, func(*Aspect) string {
			return req.ImportPath + " is special-cased: never woven"
		})
		return
	case weaveTracerInternalOnly:
		kept := aspects[:0:0]
		for _, a := range aspects {
			if a.TracerInternal {
				kept = append(kept, a)
			}
		}
		r.ex.decide(aspects, func(a *Aspect) bool { return !a.TracerInternal }, api.StagePackage, func(*Aspect) string {
			return req.ImportPath + " is special-cased: only tracer-internal aspects apply"
		})
		aspects = kept
	}

	cfg, err := readImportConfig(req.ImportCfg)
	if err != nil {
		r.fail(req.ImportCfg, 0, 0, "", fmt.Sprintf("reading importcfg: %v", err))
		return
	}
	if u := takeUniverse(cfg); u != nil && req.ImportCfg != "" {
		// The package's files go into the universe's file set too: positions of
		// its objects and of imported ones are then told apart (universe.go).
		r.fset = u.fset
		r.imp = newUniverseImporter(u, cfg)
	}

	// Package pre-filter.
	pkgCtx := &may.PackageContext{ImportPath: req.ImportPath, ImportMap: cfg.packageFile, TestMain: req.TestMain, RootModulePath: req.RootModulePath}
	kept := aspects[:0:0]
	for _, a := range aspects {
		if a.JoinPoint.PackageMayMatch(pkgCtx) != may.NeverMatch {
			kept = append(kept, a)
		}
	}
	r.ex.decide(aspects, func(a *Aspect) bool { return a.JoinPoint.PackageMayMatch(pkgCtx) == may.NeverMatch }, api.StagePackage, func(a *Aspect) string {
		return "the package-level filter rules out " + req.ImportPath + ": it cannot hold a " + join.Describe(a.JoinPoint)
	})
	aspects = kept
	if len(aspects) == 0 {
		return
	}

	files, ok := r.readFiles(aspects)
	if !ok {
		return
	}
	if files == nil {
		r.ex.reach(nil)
		return
	}
	r.files = files

	// Files no aspect can touch are parsed without their function bodies
	// when the package will be type-checked without them (elide.go).
	elide := r.req.StandardLibrary && r.ex == nil && !checkAllBodies && !needsExprTypes(files) && !aspectsNeedBodies(files)
	if !r.parse(files, elide) {
		r.ex.stopped(api.StageSyntax, "the package has syntax errors: left unchanged")
		return
	}
	// With the syntax trees, declaration-level filters are exact: keep only
	// the files an aspect can apply to, and stop if none is left.
	woven := false
	for _, f := range files {
		if len(f.aspects) > 0 {
			f.aspects = astFilter(f.aspects, f, r.req.ImportPath, r.ex != nil)
			woven = woven || len(f.aspects) > 0
		}
	}
	r.ex.reach(files)
	if !woven {
		return
	}

	withTypes := r.ex != nil || needsExprTypes(files)
	r.noBodies = r.req.StandardLibrary && !withTypes && !checkAllBodies && !bodiesMatter(files)
	if r.noBodies {
		bodiesSkipped.Add(1)
	} else if !r.restoreBodies(files) {
		return
	}
	warnings := len(r.resp.Warnings)
	info, pkg, ok := r.typeCheck(files, cfg, withTypes)
	if !ok && anyElided(files) {
		// Not the package's fault until checked as written.
		r.resp.Warnings = r.resp.Warnings[:warnings]
		if !r.restoreBodies(files) {
			return
		}
		info, pkg, ok = r.typeCheck(files, cfg, withTypes)
	}
	if !ok {
		r.ex.stopped(api.StageTypes, "the package does not type-check: left unchanged")
		return
	}
	defer r.ex.sortMatches()

	res := &packageNames{cfg: cfg, fset: token.NewFileSet(), known: map[string]string{}}
	res.learn(pkg, map[*types.Package]bool{})

	refs := map[string]*api.Reference{}
	minLang := ""
	for _, f := range files {
		if len(f.aspects) == 0 {
			continue
		}
		out, file, ok := r.weave(f, info, pkg, res)
		if !ok {
			continue
		}
		if out == nil {
			continue
		}
		woven := api.File{Path: f.path, Content: string(out), Generated: file.Generated}
		if f.name != f.path {
			woven.ParsedAs = f.name
		}
		r.resp.Files = append(r.resp.Files, woven)
		for _, ref := range file.Refs.List() {
			kind := api.KindRelocation
			if ref.Kind == typed.ImportStatement {
				kind = api.KindImport
			}
			if prev, found := refs[ref.Path]; found {
				if kind == api.KindImport {
					prev.Kind = kind
				}
				continue
			}
			refs[ref.Path] = &api.Reference{Path: ref.Path, Kind: kind, Aspect: ref.Aspect}
		}
		if file.MinLang != "" && (minLang == "" || version.Compare(version.Lang(file.MinLang), version.Lang(minLang)) > 0) {
			minLang = file.MinLang
		}
	}
	if len(r.resp.Errors) > 0 {
		// A failure in one file leaves the whole package unchanged.
		r.resp.Files = []api.File{}
		return
	}
	for _, ref := range refs {
		r.resp.References = append(r.resp.References, *ref)
	}
	sort.Slice(r.resp.References, func(i, j int) bool { return r.resp.References[i].Path < r.resp.References[j].Path })
	r.resp.LangLevel = minLang
}

// readFiles reads the package's files and assigns each the aspects that may
// match it. It returns nil when no file can match anything.
func (r *run) readFiles(aspects []*Aspect) ([]*sourceFile, bool) {
	files := make([]*sourceFile, 0, len(r.req.Files))
	total := 0
	eager := true // still filtering file by file
	for _, path := range r.req.Files {
		data, err := os.ReadFile(path)
		if err != nil {
			r.fail(path, 0, 0, "", fmt.Sprintf("reading %q: %v", path, err))
			return nil, false
		}
		name, content := consumeLineDirective(path, data)
		f := &sourceFile{path: path, name: name, content: content}
		files = append(files, f)

		total += len(content)
		if total > maxEagerBytes {
			eager = false
		}
		if !eager && r.ex != nil {
			// Orchestrion stops filtering here; explain reports as it would.
			f.aspects = aspects
			continue
		}
		// The filter is sound: a file it rules out is only type-checked (and
		// may then be parsed without its function bodies).
		f.aspects = fileFilter(aspects, f)
		if len(f.aspects) > 0 {
			eager = false
		}
	}
	if eager {
		return nil, true
	}
	return files, true
}

func fileFilter(aspects []*Aspect, f *sourceFile) []*Aspect {
	clause, err := parser.ParseFile(token.NewFileSet(), f.name, f.content, parser.PackageClauseOnly)
	if err != nil || clause.Name == nil {
		// Let the full parse report the problem.
		return aspects
	}
	ctx := &may.FileContext{FileContent: f.content, PackageName: clause.Name.Name}
	var out []*Aspect
	for _, a := range aspects {
		if a.JoinPoint.FileMayMatch(ctx) != may.NeverMatch {
			out = append(out, a)
		}
	}
	return out
}

// astFilter is fileFilter once the file is parsed.
func astFilter(aspects []*Aspect, f *sourceFile, importPath string, explaining bool) []*Aspect {
	ctx := &may.FileContext{FileContent: f.content, PackageName: f.ast.Name.Name, AST: f.ast, ImportPath: importPath, Explaining: explaining}
	var out []*Aspect
	for _, a := range aspects {
		if a.JoinPoint.FileMayMatch(ctx) != may.NeverMatch {
			out = append(out, a)
		}
	}
	return out
}

// parse parses every file; with elide, those without aspects have their
// function bodies blanked. A package with a syntax error is left unchanged
// (the errors are only warnings): the compiler then reports it in its own
// words, as a build without orchestrion would.
func (r *run) parse(files []*sourceFile, elide bool) bool {
	ok := true
	for _, f := range files {
		if elide && len(f.aspects) == 0 {
			if src, did := elideBodies(f.content); did {
				if af, err := parser.ParseFile(r.fset, f.name, src, parser.SkipObjectResolution); err == nil {
					f.ast, f.elided = af, true
					elidedFiles.Add(1)
					continue
				}
			}
		}
		ok = r.parseSource(f) && ok
	}
	return ok
}

// parseSource parses the file as it is written; its syntax errors become
// warnings.
func (r *run) parseSource(f *sourceFile) bool {
	af, err := parser.ParseFile(r.fset, f.name, f.content, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		var list scanner.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				r.warn(e.Pos.Filename, e.Pos.Line, e.Pos.Column, "", "syntax error, package left unchanged: "+e.Msg)
			}
		} else {
			r.warn(f.name, 0, 0, "", "package left unchanged: "+err.Error())
		}
		return false
	}
	f.ast, f.elided = af, false
	return true
}

// needsExprTypes: whether an aspect left on some file may ask for the type of
// an expression (join.NeedsExprTypes, or a template calling one of the
// *Implements functions of code/function.go).
func needsExprTypes(files []*sourceFile) bool {
	for _, f := range files {
		for _, a := range f.aspects {
			if join.NeedsExprTypes(a.JoinPoint) || bytes.Contains(a.rawAdvice, []byte("Implements")) {
				return true
			}
		}
	}
	return false
}

// importer is the universe's, or without an importcfg go/importer's (every
// import then fails).
func (r *run) importer(cfg *importConfig) types.Importer {
	if r.imp != nil {
		return r.imp
	}
	return cfg.newImporter(r.fset)
}

// check type-checks the files with imp; the errors are the package's.
func (r *run) check(files []*sourceFile, imp types.Importer, withTypes bool) (*types.Info, *types.Package, []types.Error) {
	info := &types.Info{
		Defs:   map[*ast.Ident]types.Object{},
		Uses:   map[*ast.Ident]types.Object{},
		Scopes: map[ast.Node]*types.Scope{},
		// The names of unnamed imports (partial weaving keeps them in use).
		Implicits: map[ast.Node]types.Object{},
	}
	if withTypes {
		info.Types = map[ast.Expr]types.TypeAndValue{}
	}
	var typeErrs []types.Error
	conf := types.Config{
		GoVersion:        r.req.GoVersion,
		IgnoreFuncBodies: r.noBodies,
		Importer:         imp,
		Sizes:            types.SizesFor("gc", r.req.GOARCH),
		Error: func(err error) {
			if te, ok := err.(types.Error); ok {
				typeErrs = append(typeErrs, te)
			}
		},
	}
	if conf.Sizes == nil {
		conf.Sizes = types.SizesFor("gc", "amd64")
	}
	astFiles := make([]*ast.File, len(files))
	for i, f := range files {
		astFiles[i] = f.ast
	}
	pkg, _ := conf.Check(r.req.ImportPath, r.fset, astFiles, info)
	return info, pkg, typeErrs
}

// typeCheck checks the package; info.Types is recorded only withTypes (explain
// always asks: its verdicts name the types it saw).
func (r *run) typeCheck(files []*sourceFile, cfg *importConfig, withTypes bool) (*types.Info, *types.Package, bool) {
	info, pkg, typeErrs := r.check(files, r.importer(cfg), withTypes)
	if r.imp != nil && r.imp.readErr != nil {
		// Export data x/tools cannot read (a newer toolchain's format): go/importer,
		// from the toolchain this module was built with, can. No more universes.
		disableUniverses()
		r.imp.spoilt = true
		info, pkg, typeErrs = r.check(files, cfg.newImporter(r.fset), withTypes)
	}
	if r.req.ImportCfg == "" {
		// Without importcfg imports cannot be resolved: the errors are
		// expected, and the partial information (which still maps qualified
		// names to import paths) is used as is.
		return info, pkg, true
	}
	if len(typeErrs) == 0 {
		return info, pkg, true
	}
	// Errors in the user's code (a language feature newer than -lang
	// included) are the compiler's to report, in its own words: the package
	// is compiled unchanged.
	for i, te := range typeErrs {
		if i == maxTypeWarnings {
			r.warn("", 0, 0, "", fmt.Sprintf("%d more type-checking errors", len(typeErrs)-i))
			break
		}
		pos := te.Fset.Position(te.Pos)
		r.warn(pos.Filename, pos.Line, pos.Column, "", "type-checking failed, package left unchanged: "+te.Msg)
	}
	return nil, nil, false
}

// weave applies the aspects to one file. It returns the new content, or nil
// when the file is unchanged.
func (r *run) weave(f *sourceFile, info *types.Info, pkg *types.Package, names *packageNames) ([]byte, *nodectx.File, bool) {
	if plan := r.planPartial(f, info); plan != nil {
		if out, file, ok, done := r.weaveFile(f, plan, info, pkg, names); done {
			partialWeaves.Add(1)
			return out, file, ok
		}
		// The woven declarations lost an import the untouched text uses, or
		// the printed file cannot be told apart from the untouched text.
	}
	out, file, ok, _ := r.weaveFile(f, nil, info, pkg, names)
	return out, file, ok
}

// weaveFile weaves the file, or with plan only its kept declarations. done is
// false when the plan cannot be used (nothing was reported then).
func (r *run) weaveFile(f *sourceFile, plan *partialPlan, info *types.Info, pkg *types.Package, names *packageNames) (out []byte, shared *nodectx.File, ok, done bool) {
	var idents resolver.DecoratorResolver = gotypes.New(info.Uses)
	if r.noBodies {
		idents = &importsResolver{types: gotypes.New(info.Uses), uses: info.Uses, scopes: info.Scopes}
	}
	dec := decorator.NewDecoratorWithImports(r.fset, r.req.ImportPath, idents)
	source := f.ast
	if plan != nil {
		source = plan.file
	}
	file, err := dec.DecorateFile(source)
	if err != nil {
		r.fail(f.name, 0, 0, "", fmt.Sprintf("decorating: %v", err))
		return nil, nil, false, true
	}
	opaque := map[dst.Node]bool{} // the placeholders of a partial weave
	if plan != nil {
		for ph := range plan.placeholders {
			opaque[dec.Dst.Nodes[ph]] = true
		}
	}

	version := r.req.OrchestrionVersion
	if version == "" {
		version = api.DefaultOrchestrionVersion
	}
	shared = &nodectx.File{
		File:       file,
		ImportPath: r.req.ImportPath,
		TestMain:   r.req.TestMain,
		Types:      info,
		Package:    pkg,
		NodeMap:    dec.Ast.Nodes,
		Refs:       typed.NewReferenceMap(dec.Ast.Nodes, info.Scopes),
		Parse:      func(src []byte) (*dst.File, error) { return dec.Parse(src) },
		Version:    version,

		RootModulePath: r.req.RootModulePath,
		RootConfig:     rootConfigOf(r.req),
	}

	var (
		chain    *nodectx.Chain
		modified bool
		failure  error
		failAt   dst.Node
		failAsp  string
	)
	pre := func(c *dstutil.Cursor) bool {
		if failure != nil || c.Node() == nil || opaque[c.Node()] || ignored(c.Node()) {
			return false
		}
		chain = chain.Push(c.Node(), c.Name(), c.Index())
		return true
	}
	fx := r.ex.forFile(shared)
	post := func(c *dstutil.Cursor) bool {
		defer func() { chain = chain.Parent() }()
		ctx := nodectx.New(chain, shared, c)
		changed, asp, err := applyAt(ctx, f.aspects, fx)
		modified = modified || changed
		if err != nil {
			failure, failAt, failAsp = err, c.Node(), asp
			return false
		}
		return true
	}
	dstutil.Apply(file, pre, post)

	if failure != nil {
		line, col := 0, 0
		if an := dec.Ast.Nodes[failAt]; an != nil {
			p := r.fset.Position(an.Pos())
			line, col = p.Line, p.Column
		}
		r.fail(f.name, line, col, failAsp, failure.Error())
		return nil, nil, false, true
	}

	// Imports are added after the walk: a new import declaration would shift
	// the declaration list under the cursor.
	if shared.Refs.AddSyntheticImports(file) {
		modified = true
	}
	if !modified {
		return nil, shared, true, true
	}

	canonicalizeImports(file)
	// The wasm build patches this restorer (see go-helpers/README.md): on
	// Go 1.26+ js/wasm, dst's own writes a nil map key that crashes on large
	// files.
	newRestorer := func() *decorator.FileRestorer {
		return &decorator.FileRestorer{
			Restorer: decorator.NewRestorerWithImports(r.req.ImportPath, names),
			Name:     f.name,
		}
	}
	shared.Generated, err = lineinfo.Annotate(dec, file, newRestorer, shared.Origins, func(n dst.Node) bool { return opaque[n] })
	if err != nil {
		r.fail(f.name, 0, 0, "", fmt.Sprintf("annotating line information: %v", err))
		return nil, nil, false, true
	}
	res := newRestorer()
	restored, err := res.RestoreFile(file)
	if err != nil {
		r.fail(f.name, 0, 0, "", fmt.Sprintf("restoring: %v", err))
		return nil, nil, false, true
	}
	if plan != nil && (!plan.keepsImports(restored) || !plan.mark(restored)) {
		return nil, nil, false, false
	}
	var buf bytes.Buffer
	if err := format.Node(&buf, res.Fset, restored); err != nil {
		r.fail(f.name, 0, 0, "", fmt.Sprintf("formatting: %v", err))
		return nil, nil, false, true
	}
	out = lineinfo.PostProcess(buf.Bytes())
	if plan != nil {
		if out, ok = plan.splice(out); !ok {
			return nil, nil, false, false
		}
	}
	if bytes.Count(out, []byte("//line "+lineinfo.Generated+":")) != len(shared.Generated) {
		shared.Generated = nil // not one aspect per directive: say nothing rather than something wrong
	}
	return out, shared, true, true
}

// applyAt matches every aspect against the node first, then applies the
// advice of the matching ones in sorted order. On failure it returns the ID of
// the aspect whose advice failed. fx (explain only, else nil) sees each verdict.
func applyAt(ctx *nodectx.Context, aspects []*Aspect, fx *fileExplainer) (bool, string, error) {
	var list []*advice.Ordered
	var owners []*Aspect // with fx: the aspect of each advice of list
	for _, a := range aspects {
		if !a.JoinPoint.Matches(ctx) {
			if fx != nil {
				fx.missed(ctx, a)
			}
			continue
		}
		for _, adv := range a.Advice {
			list = append(list, advice.NewOrdered(a.ID, adv, len(list)))
			if fx != nil {
				owners = append(owners, a)
			}
		}
	}
	if len(list) == 0 {
		return false, "", nil
	}
	advice.Sort(list)
	if fx != nil {
		fx.matched(ctx, list, owners)
	}
	changed := false
	for _, o := range list {
		ctx.Shared().Aspect = o.AspectID
		ok, err := o.Apply(ctx)
		changed = changed || ok
		if err != nil {
			return changed, o.AspectID, fmt.Errorf("%q[%d]: %w", o.AspectID, o.Index, err)
		}
	}
	return changed, "", nil
}

// ignored tells whether the node opts out of instrumentation, with its whole
// subtree, through `//orchestrion:ignore` (or the legacy `//dd:ignore`).
func ignored(n dst.Node) bool {
	for _, c := range n.Decorations().Start.All() {
		for _, d := range [...]string{"//orchestrion:ignore", "//dd:ignore"} {
			if c == d || strings.HasPrefix(c, d+" ") {
				return true
			}
		}
	}
	return false
}

// rootConfigOf is the request's root configuration, Orchestrion's
// compile-time default when the request has none.
func rootConfigOf(req *api.InstrumentRequest) map[string]string {
	if req.RootConfig == nil {
		return api.DefaultRootConfig()
	}
	return req.RootConfig
}
