//go:build !(js && wasm)

// Command go-helpers, built natively, is a debugging aid: it reads one
// request from stdin and writes the response to stdout.
//
//	go run . instrument < request.json
//	go run . validate < request.json
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/orchestrion-ts/go-helpers/injector"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go-helpers instrument|validate < request.json")
		os.Exit(2)
	}
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	switch os.Args[1] {
	case "instrument":
		os.Stdout.Write(injector.InstrumentJSON(in))
	case "validate":
		os.Stdout.Write(injector.ValidateJSON(in))
	default:
		fmt.Fprintln(os.Stderr, "unknown command", os.Args[1])
		os.Exit(2)
	}
	os.Stdout.Write([]byte("\n"))
}
