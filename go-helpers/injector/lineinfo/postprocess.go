package lineinfo

import "bytes"

var lineDirective = []byte("//line ")

// PostProcess removes the indentation in front of `//line ` comments: the
// compiler only honours them at column 1. Nothing else changes.
func PostProcess(src []byte) []byte {
	out := make([]byte, 0, len(src))
	for len(src) > 0 {
		line := src
		rest := []byte(nil)
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line, rest = src[:i+1], src[i+1:]
		}
		trimmed := bytes.TrimLeft(line, " \t")
		if len(trimmed) != len(line) && bytes.HasPrefix(trimmed, lineDirective) {
			line = trimmed
		}
		out = append(out, line...)
		src = rest
	}
	return out
}
