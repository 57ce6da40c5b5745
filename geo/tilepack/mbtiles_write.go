package tilepack

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Batching of a writer's inserts: a transaction is committed after this
// many tiles or this long, whichever comes first, so that an interrupted
// download loses at most a few seconds of work and a fast one does not
// pay a disk sync per tile.
const (
	batchTiles = 512
	batchTime  = 2 * time.Second
)

// MBTilesWriter adds tiles to an MBTiles file. Tiles are written in
// batched transactions: what was flushed (by a full batch, [Flush] or
// [Close]) is in the file for good even if the process dies, and the file
// is a valid MBTiles at every moment. It is safe for concurrent use.
type MBTilesWriter struct {
	path string
	db   *sql.DB

	mu      sync.Mutex
	tx      *sql.Tx
	insert  *sql.Stmt // prepared inside tx
	pending int
	since   time.Time
	closed  bool
}

// OpenMBTilesWriter opens an MBTiles file for adding tiles, creating it
// (with the tables and index of the specification) if it does not exist.
// The tiles of an existing file are kept, so a download can resume into
// it; its metadata is replaced by md.
func OpenMBTilesWriter(path string, md Metadata) (*MBTilesWriter, error) {
	db, err := sql.Open("sqlite", sqliteURI(path, "mode=rwc&_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// One connection: SQLite has one writer at a time anyway, and the
	// transaction must be the one the inserts see.
	db.SetMaxOpenConns(1)
	w := &MBTilesWriter{path: path, db: db}
	schema := []string{
		`CREATE TABLE IF NOT EXISTS metadata (name TEXT, value TEXT)`,
		`CREATE UNIQUE INDEX IF NOT EXISTS metadata_name ON metadata (name)`,
		`CREATE TABLE IF NOT EXISTS tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)`,
		`CREATE UNIQUE INDEX IF NOT EXISTS tile_index ON tiles (zoom_level, tile_column, tile_row)`,
	}
	for _, q := range schema {
		if _, err := db.Exec(q); err != nil {
			db.Close()
			if strings.Contains(err.Error(), "file is not a database") {
				return nil, fmt.Errorf("%s: %w: %v", path, ErrNotPackage, err)
			}
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	if err := w.SetMetadata(md); err != nil {
		db.Close()
		return nil, err
	}
	return w, nil
}

// Path returns the file written.
func (w *MBTilesWriter) Path() string { return w.path }

// SetMetadata replaces the package's metadata. Zero fields are left out,
// except the name, which defaults to the empty string.
func (w *MBTilesWriter) SetMetadata(md Metadata) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return fmt.Errorf("%s: %w", w.path, ErrReadOnly)
	}
	if err := w.commit(); err != nil {
		return err
	}
	values := [][2]string{{"name", md.Name}}
	add := func(name, value string) {
		if value != "" {
			values = append(values, [2]string{name, value})
		}
	}
	add("description", md.Description)
	add("attribution", md.Attribution)
	add("format", string(md.Format))
	if b := md.Bounds; b.Min[0] < b.Max[0] && b.Min[1] < b.Max[1] {
		add("bounds", formatNumbers(b.Min[0], b.Min[1], b.Max[0], b.Max[1]))
	}
	if md.HasCenter {
		add("center", formatNumbers(md.Center[0], md.Center[1], md.CenterZoom))
	}
	if md.MinZoom <= md.MaxZoom && md.MaxZoom > 0 {
		add("minzoom", strconv.Itoa(md.MinZoom))
		add("maxzoom", strconv.Itoa(md.MaxZoom))
	}
	if len(md.VectorLayers) > 0 {
		type vectorLayer struct {
			ID     string            `json:"id"`
			Fields map[string]string `json:"fields"`
		}
		var tj struct {
			VectorLayers []vectorLayer `json:"vector_layers"`
		}
		for _, id := range md.VectorLayers {
			tj.VectorLayers = append(tj.VectorLayers, vectorLayer{ID: id, Fields: map[string]string{}})
		}
		doc, err := json.Marshal(tj)
		if err != nil {
			return fmt.Errorf("%s: %w", w.path, err)
		}
		add("json", string(doc))
	}
	tx, err := w.db.Begin()
	if err != nil {
		return fmt.Errorf("%s: %w", w.path, err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`DELETE FROM metadata`); err != nil {
		return fmt.Errorf("%s: %w", w.path, err)
	}
	for _, v := range values {
		if _, err := tx.Exec(`INSERT INTO metadata (name, value) VALUES (?, ?)`, v[0], v[1]); err != nil {
			return fmt.Errorf("%s: %w", w.path, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: %w", w.path, err)
	}
	return nil
}

// formatNumbers writes numbers separated by commas, each in its shortest form.
func formatNumbers(v ...float64) string {
	b := make([]byte, 0, 64)
	for i, f := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendFloat(b, f, 'f', -1, 64)
	}
	return string(b)
}

// Put stores a tile, replacing one already stored at its place. It is
// in the file once its batch is committed.
func (w *MBTilesWriter) Put(ctx context.Context, id ID, data []byte) error {
	if !id.Valid() {
		return fmt.Errorf("%s: tile %v is outside the pyramid", w.path, id)
	}
	if len(data) == 0 || len(data) > MaxTileBytes {
		return &TileError{Path: w.path, Tile: id, Err: fmt.Errorf("%w: %d bytes", ErrTooLarge, len(data))}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return fmt.Errorf("%s: %w", w.path, ErrReadOnly)
	}
	if w.tx == nil {
		tx, err := w.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", w.path, err)
		}
		stmt, err := tx.Prepare(`INSERT OR REPLACE INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)`)
		if err != nil {
			tx.Rollback()
			return fmt.Errorf("%s: %w", w.path, err)
		}
		w.tx, w.insert, w.since = tx, stmt, time.Now()
	}
	// The statement runs without the caller's context: a cancellation
	// must not roll back the tiles of the batch already inserted.
	if _, err := w.insert.Exec(id.Z, id.X, (1<<id.Z)-1-id.Y, data); err != nil {
		return &TileError{Path: w.path, Tile: id, Err: err}
	}
	w.pending++
	if w.pending >= batchTiles || time.Since(w.since) >= batchTime {
		return w.commit()
	}
	return nil
}

// Flush commits the tiles put since the last commit.
func (w *MBTilesWriter) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.commit()
}

// commit commits the open transaction, if any; w.mu is held.
func (w *MBTilesWriter) commit() error {
	if w.tx == nil {
		return nil
	}
	w.insert.Close()
	err := w.tx.Commit()
	w.tx, w.insert, w.pending = nil, nil, 0
	if err != nil {
		return fmt.Errorf("%s: %w", w.path, err)
	}
	return nil
}

// Stored returns the tiles of a range the file already holds.
func (w *MBTilesWriter) Stored(ctx context.Context, r Range) (map[ID]struct{}, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.commit(); err != nil {
		return nil, err
	}
	n := 1 << r.Z
	rows, err := w.db.QueryContext(ctx, `SELECT tile_column, tile_row FROM tiles
		WHERE zoom_level = ? AND tile_column BETWEEN ? AND ? AND tile_row BETWEEN ? AND ?`,
		r.Z, r.MinX, r.MaxX, n-1-r.MaxY, n-1-r.MinY)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", w.path, err)
	}
	defer rows.Close()
	stored := map[ID]struct{}{}
	for rows.Next() {
		var x, row int
		if err := rows.Scan(&x, &row); err != nil {
			return nil, fmt.Errorf("%s: %w", w.path, err)
		}
		stored[ID{r.Z, x, n - 1 - row}] = struct{}{}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", w.path, err)
	}
	return stored, nil
}

// Close commits what was put and closes the file. Later calls return nil.
func (w *MBTilesWriter) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	return errors.Join(w.commit(), w.db.Close())
}
