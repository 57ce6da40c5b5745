package gpkg_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ecoatlas/ecoatlas/geo/gpkg"
	"github.com/paulmach/orb"
)

// A GeoPackage with one feature table, written in one transaction and read
// back through its spatial index.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "gpkg-example")
	defer os.RemoveAll(dir)
	db, err := gpkg.Create(ctx, filepath.Join(dir, "places.gpkg"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	err = db.Update(ctx, func(tx *gpkg.Tx) error {
		spec := gpkg.FeatureSpec{
			TableSpec:    gpkg.TableSpec{Name: "towns", Columns: []gpkg.Column{{Name: "name", Type: gpkg.Text}}},
			GeometryType: "POINT", SRSID: gpkg.WGS84.ID,
		}
		if err := tx.CreateFeatureTable(ctx, spec); err != nil {
			return err
		}
		ins, err := tx.NewInserter(ctx, "towns", []string{"name"})
		if err != nil {
			return err
		}
		_, err = ins.Insert(ctx, orb.Point{69.6, 41.05}, "Almalyk")
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	towns, _ := db.Table(ctx, "towns", gpkg.TableOptions{})
	for f, err := range towns.Search(ctx, orb.Bound{Min: orb.Point{69, 41}, Max: orb.Point{70, 42}}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(f.ID, f.Properties.String("name"), f.Geometry)
	}
	// Output: 1 Almalyk [69.6 41.05]
}
