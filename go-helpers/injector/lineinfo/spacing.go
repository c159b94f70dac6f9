package lineinfo

import "github.com/dave/dst"

// normalizeSpacing nudges the tree towards gofmt's layout so that the line
// numbers seen when restoring it are those of the final output:
//   - of two adjacent nodes that both ask for an empty line between them, the
//     first one's request is reduced to a new line (dst would otherwise count
//     two empty lines where one is printed);
//   - declarations, and statements of blocks holding more than one statement,
//     start on a new line.
func normalizeSpacing(file *dst.File) {
	w := &spacer{}
	dst.Walk(w, file)
}

type spacer struct {
	stack []*spacerFrame
}

type spacerFrame struct {
	node      dst.Node
	lastChild dst.Node
}

func (s *spacer) Visit(node dst.Node) dst.Visitor {
	if node == nil {
		s.stack = s.stack[:len(s.stack)-1]
		return nil
	}

	var parent *spacerFrame
	if n := len(s.stack); n > 0 {
		parent = s.stack[n-1]
	}
	s.stack = append(s.stack, &spacerFrame{node: node})
	if parent != nil {
		defer func() { parent.lastChild = node }()
	}

	decs := node.Decorations()
	if decs.Before == dst.EmptyLine && parent != nil && parent.lastChild != nil &&
		parent.lastChild.Decorations().After == dst.EmptyLine {
		parent.lastChild.Decorations().After = dst.NewLine
	}

	if gd, ok := node.(*dst.GenDecl); ok {
		if gd.Decs.Before == dst.None {
			gd.Decs.Before = dst.NewLine
		}
		return s
	}
	if decs.Before != dst.None {
		return s
	}
	if _, ok := node.(dst.Stmt); !ok || parent == nil {
		return s
	}
	if block, ok := parent.node.(*dst.BlockStmt); ok && len(block.List) > 1 {
		decs.Before = dst.NewLine
	}
	return s
}
