// Command nethttp is app D of bench/compare.mjs: the tracer's cost without anything that hides it
// (no cgo, no database driver). An HTTP server and client on 127.0.0.1 through net/http, which
// dd-trace-go's contrib/net/http/v2 aspects weave, and //dd:span functions in a leaf package.
package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"

	"example.com/nethttp/catalog"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/price/{item}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, catalog.Price(r.Context(), r.PathValue("item")))
	})
	go http.Serve(ln, mux)
	res, err := http.Get("http://" + ln.Addr().String() + "/price/tea")
	if err != nil {
		log.Fatal(err)
	}
	defer res.Body.Close()
	if _, err := io.Copy(os.Stdout, res.Body); err != nil {
		log.Fatal(err)
	}
}
