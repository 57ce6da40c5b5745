package gpkg

import "errors"

// Errors for errors.Is.
var (
	// ErrGeometryBlob is a geometry value that is not a valid GeoPackage
	// geometry blob: a wrong header, a truncated or malformed WKB body.
	ErrGeometryBlob = errors.New("gpkg: invalid geometry blob")
	// ErrGeometryType is a geometry of a type a GeoPackage cannot hold.
	ErrGeometryType = errors.New("gpkg: unsupported geometry type")
	// ErrNotGeoPackage is a file that is not a SQLite database or lacks
	// the tables every GeoPackage has.
	ErrNotGeoPackage = errors.New("gpkg: not a GeoPackage")
	// ErrNoTable is a table that the GeoPackage does not list in
	// gpkg_contents.
	ErrNoTable = errors.New("gpkg: no such table")
	// ErrExists is a file or table that is there already.
	ErrExists = errors.New("gpkg: already exists")
	// ErrReadOnly is a write to a GeoPackage opened read-only.
	ErrReadOnly = errors.New("gpkg: opened read-only")
	// ErrName is a table or column name that is empty, too long, or
	// starts with a reserved prefix.
	ErrName = errors.New("gpkg: invalid name")
	// ErrNotLonLat is a table whose coordinates are not WGS 84 lon/lat,
	// loaded without a transform.
	ErrNotLonLat = errors.New("gpkg: table is not in WGS 84 lon/lat")
)
