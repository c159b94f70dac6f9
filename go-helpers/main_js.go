//go:build js && wasm

// Command go-helpers is the WebAssembly injector of orchestrion-ts.
//
// Protocol with the JavaScript host:
//
//   - The host prepares the globals Go's runtime expects under Node (fs,
//     process, crypto, performance, TextEncoder/TextDecoder, as done by
//     $GOROOT/lib/wasm/wasm_exec_node.js), loads wasm_exec.js, instantiates
//     this module and calls `go.run(instance)` WITHOUT awaiting it: the
//     returned promise only settles when the program exits, which it never
//     does (main blocks forever).
//
//   - Before blocking, main defines `globalThis.orchestrionInjector`:
//
//     { apiVersion: 0,
//     instrument(requestJSON: string): Promise<string>,
//     validate(requestJSON: string): Promise<string> }
//
//     and then, if the host defined a function
//     `globalThis.__orchestrionInjectorReady`, calls it with that object.
//     Registration happens synchronously during the first turn of go.run(),
//     so a host may also simply check `globalThis.orchestrionInjector` after
//     `go.run(instance)` returns its promise (or after awaiting one
//     microtask/setImmediate); the ready callback is the robust way.
//
//   - Each call returns a Promise resolved with the response JSON (see package
//     api). The work runs on a goroutine: file I/O goes through Node's async
//     fs callbacks, which need the JS event loop to make progress, so the
//     handler itself never blocks. Calls may be issued concurrently; they are
//     served one at a time.
//
//   - A malformed request still resolves, with an error response; the
//     promise is rejected only on a failure to produce any response.
package main

import (
	"fmt"
	"sync"
	"syscall/js"

	"github.com/orchestrion-ts/go-helpers/api"
	"github.com/orchestrion-ts/go-helpers/injector"
)

// serial serves requests one at a time (the injector keeps no shared state,
// but the wasm runtime is single-threaded anyway and this bounds memory).
var serial sync.Mutex

func main() {
	obj := js.Global().Get("Object").New()
	obj.Set("apiVersion", api.APIVersion)
	obj.Set("instrument", js.FuncOf(handler(injector.InstrumentJSON)))
	obj.Set("validate", js.FuncOf(handler(injector.ValidateJSON)))
	js.Global().Set("orchestrionInjector", obj)

	if ready := js.Global().Get("__orchestrionInjectorReady"); ready.Type() == js.TypeFunction {
		ready.Invoke(obj)
	}

	select {}
}

// handler adapts a JSON function to a JS function returning a Promise.
func handler(fn func([]byte) []byte) func(js.Value, []js.Value) any {
	return func(_ js.Value, args []js.Value) any {
		var request string
		if len(args) > 0 && args[0].Type() == js.TypeString {
			request = args[0].String()
		}
		hasArg := len(args) > 0 && args[0].Type() == js.TypeString

		executor := js.FuncOf(func(_ js.Value, pargs []js.Value) any {
			resolve, reject := pargs[0], pargs[1]
			go func() {
				defer func() {
					if p := recover(); p != nil {
						reject.Invoke(js.Global().Get("Error").New(fmt.Sprintf("orchestrion injector: %v", p)))
					}
				}()
				if !hasArg {
					reject.Invoke(js.Global().Get("TypeError").New("orchestrion injector: expected a JSON string argument"))
					return
				}
				serial.Lock()
				out := fn([]byte(request))
				serial.Unlock()
				resolve.Invoke(string(out))
			}()
			return nil
		})
		defer executor.Release()
		return js.Global().Get("Promise").New(executor)
	}
}
