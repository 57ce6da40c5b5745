package atlas

import (
	"context"

	"github.com/ecoatlas/ecoatlas/geo/formats"
)

// AddFile reads a data file of any format package formats reads
// (GeoJSON, GeoPackage, Shapefile, KML, KMZ, GPX, CSV), reprojected to
// lon/lat, and adds each of its layers on top of the map in a plain
// style, returning the new layers' ids. Options are those of
// formats.Read; by default a feature that cannot be read refuses the
// file.
func (a *Atlas) AddFile(ctx context.Context, path string, o formats.Options) ([]string, error) {
	data, err := formats.Read(ctx, path, o)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(data.Layers))
	for _, l := range data.Layers {
		ids = append(ids, a.AddVector(l.Name, path, l.Vector))
	}
	return ids, nil
}
