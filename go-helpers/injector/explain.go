package injector

import (
	"encoding/json"
	"fmt"
	"go/token"
	"sort"
	"strings"

	"github.com/orchestrion-ts/go-helpers/api"
	"github.com/orchestrion-ts/go-helpers/injector/advice"
	"github.com/orchestrion-ts/go-helpers/injector/join"
	"github.com/orchestrion-ts/go-helpers/injector/nodectx"
)

// explainer collects, for an instrument request with `explain`, the verdict
// on each aspect: the stage that ruled it out (package, file, syntax, types)
// or the places it matched. It exists only when explain is asked; the
// injector's normal path only tests it for nil.
type explainer struct {
	r       *run
	aspects []*Aspect // every aspect decoded, in request order
	decided map[*Aspect]*api.AspectVerdict
	walks   map[*Aspect]*aspectWalk
	// pending decides the aspects still undecided when the injector stops
	// before walking (a package with syntax or type errors).
	pending *api.AspectVerdict
}

// aspectWalk is what the syntax walk learned about one aspect.
type aspectWalk struct {
	matches []api.Match
	// typeAt, typeWhy: the first node of the right shape a type check rejected.
	typeAt  *api.Position
	typeWhy string
	// directives of the join point, and whether a node carries each.
	directives []join.Directive
	carried    map[join.Directive]bool
}

func newExplainer(r *run) *explainer {
	return &explainer{r: r, decided: map[*Aspect]*api.AspectVerdict{}, walks: map[*Aspect]*aspectWalk{}}
}

// decide records the verdict of the aspects among that are rejected and not
// yet decided (the first stage to rule an aspect out is the one that counts).
func (ex *explainer) decide(among []*Aspect, rejected func(*Aspect) bool, stage string, reason func(*Aspect) string) {
	if ex == nil {
		return
	}
	for _, a := range among {
		if _, done := ex.decided[a]; !done && rejected(a) {
			ex.decided[a] = &api.AspectVerdict{AspectIndex: a.Index, Stage: stage, Reason: reason(a)}
		}
	}
}

// stopped: the injector gives up on the package before the walk.
func (ex *explainer) stopped(stage, reason string) {
	if ex != nil && ex.pending == nil {
		ex.pending = &api.AspectVerdict{Stage: stage, Reason: reason}
	}
}

// reach starts the walk data of the aspects left to some file.
func (ex *explainer) reach(files []*sourceFile) {
	if ex == nil {
		return
	}
	for _, f := range files {
		for _, a := range f.aspects {
			if ex.walks[a] == nil {
				ex.walks[a] = &aspectWalk{directives: join.Directives(a.JoinPoint), carried: map[join.Directive]bool{}}
			}
		}
	}
	ex.decide(ex.aspects, func(a *Aspect) bool { return ex.walks[a] == nil }, api.StageFile, func(a *Aspect) string {
		return "the file-level filter rules out every file: none can hold a " + join.Describe(a.JoinPoint)
	})
}

// finish writes the verdicts into the response, in request order.
func (ex *explainer) finish() {
	out := make([]api.AspectVerdict, 0, len(ex.aspects))
	for _, a := range ex.aspects {
		v := ex.decided[a]
		switch {
		case v != nil:
		case ex.pending != nil:
			v = &api.AspectVerdict{AspectIndex: a.Index, Stage: ex.pending.Stage, Reason: ex.pending.Reason}
		case ex.walks[a] != nil:
			v = ex.walks[a].verdict(a, ex.r.files)
		default:
			v = &api.AspectVerdict{AspectIndex: a.Index, Stage: api.StageSyntax, Reason: "not reached by the walk"}
		}
		out = append(out, *v)
	}
	ex.r.resp.Explain = out
}

func (w *aspectWalk) verdict(a *Aspect, files []*sourceFile) *api.AspectVerdict {
	v := &api.AspectVerdict{AspectIndex: a.Index}
	switch {
	case len(w.matches) > 0:
		v.Stage, v.Matches = api.StageMatched, w.matches
		v.Reason = fmt.Sprintf("matched %d place", len(w.matches))
		if len(w.matches) > 1 {
			v.Reason += "s"
		}
	case w.typeAt != nil:
		v.Stage, v.At, v.Reason = api.StageTypes, w.typeAt, w.typeWhy
	default:
		v.Stage, v.Reason = api.StageSyntax, "no "+join.Describe(a.JoinPoint)
		// The file-level filter is a text search: a directive's text in a
		// plain comment passes it, and only the walk tells it is no directive.
		for _, d := range w.directives {
			text := "//" + string(d)
			if !w.carried[d] && anyContains(files, text) {
				v.Reason = "the text " + text + " appears, but not as a directive of a declaration or statement (" + v.Reason + ")"
				break
			}
		}
	}
	return v
}

func anyContains(files []*sourceFile, text string) bool {
	for _, f := range files {
		if strings.Contains(string(f.content), text) {
			return true
		}
	}
	return false
}

// fileExplainer watches the walk of one file.
type fileExplainer struct {
	ex     *explainer
	shared *nodectx.File
	fset   *token.FileSet
}

func (ex *explainer) forFile(shared *nodectx.File) *fileExplainer {
	if ex == nil {
		return nil
	}
	return &fileExplainer{ex: ex, shared: shared, fset: ex.r.fset}
}

// missed: the aspect's join point rejected the node. A second evaluation that
// assumes every type check holds tells a node of the right shape rejected by
// types from a node of another shape.
func (fx *fileExplainer) missed(ctx *nodectx.Context, a *Aspect) {
	w := fx.ex.walks[a]
	fx.directives(ctx, w)
	if w.typeAt != nil {
		return
	}
	fx.shared.AssumeTypes, fx.shared.TypeFailures = true, nil
	shaped := a.JoinPoint.Matches(ctx)
	fx.shared.AssumeTypes = false
	if shaped && len(fx.shared.TypeFailures) > 0 {
		pos := fx.position(ctx)
		w.typeAt, w.typeWhy = &pos, fx.shared.TypeFailures[0]
	}
	fx.shared.TypeFailures = nil
}

func (fx *fileExplainer) directives(ctx *nodectx.Context, w *aspectWalk) {
	for _, d := range w.directives {
		if !w.carried[d] && d.Matches(ctx) {
			w.carried[d] = true
		}
	}
}

// matched records the node as a match of every aspect with advice in list
// (sorted, as applied), owners[i] being the aspect of the advice at Index i.
func (fx *fileExplainer) matched(ctx *nodectx.Context, list []*advice.Ordered, owners []*Aspect) {
	pos := fx.position(ctx)
	at := map[*Aspect]*api.Match{}
	var order []*Aspect
	for _, o := range list {
		a := owners[o.Index]
		m := at[a]
		if m == nil {
			m = &api.Match{Position: pos}
			at[a] = m
			order = append(order, a)
		}
		m.Advice = append(m.Advice, a.adviceKind(o.Index-firstIndex(owners, a)))
	}
	for _, a := range order {
		w := fx.ex.walks[a]
		fx.directives(ctx, w)
		w.matches = append(w.matches, *at[a])
	}
}

// firstIndex is the position in owners of the aspect's first advice.
func firstIndex(owners []*Aspect, a *Aspect) int {
	for i, o := range owners {
		if o == a {
			return i
		}
	}
	return 0
}

// position is the node's place in the original file, or its nearest
// original ancestor's when advice made it.
func (fx *fileExplainer) position(ctx *nodectx.Context) api.Position {
	for link := ctx.Chain(); link != nil; link = link.Parent() {
		if n := link.Node(); n != nil {
			if an, ok := fx.shared.NodeMap[n]; ok && an.Pos().IsValid() {
				p := fx.fset.Position(an.Pos())
				return api.Position{File: p.Filename, Line: p.Line, Column: p.Column}
			}
		}
	}
	return api.Position{}
}

// adviceKind is the kind (its key in the configuration) of the aspect's i-th advice.
func (a *Aspect) adviceKind(i int) string {
	var list []map[string]json.RawMessage
	if err := json.Unmarshal(a.rawAdvice, &list); err != nil {
		var one map[string]json.RawMessage
		if json.Unmarshal(a.rawAdvice, &one) == nil {
			list = []map[string]json.RawMessage{one}
		}
	}
	if i < 0 || i >= len(list) {
		return "?"
	}
	for k := range list[i] {
		return k
	}
	return "?"
}

// sortMatches orders each aspect's matches by file (request order), then position.
func (ex *explainer) sortMatches() {
	if ex == nil {
		return
	}
	rank := map[string]int{}
	for i, f := range ex.r.files {
		rank[f.name] = i
	}
	for _, w := range ex.walks {
		sort.SliceStable(w.matches, func(i, j int) bool {
			a, b := w.matches[i], w.matches[j]
			if a.File != b.File {
				return rank[a.File] < rank[b.File]
			}
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			return a.Column < b.Column
		})
	}
}
