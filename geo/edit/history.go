package edit

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ecoatlas/ecoatlas/geo/gpkg"
)

// historySchema creates the history's tables. They are registered as an
// extension in gpkg_extensions and not listed in gpkg_contents, so GIS
// software leaves them alone.
var historySchema = []string{
	`CREATE TABLE IF NOT EXISTS ecoatlas_edit_steps (
		seq INTEGER PRIMARY KEY AUTOINCREMENT,
		label TEXT NOT NULL,
		by TEXT NOT NULL,
		at DATETIME NOT NULL,
		undone INTEGER NOT NULL DEFAULT 0)`,
	`CREATE TABLE IF NOT EXISTS ecoatlas_edit_changes (
		step INTEGER NOT NULL REFERENCES ecoatlas_edit_steps(seq) ON DELETE CASCADE,
		pos INTEGER NOT NULL,
		kind TEXT NOT NULL,
		layer TEXT NOT NULL,
		id TEXT NOT NULL,
		exists_ INTEGER NOT NULL,
		geom BLOB,
		props TEXT,
		PRIMARY KEY (step, pos)) WITHOUT ROWID`,
	`CREATE TABLE IF NOT EXISTS ecoatlas_edit_revisions (
		layer TEXT PRIMARY KEY,
		revision INTEGER NOT NULL)`,
}

// extension is the name under which the history's tables are registered.
const extension = "ecoatlas_edit_history"

const extensionDefinition = "Ecoatlas undo/redo history: ecoatlas_edit_steps lists user actions; " +
	"ecoatlas_edit_changes holds, per changed record, the state undo (or, once undone, redo) restores."

// History applies, undoes and redoes steps on the layers of one
// GeoPackage, keeping the history in that GeoPackage.
type History struct {
	db     *gpkg.DB
	layers map[string]Layer
}

// NewHistory returns the history of a GeoPackage, creating its tables on
// first use. Changes may name only the given layers.
func NewHistory(ctx context.Context, db *gpkg.DB, layers map[string]Layer) (*History, error) {
	err := db.Update(ctx, func(tx *gpkg.Tx) error {
		for _, s := range historySchema {
			if _, err := tx.Exec(ctx, s); err != nil {
				return err
			}
		}
		for _, t := range []string{"ecoatlas_edit_steps", "ecoatlas_edit_changes", "ecoatlas_edit_revisions"} {
			if err := tx.AddExtension(ctx, t, extension, extensionDefinition, "read-write"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("edit: creating the history: %w", err)
	}
	return &History{db: db, layers: layers}, nil
}

// Do applies the changes as one step in one transaction, with also (when
// not nil) run in the same transaction after them, and drops the steps
// that were undone: they can no longer be redone.
func (h *History) Do(ctx context.Context, label, by string, changes []Change, also func(ctx context.Context, tx *gpkg.Tx) error) (Result, error) {
	var res Result
	err := h.db.Update(ctx, func(tx *gpkg.Tx) error {
		var err error
		res, err = h.DoTx(ctx, tx, label, by, changes, nil)
		if err != nil || also == nil {
			return err
		}
		return also(ctx, tx)
	})
	return res, err
}

// DoTx is Do inside a transaction the caller runs, for callers that write
// more than the changes in the same transaction (an import, a merge).
// Progress, when not nil, is called with the number of changes applied
// every thousand changes. A done ctx stops it with ctx's error.
func (h *History) DoTx(ctx context.Context, tx *gpkg.Tx, label, by string, changes []Change, progress func(done int)) (Result, error) {
	res, err := h.begin(ctx, tx, label, by)
	if err != nil {
		return Result{}, err
	}
	ins, err := tx.Stmt(ctx, insertChange)
	if err != nil {
		return Result{}, err
	}
	for i, c := range changes {
		if err := tick(ctx, i, progress); err != nil {
			return Result{}, err
		}
		l, ok := h.layers[c.Layer]
		if !ok {
			return Result{}, fmt.Errorf("%w: %q", ErrUnknownLayer, c.Layer)
		}
		before, err := l.Get(ctx, tx, c.ID)
		if err != nil {
			return Result{}, err
		}
		if c.Kind == Delete {
			c.After = nil
		}
		if err := fits(c, before); err != nil {
			return Result{}, err
		}
		c.Before = before
		if err := l.Put(ctx, tx, c.ID, before, c.After); err != nil {
			return Result{}, err
		}
		exists, geom, props, err := encodeState(before)
		if err != nil {
			return Result{}, err
		}
		if _, err := ins.ExecContext(ctx, res.Step.Seq, i, c.Kind.String(), c.Layer, c.ID, exists, geom, props); err != nil {
			return Result{}, err
		}
		res.Step.Changes = append(res.Step.Changes, c)
	}
	return res, h.finish(ctx, tx, &res)
}

const insertChange = `INSERT INTO ecoatlas_edit_changes (step, pos, kind, layer, id, exists_, geom, props) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`

// begin drops the steps that were undone and starts a new one.
func (h *History) begin(ctx context.Context, tx *gpkg.Tx, label, by string) (Result, error) {
	if _, err := tx.Exec(ctx, `DELETE FROM ecoatlas_edit_steps WHERE undone = 1`); err != nil {
		return Result{}, err
	}
	at := time.Now().UTC().Truncate(time.Millisecond)
	r, err := tx.Exec(ctx, `INSERT INTO ecoatlas_edit_steps (label, by, at) VALUES (?, ?, ?)`, label, by, at.Format(timeLayout))
	if err != nil {
		return Result{}, err
	}
	seq, err := r.LastInsertId()
	if err != nil {
		return Result{}, err
	}
	return Result{Step: Step{Seq: seq, Label: label, By: by, At: at}}, nil
}

// tick checks ctx and reports progress every thousand changes.
func tick(ctx context.Context, i int, progress func(done int)) error {
	if i%1000 != 999 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if progress != nil {
		progress(i + 1)
	}
	return nil
}

// BulkLayer is a Layer that can insert many new records faster than one
// Put each.
type BulkLayer interface {
	Layer
	// PutNew inserts records that do not exist yet.
	PutNew(ctx context.Context, tx *gpkg.Tx, ids []string, records []*Record, progress func(done int)) error
}

// AddNew adds records the caller knows are new (it checked, in the same
// transaction or under a UNIQUE constraint that fails the insert
// otherwise) as one step inside the caller's transaction: what an import
// does. It skips reading each record's state first, and lets a BulkLayer
// insert them all at once. Progress and ctx work as for DoTx.
func (h *History) AddNew(ctx context.Context, tx *gpkg.Tx, label, by, layerName string, ids []string, records []*Record, progress func(done int)) (Result, error) {
	l, ok := h.layers[layerName]
	if !ok {
		return Result{}, fmt.Errorf("%w: %q", ErrUnknownLayer, layerName)
	}
	res, err := h.begin(ctx, tx, label, by)
	if err != nil {
		return Result{}, err
	}
	if bl, ok := l.(BulkLayer); ok {
		if err := bl.PutNew(ctx, tx, ids, records, progress); err != nil {
			return Result{}, err
		}
	} else {
		for i, id := range ids {
			if err := tick(ctx, i, progress); err != nil {
				return Result{}, err
			}
			if err := l.Put(ctx, tx, id, nil, records[i]); err != nil {
				return Result{}, err
			}
		}
	}
	// The change rows go in by groups, many rows per statement.
	const group = 100
	one := `(?, ?, 'add', ?, ?, 0, NULL, NULL)`
	many, err := tx.Stmt(ctx, `INSERT INTO ecoatlas_edit_changes (step, pos, kind, layer, id, exists_, geom, props) VALUES `+
		strings.TrimSuffix(strings.Repeat(one+", ", group), ", "))
	if err != nil {
		return Result{}, err
	}
	single, err := tx.Stmt(ctx, `INSERT INTO ecoatlas_edit_changes (step, pos, kind, layer, id, exists_, geom, props) VALUES `+one)
	if err != nil {
		return Result{}, err
	}
	args := make([]any, 0, 4*group)
	for i := 0; i < len(ids); i += group {
		if len(ids)-i < group {
			for j := i; j < len(ids); j++ {
				if _, err := single.ExecContext(ctx, res.Step.Seq, j, layerName, ids[j]); err != nil {
					return Result{}, err
				}
			}
			break
		}
		args = args[:0]
		for j := i; j < i+group; j++ {
			args = append(args, res.Step.Seq, j, layerName, ids[j])
		}
		if _, err := many.ExecContext(ctx, args...); err != nil {
			return Result{}, err
		}
	}
	res.Step.Changes = make([]Change, len(ids))
	for i, id := range ids {
		res.Step.Changes[i] = Change{Kind: Add, Layer: layerName, ID: id, After: records[i]}
	}
	return res, h.finish(ctx, tx, &res)
}

// fits checks a change against the record's current state.
func fits(c Change, before *Record) error {
	switch {
	case c.Kind == Add && before != nil:
		return fmt.Errorf("%w: %s %s exists already", ErrConflict, c.Layer, c.ID)
	case c.Kind != Add && before == nil:
		return fmt.Errorf("%w: %s %s does not exist", ErrConflict, c.Layer, c.ID)
	case c.Kind != Delete && c.After == nil:
		return fmt.Errorf("%w: a %s of %s %s without the new state", ErrConflict, c.Kind, c.Layer, c.ID)
	}
	return nil
}

// finish bumps the revisions of the layers the step touched and computes
// its bound.
func (h *History) finish(ctx context.Context, tx *gpkg.Tx, res *Result) error {
	res.Revisions = map[string]int64{}
	for _, c := range res.Step.Changes {
		if b, ok := c.Bound(); ok {
			if !res.HasBound {
				res.Bound, res.HasBound = b, true
			} else {
				res.Bound = res.Bound.Union(b)
			}
		}
		if _, done := res.Revisions[c.Layer]; done {
			continue
		}
		var rev int64
		err := tx.QueryRow(ctx, `INSERT INTO ecoatlas_edit_revisions (layer, revision) VALUES (?, 1)
			ON CONFLICT (layer) DO UPDATE SET revision = revision + 1 RETURNING revision`, c.Layer).Scan(&rev)
		if err != nil {
			return err
		}
		res.Revisions[c.Layer] = rev
	}
	return nil
}

// Undo undoes the latest step that is done.
func (h *History) Undo(ctx context.Context) (Result, error) {
	return h.swap(ctx, true)
}

// Redo redoes the earliest step that is undone.
func (h *History) Redo(ctx context.Context) (Result, error) {
	return h.swap(ctx, false)
}

// swap undoes or redoes a step: each change's stored state and its
// record's current state trade places.
func (h *History) swap(ctx context.Context, undo bool) (Result, error) {
	var res Result
	err := h.db.Update(ctx, func(tx *gpkg.Tx) error {
		step, ok, err := h.next(ctx, tx, undo)
		if err != nil {
			return err
		}
		if !ok {
			if undo {
				return ErrNothingToUndo
			}
			return ErrNothingToRedo
		}
		changes, err := h.changes(ctx, tx, step.Seq)
		if err != nil {
			return err
		}
		upd, err := tx.Stmt(ctx, `UPDATE ecoatlas_edit_changes SET exists_ = ?, geom = ?, props = ? WHERE step = ? AND pos = ?`)
		if err != nil {
			return err
		}
		order := make([]int, len(changes))
		for i := range order {
			order[i] = i
			if undo {
				order[i] = len(changes) - 1 - i
			}
		}
		res.Step = step
		for _, i := range order {
			c := changes[i]
			l, ok := h.layers[c.Layer]
			if !ok {
				return fmt.Errorf("%w: %q", ErrUnknownLayer, c.Layer)
			}
			current, err := l.Get(ctx, tx, c.ID)
			if err != nil {
				return err
			}
			if err := l.Put(ctx, tx, c.ID, current, c.stored); err != nil {
				return err
			}
			exists, geom, props, err := encodeState(current)
			if err != nil {
				return err
			}
			if _, err := upd.ExecContext(ctx, exists, geom, props, step.Seq, i); err != nil {
				return err
			}
			res.Step.Changes = append(res.Step.Changes, Change{Kind: c.kind, Layer: c.Layer, ID: c.ID, Before: current, After: c.stored})
		}
		res.Step.Undone = undo
		if _, err := tx.Exec(ctx, `UPDATE ecoatlas_edit_steps SET undone = ? WHERE seq = ?`, undo, step.Seq); err != nil {
			return err
		}
		return h.finish(ctx, tx, &res)
	})
	return res, err
}

// querier is what both a transaction and the database can run queries
// with.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

type txQuerier struct{ tx *gpkg.Tx }

func (q txQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return q.tx.QueryRow(ctx, query, args...)
}

// next returns the step an undo (the latest done) or a redo (the
// earliest undone) would take.
func (h *History) next(ctx context.Context, tx *gpkg.Tx, undo bool) (Step, bool, error) {
	var q querier = h.db.SQL()
	if tx != nil {
		q = txQuerier{tx}
	}
	query := `SELECT seq, label, by, CAST(at AS TEXT), undone FROM ecoatlas_edit_steps WHERE undone = 0 ORDER BY seq DESC LIMIT 1`
	if !undo {
		query = `SELECT seq, label, by, CAST(at AS TEXT), undone FROM ecoatlas_edit_steps WHERE undone = 1 ORDER BY seq LIMIT 1`
	}
	var (
		s  Step
		at string
	)
	err := q.QueryRowContext(ctx, query).Scan(&s.Seq, &s.Label, &s.By, &at, &s.Undone)
	if errors.Is(err, sql.ErrNoRows) {
		return s, false, nil
	}
	if err != nil {
		return s, false, err
	}
	s.At, _ = time.Parse(timeLayout, at)
	return s, true, nil
}

// Next returns the steps an undo and a redo would take, for a menu to
// name them ("Undo Add site Almalyk"); each is nil when there is none.
func (h *History) Next(ctx context.Context) (undo, redo *Step, err error) {
	if s, ok, err := h.next(ctx, nil, true); err != nil {
		return nil, nil, err
	} else if ok {
		undo = &s
	}
	if s, ok, err := h.next(ctx, nil, false); err != nil {
		return nil, nil, err
	} else if ok {
		redo = &s
	}
	return undo, redo, nil
}

// Revision returns a layer's revision: how many steps have touched it,
// counting undos and redos; 0 for a layer never edited.
func (h *History) Revision(ctx context.Context, layer string) (int64, error) {
	var rev int64
	err := h.db.SQL().QueryRowContext(ctx, `SELECT revision FROM ecoatlas_edit_revisions WHERE layer = ?`, layer).Scan(&rev)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return rev, err
}

// storedChange is a change row: the record and its stored state.
type storedChange struct {
	kind   Kind
	Layer  string
	ID     string
	stored *Record
}

func (h *History) changes(ctx context.Context, tx *gpkg.Tx, seq int64) ([]storedChange, error) {
	rows, err := tx.Query(ctx, `SELECT kind, layer, id, exists_, geom, props FROM ecoatlas_edit_changes WHERE step = ? ORDER BY pos`, seq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []storedChange
	for rows.Next() {
		var (
			c      storedChange
			kind   string
			exists bool
			geom   []byte
			props  sql.NullString
		)
		if err := rows.Scan(&kind, &c.Layer, &c.ID, &exists, &geom, &props); err != nil {
			return nil, err
		}
		if c.kind, err = parseKind(kind); err != nil {
			return nil, err
		}
		if exists {
			if c.stored, err = decodeState(geom, props.String); err != nil {
				return nil, fmt.Errorf("edit: step %d, %s %s: %w", seq, c.Layer, c.ID, err)
			}
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// timeLayout is how times are stored: ISO 8601 in UTC, milliseconds.
const timeLayout = "2006-01-02T15:04:05.000Z"

func encodeState(r *Record) (exists bool, geom []byte, props any, err error) {
	if r == nil {
		return false, nil, nil, nil
	}
	geom, err = gpkg.EncodeGeometry(r.Geometry, 0)
	if err != nil {
		return false, nil, nil, err
	}
	b, err := json.Marshal(r.Properties)
	if err != nil {
		return false, nil, nil, fmt.Errorf("edit: %w", err)
	}
	return true, geom, string(b), nil
}

func decodeState(geom []byte, props string) (*Record, error) {
	r := &Record{}
	g, err := gpkg.DecodeGeometry(geom)
	if err != nil {
		return nil, err
	}
	r.Geometry = g.Geometry
	if err := json.Unmarshal([]byte(props), &r.Properties); err != nil {
		return nil, fmt.Errorf("edit: stored properties: %w", err)
	}
	return r, nil
}
