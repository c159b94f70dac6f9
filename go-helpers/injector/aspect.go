package injector

import (
	"encoding/json"

	"github.com/orchestrion-ts/go-helpers/injector/advice"
	"github.com/orchestrion-ts/go-helpers/injector/decode"
	"github.com/orchestrion-ts/go-helpers/injector/join"
)

// Aspect binds advice to a join point.
type Aspect struct {
	ID             string
	TracerInternal bool
	JoinPoint      join.Point
	Advice         []advice.Advice
	// Index is the aspect's position in the request.
	Index int
	// rawAdvice is the advice as sent, for the advice kinds explain names.
	rawAdvice json.RawMessage
}

// AspectError is a decoding error of the aspect at Index.
type AspectError struct {
	Index int
	ID    string
	Path  string
	Msg   string
}

func (e *AspectError) Error() string {
	s := "aspect"
	if e.ID != "" {
		s += " " + quote(e.ID)
	} else {
		s += " #" + itoa(e.Index)
	}
	if e.Path != "" {
		s += " at " + e.Path
	}
	return s + ": " + e.Msg
}

// DecodeAspect decodes one aspect (JSON form of its orchestrion.yml mapping).
// Templates are parsed, so a template that does not parse is reported here.
func DecodeAspect(index int, raw json.RawMessage) (*Aspect, error) {
	var fields struct {
		ID             *json.RawMessage `json:"id"`
		TracerInternal *json.RawMessage `json:"tracer-internal"`
		JoinPoint      json.RawMessage  `json:"join-point"`
		Advice         json.RawMessage  `json:"advice"`
	}
	fail := func(id, path, msg string) error {
		return &AspectError{Index: index, ID: id, Path: path, Msg: msg}
	}
	if decode.Kind(raw) != "mapping" {
		return nil, fail("", "", "an aspect must be a mapping, got a "+decode.Kind(raw))
	}
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, fail("", "", err.Error())
	}
	a := &Aspect{Index: index, rawAdvice: fields.Advice}
	if fields.ID != nil && !decode.IsNull(*fields.ID) {
		if err := json.Unmarshal(*fields.ID, &a.ID); err != nil {
			return nil, fail("", "id", "expected a string, got a "+decode.Kind(*fields.ID))
		}
	}
	if fields.TracerInternal != nil && !decode.IsNull(*fields.TracerInternal) {
		if err := json.Unmarshal(*fields.TracerInternal, &a.TracerInternal); err != nil {
			return nil, fail(a.ID, "tracer-internal", "expected a bool, got a "+decode.Kind(*fields.TracerInternal))
		}
	}
	if decode.IsNull(fields.JoinPoint) {
		return nil, fail(a.ID, "", "missing required key 'join-point'")
	}
	if decode.IsNull(fields.Advice) {
		return nil, fail(a.ID, "", "missing required key 'advice'")
	}
	var err error
	if a.JoinPoint, err = join.Decode(fields.JoinPoint, "join-point"); err != nil {
		return nil, wrap(index, a.ID, err)
	}
	if a.Advice, err = advice.DecodeList(fields.Advice, "advice"); err != nil {
		return nil, wrap(index, a.ID, err)
	}
	return a, nil
}

func wrap(index int, id string, err error) error {
	if de, ok := err.(*decode.Error); ok {
		return &AspectError{Index: index, ID: id, Path: de.Path, Msg: de.Message}
	}
	return &AspectError{Index: index, ID: id, Msg: err.Error()}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// addedImports is what the aspect may add: the advice's paths minus those the
// join point implies and "unsafe".
func (a *Aspect) addedImports() []string {
	implied := map[string]bool{"unsafe": true}
	for _, p := range a.JoinPoint.ImpliesImported() {
		implied[p] = true
	}
	var out []string
	for _, adv := range a.Advice {
		for _, p := range adv.AddedImports() {
			if !implied[p] {
				out = append(out, p)
			}
		}
	}
	return out
}
