// Package lineinfo adds `//line` directives to a modified file so that
// positions of original code still point at the user's file, and generated
// code is attributed to "<generated>" (config.md §4.5).
package lineinfo

import (
	"bytes"
	"go/ast"
	"go/token"
	"strconv"

	"github.com/dave/dst"
	"github.com/dave/dst/decorator"
)

// Generated is the file name given to synthetic code.
const Generated = "<generated>"

// Annotate adds the directives to file, which dec produced. newRestorer makes
// the restorer that will be used to print the file, so that the line numbers
// observed here are the final ones. origins maps the roots of generated code
// to their aspect; the result lists, for each `<generated>` directive in
// order, the aspect of the code it introduces ("" when unknown). Opaque nodes
// are left alone and stand for text of unknown length: the node after one
// always gets a directive.
func Annotate(dec *decorator.Decorator, file *dst.File, newRestorer func() *decorator.FileRestorer, origins map[dst.Node]string, opaque func(dst.Node) bool) ([]string, error) {
	normalizeSpacing(file)

	res := newRestorer()
	restored, err := res.RestoreFile(file)
	if err != nil {
		return nil, err
	}
	w := &annotator{dec: dec, res: res, origins: origins, opaque: opaque}
	ast.Walk(w, restored)
	return w.generated, nil
}

// position is a file/line pair, before ("printed") or after ("logical")
// applying //line directives.
type position struct {
	file string
	line int
}

type annotator struct {
	dec *decorator.Decorator
	res *decorator.FileRestorer

	origins   map[dst.Node]string
	opaque    func(dst.Node) bool
	generated []string // aspect of each <generated> directive

	printed position // where the last visited node is printed
	logical position // where it claims to be after directives
	stack   []dst.Node
}

func (w *annotator) Visit(node ast.Node) ast.Visitor {
	if node == nil {
		w.leave()
		return nil
	}

	dn := w.res.Dst.Nodes[node]
	if dn != nil && w.opaque != nil && w.opaque(dn) {
		// No position in force after it: the next node gets a directive.
		w.printed, w.logical = position{}, position{file: "\x00"}
		return nil
	}
	before := struct{ printed, logical position }{w.printed, w.logical}

	pos := w.res.Fset.Position(node.Pos())
	w.printed = position{pos.Filename, pos.Line}

	w.stack = append(w.stack, dn)
	if dn == nil {
		// Not mapped by dst (e.g. some *ast.FuncType); nothing to attach to.
		return w
	}

	if before.logical.file == "" {
		// First node of the file: anchor everything on the original file.
		if of, ok := w.dec.Ast.Nodes[dn].(*ast.File); ok && of.Doc != nil && len(of.Comments) > 0 && of.Comments[0] == of.Doc {
			// The package's doc comment opens the file, and go/printer moves
			// a directive in a doc comment to its end: anchor there, on the
			// package clause. The file still opens with the usual directive,
			// which names the original (orchestrion diff reads it), apart
			// from the doc comment.
			dn.Decorations().Start.Prepend(directive(position{pos.Filename, 1}, true), "\n")
			at := w.dec.Fset.Position(of.Package)
			before.logical = position{at.Filename, at.Line}
			before.printed = w.printed
			dn.Decorations().Start.Append(Directive(at.Filename, at.Line, at.Column))
		} else {
			before.logical = position{pos.Filename, 1}
			dn.Decorations().Start.Prepend(directive(before.logical, true))
		}
	}

	var orig token.Position
	if on := w.dec.Ast.Nodes[dn]; on != nil {
		orig = w.dec.Fset.Position(on.Pos())
	}

	if orig.Filename == "" {
		if _, isIdent := dn.(*dst.Ident); isIdent && orig.Line == 0 {
			// An identifier synthesized by import management inside a
			// qualified name; its parent carries the right information.
			return w
		}
		w.logical = position{Generated, 1}
		if before.logical.file != Generated {
			addDirective(dn, w.logical)
			w.generated = append(w.generated, w.origin())
		}
		return w
	}

	w.logical = position{orig.Filename, orig.Line}

	if w.printed == w.logical && w.logical.file == before.logical.file {
		return w // printed where it was, in the same file: nothing to say
	}
	if w.logical.line-before.logical.line == w.printed.line-before.printed.line &&
		before.printed.file == w.printed.file && before.logical.file == w.logical.file {
		return w // the directive in force already maps this line correctly
	}
	addDirective(dn, w.logical)
	return w
}

// origin is the aspect of the innermost generated root enclosing the node
// being visited.
func (w *annotator) origin() string {
	for i := len(w.stack) - 1; i >= 0; i-- {
		if id, ok := w.origins[w.stack[i]]; ok {
			return id
		}
	}
	return ""
}

func (w *annotator) leave() {
	top := len(w.stack) - 1
	if gd, ok := w.stack[top].(*dst.GenDecl); ok && gd.Lparen && len(gd.Specs) == 1 {
		// A declaration with a single spec prints without parentheses; its
		// spec's leading comments read better on the declaration.
		specDecs := gd.Specs[0].Decorations()
		gd.Decs.Start = append(gd.Decs.Start, specDecs.Start...)
		specDecs.Start.Clear()
	}
	w.stack = w.stack[:top]
}

func addDirective(n dst.Node, at position) {
	decs := n.Decorations()
	decs.Start.Append(directive(at, false))
	if decs.Before == dst.None {
		decs.Before = dst.NewLine
	}
}

// directive formats `//line file:line`. Line 0 is omitted; only the directive
// at the start of the file uses the `:1:1` form.
// Directive formats `//line file:line:column`, without the column when it is
// 0 (unknown): the position of the line that follows it.
func Directive(file string, line, column int) string {
	d := "//line " + file + ":" + strconv.Itoa(line)
	if column > 0 {
		d += ":" + strconv.Itoa(column)
	}
	return d
}

func directive(at position, fileStart bool) string {
	var b bytes.Buffer
	b.WriteString("//line ")
	b.WriteString(at.file)
	switch {
	case at.line == 0:
	case at.line == 1 && fileStart:
		b.WriteString(":1:1")
	default:
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(at.line))
	}
	return b.String()
}
