package code

import (
	"regexp"
	"strings"
)

// DirectiveArgument is one `key:value` argument of a directive comment.
type DirectiveArgument struct {
	Key   string
	Value string
}

var whitespace = regexp.MustCompile(`\s+`)

// DirectiveArgs returns the arguments of the `//<name>` directive found on the
// nearest node of the ancestry (starting with the current node), or nil.
func (d *dot) DirectiveArgs(name string) []DirectiveArgument {
	prefix := "//" + name
	for link := d.ctx.Chain(); link != nil; link = link.Parent() {
		for _, comment := range link.Node().Decorations().Start {
			if args, ok := directiveArgs(prefix, comment); ok {
				return args
			}
		}
	}
	return nil
}

func directiveArgs(prefix, comment string) ([]DirectiveArgument, bool) {
	if !strings.HasPrefix(comment, prefix) || whitespace.Split(comment, 2)[0] != prefix {
		return nil, false
	}
	rest := strings.TrimSpace(comment[len(prefix):])
	if rest == "" {
		return nil, true
	}
	var out []DirectiveArgument
	for _, tok := range splitQuoted(rest) {
		key, value, found := strings.Cut(tok, ":")
		if !found {
			out = append(out, DirectiveArgument{Key: tok})
			continue
		}
		if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0] {
			value = value[1 : len(value)-1]
		}
		out = append(out, DirectiveArgument{Key: key, Value: value})
	}
	return out, true
}

// splitQuoted splits on ASCII spaces that are not inside '...' or "...".
func splitQuoted(s string) []string {
	var (
		out      []string
		start    = 0
		inSingle bool
		inDouble bool
	)
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			if !inSingle {
				inDouble = !inDouble
			}
		case '\'':
			if !inDouble {
				inSingle = !inSingle
			}
		case ' ':
			if !inSingle && !inDouble {
				if start < i {
					out = append(out, s[start:i])
				}
				start = i + 1
			}
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
