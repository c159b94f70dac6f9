// A small program for `make demo`: functions marked //demo:timed get entry/exit logging and timing
// from the aspect in orchestrion.yml, without any change to this source.
package main

import (
	"fmt"
	"os"
	"strings"
	"time"
)

//demo:timed
func fib(n int) int {
	if n < 2 {
		return n
	}
	a, b := 0, 1
	for i := 1; i < n; i++ {
		a, b = b, a+b
	}
	return b
}

//demo:timed
func greet(name string) string {
	time.Sleep(2 * time.Millisecond)
	return "hello, " + strings.ToUpper(name[:1]) + name[1:]
}

// untouched: no directive
func main() {
	fmt.Println(greet("gopher"))
	fmt.Println("fib(40) =", fib(40))
	if len(os.Args) > 1 && os.Args[1] == "panic" {
		explode()
	}
}

//demo:timed
func explode() {
	var m map[string]int
	m["boom"]++ // a panic here must be reported at this line (42)
}
