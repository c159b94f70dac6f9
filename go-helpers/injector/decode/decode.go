// Package decode contains helpers to decode aspects from their JSON form
// (orchestrion.yml converted as-is) with errors that locate the faulty part.
package decode

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Error is a decoding error at a path inside an aspect, such as
// "join-point.function-body" or "advice[0].prepend-statements.template".
type Error struct {
	Path    string
	Message string
}

func (e *Error) Error() string {
	if e.Path == "" {
		return e.Message
	}
	return e.Path + ": " + e.Message
}

// Errorf makes an *Error.
func Errorf(path, format string, args ...any) error {
	return &Error{Path: path, Message: fmt.Sprintf(format, args...)}
}

// At attaches path to err unless it already carries one.
func At(path string, err error) error {
	if err == nil {
		return nil
	}
	var de *Error
	if errors.As(err, &de) {
		return err
	}
	return &Error{Path: path, Message: err.Error()}
}

// Field appends a mapping key to a path.
func Field(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// Item appends a sequence index to a path.
func Item(path string, i int) string {
	return fmt.Sprintf("%s[%d]", path, i)
}

// Singleton decodes a mapping with exactly one key.
func Singleton(raw json.RawMessage, path string) (string, json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || len(m) != 1 {
		return "", nil, Errorf(path, "not a singleton mapping")
	}
	for k, v := range m {
		return k, v, nil
	}
	panic("unreachable")
}

// Kind describes the JSON type of a value, for error messages.
func Kind(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return "nothing"
	}
	switch t[0] {
	case '{':
		return "mapping"
	case '[':
		return "sequence"
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	default:
		return "number"
	}
}

// IsSequence tells whether raw is a JSON array.
func IsSequence(raw json.RawMessage) bool {
	return Kind(raw) == "sequence"
}

// IsNull tells whether raw is absent or JSON null.
func IsNull(raw json.RawMessage) bool {
	k := Kind(raw)
	return k == "nothing" || k == "null"
}

// String decodes a string value. As Orchestrion's YAML decoder, a scalar of
// another kind is taken as its text (`package-name: true`).
func String(raw json.RawMessage, path string) (string, error) {
	switch Kind(raw) {
	case "bool", "number":
		return string(bytes.TrimSpace(raw)), nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", Errorf(path, "expected a string, got a %s", Kind(raw))
	}
	return s, nil
}

// Strict decodes a mapping into v, rejecting unknown keys.
func Strict(raw json.RawMessage, path string, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		msg := err.Error()
		msg = strings.TrimPrefix(msg, "json: ")
		return Errorf(path, "%s", msg)
	}
	return nil
}
