package inventory

import (
	"context"
	"database/sql"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

func TestLookup(t *testing.T) {
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := Seed(db); err != nil {
		t.Fatal(err)
	}
	n, err := Lookup(context.Background(), db, "gadget")
	if err != nil || n != 7 {
		t.Fatalf("Lookup(gadget) = %d, %v; want 7, nil", n, err)
	}
	if _, err := Lookup(context.Background(), db, "nothing"); err == nil {
		t.Fatal("Lookup(nothing) succeeded; want an error")
	}
}
