// Command traced is the example app: an HTTP server and client on 127.0.0.1 and a SQLite query
// behind a //dd:span function. It has no tracing code of its own; `orchestrion go build` adds it
// from the integrations imported in orchestrion.tool.go.
package main

import (
	"database/sql"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"

	_ "github.com/mattn/go-sqlite3"

	"example.com/traced/inventory"
)

var audited []string

// audit takes no context, yet under orchestrion its span is a child of the server request's: the
// tracer finds the active span in the goroutine-local storage dd-trace-go weaves into the runtime.
//
//dd:span span.name:stock.audit
func audit(item string) {
	audited = append(audited, item)
}

func main() {
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := inventory.Seed(db); err != nil {
		log.Fatal(err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/stock/{item}", func(w http.ResponseWriter, r *http.Request) {
		audit(r.PathValue("item"))
		n, err := inventory.Lookup(r.Context(), db, r.PathValue("item"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		fmt.Fprintf(w, "%s: %d in stock", r.PathValue("item"), n)
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	defer srv.Close()

	item := "widget"
	if len(os.Args) > 1 {
		item = os.Args[1]
	}
	resp, err := http.Get("http://" + ln.Addr().String() + "/stock/" + item)
	if err != nil {
		log.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Printf("%s %s\n", resp.Status, body)
}
