package advice

import (
	"encoding/json"
	"errors"
	"go/version"
	"reflect"

	"github.com/orchestrion-ts/go-helpers/injector/code"
	"github.com/orchestrion-ts/go-helpers/injector/decode"
)

// templateFields are the keys of a code template object.
type templateFields struct {
	Template *string           `json:"template"`
	Imports  map[string]string `json:"imports"`
	Lang     *string           `json:"lang"`
	// Links is accepted on every template, only inject-declarations uses it.
	Links json.RawMessage `json:"links"`
}

// rawTemplate decodes a code template object; extra, if not nil, receives the
// advice's own additional keys.
func rawTemplate(value json.RawMessage, path string, extra any) (templateFields, error) {
	var f templateFields
	if err := json.Unmarshal(value, &f); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return f, decode.Errorf(decode.Field(path, te.Field), "expected a %s, got a %s", jsonKind(te.Type), yamlKind(te.Value))
		}
		return f, decode.Errorf(path, "expected a code template mapping, got a %s", decode.Kind(value))
	}
	if !decode.IsNull(f.Links) {
		if _, err := decodeLinks(f.Links, decode.Field(path, "links")); err != nil {
			return f, err
		}
	}
	if extra != nil {
		if err := json.Unmarshal(value, extra); err != nil {
			return f, decode.Errorf(path, "%v", err)
		}
	}
	return f, nil
}

// decodeTemplate builds and parses the template; path is that of the object.
func decodeTemplate(f templateFields, path string) (*code.Template, error) {
	if f.Template == nil {
		// As Orchestrion's decoder: an absent template is the empty one (it generates nothing).
		empty := ""
		f.Template = &empty
	}
	lang := ""
	if f.Lang != nil {
		lang = *f.Lang
		if !version.IsValid(lang) {
			return nil, decode.Errorf(decode.Field(path, "lang"), "invalid go language level (expected e.g, \"go1.18\"): %q", lang)
		}
	}
	t, err := code.NewTemplate(*f.Template, f.Imports, lang)
	if err != nil {
		return nil, decode.At(decode.Field(path, "template"), err)
	}
	return t, nil
}

// templateObject decodes a code template object found at path.
func templateObject(value json.RawMessage, path string) (*code.Template, error) {
	if decode.Kind(value) != "mapping" {
		return nil, decode.Errorf(path, "expected a code template mapping, got a %s", decode.Kind(value))
	}
	f, err := rawTemplate(value, path, nil)
	if err != nil {
		return nil, err
	}
	return decodeTemplate(f, path)
}

// TemplateUse is one code template of an advice: what its output must be,
// and where it is in the aspect ("advice[0].prepend-statements.template").
type TemplateUse struct {
	Template *code.Template
	Kind     code.Kind
	Path     string
}

// Templated is implemented by advice that renders code templates.
type Templated interface {
	Templates() []TemplateUse
}

// jsonKind names a Go type of the template object as the YAML kind it decodes from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Map, reflect.Struct:
		return "mapping"
	case reflect.Slice, reflect.Array:
		return "sequence"
	default:
		return t.Kind().String()
	}
}

// yamlKind names a JSON value kind as encoding/json reports it ("array") the way YAML users say it.
func yamlKind(jsonValue string) string {
	switch jsonValue {
	case "array":
		return "sequence"
	case "object":
		return "mapping"
	}
	return jsonValue
}

// templatePath is the path of the template string of the object at path.
func templatePath(path string) string { return decode.Field(path, "template") }

// decodeLinks decodes the `links` of a template: a sequence of import paths.
func decodeLinks(raw json.RawMessage, path string) ([]string, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, decode.Errorf(path, "expected a sequence of import paths, got a %s", decode.Kind(raw))
	}
	out := make([]string, 0, len(items))
	for i, item := range items {
		link, err := decode.String(item, decode.Item(path, i))
		if err != nil {
			return nil, err
		}
		out = append(out, link)
	}
	return out, nil
}
