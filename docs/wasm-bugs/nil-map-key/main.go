// Uses a nil interface as a key of a map[any]int holding n other entries.
//
//	usage: nilmapkey [n] [assign|lookup|delete]
//
// Natively, and on js/wasm up to Go 1.25, it prints "ok" whatever n is. On
// js/wasm with Go 1.26, once n is large enough for the map to have more than
// one table, it traps with "memory access out of bounds".
package main

import (
	"fmt"
	"os"
	"strconv"
)

func main() {
	n, op := 1000, "assign"
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	if len(os.Args) > 2 {
		op = os.Args[2]
	}
	m := make(map[any]int)
	for i := 0; i < n; i++ {
		m[i] = i
	}
	fmt.Printf("%d entries, %s of a nil key: ", len(m), op)
	switch op {
	case "assign":
		m[nil] = -1
	case "lookup":
		_ = m[nil]
	case "delete":
		delete(m, nil)
	}
	fmt.Println("ok")
}
