// Copied from github.com/dave/dst@v0.27.4/decorator/decorator.go (see doc.go).

package dstrestore

// We never need to resolve idents that are in these fields (decorateSelectorExpr will override
// this check with the force parameter for SelectorExpr.Sel when needed).
var avoid = map[string]bool{
	"Field.Names":       true,
	"LabeledStmt.Label": true,
	"BranchStmt.Label":  true,
	"ImportSpec.Name":   true,
	"ValueSpec.Names":   true,
	"TypeSpec.Name":     true,
	"FuncDecl.Name":     true,
	"File.Name":         true,
	"SelectorExpr.Sel":  true,
}
