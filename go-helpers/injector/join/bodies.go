package join

// NeedsBodies reports whether evaluating p may look at how identifiers inside
// function bodies resolve (go/types' Uses and Scopes there). The join points
// that do not are decided by declarations, names, directives and the file's
// imports alone: the injector then type-checks without function bodies, which
// is most of checking a package as large as runtime or net/http.
//
// function-call and method-call do: a call through a local variable named like
// an import is not a call of that package. struct-literal and value
// declarations are left out too, conservatively.
func NeedsBodies(p Point) bool {
	switch p := p.(type) {
	case ImportPath, PackageName, TestMain, Configuration, Directive, PackageFilter, *StructDefinition, *DeclarationOf:
		return false
	case *Function:
		for _, o := range p.Options {
			switch o.(type) {
			case functionName, hasReceiver, receiverType, signature, signatureContains:
			default:
				return true
			}
		}
		return false
	case AllOf, OneOf, Not, *FunctionBody:
		for _, c := range parts(p) {
			if NeedsBodies(c) {
				return true
			}
		}
		return false
	}
	return true
}
