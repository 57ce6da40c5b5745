// Package gpkg reads and writes OGC GeoPackage 1.3 files: SQLite
// databases (through the pure-Go modernc.org/sqlite, so no C compiler is
// needed) holding feature tables, their spatial reference systems and an
// R*Tree spatial index per geometry column.
//
// What it does:
//
//   - [Create] makes a GeoPackage with the mandatory tables and reference
//     systems, [Open] opens one for writing (in write-ahead-log mode with a
//     sync at every commit, so a committed transaction survives a crash or
//     a power cut), [OpenReadOnly] opens any GeoPackage without writing.
//   - [DB.Update] runs a function in one write transaction: all of it is
//     committed, or none.
//   - [Tx.CreateFeatureTable] creates a feature table with its spatial
//     index and the standard triggers that keep the index in step with
//     every insert, update and delete; the SQL functions those triggers
//     call (ST_MinX and the like) are registered on this package's own
//     connections. [Tx.AddEnum] and [Tx.AddRange] record allowed values
//     (the schema extension), which GDAL reads as field domains.
//   - [Table] is a [layer.FeatureSource] over any feature table of any
//     GeoPackage: searches go through the spatial index and always see
//     the latest commit. [Table.Load] reads a whole table into memory on
//     all cores, for drawing big files.
//   - [EncodeGeometry] and [DecodeGeometry] convert between orb geometries
//     and GeoPackage geometry blobs (see blob.go for the layout).
//
// Geometries are written through go-geom's WKB encoder (points, which make
// up stores of sites, directly). They are read by a
// WKB reader of this package (wkb.go says why), which the fuzz tests
// check against go-geom's decoder. Z and M are read and dropped; orb
// geometries are two-dimensional.
//
// Tables whose coordinates are not WGS 84 lon/lat are read with a
// transform the caller supplies ([LoadOptions.Transform]), so that this
// package needs no PROJ; [SRS.CRS] gives the reference system to build
// the transform from.
package gpkg
