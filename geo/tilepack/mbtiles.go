package tilepack

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
	"modernc.org/sqlite/vfs"
)

// readConnections is how many SQLite connections an MBTiles reader keeps:
// one per render worker on the machines we target, so that tiles of one
// frame are read side by side.
const readConnections = 4

// MBTiles is an MBTiles file (version 1.3 of the specification) opened
// for reading: an SQLite database with a "metadata" table of name/value
// pairs and a "tiles" table (or view, as some writers make it) of
// zoom_level, tile_column, tile_row and tile_data, rows counted from the
// south (TMS). It is safe for concurrent use.
type MBTiles struct {
	path string
	db   *sql.DB
	tile *sql.Stmt
	md   Metadata
	// vfs is the SQLite VFS of a package opened from an fs.FS, closed
	// after the database.
	vfs *vfs.FS
}

// OpenMBTiles opens an MBTiles file for reading.
func OpenMBTiles(path string) (*MBTiles, error) {
	db, err := sql.Open("sqlite", sqliteURI(path, "mode=ro"))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return newMBTiles(db, path, nil)
}

// openMBTilesFS opens an MBTiles file of a file system for reading,
// through an SQLite VFS that reads the file system's files.
func openMBTilesFS(fsys fs.FS, name string) (*MBTiles, error) {
	id, v, err := vfs.New(fsys)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	db, err := sql.Open("sqlite", sqliteURI(name, "mode=ro&vfs="+id))
	if err != nil {
		v.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return newMBTiles(db, name, v)
}

// sqliteURI returns the SQLite URI of a file with query parameters,
// escaping the characters that end a URI's path.
func sqliteURI(path, query string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + r.Replace(path) + "?" + query
}

func newMBTiles(db *sql.DB, path string, v *vfs.FS) (*MBTiles, error) {
	db.SetMaxOpenConns(readConnections)
	db.SetMaxIdleConns(readConnections)
	m := &MBTiles{path: path, db: db, vfs: v}
	fail := func(err error) (*MBTiles, error) {
		m.Close()
		return nil, err
	}
	ctx := context.Background()
	md, err := readMBTilesMetadata(ctx, db, path)
	if err != nil {
		return fail(err)
	}
	m.md = md
	m.tile, err = db.Prepare(`SELECT length(tile_data), CASE WHEN length(tile_data) <= ? THEN tile_data END
		FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?`)
	if err != nil {
		return fail(fmt.Errorf("%s: %w (no tiles table: %v)", path, ErrNotPackage, err))
	}
	if m.md.Format == FormatUnknown {
		var data []byte
		err := db.QueryRow(`SELECT tile_data FROM tiles LIMIT 1`).Scan(&data)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fail(fmt.Errorf("%s: %w", path, err))
		}
		m.md.Format = Sniff(data)
	}
	return m, nil
}

// readMBTilesMetadata reads the metadata table, filling what it leaves
// out from the tiles table.
func readMBTilesMetadata(ctx context.Context, db *sql.DB, path string) (Metadata, error) {
	md := Metadata{Bounds: worldBound, MinZoom: -1, MaxZoom: -1}
	rows, err := db.QueryContext(ctx, `SELECT name, value FROM metadata`)
	if err != nil {
		if strings.Contains(err.Error(), "file is not a database") {
			return md, fmt.Errorf("%s: %w: %v", path, ErrCorrupt, err)
		}
		return md, fmt.Errorf("%s: %w (no metadata table: %v)", path, ErrNotPackage, err)
	}
	defer rows.Close()
	hasBounds := false
	for rows.Next() {
		var name, value sql.NullString
		if err := rows.Scan(&name, &value); err != nil {
			return md, fmt.Errorf("%s: metadata: %w", path, err)
		}
		v := strings.TrimSpace(value.String)
		switch name.String {
		case "name":
			md.Name = v
		case "description":
			md.Description = v
		case "attribution":
			md.Attribution = plainText(v)
		case "format":
			md.Format = parseFormat(v)
		case "bounds":
			if b, ok := parseBounds(v); ok {
				md.Bounds, hasBounds = b, true
			}
		case "center":
			if f, ok := parseNumbers(v, 3); ok {
				md.Center, md.CenterZoom, md.HasCenter = orb.Point{f[0], f[1]}, f[2], true
			} else if f, ok := parseNumbers(v, 2); ok {
				md.Center, md.HasCenter = orb.Point{f[0], f[1]}, true
			}
		case "minzoom":
			if z, err := strconv.Atoi(v); err == nil && z >= 0 && z <= MaxZoom {
				md.MinZoom = z
			}
		case "maxzoom":
			if z, err := strconv.Atoi(v); err == nil && z >= 0 && z <= MaxZoom {
				md.MaxZoom = z
			}
		case "json":
			md.VectorLayers = vectorLayers([]byte(v))
		}
	}
	if err := rows.Err(); err != nil {
		return md, fmt.Errorf("%s: metadata: %w", path, err)
	}
	if md.MinZoom < 0 || md.MaxZoom < 0 || md.MinZoom > md.MaxZoom {
		var lo, hi sql.NullInt64
		err := db.QueryRowContext(ctx, `SELECT min(zoom_level), max(zoom_level) FROM tiles`).Scan(&lo, &hi)
		if err != nil {
			return md, fmt.Errorf("%s: %w (no tiles table: %v)", path, ErrNotPackage, err)
		}
		md.MinZoom, md.MaxZoom = int(lo.Int64), int(hi.Int64)
		if !lo.Valid || lo.Int64 < 0 || hi.Int64 > MaxZoom {
			md.MinZoom, md.MaxZoom = 0, 0
		}
	}
	if !hasBounds {
		// The extent of the tiles at the deepest zoom: one index range.
		var x0, x1, y0, y1 sql.NullInt64
		err := db.QueryRowContext(ctx, `SELECT min(tile_column), max(tile_column), min(tile_row), max(tile_row)
			FROM tiles WHERE zoom_level = ?`, md.MaxZoom).Scan(&x0, &x1, &y0, &y1)
		if err == nil && x0.Valid {
			n := 1 << md.MaxZoom
			nw := ID{md.MaxZoom, int(x0.Int64), n - 1 - int(y1.Int64)}.Bound()
			se := ID{md.MaxZoom, int(x1.Int64), n - 1 - int(y0.Int64)}.Bound()
			md.Bounds = orb.Bound{Min: orb.Point{nw.Min[0], se.Min[1]}, Max: orb.Point{se.Max[0], nw.Max[1]}}
		}
	}
	return md, nil
}

// parseBounds reads "west,south,east,north", clamped to Web Mercator.
func parseBounds(s string) (orb.Bound, bool) {
	f, ok := parseNumbers(s, 4)
	if !ok || f[0] >= f[2] || f[1] >= f[3] {
		return orb.Bound{}, false
	}
	b := orb.Bound{Min: orb.Point{max(f[0], -180), max(f[1], worldBound.Min[1])}, Max: orb.Point{min(f[2], 180), min(f[3], worldBound.Max[1])}}
	return b, b.Min[0] < b.Max[0] && b.Min[1] < b.Max[1]
}

// parseNumbers reads n comma-separated finite numbers.
func parseNumbers(s string, n int) ([]float64, bool) {
	parts := strings.Split(s, ",")
	if len(parts) != n {
		return nil, false
	}
	out := make([]float64, n)
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, false
		}
		out[i] = f
	}
	return out, true
}

// vectorLayers returns the ids of the "vector_layers" of a TileJSON
// document, or nil if it has none or does not parse.
func vectorLayers(doc []byte) []string {
	var tj struct {
		VectorLayers []struct {
			ID string `json:"id"`
		} `json:"vector_layers"`
	}
	if json.Unmarshal(doc, &tj) != nil {
		return nil
	}
	var ids []string
	for _, l := range tj.VectorLayers {
		if l.ID != "" {
			ids = append(ids, l.ID)
		}
	}
	return ids
}

// Metadata returns what the package says about itself.
func (m *MBTiles) Metadata() Metadata { return m.md }

// Path returns the file the package was opened from.
func (m *MBTiles) Path() string { return m.path }

// Tile returns the stored bytes of a tile, nil if the package does not
// have it.
func (m *MBTiles) Tile(ctx context.Context, id ID) ([]byte, error) {
	if !id.Valid() {
		return nil, nil
	}
	var (
		size sql.NullInt64
		data []byte
	)
	row := (1 << id.Z) - 1 - id.Y
	err := m.tile.QueryRowContext(ctx, MaxTileBytes, id.Z, id.X, row).Scan(&size, &data)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil:
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, &TileError{Path: m.path, Tile: id, Err: err}
	case size.Int64 > MaxTileBytes:
		return nil, &TileError{Path: m.path, Tile: id, Err: fmt.Errorf("%w: %d bytes, more than %d", ErrTooLarge, size.Int64, MaxTileBytes)}
	case len(data) == 0:
		return nil, nil
	}
	return data, nil
}

// TileCounts returns how many tiles the package holds at each zoom. It
// reads the whole tile index, so it takes a while on big files.
func (m *MBTiles) TileCounts(ctx context.Context) (map[int]int64, error) {
	rows, err := m.db.QueryContext(ctx, `SELECT zoom_level, count(*) FROM tiles GROUP BY zoom_level`)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.path, err)
	}
	defer rows.Close()
	counts := map[int]int64{}
	for rows.Next() {
		var z int
		var n int64
		if err := rows.Scan(&z, &n); err != nil {
			return nil, fmt.Errorf("%s: %w", m.path, err)
		}
		counts[z] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", m.path, err)
	}
	return counts, nil
}

// Close closes the database.
func (m *MBTiles) Close() error {
	var errs []error
	if m.tile != nil {
		errs = append(errs, m.tile.Close())
	}
	errs = append(errs, m.db.Close())
	if m.vfs != nil {
		errs = append(errs, m.vfs.Close())
	}
	return errors.Join(errs...)
}
