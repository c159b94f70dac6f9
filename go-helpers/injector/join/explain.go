package join

import (
	"fmt"
	"go/types"
	"sort"
	"strings"

	"github.com/dave/dst"

	"github.com/orchestrion-ts/go-helpers/injector/typed"
)

// This file serves `orchestrion instrument -explain` only: it says, for a
// person, what a join point looks for, and why a type check rejected a node.
// Nothing here runs when weaving without explain.

// Describe names what the join point selects, as in "no <description>".
func Describe(p Point) string {
	switch p := p.(type) {
	case AllOf:
		return "node that is " + joinDescriptions(p, " and ")
	case OneOf:
		return "node that is " + joinDescriptions(p, " or ")
	case Not:
		return "node that is not a " + Describe(p.Point)
	case *FunctionCall:
		if p.Path == "" {
			return "call of " + p.Name
		}
		return "call of " + p.Path + "." + p.Name
	case *MethodCall:
		return fmt.Sprintf("call of method %s on %s", p.Name, receiverText(p))
	case Directive:
		return "node carrying the directive //" + string(p)
	case *Function:
		return describeFunction(p)
	case *FunctionBody:
		return "body of a " + Describe(p.Function)
	case *DeclarationOf:
		return "declaration of " + p.Path + "." + p.Name
	case *ValueDeclaration:
		return "var or const declaration of type " + typeText(p.Type)
	case *StructDefinition:
		return "definition of the struct type " + typeText(p.Type)
	case *StructLiteral:
		if p.Field != "" {
			return fmt.Sprintf("field %s of a %s literal", p.Field, typeText(p.Type))
		}
		return fmt.Sprintf("%s literal (%s)", typeText(p.Type), p.Match)
	case ImportPath:
		return "node of the package " + string(p)
	case PackageName:
		return "node of a package named " + string(p)
	case PackageFilter:
		return fmt.Sprintf("node of a package matching package-filter %q (root: %v)", p.Pattern, p.Root)
	case TestMain:
		if p {
			return "node of the generated test main package"
		}
		return "node outside the generated test main package"
	case Configuration:
		keys := make([]string, 0, len(p))
		for k, v := range p {
			keys = append(keys, k+"="+v)
		}
		sort.Strings(keys)
		return "node under the configuration " + strings.Join(keys, ", ")
	}
	return fmt.Sprintf("node matching %T", p)
}

func joinDescriptions(list []Point, sep string) string {
	parts := make([]string, len(list))
	for i, p := range list {
		parts[i] = "a " + Describe(p)
	}
	return "(" + strings.Join(parts, sep) + ")"
}

func describeFunction(f *Function) string {
	s := "function"
	var with []string
	for _, opt := range f.Options {
		switch o := opt.(type) {
		case functionName:
			s = "function named " + string(o)
		case hasReceiver:
			if o {
				with = append(with, "a receiver")
			} else {
				with = append(with, "no receiver")
			}
		case receiverType:
			with = append(with, "the receiver "+typeText(o.typeName))
		case signature:
			with = append(with, "the signature "+o.text())
		case signatureContains:
			with = append(with, "a signature containing "+o.text())
		case implementsOption:
			with = append(with, o.text())
		}
	}
	if len(with) > 0 {
		s += " with " + strings.Join(with, " and ")
	}
	return s
}

func (s signature) text() string {
	names := func(list []typed.TypeName) string {
		parts := make([]string, len(list))
		for i, t := range list {
			parts[i] = typeText(t)
		}
		return strings.Join(parts, ", ")
	}
	return "(" + names(s.args) + ") (" + names(s.returns) + ")"
}

func (o implementsOption) text() string {
	switch o.scope {
	case finalResult:
		return "a final result implementing " + o.iface
	case anyArgument:
		return "an argument implementing " + o.iface
	}
	return "a result implementing " + o.iface
}

func typeText(t typed.TypeName) string {
	s := t.Name
	if t.ImportPath != "" {
		s = t.ImportPath + "." + s
	}
	if t.Pointer {
		s = "*" + s
	}
	return s
}

func receiverText(m *MethodCall) string {
	t := typeText(m.Receiver)
	switch m.Match {
	case MethodCallPointerOnly:
		return "*" + t
	case MethodCallValueOnly:
		return t + " (not a pointer)"
	}
	return t
}

// receiverMismatch: why the receiver of a call of the right method name is
// not the one wanted (t is its type, nil when unknown).
func (m *MethodCall) receiverMismatch(t types.Type) string {
	if t == nil {
		return fmt.Sprintf("the receiver of .%s has no known type, not %s", m.Name, receiverText(m))
	}
	return fmt.Sprintf("the receiver of .%s has type %s, not %s", m.Name, types.TypeString(t, nil), receiverText(m))
}

// notImplemented: why none of the fields implements the interface.
func (o implementsOption) notImplemented(info *FunctionInfo, fields []*dst.Field) string {
	var have []string
	for _, f := range fields {
		if t := info.Context.ResolveType(f.Type); t != nil {
			have = append(have, types.TypeString(t, nil))
		}
	}
	what := map[implementsScope]string{anyResult: "no result", finalResult: "the final result does not", anyArgument: "no argument"}[o.scope]
	verb := " implements "
	if o.scope == finalResult {
		verb = " implement "
	}
	s := what + verb + o.iface
	if len(have) > 0 {
		s += " (" + strings.Join(have, ", ") + ")"
	}
	return s
}

// Directives lists the directive join points inside p.
func Directives(p Point) []Directive {
	if d, ok := p.(Directive); ok {
		return []Directive{d}
	}
	var out []Directive
	for _, c := range parts(p) {
		out = append(out, Directives(c)...)
	}
	return out
}
