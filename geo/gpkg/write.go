package gpkg

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// Inserter adds features to a feature table within a transaction, keeping
// the table's extent in gpkg_contents: call Close before the transaction
// ends.
type Inserter struct {
	tx      *Tx
	table   string
	srsID   int32
	stmt    *sql.Stmt
	extent  orb.Bound
	touched bool
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
	stmt, err := tx.Prepare(ctx, `INSERT INTO `+quote(table)+` (`+strings.Join(names, ", ")+`) VALUES (`+marks[:len(marks)-2]+`)`)
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
	if g != nil && !isEmpty(g) {
		b := g.Bound()
		if !ins.touched {
			ins.extent, ins.touched = b, true
		} else {
			ins.extent = ins.extent.Union(b)
		}
	}
	return res.LastInsertId()
}

// Close records the inserted features' bound in the table's extent and
// frees the statement.
func (ins *Inserter) Close(ctx context.Context) error {
	defer ins.stmt.Close()
	if !ins.touched {
		return ins.tx.Touch(ctx, ins.table)
	}
	return ins.tx.ExtendExtent(ctx, ins.table, ins.extent)
}

// Touch sets a table's last_change to now.
func (tx *Tx) Touch(ctx context.Context, table string) error {
	_, err := tx.Exec(ctx, `UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?`, timestamp(time.Now()), table)
	return err
}

// ExtendExtent widens a table's extent in gpkg_contents to take in b and
// sets its last_change to now.
func (tx *Tx) ExtendExtent(ctx context.Context, table string, b orb.Bound) error {
	_, err := tx.Exec(ctx, `UPDATE gpkg_contents SET
			min_x = min(coalesce(min_x, ?1), ?1), min_y = min(coalesce(min_y, ?2), ?2),
			max_x = max(coalesce(max_x, ?3), ?3), max_y = max(coalesce(max_y, ?4), ?4),
			last_change = ?5
		WHERE table_name = ?6`, b.Min[0], b.Min[1], b.Max[0], b.Max[1], timestamp(time.Now()), table)
	if err != nil {
		return fmt.Errorf("gpkg: extent of %s: %w", table, err)
	}
	return nil
}

// RecomputeExtent sets a table's extent in gpkg_contents to the bound of
// its spatial index (NULL when the table is empty) and its last_change
// to now. Call it after a delete or a move that may have shrunk the
// extent.
func (tx *Tx) RecomputeExtent(ctx context.Context, table string) error {
	var geomCol string
	err := tx.QueryRow(ctx, `SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?`, table).Scan(&geomCol)
	if err != nil {
		return fmt.Errorf("gpkg: table %s: %w", table, ErrNoTable)
	}
	rtree := quote("rtree_" + table + "_" + geomCol)
	_, err = tx.Exec(ctx, `UPDATE gpkg_contents SET
			(min_x, min_y, max_x, max_y) = (SELECT min(minx), min(miny), max(maxx), max(maxy) FROM `+rtree+`),
			last_change = ?
		WHERE table_name = ?`, timestamp(time.Now()), table)
	if err != nil {
		return fmt.Errorf("gpkg: extent of %s: %w", table, err)
	}
	return nil
}
