package edit_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/edit"
	"github.com/ecoatlas/ecoatlas/geo/gpkg"
	"github.com/paulmach/orb"
)

// pins is a layer of points with a label, kept in a plain table.
type pins struct{}

func (pins) Get(ctx context.Context, tx *gpkg.Tx, id string) (*edit.Record, error) {
	var x, y float64
	var label string
	err := tx.QueryRow(ctx, `SELECT x, y, label FROM pins WHERE id = ?`, id).Scan(&x, &y, &label)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &edit.Record{Geometry: orb.Point{x, y}, Properties: map[string]any{"label": label}}, nil
}

func (pins) Put(ctx context.Context, tx *gpkg.Tx, id string, _, r *edit.Record) error {
	if r == nil {
		_, err := tx.Exec(ctx, `DELETE FROM pins WHERE id = ?`, id)
		return err
	}
	p := r.Geometry.(orb.Point)
	_, err := tx.Exec(ctx, `INSERT OR REPLACE INTO pins (id, x, y, label) VALUES (?, ?, ?, ?)`, id, p[0], p[1], r.Properties["label"])
	return err
}

func openHistory(t *testing.T, path string) (*gpkg.DB, *edit.History) {
	t.Helper()
	ctx := context.Background()
	db, err := gpkg.Open(ctx, path)
	if err != nil {
		db, err = gpkg.Create(ctx, path)
	}
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, func(tx *gpkg.Tx) error {
		_, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS pins (id TEXT PRIMARY KEY, x REAL, y REAL, label TEXT)`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := edit.NewHistory(ctx, db, map[string]edit.Layer{"pins": pins{}})
	if err != nil {
		t.Fatal(err)
	}
	return db, h
}

// state reads the whole pins table.
func state(t *testing.T, db *gpkg.DB) map[string]string {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT id, x, y, label FROM pins`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, label string
		var x, y float64
		rows.Scan(&id, &x, &y, &label)
		out[id] = fmt.Sprintf("%v %v %s", x, y, label)
	}
	return out
}

func pin(x, y float64, label string) *edit.Record {
	return &edit.Record{Geometry: orb.Point{x, y}, Properties: map[string]any{"label": label}}
}

func TestHistory_undoRedo(t *testing.T) {
	ctx := context.Background()
	db, h := openHistory(t, filepath.Join(t.TempDir(), "h.gpkg"))
	defer db.Close()
	res, err := h.Do(ctx, "Add a", "tester", []edit.Change{{Kind: edit.Add, Layer: "pins", ID: "a", After: pin(1, 2, "A")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.HasBound || res.Bound != (orb.Bound{Min: orb.Point{1, 2}, Max: orb.Point{1, 2}}) || res.Revisions["pins"] != 1 {
		t.Errorf("add: bound %v %v, revisions %v", res.Bound, res.HasBound, res.Revisions)
	}
	res, err = h.Do(ctx, "Move a", "tester", []edit.Change{{Kind: edit.Move, Layer: "pins", ID: "a", After: pin(5, 6, "A")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := (orb.Bound{Min: orb.Point{1, 2}, Max: orb.Point{5, 6}}); res.Bound != want {
		t.Errorf("move touched %v, want old and new position %v", res.Bound, want)
	}
	if res.Step.Changes[0].Before == nil || res.Step.Changes[0].Before.Geometry != (orb.Point{1, 2}) {
		t.Errorf("move's Before = %v", res.Step.Changes[0].Before)
	}
	undo, redo, _ := h.Next(ctx)
	if undo == nil || undo.Label != "Move a" || redo != nil {
		t.Errorf("Next = %v, %v", undo, redo)
	}
	if _, err := h.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if got := state(t, db)["a"]; got != "1 2 A" {
		t.Errorf("after undo a is %q", got)
	}
	if _, err := h.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if len(state(t, db)) != 0 {
		t.Errorf("after undoing the add: %v", state(t, db))
	}
	if _, err := h.Undo(ctx); !errors.Is(err, edit.ErrNothingToUndo) {
		t.Errorf("third undo: %v", err)
	}
	if _, err := h.Redo(ctx); err != nil {
		t.Fatal(err)
	}
	if got := state(t, db)["a"]; got != "1 2 A" {
		t.Errorf("after redo a is %q", got)
	}
	// A new edit drops the step still undone.
	if _, err := h.Do(ctx, "Rename a", "tester", []edit.Change{{Kind: edit.Update, Layer: "pins", ID: "a", After: pin(1, 2, "Alpha")}}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Redo(ctx); !errors.Is(err, edit.ErrNothingToRedo) {
		t.Errorf("redo after a new edit: %v", err)
	}
	if rev, _ := h.Revision(ctx, "pins"); rev != 6 {
		t.Errorf("revision %d, want 6 (2 edits, 2 undos, 1 redo, 1 edit)", rev)
	}
}

func TestHistory_conflicts(t *testing.T) {
	ctx := context.Background()
	db, h := openHistory(t, filepath.Join(t.TempDir(), "h.gpkg"))
	defer db.Close()
	if _, err := h.Do(ctx, "Delete x", "t", []edit.Change{{Kind: edit.Delete, Layer: "pins", ID: "x"}}, nil); !errors.Is(err, edit.ErrConflict) {
		t.Errorf("deleting a missing record: %v", err)
	}
	h.Do(ctx, "Add a", "t", []edit.Change{{Kind: edit.Add, Layer: "pins", ID: "a", After: pin(1, 1, "A")}}, nil)
	_, err := h.Do(ctx, "Add two", "t", []edit.Change{
		{Kind: edit.Add, Layer: "pins", ID: "b", After: pin(2, 2, "B")},
		{Kind: edit.Add, Layer: "pins", ID: "a", After: pin(3, 3, "A again")},
	}, nil)
	if !errors.Is(err, edit.ErrConflict) {
		t.Errorf("adding an existing record: %v", err)
	}
	if got := state(t, db); len(got) != 1 {
		t.Errorf("a failed step left %v", got)
	}
	if _, err := h.Do(ctx, "x", "t", []edit.Change{{Kind: edit.Add, Layer: "other", ID: "a", After: pin(1, 1, "")}}, nil); !errors.Is(err, edit.ErrUnknownLayer) {
		t.Errorf("unknown layer: %v", err)
	}
}

func TestHistory_survivesReopening(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "h.gpkg")
	db, h := openHistory(t, path)
	h.Do(ctx, "Add a", "t", []edit.Change{{Kind: edit.Add, Layer: "pins", ID: "a", After: pin(1, 1, "A")}}, nil)
	h.Do(ctx, "Move a", "t", []edit.Change{{Kind: edit.Move, Layer: "pins", ID: "a", After: pin(2, 2, "A")}}, nil)
	h.Undo(ctx)
	db.Close()

	db, h = openHistory(t, path)
	defer db.Close()
	undo, redo, err := h.Next(ctx)
	if err != nil || undo == nil || undo.Label != "Add a" || redo == nil || redo.Label != "Move a" {
		t.Fatalf("after reopening: undo %v, redo %v, %v", undo, redo, err)
	}
	if _, err := h.Redo(ctx); err != nil {
		t.Fatal(err)
	}
	if got := state(t, db)["a"]; got != "2 2 A" {
		t.Errorf("redo after reopening: a is %q", got)
	}
}

// TestHistory_randomWalk does random steps, undos and redos and checks
// the table against a model that keeps every state in memory.
func TestHistory_randomWalk(t *testing.T) {
	ctx := context.Background()
	db, h := openHistory(t, filepath.Join(t.TempDir(), "h.gpkg"))
	defer db.Close()
	r := rand.New(rand.NewPCG(1, 2))
	var (
		states = []map[string]string{{}} // states[i]: after i steps done
		done   = 0
	)
	ids := []string{"a", "b", "c", "d"}
	for i := range 300 {
		cur := states[done]
		switch op := r.IntN(10); {
		case op < 2 && done > 0:
			if _, err := h.Undo(ctx); err != nil {
				t.Fatalf("op %d undo: %v", i, err)
			}
			done--
		case op < 4 && done < len(states)-1:
			if _, err := h.Redo(ctx); err != nil {
				t.Fatalf("op %d redo: %v", i, err)
			}
			done++
		default:
			next := maps.Clone(cur)
			var changes []edit.Change
			for _, id := range ids {
				if r.IntN(3) != 0 {
					continue
				}
				x, y := float64(r.IntN(100)), float64(r.IntN(100))
				label := fmt.Sprint(r.IntN(1000))
				_, exists := cur[id]
				switch {
				case !exists:
					changes = append(changes, edit.Change{Kind: edit.Add, Layer: "pins", ID: id, After: pin(x, y, label)})
					next[id] = fmt.Sprintf("%v %v %s", x, y, label)
				case r.IntN(2) == 0:
					changes = append(changes, edit.Change{Kind: edit.Delete, Layer: "pins", ID: id})
					delete(next, id)
				default:
					changes = append(changes, edit.Change{Kind: edit.Update, Layer: "pins", ID: id, After: pin(x, y, label)})
					next[id] = fmt.Sprintf("%v %v %s", x, y, label)
				}
			}
			if _, err := h.Do(ctx, fmt.Sprint("step ", i), "t", changes, nil); err != nil {
				t.Fatalf("op %d do: %v", i, err)
			}
			states = append(states[:done+1], next)
			done++
		}
		if got, want := state(t, db), states[done]; !maps.Equal(got, want) {
			t.Fatalf("after op %d: table %v, model %v", i, got, want)
		}
	}
}

func TestRecord_propertiesRoundTrip(t *testing.T) {
	ctx := context.Background()
	db, h := openHistory(t, filepath.Join(t.TempDir(), "h.gpkg"))
	defer db.Close()
	h.Do(ctx, "Add a", "t", []edit.Change{{Kind: edit.Add, Layer: "pins", ID: "a", After: pin(1, 1, `Майлуу-Суу "x"`)}}, nil)
	h.Do(ctx, "Delete a", "t", []edit.Change{{Kind: edit.Delete, Layer: "pins", ID: "a"}}, nil)
	res, err := h.Undo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(res.Step.Changes[0].After.Properties)
	if string(got) != `{"label":"Майлуу-Суу \"x\""}` {
		t.Errorf("restored properties %s", got)
	}
}
