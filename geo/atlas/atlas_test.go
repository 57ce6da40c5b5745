package atlas_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ecoatlas/ecoatlas/assets"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/paulmach/orb"
)

func defaultStyle(t *testing.T) *style.Style {
	t.Helper()
	st, err := style.Parse(assets.DefaultStyle)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestLoad_embeddedMap(t *testing.T) {
	st := defaultStyle(t)
	a, err := atlas.Load(context.Background(), st, assets.Data())
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Sources) != len(st.Sources) {
		t.Fatalf("loaded %d sources, the style has %d", len(a.Sources), len(st.Sources))
	}
	if a.Sources["hillshade"].Relief == nil || a.Sources["countries"].Vector.Len() != 19 {
		t.Errorf("hillshade or countries not loaded as expected")
	}
	sc := a.Scene(st, "ru")
	if len(sc.Layers) != len(st.Layers) || !slices.Equal(sc.Names, st.NameChain("ru")) || sc.Names[0] != "ru" {
		t.Errorf("scene has %d layers (want %d) and names %q", len(sc.Layers), len(st.Layers), sc.Names)
	}
	// The five countries lie inside the extent of what the map shows.
	ext := a.Extent(st)
	for _, p := range []orb.Point{{46.48, 40.58}, {87.32, 55.43}, {60, 35.14}} {
		if !ext.Contains(p) {
			t.Errorf("extent %v does not contain %v", ext, p)
		}
	}
}

func TestLoad_errorsNameSourceAndFile(t *testing.T) {
	st, err := style.Parse([]byte(`{"sources":{"rivers":{"kind":"vector","path":"rivers.geojson"},
		"relief":{"kind":"hillshade","path":"relief.png"}},"layers":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	for name, fsys := range map[string]fstest.MapFS{
		"missing file": {},
		"broken json":  {"rivers.geojson": {Data: []byte(`{"type":"FeatureCollection","features":[{]}`)}, "relief.png": {Data: []byte("x")}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := atlas.Load(context.Background(), st, fsys)
			if err == nil || !(strings.Contains(err.Error(), "rivers") || strings.Contains(err.Error(), "relief")) {
				t.Errorf("error %v does not name the source", err)
			}
		})
	}
}

func TestAddVector_uniqueIDsOnTop(t *testing.T) {
	st, err := style.Parse([]byte(`{"sources":{},"layers":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	a, err := atlas.Load(context.Background(), st, fstest.MapFS{})
	if err != nil {
		t.Fatal(err)
	}
	lines := layer.NewVector([]layer.Feature{{Geometry: orb.LineString{{60, 40}, {61, 41}}}})
	first := a.AddVector("sites", "a/sites.geojson", lines)
	second := a.AddVector("sites", "b/sites.geojson", lines)
	if first == second || second != "sites_2" {
		t.Errorf("ids %q and %q, want sites and sites_2", first, second)
	}
	if n := len(a.Style.Layers); n != 2 || a.Style.Layers[1].ID != second {
		t.Fatalf("layers %+v: the newest file must be drawn on top", a.Style.Layers)
	}
	if c, want := a.Style.Layers[0].Rules[0].Stroke.Color, style.PlainLines("l", "l", "l").Rules[0].Stroke.Color; c != want {
		t.Errorf("a line file got stroke %v, want the plain line's %v", c, want)
	}
}
