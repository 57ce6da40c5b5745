package atlas_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/sites"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// TestUseLive_drawsTheStore draws the embedded map with its tailings
// layers reading the inspectors' store: a site added after the map was
// loaded shows at the next render, in the tailings layer's symbol, and is
// gone after an undo.
func TestUseLive_drawsTheStore(t *testing.T) {
	ctx := context.Background()
	a, err := atlas.LoadDefault(ctx)
	if err != nil {
		t.Fatal(err)
	}
	store, err := sites.CreateEmpty(ctx, filepath.Join(t.TempDir(), "sites.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := a.UseLive("tailings", store.Source()); err != nil {
		t.Fatal(err)
	}
	if err := a.UseLive("nowhere", store.Source()); err == nil {
		t.Error("UseLive took a source the style does not have")
	}
	site := sites.NewSite(orb.Point{61.5, 43.2}) // in the desert west of the Aral, away from other symbols
	site.Values["name"] = "Test site"
	if _, err := store.AddSite(ctx, site, sites.EditOptions{By: "test"}); err != nil {
		t.Fatal(err)
	}
	vp := viewport.New(site.Position, 8, 200, 200, 1)
	fill := func() bool {
		img, err := render.Frame(ctx, a.Scene(a.Style, "en"), vp)
		if err != nil {
			t.Fatal(err)
		}
		c := img.RGBAAt(100, 100)
		// The tailings storage symbol is filled #d84315.
		return c.R > 190 && c.G > 50 && c.G < 90 && c.B < 50
	}
	if !fill() {
		t.Error("the added site is not drawn in the tailings symbol")
	}
	if ext := a.Extent(a.Style); !ext.Contains(site.Position) {
		t.Errorf("the map's extent %v leaves out the site", ext)
	}
	if _, err := store.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if fill() {
		t.Error("the site is still drawn after its add was undone")
	}
}
