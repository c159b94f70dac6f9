package join

import (
	"encoding/json"
	"go/token"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dave/dst"

	"github.com/orchestrion-ts/go-helpers/injector/decode"
	"github.com/orchestrion-ts/go-helpers/injector/may"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
)

// Directive matches nodes carrying a `//<name>` comment (optionally followed
// by white space and arguments) in their leading decorations, or inheriting it
// from an ancestor that forwards directives to this node.
type Directive string

func init() {
	register("directive", func(value json.RawMessage, path string) (Point, error) {
		name, err := decode.String(value, path)
		if err != nil {
			return nil, err
		}
		return Directive(name), nil
	})
}

func (Directive) PackageMayMatch(*may.PackageContext) may.MatchType { return may.Unknown }

func (d Directive) FileMayMatch(ctx *may.FileContext) may.MatchType {
	return ctx.FileContains("//" + string(d))
}

func (Directive) ImpliesImported() []string { return nil }

func (d Directive) Matches(ctx *nodectx.Context) bool {
	return d.onChain(ctx.Chain())
}

func (d Directive) onChain(link *nodectx.Chain) bool {
	for _, c := range link.Node().Decorations().Start.All() {
		if d.isIn(c) {
			return true
		}
	}

	parent := link.Parent()
	if parent == nil {
		return false
	}

	// A spec (var/const/type/import) sits in a GenDecl which holds the comment.
	if _, isSpec := link.Node().(dst.Spec); isSpec && d.onChain(parent) {
		return true
	}

	// Some statements and expressions hand their directive down to part of
	// their children.
	inherit := false
	switch p := parent.Node().(type) {
	case *dst.AssignStmt:
		inherit = link.PropertyName() == "Rhs" || (p.Tok == token.DEFINE && link.PropertyName() == "Lhs")
	case *dst.CallExpr:
		inherit = link.PropertyName() == "Fun"
	case *dst.SendStmt:
		inherit = link.PropertyName() == "Value"
	case *dst.DeferStmt, *dst.GoStmt, *dst.ReturnStmt, *dst.ExprStmt:
		inherit = true
	}
	return inherit && d.onChain(parent)
}

// isIn reports whether the comment text is this directive: `//` directly
// followed by the name, then nothing or a white space character.
func (d Directive) isIn(comment string) bool {
	rest := strings.TrimLeftFunc(comment, unicode.IsSpace)
	rest, ok := strings.CutPrefix(rest, "//")
	if !ok {
		return false
	}
	rest, ok = strings.CutPrefix(rest, string(d))
	if !ok {
		return false
	}
	r, n := utf8.DecodeRuneInString(rest)
	return n == 0 || unicode.IsSpace(r)
}
