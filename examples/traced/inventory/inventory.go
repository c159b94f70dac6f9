// Package inventory holds the app's data access: a //dd:span function over database/sql.
package inventory

import (
	"context"
	"database/sql"
)

// Seed creates the table the app queries.
func Seed(db *sql.DB) error {
	if _, err := db.Exec(`CREATE TABLE stock (item TEXT PRIMARY KEY, quantity INTEGER)`); err != nil {
		return err
	}
	_, err := db.Exec(`INSERT INTO stock VALUES ('widget', 42), ('gadget', 7)`)
	return err
}

// Lookup returns how many of item are in stock. The directive makes it a span of its own when
// the app is built with orchestrion; the SQL query below is a child span of it.
//
//dd:span span.name:inventory.lookup component:inventory
func Lookup(ctx context.Context, db *sql.DB, item string) (int, error) {
	var n int
	err := db.QueryRowContext(ctx, "SELECT quantity FROM stock WHERE item = ?", item).Scan(&n)
	return n, err
}
