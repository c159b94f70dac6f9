package injector

import "testing"

// Each row is what Orchestrion v1.12.0 does with the first line of a file
// (parse.ConsumeLineDirective and readFile, read for this): the name the file
// is parsed under, and the content left. Where Orchestrion panics (an empty
// target, `//line :1`), the line is kept as an ordinary comment.
func TestConsumeLineDirective(t *testing.T) {
	const path = "/src/x.go"
	cases := []struct {
		label, in, name, rest string
	}{
		{"no directive", "package x\n", path, "package x\n"},
		{"name only", "//line gen.y\npackage x\n", "gen.y", "package x\n"},
		{"line 1", "//line gen.y:1\npackage x\n", "gen.y", "package x\n"},
		{"line and column 1", "//line /a/gen.y:1:1\npackage x\n", "/a/gen.y", "package x\n"},
		{"leading zeros", "//line gen.y:001:01\npackage x\n", "gen.y", "package x\n"},
		{"another line", "//line gen.y:7\npackage x\n", path, "//line gen.y:7\npackage x\n"},
		{"another column", "//line gen.y:1:5\npackage x\n", path, "//line gen.y:1:5\npackage x\n"},
		{"line 3 column 1", "//line gen.y:3:1\npackage x\n", path, "//line gen.y:3:1\npackage x\n"},
		{"not a number", "//line gen.y:x:1\npackage x\n", "gen.y:x", "package x\n"},
		{"spaces around", "//line   gen.y:1  \npackage x\n", "gen.y", "package x\n"},
		{"CRLF", "//line gen.y:1\r\npackage x\r\n", "gen.y", "package x\r\n"},
		{"CR alone ends the line", "//line gen.y:1\rpackage x\r", "gen.y", "package x\r"},
		{"empty name, line and column: the line goes, the name stays", "//line :1:1\npackage x\n", path, "package x\n"},
		{"empty name, line 1 (Orchestrion panics)", "//line :1\npackage x\n", path, "//line :1\npackage x\n"},
		{"empty name, another line", "//line :4\npackage x\n", path, "//line :4\npackage x\n"},
		{"no newline", "//line gen.y:1", "gen.y", ""},
		{"nothing after the prefix (Orchestrion panics)", "//line \npackage x\n", path, "//line \npackage x\n"},
		{"not at the start", "\n//line gen.y:1\npackage x\n", path, "\n//line gen.y:1\npackage x\n"},
		{"other comment", "//lines gen.y:1\npackage x\n", path, "//lines gen.y:1\npackage x\n"},
	}
	for _, c := range cases {
		name, rest := consumeLineDirective(path, []byte(c.in))
		if name != c.name || string(rest) != c.rest {
			t.Errorf("%s: got (%q, %q), want (%q, %q)", c.label, name, rest, c.name, c.rest)
		}
	}
}
