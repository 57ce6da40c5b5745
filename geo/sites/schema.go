package sites

import (
	"context"
	"fmt"

	"github.com/ecoatlas/ecoatlas/geo/gpkg"
)

// Table names. The three user tables are listed in gpkg_contents, so GIS
// software shows them; the ecoatlas_ tables are internal and registered
// as an extension.
const (
	SitesTable       = "tailings_sites"
	InspectionsTable = "inspections"
	PhotosTable      = "photos"
	photoFilesTable  = "photo_files"
)

// metaColumns are the columns every record table has after its fields.
var metaColumns = []gpkg.Column{
	{Name: ColCreatedAt, Type: gpkg.DateTime, Title: "Created"},
	{Name: ColCreatedBy, Type: gpkg.Text, Title: "Created by"},
	{Name: ColModifiedAt, Type: gpkg.DateTime, Title: "Modified"},
	{Name: ColModifiedBy, Type: gpkg.Text, Title: "Modified by"},
}

// columnsOf turns field descriptions into table columns, each Choice with
// its list of allowed values and each Number with its range recorded as
// constraints (GDAL and QGIS show them as field domains).
func columnsOf(table string, fields []Field) []gpkg.Column {
	cols := make([]gpkg.Column, 0, len(fields)+len(metaColumns))
	for _, f := range fields {
		c := gpkg.Column{Name: f.Name, Type: gpkg.Text, NotNull: f.Required, Title: f.Label}
		switch f.Kind {
		case Number:
			c.Type = gpkg.Real
			c.Constraint = table + "_" + f.Name + "_range"
		case Date:
			c.Type = gpkg.Date
		case Choice:
			c.Constraint = table + "_" + f.Name
		}
		if f.Unit != "" {
			c.Description = "in " + f.Unit
		}
		cols = append(cols, c)
	}
	return append(cols, metaColumns...)
}

// constraints records the lists and ranges of the fields.
func constraints(ctx context.Context, tx *gpkg.Tx, table string, fields []Field) error {
	for _, f := range fields {
		switch f.Kind {
		case Choice:
			values := make([]gpkg.EnumValue, len(f.Options))
			for i, o := range f.Options {
				values[i] = gpkg.EnumValue{Value: o.Code, Description: o.Label}
			}
			if err := tx.AddEnum(ctx, table+"_"+f.Name, values); err != nil {
				return err
			}
		case Number:
			if err := tx.AddRange(ctx, table+"_"+f.Name+"_range", f.Min, f.Max, f.Unit); err != nil {
				return err
			}
		}
	}
	return nil
}

// internalSchema creates the store's own tables.
var internalSchema = []string{
	// Every content hash a record has had, for merges to tell an old
	// copy of a record from an edited one.
	`CREATE TABLE ecoatlas_versions (
		table_name TEXT NOT NULL,
		uuid TEXT NOT NULL,
		hash TEXT NOT NULL,
		PRIMARY KEY (table_name, uuid, hash)) WITHOUT ROWID`,
	// Forms being typed, saved as the user types and offered back after
	// a crash.
	`CREATE TABLE ecoatlas_drafts (
		key TEXT PRIMARY KEY,
		kind TEXT NOT NULL,
		subject TEXT NOT NULL,
		position TEXT,
		form TEXT NOT NULL,
		saved_at DATETIME NOT NULL)`,
	// Records edited on both sides of a merge, until the user resolves
	// them.
	`CREATE TABLE ecoatlas_conflicts (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		table_name TEXT NOT NULL,
		uuid TEXT NOT NULL,
		ours TEXT NOT NULL,
		theirs TEXT NOT NULL,
		their_hash TEXT NOT NULL,
		source TEXT NOT NULL,
		found_at DATETIME NOT NULL,
		resolved_at DATETIME,
		resolution TEXT)`,
	`CREATE INDEX ecoatlas_conflicts_open ON ecoatlas_conflicts (resolved_at, table_name, uuid)`,
	`CREATE INDEX inspections_site ON inspections (site_uuid)`,
	`CREATE INDEX photos_site ON photos (site_uuid)`,
}

const extensionDefinition = "Ecoatlas inspectors' store: ecoatlas_versions (content hashes of past record states, " +
	"for merging), ecoatlas_drafts (unsaved forms), ecoatlas_conflicts (records edited on both sides of a merge)."

// createSchema creates the tables of an empty store.
func createSchema(ctx context.Context, tx *gpkg.Tx) error {
	for _, c := range []struct {
		table  string
		fields []Field
	}{{SitesTable, SiteFields}, {InspectionsTable, InspectionFields}} {
		if err := constraints(ctx, tx, c.table, c.fields); err != nil {
			return err
		}
	}
	siteCols := append([]gpkg.Column{{Name: ColUUID, Type: gpkg.Text, NotNull: true, Unique: true, Title: "UUID"}}, columnsOf(SitesTable, SiteFields)...)
	err := tx.CreateFeatureTable(ctx, gpkg.FeatureSpec{
		TableSpec: gpkg.TableSpec{
			Name: SitesTable, Identifier: "Tailings storage facilities and pollution sources",
			Description: "Sites inspected under clause 14 of the declaration \"Environmental solidarity of Central Asia\"",
			Columns:     siteCols,
		},
		GeometryType: "POINT",
		SRSID:        gpkg.WGS84.ID,
	})
	if err != nil {
		return err
	}
	inspectionCols := append([]gpkg.Column{
		{Name: ColUUID, Type: gpkg.Text, NotNull: true, Unique: true, Title: "UUID"},
		{Name: ColSiteUUID, Type: gpkg.Text, NotNull: true, Title: "Site", Description: "uuid of the site in " + SitesTable},
	}, columnsOf(InspectionsTable, InspectionFields)...)
	err = tx.CreateAttributesTable(ctx, gpkg.TableSpec{Name: InspectionsTable, Identifier: "Inspections", Columns: inspectionCols})
	if err != nil {
		return err
	}
	err = tx.CreateAttributesTable(ctx, gpkg.TableSpec{Name: PhotosTable, Identifier: "Photos", Columns: []gpkg.Column{
		{Name: ColUUID, Type: gpkg.Text, NotNull: true, Unique: true, Title: "UUID"},
		{Name: ColSiteUUID, Type: gpkg.Text, NotNull: true, Title: "Site", Description: "uuid of the site in " + SitesTable},
		{Name: "inspection_uuid", Type: gpkg.Text, Title: "Inspection", Description: "uuid of the inspection, if the photo belongs to one"},
		{Name: "file_name", Type: gpkg.Text, NotNull: true, Title: "File name"},
		{Name: "content_type", Type: gpkg.Text, NotNull: true, Title: "Content type"},
		{Name: "sha256", Type: gpkg.Text, NotNull: true, Title: "SHA-256", Description: "checksum of the data in " + photoFilesTable},
		{Name: "size", Type: gpkg.Integer, NotNull: true, Title: "Size", Description: "in bytes"},
		{Name: "caption", Type: gpkg.Text, Title: "Caption"},
		metaColumns[0], metaColumns[1],
	}})
	if err != nil {
		return err
	}
	err = tx.CreateAttributesTable(ctx, gpkg.TableSpec{Name: photoFilesTable, Identifier: "Photo files",
		Description: "image data of the photos, once per content, keyed by SHA-256", Columns: []gpkg.Column{
			{Name: "sha256", Type: gpkg.Text, NotNull: true, Unique: true, Title: "SHA-256"},
			{Name: "content_type", Type: gpkg.Text, NotNull: true},
			{Name: "data", Type: gpkg.Blob, NotNull: true},
		}})
	if err != nil {
		return err
	}
	for _, s := range internalSchema {
		if _, err := tx.Exec(ctx, s); err != nil {
			return fmt.Errorf("sites: creating the store: %w", err)
		}
	}
	for _, t := range []string{"ecoatlas_versions", "ecoatlas_drafts", "ecoatlas_conflicts"} {
		if err := tx.AddExtension(ctx, t, "ecoatlas_sites", extensionDefinition, "read-write"); err != nil {
			return err
		}
	}
	return nil
}
