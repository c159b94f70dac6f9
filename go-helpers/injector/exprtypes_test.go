package injector_test

import (
	"strings"
	"testing"

	"github.com/orchestrion-ts/go-helpers/api"
	"github.com/orchestrion-ts/go-helpers/injector"
)

// Type checking records expressions' types only for the aspects that ask for
// them (join.NeedsExprTypes, templates calling *Implements). Each aspect here
// matches only if the type of an expression the fallback cannot name (a call's
// result, an interface literal) is known: without the recording, none would.
func TestExprTypesRecordedWhenAsked(t *testing.T) {
	src := `package a

type Client struct{}

func (*Client) Do() {}

func newClient() *Client { return &Client{} }

func f() {
	newClient().Do()
}

func g(e interface{ Error() string }) {}
`
	path := writeFile(t, "a.go", src)
	cfg := writeFile(t, "importcfg", "# empty\n")
	for name, tc := range map[string]struct{ aspect, want string }{
		"method-call receiver": {
			`{"id":"m","join-point":{"method-call":{"receiver":"example.com/a.Client","name":"Do"}},"advice":{"wrap-expression":{"template":"func() { {{ . }} }()"}}}`,
			"func() {",
		},
		"argument-implements": {
			`{"id":"i","join-point":{"function-body":{"function":[{"argument-implements":"error"}]}},"advice":{"prepend-statements":{"template":"_ = 4"}}}`,
			"_ = 4",
		},
		"ArgumentThatImplements in a template": {
			`{"id":"t","join-point":{"function-body":{"function":[{"name":"g"}]}},"advice":{"prepend-statements":{"template":"_ = {{ .Function.ArgumentThatImplements \"error\" }}"}}}`,
			"_ = e",
		},
	} {
		t.Run(name, func(t *testing.T) {
			resp := injector.Instrument(&api.InstrumentRequest{
				APIVersion: ptr(0), ImportPath: "example.com/a", GOARCH: "amd64", Files: []string{path}, ImportCfg: cfg,
				Aspects: aspectsJSON(t, "["+tc.aspect+"]"),
			})
			if len(resp.Errors) != 0 {
				t.Fatalf("errors: %+v", resp.Errors)
			}
			if len(resp.Files) != 1 || !strings.Contains(resp.Files[0].Content, tc.want) {
				t.Fatalf("want the woven file to contain %q, got %+v", tc.want, resp.Files)
			}
		})
	}
}
