// Package sites is the inspectors' store of tailings storage facilities
// and other pollution sources (clause 14 of the declaration): a
// GeoPackage with the sites, their inspections and photos, kept so that
// no confirmed edit is ever lost.
//
// The store is a [gpkg] GeoPackage that QGIS and GDAL open as it is:
//
//   - tailings_sites, a point layer in WGS 84: a uuid, the attributes of
//     [SiteFields] (the columns the embedded tailings layer and its style
//     use: name, name_ru, type, coord_precision, …, plus hazard class after
//     GISTM, volume, area, dam height, operator) and who created and last
//     modified each site when. The lists of allowed values and the ranges
//     are written as GeoPackage constraints, which GIS software shows as
//     drop-down lists;
//   - inspections and photos, tables related to sites by site_uuid;
//     photo data is kept once per content in photo_files under its
//     SHA-256, and checked against it when read;
//   - internal tables: the undo history ([edit.History]), drafts of
//     forms, content hashes of records' earlier states, and conflicts
//     found by merges.
//
// Every edit ([Store.AddSite], [Store.MoveSite], [Store.Import],
// [Store.Merge], …) validates first, then is one SQLite transaction in
// write-ahead-log mode, synced before the call returns, and one undoable
// step. Validation returns a [*ValidationError] whose [FieldError]s name
// the field, the value and the reason, for a form to show next to each
// field; the same rules serve the app's forms, the CLI and imports.
//
// The app keeps its working store at [DefaultPath]; [Open] creates it on
// first use from the embedded tailings layer, giving each site a UUID
// derived from its id, so that stores created on different machines share
// their sites' UUIDs and merge. Merges match records by UUID and never
// overwrite an edit silently (see merge.go).
package sites
