package sites

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/edit"
	"github.com/ecoatlas/ecoatlas/geo/gpkg"
	"github.com/paulmach/orb"
)

// recordTable is one of the store's tables seen as records keyed by
// uuid: the edit.Layer the history changes.
type recordTable struct {
	name string
	geom bool
	cols []string        // attribute columns, uuid and geometry excluded
	kind map[string]byte // 'n' number, 'd' date or time (read as text), 't' text
	// selects is the select list: [geom,] cols.
	selects string
}

func newRecordTable(name string, geom bool, fields []Field, extra []string) *recordTable {
	t := &recordTable{name: name, geom: geom, kind: map[string]byte{}}
	for _, f := range fields {
		t.cols = append(t.cols, f.Name)
		switch f.Kind {
		case Number:
			t.kind[f.Name] = 'n'
		case Date:
			t.kind[f.Name] = 'd'
		default:
			t.kind[f.Name] = 't'
		}
	}
	for _, c := range extra {
		t.cols = append(t.cols, c)
		switch c {
		case ColCreatedAt, ColModifiedAt:
			t.kind[c] = 'd'
		case "size":
			t.kind[c] = 'n'
		default:
			t.kind[c] = 't'
		}
	}
	var list []string
	if geom {
		list = append(list, "geom")
	}
	for _, c := range t.cols {
		if t.kind[c] == 'd' {
			list = append(list, "CAST("+quote(c)+" AS TEXT)")
		} else {
			list = append(list, quote(c))
		}
	}
	t.selects = strings.Join(list, ", ")
	return t
}

func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// rowScanner is a *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(dest ...any) error }

// scan reads a row of the select list into a record.
func (t *recordTable) scan(row rowScanner, extra ...any) (*edit.Record, error) {
	var geom []byte
	vals := make([]any, len(t.cols))
	dest := make([]any, 0, len(t.cols)+1+len(extra))
	if t.geom {
		dest = append(dest, &geom)
	}
	for i := range vals {
		dest = append(dest, &vals[i])
	}
	dest = append(dest, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	r := &edit.Record{Properties: make(map[string]any, len(t.cols))}
	if t.geom {
		g, err := gpkg.DecodeGeometry(geom)
		if err != nil {
			return nil, err
		}
		r.Geometry = g.Geometry
	}
	for i, c := range t.cols {
		switch v := vals[i].(type) {
		case int64:
			r.Properties[c] = float64(v)
		case []byte:
			r.Properties[c] = string(v)
		default:
			r.Properties[c] = v
		}
	}
	return r, nil
}

// Get returns a record, nil when there is none.
func (t *recordTable) Get(ctx context.Context, tx *gpkg.Tx, id string) (*edit.Record, error) {
	stmt, err := tx.Stmt(ctx, `SELECT `+t.selects+` FROM `+quote(t.name)+` WHERE uuid = ?`)
	if err != nil {
		return nil, err
	}
	r, err := t.scan(stmt.QueryRowContext(ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sites: %s %s: %w", t.name, id, err)
	}
	return r, nil
}

// read returns a record outside any transaction, nil when there is none.
func (t *recordTable) read(ctx context.Context, db *sql.DB, id string) (*edit.Record, error) {
	r, err := t.scan(db.QueryRowContext(ctx, `SELECT `+t.selects+` FROM `+quote(t.name)+` WHERE uuid = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sites: %s %s: %w", t.name, id, err)
	}
	return r, nil
}

// Put inserts, updates or deletes a record, and remembers the content
// hash of the state it replaces.
func (t *recordTable) Put(ctx context.Context, tx *gpkg.Tx, id string, before, after *edit.Record) error {
	var err error
	switch {
	case before == nil:
		err = t.insert(ctx, tx, id, after)
	case after == nil:
		var stmt *sql.Stmt
		if stmt, err = tx.Stmt(ctx, `DELETE FROM `+quote(t.name)+` WHERE uuid = ?`); err == nil {
			_, err = stmt.ExecContext(ctx, id)
		}
	default:
		err = t.update(ctx, tx, id, after)
	}
	if err != nil {
		return fmt.Errorf("sites: %s %s: %w", t.name, id, err)
	}
	if before != nil {
		if err := rememberVersion(ctx, tx, t.name, id, contentHash(before)); err != nil {
			return err
		}
	}
	if t.geom {
		tx.GeometryChanged(t.name, geometryOf(before), geometryOf(after))
	} else {
		tx.RowsChanged(t.name)
	}
	return nil
}

func geometryOf(r *edit.Record) orb.Geometry {
	if r == nil {
		return nil
	}
	return r.Geometry
}

func (t *recordTable) args(r *edit.Record) ([]any, error) {
	args := make([]any, 0, len(t.cols)+2)
	if t.geom {
		blob, err := gpkg.EncodeGeometry(r.Geometry, gpkg.WGS84.ID)
		if err != nil {
			return nil, err
		}
		args = append(args, blob)
	}
	for _, c := range t.cols {
		args = append(args, r.Properties[c])
	}
	return args, nil
}

func (t *recordTable) insert(ctx context.Context, tx *gpkg.Tx, id string, r *edit.Record) error {
	names := []string{"uuid"}
	if t.geom {
		names = append(names, "geom")
	}
	for _, c := range t.cols {
		names = append(names, quote(c))
	}
	marks := strings.Repeat("?, ", len(names))
	stmt, err := tx.Stmt(ctx, `INSERT INTO `+quote(t.name)+` (`+strings.Join(names, ", ")+`) VALUES (`+marks[:len(marks)-2]+`)`)
	if err != nil {
		return err
	}
	args, err := t.args(r)
	if err != nil {
		return err
	}
	_, err = stmt.ExecContext(ctx, append([]any{id}, args...)...)
	return err
}

func (t *recordTable) update(ctx context.Context, tx *gpkg.Tx, id string, r *edit.Record) error {
	var sets []string
	if t.geom {
		sets = append(sets, "geom = ?")
	}
	for _, c := range t.cols {
		sets = append(sets, quote(c)+" = ?")
	}
	stmt, err := tx.Stmt(ctx, `UPDATE `+quote(t.name)+` SET `+strings.Join(sets, ", ")+` WHERE uuid = ?`)
	if err != nil {
		return err
	}
	args, err := t.args(r)
	if err != nil {
		return err
	}
	_, err = stmt.ExecContext(ctx, append(args, id)...)
	return err
}

// PutNew inserts records that do not exist yet, all at once (it makes
// recordTable an edit.BulkLayer): for a table with geometry, through a
// bulk inserter that fills the spatial index after the rows.
func (t *recordTable) PutNew(ctx context.Context, tx *gpkg.Tx, ids []string, records []*edit.Record, progress func(done int)) error {
	tick := func(i int) error {
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
	if !t.geom {
		for i, id := range ids {
			if err := tick(i); err != nil {
				return err
			}
			if err := t.Put(ctx, tx, id, nil, records[i]); err != nil {
				return err
			}
		}
		return nil
	}
	// Only the columns some record has a value for are inserted: an
	// import fills a few of the fields, and every value bound costs.
	var cols []string
	for _, c := range t.cols {
		for _, r := range records {
			if r.Properties[c] != nil {
				cols = append(cols, c)
				break
			}
		}
	}
	ins, err := tx.NewBulkInserter(ctx, t.name, append([]string{"uuid"}, cols...))
	if err != nil {
		return err
	}
	args := make([]any, len(cols)+1)
	for i, id := range ids {
		if err := tick(i); err != nil {
			return err
		}
		args[0] = id
		for j, c := range cols {
			args[j+1] = records[i].Properties[c]
		}
		if err := ins.Add(ctx, records[i].Geometry, args...); err != nil {
			return fmt.Errorf("sites: %s %s: %w", t.name, id, err)
		}
	}
	return ins.Close(ctx)
}

// rememberVersion records a content hash a record has had.
func rememberVersion(ctx context.Context, tx *gpkg.Tx, table, id, hash string) error {
	stmt, err := tx.Stmt(ctx, `INSERT OR IGNORE INTO ecoatlas_versions (table_name, uuid, hash) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	_, err = stmt.ExecContext(ctx, table, id, hash)
	return err
}

// unhashed are the columns a content hash leaves out: who made a record
// and when does not make two records differ.
var unhashed = []string{ColCreatedAt, ColCreatedBy, ColModifiedAt, ColModifiedBy}

// contentHash returns the SHA-256 of a record's geometry and attributes,
// bookkeeping left out: equal hashes mean equal records.
func contentHash(r *edit.Record) string {
	h := sha256.New()
	if p, ok := r.Geometry.(orb.Point); ok {
		h.Write(strconv.AppendFloat(nil, p[0], 'g', -1, 64))
		h.Write([]byte{' '})
		h.Write(strconv.AppendFloat(nil, p[1], 'g', -1, 64))
	}
	keys := make([]string, 0, len(r.Properties))
	for k, v := range r.Properties {
		if v != nil && !slices.Contains(unhashed, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		b, _ := json.Marshal(r.Properties[k])
		h.Write([]byte{0})
		h.Write([]byte(k))
		h.Write([]byte{'='})
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}
