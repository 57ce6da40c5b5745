package query_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"slices"
	"testing"

	"github.com/ecoatlas/ecoatlas/assets"
	"github.com/ecoatlas/ecoatlas/geo/query"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

func TestLegendCounts_synthetic(t *testing.T) {
	e := testEngine(t)
	for _, tc := range []struct {
		name   string
		filter query.Filter
		zoom   float64
		want   map[string]query.LegendCount
	}{
		{"clustered", query.Filter{}, 8, map[string]query.LegendCount{
			"areas": {Rules: []int{1}, Total: 1}, "labels": {Rules: []int{0}}, "lines": {Rules: []int{1}, Total: 1},
			"points": {Rules: []int{2}, Total: 2}, "crowd": {Rules: []int{2}, Clusters: 1, Total: 2},
		}},
		{"split", query.Filter{}, 9, map[string]query.LegendCount{
			"crowd": {Rules: []int{2}, Total: 2},
		}},
		{"filtered", query.Filter{}.With("points", "kind", "b"), 8, map[string]query.LegendCount{
			"points": {Rules: []int{1}, Total: 1},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vp := testView
			vp.Zoom = tc.zoom
			if tc.zoom != testView.Zoom {
				// Centred on the crowd, so that it stays in view.
				vp.Center = testView.FromPixel(orb.Point{700, 500})
			}
			counts, err := e.LegendCounts(context.Background(), e.Apply(nil, tc.filter), vp)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]query.LegendCount{}
			for _, c := range counts {
				if c.Layer == "hidden" {
					t.Errorf("the hidden layer is counted: %+v", c)
				}
				got[c.Layer] = c
			}
			for layerID, want := range tc.want {
				c := got[layerID]
				if !slices.Equal(c.Rules, want.Rules) || c.Clusters != want.Clusters || c.Total != want.Total {
					t.Errorf("%s: %+v, want rules %v, %d clusters, %d in all", layerID, c, want.Rules, want.Clusters, want.Total)
				}
			}
		})
	}
}

// site is what the legend test reads of a curated site, straight from the
// embedded GeoJSON with encoding/json.
type site struct {
	Properties struct {
		Type, Country, CoordPrecision string
	}
	Geometry struct{ Coordinates [2]float64 }
}

func readSites(t *testing.T) []site {
	t.Helper()
	data, err := fs.ReadFile(assets.Data(), "curated/tailings.geojson")
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Properties map[string]any
			Geometry   struct{ Coordinates [2]float64 }
		}
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		t.Fatal(err)
	}
	out := make([]site, len(fc.Features))
	for i, f := range fc.Features {
		out[i].Properties.Type, _ = f.Properties["type"].(string)
		out[i].Properties.Country, _ = f.Properties["country"].(string)
		out[i].Properties.CoordPrecision, _ = f.Properties["coord_precision"].(string)
		out[i].Geometry = f.Geometry
	}
	return out
}

// TestLegendCounts_tailingsAfterAFilter counts the tailings layer's
// legend lines in views of the embedded map with only some countries
// shown, clustered and not, and compares them with the sites read from
// the GeoJSON file: the style's four rules are uranium legacy sites known
// to 10 km, other uranium legacy sites, other sites known to 10 km, and
// the rest.
func TestLegendCounts_tailingsAfterAFilter(t *testing.T) {
	e := engine(t)
	sites := readSites(t)
	for _, tc := range []struct {
		countries []any
		centre    orb.Point
		zoom      float64
		clustered bool
	}{
		{[]any{"KGZ"}, orb.Point{67, 45}, 4, true},
		{[]any{"KGZ", "KAZ"}, orb.Point{67, 45}, 4.5, true},
		{[]any{"KGZ", "TJK", "UZB"}, orb.Point{72, 41}, 7, true},
		{[]any{"KAZ"}, orb.Point{72.5, 41}, 9.5, false},
	} {
		st := e.Apply(nil, query.Filter{}.With("tailings", "country", tc.countries...))
		vp := viewport.New(tc.centre, tc.zoom, 1600, 1000, 1)
		counts, err := e.LegendCounts(context.Background(), st, vp)
		if err != nil {
			t.Fatal(err)
		}
		want := make([]int, 4)
		view := vp.Bound()
		for _, s := range sites {
			p := s.Properties
			if !slices.Contains(tc.countries, any(p.Country)) || !view.Contains(orb.Point(s.Geometry.Coordinates)) {
				continue
			}
			approx := p.CoordPrecision == "approx_10km"
			switch {
			case p.Type == "uranium_legacy" && approx:
				want[0]++
			case p.Type == "uranium_legacy":
				want[1]++
			case p.Type == "tailings_storage" && approx:
				want[2]++
			case p.Type == "tailings_storage":
				want[3]++
			}
		}
		i := slices.IndexFunc(counts, func(c query.LegendCount) bool { return c.Layer == "tailings" })
		if i < 0 {
			t.Fatalf("%v: no count for the tailings layer", tc.countries)
		}
		if got := counts[i]; !slices.Equal(got.Rules, want) {
			t.Errorf("%v at %v z%v: rules %v (%d clusters), the file says %v", tc.countries, tc.centre, tc.zoom, got.Rules, got.Clusters, want)
		}
		if got := counts[i].Clusters > 0; got != tc.clustered {
			t.Errorf("%v at %v z%v: %d clusters drawn, want some: %v", tc.countries, tc.centre, tc.zoom, counts[i].Clusters, tc.clustered)
		}
	}
}

// BenchmarkLegendCounts_region counts every legend line of the embedded
// map in a full-HD view of the region, as the layer panel does after each
// change of view.
func BenchmarkLegendCounts_region(b *testing.B) {
	e := engine(b)
	vp := viewport.New(orb.Point{67, 45}, 5, 1920, 1080, 1)
	for b.Loop() {
		if _, err := e.LegendCounts(context.Background(), nil, vp); err != nil {
			b.Fatal(err)
		}
	}
}
