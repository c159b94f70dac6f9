package injector

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"sync/atomic"

	"github.com/orchestrion-ts/go-helpers/injector/lineinfo"
	"github.com/orchestrion-ts/go-helpers/injector/may"
)

// Partial weaving: a large file where aspects can match only a few top-level
// declarations (the runtime's proc.go, 7,800 lines, for one statement in
// goexit1) is decorated, walked and printed only for those declarations. The
// others stay as they are in the source, each run of them printed verbatim
// after a `//line file:L:1` directive, so that positions (columns too) still
// point at the original. Decorating and printing are most of a weave's time;
// the type-checking and the matching see the same nodes either way, so the
// woven code is the same, and only the layout of the untouched text differs
// (it keeps the source's own formatting).

// partialMinBytes: smaller files are woven whole (printing them is cheap, and
// their output then stays byte for byte that of a whole-file weave).
const partialMinBytes = 32 << 10

// partialMaxShare: when the declarations kept reach this share of the file,
// the whole file is woven.
const partialMaxShare = 0.5

// weaveWhole turns partial weaving off (tests compare both); partialWeaves
// counts the files woven partially.
var (
	weaveWhole    = false
	partialWeaves atomic.Int64
)

// segment is a run of top-level declarations sharing lines, with the lines
// before it since the previous run (comments, blank lines).
type segment struct {
	decls     []ast.Decl
	startLine int // first line of the segment (1-based)
	endLine   int // last line (the end of the file for the last segment)
	keep      bool
}

// partialPlan is a file reduced to the declarations aspects may match.
type partialPlan struct {
	file *ast.File // the file, other declarations replaced by placeholders
	// raw holds, per placeholder in order, the directive and text it stands for.
	raw [][]byte
	// placeholders are the declarations standing for the untouched text:
	// each a BadDecl covering it, so that dst's decorator, which looks at
	// every line of the file, takes it for one opaque node. Once restored,
	// each becomes a declaration of a marker name (go/format parses what it
	// prints), which splice finds.
	placeholders map[ast.Decl]bool
	// imports are the file's import specs, which the woven file must keep
	// under the same names (the untouched text uses them).
	imports []importName
}

type importName struct{ path, name string }

// placeholderPrefix starts the marker names of the placeholders.
const placeholderPrefix = "__orchestrion_ts_verbatim_"

// planPartial returns the reduced file, or nil when f is to be woven whole.
func (r *run) planPartial(f *sourceFile, info *types.Info) *partialPlan {
	if weaveWhole || r.ex != nil || len(f.content) < partialMinBytes {
		return nil
	}
	// The file's own //line directives would make "line L of the source" an
	// ambiguous position; the markers must not occur in it.
	if bytes.Contains(f.content, []byte("//line ")) || bytes.Contains(f.content, []byte("/*line ")) ||
		bytes.Contains(f.content, []byte(placeholderPrefix)) {
		return nil
	}
	tf := r.fset.File(f.ast.Pos())
	if tf == nil || tf.Size() != len(f.content) {
		return nil
	}
	line := func(p token.Pos) int { return tf.Line(p) }

	var importDecls []ast.Decl
	rest := f.ast.Decls
	for len(rest) > 0 {
		gd, ok := rest[0].(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			break
		}
		importDecls = append(importDecls, gd)
		rest = rest[1:]
	}
	if len(rest) == 0 {
		return nil
	}
	headerEnd := line(f.ast.Name.End())
	if n := len(importDecls); n > 0 {
		headerEnd = line(importDecls[n-1].End())
	}
	// The imports, which the woven file must keep under the same names, and
	// the local names of the non-blank ones in the file's order (the plan
	// must not vary).
	var imports []importName
	paths := map[string]bool{}
	names := map[string]bool{}
	var order []string
	for _, spec := range f.ast.Imports {
		p, err := strconv.Unquote(spec.Path.Value)
		if err != nil || p == "C" || paths[p] {
			// A package imported twice (net/http's server.go: net/url as url and
			// urlpkg) keeps one name in the woven file, which the untouched
			// text would miss.
			return nil
		}
		paths[p] = true
		written, local := "", ""
		if spec.Name != nil {
			written, local = spec.Name.Name, spec.Name.Name
		} else if pn, ok := info.Implicits[spec].(*types.PkgName); ok {
			local = pn.Name()
		} else {
			return nil
		}
		if local == "." {
			return nil // uses of a dot import do not show in the syntax
		}
		imports = append(imports, importName{p, written})
		if local != "_" && !names[local] {
			names[local] = true
			order = append(order, local)
		}
	}

	// Runs of declarations: a declaration starting on the line another ends
	// on belongs to the same run.
	var segs []*segment
	prevEnd := headerEnd
	for _, d := range rest {
		start := d.Pos()
		if doc := declDoc(d); doc != nil {
			start = doc.Pos()
		}
		if line(start) <= prevEnd {
			if len(segs) == 0 {
				return nil // shares a line with the imports
			}
			s := segs[len(segs)-1]
			s.decls = append(s.decls, d)
		} else {
			segs = append(segs, &segment{decls: []ast.Decl{d}, startLine: prevEnd + 1})
		}
		prevEnd = line(d.End())
		segs[len(segs)-1].endLine = prevEnd
	}
	segs[len(segs)-1].endLine = tf.LineCount()

	text := func(s *segment) []byte {
		start := tf.Offset(tf.LineStart(s.startLine))
		end := len(f.content)
		if s.endLine < tf.LineCount() {
			end = tf.Offset(tf.LineStart(s.endLine + 1))
		}
		return f.content[start:end]
	}

	// Keep the runs where an aspect may match: the file-level filters,
	// applied to the run's text and syntax alone, are as sound there as on the
	// whole file, since every join point matches nodes whose names, directives
	// and keywords are spelled inside the declaration holding them.
	for _, s := range segs {
		ctx := &may.FileContext{
			FileContent: text(s),
			PackageName: f.ast.Name.Name,
			AST:         &ast.File{Name: f.ast.Name, Decls: append(append([]ast.Decl{}, importDecls...), s.decls...), Imports: f.ast.Imports},
			ImportPath:  r.req.ImportPath,
		}
		for _, a := range f.aspects {
			if a.JoinPoint.FileMayMatch(ctx) != may.NeverMatch {
				s.keep = true
				break
			}
		}
	}

	// The restorer drops the imports the woven declarations do not use, and
	// the untouched text may need them: keep a run that uses each import.
	covered := map[string]bool{}
	for _, s := range segs {
		if s.keep {
			qualifiers(s.decls, names, covered)
		}
	}
	for _, n := range order {
		if covered[n] {
			continue
		}
		for _, s := range segs {
			if !s.keep && qualifiers(s.decls, map[string]bool{n: true}, nil) {
				s.keep = true
				qualifiers(s.decls, names, covered)
				break
			}
		}
		if !covered[n] {
			return nil
		}
	}

	kept := 0
	for _, s := range segs {
		if s.keep {
			kept += len(text(s))
		}
	}
	if float64(kept) >= partialMaxShare*float64(len(f.content)) {
		return nil
	}

	// The reduced file: the header, the kept runs, a placeholder per other
	// run; the comments of the header and of the kept runs.
	plan := &partialPlan{placeholders: map[ast.Decl]bool{}, imports: imports}
	red := *f.ast
	red.Decls = append([]ast.Decl{}, importDecls...)
	for i := 0; i < len(segs); i++ {
		s := segs[i]
		if s.keep {
			red.Decls = append(red.Decls, s.decls...)
			continue
		}
		// One placeholder for consecutive runs left untouched.
		for i+1 < len(segs) && !segs[i+1].keep {
			i++
			s = &segment{decls: s.decls, startLine: s.startLine, endLine: segs[i].endLine}
		}
		from := tf.LineStart(s.startLine)
		to := token.Pos(tf.Base() + tf.Size())
		if s.endLine < tf.LineCount() {
			to = tf.LineStart(s.endLine + 1)
		}
		ph := &ast.BadDecl{From: from, To: to}
		red.Decls = append(red.Decls, ph)
		plan.placeholders[ph] = true
		var raw bytes.Buffer
		raw.WriteString(lineinfo.Directive(f.name, s.startLine, 1) + "\n")
		raw.Write(text(s))
		if raw.Len() > 0 && raw.Bytes()[raw.Len()-1] != '\n' {
			raw.WriteByte('\n')
		}
		plan.raw = append(plan.raw, raw.Bytes())
	}
	// Comments and runs are both in the file's order.
	red.Comments = nil
	next := 0
	for _, cg := range f.ast.Comments {
		l := line(cg.Pos())
		for next < len(segs) && segs[next].endLine < l {
			next++
		}
		if l <= headerEnd || next < len(segs) && segs[next].keep {
			red.Comments = append(red.Comments, cg)
		}
	}
	if scope := info.Scopes[f.ast]; scope != nil {
		// Scope lookups by file (the decorator's resolver, synthetic imports).
		info.Scopes[&red] = scope
	}
	plan.file = &red
	return plan
}

// declDoc is a declaration's doc comment.
func declDoc(d ast.Decl) *ast.CommentGroup {
	switch d := d.(type) {
	case *ast.FuncDecl:
		return d.Doc
	case *ast.GenDecl:
		return d.Doc
	}
	return nil
}

// qualifiers records in found the names among names that qualify a selector
// (name.X) in decls, and tells whether there was any.
func qualifiers(decls []ast.Decl, names, found map[string]bool) bool {
	any := false
	for _, d := range decls {
		ast.Inspect(d, func(n ast.Node) bool {
			if se, ok := n.(*ast.SelectorExpr); ok {
				if x, ok := se.X.(*ast.Ident); ok && names[x.Name] {
					any = true
					if found != nil {
						found[x.Name] = true
					}
				}
			}
			return true
		})
	}
	return any
}

// mark replaces, in the restored file, each placeholder by a declaration of
// its marker name. It fails when the placeholders are not all found.
func (p *partialPlan) mark(file *ast.File) bool {
	n := 0
	for i, d := range file.Decls {
		bd, ok := d.(*ast.BadDecl)
		if !ok {
			continue
		}
		name := &ast.Ident{NamePos: bd.From, Name: fmt.Sprintf("%s%d", placeholderPrefix, n)}
		file.Decls[i] = &ast.GenDecl{TokPos: bd.From, Tok: token.VAR, Specs: []ast.Spec{&ast.ValueSpec{Names: []*ast.Ident{name}, Type: &ast.Ident{NamePos: bd.From, Name: "int"}}}}
		n++
	}
	return n == len(p.raw)
}

// splice replaces the marker lines of the printed file by the text they stand
// for. It fails unless each is found once, on a line of its own.
func (p *partialPlan) splice(printed []byte) ([]byte, bool) {
	out := make([]byte, 0, len(printed)+len(p.raw)*64)
	next := 0
	for len(printed) > 0 {
		ln := printed
		rest := []byte(nil)
		if i := bytes.IndexByte(printed, '\n'); i >= 0 {
			ln, rest = printed[:i+1], printed[i+1:]
		}
		printed = rest
		if bytes.Contains(ln, []byte(placeholderPrefix)) {
			if string(ln) != fmt.Sprintf("var %s%d int\n", placeholderPrefix, next) {
				return nil, false
			}
			out = append(out, p.raw[next]...)
			next++
			continue
		}
		out = append(out, ln...)
	}
	return out, next == len(p.raw)
}

// keepsImports tells whether the woven file imports every package of the
// original under the same name (the untouched text refers to them).
func (p *partialPlan) keepsImports(file *ast.File) bool {
	// The restored file's import declarations (its Imports list is not filled).
	have := map[importName]bool{}
	for _, d := range file.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		for _, s := range gd.Specs {
			spec := s.(*ast.ImportSpec)
			path, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				return false
			}
			name := ""
			if spec.Name != nil {
				name = spec.Name.Name
			}
			have[importName{path, name}] = true
		}
	}
	for _, im := range p.imports {
		if !have[im] {
			return false
		}
	}
	return true
}
