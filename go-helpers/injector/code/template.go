// Package code implements code templates: Go text/template strings that
// render to Go source, which is parsed into syntax nodes and spliced into the
// file being instrumented (config.md §4).
package code

import (
	"bytes"
	"errors"
	"fmt"
	"go/token"
	"go/version"
	"strconv"
	"strings"
	"text/template"

	"github.com/dave/dst"
	"github.com/dave/dst/dstutil"

	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
)

// Names of the wrapper templates the user template is rendered within.
const (
	statementsWrapper   = "_statements_"
	declarationsWrapper = "_declarations_"
	userTemplate        = "code.Template"
)

// funcs is the function map shared by parsing (validation) and rendering.
// Rendering rebinds "Version" to the request's value.
func funcs(version string) template.FuncMap {
	return template.FuncMap{"Version": func() string { return version }}
}

// The user template is rendered as the body of a function (statements and
// expressions) or as the rest of a file (declarations), then parsed as Go.
var wrappers = template.Must(template.New(userTemplate).Funcs(funcs("")).Parse(`
{{- define "` + statementsWrapper + `" -}}
package _
func _() {
	{{ template "` + userTemplate + `" . }}
}
{{- end -}}
{{- define "` + declarationsWrapper + `" -}}
package _
{{ template "` + userTemplate + `" . }}
{{- end -}}
`))

// Template is a parsed code template.
type Template struct {
	tmpl *template.Template
	// Imports maps names usable in the template to import paths.
	Imports map[string]string
	Source  string
	// Lang is the minimum Go language level the output requires ("" = none).
	Lang string
}

// NewTemplate parses text with the same function map used at render time.
func NewTemplate(text string, imports map[string]string, lang string) (*Template, error) {
	if lang != "" && !version.IsValid(lang) {
		return nil, fmt.Errorf("invalid go language level (expected e.g, \"go1.18\"): %q", lang)
	}
	t, err := template.Must(wrappers.Clone()).Parse(text)
	if err != nil {
		return nil, err
	}
	return &Template{tmpl: t, Imports: imports, Source: text, Lang: lang}, nil
}

// AddedImports lists the import paths the template may introduce.
func (t *Template) AddedImports() []string {
	out := make([]string, 0, len(t.Imports))
	for _, p := range t.Imports {
		out = append(out, p)
	}
	return out
}

// CompileBlock renders the template as statements wrapped in a new block.
func (t *Template) CompileBlock(ctx *nodectx.Context) (*dst.BlockStmt, error) {
	stmts, err := t.compileStatements(ctx)
	if err != nil {
		return nil, err
	}
	block := &dst.BlockStmt{List: stmts}
	ctx.MarkGenerated(block)
	return block, nil
}

// CompileExpression renders the template as exactly one expression.
func (t *Template) CompileExpression(ctx *nodectx.Context) (dst.Expr, error) {
	stmts, err := t.compileStatements(ctx)
	if err != nil {
		return nil, fmt.Errorf("CompileExpression: %w", err)
	}
	if len(stmts) != 1 {
		return nil, fmt.Errorf("template must produce exactly 1 statement, but produced %d statements", len(stmts))
	}
	es, ok := stmts[0].(*dst.ExprStmt)
	if !ok {
		return nil, fmt.Errorf("template must produce an expression, but produced %T", stmts[0])
	}
	es.X.Decorations().Start = es.Decs.Start
	es.X.Decorations().End = es.Decs.End
	ctx.MarkGenerated(es.X)
	return es.X, nil
}

// CompileDeclarations renders the template as top-level declarations.
func (t *Template) CompileDeclarations(ctx *nodectx.Context) ([]dst.Decl, error) {
	decls, err := t.compile(ctx, declarationsWrapper)
	if err != nil {
		return nil, fmt.Errorf("CompileDeclarations: %w", err)
	}
	for _, d := range decls {
		ctx.MarkGenerated(d)
	}
	return decls, nil
}

func (t *Template) compileStatements(ctx *nodectx.Context) ([]dst.Stmt, error) {
	decls, err := t.compile(ctx, statementsWrapper)
	if err != nil {
		return nil, err
	}
	return decls[0].(*dst.FuncDecl).Body.List, nil
}

// render executes the template within wrapper for the context's node.
func (t *Template) render(ctx *nodectx.Context, wrapper string, probe bool) ([]byte, *dot, error) {
	tmpl := template.Must(t.tmpl.Clone()).Funcs(funcs(ctx.Version()))
	d := &dot{ctx: ctx, probe: probe}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, wrapper, d); err != nil {
		return nil, nil, err
	}
	return buf.Bytes(), d, nil
}

func (t *Template) compile(ctx *nodectx.Context, wrapper string) ([]dst.Decl, error) {
	src, d, err := t.render(ctx, wrapper, false)
	if err != nil {
		return nil, err
	}

	file, err := ctx.ParseSource(src)
	if err != nil {
		return nil, fmt.Errorf("while parsing generated code: %w\n%s", err, numberLines(string(src)))
	}

	out := make([]dst.Decl, 0, len(file.Decls))
	for _, decl := range file.Decls {
		if gd, ok := decl.(*dst.GenDecl); ok && gd.Tok == token.IMPORT {
			return nil, errors.New("code templates must not contain import declarations, use the imports map instead")
		}
		// Qualify imported names first, so that nodes moved in from the
		// original file through placeholders are never rewritten.
		decl = t.qualifyImports(ctx, decl)
		repl, err := d.ph.substitute(decl)
		if err != nil {
			return nil, err
		}
		out = append(out, repl.(dst.Decl))
	}
	return out, nil
}

// qualifyImports turns every `alias.Name` selector whose alias is a key of
// Imports into an identifier carrying the import path, and records the import.
func (t *Template) qualifyImports(ctx *nodectx.Context, decl dst.Decl) dst.Decl {
	if len(t.Imports) == 0 {
		return decl
	}
	res := dstutil.Apply(decl, func(c *dstutil.Cursor) bool {
		sel, ok := c.Node().(*dst.SelectorExpr)
		if !ok {
			return true
		}
		x, ok := sel.X.(*dst.Ident)
		if !ok {
			return true
		}
		path, ok := t.Imports[x.Name]
		if !ok {
			return true
		}
		id := sel.Sel
		id.Path = path
		c.Replace(id)
		ctx.AddImport(path, x.Name)
		return true
	}, nil)
	return res.(dst.Decl)
}

func numberLines(text string) string {
	lines := strings.Split(text, "\n")
	width := len(strconv.Itoa(len(lines)))
	for i, l := range lines {
		lines[i] = fmt.Sprintf("% *d | %s", width+1, i+1, l)
	}
	return strings.Join(lines, "\n")
}
