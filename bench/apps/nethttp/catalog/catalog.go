// Package catalog is the leaf package the benchmark edits between rebuilds.
package catalog

import "context"

var prices = map[string]int{"tea": 3, "coffee": 4}

// Price looks an item up; its span is a child of the server request's.
//
//dd:span span.name:catalog.price
func Price(ctx context.Context, item string) int {
	return lookup(item)
}

//dd:span
func lookup(item string) int {
	return prices[item]
}
