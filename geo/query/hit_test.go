package query_test

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/query"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// testDictionary is the smallest complete dictionary.
const testDictionary = `{
  "languages": ["en"],
  "numbers": {"en": {"decimal": ".", "group": ","}},
  "names": "name",
  "terms": {"coordinates": {"en": "Coordinates"}, "area": {"en": "Area"}, "length": {"en": "Length"},
    "basin": {"en": "Basin"}, "country": {"en": "Country"}, "approximate": {"en": "Approximate"},
    "unknown": {"en": "not known"}, "none": {"en": "none"}, "yes": {"en": "yes"}, "no": {"en": "no"},
    "cluster": {"en": "{n} close together"}, "lost": {"en": "{p} % less, {a}"}},
  "units": {"km2": {"en": "{n} km²"}, "ha": {"en": "{n} ha"}, "km": {"en": "{n} km"}, "m": {"en": "{n} m"}},
  "fields": {"kind": {"label": {"en": "Kind"}}},
  "layers": {"points": {"facets": ["kind"]}}
}`

// testStyle draws, bottom to top: areas (filled, outlined 2 px), a
// polygon that is only labelled, lines (4 px), points (10 px symbols
// with a 2 px outline: 6 px radius), a hidden point layer, and a layer
// whose points cluster below zoom 9.
const testStyle = `{
  "sources": {
    "areas": {"kind": "vector", "path": "areas"}, "labels": {"kind": "vector", "path": "labels"},
    "lines": {"kind": "vector", "path": "lines"}, "points": {"kind": "vector", "path": "points"},
    "crowd": {"kind": "vector", "path": "crowd"}
  },
  "layers": [
    {"id": "areas", "source": "areas", "rules": [{"fill": "#ff000080", "stroke": {"color": "#000", "width": 2}}]},
    {"id": "labels", "source": "labels", "rules": [{"label": {"field": "name", "size": 10, "color": "#000"}}]},
    {"id": "lines", "source": "lines", "rules": [{"stroke": {"color": "#00f", "width": 4}}]},
    {"id": "points", "source": "points", "rules": [{"symbol": {"shape": "circle", "size": 10, "fill": "#0f0", "stroke": "#fff", "stroke_width": 2}}]},
    {"id": "hidden", "source": "points", "hidden": true, "rules": [{"symbol": {"shape": "circle", "size": 10, "fill": "#0f0"}}]},
    {"id": "crowd", "source": "crowd",
     "cluster": {"radius": 20, "maxzoom": 9, "text": "#fff", "text_size": 10, "symbol": {"shape": "circle", "size": 16, "fill": "#f0f", "stroke_width": 2}},
     "rules": [{"symbol": {"shape": "square", "size": 8, "fill": "#f0f"}}]}
  ]
}`

// testView is the view the synthetic scene is seen in.
var testView = viewport.New(orb.Point{10, 10}, 8, 800, 600, 1)

// testEngine returns an engine over a synthetic scene: features placed in
// pixels of testView.
func testEngine(t testing.TB) *query.Engine {
	t.Helper()
	st, err := style.Parse([]byte(testStyle))
	if err != nil {
		t.Fatal(err)
	}
	at := func(x, y float64) orb.Point { return testView.FromPixel(orb.Point{x, y}) }
	ring := func(x0, y0, x1, y1 float64) orb.Ring {
		return orb.Ring{at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)}
	}
	// The hole winds the same way as the shell: the map still shows it.
	sources := map[string][]layer.Feature{
		"areas":  {{ID: "square", Geometry: orb.Polygon{ring(100, 100, 300, 300), ring(150, 150, 250, 250)}}},
		"labels": {{ID: "named", Geometry: orb.Polygon{ring(500, 100, 700, 300)}, Properties: layer.PropertiesFromMap(map[string]any{"name": "Named"})}},
		"lines":  {{ID: "line", Geometry: orb.LineString{at(400, 400), at(600, 400)}}},
		"points": {
			{ID: "under", Geometry: at(200, 120), Properties: layer.PropertiesFromMap(map[string]any{"kind": "a"})},
			{ID: "over", Geometry: at(204, 120), Properties: layer.PropertiesFromMap(map[string]any{"kind": "b"})},
			{ID: "ghost", Properties: layer.PropertiesFromMap(map[string]any{"name": "Ghost", "kind": "b"})},
		},
		"crowd": {{ID: "c1", Geometry: at(700, 500)}, {ID: "c2", Geometry: at(703, 502)}},
	}
	a := &atlas.Atlas{Style: st, Sources: map[string]*atlas.Source{}}
	for id, fs := range sources {
		a.Sources[id] = &atlas.Source{ID: id, Vector: layer.NewVector(fs)}
	}
	d, err := query.ParseDictionary([]byte(testDictionary))
	if err != nil {
		t.Fatal(err)
	}
	e, err := query.New(a, d)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestIdentify_exact(t *testing.T) {
	e := testEngine(t)
	for _, tc := range []struct {
		name      string
		x, y      float64
		tolerance float64
		want      []string // layer/id, topmost first
	}{
		{"on the upper of two points", 204, 120, 0, []string{"points/over", "points/under", "areas/square"}},
		{"symbol edge, inside", 209.9, 120, 0, []string{"points/over", "areas/square"}},
		{"symbol edge, outside", 210.5, 120, 0, []string{"areas/square"}},
		{"symbol edge, within tolerance", 210.5, 120, 1, []string{"points/over", "areas/square"}},
		{"inside the polygon", 120, 200, 0, []string{"areas/square"}},
		{"in the hole", 200, 200, 0, nil},
		{"in the hole, on the outline's reach", 151, 200, 0, []string{"areas/square"}},
		{"beside the polygon", 97, 200, 1, nil},
		{"beside the polygon, within tolerance", 97, 200, 3, []string{"areas/square"}},
		{"on the line", 500, 400, 0, []string{"lines/line"}},
		{"beside the line, within its width", 500, 401.9, 0, []string{"lines/line"}},
		{"beside the line, outside its width", 500, 402.5, 0, nil},
		{"past the line's end", 605, 400, 0, nil},
		{"in the labelled polygon", 600, 200, 5, nil},
		{"nowhere", 20, 580, 5, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hits, err := e.Identify(context.Background(), nil, testView, orb.Point{tc.x, tc.y}, tc.tolerance)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range hits {
				got = append(got, h.Ref.Layer+"/"+h.Ref.ID)
				if h.Feature == nil || h.Feature.ID != h.Ref.ID {
					t.Errorf("hit %v carries feature %v", h.Ref, h.Feature)
				}
			}
			if !equalStrings(got, tc.want) {
				t.Errorf("Identify at (%v, %v) ± %v = %v, want %v", tc.x, tc.y, tc.tolerance, got, tc.want)
			}
		})
	}
}

func TestIdentify_clusters(t *testing.T) {
	e := testEngine(t)
	for _, tc := range []struct {
		zoom    float64
		members int
	}{{8, 2}, {9, 0}} {
		vp := testView
		vp.Zoom = tc.zoom
		// Zooming in keeps the centre: the crowd moves away from it.
		p := vp.ToPixel(testView.FromPixel(orb.Point{701.5, 501}))
		hits, err := e.Identify(context.Background(), nil, vp, p, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 {
			t.Fatalf("zoom %v: nothing hit on the crowd", tc.zoom)
		}
		if got := len(hits[0].Members); got != tc.members {
			t.Errorf("zoom %v: first hit %v has %d members, want %d", tc.zoom, hits[0].Ref, got, tc.members)
		}
		if tc.members > 0 && (hits[0].Feature != nil || hits[0].Ref.Layer != "crowd") {
			t.Errorf("zoom %v: the cluster hit is %+v", tc.zoom, hits[0])
		}
		want := "c2"
		if tc.members > 0 {
			want = "2 close together"
		}
		if got := e.Title(hits[0], "en"); got != want {
			t.Errorf("zoom %v: the first hit's title is %q, want %q", tc.zoom, got, want)
		}
	}
}

func TestIdentify_showsWhatTheStyleShows(t *testing.T) {
	e := testEngine(t)
	st := e.Atlas().Style.Clone()
	l, _ := st.Layer("points")
	l.Hidden = true
	hits, err := e.Identify(context.Background(), st, testView, orb.Point{204, 120}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		if h.Ref.Layer == "points" || h.Ref.Layer == "hidden" {
			t.Errorf("a hidden layer was hit: %v", h.Ref)
		}
	}
	filtered := e.Apply(nil, query.Filter{}.With("points", "kind", "a"))
	hits, err = e.Identify(context.Background(), filtered, testView, orb.Point{204, 120}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 || hits[0].Ref.ID != "under" {
		t.Errorf("with kind b filtered out, the first hit is %v, want points/under", hits)
	}
}

// TestIdentify_embedded clicks on features of the embedded map: on a
// site, on a city, on the lake away from the sites on its shore.
func TestIdentify_embedded(t *testing.T) {
	e := engine(t)
	for _, tc := range []struct {
		on   query.Ref
		at   *orb.Point // where to click, if not on the feature's point
		zoom float64
		want []query.Ref // in this order, topmost first, perhaps with others between
	}{
		{on: query.Ref{Layer: "tailings", ID: "kg-mailuu-suu-uranium-legacy"}, zoom: 10,
			want: []query.Ref{{Layer: "tailings", ID: "kg-mailuu-suu-uranium-legacy"}, {Layer: "basins", ID: "syr-darya-basin-hydroatlas"}, {Layer: "land", ID: "countries.kgz"}}},
		{on: query.Ref{Layer: "places", ID: "places.almaty"}, zoom: 9,
			want: []query.Ref{{Layer: "places", ID: "places.almaty"}, {Layer: "land", ID: "countries.kaz"}}},
		{on: query.Ref{Layer: "lakes", ID: "lakes.issyk-kul"}, at: &orb.Point{76.9, 42.35}, zoom: 8,
			want: []query.Ref{{Layer: "basins", ID: "issyk-kul-basin-approx"}, {Layer: "lakes", ID: "lakes.issyk-kul"}, {Layer: "land", ID: "countries.kgz"}}},
	} {
		f, ok := e.Lookup(tc.on)
		if !ok {
			t.Fatalf("%v is not in the embedded map", tc.on)
		}
		at, _ := f.Geometry.(orb.Point)
		if tc.at != nil {
			at = *tc.at
		}
		vp := viewport.New(at, tc.zoom, 800, 600, 2)
		hits, err := e.Identify(context.Background(), nil, vp, vp.ToPixel(at), 3)
		if err != nil {
			t.Fatal(err)
		}
		got := hitRefs(hits)
		if len(got) == 0 || got[0] != tc.want[0] || !inOrder(got, tc.want) {
			t.Errorf("at %v z%v: hits %v, want %v in this order, the first first", at, tc.zoom, got, tc.want)
		}
		seen := map[query.Ref]bool{}
		for _, r := range got {
			if seen[r] {
				t.Errorf("at %v z%v: %v hit twice", at, tc.zoom, r)
			}
			seen[r] = true
		}
	}
}

// inOrder reports whether want is a subsequence of got.
func inOrder(got, want []query.Ref) bool {
	i := 0
	for _, r := range got {
		if i < len(want) && r == want[i] {
			i++
		}
	}
	return i == len(want)
}

func hitRefs(hits []query.Hit) []query.Ref {
	out := make([]query.Ref, len(hits))
	for i, h := range hits {
		out[i] = h.Ref
	}
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// BenchmarkIdentify_1MPoints clicks at random places of a full-HD view of
// the region over a layer of a million points (indexed, as the app
// indexes every layer after loading).
func BenchmarkIdentify_1MPoints(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	region := atlas.Region
	features := make([]layer.Feature, 1_000_000)
	for i := range features {
		features[i] = layer.Feature{Geometry: orb.Point{
			region.Min[0] + rng.Float64()*(region.Max[0]-region.Min[0]),
			region.Min[1] + rng.Float64()*(region.Max[1]-region.Min[1]),
		}}
	}
	st, err := style.Parse([]byte(`{"sources": {"sites": {"kind": "vector", "path": "sites"}},
		"layers": [{"id": "sites", "source": "sites", "rules": [{"symbol": {"shape": "circle", "size": 6, "fill": "#c00"}}]}]}`))
	if err != nil {
		b.Fatal(err)
	}
	v := layer.NewVector(features)
	v.BuildIndex()
	d, err := query.ParseDictionary([]byte(strings.Replace(testDictionary, `"points": {"facets": ["kind"]}`, "", 1)))
	if err != nil {
		b.Fatal(err)
	}
	e, err := query.New(&atlas.Atlas{Style: st, Sources: map[string]*atlas.Source{"sites": {ID: "sites", Vector: v}}}, d)
	if err != nil {
		b.Fatal(err)
	}
	vp := viewport.New(region.Center(), 5, 1920, 1080, 1).Fit(region, 0)
	hits := 0
	for b.Loop() {
		at := orb.Point{rng.Float64() * vp.Width, rng.Float64() * vp.Height}
		found, err := e.Identify(context.Background(), nil, vp, at, 3)
		if err != nil {
			b.Fatal(err)
		}
		hits += len(found)
	}
	b.ReportMetric(float64(hits)/float64(b.N), "hits/op")
}

// BenchmarkIdentify_embedded clicks (or hovers) on the embedded map at
// random places of a full-HD view of the region, at zoom 5, where every
// polygon under the pointer (country, region, basin, lake) is tested.
func BenchmarkIdentify_embedded(b *testing.B) {
	e := engine(b)
	e.Atlas().BuildIndexes()
	vp := viewport.New(atlas.Region.Center(), 5, 1920, 1080, 1)
	rng := rand.New(rand.NewPCG(1, 2))
	for b.Loop() {
		at := orb.Point{rng.Float64() * vp.Width, rng.Float64() * vp.Height}
		if _, err := e.Identify(context.Background(), nil, vp, at, 3); err != nil {
			b.Fatal(err)
		}
	}
}
