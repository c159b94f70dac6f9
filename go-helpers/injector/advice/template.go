package advice

import (
	"encoding/json"
	"go/version"

	"github.com/orchestrion-ts/go-helpers/injector/code"
	"github.com/orchestrion-ts/go-helpers/injector/decode"
)

// templateFields are the keys of a code template object.
type templateFields struct {
	Template *string           `json:"template"`
	Imports  map[string]string `json:"imports"`
	Lang     *string           `json:"lang"`
	Links    []string          `json:"links"`
}

// rawTemplate decodes a code template object; extra, if not nil, receives the
// advice's own additional keys.
func rawTemplate(value json.RawMessage, path string, extra any) (templateFields, error) {
	var f templateFields
	if err := json.Unmarshal(value, &f); err != nil {
		return f, decode.Errorf(path, "expected a code template mapping, got a %s", decode.Kind(value))
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
		return nil, decode.Errorf(decode.Field(path, "template"), "missing required key 'template'")
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
