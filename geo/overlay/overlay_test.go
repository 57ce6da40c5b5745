package overlay_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/geodesic"
	"github.com/ecoatlas/ecoatlas/geo/overlay"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

var (
	almaty   = orb.Point{76.95, 43.24}
	tashkent = orb.Point{69.28, 41.31}
	nukus    = orb.Point{59.61, 42.46}

	// square is a 2° × 1° box near Issyk-Kul with a hole.
	square = orb.Polygon{
		{{76, 42}, {78, 42}, {78, 43}, {76, 43}, {76, 42}},
		{{76.8, 42.4}, {77.2, 42.4}, {77.2, 42.6}, {76.8, 42.6}, {76.8, 42.4}},
	}
)

// circleArea is the area of a geodesic circle of radius r at latitude lat
// on WGS 84: a spherical cap on the sphere of the point's Gaussian radius
// of curvature, exact to order r⁴ (π·r² on the ellipsoid).
func circleArea(lat, r float64) float64 {
	e2 := geodesic.Flattening * (2 - geodesic.Flattening)
	s := math.Sin(lat * math.Pi / 180)
	w := 1 - e2*s*s
	radius := geodesic.EquatorialRadius * math.Sqrt(1-e2) / w
	return 2 * math.Pi * radius * radius * (1 - math.Cos(r/radius))
}

// outerRings returns the outer rings of a polygonal geometry.
func outerRings(t *testing.T, g orb.Geometry) []orb.Ring {
	t.Helper()
	switch g := g.(type) {
	case orb.Polygon:
		return []orb.Ring{g[0]}
	case orb.MultiPolygon:
		var rings []orb.Ring
		for _, p := range g {
			rings = append(rings, p[0])
		}
		return rings
	}
	t.Fatalf("got a %s, want a Polygon or MultiPolygon", g.GeoJSONType())
	return nil
}

func TestPointBufferIsAGeodesicCircle(t *testing.T) {
	for _, c := range []struct {
		centre orb.Point
		radius float64
	}{
		{almaty, 10_000},
		{tashkent, 1_000},
		{nukus, 50_000},
		{orb.Point{71.45, 51.17}, 300_000}, // Astana, a belt the Aral's size
		{orb.Point{67.0, 37.2}, 25_000},    // Termez, near the region's south
	} {
		buf, err := overlay.Buffer(c.centre, c.radius)
		if err != nil {
			t.Fatal(err)
		}
		// Vertices lie on the circle, or on the chords between those (where
		// long edges were densified), never outside.
		ring := outerRings(t, buf)[0]
		chord := c.radius * math.Cos(math.Pi/128)
		for i, p := range ring {
			if d := geodesic.Distance(c.centre, p); d > c.radius*(1+1e-9) || d < chord*(1-1e-6) {
				t.Fatalf("Buffer(%v, %v): vertex %d is %.3f m from the centre", c.centre, c.radius, i+1, d)
			}
		}
		got, want := geodesic.Area(buf), circleArea(c.centre[1], c.radius)
		t.Logf("Buffer(%v, %.0f km): %d vertices, %.4f km², π·r² on the ellipsoid %.4f km² (%.3f %%)",
			c.centre, c.radius/1000, len(ring), got/1e6, want/1e6, 100*(got-want)/want)
		if math.Abs(got-want) > 0.005*want {
			t.Errorf("Buffer(%v, %v) area %.1f m², want %.1f m² within 0.5 %%", c.centre, c.radius, got, want)
		}
	}
}

func TestMultiPointBuffer(t *testing.T) {
	// Far apart: one ring each, each the size of a single point's ring.
	buf, err := overlay.Buffer(orb.MultiPoint{almaty, tashkent}, 20_000)
	if err != nil {
		t.Fatal(err)
	}
	mp, ok := buf.(orb.MultiPolygon)
	if !ok || len(mp) != 2 {
		t.Fatalf("two distant cities' belts = %T with %v, want a MultiPolygon of 2", buf, buf)
	}
	want := circleArea(almaty[1], 20_000) + circleArea(tashkent[1], 20_000)
	if got := geodesic.Area(buf); math.Abs(got-want) > 0.005*want {
		t.Errorf("two belts: %.1f km², want %.1f km²", got/1e6, want/1e6)
	}
	// 10 km apart with 20 km rings: one merged belt, smaller than two rings.
	near := orb.MultiPoint{almaty, geodesic.Direct(almaty, 90, 10_000)}
	buf, err = overlay.Buffer(near, 20_000)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := buf.(orb.Polygon); !ok {
		t.Fatalf("two overlapping belts = %T, want one Polygon", buf)
	}
	single := circleArea(almaty[1], 20_000)
	if a := geodesic.Area(buf); a <= single || a >= 2*single {
		t.Errorf("merged belt area %.1f km², want between %.1f and %.1f", a/1e6, single/1e6, 2*single/1e6)
	}
}

func TestLineBufferKeepsItsWidth(t *testing.T) {
	// Nukus to Tashkent, about 800 km: the worst case for the projection is
	// at the ends, 400 km from its centre (d²/6R² ≈ 0.07 %).
	line := orb.LineString{nukus, tashkent}
	const r = 10_000.0
	buf, err := overlay.Buffer(line, r)
	if err != nil {
		t.Fatal(err)
	}
	ring := outerRings(t, buf)[0]
	dense, err := geodesic.Densify(line, 200)
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for i := 0; i < len(ring); i += 7 {
		d := math.Inf(1)
		for _, q := range dense.(orb.LineString) {
			d = min(d, geodesic.Distance(ring[i], q))
		}
		worst = max(worst, math.Abs(d-r)/r)
	}
	t.Logf("a %.0f km line buffered by 10 km: %d vertices, worst width error %.3f %%",
		geodesic.Length(line)/1000, len(ring), 100*worst)
	if worst > 0.002 {
		t.Errorf("the buffer's width is off by up to %.3f %%, want under 0.2 %%", 100*worst)
	}
	// Area: a 2r wide band along the line plus a disc at the ends.
	want := 2*r*geodesic.Length(line) + math.Pi*r*r
	if got := geodesic.Area(buf); math.Abs(got-want) > 0.005*want {
		t.Errorf("line buffer area %.1f km², want about %.1f km²", got/1e6, want/1e6)
	}
}

func TestPolygonBuffer(t *testing.T) {
	box := orb.Polygon{square[0]}
	const r = 5_000.0
	grown, err := overlay.Buffer(box, r)
	if err != nil {
		t.Fatal(err)
	}
	// Steiner's formula for a convex region: A + P·r + π·r².
	want := geodesic.Area(box) + geodesic.Perimeter(box)*r + math.Pi*r*r
	if got := geodesic.Area(grown); math.Abs(got-want) > 0.005*want {
		t.Errorf("grown box %.1f km², want %.1f km²", got/1e6, want/1e6)
	}
	shrunk, err := overlay.Buffer(box, -r)
	if err != nil {
		t.Fatal(err)
	}
	want = geodesic.Area(box) - geodesic.Perimeter(box)*r + 4*r*r
	if got := geodesic.Area(shrunk); math.Abs(got-want) > 0.005*want {
		t.Errorf("shrunk box %.1f km², want %.1f km²", got/1e6, want/1e6)
	}
	// The hole shrinks when the polygon grows.
	withHole, err := overlay.Buffer(square, 1_000)
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := withHole.(orb.Polygon); !ok || len(p) != 2 || geodesic.Area(p[1]) >= geodesic.Area(square[1]) {
		t.Errorf("buffering a polygon with a hole gave %T; want a polygon whose hole is smaller", withHole)
	}
}

func TestDistance(t *testing.T) {
	// To a point: the geodesic distance.
	d, err := overlay.Distance(almaty, tashkent)
	if err != nil {
		t.Fatal(err)
	}
	if want := geodesic.Distance(almaty, tashkent); math.Abs(d-want) > 1e-6*want {
		t.Errorf("Distance(Almaty, Tashkent) = %.3f m, geodesic %.3f m", d, want)
	}
	// To a long line: the brute-force minimum over a 50 m densification.
	line := orb.LineString{nukus, tashkent, almaty}
	dense, err := geodesic.Densify(line, 50)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		p := orb.Point{60 + rng.Float64()*17, 38 + rng.Float64()*8}
		got, err := overlay.Distance(p, line)
		if err != nil {
			t.Fatal(err)
		}
		want := math.Inf(1)
		for _, q := range dense.(orb.LineString) {
			want = min(want, geodesic.Distance(p, q))
		}
		if math.Abs(got-want) > 1+1e-5*want {
			t.Errorf("Distance(%v, line) = %.2f m, brute force %.2f m", p, got, want)
		}
	}
	// Inside a polygon: 0; inside its hole: the way out to the hole's edge,
	// whose geodesics bulge 19 m north of the parallels they join.
	if d, err := overlay.Distance(orb.Point{76.5, 42.5}, square); err != nil || d != 0 {
		t.Errorf("Distance to a polygon from inside = %v, %v; want 0", d, err)
	}
	inHole := orb.Point{77, 42.5}
	d, err = overlay.Distance(inHole, square)
	if err != nil {
		t.Fatal(err)
	}
	denseSquare, err := geodesic.Densify(square, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := math.Inf(1)
	for _, r := range denseSquare.(orb.Polygon) {
		for _, q := range r {
			want = min(want, geodesic.Distance(inHole, q))
		}
	}
	if math.Abs(d-want) > 0.1 {
		t.Errorf("Distance from the hole's middle = %.2f m, brute force %.2f m", d, want)
	}
}

func TestPredicatesAndOverlays(t *testing.T) {
	cases := []struct {
		name     string
		a, b     orb.Geometry
		contains bool
		inter    bool
	}{
		{"point inside", square, orb.Point{76.5, 42.5}, true, true},
		{"point in the hole", square, orb.Point{77, 42.5}, false, false},
		{"point outside", square, orb.Point{79, 42.5}, false, false},
		{"point on the boundary", square, orb.Point{76, 42.5}, false, true},
		{"line crossing", square, orb.LineString{{75, 42.5}, {76.5, 42.5}}, false, true},
		{"smaller polygon", square, orb.Polygon{{{76.1, 42.1}, {76.5, 42.1}, {76.5, 42.3}, {76.1, 42.1}}}, true, true},
	}
	for _, c := range cases {
		contains, err := overlay.Contains(c.a, c.b)
		if err != nil || contains != c.contains {
			t.Errorf("%s: Contains = %v, %v; want %v", c.name, contains, err, c.contains)
		}
		inter, err := overlay.Intersects(c.a, c.b)
		if err != nil || inter != c.inter {
			t.Errorf("%s: Intersects = %v, %v; want %v", c.name, inter, err, c.inter)
		}
	}

	other := orb.Polygon{{{77, 41.5}, {79, 41.5}, {79, 42.5}, {77, 42.5}, {77, 41.5}}}
	inter, err := overlay.Intersection(orb.Polygon{square[0]}, other)
	if err != nil {
		t.Fatal(err)
	}
	want := orb.Polygon{{{77, 42}, {78, 42}, {78, 42.5}, {77, 42.5}, {77, 42}}}
	if got := geodesic.Area(inter); math.Abs(got-geodesic.Area(want)) > 1e-6*got {
		t.Errorf("Intersection = %v, want %v", inter, want)
	}
	union, err := overlay.Union(orb.Polygon{square[0]}, other)
	if err != nil {
		t.Fatal(err)
	}
	// The union's edges are split where the boxes cross, and a geodesic
	// through the split point differs slightly from the unsplit one.
	if got, want := geodesic.Area(union), geodesic.Area(orb.Polygon{square[0]})+geodesic.Area(other)-geodesic.Area(want); math.Abs(got-want) > 1e-4*want {
		t.Errorf("Union area %.1f km², want %.1f km²", got/1e6, want/1e6)
	}
	if _, ok := union.(orb.Polygon); !ok {
		t.Errorf("Union of two overlapping boxes = %T, want one Polygon", union)
	}
	diff, err := overlay.Difference(orb.Polygon{square[0]}, other)
	if err != nil {
		t.Fatal(err)
	}
	// GEOS works on lon/lat as a plane, so the planar areas add up
	// exactly; geodesic areas would not, as splitting an edge moves its
	// geodesic.
	if got, want := planar.Area(diff), planar.Area(orb.Polygon{square[0]})-planar.Area(want); math.Abs(got-want) > 1e-9 {
		t.Errorf("Difference area %v square degrees, want %v", got, want)
	}
	gone, err := overlay.Difference(other, orb.Polygon{{{76, 41}, {80, 41}, {80, 43}, {76, 43}, {76, 41}}})
	if err != nil {
		t.Fatal(err)
	}
	if geodesic.Area(gone) != 0 {
		t.Errorf("Difference with a covering box = %v, want an empty polygon", gone)
	}
	empty, err := overlay.Intersection(orb.Polygon{square[0]}, orb.Polygon{{{80, 40}, {81, 40}, {81, 41}, {80, 40}}})
	if err != nil {
		t.Fatal(err)
	}
	if geodesic.Area(empty) != 0 || len(empty.(orb.Polygon)) != 0 {
		t.Errorf("Intersection of disjoint boxes = %v, want an empty polygon", empty)
	}
}

func TestBadInput(t *testing.T) {
	bowTie := orb.Polygon{{{60, 45}, {61, 46}, {61, 45}, {60, 46}, {60, 45}}}
	nan := math.NaN()
	cases := []struct {
		name  string
		call  func() error
		cause error
		says  string
	}{
		{"self-intersecting buffer", func() error { _, err := overlay.Buffer(bowTie, 1000); return err }, overlay.ErrInvalid, "Self-intersection"},
		{"self-intersecting contains", func() error { _, err := overlay.Contains(bowTie, almaty); return err }, overlay.ErrInvalid, "Self-intersection"},
		{"self-intersecting prepare", func() error { _, err := overlay.Prepare(bowTie); return err }, overlay.ErrInvalid, "Self-intersection"},
		{"empty polygon", func() error { _, err := overlay.Buffer(orb.Polygon{}, 1000); return err }, overlay.ErrEmpty, "empty"},
		{"nil geometry", func() error { _, err := overlay.Intersects(nil, almaty); return err }, overlay.ErrEmpty, "first geometry is empty"},
		{"empty collection", func() error { _, err := overlay.Distance(almaty, orb.Collection{}); return err }, overlay.ErrEmpty, "empty"},
		{"no geometry to union", func() error { _, err := overlay.Union(); return err }, overlay.ErrEmpty, "no geometry"},
		{"NaN vertex", func() error {
			_, err := overlay.Intersection(square, orb.MultiPolygon{{{{76, 42}, {77, 42}, {77, 43}, {76, 42}}}, {{{76, 42}, {nan, 42}, {77, 43}, {76, 42}}}})
			return err
		}, overlay.ErrInvalid, "second geometry: overlay: invalid geometry: part 2, ring 1, vertex 2 (NaN, 42)"},
		{"NaN point", func() error { _, err := overlay.Distance(orb.Point{nan, 1}, square); return err }, overlay.ErrInvalid, "the point"},
		{"latitude 95", func() error { _, err := overlay.Buffer(orb.Point{70, 95}, 1000); return err }, overlay.ErrInvalid, "latitude 95"},
		{"infinite distance", func() error { _, err := overlay.Buffer(almaty, math.Inf(1)); return err }, overlay.ErrInvalid, "not a finite number"},
		{"unclosed ring", func() error {
			_, err := overlay.Contains(orb.Polygon{{{76, 42}, {77, 42}, {77, 43}, {76, 43}}}, almaty)
			return err
		}, overlay.ErrInvalid, "ring 1: the ring is not closed"},
		{"two-point ring", func() error {
			_, err := overlay.Union(orb.Polygon{{{76, 42}, {77, 42}, {76, 42}}})
			return err
		}, overlay.ErrInvalid, "geometry 1: overlay: invalid geometry: ring 1: a ring needs at least four vertices, not 3"},
		{"one-point line", func() error { _, err := overlay.Buffer(orb.LineString{almaty}, 1000); return err }, overlay.ErrInvalid, "a line needs two vertices"},
		{"collection member", func() error {
			_, err := overlay.Intersects(orb.Collection{almaty, orb.LineString{almaty}}, square)
			return err
		}, overlay.ErrInvalid, "member 2: a line needs two vertices"},
	}
	for _, c := range cases {
		err := c.call()
		if !errors.Is(err, c.cause) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: error %v, want %v saying %q", c.name, err, c.cause, c.says)
		}
	}
}

func TestRandomPolygonsNeverPanic(t *testing.T) {
	// Random pentagons, many of them self-intersecting: every operation
	// answers or returns one of the package's errors.
	rng := rand.New(rand.NewPCG(1, 2))
	randomPolygon := func() orb.Polygon {
		ring := orb.Ring{}
		for range 5 {
			ring = append(ring, orb.Point{76 + rng.Float64(), 42 + rng.Float64()})
		}
		return orb.Polygon{append(ring, ring[0])}
	}
	valid := 0
	for range 200 {
		a, b := randomPolygon(), randomPolygon()
		_, errBuffer := overlay.Buffer(a, 2_000)
		_, errUnion := overlay.Union(a, b)
		_, errInter := overlay.Intersection(a, b)
		_, errContains := overlay.Contains(a, orb.Point{76.5, 42.5})
		_, errDistance := overlay.Distance(orb.Point{75, 41}, a)
		for _, err := range []error{errBuffer, errUnion, errInter, errContains, errDistance} {
			if err != nil && !errors.Is(err, overlay.ErrInvalid) && !errors.Is(err, overlay.ErrGEOS) {
				t.Fatalf("an error outside the package's sentinels: %v", err)
			}
		}
		if errBuffer == nil {
			valid++
		}
	}
	if valid == 0 || valid == 200 {
		t.Errorf("%d of 200 random pentagons were valid: the test should see both kinds", valid)
	}
}

func TestPreparedMatchesContains(t *testing.T) {
	prepared, err := overlay.Prepare(square)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	inside := 0
	for range 500 {
		p := orb.Point{75.5 + rng.Float64()*3, 41.5 + rng.Float64()*2}
		want, err := overlay.Contains(square, p)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := prepared.ContainsPoint(p); err != nil || got != want {
			t.Errorf("ContainsPoint(%v) = %v, %v; Contains says %v", p, got, err, want)
		}
		if want {
			inside++
		}
	}
	if inside == 0 {
		t.Error("no random point fell inside: the test tests nothing")
	}
	if _, err := prepared.ContainsPoint(orb.Point{math.NaN(), 42.5}); !errors.Is(err, overlay.ErrInvalid) {
		t.Errorf("ContainsPoint(NaN) error = %v, want ErrInvalid", err)
	}
}

func TestConcurrentUse(t *testing.T) {
	want, err := overlay.Buffer(almaty, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	prepared, err := overlay.Prepare(square)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 10 {
				got, err := overlay.Buffer(almaty, 10_000)
				if err != nil || !orb.Equal(got, want) {
					t.Errorf("a concurrent Buffer gave %v", err)
					return
				}
				if in, err := prepared.ContainsPoint(orb.Point{76.5, 42.5}); err != nil || !in {
					t.Errorf("a concurrent ContainsPoint missed: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func ExampleBuffer() {
	// A 10 km green belt around Almaty, measured on the ellipsoid.
	belt, err := overlay.Buffer(orb.Point{76.95, 43.24}, 10_000)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.1f km²\n", geodesic.Area(belt)/1e6)
	// Output: 314.0 km²
}

func BenchmarkBufferPoint(b *testing.B) {
	for b.Loop() {
		if _, err := overlay.Buffer(almaty, 10_000); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPreparedContainsPoint(b *testing.B) {
	prepared, err := overlay.Prepare(square)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	points := make([]orb.Point, 1024)
	for i := range points {
		points[i] = orb.Point{75.5 + rng.Float64()*3, 41.5 + rng.Float64()*2}
	}
	i := 0
	for b.Loop() {
		if _, err := prepared.ContainsPoint(points[i%len(points)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
