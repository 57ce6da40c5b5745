package gpkg

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// SRS is a row of gpkg_spatial_ref_sys: a coordinate reference system a
// feature table's coordinates are in.
type SRS struct {
	ID           int32
	Name         string
	Organization string // "EPSG", "NONE", …
	// OrganizationID is the system's code at the organization, such as
	// 4326 at EPSG.
	OrganizationID int32
	// Definition is the system's OGC WKT, or "undefined".
	Definition  string
	Description string
}

// CRS returns the reference system in the form a PROJ-based transformer
// takes: "EPSG:N" when an authority code names it, else its WKT; "" for
// the undefined systems 0 and -1.
func (s SRS) CRS() string {
	switch {
	case s.Organization != "" && !strings.EqualFold(s.Organization, "NONE") && s.OrganizationID > 0:
		return strings.ToUpper(s.Organization) + ":" + strconv.Itoa(int(s.OrganizationID))
	case s.Definition != "" && !strings.EqualFold(s.Definition, "undefined"):
		return s.Definition
	default:
		return ""
	}
}

// IsLonLat reports whether coordinates in the system are WGS 84 longitude
// and latitude, which the map takes without reprojection. The undefined
// geographic system 0 counts, as GDAL writes it for unknown lon/lat data.
func (s SRS) IsLonLat() bool {
	return s.ID == 0 || strings.EqualFold(s.Organization, "EPSG") && s.OrganizationID == 4326
}

// WGS84 is EPSG:4326, the system of the map's longitude and latitude.
var WGS84 = SRS{
	ID: 4326, Name: "WGS 84 geodetic", Organization: "EPSG", OrganizationID: 4326,
	Definition: `GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],` +
		`AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],` +
		`UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]`,
	Description: "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid",
}

// The two undefined systems every GeoPackage lists.
var (
	undefinedCartesian  = SRS{ID: -1, Name: "Undefined cartesian SRS", Organization: "NONE", OrganizationID: -1, Definition: "undefined", Description: "undefined cartesian coordinate reference system"}
	undefinedGeographic = SRS{ID: 0, Name: "Undefined geographic SRS", Organization: "NONE", OrganizationID: 0, Definition: "undefined", Description: "undefined geographic coordinate reference system"}
)

// AddSRS adds a spatial reference system; one with the same srs_id is
// left as it is.
func (tx *Tx) AddSRS(ctx context.Context, s SRS) error {
	_, err := tx.Exec(ctx, `INSERT OR IGNORE INTO gpkg_spatial_ref_sys
		(srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES (?, ?, ?, ?, ?, ?)`,
		s.Name, s.ID, s.Organization, s.OrganizationID, s.Definition, s.Description)
	if err != nil {
		return fmt.Errorf("gpkg: adding srs %d: %w", s.ID, err)
	}
	return nil
}

// SRS returns the spatial reference system with an srs_id.
func (db *DB) SRS(ctx context.Context, id int32) (SRS, error) {
	s := SRS{ID: id}
	var desc sql.NullString
	err := db.sql.QueryRowContext(ctx, `SELECT srs_name, organization, organization_coordsys_id, definition, description
		FROM gpkg_spatial_ref_sys WHERE srs_id = ?`, id).Scan(&s.Name, &s.Organization, &s.OrganizationID, &s.Definition, &desc)
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("gpkg: %s: srs_id %d is not in gpkg_spatial_ref_sys", db.path, id)
	}
	if err != nil {
		return s, fmt.Errorf("gpkg: %s: %w", db.path, err)
	}
	s.Description = desc.String
	return s, nil
}
