package gpkg

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"modernc.org/sqlite"
)

// GeoPackage 1.3 identifies itself in the SQLite header: application_id
// "GPKG" and user_version 10300.
const (
	applicationID = 0x47504B47
	userVersion   = 10300
)

// DB is an open GeoPackage. It is safe for concurrent use; writes are
// serialised by SQLite, each in its own transaction.
type DB struct {
	sql      *sql.DB
	path     string
	readOnly bool
}

// sqliteDriver is a private instance of the SQLite driver carrying the
// SQL functions the spatial index triggers call, so that registering them
// touches no other user of the "sqlite" driver.
var sqliteDriver = newDriver()

// connector opens connections of sqliteDriver to one database.
type connector struct{ dsn string }

// Connect opens a connection.
func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return sqliteDriver.Open(c.dsn)
}

// Driver returns the driver.
func (c connector) Driver() driver.Driver { return sqliteDriver }

// dsn builds the connection string for a file: busy waits of up to ten
// seconds, immediate write transactions (a reader never has to upgrade
// its lock and fail), the file read through memory mapping (no copy of
// each page read), statement journals in memory (a statement that fires
// triggers keeps one, and a temporary file per statement made inserts
// three times slower) and, for a writable store, write-ahead logging with
// a sync at every commit, so that a committed edit survives a crash or a
// power cut.
func dsn(path string, readOnly bool) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	u := url.URL{Path: filepath.ToSlash(abs)}
	q := "?_pragma=busy_timeout(10000)&_txlock=immediate&_pragma=mmap_size(1073741824)&_pragma=temp_store(MEMORY)"
	if readOnly {
		q += "&mode=ro"
	} else {
		// A bigger page cache keeps a big import from spilling pages to
		// the log before it commits.
		q += "&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)&_pragma=cache_size(-32768)"
	}
	return "file:" + u.EscapedPath() + q, nil
}

func open(ctx context.Context, path string, readOnly bool) (*DB, error) {
	name, err := dsn(path, readOnly)
	if err != nil {
		return nil, fmt.Errorf("gpkg: %s: %w", path, err)
	}
	db := &DB{sql: sql.OpenDB(connector{name}), path: path, readOnly: readOnly}
	if err := db.sql.PingContext(ctx); err != nil {
		db.sql.Close()
		return nil, fmt.Errorf("gpkg: %s: %w", path, notGeoPackage(err))
	}
	return db, nil
}

// notGeoPackage turns SQLite's "not a database" into ErrNotGeoPackage.
func notGeoPackage(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == 26 { // SQLITE_NOTADB
		return fmt.Errorf("%w: %w", ErrNotGeoPackage, err)
	}
	return err
}

// Open opens an existing GeoPackage for reading and writing, switching it
// to write-ahead logging. A file that is not a GeoPackage is refused
// before anything is written to it.
func Open(ctx context.Context, path string) (*DB, error) {
	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		return nil, err
	}
	ro.Close()
	db, err := open(ctx, path, false)
	if err != nil {
		return nil, err
	}
	if err := db.check(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// OpenReadOnly opens an existing GeoPackage without ever writing to it.
func OpenReadOnly(ctx context.Context, path string) (*DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("gpkg: %w", err)
	}
	db, err := open(ctx, path, true)
	if err != nil {
		return nil, err
	}
	if err := db.check(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Create makes a new, empty GeoPackage at path with the tables every
// GeoPackage has and the three spatial reference systems it must list.
// It refuses a path where a file exists.
func Create(ctx context.Context, path string) (*DB, error) {
	if _, err := os.Stat(path); err == nil {
		return nil, fmt.Errorf("gpkg: %s: %w", path, ErrExists)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("gpkg: %w", err)
	}
	db, err := open(ctx, path, false)
	if err != nil {
		return nil, err
	}
	err = db.Update(ctx, func(tx *Tx) error {
		for _, stmt := range coreSchema {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return err
			}
		}
		for _, s := range []SRS{WGS84, undefinedCartesian, undefinedGeographic} {
			if err := tx.AddSRS(ctx, s); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		// GDAL checks application_id by reading the file's first page
		// itself, so that page must leave the write-ahead log now.
		_, err = db.sql.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	}
	if err != nil {
		db.Close()
		os.Remove(path)
		return nil, fmt.Errorf("gpkg: creating %s: %w", path, err)
	}
	return db, nil
}

// check verifies that the database has the tables of a GeoPackage.
func (db *DB) check(ctx context.Context) error {
	var n int
	err := db.sql.QueryRowContext(ctx,
		`SELECT count(*) FROM sqlite_master WHERE type IN ('table','view') AND name IN ('gpkg_contents','gpkg_spatial_ref_sys')`).Scan(&n)
	if err != nil {
		return fmt.Errorf("gpkg: %s: %w", db.path, notGeoPackage(err))
	}
	if n != 2 {
		return fmt.Errorf("gpkg: %s: %w: gpkg_contents or gpkg_spatial_ref_sys is missing", db.path, ErrNotGeoPackage)
	}
	return nil
}

// Close closes the database.
func (db *DB) Close() error { return db.sql.Close() }

// Path returns the file the GeoPackage was opened from.
func (db *DB) Path() string { return db.path }

// SQL returns the underlying database, for packages that keep tables of
// their own in the GeoPackage and read them directly.
func (db *DB) SQL() *sql.DB { return db.sql }

// Update runs fn in one write transaction and commits it, so that fn's
// changes are all on disk when Update returns nil and none are when it
// returns an error. A cancelled ctx rolls the transaction back.
//
// The transaction is run on one connection with BEGIN IMMEDIATE and
// COMMIT, rather than through database/sql's Tx, so that bulk inserts
// can reach the driver's statements (see Tx.execRaw).
func (db *DB) Update(ctx context.Context, fn func(tx *Tx) error) (err error) {
	if db.readOnly {
		return fmt.Errorf("gpkg: %s: %w", db.path, ErrReadOnly)
	}
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return fmt.Errorf("gpkg: %s: %w", db.path, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		return fmt.Errorf("gpkg: %s: %w", db.path, err)
	}
	tx := &Tx{conn: conn}
	committed := false
	defer func() {
		tx.closeStmts()
		if committed {
			return
		}
		if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`); rerr != nil {
			// A connection whose transaction could not be rolled back
			// must not go back to the pool: the driver drops it.
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := tx.flushContents(ctx); err != nil {
		return fmt.Errorf("gpkg: %s: %w", db.path, err)
	}
	if _, err := conn.ExecContext(context.WithoutCancel(ctx), `COMMIT`); err != nil {
		return fmt.Errorf("gpkg: %s: commit: %w", db.path, err)
	}
	committed = true
	return nil
}

// IntegrityCheck runs SQLite's integrity check and returns nil when it
// says "ok", else an error listing what it found.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	rows, err := db.sql.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var msgs []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		msgs = append(msgs, s)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(msgs) == 1 && msgs[0] == "ok" {
		return nil
	}
	return fmt.Errorf("gpkg: %s: integrity check: %s", db.path, strings.Join(msgs, "; "))
}

// CopyTo writes a consistent copy of the whole GeoPackage to a new file
// (SQLite's VACUUM INTO), which is how "Save a copy" works while the
// store stays open. It refuses a path where a file exists.
func (db *DB) CopyTo(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("gpkg: %s: %w", path, ErrExists)
	}
	if _, err := db.sql.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("gpkg: copying to %s: %w", path, err)
	}
	return nil
}

// Tx is a write transaction.
type Tx struct {
	conn  *sql.Conn
	stmts map[string]*sql.Stmt
	// raw are statements of the driver itself, for bulk inserts.
	raw map[string]driver.Stmt
	// changed holds, per table, what the transaction did to its
	// features, for gpkg_contents to be brought up to date at commit.
	changed map[string]*tableChange
}

// Exec runs a statement.
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.conn.ExecContext(ctx, query, args...)
}

// Query runs a query.
func (tx *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.conn.QueryContext(ctx, query, args...)
}

// QueryRow runs a query that returns at most one row.
func (tx *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.conn.QueryRowContext(ctx, query, args...)
}

// Prepare prepares a statement for repeated use within the transaction;
// the caller closes it.
func (tx *Tx) Prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	return tx.conn.PrepareContext(ctx, query)
}

// Stmt returns a prepared statement for a query, preparing it on the
// first call in the transaction and reusing it after: code that runs a
// query once per record pays for parsing it once per transaction. The
// transaction closes it.
func (tx *Tx) Stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := tx.stmts[query]; ok {
		return s, nil
	}
	s, err := tx.conn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if tx.stmts == nil {
		tx.stmts = map[string]*sql.Stmt{}
	}
	tx.stmts[query] = s
	return s, nil
}

// execRaw runs a statement through the driver's own prepared statement,
// prepared once per transaction: database/sql checks and converts every
// value bound, which for the hundred thousand rows of an import cost as
// much as SQLite's work. Args must be of the driver's value types.
func (tx *Tx) execRaw(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	var res driver.Result
	err := tx.conn.Raw(func(dc any) error {
		st, ok := tx.raw[query]
		if !ok {
			pc, ok := dc.(driver.ConnPrepareContext)
			if !ok {
				return errors.New("the SQLite driver cannot prepare")
			}
			var err error
			if st, err = pc.PrepareContext(ctx, query); err != nil {
				return err
			}
			if tx.raw == nil {
				tx.raw = map[string]driver.Stmt{}
			}
			tx.raw[query] = st
		}
		ec, ok := st.(driver.StmtExecContext)
		if !ok {
			return errors.New("the SQLite driver cannot execute")
		}
		var err error
		res, err = ec.ExecContext(ctx, args)
		return err
	})
	return res, err
}

func (tx *Tx) closeStmts() {
	for _, s := range tx.stmts {
		s.Close()
	}
	if len(tx.raw) > 0 {
		tx.conn.Raw(func(any) error {
			for _, s := range tx.raw {
				s.Close()
			}
			return nil
		})
	}
}

// quote quotes an SQL identifier.
func quote(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
