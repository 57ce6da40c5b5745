package gpkg

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
)

// coreSchema creates the tables every GeoPackage has (GeoPackage 1.3,
// clauses 1.1.2 to 1.1.3 and 2.1.5) and the tables of the schema
// extension, which this package uses to record the lists of allowed
// values and ranges of attribute columns.
var coreSchema = []string{
	fmt.Sprintf(`PRAGMA application_id = %d`, applicationID),
	fmt.Sprintf(`PRAGMA user_version = %d`, userVersion),
	`CREATE TABLE gpkg_spatial_ref_sys (
		srs_name TEXT NOT NULL,
		srs_id INTEGER PRIMARY KEY,
		organization TEXT NOT NULL,
		organization_coordsys_id INTEGER NOT NULL,
		definition TEXT NOT NULL,
		description TEXT)`,
	`CREATE TABLE gpkg_contents (
		table_name TEXT NOT NULL PRIMARY KEY,
		data_type TEXT NOT NULL,
		identifier TEXT UNIQUE,
		description TEXT DEFAULT '',
		last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
		min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
		srs_id INTEGER,
		CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))`,
	`CREATE TABLE gpkg_geometry_columns (
		table_name TEXT NOT NULL,
		column_name TEXT NOT NULL,
		geometry_type_name TEXT NOT NULL,
		srs_id INTEGER NOT NULL,
		z TINYINT NOT NULL,
		m TINYINT NOT NULL,
		CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
		CONSTRAINT uk_gc_table_name UNIQUE (table_name),
		CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
		CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))`,
	`CREATE TABLE gpkg_extensions (
		table_name TEXT,
		column_name TEXT,
		extension_name TEXT NOT NULL,
		definition TEXT NOT NULL,
		scope TEXT NOT NULL,
		CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))`,
	`CREATE TABLE gpkg_data_columns (
		table_name TEXT NOT NULL,
		column_name TEXT NOT NULL,
		name TEXT,
		title TEXT,
		description TEXT,
		mime_type TEXT,
		constraint_name TEXT,
		CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name),
		CONSTRAINT gdc_tn UNIQUE (table_name, name))`,
	`CREATE TABLE gpkg_data_column_constraints (
		constraint_name TEXT NOT NULL,
		constraint_type TEXT NOT NULL,
		value TEXT,
		min NUMERIC,
		min_is_inclusive BOOLEAN,
		max NUMERIC,
		max_is_inclusive BOOLEAN,
		description TEXT,
		CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value))`,
	`INSERT INTO gpkg_extensions VALUES
		('gpkg_data_columns', NULL, 'gpkg_schema', 'http://www.geopackage.org/spec/#extension_schema', 'read-write'),
		('gpkg_data_column_constraints', NULL, 'gpkg_schema', 'http://www.geopackage.org/spec/#extension_schema', 'read-write')`,
}

// ColumnType is the declared type of a column, one of GeoPackage's data
// types (GeoPackage 1.3, table 1).
type ColumnType string

// Column types.
const (
	Text     ColumnType = "TEXT"
	Integer  ColumnType = "INTEGER"
	Real     ColumnType = "REAL"
	Boolean  ColumnType = "BOOLEAN"
	Date     ColumnType = "DATE"
	DateTime ColumnType = "DATETIME"
	Blob     ColumnType = "BLOB"
)

// Column describes an attribute column of a table to create.
type Column struct {
	Name string
	Type ColumnType
	// NotNull and Unique add those constraints.
	NotNull, Unique bool
	// Title and Description go to gpkg_data_columns, where GIS software
	// shows them as the field's alias and comment.
	Title, Description string
	// Constraint names a constraint added with [Tx.AddEnum] or
	// [Tx.AddRange] that the column's values obey.
	Constraint string
}

// TableSpec describes a table to create. Every table gets an integer
// primary key "fid", as GDAL names it.
type TableSpec struct {
	Name        string
	Identifier  string // a human-readable name; Name when empty
	Description string
	Columns     []Column
}

// FeatureSpec describes a feature table to create: a table with a
// geometry column and an R*Tree spatial index.
type FeatureSpec struct {
	TableSpec
	// GeometryColumn is the name of the geometry column; "geom" when empty.
	GeometryColumn string
	// GeometryType is the geometry type name: POINT, LINESTRING,
	// POLYGON, MULTIPOINT, MULTILINESTRING, MULTIPOLYGON,
	// GEOMETRYCOLLECTION or GEOMETRY (any).
	GeometryType string
	// SRSID is the srs_id of the table's coordinates; it must be in
	// gpkg_spatial_ref_sys.
	SRSID int32
}

var geometryTypes = []string{"GEOMETRY", "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION"}

// checkName refuses names GeoPackage reserves or SQLite cannot take.
func checkName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%w: empty", ErrName)
	case len(name) > 128:
		return fmt.Errorf("%w: %q is longer than 128 bytes", ErrName, name)
	case strings.HasPrefix(strings.ToLower(name), "gpkg_"), strings.HasPrefix(strings.ToLower(name), "sqlite_"), strings.HasPrefix(strings.ToLower(name), "rtree_"):
		return fmt.Errorf("%w: %q starts with a reserved prefix", ErrName, name)
	}
	for _, r := range name {
		if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return fmt.Errorf("%w: %q may hold only letters, digits and underscores", ErrName, name)
		}
	}
	return nil
}

// createTable creates the table and its gpkg_data_columns rows.
func (tx *Tx) createTable(ctx context.Context, spec TableSpec, geomCol, geomType string) error {
	if err := checkName(spec.Name); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM sqlite_master WHERE lower(name) = lower(?)`, spec.Name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("gpkg: table %s: %w", spec.Name, ErrExists)
	}
	defs := []string{`fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL`}
	if geomCol != "" {
		defs = append(defs, quote(geomCol)+" "+geomType)
	}
	for _, c := range spec.Columns {
		if err := checkName(c.Name); err != nil {
			return fmt.Errorf("gpkg: table %s: column: %w", spec.Name, err)
		}
		d := quote(c.Name) + " " + string(c.Type)
		if c.NotNull {
			d += " NOT NULL"
		}
		if c.Unique {
			d += " UNIQUE"
		}
		defs = append(defs, d)
	}
	if _, err := tx.Exec(ctx, "CREATE TABLE "+quote(spec.Name)+" (\n\t"+strings.Join(defs, ",\n\t")+")"); err != nil {
		return fmt.Errorf("gpkg: creating table %s: %w", spec.Name, err)
	}
	for _, c := range spec.Columns {
		if c.Title == "" && c.Description == "" && c.Constraint == "" {
			continue
		}
		_, err := tx.Exec(ctx, `INSERT INTO gpkg_data_columns (table_name, column_name, name, title, description, constraint_name)
			VALUES (?, ?, ?, ?, ?, ?)`, spec.Name, c.Name, c.Name, nullIfEmpty(c.Title), nullIfEmpty(c.Description), nullIfEmpty(c.Constraint))
		if err != nil {
			return fmt.Errorf("gpkg: describing column %s.%s: %w", spec.Name, c.Name, err)
		}
	}
	return nil
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CreateFeatureTable creates a feature table with its spatial index and
// lists it in gpkg_contents and gpkg_geometry_columns.
func (tx *Tx) CreateFeatureTable(ctx context.Context, spec FeatureSpec) error {
	if spec.GeometryColumn == "" {
		spec.GeometryColumn = "geom"
	}
	spec.GeometryType = strings.ToUpper(spec.GeometryType)
	if !slices.Contains(geometryTypes, spec.GeometryType) {
		return fmt.Errorf("%w: %q", ErrGeometryType, spec.GeometryType)
	}
	if err := checkName(spec.GeometryColumn); err != nil {
		return fmt.Errorf("gpkg: geometry column: %w", err)
	}
	if err := tx.createTable(ctx, spec.TableSpec, spec.GeometryColumn, spec.GeometryType); err != nil {
		return err
	}
	if err := tx.addContents(ctx, spec.TableSpec, "features", spec.SRSID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)`,
		spec.Name, spec.GeometryColumn, spec.GeometryType, spec.SRSID)
	if err != nil {
		return fmt.Errorf("gpkg: registering %s: %w", spec.Name, err)
	}
	return tx.createSpatialIndex(ctx, spec.Name, spec.GeometryColumn)
}

// CreateAttributesTable creates a table without geometry and lists it in
// gpkg_contents, so that GIS software shows it as a table.
func (tx *Tx) CreateAttributesTable(ctx context.Context, spec TableSpec) error {
	if err := tx.createTable(ctx, spec, "", ""); err != nil {
		return err
	}
	return tx.addContents(ctx, spec, "attributes", 0)
}

func (tx *Tx) addContents(ctx context.Context, spec TableSpec, dataType string, srsID int32) error {
	ident := spec.Identifier
	if ident == "" {
		ident = spec.Name
	}
	var srs any
	if dataType == "features" {
		srs = srsID
	}
	_, err := tx.Exec(ctx, `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, srs_id)
		VALUES (?, ?, ?, ?, ?, ?)`, spec.Name, dataType, ident, spec.Description, timestamp(time.Now()), srs)
	if err != nil {
		return fmt.Errorf("gpkg: registering %s: %w", spec.Name, err)
	}
	return nil
}

// timestamp formats a time as GeoPackage's DATETIME: ISO 8601 in UTC with
// milliseconds.
func timestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// createSpatialIndex creates the R*Tree of a geometry column, fills it
// from the rows already there, and adds the triggers of GeoPackage 1.3
// (annex F.3) that keep it in step with every insert, update and delete.
func (tx *Tx) createSpatialIndex(ctx context.Context, table, column string) error {
	rtree := quote("rtree_" + table + "_" + column)
	t, c := quote(table), quote(column)
	stmts := []string{
		fmt.Sprintf(`CREATE VIRTUAL TABLE %s USING rtree(id, minx, maxx, miny, maxy)`, rtree),
		fmt.Sprintf(`INSERT INTO %[1]s SELECT fid, ST_MinX(%[3]s), ST_MaxX(%[3]s), ST_MinY(%[3]s), ST_MaxY(%[3]s)
			FROM %[2]s WHERE %[3]s NOT NULL AND NOT ST_IsEmpty(%[3]s)`, rtree, t, c),
	}
	for _, suffix := range []string{"insert", "update1", "update2", "update3", "update4", "delete"} {
		stmts = append(stmts, rtreeTrigger(table, column, suffix))
	}
	for _, s := range stmts {
		if _, err := tx.Exec(ctx, s); err != nil {
			return fmt.Errorf("gpkg: spatial index of %s: %w", table, err)
		}
	}
	_, err := tx.Exec(ctx, `INSERT INTO gpkg_extensions VALUES (?, ?, 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')`,
		table, column)
	return err
}

// rtreeTrigger returns the statement that creates one of the triggers of
// a spatial index, named by its suffix.
func rtreeTrigger(table, column, suffix string) string {
	rtree := quote("rtree_" + table + "_" + column)
	t, c := quote(table), quote(column)
	name := quote("rtree_" + table + "_" + column + "_" + suffix)
	values := fmt.Sprintf(`NEW.fid, ST_MinX(NEW.%[1]s), ST_MaxX(NEW.%[1]s), ST_MinY(NEW.%[1]s), ST_MaxY(NEW.%[1]s)`, c)
	switch suffix {
	case "insert":
		return fmt.Sprintf(`CREATE TRIGGER %s AFTER INSERT ON %s WHEN (NEW.%s NOT NULL AND NOT ST_IsEmpty(NEW.%[3]s))
			BEGIN INSERT OR REPLACE INTO %s VALUES (%s); END`, name, t, c, rtree, values)
	case "update1":
		return fmt.Sprintf(`CREATE TRIGGER %s AFTER UPDATE OF %[3]s ON %[2]s WHEN OLD.fid = NEW.fid AND (NEW.%[3]s NOTNULL AND NOT ST_IsEmpty(NEW.%[3]s))
			BEGIN INSERT OR REPLACE INTO %s VALUES (%s); END`, name, t, c, rtree, values)
	case "update2":
		return fmt.Sprintf(`CREATE TRIGGER %s AFTER UPDATE OF %[3]s ON %[2]s WHEN OLD.fid = NEW.fid AND (NEW.%[3]s ISNULL OR ST_IsEmpty(NEW.%[3]s))
			BEGIN DELETE FROM %s WHERE id = OLD.fid; END`, name, t, c, rtree)
	case "update3":
		return fmt.Sprintf(`CREATE TRIGGER %s AFTER UPDATE ON %s WHEN OLD.fid != NEW.fid AND (NEW.%s NOTNULL AND NOT ST_IsEmpty(NEW.%[3]s))
			BEGIN DELETE FROM %[4]s WHERE id = OLD.fid; INSERT OR REPLACE INTO %[4]s VALUES (%s); END`, name, t, c, rtree, values)
	case "update4":
		return fmt.Sprintf(`CREATE TRIGGER %s AFTER UPDATE ON %s WHEN OLD.fid != NEW.fid AND (NEW.%s ISNULL OR ST_IsEmpty(NEW.%[3]s))
			BEGIN DELETE FROM %s WHERE id IN (OLD.fid, NEW.fid); END`, name, t, c, rtree)
	default: // delete
		return fmt.Sprintf(`CREATE TRIGGER %s AFTER DELETE ON %s WHEN OLD.%s NOT NULL
			BEGIN DELETE FROM %s WHERE id = OLD.fid; END`, name, t, c, rtree)
	}
}

// EnumValue is one allowed value of an enumerated column, with the text
// GIS software shows for it.
type EnumValue struct {
	Value       string
	Description string
}

// AddEnum records a list of allowed values under a constraint name, for
// columns to refer to (GeoPackage's schema extension; GDAL reads it as a
// coded field domain, which QGIS shows as a drop-down list).
func (tx *Tx) AddEnum(ctx context.Context, name string, values []EnumValue) error {
	for _, v := range values {
		_, err := tx.Exec(ctx, `INSERT INTO gpkg_data_column_constraints (constraint_name, constraint_type, value, description)
			VALUES (?, 'enum', ?, ?)`, name, v.Value, nullIfEmpty(v.Description))
		if err != nil {
			return fmt.Errorf("gpkg: constraint %s: %w", name, err)
		}
	}
	return nil
}

// AddRange records a numeric range under a constraint name, both ends
// included, for columns to refer to.
func (tx *Tx) AddRange(ctx context.Context, name string, min, max float64, description string) error {
	_, err := tx.Exec(ctx, `INSERT INTO gpkg_data_column_constraints
		(constraint_name, constraint_type, value, min, min_is_inclusive, max, max_is_inclusive, description)
		VALUES (?, 'range', NULL, ?, 1, ?, 1, ?)`, name, min, max, nullIfEmpty(description))
	if err != nil {
		return fmt.Errorf("gpkg: constraint %s: %w", name, err)
	}
	return nil
}

// AddExtension records that a table uses an extension, so that other
// software knows the table is not plain GeoPackage. Names of extensions
// outside the standard have the form author_name.
func (tx *Tx) AddExtension(ctx context.Context, table, extension, definition, scope string) error {
	_, err := tx.Exec(ctx, `INSERT OR IGNORE INTO gpkg_extensions VALUES (?, NULL, ?, ?, ?)`, table, extension, definition, scope)
	return err
}
