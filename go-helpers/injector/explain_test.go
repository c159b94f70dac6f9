package injector_test

import (
	"strings"
	"testing"

	"github.com/orchestrion-ts/go-helpers/api"
	"github.com/orchestrion-ts/go-helpers/injector"
)

// The verdicts of `instrument -explain`: one per aspect sent, in request
// order, with the stage that decided it and the places matched.
func TestExplainVerdicts(t *testing.T) {
	// Line numbers matter: the assertions below name them.
	src := `package a

type Client struct{}

func (Client) Do() {}

type fake struct{}

func (fake) Do() {}

// Missing is only named in this comment.
func f() {
	fake{}.Do()
}

func g(x int) {}

// see //dd:span in the docs: not a directive.
func h() {
	_ = 1
	//dd:span
}

// dd:trace is written with a space: not a directive either.
func k() {}
`
	path := writeFile(t, "a.go", src)
	aspects := aspectsJSON(t, `[
	  {"id":"matched","join-point":{"function-body":{"function":[{"name":"f"}]}},
	   "advice":[{"prepend-statements":{"template":"_ = 1"}},{"prepend-statements":{"template":"_ = 2"}}]},
	  {"id":"package","join-point":{"function-call":"net/http.Get"},"advice":{"wrap-expression":{"template":"{{ . }}"}}},
	  {"id":"file","join-point":{"function-body":{"function":[{"name":"NoSuch"}]}},"advice":{"prepend-statements":{"template":"_ = 3"}}},
	  {"id":"syntax","join-point":{"function-call":"Missing"},"advice":{"wrap-expression":{"template":"{{ . }}"}}},
	  {"id":"types-receiver","join-point":{"method-call":{"receiver":"example.com/a.Client","name":"Do"}},"advice":{"wrap-expression":{"template":"{{ . }}"}}},
	  {"id":"types-implements","join-point":{"function-body":{"function":[{"argument-implements":"error"}]}},"advice":{"prepend-statements":{"template":"_ = 4"}}},
	  {"id":"comment-directive","join-point":{"directive":"dd:span"},"advice":{"prepend-statements":{"template":"_ = 5"}}},
	  {"id":"spaced-directive","join-point":{"directive":"dd:trace"},"advice":{"prepend-statements":{"template":"_ = 6"}}}
	]`)
	cfg := writeFile(t, "importcfg", "# empty\n")
	req := &api.InstrumentRequest{APIVersion: ptr(0), ImportPath: "example.com/a", GOARCH: "amd64", Files: []string{path}, ImportCfg: cfg, Aspects: aspects}

	plain := injector.Instrument(req)
	if plain.Explain != nil {
		t.Fatalf("no explain asked, got %+v", plain.Explain)
	}
	req.Explain = true
	resp := injector.Instrument(req)
	if len(resp.Errors) != 0 {
		t.Fatalf("errors: %+v", resp.Errors)
	}
	if len(resp.Files) != 1 || resp.Files[0].Content != plain.Files[0].Content {
		t.Errorf("explain must not change the woven file")
	}
	want := []struct{ stage, reason string }{
		{api.StageMatched, "matched 1 place"},
		{api.StagePackage, "cannot hold a call of net/http.Get"},
		{api.StageFile, "function named NoSuch"},
		{api.StageSyntax, "no call of Missing"},
		{api.StageTypes, "the receiver of .Do has type example.com/a.fake, not example.com/a.Client"},
		{api.StageTypes, "no argument implements error (int)"},
		{api.StageSyntax, "the text //dd:span appears, but not as a directive"},
		{api.StageFile, "none can hold a node carrying the directive //dd:trace"},
	}
	if len(resp.Explain) != len(want) {
		t.Fatalf("want %d verdicts, got %+v", len(want), resp.Explain)
	}
	for i, w := range want {
		v := resp.Explain[i]
		if v.AspectIndex != i || v.Stage != w.stage || !strings.Contains(v.Reason, w.reason) {
			t.Errorf("verdict %d: got %+v, want stage %s and a reason containing %q", i, v, w.stage, w.reason)
		}
	}
	for _, v := range resp.Explain {
		t.Logf("%+v", v)
	}
	m := resp.Explain[0].Matches
	if len(m) != 1 || m[0].File != path || m[0].Line != 12 || m[0].Column != 10 || strings.Join(m[0].Advice, ",") != "prepend-statements,prepend-statements" {
		t.Errorf("matches: %+v", m)
	}
	if at := resp.Explain[4].At; at == nil || at.Line != 13 || at.Column != 2 {
		t.Errorf("types verdict at: %+v", at)
	}
	if at := resp.Explain[5].At; at == nil || at.Line != 16 || at.Column != 15 {
		t.Errorf("types verdict at: %+v", at)
	}
}

// A package that does not type-check: every aspect that reached the walk is
// decided by types, with the reason.
func TestExplainTypeErrors(t *testing.T) {
	path := writeFile(t, "a.go", "package test\n\nfunc f() {\n\tvar x int = \"s\"\n\t_ = x\n}\n")
	cfg := writeFile(t, "importcfg", "# empty\n")
	resp := injector.Instrument(&api.InstrumentRequest{
		APIVersion: ptr(0), ImportPath: "example.com/a", GOARCH: "amd64", Files: []string{path}, ImportCfg: cfg,
		Aspects: aspectsJSON(t, printlnAspect), Explain: true,
	})
	if len(resp.Explain) != 1 || resp.Explain[0].Stage != api.StageTypes || !strings.Contains(resp.Explain[0].Reason, "does not type-check") {
		t.Fatalf("got %+v", resp.Explain)
	}
}

// Directive text that is no directive of a node: the text search passes, the
// walk finds no node carrying it.
func TestExplainDirectiveTextOnly(t *testing.T) {
	for name, src := range map[string]string{
		"floating":  "package a\n\nfunc h() {\n\t_ = 1\n\t//dd:span\n}\n",
		"in a line": "package a\n\n/* the //dd:span directive goes above a function */\nvar x = 1\n",
		"attached":  "package a\n\n//dd:span\nfunc h() {}\n",
	} {
		path := writeFile(t, "a.go", src)
		resp := injector.Instrument(&api.InstrumentRequest{
			APIVersion: ptr(0), ImportPath: "example.com/a", GOARCH: "amd64", Files: []string{path}, Explain: true,
			Aspects: aspectsJSON(t, `[{"id":"d","join-point":{"directive":"dd:span"},"advice":{"prepend-statements":{"template":"_ = 5"}}}]`),
		})
		if len(resp.Explain) != 1 {
			t.Fatalf("%s: got %+v", name, resp)
		}
		v := resp.Explain[0]
		if name == "attached" {
			// The directive is on the function declaration, where this advice
			// cannot apply; the node still carries it.
			if v.Stage == api.StageSyntax && strings.Contains(v.Reason, "appears, but not") {
				t.Errorf("%s: %+v", name, v)
			}
			continue
		}
		if v.Stage != api.StageSyntax || !strings.Contains(v.Reason, "the text //dd:span appears, but not as a directive") {
			t.Errorf("%s: %+v", name, v)
		}
	}
}
