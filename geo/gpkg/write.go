package gpkg

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// Inserter adds features to a feature table within a transaction.
type Inserter struct {
	tx    *Tx
	table string
	srsID int32
	stmt  *sql.Stmt
}

// NewInserter prepares inserts of a geometry and values for the named
// columns into a feature table.
func (tx *Tx) NewInserter(ctx context.Context, table string, columns []string) (*Inserter, error) {
	var geomCol string
	var srsID int32
	err := tx.QueryRow(ctx, `SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?`, table).Scan(&geomCol, &srsID)
	if err != nil {
		return nil, fmt.Errorf("gpkg: table %s: %w", table, ErrNoTable)
	}
	names := []string{quote(geomCol)}
	for _, c := range columns {
		names = append(names, quote(c))
	}
	marks := strings.Repeat("?, ", len(names))
	stmt, err := tx.Stmt(ctx, `INSERT INTO `+quote(table)+` (`+strings.Join(names, ", ")+`) VALUES (`+marks[:len(marks)-2]+`)`)
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
