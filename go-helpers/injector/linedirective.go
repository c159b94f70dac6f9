package injector

import (
	"bytes"
	"strings"
)

// consumeLineDirective reads a leading `//line <name>`, `//line <name>:1` or
// `//line <name>:1:1` line as Orchestrion does: the line is taken out of the
// content, and the file is parsed under <name> (under its own path when <name>
// is empty). The line ends at a line feed, or at a carriage return followed by
// anything else (the carriage returns themselves are not part of the name);
// spaces around the name are ignored. A directive giving another position is
// an ordinary comment, left in place.
func consumeLineDirective(path string, data []byte) (string, []byte) {
	const prefix = "//line "
	if !bytes.HasPrefix(data, []byte(prefix)) {
		return path, data
	}
	var target []byte
	rest := data[len(data):]
	i := len(prefix)
	sawCR := false
scan:
	for ; i < len(data); i++ {
		switch c := data[i]; {
		case c == '\n':
			rest = data[i+1:]
			break scan
		case c == '\r':
			sawCR = true
		case sawCR:
			rest = data[i:]
			break scan
		default:
			target = append(target, c)
		}
	}
	name := strings.TrimSpace(string(target))
	if name == "" {
		return path, data
	}
	stripped, positions, ok := stripPosition(name)
	switch {
	case !ok:
		return path, data
	case stripped != "":
		return stripped, rest
	case positions == 2:
		return path, rest
	default:
		// `//line :1`, which Orchestrion fails on: an ordinary comment here.
		return path, data
	}
}

// stripPosition removes a ":1" or ":1:1" suffix (leading zeros allowed) and
// returns what is left, with the number of positions removed. It fails on any
// other position; a name without a position is returned as it is.
func stripPosition(s string) (string, int, bool) {
	rest, line, had := cutNumber(s)
	if !had {
		return s, 0, true
	}
	if !isOne(line) {
		return "", 0, false
	}
	rest2, first, had2 := cutNumber(rest)
	if !had2 {
		return rest, 1, true
	}
	if !isOne(first) {
		return "", 0, false
	}
	return rest2, 2, true
}

// cutNumber splits "<rest>:<digits>" into its parts.
func cutNumber(s string) (string, string, bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 || i == len(s)-1 {
		return s, "", false
	}
	num := s[i+1:]
	for _, c := range num {
		if c < '0' || c > '9' {
			return s, "", false
		}
	}
	return s[:i], num, true
}

func isOne(digits string) bool { return strings.TrimLeft(digits, "0") == "1" }
