package injector

import (
	"sync/atomic"

	"github.com/orchestrion-ts/go-helpers/api"
)

// Body elision: when a package is type-checked without its function bodies
// (noBodies), the files no aspect can touch are only read for their
// declarations, yet parsing their bodies is most of the parse (the runtime's
// 180-odd files, net/http's 70). Their bodies are blanked before parsing:
// every byte between a top-level function's braces but line feeds becomes a
// space, so that positions are unchanged and the parser builds an empty block.
//
// The scan below reads Go's lexical structure (comments, strings, runes) and
// declines, returning the source as it is, whenever the shape is not one it
// reads with certainty; a parse or type-check that fails on blanked files is
// redone on the sources (instrument).

// elidedFiles counts the files parsed with their bodies blanked.
var elidedFiles atomic.Int64

func anyElided(files []*sourceFile) bool {
	for _, f := range files {
		if f.elided {
			return true
		}
	}
	return false
}

// restoreBodies parses the blanked files again as they are written. A syntax
// error (which the blanked text hid) leaves the package unchanged.
func (r *run) restoreBodies(files []*sourceFile) bool {
	ok := true
	for _, f := range files {
		if f.elided {
			ok = r.parseSource(f) && ok
		}
	}
	if !ok {
		r.ex.stopped(api.StageSyntax, "the package has syntax errors: left unchanged")
	}
	return ok
}

// elideBodies returns src with the interiors of its top-level function bodies
// blanked, and whether it blanked any.
func elideBodies(src []byte) ([]byte, bool) {
	var out []byte // copy on first write
	n := len(src)
	depth := 0 // (, [ and { outside function bodies
	for i := 0; i < n; {
		c := src[i]
		switch {
		case c == '/' || c == '"' || c == '`' || c == '\'':
			j, ok := skipLiteral(src, i)
			if !ok {
				return src, false
			}
			i = j
			continue
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			depth--
			if depth < 0 {
				return src, false
			}
		case c == 'f' && depth == 0 && (i == 0 || src[i-1] == '\n') && hasFuncKeyword(src, i):
			open, close, next, ok := funcBody(src, i+4)
			if !ok {
				return src, false
			}
			if open >= 0 && close > open+1 {
				if out == nil {
					out = append([]byte(nil), src...)
				}
				for k := open + 1; k < close; k++ {
					if out[k] != '\n' {
						out[k] = ' '
					}
				}
			}
			i = next
			continue
		}
		i++
	}
	if out == nil {
		return src, false
	}
	return out, true
}

// hasFuncKeyword: `func` at i, followed by a space, a tab or a parenthesis.
func hasFuncKeyword(src []byte, i int) bool {
	return len(src) > i+4 && string(src[i:i+4]) == "func" && (src[i+4] == ' ' || src[i+4] == '(' || src[i+4] == '\t')
}

// funcBody reads a function declaration's signature from i (after `func`) and
// returns the offsets of its body's braces (open -1 for a declaration without
// a body) and where to go on. It fails on a block comment inside the signature
// (it could stand between a type's keyword and its brace) and on unbalanced
// text.
func funcBody(src []byte, i int) (open, close, next int, ok bool) {
	n := len(src)
	depth := 0 // (, [ and the braces of struct and interface types
	for i < n {
		c := src[i]
		switch {
		case c == '/' && i+1 < n && src[i+1] == '*':
			return 0, 0, 0, false
		case c == '/' || c == '"' || c == '`' || c == '\'':
			j, ok := skipLiteral(src, i)
			if !ok {
				return 0, 0, 0, false
			}
			i = j
			continue
		case c == '\n' && depth == 0:
			// A line ends the declaration outside parentheses (semicolon
			// insertion): a function without a body.
			return -1, -1, i, true
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']' || c == '}':
			depth--
			if depth < 0 {
				return 0, 0, 0, false
			}
		case c == '{':
			if depth > 0 || typeKeywordBefore(src, i) {
				depth++
				break
			}
			end, ok := matchBrace(src, i)
			if !ok {
				return 0, 0, 0, false
			}
			return i, end, end + 1, true
		}
		i++
	}
	return -1, -1, n, true
}

// typeKeywordBefore: the word before the brace at i is struct or interface.
func typeKeywordBefore(src []byte, i int) bool {
	j := i
	for j > 0 && (src[j-1] == ' ' || src[j-1] == '\t') {
		j--
	}
	k := j
	for k > 0 && isWordByte(src[k-1]) {
		k--
	}
	w := string(src[k:j])
	return w == "struct" || w == "interface"
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// matchBrace returns the offset of the brace closing the one at i.
func matchBrace(src []byte, i int) (int, bool) {
	depth := 0
	for n := len(src); i < n; {
		switch c := src[i]; c {
		case '/', '"', '`', '\'':
			j, ok := skipLiteral(src, i)
			if !ok {
				return 0, false
			}
			i = j
			continue
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i, true
			}
		}
		i++
	}
	return 0, false
}

// skipLiteral returns the offset after the comment, string or rune starting at
// i (a '/' that starts neither comment is a division: i+1). It fails on one
// that does not end.
func skipLiteral(src []byte, i int) (int, bool) {
	n := len(src)
	switch src[i] {
	case '/':
		if i+1 < n && src[i+1] == '/' {
			for i += 2; i < n && src[i] != '\n'; i++ {
			}
			return i, true
		}
		if i+1 < n && src[i+1] == '*' {
			for i += 2; i+1 < n; i++ {
				if src[i] == '*' && src[i+1] == '/' {
					return i + 2, true
				}
			}
			return 0, false
		}
		return i + 1, true
	case '`':
		for i++; i < n; i++ {
			if src[i] == '`' {
				return i + 1, true
			}
		}
		return 0, false
	default: // " or '
		q := src[i]
		for i++; i < n; i++ {
			switch src[i] {
			case '\\':
				i++
			case q:
				return i + 1, true
			case '\n':
				return 0, false
			}
		}
		return 0, false
	}
}
