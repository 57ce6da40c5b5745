package atlas_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/assets"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/tilepack"
)

const tilepackData = "../tilepack/testdata"

func TestTileStyles(t *testing.T) {
	for name, doc := range map[string][]byte{"OpenMapTiles": assets.OpenMapTilesStyle, "Protomaps": assets.ProtomapsStyle} {
		st, err := style.Parse(doc)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var names []string
		for _, l := range st.Layers {
			if l.SourceLayer == "" {
				t.Errorf("%s: layer %q has no source_layer", name, l.ID)
			}
			names = append(names, l.SourceLayer)
		}
		if got := atlas.Schema(names); string(got) != strings.ToLower(name) {
			t.Errorf("the layers of the %s style are taken for schema %q", name, got)
		}
	}
}

func TestLoad_tilePackages(t *testing.T) {
	doc := `{
		"background": "#ffffff",
		"sources": {
			"grid": {"kind": "pmtiles", "path": "raster.pmtiles"},
			"omt": {"kind": "mbtiles", "path": "vector_omt.mbtiles", "attribution": "OMT"}
		},
		"layers": [
			{"id": "grid", "source": "grid", "rules": []},
			{"id": "lakes", "source": "omt", "source_layer": "water", "rules": [{"fill": "#0000ff"}]}
		]
	}`
	st, err := style.Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	a, err := atlas.Load(context.Background(), st, os.DirFS(tilepackData))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	sc := a.Scene(st, "en")
	if len(sc.Layers) != 2 || sc.Layers[0].Tiles == nil || sc.Layers[1].Tiles == nil {
		t.Fatalf("scene layers %+v, want both bound to their packages", sc.Layers)
	}
	if md := sc.Layers[1].Tiles.Metadata(); md.Format != tilepack.FormatMVT {
		t.Errorf("the vector package reads as %q", md.Format)
	}
	// The style's credit stands; a package without one gets its own.
	if got := st.Sources["omt"].Attribution; got != "OMT" {
		t.Errorf("the vector package is credited %q, want the style's %q", got, "OMT")
	}
	if got := st.Sources["grid"].Attribution; got != "© Graticule makers" {
		t.Errorf("the raster package is credited %q, want its own attribution", got)
	}

	for _, tc := range []struct{ name, layers, want string }{
		{"no source layer", `{"id": "x", "source": "omt", "rules": []}`, "say which of its layers"},
		{"unknown source layer", `{"id": "x", "source": "omt", "source_layer": "roads", "rules": []}`, `no layer "roads"; its layers are landcover, water`},
		{"source layer of a raster", `{"id": "x", "source": "grid", "source_layer": "water", "rules": []}`, "holds raster tiles"},
	} {
		bad := strings.Replace(doc, `{"id": "grid", "source": "grid", "rules": []},`, tc.layers+",", 1)
		st, err := style.Parse([]byte(bad))
		if err != nil {
			t.Fatal(err)
		}
		_, err = atlas.Load(context.Background(), st, os.DirFS(tilepackData))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Load = %v, want an error saying %q", tc.name, err, tc.want)
		}
	}
}

func TestAddTiles(t *testing.T) {
	open := func(name string) *tilepack.Tiles {
		a, err := tilepack.Open(tilepackData + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return tilepack.NewTiles(a, 0)
	}
	a, err := atlas.Load(context.Background(), defaultStyle(t), assets.Data())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()

	ids, err := a.AddTiles(context.Background(), "grid", open("raster.mbtiles"), atlas.TileOptions{Opacity: 0.6, Below: "rivers"})
	if err != nil {
		t.Fatal(err)
	}
	rivers := slices.IndexFunc(a.Style.Layers, func(l style.Layer) bool { return l.ID == "rivers" })
	if len(ids) != 1 || a.Style.Layers[rivers-1].ID != ids[0] || a.Style.Layers[rivers-1].Opacity != 0.6 {
		t.Errorf("raster package added as %v, not right under the rivers at opacity 0.6", ids)
	}
	if src := a.Style.Sources["grid"]; src.Kind != style.SourceMBTiles || src.Attribution != "© Graticule makers" {
		t.Errorf("source %+v, want an mbtiles source credited to the package's plain-text attribution", src)
	}

	for _, tc := range []struct {
		file, first string
		layers      int
	}{
		// The default styles' layers that the packages have data for.
		{"vector_omt.mbtiles", "omt/landcover", 6},
		{"vector_protomaps.pmtiles", "omt_2/earth", 6},
	} {
		ids, err := a.AddTiles(context.Background(), "omt", open(tc.file), atlas.TileOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) != tc.layers || ids[0] != tc.first {
			t.Errorf("%s: added layers %v, want %d from %s", tc.file, ids, tc.layers, tc.first)
		}
		if last := a.Style.Layers[len(a.Style.Layers)-1]; last.ID != ids[len(ids)-1] {
			t.Errorf("%s: the package is not on top (the top layer is %q)", tc.file, last.ID)
		}
	}
	grid := open("raster.pmtiles")
	defer grid.Close()
	if _, err := a.AddTiles(context.Background(), "x", grid, atlas.TileOptions{Below: "nowhere"}); err == nil {
		t.Error("AddTiles under a missing layer succeeded")
	}
}
