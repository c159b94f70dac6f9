// Package dstrestore is the restorer of github.com/dave/dst v0.27.4
// (package decorator: restorer.go, restorer-generated.go, map.go and the
// `avoid` table of decorator.go), copied verbatim (MIT licence, see LICENSE)
// except for one line: restoreIdent no longer records `r.Dst.Nodes[out.X] = n`
// while out.X is still nil. The decorator itself is still dst's.
//
// Why: since Go 1.26, js/wasm maps use 32-bit hashes (runtime/alg.go
// trimHash, internal/runtime/maps Use64BitHash == false, directory shift
// 32-depth), but runtime.interhash/nilinterhash return the per-map seed, a
// full 64-bit random number, untrimmed for a nil interface. Once a map with
// an interface key type has grown past one table (more than 896 entries),
// its directory index for a nil key is `seed >> (32-depth)`, far beyond the
// directory: any lookup, assignment or deletion of a nil key reads outside
// linear memory ("RuntimeError: memory access out of bounds" in
// runtime.mapassign/mapaccess). Natively (64-bit hash) and with Go <= 1.25 on
// wasm (64-bit hash too) it is harmless. dst's restoreIdent wrote such a key
// into Dst.Nodes (map[ast.Node]dst.Node) for every qualified identifier
// restored with import management, so any file whose restored AST had some
// 900 nodes before a qualified identifier crashed the wasm injector.
//
// The entry was never useful: out.X is filled in right after with a fresh
// identifier, which restoreNode records on its own, and nothing looks up the
// nil key. sync_test.go checks that the files still match the dst version in
// go.mod modulo that edit; refresh them when dst is upgraded.
package dstrestore
