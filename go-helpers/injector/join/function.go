package join

import (
	"encoding/json"
	"go/ast"

	"github.com/dave/dst"

	"github.com/orchestrion-ts/go-helpers/injector/decode"
	"github.com/orchestrion-ts/go-helpers/injector/may"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
	"github.com/orchestrion-ts/go-helpers/injector/typed"
)

// Function matches function declarations and function literals whose
// properties satisfy every option (an empty list matches every function).
type Function struct {
	Options []FunctionOption
}

// FunctionInfo is what options are evaluated against.
type FunctionInfo struct {
	Receiver   dst.Expr      // receiver type of a method, else nil
	Name       string        // "" for function literals
	Type       *dst.FuncType // the signature
	ImportPath string        // package being compiled
	Context    *nodectx.Context
}

// FunctionOption is one entry of a `function:` list.
type FunctionOption interface {
	evaluate(info *FunctionInfo) bool
	packageMayMatch(ctx *may.PackageContext) may.MatchType
	fileMayMatch(ctx *may.FileContext) may.MatchType
	impliesImported() []string
}

type optionDecoder func(value json.RawMessage, path string) (FunctionOption, error)

var optionDecoders = map[string]optionDecoder{}

func init() {
	register("function", func(value json.RawMessage, path string) (Point, error) {
		var items []json.RawMessage
		if err := json.Unmarshal(value, &items); err != nil {
			return nil, decode.Errorf(path, "expected a sequence of function options, got a %s", decode.Kind(value))
		}
		fn := &Function{Options: make([]FunctionOption, 0, len(items))}
		for i, item := range items {
			opt, err := decodeOption(item, decode.Item(path, i))
			if err != nil {
				return nil, err
			}
			fn.Options = append(fn.Options, opt)
		}
		return fn, nil
	})

	optionDecoders["name"] = func(value json.RawMessage, path string) (FunctionOption, error) {
		name, err := decode.String(value, path)
		if err != nil {
			return nil, err
		}
		return functionName(name), nil
	}
	optionDecoders["receiver"] = func(value json.RawMessage, path string) (FunctionOption, error) {
		switch decode.Kind(value) {
		case "bool":
			var b bool
			_ = json.Unmarshal(value, &b)
			return hasReceiver(b), nil
		case "string":
			s, _ := decode.String(value, path)
			tn, err := typed.ParseTypeName(s)
			if err != nil {
				return nil, decode.At(path, err)
			}
			return receiverType{tn}, nil
		default:
			return nil, decode.Errorf(path, "cannot unmarshal into a FuncDeclOption: 'receiver' can only be a boolean or a string, got %s", decode.Kind(value))
		}
	}
	optionDecoders["signature"] = func(value json.RawMessage, path string) (FunctionOption, error) {
		s, err := decodeSignature(value, path)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	optionDecoders["signature-contains"] = func(value json.RawMessage, path string) (FunctionOption, error) {
		s, err := decodeSignature(value, path)
		if err != nil {
			return nil, err
		}
		return signatureContains{s}, nil
	}
}

func decodeOption(raw json.RawMessage, path string) (FunctionOption, error) {
	if decode.Kind(raw) != "mapping" {
		return nil, decode.Errorf(path, "cannot unmarshal into a FuncDeclOption: not a mapping")
	}
	key, value, err := decode.Singleton(raw, path)
	if err != nil {
		return nil, decode.Errorf(path, "cannot unmarshal into a FuncDeclOption: not a singleton mapping")
	}
	dec, ok := optionDecoders[key]
	if !ok {
		return nil, decode.Errorf(path, "unknown FuncDeclOption name: %q", key)
	}
	return dec(value, decode.Field(path, key))
}

// FunctionInfoOf extracts the function described by ctx's node, if it is a
// *dst.FuncDecl or *dst.FuncLit.
func FunctionInfoOf(ctx *nodectx.Context) (*FunctionInfo, bool) {
	info := &FunctionInfo{ImportPath: ctx.ImportPath(), Context: ctx}
	switch n := ctx.Node().(type) {
	case *dst.FuncDecl:
		if n.Recv != nil && len(n.Recv.List) == 1 {
			info.Receiver = n.Recv.List[0].Type
		}
		info.Name = n.Name.Name
		info.Type = n.Type
	case *dst.FuncLit:
		info.Type = n.Type
	default:
		return nil, false
	}
	return info, true
}

func (f *Function) Matches(ctx *nodectx.Context) bool {
	info, ok := FunctionInfoOf(ctx)
	if !ok {
		return false
	}
	for _, opt := range f.Options {
		if !opt.evaluate(info) {
			return false
		}
	}
	return true
}

// PackageMayMatch starts from Match, not Always: a function matches functions
// only, so its negation is never ruled out, whatever its options say.
func (f *Function) PackageMayMatch(ctx *may.PackageContext) may.MatchType {
	res := may.Match
	for _, opt := range f.Options {
		if res = res.And(opt.packageMayMatch(ctx)); res == may.NeverMatch {
			break
		}
	}
	return res
}

func (f *Function) FileMayMatch(ctx *may.FileContext) may.MatchType {
	res := may.Match
	declOnly := false
	for _, opt := range f.Options {
		if res = res.And(opt.fileMayMatch(ctx)); res == may.NeverMatch {
			return res
		}
		switch opt.(type) {
		case functionName, receiverType:
			declOnly = true
		}
	}
	if declOnly {
		// Only a declaration has a name or a receiver: one declaration must
		// pass every option that can be read from its syntax (a file of
		// net/http declares many a RoundTrip, and names Transport, without
		// declaring (*Transport).RoundTrip).
		res = res.And(ctx.DeclaresFuncWhere(func(fd *ast.FuncDecl) bool { return f.declMayMatch(fd, ctx.ImportPath) }))
	}
	return res
}

// declMayMatch: whether the declaration may pass every option, those that
// depend on types aside.
func (f *Function) declMayMatch(fd *ast.FuncDecl, importPath string) bool {
	var recv ast.Expr
	if fd.Recv != nil && len(fd.Recv.List) == 1 {
		recv = fd.Recv.List[0].Type
	}
	for _, opt := range f.Options {
		switch o := opt.(type) {
		case functionName:
			if fd.Name == nil || fd.Name.Name != string(o) {
				return false
			}
		case hasReceiver:
			if (recv != nil) != bool(o) {
				return false
			}
		case receiverType:
			if recv == nil || (importPath != "" && !o.matchesSyntax(recv, importPath)) {
				return false
			}
		}
	}
	return true
}

func (f *Function) ImpliesImported() []string {
	var out []string
	for _, opt := range f.Options {
		out = append(out, opt.impliesImported()...)
	}
	return out
}

// --- name: <identifier> ---

type functionName string

func (n functionName) evaluate(info *FunctionInfo) bool                { return info.Name == string(n) }
func (functionName) packageMayMatch(*may.PackageContext) may.MatchType { return may.Unknown }
func (n functionName) fileMayMatch(ctx *may.FileContext) may.MatchType {
	return ctx.FileContains(string(n)).And(ctx.DeclaresFunc(string(n)))
}
func (functionName) impliesImported() []string { return nil }

// --- receiver: true|false ---

type hasReceiver bool

func (h hasReceiver) evaluate(info *FunctionInfo) bool                { return (info.Receiver != nil) == bool(h) }
func (hasReceiver) packageMayMatch(*may.PackageContext) may.MatchType { return may.Unknown }
func (hasReceiver) fileMayMatch(*may.FileContext) may.MatchType       { return may.Unknown }
func (hasReceiver) impliesImported() []string                         { return nil }

// --- receiver: <TypeName> ---

type receiverType struct{ typeName typed.TypeName }

func (r receiverType) evaluate(info *FunctionInfo) bool {
	return info.Receiver != nil && r.typeName.MatchesDefinition(info.Receiver, info.ImportPath)
}

func (r receiverType) packageMayMatch(ctx *may.PackageContext) may.MatchType {
	if ctx.ImportPath == r.typeName.ImportPath {
		return may.Match
	}
	return may.NeverMatch
}

// matchesSyntax is evaluate's test on a receiver's syntax: the declared
// type of the package, behind a star exactly when the pattern has one.
func (r receiverType) matchesSyntax(expr ast.Expr, importPath string) bool {
	if r.typeName.ImportPath != importPath {
		return false
	}
	if star, ok := expr.(*ast.StarExpr); ok {
		if !r.typeName.Pointer {
			return false
		}
		expr = star.X
	} else if r.typeName.Pointer {
		return false
	}
	switch e := expr.(type) {
	case *ast.IndexExpr:
		expr = e.X
	case *ast.IndexListExpr:
		expr = e.X
	}
	id, ok := expr.(*ast.Ident)
	return ok && id.Name == r.typeName.Name
}

func (r receiverType) fileMayMatch(ctx *may.FileContext) may.MatchType {
	return ctx.FileContains(r.typeName.Name)
}

func (r receiverType) impliesImported() []string { return []string{r.typeName.ImportPath} }

// --- signature / signature-contains ---

type signature struct {
	args    []typed.TypeName
	returns []typed.TypeName
}

func decodeSignature(value json.RawMessage, path string) (signature, error) {
	var raw struct {
		Args    []string `json:"args"`
		Returns []string `json:"returns"`
	}
	if err := decode.Strict(value, path, &raw); err != nil {
		return signature{}, err
	}
	var sig signature
	for i, a := range raw.Args {
		tn, err := typed.ParseTypeName(a)
		if err != nil {
			return signature{}, decode.At(decode.Item(decode.Field(path, "args"), i), err)
		}
		sig.args = append(sig.args, tn)
	}
	for i, r := range raw.Returns {
		tn, err := typed.ParseTypeName(r)
		if err != nil {
			return signature{}, decode.At(decode.Item(decode.Field(path, "returns"), i), err)
		}
		sig.returns = append(sig.returns, tn)
	}
	return sig, nil
}

func fieldsMatchExactly(list *dst.FieldList, want []typed.TypeName) bool {
	var fields []*dst.Field
	if list != nil {
		fields = list.List
	}
	if len(fields) != len(want) {
		return false
	}
	for i, tn := range want {
		if !tn.Matches(fields[i].Type) {
			return false
		}
	}
	return true
}

func (s signature) evaluate(info *FunctionInfo) bool {
	return fieldsMatchExactly(info.Type.Results, s.returns) && fieldsMatchExactly(info.Type.Params, s.args)
}

func (s signature) packageMayMatch(ctx *may.PackageContext) may.MatchType {
	res := may.Match
	for _, tn := range append(append([]typed.TypeName(nil), s.args...), s.returns...) {
		if res = res.And(ctx.PackageImports(tn.ImportPath)); res == may.NeverMatch {
			break
		}
	}
	return res
}

func (signature) fileMayMatch(*may.FileContext) may.MatchType { return may.Unknown }

func (s signature) impliesImported() []string {
	var out []string
	for _, tn := range append(append([]typed.TypeName(nil), s.args...), s.returns...) {
		if tn.ImportPath != "" {
			out = append(out, tn.ImportPath)
		}
	}
	return out
}

type signatureContains struct{ signature }

func anyFieldMatches(list *dst.FieldList, want []typed.TypeName) bool {
	if list == nil {
		return false
	}
	for _, tn := range want {
		for _, f := range list.List {
			if tn.Matches(f.Type) {
				return true
			}
		}
	}
	return false
}

func (s signatureContains) evaluate(info *FunctionInfo) bool {
	return anyFieldMatches(info.Type.Results, s.returns) || anyFieldMatches(info.Type.Params, s.args)
}
