package join

// NeedsExprTypes reports whether evaluating p may ask go/types for the type of
// an expression (Context.ResolveType): a method call's receiver, or a function
// option about the interfaces its parameters or results implement. Type
// checking records every expression's type only for such join points: that
// map is a third of what checking a large package (runtime, net/http)
// allocates.
func NeedsExprTypes(p Point) bool {
	switch p := p.(type) {
	case *MethodCall:
		return true
	case *Function:
		for _, o := range p.Options {
			if _, ok := o.(implementsOption); ok {
				return true
			}
		}
		return false
	}
	for _, c := range parts(p) {
		if NeedsExprTypes(c) {
			return true
		}
	}
	return false
}
