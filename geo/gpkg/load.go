package gpkg

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/paulmach/orb"
)

// LoadOptions tune [Table.Load].
type LoadOptions struct {
	// Transform, when set, takes each geometry from the table's
	// coordinates to WGS 84 longitude/latitude (see [SRS.CRS]); a
	// failure is a fault in that row. Without it the table must be in
	// lon/lat.
	Transform func(orb.Geometry) (orb.Geometry, error)
	// SkipBad skips rows whose geometry cannot be read or transformed,
	// listing them, instead of failing on the first.
	SkipBad bool
	// Columns names the attribute columns to read; nil reads them all,
	// an empty list none (the ID column is always read). Drawing in a
	// style that reads no attribute need not pay for them: QGIS, too,
	// fetches only what its renderer uses.
	Columns []string
}

// loadChunks is how many pieces of the key range each core reads in turn,
// so that a core that finishes early takes over work from a slow one.
const loadChunks = 8

// Load reads every feature of the table into memory, in primary key
// order, splitting the key range among all cores (each reads through its
// own connection). Properties are kept as compact JSON and decoded when
// asked for, as the GeoJSON decoder does. Feature IDs are the ID column's
// values when [TableOptions.IDColumn] named one, else positions ("#N",
// see [layer.NewVector]): a million keys in a map would cost as much as
// reading the rows. It returns the features' source and, with SkipBad,
// the rows it skipped.
func (t *Table) Load(ctx context.Context, opts LoadOptions) (*layer.Vector, []layer.FeatureError, error) {
	if opts.Transform == nil && !t.srs.IsLonLat() {
		return nil, nil, fmt.Errorf("%w: table %s is in %s", ErrNotLonLat, t.contents.Table, describeSRS(t.srs))
	}
	var lo, hi sql.NullInt64
	err := t.db.sql.QueryRowContext(ctx, `SELECT min(`+quote(t.pk)+`), max(`+quote(t.pk)+`) FROM `+quote(t.contents.Table)).Scan(&lo, &hi)
	if err != nil {
		return nil, nil, t.wrap(err)
	}
	if !lo.Valid {
		return layer.NewVector(nil), nil, nil
	}
	cols, err := t.columns(opts.Columns)
	if err != nil {
		return nil, nil, err
	}
	maxRows, err := t.maxRows(ctx)
	if err != nil {
		return nil, nil, err
	}
	span := uint64(hi.Int64 - lo.Int64)
	l := &loader{t: t, opts: opts, lo: lo.Int64}
	if span < uint64(maxRows) {
		// Dense keys: each row goes straight to its slot, keyed by its
		// distance from the lowest key, so no slice is copied.
		l.slots = make([]layer.Feature, span+1)
		l.present = make([]bool, span+1)
	}
	workers := runtime.GOMAXPROCS(0)
	parts := int(min(uint64(workers*loadChunks), span/1024+1))
	step := int64(span/uint64(parts) + 1)
	results := make([]loaded, parts)
	next := make(chan int, parts)
	for i := range parts {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range min(workers, parts) {
		wg.Go(func() {
			r := t.newRowReader(cols, &pointBlocks{})
			r.props, r.positional = &propsWriter{}, true
			for i := range next {
				if ctx.Err() != nil {
					return
				}
				from := lo.Int64 + int64(i)*step
				results[i] = l.load(ctx, r, from, from+step)
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	var (
		features []layer.Feature
		skipped  []layer.FeatureError
		n        int
	)
	for _, p := range results {
		if p.err != nil {
			return nil, nil, p.err
		}
		n += p.n
		skipped = append(skipped, p.skipped...)
	}
	if l.slots != nil {
		features = l.slots
		if n < len(features) {
			features = compact(features, l.present)
		}
	} else {
		features = make([]layer.Feature, 0, n)
		for _, p := range results {
			features = append(features, p.features...)
		}
	}
	return layer.NewVector(features), skipped, nil
}

// columns returns the columns of names (all for nil), the ID column
// always among them.
func (t *Table) columns(names []string) ([]column, error) {
	if names == nil {
		return t.cols, nil
	}
	var out []column
	for i, c := range t.cols {
		if i == t.idCol || slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(n, c.name) }) {
			out = append(out, c)
		}
	}
	for _, n := range names {
		if !slices.ContainsFunc(t.cols, func(c column) bool { return strings.EqualFold(n, c.name) }) {
			return nil, t.wrap(fmt.Errorf("no column %q", n))
		}
	}
	return out, nil
}

// maxRows is more rows than the table can hold: the database's size over
// the fewest bytes a row takes on disk.
func (t *Table) maxRows(ctx context.Context) (int64, error) {
	var pages, pageSize int64
	err := t.db.sql.QueryRowContext(ctx, `SELECT page_count, page_size FROM pragma_page_count(), pragma_page_size()`).Scan(&pages, &pageSize)
	if err != nil {
		return 0, t.wrap(err)
	}
	return pages*pageSize/8 + 1024, nil
}

// compact keeps the slots that hold a row, in order.
func compact(slots []layer.Feature, present []bool) []layer.Feature {
	out := slots[:0]
	for i := range slots {
		if present[i] {
			out = append(out, slots[i])
		}
	}
	clear(slots[len(out):])
	return out
}

// loader is the state a Load shares among its workers.
type loader struct {
	t    *Table
	opts LoadOptions
	lo   int64
	// slots, when not nil, has one place per key from lo on, and present
	// says which were filled.
	slots   []layer.Feature
	present []bool
}

// loaded is what one piece of the key range gave.
type loaded struct {
	n        int
	features []layer.Feature // with sparse keys only
	skipped  []layer.FeatureError
	err      error
}

// load reads the rows whose key is in [from, to), through the driver's
// own rows rather than database/sql's, which would lock and convert each
// value of a million rows.
func (l *loader) load(ctx context.Context, r *rowReader, from, to int64) loaded {
	t := l.t
	query := `SELECT ` + t.selectList(r.cols) + ` FROM ` + quote(t.contents.Table) +
		` WHERE ` + quote(t.pk) + ` >= ? AND ` + quote(t.pk) + ` < ? ORDER BY ` + quote(t.pk)
	conn, err := t.db.sql.Conn(ctx)
	if err != nil {
		return loaded{err: t.wrap(err)}
	}
	defer conn.Close()
	var out loaded
	err = conn.Raw(func(dc any) error {
		qc, ok := dc.(driver.QueryerContext)
		if !ok {
			return errors.New("the SQLite driver cannot query")
		}
		rows, err := qc.QueryContext(ctx, query, []driver.NamedValue{{Ordinal: 1, Value: from}, {Ordinal: 2, Value: to}})
		if err != nil {
			return err
		}
		defer rows.Close()
		dest := make([]driver.Value, len(r.cols)+2)
		vals := make([]any, len(dest))
		var f layer.Feature
		for {
			if err := rows.Next(dest); errors.Is(err, io.EOF) {
				return nil
			} else if err != nil {
				return err
			}
			for i, v := range dest {
				vals[i] = v
			}
			fid, _ := vals[0].(int64)
			slot := &f
			if l.slots != nil {
				slot = &l.slots[fid-l.lo]
			}
			_, err := r.fill(slot, vals)
			if err == nil && l.opts.Transform != nil && slot.Geometry != nil {
				slot.Geometry, err = l.opts.Transform(slot.Geometry)
				if err != nil {
					err = t.rowError(fid, err)
				}
			}
			if err != nil {
				var fe *layer.FeatureError
				if !l.opts.SkipBad || !errors.As(err, &fe) {
					out.err = err
					return nil
				}
				out.skipped = append(out.skipped, *fe)
				*slot = layer.Feature{}
				continue
			}
			out.n++
			if l.slots != nil {
				l.present[fid-l.lo] = true
			} else {
				out.features = append(out.features, f)
			}
		}
	})
	if err != nil {
		return loaded{err: t.wrap(err)}
	}
	return out
}

func describeSRS(s SRS) string {
	if c := s.CRS(); c != "" && len(c) < 40 {
		return c
	}
	return fmt.Sprintf("srs_id %d (%s)", s.ID, s.Name)
}

// propsWriter keeps rows' properties, JSON objects, in shared blocks. A
// nil *propsWriter copies each object on its own.
type propsWriter struct {
	block []byte
}

// propsBlockLen is the size of a block of JSON text.
const propsBlockLen = 1 << 16

// copy returns a copy of b.
func (w *propsWriter) copy(b []byte) []byte {
	if w == nil || len(b) > propsBlockLen/16 {
		return append([]byte(nil), b...)
	}
	if cap(w.block)-len(w.block) < len(b) {
		w.block = make([]byte, 0, propsBlockLen)
	}
	start := len(w.block)
	w.block = append(w.block, b...)
	return w.block[start:len(w.block):len(w.block)]
}

func appendJSONValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, v)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return append(b, "null"...)
		}
		if v == math.Trunc(v) && math.Abs(v) < 1e15 {
			return strconv.AppendInt(b, int64(v), 10)
		}
		return strconv.AppendFloat(b, v, 'g', -1, 64)
	case string:
		return appendJSONString(b, v)
	default:
		return appendJSONString(b, fmt.Sprint(v))
	}
}

// appendJSONString appends s as a JSON string, with invalid UTF-8
// replaced by U+FFFD as encoding/json does.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
