package gpkg

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"math"
	"strconv"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/paulmach/orb"
)

// Table reads the features of one table of a GeoPackage. Its Search and
// Lookup query the database each time, through the table's spatial index
// when it has one, so they always see the latest committed edits; that
// makes a Table the source the map draws a store being edited through.
// To draw a big file once, [Table.Load] reads it into memory on all cores.
//
// Feature IDs are the text of the table's integer primary key, or of the
// column [TableOptions.IDColumn] names. Properties are every column but
// the key, the geometry and BLOB columns, with integers and reals as
// float64, BOOLEAN as bool, and text, dates and times as the text stored.
type Table struct {
	db       *DB
	contents Contents
	srs      SRS
	pk       string
	idCol    int // index in cols, or -1 for the primary key
	cols     []column
	schema   []layer.Field
	rtree    string
	selects  string // the select list: pk, geometry, cols
}

// column is an attribute column and how its values are read.
type column struct {
	name string
	kind valueKind
}

type valueKind int

const (
	valueText valueKind = iota
	valueNumber
	valueBool
	valueDate // text in a DATE or DATETIME column, selected as text
	valueBlob // not read
	valueAny  // no declared type: whatever SQLite holds
)

// TableOptions tune how a table is read.
type TableOptions struct {
	// IDColumn names the column whose text is the features' ID (such as
	// a uuid column); the primary key when empty.
	IDColumn string
}

// Table opens a feature table for reading.
func (db *DB) Table(ctx context.Context, name string, opts TableOptions) (*Table, error) {
	c, err := db.TableContents(ctx, name)
	if err != nil {
		return nil, err
	}
	if c.GeometryColumn == "" {
		return nil, fmt.Errorf("gpkg: %s: table %s is not a feature table (%s)", db.path, c.Table, c.DataType)
	}
	srs, err := db.SRS(ctx, c.SRSID)
	if err != nil {
		return nil, err
	}
	t := &Table{db: db, contents: c, srs: srs, idCol: -1}
	if err := t.readColumns(ctx, opts.IDColumn); err != nil {
		return nil, fmt.Errorf("gpkg: %s: table %s: %w", db.path, c.Table, err)
	}
	rtree := "rtree_" + c.Table + "_" + c.GeometryColumn
	var n int
	err = db.sql.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = ? AND sql LIKE '%rtree%'`, rtree).Scan(&n)
	if err != nil {
		return nil, fmt.Errorf("gpkg: %s: %w", db.path, err)
	}
	if n > 0 {
		t.rtree = rtree
	}
	return t, nil
}

// readColumns reads the table's columns and builds the select list.
func (t *Table) readColumns(ctx context.Context, idColumn string) error {
	rows, err := t.db.sql.QueryContext(ctx, `SELECT name, type, pk FROM pragma_table_info(?)`, t.contents.Table)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			name, typ string
			pk        int
		)
		if err := rows.Scan(&name, &typ, &pk); err != nil {
			return err
		}
		switch {
		case pk == 1 && t.pk == "":
			t.pk = name
			continue
		case strings.EqualFold(name, t.contents.GeometryColumn):
			continue
		}
		c := column{name: name, kind: kindOf(typ)}
		if c.kind == valueBlob {
			continue
		}
		if idColumn != "" && strings.EqualFold(name, idColumn) {
			t.idCol = len(t.cols)
		}
		t.cols = append(t.cols, c)
		ft := layer.FieldString
		switch c.kind {
		case valueNumber:
			ft = layer.FieldNumber
		case valueBool:
			ft = layer.FieldBool
		case valueAny:
			ft = layer.FieldMixed
		}
		t.schema = append(t.schema, layer.Field{Name: name, Type: ft})
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if t.pk == "" {
		return errors.New("the table has no integer primary key")
	}
	if idColumn != "" && t.idCol < 0 {
		return fmt.Errorf("no column %q for feature IDs", idColumn)
	}
	t.selects = t.selectList(t.cols)
	return nil
}

// selectList returns the select list of a query of rows: the key, the
// geometry and the columns, dates as the text stored (the driver would
// make them times) and BLOBs in untyped columns as NULL.
func (t *Table) selectList(cols []column) string {
	list := []string{quote(t.pk), quote(t.contents.GeometryColumn)}
	for _, c := range cols {
		q := quote(c.name)
		switch c.kind {
		case valueDate:
			q = "CAST(" + q + " AS TEXT)"
		case valueAny:
			q = "CASE WHEN typeof(" + q + ") = 'blob' THEN NULL ELSE " + q + " END"
		}
		list = append(list, q)
	}
	return strings.Join(list, ", ")
}

// kindOf maps a declared column type to how its values are read, after
// SQLite's rules of type affinity for the types GeoPackage does not name.
func kindOf(decl string) valueKind {
	d := strings.ToUpper(strings.TrimSpace(decl))
	switch {
	case d == "":
		return valueAny
	case d == "BOOLEAN":
		return valueBool
	case d == "DATE" || d == "DATETIME":
		return valueDate
	case strings.Contains(d, "INT"):
		return valueNumber
	case strings.Contains(d, "CHAR"), strings.Contains(d, "CLOB"), strings.Contains(d, "TEXT"):
		return valueText
	case strings.Contains(d, "BLOB"):
		return valueBlob
	case strings.Contains(d, "REAL"), strings.Contains(d, "FLOA"), strings.Contains(d, "DOUB"), strings.Contains(d, "NUMERIC"), strings.Contains(d, "DECIMAL"):
		return valueNumber
	default:
		return valueAny
	}
}

// Contents returns the table's gpkg_contents entry as it was when the
// table was opened.
func (t *Table) Contents() Contents { return t.contents }

// SRS returns the reference system of the table's coordinates.
func (t *Table) SRS() SRS { return t.srs }

// Name returns the table's name.
func (t *Table) Name() string { return t.contents.Table }

// Len returns the number of rows, or 0 when the count fails (Search then
// reports the failure).
func (t *Table) Len() int {
	var n int
	if err := t.db.sql.QueryRow(`SELECT count(*) FROM ` + quote(t.contents.Table)).Scan(&n); err != nil {
		return 0
	}
	return n
}

// Extent returns the bound of the features as gpkg_contents records it
// now, or as the spatial index has it when gpkg_contents has none; the
// zero bound when neither knows or the table is empty.
func (t *Table) Extent() orb.Bound {
	c, err := t.db.TableContents(context.Background(), t.contents.Table)
	if err == nil && c.HasExtent {
		return c.Extent
	}
	if t.rtree == "" {
		return orb.Bound{}
	}
	var minX, minY, maxX, maxY sql.NullFloat64
	err = t.db.sql.QueryRow(`SELECT min(minx), min(miny), max(maxx), max(maxy) FROM `+quote(t.rtree)).Scan(&minX, &minY, &maxX, &maxY)
	if err != nil || !minX.Valid {
		return orb.Bound{}
	}
	return orb.Bound{Min: orb.Point{minX.Float64, minY.Float64}, Max: orb.Point{maxX.Float64, maxY.Float64}}
}

// Schema returns the attribute columns, in table order.
func (t *Table) Schema() []layer.Field { return t.schema }

// Search yields, in primary key order, the features whose envelope
// intersects b; the spatial index answers when the table has one.
func (t *Table) Search(ctx context.Context, b orb.Bound) iter.Seq2[*layer.Feature, error] {
	return func(yield func(*layer.Feature, error) bool) {
		query := `SELECT ` + t.selects + ` FROM ` + quote(t.contents.Table)
		var args []any
		if t.rtree != "" {
			query += ` WHERE ` + quote(t.pk) + ` IN (SELECT id FROM ` + quote(t.rtree) + ` WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?)`
			args = []any{b.Max[0], b.Min[0], b.Max[1], b.Min[1]}
		}
		query += ` ORDER BY ` + quote(t.pk)
		rows, err := t.db.sql.QueryContext(ctx, query, args...)
		if err != nil {
			yield(nil, t.wrap(err))
			return
		}
		defer rows.Close()
		r := t.newRowReader(t.cols, nil)
		for rows.Next() {
			f := new(layer.Feature)
			env, err := r.read(rows, f)
			if err != nil {
				yield(nil, err)
				return
			}
			if f.Geometry == nil || !env.Intersects(b) {
				continue
			}
			if !yield(f, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(nil, t.wrap(err))
		}
	}
}

// Lookup returns the feature with an ID; a failed query counts as not
// found.
func (t *Table) Lookup(id string) (*layer.Feature, bool) {
	f, err := t.Feature(context.Background(), id)
	return f, err == nil && f != nil
}

// Feature returns the feature with an ID, nil if there is none.
func (t *Table) Feature(ctx context.Context, id string) (*layer.Feature, error) {
	col := t.pk
	var arg any = id
	if t.idCol >= 0 {
		col = t.cols[t.idCol].name
	} else {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return nil, nil
		}
		arg = n
	}
	rows, err := t.db.sql.QueryContext(ctx, `SELECT `+t.selects+` FROM `+quote(t.contents.Table)+` WHERE `+quote(col)+` = ? LIMIT 1`, arg)
	if err != nil {
		return nil, t.wrap(err)
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, t.wrap(rows.Err())
	}
	f := new(layer.Feature)
	if _, err := t.newRowReader(t.cols, nil).read(rows, f); err != nil {
		return nil, err
	}
	return f, nil
}

func (t *Table) wrap(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("gpkg: %s: table %s: %w", t.db.path, t.contents.Table, err)
}

// rowReader turns rows (key, geometry, columns) into features.
type rowReader struct {
	t    *Table
	cols []column
	// keys are the columns' names as JSON object keys, `"name":`.
	keys  [][]byte
	idCol int // index in cols of the ID column, or -1
	pts   *pointBlocks
	props *propsWriter
	json  []byte
	// positional leaves IDs to the feature's position (see Load) unless
	// the table has an ID column.
	positional bool
	// dest and vals are the scan buffers of database/sql rows.
	dest []any
	vals []any
}

// newRowReader returns a reader of rows of the columns cols.
func (t *Table) newRowReader(cols []column, pts *pointBlocks) *rowReader {
	r := &rowReader{t: t, cols: cols, pts: pts, idCol: -1, vals: make([]any, len(cols)+2)}
	for i, c := range cols {
		r.keys = append(r.keys, append(appendJSONString(nil, c.name), ':'))
		if t.idCol >= 0 && c.name == t.cols[t.idCol].name {
			r.idCol = i
		}
	}
	for i := range r.vals {
		r.dest = append(r.dest, &r.vals[i])
	}
	return r
}

// read scans the current row of database/sql rows into f and returns its
// envelope.
func (r *rowReader) read(rows *sql.Rows, f *layer.Feature) (orb.Bound, error) {
	if err := rows.Scan(r.dest...); err != nil {
		return orb.Bound{}, r.t.wrap(err)
	}
	return r.fill(f, r.vals)
}

// fill makes a row's values into f and returns its envelope.
func (r *rowReader) fill(f *layer.Feature, vals []any) (orb.Bound, error) {
	fid, _ := vals[0].(int64)
	blob, _ := vals[1].([]byte)
	g, err := decodeGeometry(blob, r.pts)
	if err != nil {
		return orb.Bound{}, r.t.rowError(fid, err)
	}
	f.Geometry = g.Geometry
	switch {
	case r.idCol >= 0:
		f.ID = layer.FormatValue(value(r.cols[r.idCol].kind, vals[2+r.idCol]))
	case !r.positional:
		f.ID = strconv.FormatInt(fid, 10)
	}
	if len(r.cols) > 0 {
		b := append(r.json[:0], '{')
		for i, c := range r.cols {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, r.keys[i]...)
			b = appendJSONValue(b, value(c.kind, vals[2+i]))
		}
		r.json = append(b, '}')
		f.Properties = layer.PropertiesFromJSON(r.props.copy(r.json))
	}
	return g.Envelope, nil
}

// rowError wraps a fault in one row.
func (t *Table) rowError(fid int64, err error) error {
	return t.wrap(&layer.FeatureError{Feature: int(fid), Noun: "row with fid", Err: err})
}

// value converts a value SQLite returned to the Go value of a property.
func value(kind valueKind, v any) any {
	switch v := v.(type) {
	case int64:
		if kind == valueBool {
			return v != 0
		}
		return float64(v)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return v
	case []byte:
		return string(v)
	default:
		return v
	}
}
