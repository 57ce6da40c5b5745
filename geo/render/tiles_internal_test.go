package render

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/tilepack"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// TestSearch_vectorTilesOnce checks that the features labels are made
// from come once each, though the package has a copy of every city in
// the buffers of its neighbours and of every line in each tile it
// crosses.
func TestSearch_vectorTilesOnce(t *testing.T) {
	a, err := tilepack.Open(filepath.Join("..", "tilepack", "testdata", "vector_omt.mbtiles"))
	if err != nil {
		t.Fatal(err)
	}
	tiles := tilepack.NewTiles(a, 0)
	defer tiles.Close()
	// At zoom 6 the view spans a dozen tiles.
	vp := viewport.New(orb.Point{69, 42.5}, 6.3, 1400, 800, 1)
	for _, tc := range []struct {
		sourceLayer string
		want        map[string]int // features by name or class
	}{
		{"place", map[string]int{"Tashkent": 1, "Bishkek": 1, "Almaty": 1, "Samarkand": 1, "Nukus": 1, "Kyzylorda": 1}},
		{"waterway", map[string]int{"Syr Darya": 1}},
	} {
		l := &Layer{Style: &style.Layer{ID: tc.sourceLayer, SourceLayer: tc.sourceLayer}, Tiles: tiles}
		features, err := searchTiles(context.Background(), l, vp.Bound(), vp.Zoom)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, f := range features {
			got[f.Properties.String("name")]++
		}
		for name, n := range tc.want {
			if got[name] != n {
				t.Errorf("%s: %q comes %d times, want %d (all: %v)", tc.sourceLayer, name, got[name], n, got)
			}
		}
	}
}
