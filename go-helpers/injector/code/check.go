package code

import (
	"fmt"
	"reflect"
	"text/template"
	"text/template/parse"
)

// staticCheck finds the errors the template raises whatever node it is
// rendered for: it follows the types of the values text/template would
// evaluate, starting from the template's dot, and reports what execution
// would certainly reject (a field or method the value's type does not have, a
// method called with the wrong number of arguments, a constant argument of
// the wrong kind, a missing sub-template).
//
// Only the parts of the template that execute on every node are checked: the
// bodies of if, with and range depend on the node, and a mistake in a branch
// that is never taken never fails a build. Values whose type depends on the
// node (interface-typed results such as .AST, index, and) are not followed.
func (t *Template) staticCheck() error {
	c := &checker{tmpl: t.tmpl, seen: map[string]bool{}}
	root := t.tmpl.Lookup(userTemplate)
	if root == nil || root.Tree == nil {
		return nil
	}
	dotType := reflect.TypeOf(&dot{})
	return c.list(root.Tree, root.Tree.Root, dotType, scope{"$": dotType})
}

// checkError is a certain execution error, located as text/template does.
type checkError struct {
	tree *parse.Tree
	node parse.Node
	msg  string
}

func (e *checkError) Error() string {
	location, context := e.tree.ErrorContext(e.node)
	return fmt.Sprintf("template: %s: executing %q at <%s>: %s", location, e.tree.Name, context, e.msg)
}

// scope maps variable names to their types (nil: unknown).
type scope map[string]reflect.Type

func (s scope) with() scope {
	out := make(scope, len(s))
	for k, v := range s {
		out[k] = v
	}
	return out
}

type checker struct {
	tmpl *template.Template
	seen map[string]bool // sub-templates already checked, by name and dot type
	tree *parse.Tree
}

func (c *checker) fail(node parse.Node, format string, args ...any) error {
	return &checkError{tree: c.tree, node: node, msg: fmt.Sprintf(format, args...)}
}

// list checks the nodes of a list that execute unconditionally.
func (c *checker) list(tree *parse.Tree, l *parse.ListNode, dotType reflect.Type, vars scope) error {
	if l == nil {
		return nil
	}
	saved := c.tree
	c.tree = tree
	defer func() { c.tree = saved }()
	for _, n := range l.Nodes {
		var err error
		switch n := n.(type) {
		case *parse.ActionNode:
			_, err = c.pipe(n.Pipe, dotType, vars)
		case *parse.IfNode:
			err = c.branch(&n.BranchNode, dotType, vars)
		case *parse.WithNode:
			err = c.branch(&n.BranchNode, dotType, vars)
		case *parse.RangeNode:
			err = c.branch(&n.BranchNode, dotType, vars)
		case *parse.TemplateNode:
			err = c.call(n, dotType, vars)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// branch checks the pipeline of an if, with or range, which always runs (its
// bodies only on some nodes). A variable the bodies assign has an unknown
// type afterwards.
func (c *checker) branch(b *parse.BranchNode, dotType reflect.Type, vars scope) error {
	if _, err := c.pipe(b.Pipe, dotType, vars.with()); err != nil {
		return err
	}
	if b.Pipe.IsAssign {
		for _, v := range b.Pipe.Decl {
			vars[v.Ident[0]] = nil
		}
	}
	for _, l := range []*parse.ListNode{b.List, b.ElseList} {
		for name := range assigned(l) {
			vars[name] = nil
		}
	}
	return nil
}

// assigned lists the variables assigned (`$x = ...`) anywhere in l.
func assigned(l *parse.ListNode) map[string]bool {
	out := map[string]bool{}
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, m := range n.Nodes {
					walk(m)
				}
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.PipeNode:
			if n != nil && n.IsAssign {
				for _, v := range n.Decl {
					out[v.Ident[0]] = true
				}
			}
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		}
	}
	walk(l)
	return out
}

// call checks `{{ template "name" pipe }}`.
func (c *checker) call(n *parse.TemplateNode, dotType reflect.Type, vars scope) error {
	arg := reflect.Type(nil)
	if n.Pipe != nil {
		var err error
		if arg, err = c.pipe(n.Pipe, dotType, vars); err != nil {
			return err
		}
	}
	sub := c.tmpl.Lookup(n.Name)
	if sub == nil || sub.Tree == nil {
		return c.fail(n, "template %q not defined", n.Name)
	}
	key := fmt.Sprintf("%s\x00%v", n.Name, arg)
	if c.seen[key] {
		return nil
	}
	c.seen[key] = true
	return c.list(sub.Tree, sub.Tree.Root, arg, scope{"$": arg})
}

// pipe checks a pipeline and returns the type of its value (nil: unknown).
// Variables it declares or assigns are recorded in vars.
func (c *checker) pipe(p *parse.PipeNode, dotType reflect.Type, vars scope) (reflect.Type, error) {
	if p == nil {
		return nil, nil
	}
	var (
		final    reflect.Type
		hasFinal bool
	)
	for _, cmd := range p.Cmds {
		t, err := c.command(cmd, dotType, vars, final, hasFinal)
		if err != nil {
			return nil, err
		}
		final, hasFinal = t, true
	}
	for _, v := range p.Decl {
		vars[v.Ident[0]] = final
	}
	return final, nil
}

// command checks one command of a pipeline; final is the previous command's
// value, passed as the last argument when hasFinal.
func (c *checker) command(cmd *parse.CommandNode, dotType reflect.Type, vars scope, final reflect.Type, hasFinal bool) (reflect.Type, error) {
	args := cmd.Args[1:]
	evaluated := args
	if id, ok := cmd.Args[0].(*parse.IdentifierNode); ok && (id.Ident == "and" || id.Ident == "or") && len(args) > 1 {
		evaluated = args[:1] // the others only when the first does not decide
	}
	for _, a := range evaluated {
		if _, err := c.operand(a, dotType, vars); err != nil {
			return nil, err
		}
	}
	withArgs := len(args) > 0 || hasFinal
	switch n := cmd.Args[0].(type) {
	case *parse.FieldNode:
		return c.fields(n, dotType, n.Ident, args, final, hasFinal)
	case *parse.VariableNode:
		t := vars[n.Ident[0]]
		if len(n.Ident) == 1 {
			if withArgs {
				return nil, c.fail(n, "can't give argument to non-function %s", n)
			}
			return t, nil
		}
		return c.fields(n, t, n.Ident[1:], args, final, hasFinal)
	case *parse.ChainNode:
		t, err := c.operand(n.Node, dotType, vars)
		if err != nil {
			return nil, err
		}
		return c.fields(n, t, n.Field, args, final, hasFinal)
	case *parse.IdentifierNode:
		return c.function(n, args, hasFinal)
	case *parse.PipeNode:
		if withArgs {
			return nil, nil // text/template reports this at parse time
		}
		return c.pipe(n, dotType, vars.with())
	case *parse.DotNode:
		if withArgs {
			return nil, c.fail(n, "can't give argument to non-function %s", n)
		}
		return dotType, nil
	case *parse.StringNode:
		return constant(c, n, reflect.TypeOf(""), withArgs)
	case *parse.BoolNode:
		return constant(c, n, reflect.TypeOf(false), withArgs)
	case *parse.NumberNode:
		return constant(c, n, nil, withArgs)
	}
	return nil, nil
}

func constant(c *checker, n parse.Node, t reflect.Type, withArgs bool) (reflect.Type, error) {
	if withArgs {
		return nil, c.fail(n, "can't give argument to non-function %s", n)
	}
	return t, nil
}

// operand checks an argument of a command and returns its type.
func (c *checker) operand(n parse.Node, dotType reflect.Type, vars scope) (reflect.Type, error) {
	switch n := n.(type) {
	case *parse.FieldNode:
		return c.fields(n, dotType, n.Ident, nil, nil, false)
	case *parse.VariableNode:
		if len(n.Ident) == 1 {
			return vars[n.Ident[0]], nil
		}
		return c.fields(n, vars[n.Ident[0]], n.Ident[1:], nil, nil, false)
	case *parse.ChainNode:
		t, err := c.operand(n.Node, dotType, vars)
		if err != nil {
			return nil, err
		}
		return c.fields(n, t, n.Field, nil, nil, false)
	case *parse.PipeNode:
		return c.pipe(n, dotType, vars.with())
	case *parse.IdentifierNode:
		return c.function(n, nil, false)
	case *parse.DotNode:
		return dotType, nil
	case *parse.StringNode:
		return reflect.TypeOf(""), nil
	case *parse.BoolNode:
		return reflect.TypeOf(false), nil
	}
	return nil, nil
}

// Result types of the functions every template may call; nil: unknown.
var functionResults = map[string]reflect.Type{
	"Version": reflect.TypeOf(""),
	"print":   reflect.TypeOf(""), "printf": reflect.TypeOf(""), "println": reflect.TypeOf(""),
	"html": reflect.TypeOf(""), "js": reflect.TypeOf(""), "urlquery": reflect.TypeOf(""),
	"len": reflect.TypeOf(0),
	"not": reflect.TypeOf(false), "eq": reflect.TypeOf(false), "ne": reflect.TypeOf(false),
	"lt": reflect.TypeOf(false), "le": reflect.TypeOf(false), "gt": reflect.TypeOf(false), "ge": reflect.TypeOf(false),
}

// Exact argument counts of the functions that have one.
var functionArity = map[string]int{"Version": 0, "not": 1, "len": 1}

func (c *checker) function(n *parse.IdentifierNode, args []parse.Node, hasFinal bool) (reflect.Type, error) {
	if want, ok := functionArity[n.Ident]; ok {
		if got := argCount(args, hasFinal); got != want {
			return nil, c.fail(n, "wrong number of args for %s: want %d got %d", n.Ident, want, got)
		}
	}
	return functionResults[n.Ident], nil
}

// fields follows a chain of field or method names from a value of type t;
// the last one receives args (and the piped value).
func (c *checker) fields(node parse.Node, t reflect.Type, names []string, args []parse.Node, final reflect.Type, hasFinal bool) (reflect.Type, error) {
	for i, name := range names {
		last := i == len(names)-1
		if !last {
			var err error
			if t, err = c.field(node, t, name, nil, nil, false); err != nil {
				return nil, err
			}
			continue
		}
		return c.field(node, t, name, args, final, hasFinal)
	}
	return t, nil
}

// field mirrors text/template's evaluation of `.name` on a value of type t.
func (c *checker) field(node parse.Node, t reflect.Type, name string, args []parse.Node, final reflect.Type, hasFinal bool) (reflect.Type, error) {
	if t == nil || t.Kind() == reflect.Interface {
		return nil, nil // decided by the node
	}
	receiver := t
	for receiver.Kind() == reflect.Pointer {
		receiver = receiver.Elem()
	}
	if receiver.Kind() == reflect.Interface {
		return nil, nil
	}
	if m, ok := method(receiver, name); ok {
		return c.method(node, name, m, args, final, hasFinal)
	}
	withArgs := len(args) > 0 || hasFinal
	switch receiver.Kind() {
	case reflect.Struct:
		if f, ok := receiver.FieldByName(name); ok {
			if !f.IsExported() {
				return nil, c.fail(node, "%s is an unexported field of struct type %s", name, t)
			}
			if withArgs {
				return nil, c.fail(node, "%s has arguments but cannot be invoked as function", name)
			}
			return f.Type, nil
		}
	case reflect.Map:
		return nil, nil // a key, present or not
	}
	return nil, c.fail(node, "can't evaluate field %s in type %s", name, t)
}

// method looks name up in the method sets of T and *T.
func method(t reflect.Type, name string) (reflect.Method, bool) {
	if m, ok := reflect.PointerTo(t).MethodByName(name); ok {
		return m, true
	}
	return t.MethodByName(name)
}

func (c *checker) method(node parse.Node, name string, m reflect.Method, args []parse.Node, final reflect.Type, hasFinal bool) (reflect.Type, error) {
	ft := m.Type // the receiver is the first parameter
	params := ft.NumIn() - 1
	got := argCount(args, hasFinal)
	if ft.IsVariadic() {
		if got < params-1 {
			return nil, c.fail(node, "wrong number of args for %s: want at least %d got %d", name, params-1, got)
		}
	} else if got != params {
		return nil, c.fail(node, "wrong number of args for %s: want %d got %d", name, params, got)
	}
	for i, a := range args {
		if ft.IsVariadic() && i >= params-1 {
			break
		}
		if err := c.constantArg(a, ft.In(i+1)); err != nil {
			return nil, err
		}
	}
	if hasFinal && !ft.IsVariadic() && final != nil && isBasic(final) && isBasic(ft.In(params)) && final.Kind() != ft.In(params).Kind() {
		return nil, c.fail(node, "wrong type for value; expected %s; got %s", ft.In(params), final)
	}
	if ft.NumOut() == 0 {
		return nil, nil
	}
	return ft.Out(0), nil
}

// constantArg checks a constant argument against its parameter's type.
func (c *checker) constantArg(a parse.Node, param reflect.Type) error {
	switch param.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		switch n := a.(type) {
		case *parse.NumberNode:
			if !n.IsInt {
				return c.fail(a, "expected integer; found %s", a)
			}
		case *parse.StringNode, *parse.BoolNode, *parse.NilNode:
			return c.fail(a, "expected integer; found %s", a)
		}
	case reflect.String:
		switch a.(type) {
		case *parse.NumberNode, *parse.BoolNode, *parse.NilNode:
			return c.fail(a, "expected string; found %s", a)
		}
	case reflect.Bool:
		switch a.(type) {
		case *parse.NumberNode, *parse.StringNode, *parse.NilNode:
			return c.fail(a, "expected bool; found %s", a)
		}
	}
	return nil
}

// argCount is the number of arguments a call receives, the piped value included.
func argCount(args []parse.Node, hasFinal bool) int {
	if hasFinal {
		return len(args) + 1
	}
	return len(args)
}

func isBasic(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int:
		return true
	}
	return false
}

// straightLine tells whether the template renders the same shape of code on
// every node: no if, with or range, in it or in the templates it invokes.
func (t *Template) straightLine() bool {
	seen := map[string]bool{}
	var walk func(name string) bool
	walk = func(name string) bool {
		if seen[name] {
			return true
		}
		seen[name] = true
		sub := t.tmpl.Lookup(name)
		if sub == nil || sub.Tree == nil {
			return true
		}
		for _, n := range sub.Tree.Root.Nodes {
			switch n := n.(type) {
			case *parse.IfNode, *parse.WithNode, *parse.RangeNode:
				return false
			case *parse.TemplateNode:
				if !walk(n.Name) {
					return false
				}
			}
		}
		return true
	}
	return walk(userTemplate)
}
