package tilepack_test

import (
	"context"
	"fmt"
	"slices"

	"github.com/ecoatlas/ecoatlas/geo/tilepack"
)

// Example opens a vector tile package, MBTiles or PMTiles alike, and
// reads the places of the tile over Tashkent.
func Example() {
	a, err := tilepack.Open("testdata/vector_omt.mbtiles")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer a.Close()
	md := a.Metadata()
	fmt.Printf("%s: %s tiles, zooms %d–%d, layers %v\n", md.Name, md.Format, md.MinZoom, md.MaxZoom, md.VectorLayers)

	id := tilepack.ID{Z: 6, X: 44, Y: 23}
	data, err := a.Tile(context.Background(), id)
	if err != nil {
		fmt.Println(err)
		return
	}
	vt, err := tilepack.DecodeVector(data, id)
	if err != nil {
		fmt.Println(err)
		return
	}
	var names []string
	for _, f := range vt.Layers["place"] {
		names = append(names, f.Properties.String("name"))
	}
	slices.Sort(names)
	fmt.Println(names)
	// Output:
	// Sample OpenMapTiles: pbf tiles, zooms 3–6, layers [landcover water waterway transportation boundary place]
	// [Tashkent]
}
