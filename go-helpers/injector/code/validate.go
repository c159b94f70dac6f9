package code

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"

	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
)

// Kind is the Go syntax a template's output must be.
type Kind int

const (
	// Statements: prepend-statements.
	Statements Kind = iota
	// Expression: exactly one expression (wrap-expression, assign-value,
	// append-args values).
	Expression
	// Declarations: top-level declarations (inject-declarations).
	Declarations
)

// Validate reports the problems of the template that would fail weaving on
// every node it can be applied to, without a real node:
//   - execution errors decided by types alone (see staticCheck);
//   - for a template whose output has the same shape on every node (no if,
//     with or range), generated code that is not valid Go of the given kind.
//     The template is rendered for each of the representative contexts
//     (synthetic nodes of the kind the join point matches); it is an error
//     only when no rendering gives valid code. A rendering that fails
//     depends on the node, and is not an error here.
func (t *Template) Validate(kind Kind, probes []*nodectx.Context) error {
	if err := t.staticCheck(); err != nil {
		return err
	}
	if !t.straightLine() {
		return nil
	}
	var first error
	for _, ctx := range probes {
		err := t.probe(ctx, kind)
		if err == nil {
			return nil
		}
		if first == nil && !errors.Is(err, errNotRendered) {
			first = err
		}
	}
	return first
}

var errNotRendered = errors.New("not rendered")

// probe renders the template for ctx and checks the output's syntax.
func (t *Template) probe(ctx *nodectx.Context, kind Kind) error {
	wrapper := statementsWrapper
	if kind == Declarations {
		wrapper = declarationsWrapper
	}
	src, _, err := t.render(ctx, wrapper, true)
	if err != nil {
		return errNotRendered
	}
	file, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution)
	if err != nil {
		return t.syntaxError(err, string(src), wrapper)
	}
	switch kind {
	case Expression:
		body := file.Decls[0].(*ast.FuncDecl).Body.List
		if len(body) != 1 {
			return fmt.Errorf("template must produce exactly 1 statement, but produced %d statements", len(body))
		}
		if _, ok := body[0].(*ast.ExprStmt); !ok {
			return fmt.Errorf("template must produce an expression, but produced %s", strings.TrimPrefix(fmt.Sprintf("%T", body[0]), "*ast."))
		}
	case Declarations:
		for _, d := range file.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
				return errors.New("code templates must not contain import declarations, use the imports map instead")
			}
		}
	}
	return nil
}

// syntaxError reports the first syntax error, at its line in the template
// when the rendering kept the template's lines.
func (t *Template) syntaxError(err error, src, wrapper string) error {
	var list scanner.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return fmt.Errorf("while parsing generated code: %w\n%s", err, numberLines(src))
	}
	e := list[0]
	// The wrappers put the template on line 3 (statements, after a tab) or
	// line 2 (declarations).
	offset := 2
	if wrapper == declarationsWrapper {
		offset = 1
	}
	rendered := strings.Split(src, "\n")
	source := strings.Split(t.Source, "\n")
	line := e.Pos.Line - offset
	more := ""
	if len(list) > 1 {
		more = fmt.Sprintf(" (and %d more errors)", len(list)-1)
	}
	if len(rendered) == len(source)+offset+boolInt(wrapper == statementsWrapper) && line >= 1 {
		if line > len(source) {
			return fmt.Errorf("generated code does not parse: at the end of the template: %s%s", e.Msg, more)
		}
		return fmt.Errorf("generated code does not parse: template line %d: %s%s", line, e.Msg, more)
	}
	return fmt.Errorf("while parsing generated code: %w\n%s", err, numberLines(src))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
