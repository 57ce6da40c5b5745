package fetch_test

import (
	"context"
	"fmt"
	"image/color"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/ecoatlas/ecoatlas/geo/tilepack"
	"github.com/ecoatlas/ecoatlas/geo/tilepack/fetch"
	"github.com/ecoatlas/ecoatlas/geo/tilepack/tiletest"
	"github.com/paulmach/orb"
)

// Example prepares Tashkent and its surroundings at zooms 8 to 10 from a
// tile server (here a local one): estimate first, then download.
func Example() {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var id tilepack.ID
		fmt.Sscanf(r.URL.Path, "/%d/%d/%d.png", &id.Z, &id.X, &id.Y)
		w.Write(tiletest.Graticule(id, color.NRGBA{255, 255, 255, 255}, 1))
	}))
	defer server.Close()
	dir, _ := os.MkdirTemp("", "fetch")
	defer os.RemoveAll(dir)

	area := fetch.Area{Bound: orb.Bound{Min: orb.Point{69.0, 41.1}, Max: orb.Point{69.5, 41.5}}, MinZoom: 8, MaxZoom: 10}
	template, err := fetch.ParseTemplate(server.URL + "/{z}/{x}/{y}.png")
	if err != nil {
		fmt.Println(err)
		return
	}
	estimate := fetch.EstimateOf(area, template)
	fmt.Printf("%d tiles, about %d kB\n", estimate.Tiles, estimate.Bytes/1000)

	result, err := fetch.Download(context.Background(), area, template, filepath.Join(dir, "tashkent.mbtiles"), fetch.Options{RequestsPerSecond: 100})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d stored, %d failed\n", result.Stored, result.Failed)
	// Output:
	// 6 tiles, about 120 kB
	// 6 stored, 0 failed
}
