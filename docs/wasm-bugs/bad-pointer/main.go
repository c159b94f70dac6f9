// An attempt at reproducing "found bad pointer in Go heap" on js/wasm (see
// README.md): parses and type-checks packages one after another in one
// process, three rounds, keeping about half of the results alive so that the
// heap grows past a gigabyte, and reports the heap every 25 packages.
//
// The argument is a file of lines "<import path> <export data file> <Go
// file>...", as printed by
//
//	go list -export -deps -f '{{.ImportPath}} {{.Export}}{{$d := .Dir}}{{range .GoFiles}} {{$d}}/{{.}}{{end}}' std
//
// (drop the line of "unsafe"); lines without Go files only name export data.
package main

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"runtime"
	"strings"
)

func main() {
	exports := map[string]string{}
	var pkgs [][]string
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		exports[fields[0]] = fields[1]
		if len(fields) > 2 {
			pkgs = append(pkgs, append([]string{fields[0]}, fields[2:]...))
		}
	}
	var keep []any
	n := 0
	for round := 0; round < 3; round++ {
		for _, p := range pkgs {
			fset := token.NewFileSet()
			imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) { return os.Open(exports[path]) })
			var files []*ast.File
			for _, name := range p[1:] {
				file, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
				if err != nil {
					fmt.Println(err)
					os.Exit(1)
				}
				files = append(files, file)
			}
			info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}}
			conf := types.Config{Importer: imp, Error: func(error) {}}
			pkg, _ := conf.Check(p[0], fset, files, info)
			n++
			if n%20 < 10 { // keep about half of the results alive
				keep = append(keep, pkg, info, files)
			}
			if n%25 == 0 {
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				fmt.Printf("%d packages, heap %d MiB, sys %d MiB\n", n, ms.HeapAlloc>>20, ms.Sys>>20)
			}
		}
	}
	fmt.Println("done", n, len(keep))
}
