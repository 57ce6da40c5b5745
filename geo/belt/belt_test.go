package belt_test

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"io/fs"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/assets"
	"github.com/ecoatlas/ecoatlas/geo/belt"
	"github.com/ecoatlas/ecoatlas/geo/decode"
	"github.com/ecoatlas/ecoatlas/geo/geodesic"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// places returns the embedded places as cities (population "pop_max").
func places(t testing.TB) []belt.City {
	t.Helper()
	data, err := fs.ReadFile(assets.Data(), "basemap/places.geojson")
	if err != nil {
		t.Fatal(err)
	}
	v, err := decode.GeoJSON(data, "places.geojson")
	if err != nil {
		t.Fatal(err)
	}
	features := slices.Collect(v.All())
	return belt.Cities(features, "pop_max", "name")
}

// The WGS 84 ellipsoid's first eccentricity squared.
var e2 = geodesic.Flattening * (2 - geodesic.Flattening)

// capArea returns the area in km² of a geodesic circle of radius km around
// a point at latitude lat, computed on the sphere of the ellipsoid's
// Gaussian curvature there, 1/(M·N): independent of PROJ and GEOS, and
// exact to about (r/R)²·e² for radii of tens of km.
func capArea(lat, km float64) float64 {
	s := math.Sin(lat * math.Pi / 180)
	w := 1 - e2*s*s
	a := geodesic.EquatorialRadius / 1000
	m := a * (1 - e2) / math.Pow(w, 1.5)
	n := a / math.Sqrt(w)
	r := math.Sqrt(m * n)
	return 2 * math.Pi * r * r * (1 - math.Cos(km/r))
}

// q is the authalic-latitude function of the ellipsoid, whose difference
// between two latitudes gives the area of the band between them.
func q(lat float64) float64 {
	e := math.Sqrt(e2)
	s := math.Sin(lat * math.Pi / 180)
	return s/(1-e2*s*s) + math.Log((1+e*s)/(1-e*s))/(2*e)
}

// gridArea integrates the area in km² of the points of a lon/lat box that
// in reports inside, over an n×n grid of cells whose exact ellipsoidal
// areas are summed where their centre is inside.
func gridArea(b orb.Bound, n int, in func(orb.Point) bool) float64 {
	bSemi := geodesic.EquatorialRadius * (1 - geodesic.Flattening) / 1000
	dLon := (b.Max[0] - b.Min[0]) / float64(n)
	dLat := (b.Max[1] - b.Min[1]) / float64(n)
	total := 0.0
	for row := range n {
		lat0 := b.Min[1] + float64(row)*dLat
		cell := bSemi * bSemi * (dLon * math.Pi / 180) / 2 * (q(lat0+dLat) - q(lat0))
		for col := range n {
			if in(orb.Point{b.Min[0] + (float64(col)+0.5)*dLon, lat0 + dLat/2}) {
				total += cell
			}
		}
	}
	return total
}

// TestPlan_areasAgreeWithAnIndependentComputation checks every belt of
// the embedded cities of 100 000 people or more: an untrimmed belt against
// the difference of two geodesic caps, a trimmed one against a grid
// integration of the ring less the neighbouring cores; both within 0.5 %.
func TestPlan_areasAgreeWithAnIndependentComputation(t *testing.T) {
	cities := places(t)
	o := belt.DefaultOptions()
	belts, err := belt.Plan(context.Background(), cities, o)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]belt.City{}
	for _, c := range cities {
		byID[c.ID] = c
	}
	trimmed, worst := 0, 0.0
	for _, b := range belts {
		var want float64
		if len(b.Trimmed) == 0 {
			want = capArea(b.City.At[1], b.OuterKm) - capArea(b.City.At[1], b.InnerKm)
		} else {
			trimmed++
			cores := make([]belt.City, len(b.Trimmed))
			for i, id := range b.Trimmed {
				cores[i] = byID[id]
			}
			in := func(p orb.Point) bool {
				d := geodesic.Distance(b.City.At, p) / 1000
				if d < b.InnerKm || d > b.OuterKm {
					return false
				}
				for _, c := range cores {
					if geodesic.Distance(c.At, p)/1000 < belt.CoreRadiusKm(c.Population, o.Density) {
						return false
					}
				}
				return true
			}
			want = gridArea(b.Geometry.Bound().Pad(0.01), 240, in)
		}
		diff := math.Abs(b.AreaKm2-want) / want
		if diff > 0.005 {
			t.Errorf("%s: belt of %.2f km², independent computation %.2f km² (%.2f %%)", b.City.Name, b.AreaKm2, want, 100*diff)
		}
		worst = max(worst, diff)
	}
	t.Logf("%d belts, %d trimmed by neighbours; largest difference %.3f %%", len(belts), trimmed, 100*worst)
	if len(belts) < 150 || trimmed == 0 {
		t.Errorf("%d belts, %d trimmed: the embedded places should give both kinds", len(belts), trimmed)
	}
}

func TestPlan_ringShape(t *testing.T) {
	almaty := belt.City{ID: "almaty", Name: "Almaty", Population: 1_209_000, At: orb.Point{76.91309, 43.32694}}
	belts, err := belt.Plan(context.Background(), []belt.City{almaty}, belt.Options{MinPopulation: 0, WidthKm: 12.5, Density: 4000})
	if err != nil {
		t.Fatal(err)
	}
	if len(belts) != 1 {
		t.Fatalf("%d belts", len(belts))
	}
	b := belts[0]
	if want := math.Sqrt(1_209_000 / (math.Pi * 4000)); math.Abs(b.InnerKm-want) > 1e-9 || math.Abs(b.OuterKm-want-12.5) > 1e-9 {
		t.Errorf("radii %v, %v km; want %v and 12.5 more", b.InnerKm, b.OuterKm, want)
	}
	p, ok := b.Geometry.(orb.Polygon)
	if !ok || len(p) != 2 {
		t.Fatalf("geometry %T with %d rings, want a polygon with its hole", b.Geometry, len(p))
	}
	if geodesic.SignedArea(p[0]) <= 0 || geodesic.SignedArea(p[1]) >= 0 {
		t.Error("want the outer ring counter-clockwise and the hole clockwise (RFC 7946)")
	}
	for k, want := range []float64{b.OuterKm, b.InnerKm} {
		for _, v := range p[k] {
			// The polygon's vertices lie on the circle; its edges cut
			// inside by up to 1 − cos(π/128) ≈ 0.03 %.
			if d := geodesic.Distance(almaty.At, v) / 1000; math.Abs(d-want) > 1e-3*want {
				t.Fatalf("ring %d: vertex %v is %.4f km from the centre, want %.4f", k, v, d, want)
			}
		}
	}
	f := b.Feature()
	if f.ID != "belt.almaty" || f.Properties.String("name") != "Almaty" {
		t.Errorf("feature %q, %v", f.ID, f.Properties.Map())
	}
	if a, _ := f.Properties.Number("area_km2"); math.Abs(a-b.AreaKm2) > 0.005 {
		t.Errorf("area_km2 %v, want %v", a, b.AreaKm2)
	}
}

func TestPlan_neighboursCoresAreCutOut(t *testing.T) {
	// Two towns 15 km apart: each one's core lies in the other's ring.
	a := belt.City{ID: "a", Population: 200_000, At: orb.Point{69.56, 41.45}}
	b := belt.City{ID: "b", Population: 200_000, At: orb.Point{69.56 + 15/84.0, 41.45}}
	far := belt.City{ID: "far", Population: 50_000, At: orb.Point{75, 41.45}}
	belts, err := belt.Plan(context.Background(), []belt.City{a, far, b}, belt.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if got := len(belts); got != 2 {
		t.Fatalf("%d belts, want 2 (the town of 50 000 has none)", got)
	}
	for i, other := range []belt.City{b, a} {
		bl := belts[i]
		if !slices.Equal(bl.Trimmed, []string{other.ID}) {
			t.Errorf("belt of %s trimmed by %v, want [%s]", bl.City.ID, bl.Trimmed, other.ID)
		}
		if inside(bl.Geometry, other.At) {
			t.Errorf("belt of %s covers the centre of %s", bl.City.ID, other.ID)
		}
		full := capArea(41.45, bl.OuterKm) - capArea(41.45, bl.InnerKm)
		if bl.AreaKm2 >= full-10 {
			t.Errorf("belt of %s: %.1f km², the untrimmed ring %.1f km²", bl.City.ID, bl.AreaKm2, full)
		}
	}
}

// inside reports whether p is inside a polygon or multipolygon (ray
// casting in lon/lat; rings are small, so that is exact enough).
func inside(g orb.Geometry, p orb.Point) bool {
	var polys orb.MultiPolygon
	switch g := g.(type) {
	case orb.Polygon:
		polys = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		polys = g
	}
	for _, poly := range polys {
		n := 0
		for _, r := range poly {
			for i := 1; i < len(r); i++ {
				a, b := r[i-1], r[i]
				if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < a[0]+(p[1]-a[1])*(b[0]-a[0])/(b[1]-a[1]) {
					n++
				}
			}
		}
		if n%2 == 1 {
			return true
		}
	}
	return false
}

func TestPlan_badOptions(t *testing.T) {
	for _, o := range []belt.Options{
		{MinPopulation: -1, WidthKm: 10, Density: 4000},
		{MinPopulation: math.NaN(), WidthKm: 10, Density: 4000},
		{WidthKm: 0, Density: 4000},
		{WidthKm: 101, Density: 4000},
		{WidthKm: math.Inf(1), Density: 4000},
		{WidthKm: 10, Density: 50},
	} {
		if _, err := belt.Plan(context.Background(), nil, o); !errors.Is(err, belt.ErrOptions) {
			t.Errorf("Plan(%+v) = %v, want ErrOptions", o, err)
		}
	}
	bad := []belt.City{{ID: "x", Name: "Nowhere", Population: 1e6, At: orb.Point{10, 95}}}
	if _, err := belt.Plan(context.Background(), bad, belt.DefaultOptions()); err == nil || !strings.Contains(err.Error(), "city x (Nowhere)") {
		t.Errorf("a city off the ellipsoid: err = %v, want one naming it", err)
	}
}

func TestPlan_cancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := belt.Plan(ctx, places(t), belt.DefaultOptions()); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestCities(t *testing.T) {
	features := []*layer.Feature{
		{ID: "a", Geometry: orb.Point{1, 2}, Properties: layer.PropertiesFromMap(map[string]any{"pop": 5.0, "name": "A"})},
		{ID: "b", Geometry: orb.Point{1, 2}, Properties: layer.PropertiesFromMap(map[string]any{"name": "B"})},
		{ID: "c", Geometry: orb.LineString{{1, 2}, {3, 4}}, Properties: layer.PropertiesFromMap(map[string]any{"pop": 5.0})},
		{ID: "d", Geometry: orb.Point{1, 2}, Properties: layer.PropertiesFromMap(map[string]any{"pop": 0.0})},
	}
	got := belt.Cities(features, "pop", "name")
	if len(got) != 1 || got[0] != (belt.City{ID: "a", Name: "A", Population: 5, At: orb.Point{1, 2}}) {
		t.Errorf("Cities = %+v", got)
	}
}

// TestStyleLayer draws Tashkent's belt with its style layer: green in the
// ring, the map's background in the core and beyond.
func TestStyleLayer(t *testing.T) {
	tashkent := belt.City{ID: "tashkent", Name: "Tashkent", Population: 2_184_000, At: orb.Point{69.29299, 41.31365}}
	belts, err := belt.Plan(context.Background(), []belt.City{tashkent}, belt.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	l := belt.StyleLayer("green_belts", "Green belts", "green_belts")
	sc := &render.Scene{
		Background: color.NRGBA{0xff, 0xff, 0xff, 0xff},
		Layers:     []render.Layer{{Style: &l, Features: layer.NewVector(belt.Features(belts))}},
	}
	vp := viewport.New(tashkent.At, 8, 400, 400, 1)
	img, err := render.Frame(context.Background(), sc, vp)
	if err != nil {
		t.Fatal(err)
	}
	b := belts[0]
	for name, tt := range map[string]struct {
		km    float64
		green bool
	}{
		"core":        {b.InnerKm / 2, false},
		"ring":        {(b.InnerKm + b.OuterKm) / 2, true},
		"beyond ring": {b.OuterKm + 5, false},
	} {
		p := vp.ToPixel(geodesic.Direct(tashkent.At, 90, tt.km*1000))
		c := img.RGBAAt(int(p[0]), int(p[1]))
		if green := int(c.G) > int(c.R)+30 && int(c.G) > int(c.B)+30; green != tt.green {
			t.Errorf("%s (%.1f km east): colour %v, want green %v", name, tt.km, c, tt.green)
		}
	}
}

func ExamplePlan() {
	astana := belt.City{ID: "astana", Name: "Astana", Population: 345_604, At: orb.Point{71.42777, 51.18113}}
	belts, err := belt.Plan(context.Background(), []belt.City{astana}, belt.DefaultOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	b := belts[0]
	fmt.Printf("%s: from %.1f to %.1f km, %.0f km²\n", b.City.Name, b.InnerKm, b.OuterKm, b.AreaKm2)
	// Output: Astana: from 5.2 to 15.2 km, 643 km²
}

// BenchmarkPlan_citiesOver100k plans the belts of every embedded place of
// 100 000 people or more (the issue's target: ≤ 1 s).
func BenchmarkPlan_citiesOver100k(b *testing.B) {
	cities := places(b)
	for b.Loop() {
		if _, err := belt.Plan(context.Background(), cities, belt.DefaultOptions()); err != nil {
			b.Fatal(err)
		}
	}
}
