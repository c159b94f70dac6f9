package advice

import (
	"encoding/json"
	"fmt"

	"github.com/dave/dst"

	"github.com/orchestrion-ts/go-helpers/injector/decode"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
	"github.com/orchestrion-ts/go-helpers/injector/typed"
)

// AddStructField appends the field `Name Type` to the struct type declared by
// the matched *dst.TypeSpec.
type AddStructField struct {
	Name string
	Type typed.TypeName
}

func init() {
	register("add-struct-field", func(value json.RawMessage, path string) (Advice, error) {
		if decode.Kind(value) != "mapping" {
			return nil, decode.Errorf(path, "expected a mapping, got a %s", decode.Kind(value))
		}
		var fields struct {
			Name json.RawMessage `json:"name"`
			Type json.RawMessage `json:"type"`
		}
		_ = json.Unmarshal(value, &fields)
		for _, k := range []struct {
			key string
			raw json.RawMessage
		}{{"name", fields.Name}, {"type", fields.Type}} {
			if decode.IsNull(k.raw) {
				return nil, decode.Errorf(path, "missing required key '%s'", k.key)
			}
		}
		name, err := decode.String(fields.Name, decode.Field(path, "name"))
		if err != nil {
			return nil, err
		}
		typeName, err := decode.String(fields.Type, decode.Field(path, "type"))
		if err != nil {
			return nil, err
		}
		tn, err := typed.ParseTypeName(typeName)
		if err != nil {
			return nil, decode.Errorf(decode.Field(path, "type"), "%v", err)
		}
		return &AddStructField{Name: name, Type: tn}, nil
	})
}

func (a *AddStructField) AddedImports() []string {
	if a.Type.ImportPath == "" {
		return nil
	}
	return []string{a.Type.ImportPath}
}

func (a *AddStructField) Apply(ctx *nodectx.Context) (bool, error) {
	spec, ok := ctx.Node().(*dst.TypeSpec)
	if !ok {
		return false, fmt.Errorf("add-struct-field advice can only be applied to *dst.TypeSpec (got %T)", ctx.Node())
	}
	st, ok := spec.Type.(*dst.StructType)
	if !ok {
		return false, fmt.Errorf("add-struct-field advice can only be applied to struct definitions (got %T)", spec.Type)
	}
	if st.Fields == nil {
		st.Fields = &dst.FieldList{}
	}
	st.Fields.List = append(st.Fields.List, &dst.Field{
		Names: []*dst.Ident{dst.NewIdent(a.Name)},
		Type:  a.Type.AsNode(),
	})
	if p := a.Type.ImportPath; p != "" {
		ctx.AddImport(p, guessPackageName(p))
	}
	return true, nil
}
