// Package edit is the editing model of the map: a [Change] to one record
// of a layer (add, update, move, delete), a [Step] grouping the changes of
// one user action, and a [History] that applies steps and undoes and
// redoes them.
//
// Nothing is kept in memory: a History writes each step, its changes and
// the layers' new revisions in the same SQLite transaction of a GeoPackage
// ([gpkg.DB.Update]) as the change itself, so the undo history survives a
// restart or a crash exactly as the data does, and a crash never leaves
// data and history out of step.
//
// A step stores, for each change, one state of the record: while the step
// is done, the state before it (what undo restores); while it is undone,
// the state after it (what redo restores). Undo and redo swap that state
// with the record's current one. Stored this way, adding a hundred
// thousand records costs a hundred thousand rows of IDs, not copies.
//
// Each change reports the bound it touched (the union of the record's
// geometry before and after), so that a map re-renders only those tiles,
// and each layer has a revision that every step touching it increases.
// What a record is, how it is validated and stored, is the [Layer]'s
// business; this package knows only IDs, geometries and properties.
package edit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ecoatlas/ecoatlas/geo/gpkg"
	"github.com/paulmach/orb"
)

// Kind is what a change does to its record.
type Kind int

// Kinds of change.
const (
	Add Kind = iota + 1
	Update
	Move // an update of the geometry alone
	Delete
)

// String returns the kind's lower-case name.
func (k Kind) String() string {
	switch k {
	case Add:
		return "add"
	case Update:
		return "update"
	case Move:
		return "move"
	case Delete:
		return "delete"
	default:
		return "unknown"
	}
}

func parseKind(s string) (Kind, error) {
	for k := Add; k <= Delete; k++ {
		if k.String() == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("edit: unknown change kind %q", s)
}

// Record is the state of one record: its geometry (nil for records
// without one) and its properties, JSON-compatible values (string,
// float64, bool, nil).
type Record struct {
	Geometry   orb.Geometry
	Properties map[string]any
}

// Change is a change of one record of a layer. Before is filled in by
// the History from the record's state when the change is applied.
type Change struct {
	Kind  Kind
	Layer string
	ID    string
	// Before and After are the record's states; nil when it does not
	// exist (before an add, after a delete).
	Before, After *Record
}

// Bound returns the lon/lat bound the change touched: the union of the
// record's geometries before and after; ok is false when neither has a
// geometry.
func (c Change) Bound() (b orb.Bound, ok bool) {
	for _, r := range []*Record{c.Before, c.After} {
		if r == nil || r.Geometry == nil {
			continue
		}
		if !ok {
			b, ok = r.Geometry.Bound(), true
		} else {
			b = b.Union(r.Geometry.Bound())
		}
	}
	return b, ok
}

// Step is one user action, undone and redone as a whole.
type Step struct {
	Seq     int64
	Label   string // what the user did, such as "Add site Almalyk"
	By      string // who did it
	At      time.Time
	Undone  bool
	Changes []Change
}

// Result is what applying, undoing or redoing a step did.
type Result struct {
	Step Step
	// Bound is the lon/lat bound the step touched; HasBound is false
	// when it touched no geometry.
	Bound    orb.Bound
	HasBound bool
	// Revisions are the new revisions of the layers the step touched.
	Revisions map[string]int64
}

// Layer is a table of records that a History can change. Both methods are
// called inside the History's transaction.
type Layer interface {
	// Get returns the current state of a record, nil if there is none.
	Get(ctx context.Context, tx *gpkg.Tx, id string) (*Record, error)
	// Put changes the record from its current state before (as Get
	// returned it) to after; a nil before inserts the record, a nil
	// after deletes it.
	Put(ctx context.Context, tx *gpkg.Tx, id string, before, after *Record) error
}

// Errors for errors.Is.
var (
	// ErrNothingToUndo is an undo with no step done, or one of a step
	// that a later edit has made impossible to redo.
	ErrNothingToUndo = errors.New("edit: nothing to undo")
	// ErrNothingToRedo is a redo with no step undone.
	ErrNothingToRedo = errors.New("edit: nothing to redo")
	// ErrConflict is a change that does not fit the record's state: an
	// add of a record that exists, an update or delete of one that does
	// not.
	ErrConflict = errors.New("edit: change does not fit the record")
	// ErrUnknownLayer is a change of a layer the History was not given.
	ErrUnknownLayer = errors.New("edit: unknown layer")
)
