package join

import (
	"encoding/json"

	"github.com/dave/dst"

	"github.com/orchestrion-ts/go-helpers/injector/decode"
	"github.com/orchestrion-ts/go-helpers/injector/may"
	"github.com/orchestrion-ts/go-helpers/injector/typed"
)

// The *-implements options test field types against an interface: a field
// matches when its type is that very type name, or (with go/types) when its
// type implements the interface. Unresolvable interfaces never match; only
// universe and standard library interfaces resolve, as in Orchestrion, and
// here only when the package being compiled depends on the interface's
// package (Orchestrion reads the toolchain's export data instead).

type implementsScope int

const (
	anyResult implementsScope = iota
	finalResult
	anyArgument
)

type implementsOption struct {
	iface string
	scope implementsScope
}

func init() {
	for key, scope := range map[string]implementsScope{
		"result-implements":       anyResult,
		"final-result-implements": finalResult,
		"argument-implements":     anyArgument,
	} {
		key, scope := key, scope
		optionDecoders[key] = func(value json.RawMessage, path string) (FunctionOption, error) {
			name, err := decode.String(value, path)
			if err != nil {
				return nil, err
			}
			if name == "" {
				return nil, decode.Errorf(path, "'%s' cannot be empty", key)
			}
			return implementsOption{iface: name, scope: scope}, nil
		}
	}
}

func (o implementsOption) packageMayMatch(*may.PackageContext) may.MatchType { return may.Unknown }
func (o implementsOption) fileMayMatch(*may.FileContext) may.MatchType       { return may.Unknown }

func (o implementsOption) impliesImported() []string {
	if o.scope != anyArgument {
		return nil
	}
	if path, _ := typed.SplitPackageAndName(o.iface); path != "" {
		return []string{path}
	}
	return nil
}

func (o implementsOption) evaluate(info *FunctionInfo) bool {
	var fields []*dst.Field
	switch o.scope {
	case anyResult, finalResult:
		if info.Type.Results != nil {
			fields = info.Type.Results.List
		}
	case anyArgument:
		if info.Type.Params != nil {
			fields = info.Type.Params.List
		}
	}
	if len(fields) == 0 {
		return false
	}
	if o.scope == finalResult {
		fields = fields[len(fields)-1:]
	}

	if tn, err := typed.ParseTypeName(o.iface); err == nil {
		for _, f := range fields {
			if tn.Matches(f.Type) {
				return true
			}
		}
	}
	if info.Context == nil {
		return false
	}
	if o.implemented(info, fields) {
		return true
	}
	return info.Context.TypeCheckFailed(func() string { return o.notImplemented(info, fields) })
}

func (o implementsOption) implemented(info *FunctionInfo, fields []*dst.Field) bool {
	if path, _ := typed.SplitPackageAndName(o.iface); path != "" && !isStandardPackage(path) {
		// Orchestrion cannot load it either (see isStandardPackage).
		return false
	}
	iface, err := typed.ResolveInterface(o.iface, info.Context.TypesPackage())
	if err != nil {
		return false
	}
	for _, f := range fields {
		if typed.ExprImplements(info.Context, f.Type, iface) {
			return true
		}
	}
	return false
}
