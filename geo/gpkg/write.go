package gpkg

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// Inserter adds features to a feature table within a transaction; the
// spatial index's trigger indexes each as it is inserted.
type Inserter struct {
	tx    *Tx
	table string
	srsID int32
	stmt  *sql.Stmt
}

type indexEntry struct {
	fid int64
	b   orb.Bound
}

// geometryColumn returns a feature table's geometry column and srs_id.
func (tx *Tx) geometryColumn(ctx context.Context, table string) (string, int32, error) {
	var col string
	var srsID int32
	err := tx.QueryRow(ctx, `SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?`, table).Scan(&col, &srsID)
	if err != nil {
		return "", 0, fmt.Errorf("gpkg: table %s: %w", table, ErrNoTable)
	}
	return col, srsID, nil
}

// insertStatement returns an INSERT of rows rows of a geometry and columns.
func insertStatement(table, geomCol string, columns []string, rows int) string {
	names := []string{quote(geomCol)}
	for _, c := range columns {
		names = append(names, quote(c))
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", ") + ")"
	return `INSERT INTO ` + quote(table) + ` (` + strings.Join(names, ", ") + `) VALUES ` + strings.TrimSuffix(strings.Repeat(row+", ", rows), ", ")
}

// NewInserter prepares inserts of a geometry and values for the named
// columns into a feature table.
func (tx *Tx) NewInserter(ctx context.Context, table string, columns []string) (*Inserter, error) {
	geomCol, srsID, err := tx.geometryColumn(ctx, table)
	if err != nil {
		return nil, err
	}
	stmt, err := tx.Stmt(ctx, insertStatement(table, geomCol, columns, 1))
	if err != nil {
		return nil, fmt.Errorf("gpkg: table %s: %w", table, err)
	}
	return &Inserter{tx: tx, table: table, srsID: srsID, stmt: stmt}, nil
}

// Insert adds one feature and returns its primary key.
func (ins *Inserter) Insert(ctx context.Context, g orb.Geometry, values ...any) (int64, error) {
	blob, err := EncodeGeometry(g, ins.srsID)
	if err != nil {
		return 0, err
	}
	res, err := ins.stmt.ExecContext(ctx, append([]any{blob}, values...)...)
	if err != nil {
		return 0, fmt.Errorf("gpkg: inserting into %s: %w", ins.table, err)
	}
	ins.tx.GeometryChanged(ins.table, nil, g)
	return res.LastInsertId()
}

// BulkInserter adds many features to a feature table within a
// transaction, as fast as SQLite takes them: rows go in by groups of
// bulkRows per statement, and the spatial index is filled once at the
// end (see Close) rather than by its trigger row by row.
type BulkInserter struct {
	tx      *Tx
	table   string
	geomCol string
	srsID   int32
	columns []string
	rows    int                 // rows per statement
	query   string              // the INSERT of rows rows
	args    []driver.NamedValue // of the rows waiting
	bounds  []orb.Bound
	indexed bool // the table has a spatial index, its trigger off
	entries []indexEntry
}

// bulkRows is how many rows one statement of a BulkInserter inserts, as
// long as they need fewer than maxParams values (SQLite takes 32766).
const (
	bulkRows  = 64
	maxParams = 32000
)

// NewBulkInserter prepares inserts of many features. It takes the spatial
// index's insert trigger off for the rest of the transaction; Close puts
// it back, and if the transaction rolls back, the trigger comes back
// with it. Call Close before the transaction ends.
func (tx *Tx) NewBulkInserter(ctx context.Context, table string, columns []string) (*BulkInserter, error) {
	geomCol, srsID, err := tx.geometryColumn(ctx, table)
	if err != nil {
		return nil, err
	}
	rows := max(1, min(bulkRows, maxParams/(len(columns)+1)))
	ins := &BulkInserter{tx: tx, table: table, geomCol: geomCol, srsID: srsID, columns: columns, rows: rows,
		query: insertStatement(table, geomCol, columns, rows)}
	trigger := "rtree_" + table + "_" + geomCol + "_insert"
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?`, trigger).Scan(&n); err != nil {
		return nil, err
	}
	if n > 0 {
		if _, err := tx.Exec(ctx, `DROP TRIGGER `+quote(trigger)); err != nil {
			return nil, fmt.Errorf("gpkg: table %s: %w", table, err)
		}
		ins.indexed = true
	}
	return ins, nil
}

// Add adds one feature, with as many values as columns were named.
func (ins *BulkInserter) Add(ctx context.Context, g orb.Geometry, values ...any) error {
	if len(values) != len(ins.columns) {
		return fmt.Errorf("gpkg: inserting into %s: %d values for %d columns", ins.table, len(values), len(ins.columns))
	}
	blob, err := EncodeGeometry(g, ins.srsID)
	if err != nil {
		return err
	}
	ins.args = append(ins.args, driver.NamedValue{Ordinal: len(ins.args) + 1, Value: blob})
	for _, v := range values {
		dv, err := driver.DefaultParameterConverter.ConvertValue(v)
		if err != nil {
			return fmt.Errorf("gpkg: inserting into %s: %w", ins.table, err)
		}
		ins.args = append(ins.args, driver.NamedValue{Ordinal: len(ins.args) + 1, Value: dv})
	}
	b := orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{-1, -1}} // empty: not indexed
	if g != nil && !isEmpty(g) {
		b = g.Bound()
	}
	ins.bounds = append(ins.bounds, b)
	ins.tx.GeometryChanged(ins.table, nil, g)
	if len(ins.bounds) == ins.rows {
		return ins.flush(ctx, ins.query)
	}
	return nil
}

// flush inserts the rows waiting with a statement of as many rows. The
// rows of one INSERT get consecutive keys, the last of them the one
// SQLite reports.
func (ins *BulkInserter) flush(ctx context.Context, query string) error {
	res, err := ins.tx.execRaw(ctx, query, ins.args)
	if err != nil {
		return fmt.Errorf("gpkg: inserting into %s: %w", ins.table, err)
	}
	last, err := res.LastInsertId()
	if err != nil {
		return err
	}
	first := last - int64(len(ins.bounds)) + 1
	for i, b := range ins.bounds {
		if ins.indexed && b.Min[0] <= b.Max[0] {
			ins.entries = append(ins.entries, indexEntry{first + int64(i), b})
		}
	}
	ins.args, ins.bounds = ins.args[:0], ins.bounds[:0]
	return nil
}

// Close inserts the rows still waiting, indexes the features and puts the
// index's trigger back. When the new features are at least as many as
// those indexed before, the whole index is built again, packed (see
// rtree.go); otherwise they are inserted into it in spatial order.
func (ins *BulkInserter) Close(ctx context.Context) error {
	if len(ins.bounds) > 0 {
		if err := ins.flush(ctx, insertStatement(ins.table, ins.geomCol, ins.columns, len(ins.bounds))); err != nil {
			return err
		}
	}
	if !ins.indexed {
		return nil
	}
	ins.indexed = false
	rtree := "rtree_" + ins.table + "_" + ins.geomCol
	var indexed int
	if err := ins.tx.QueryRow(ctx, `SELECT count(*) FROM `+quote(rtree+"_rowid")).Scan(&indexed); err != nil {
		return fmt.Errorf("gpkg: indexing %s: %w", ins.table, err)
	}
	var err error
	if len(ins.entries) >= indexed {
		err = ins.rebuildIndex(ctx, rtree, ins.entries)
	} else {
		err = ins.insertIntoIndex(ctx, rtree, ins.entries)
	}
	if err != nil {
		return fmt.Errorf("gpkg: indexing %s: %w", ins.table, err)
	}
	if _, err := ins.tx.Exec(ctx, rtreeTrigger(ins.table, ins.geomCol, "insert")); err != nil {
		return fmt.Errorf("gpkg: indexing %s: %w", ins.table, err)
	}
	return nil
}

// rebuildIndex builds the index again from what it holds and the new
// entries.
func (ins *BulkInserter) rebuildIndex(ctx context.Context, rtree string, entries []indexEntry) error {
	rows, err := ins.tx.Query(ctx, `SELECT id, minx, maxx, miny, maxy FROM `+quote(rtree))
	if err != nil {
		return err
	}
	for rows.Next() {
		var e indexEntry
		if err := rows.Scan(&e.fid, &e.b.Min[0], &e.b.Max[0], &e.b.Min[1], &e.b.Max[1]); err != nil {
			rows.Close()
			return err
		}
		entries = append(entries, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return ins.tx.rebuildRTree(ctx, rtree, entries)
}

// insertIntoIndex inserts entries into the index in spatial order.
func (ins *BulkInserter) insertIntoIndex(ctx context.Context, rtree string, entries []indexEntry) error {
	stmt, err := ins.tx.Stmt(ctx, `INSERT OR REPLACE INTO `+quote(rtree)+` VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	sortSpatially(entries)
	for _, e := range entries {
		if _, err := stmt.ExecContext(ctx, e.fid, e.b.Min[0], e.b.Max[0], e.b.Min[1], e.b.Max[1]); err != nil {
			return err
		}
	}
	return nil
}

// sortSpatially orders index entries along a Hilbert curve through their
// centres, so that consecutive inserts land in the same nodes of the
// R*Tree.
func sortSpatially(entries []indexEntry) {
	if len(entries) < 2 {
		return
	}
	ext := entries[0].b
	for _, e := range entries[1:] {
		ext = ext.Union(e.b)
	}
	keys := make([]uint64, len(entries))
	w, h := ext.Max[0]-ext.Min[0], ext.Max[1]-ext.Min[1]
	for i, e := range entries {
		c := e.b.Center()
		x, y := uint32(0), uint32(0)
		if w > 0 {
			x = uint32((c[0] - ext.Min[0]) / w * 65535)
		}
		if h > 0 {
			y = uint32((c[1] - ext.Min[1]) / h * 65535)
		}
		keys[i] = hilbert(x, y)<<32 | uint64(i)
	}
	slices.Sort(keys)
	sorted := make([]indexEntry, len(entries))
	for i, k := range keys {
		sorted[i] = entries[uint32(k)]
	}
	copy(entries, sorted)
}

// hilbert returns the distance along a Hilbert curve of order 16 of the
// cell (x, y), each in 0..65535.
func hilbert(x, y uint32) uint64 {
	var d uint64
	for s := uint32(1 << 15); s > 0; s >>= 1 {
		var rx, ry uint32
		if x&s != 0 {
			rx = 1
		}
		if y&s != 0 {
			ry = 1
		}
		d += uint64(s) * uint64(s) * uint64((3*rx)^ry)
		if ry == 0 {
			if rx == 1 {
				x, y = 0xffff-x, 0xffff-y
			}
			x, y = y, x
		}
	}
	return d
}

// tableChange is what a transaction did to a table's features.
type tableChange struct {
	grown     orb.Bound // the bound of geometries added
	hasGrown  bool
	shrunk    orb.Bound // the bound of geometries removed
	hasShrunk bool
}

// GeometryChanged records that a feature of a table had the geometry old
// and now has new (either nil: an insert, a delete, or a row without
// geometry). Before the transaction commits, the table's extent in
// gpkg_contents is widened to take in the new geometries and, when a
// removed geometry lay on the extent's edge, computed again from the
// spatial index; its last_change is set to now.
func (tx *Tx) GeometryChanged(table string, old, new orb.Geometry) {
	if tx.changed == nil {
		tx.changed = map[string]*tableChange{}
	}
	c := tx.changed[table]
	if c == nil {
		c = &tableChange{}
		tx.changed[table] = c
	}
	if old != nil && !isEmpty(old) {
		c.shrunk, c.hasShrunk = union(c.shrunk, c.hasShrunk, old.Bound())
	}
	if new != nil && !isEmpty(new) {
		c.grown, c.hasGrown = union(c.grown, c.hasGrown, new.Bound())
	}
}

// RowsChanged records that rows of a table without geometry changed, so
// that its last_change is set before the transaction commits.
func (tx *Tx) RowsChanged(table string) { tx.GeometryChanged(table, nil, nil) }

func union(b orb.Bound, ok bool, add orb.Bound) (orb.Bound, bool) {
	if !ok {
		return add, true
	}
	return b.Union(add), true
}

// flushContents brings gpkg_contents up to date with what the
// transaction changed.
func (tx *Tx) flushContents(ctx context.Context) error {
	now := timestamp(time.Now())
	for table, c := range tx.changed {
		recompute := false
		if c.hasShrunk {
			var minX, minY, maxX, maxY sql.NullFloat64
			err := tx.QueryRow(ctx, `SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?`, table).Scan(&minX, &minY, &maxX, &maxY)
			if err != nil {
				return fmt.Errorf("extent of %s: %w", table, err)
			}
			s := c.shrunk
			recompute = !minX.Valid || s.Min[0] <= minX.Float64 || s.Min[1] <= minY.Float64 || s.Max[0] >= maxX.Float64 || s.Max[1] >= maxY.Float64
		}
		var err error
		switch {
		case recompute:
			err = tx.recomputeExtent(ctx, table, now)
		case c.hasGrown:
			b := c.grown
			_, err = tx.Exec(ctx, `UPDATE gpkg_contents SET
					min_x = min(coalesce(min_x, ?1), ?1), min_y = min(coalesce(min_y, ?2), ?2),
					max_x = max(coalesce(max_x, ?3), ?3), max_y = max(coalesce(max_y, ?4), ?4),
					last_change = ?5
				WHERE table_name = ?6`, b.Min[0], b.Min[1], b.Max[0], b.Max[1], now, table)
		default:
			_, err = tx.Exec(ctx, `UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?`, now, table)
		}
		if err != nil {
			return fmt.Errorf("extent of %s: %w", table, err)
		}
	}
	tx.changed = nil
	return nil
}

// recomputeExtent sets a table's extent to the bound of its spatial
// index (NULL when the table is empty). The index keeps 32-bit bounds
// rounded outwards, so the extent may exceed the features' by a few
// millionths of a degree.
func (tx *Tx) recomputeExtent(ctx context.Context, table, now string) error {
	var geomCol string
	err := tx.QueryRow(ctx, `SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?`, table).Scan(&geomCol)
	if err != nil {
		return fmt.Errorf("table %s: %w", table, ErrNoTable)
	}
	rtree := quote("rtree_" + table + "_" + geomCol)
	_, err = tx.Exec(ctx, `UPDATE gpkg_contents SET
			(min_x, min_y, max_x, max_y) = (SELECT min(minx), min(miny), max(maxx), max(maxy) FROM `+rtree+`),
			last_change = ?
		WHERE table_name = ?`, now, table)
	return err
}
