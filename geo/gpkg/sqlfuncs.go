package gpkg

import (
	"database/sql/driver"

	"github.com/paulmach/orb"
	"modernc.org/sqlite"
)

// newDriver returns a SQLite driver with the SQL functions of GeoPackage's
// R*Tree spatial index extension (ST_IsEmpty, ST_MinX, ST_MaxX, ST_MinY,
// ST_MaxY), which the index's triggers call on every insert and update.
// GDAL and QGIS define the same functions, so a GeoPackage written here
// stays writable there and the other way round.
func newDriver() *sqlite.Driver {
	d := &sqlite.Driver{}
	d.MustRegisterDeterministicScalarFunction("ST_IsEmpty", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		blob, ok := args[0].([]byte)
		if !ok {
			return nil, nil
		}
		h, err := readHeader(blob)
		if err != nil {
			return nil, err
		}
		if h.empty {
			return int64(1), nil
		}
		g, err := readWKB(blob[h.size:], nil)
		if err != nil {
			return nil, err
		}
		if g == nil {
			return int64(1), nil
		}
		return int64(0), nil
	})
	bound := func(pick func(orb.Bound) float64) func(*sqlite.FunctionContext, []driver.Value) (driver.Value, error) {
		return func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			blob, ok := args[0].([]byte)
			if !ok {
				return nil, nil
			}
			h, err := readHeader(blob)
			if err != nil {
				return nil, err
			}
			if h.hasBounds {
				return pick(h.envelope), nil
			}
			g, err := readWKB(blob[h.size:], nil)
			if err != nil || g == nil {
				return nil, err
			}
			return pick(g.Bound()), nil
		}
	}
	d.MustRegisterDeterministicScalarFunction("ST_MinX", 1, bound(func(b orb.Bound) float64 { return b.Min[0] }))
	d.MustRegisterDeterministicScalarFunction("ST_MaxX", 1, bound(func(b orb.Bound) float64 { return b.Max[0] }))
	d.MustRegisterDeterministicScalarFunction("ST_MinY", 1, bound(func(b orb.Bound) float64 { return b.Min[1] }))
	d.MustRegisterDeterministicScalarFunction("ST_MaxY", 1, bound(func(b orb.Bound) float64 { return b.Max[1] }))
	return d
}
