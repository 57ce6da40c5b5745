package edit_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ecoatlas/ecoatlas/geo/edit"
	"github.com/ecoatlas/ecoatlas/geo/gpkg"
)

// A history over one layer (pins, as in the tests: a table of points
// with a label): an edit, its undo and redo, each committed in one
// transaction with the step that records it, and the bound each touched.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "edit-example")
	defer os.RemoveAll(dir)
	db, err := gpkg.Create(ctx, filepath.Join(dir, "pins.gpkg"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	db.Update(ctx, func(tx *gpkg.Tx) error {
		_, err := tx.Exec(ctx, `CREATE TABLE pins (id TEXT PRIMARY KEY, x REAL, y REAL, label TEXT)`)
		return err
	})
	h, err := edit.NewHistory(ctx, db, map[string]edit.Layer{"pins": pins{}})
	if err != nil {
		fmt.Println(err)
		return
	}
	h.Do(ctx, "Add a pin", "Anna", []edit.Change{{Kind: edit.Add, Layer: "pins", ID: "a", After: pin(69.6, 41.05, "Almalyk")}}, nil)
	res, _ := h.Do(ctx, "Move the pin", "Anna", []edit.Change{{Kind: edit.Move, Layer: "pins", ID: "a", After: pin(69.7, 41.1, "Almalyk")}}, nil)
	fmt.Println(res.Step.Label, "touched", res.Bound.Min, res.Bound.Max, "revision", res.Revisions["pins"])
	undone, _ := h.Undo(ctx)
	fmt.Println("undid", undone.Step.Label, "back to", undone.Step.Changes[0].After.Geometry)
	undo, redo, _ := h.Next(ctx)
	fmt.Println("next undo:", undo.Label, "/ next redo:", redo.Label)
	// Output:
	// Move the pin touched [69.6 41.05] [69.7 41.1] revision 2
	// undid Move the pin back to [69.6 41.05]
	// next undo: Add a pin / next redo: Move the pin
}
