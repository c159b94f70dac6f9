package advice

import (
	"encoding/json"
	"fmt"

	"github.com/orchestrion-ts/go-helpers/injector/code"
	"github.com/orchestrion-ts/go-helpers/injector/decode"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
)

// InjectDeclarations appends the rendered top-level declarations to the file
// of the matched node. Links name packages that the declarations reach only
// through //go:linkname: they are recorded for the linker, and "unsafe" is
// imported (blank) for the directive to be accepted.
type InjectDeclarations struct {
	Template *code.Template
	Links    []string
	path     string
}

// maxInjections bounds the inject-declarations applied to one file.
const maxInjections = 1000

func init() {
	register("inject-declarations", func(value json.RawMessage, path string) (Advice, error) {
		t, err := templateObject(value, path)
		if err != nil {
			return nil, err
		}
		var fields struct {
			Links json.RawMessage `json:"links"`
		}
		_ = json.Unmarshal(value, &fields)
		a := &InjectDeclarations{Template: t, path: path}
		if !decode.IsNull(fields.Links) {
			if a.Links, err = decodeLinks(fields.Links, decode.Field(path, "links")); err != nil {
				return nil, err
			}
		}
		return a, nil
	})
}

func (a *InjectDeclarations) AddedImports() []string {
	return append(a.Template.AddedImports(), a.Links...)
}

func (a *InjectDeclarations) Templates() []TemplateUse {
	return []TemplateUse{{a.Template, code.Declarations, templatePath(a.path)}}
}

func (a *InjectDeclarations) Apply(ctx *nodectx.Context) (bool, error) {
	decls, err := a.Template.CompileDeclarations(ctx)
	if err != nil {
		return false, fmt.Errorf("inject-declarations: %w", err)
	}
	if len(decls) == 0 {
		return false, nil
	}
	// The traversal goes on over the appended declarations, as Orchestrion's
	// does, so a join point that matches them injects again: Orchestrion
	// then never ends; here the file fails instead.
	if shared := ctx.Shared(); shared.Injections >= maxInjections {
		return false, fmt.Errorf("inject-declarations: applied more than %d times in this file; the join point probably matches the injected declarations", maxInjections)
	} else {
		shared.Injections++
	}
	file := ctx.File()
	file.Decls = append(file.Decls, decls...)
	if len(a.Links) > 0 {
		ctx.AddImport("unsafe", "_")
		for _, link := range a.Links {
			ctx.AddLink(link)
		}
	}
	ctx.EnsureMinGoLang(a.Template.Lang)
	return true, nil
}
