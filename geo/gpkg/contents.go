package gpkg

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/paulmach/orb"
)

// Contents is a table listed in gpkg_contents.
type Contents struct {
	Table string
	// DataType is "features", "attributes" or "tiles" (or an
	// extension's type).
	DataType    string
	Identifier  string
	Description string
	// LastChange is the table's last change as written, in ISO 8601.
	LastChange string
	// Extent is the bound the GeoPackage records for the features, in
	// the table's coordinates; HasExtent is false when none is recorded.
	Extent    orb.Bound
	HasExtent bool
	SRSID     int32
	// GeometryColumn and GeometryType are those of a feature table.
	GeometryColumn string
	GeometryType   string
}

// Contents lists the tables of the GeoPackage, features first, each kind
// in the order of its table names.
func (db *DB) Contents(ctx context.Context) ([]Contents, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT c.table_name, c.data_type, c.identifier, c.description, CAST(c.last_change AS TEXT),
			c.min_x, c.min_y, c.max_x, c.max_y, c.srs_id, g.column_name, g.geometry_type_name
		FROM gpkg_contents c LEFT JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
		ORDER BY c.data_type != 'features', c.table_name`)
	if err != nil {
		return nil, fmt.Errorf("gpkg: %s: %w", db.path, err)
	}
	defer rows.Close()
	var out []Contents
	for rows.Next() {
		c, err := scanContents(rows)
		if err != nil {
			return nil, fmt.Errorf("gpkg: %s: %w", db.path, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("gpkg: %s: %w", db.path, err)
	}
	return out, nil
}

// TableContents returns the gpkg_contents entry of one table, matching
// its name without regard to case as SQLite does.
func (db *DB) TableContents(ctx context.Context, table string) (Contents, error) {
	all, err := db.Contents(ctx)
	if err != nil {
		return Contents{}, err
	}
	for _, c := range all {
		if strings.EqualFold(c.Table, table) {
			return c, nil
		}
	}
	return Contents{}, fmt.Errorf("gpkg: %s: %w: %q", db.path, ErrNoTable, table)
}

func scanContents(rows *sql.Rows) (Contents, error) {
	var (
		c                      Contents
		ident, desc, change    sql.NullString
		minX, minY, maxX, maxY sql.NullFloat64
		srs                    sql.NullInt32
		geomCol, geomType      sql.NullString
	)
	err := rows.Scan(&c.Table, &c.DataType, &ident, &desc, &change, &minX, &minY, &maxX, &maxY, &srs, &geomCol, &geomType)
	if err != nil {
		return c, err
	}
	c.Identifier, c.Description, c.LastChange = ident.String, desc.String, change.String
	if minX.Valid && minY.Valid && maxX.Valid && maxY.Valid {
		c.Extent = orb.Bound{Min: orb.Point{minX.Float64, minY.Float64}, Max: orb.Point{maxX.Float64, maxY.Float64}}
		c.HasExtent = true
	}
	c.SRSID = srs.Int32
	c.GeometryColumn, c.GeometryType = geomCol.String, geomType.String
	return c, nil
}
