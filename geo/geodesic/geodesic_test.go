package geodesic_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/geodesic"
	"github.com/paulmach/orb"
)

// Test shapes across Central Asia, lon/lat.
var (
	// aral is a rough counter-clockwise outline of the Aral Sea at its 1960 extent, about
	// 66 000 km².
	aral = orb.Polygon{{
		{58.20, 45.05}, {58.65, 44.35}, {59.75, 43.75}, {60.15, 44.30}, {61.10, 44.30},
		{61.60, 45.00}, {61.95, 45.95}, {61.15, 46.60}, {60.15, 46.80}, {59.00, 46.55},
		{58.45, 45.95}, {58.20, 45.05},
	}}
	// issykKulWithHole is a lake-sized polygon around Issyk-Kul with a hole.
	issykKulWithHole = orb.Polygon{
		{{76.10, 42.25}, {78.20, 42.05}, {78.45, 42.55}, {77.25, 42.85}, {76.15, 42.70}, {76.10, 42.25}},
		{{77.00, 42.40}, {77.30, 42.60}, {77.60, 42.40}, {77.30, 42.30}, {77.00, 42.40}},
	}
	// acrossTheRegion is a line Aktau – Ashgabat – Tashkent – Almaty – Astana.
	acrossTheRegion = orb.LineString{
		{51.20, 43.65}, {58.38, 37.95}, {69.28, 41.31}, {76.95, 43.24}, {71.45, 51.17},
	}
)

// runTool runs an external reference program with stdin and returns its
// output lines.
func runTool(t *testing.T, stdin string, name string, args ...string) []string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("the reference program %s is not installed (sh .ci/setup test installs it): %v", name, err)
	}
	cmd := exec.Command(path, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v: %s", name, strings.Join(args, " "), err, stderr.String())
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

func parseFloats(t *testing.T, line string) []float64 {
	t.Helper()
	var values []float64
	for _, field := range strings.Fields(line) {
		v, err := strconv.ParseFloat(field, 64)
		if err != nil {
			t.Fatalf("reference output %q: %v", line, err)
		}
		values = append(values, v)
	}
	return values
}

// geodInverse asks PROJ's geod for the distance, forward azimuth and back
// azimuth of each pair.
func geodInverse(t *testing.T, pairs [][2]orb.Point) [][3]float64 {
	t.Helper()
	var in strings.Builder
	for _, p := range pairs {
		fmt.Fprintf(&in, "%.12f %.12f %.12f %.12f\n", p[0][1], p[0][0], p[1][1], p[1][0])
	}
	lines := runTool(t, in.String(), "geod", "+ellps=WGS84", "-I", "-f", "%.12f", "-F", "%.6f")
	out := make([][3]float64, len(lines))
	for i, line := range lines {
		v := parseFloats(t, line)
		out[i] = [3]float64{v[2], v[0], v[1]}
	}
	return out
}

// planimeter asks GeographicLib's Planimeter for the perimeter and signed
// area of each ring.
func planimeter(t *testing.T, rings ...orb.Ring) [][2]float64 {
	t.Helper()
	var in strings.Builder
	for _, r := range rings {
		for _, p := range r[:len(r)-1] {
			fmt.Fprintf(&in, "%.12f %.12f\n", p[1], p[0])
		}
		in.WriteString("\n")
	}
	lines := runTool(t, in.String(), "Planimeter", "-p", "6")
	out := make([][2]float64, len(lines))
	for i, line := range lines {
		v := parseFloats(t, line)
		out[i] = [2]float64{v[1], v[2]}
	}
	return out
}

func relDiff(got, want float64) float64 {
	return math.Abs(got-want) / math.Abs(want)
}

func angleDiff(a, b float64) float64 {
	d := math.Mod(a-b, 360)
	if d > 180 {
		d -= 360
	} else if d < -180 {
		d += 360
	}
	return math.Abs(d)
}

func randomPairs(n int) [][2]orb.Point {
	rng := rand.New(rand.NewPCG(1, 2))
	pairs := make([][2]orb.Point, n)
	for i := range pairs {
		pairs[i] = [2]orb.Point{
			{46 + rng.Float64()*42, 35 + rng.Float64()*21},
			{46 + rng.Float64()*42, 35 + rng.Float64()*21},
		}
	}
	return pairs
}

func TestInverseMatchesGeod(t *testing.T) {
	pairs := append(randomPairs(200), [][2]orb.Point{
		{{76.95, 43.24}, {69.28, 41.31}},      // Almaty – Tashkent
		{{71.45, 51.17}, {68.78, 38.56}},      // Astana – Dushanbe
		{{58.38, 37.95}, {58.38, 37.95}},      // the same point
		{{0, 0}, {179.5, 0.5}},                // nearly antipodal
		{{51.2, 43.65}, {51.2 + 1e-9, 43.65}}, // a few microns
	}...)
	want := geodInverse(t, pairs)
	for i, p := range pairs {
		metres, az1, az2 := geodesic.Inverse(p[0], p[1])
		w := want[i]
		if math.Abs(metres-w[0]) > 1e-6+1e-12*w[0] {
			t.Errorf("%v → %v: %.6f m, geod says %.6f m", p[0], p[1], metres, w[0])
		}
		if w[0] < 1e-3 {
			continue // azimuths of a zero-length geodesic are a convention
		}
		if angleDiff(az1, w[1]) > 1e-8 {
			t.Errorf("%v → %v: azimuth1 %.10f, geod says %.10f", p[0], p[1], az1, w[1])
		}
		if angleDiff(az2, w[2]+180) > 1e-8 {
			t.Errorf("%v → %v: azimuth2 %.10f, geod's back azimuth %.10f", p[0], p[1], az2, w[2])
		}
	}
}

func TestDirectInvertsInverse(t *testing.T) {
	for _, p := range randomPairs(200) {
		metres, az1, _ := geodesic.Inverse(p[0], p[1])
		got := geodesic.Direct(p[0], az1, metres)
		if d := geodesic.Distance(got, p[1]); d > 1e-6 {
			t.Errorf("Direct(%v, %v, %v) = %v, %g m from %v", p[0], az1, metres, got, d, p[1])
		}
	}
}

func TestDirectReducesLongitude(t *testing.T) {
	got := geodesic.Direct(orb.Point{179.9, 0}, 90, 50_000)
	if got[0] > -179 || got[0] < -180 {
		t.Errorf("Direct across the antimeridian = %v, want a longitude just above −180", got)
	}
}

func TestLengthMatchesGeod(t *testing.T) {
	var pairs [][2]orb.Point
	for i := 1; i < len(acrossTheRegion); i++ {
		pairs = append(pairs, [2]orb.Point{acrossTheRegion[i-1], acrossTheRegion[i]})
	}
	want := 0.0
	for _, w := range geodInverse(t, pairs) {
		want += w[0]
	}
	got := geodesic.Length(acrossTheRegion)
	t.Logf("Aktau – Ashgabat – Tashkent – Almaty – Astana: %.3f m, geod %.3f m", got, want)
	if relDiff(got, want) > 1e-10 {
		t.Errorf("Length = %.6f m, geod's sum = %.6f m", got, want)
	}
	// A line's length is the same whichever way it runs and however it is split.
	reversed := append(orb.LineString(nil), acrossTheRegion...)
	reversed.Reverse()
	split := orb.MultiLineString{acrossTheRegion[:3], acrossTheRegion[2:]}
	for name, g := range map[string]orb.Geometry{"reversed": reversed, "split": split} {
		if l := geodesic.Length(g); relDiff(l, got) > 1e-12 {
			t.Errorf("%s: Length = %.6f, want %.6f", name, l, got)
		}
	}
}

func TestAreaMatchesPlanimeter(t *testing.T) {
	ref := planimeter(t, aral[0], issykKulWithHole[0], issykKulWithHole[1])
	cases := []struct {
		name                string
		g                   orb.Geometry
		wantArea, wantPerim float64
	}{
		{"Aral", aral, math.Abs(ref[0][1]), ref[0][0]},
		{"Issyk-Kul with a hole", issykKulWithHole,
			math.Abs(ref[1][1]) - math.Abs(ref[2][1]), ref[1][0] + ref[2][0]},
		{"multipolygon", orb.MultiPolygon{aral, issykKulWithHole},
			math.Abs(ref[0][1]) + math.Abs(ref[1][1]) - math.Abs(ref[2][1]), ref[0][0] + ref[1][0] + ref[2][0]},
	}
	for _, c := range cases {
		area, perimeter := geodesic.Area(c.g), geodesic.Perimeter(c.g)
		t.Logf("%s: %.6f km², Planimeter %.6f km²", c.name, area/1e6, c.wantArea/1e6)
		if relDiff(area, c.wantArea) > 1e-9 {
			t.Errorf("%s: Area = %.1f m², Planimeter %.1f m² (%.2g relative)", c.name, area, c.wantArea, relDiff(area, c.wantArea))
		}
		if relDiff(perimeter, c.wantPerim) > 1e-10 {
			t.Errorf("%s: Perimeter = %.6f m, Planimeter %.6f m", c.name, perimeter, c.wantPerim)
		}
		if l := geodesic.Length(c.g); l != perimeter {
			t.Errorf("%s: Length = %v, Perimeter = %v; they measure the same rings", c.name, l, perimeter)
		}
	}
}

func TestAreaIgnoresOrientation(t *testing.T) {
	flipped := orb.Polygon{}
	for _, r := range issykKulWithHole {
		r = append(orb.Ring(nil), r...)
		r.Reverse()
		flipped = append(flipped, r)
	}
	// Outer and hole wound the same way, as some files have them.
	sameWay := orb.Polygon{issykKulWithHole[0], flipped[1]}
	want := geodesic.Area(issykKulWithHole)
	for name, g := range map[string]orb.Polygon{"flipped": flipped, "same way": sameWay} {
		if got := geodesic.Area(g); relDiff(got, want) > 1e-12 {
			t.Errorf("%s: Area = %v, want %v", name, got, want)
		}
	}
	ring := aral[0]
	if s := geodesic.SignedArea(ring); relDiff(s, geodesic.Area(ring)) > 1e-12 {
		t.Errorf("SignedArea of the counter-clockwise Aral ring = %v, want %v", s, geodesic.Area(ring))
	}
	reversed := append(orb.Ring(nil), ring...)
	reversed.Reverse()
	if s := geodesic.SignedArea(reversed); relDiff(-s, geodesic.Area(ring)) > 1e-12 {
		t.Errorf("SignedArea of the clockwise ring = %v, want %v", s, -geodesic.Area(ring))
	}
	open := ring[:len(ring)-1]
	if a := geodesic.Area(open); relDiff(a, geodesic.Area(ring)) > 1e-12 {
		t.Errorf("an unclosed ring: Area = %v, want %v", a, geodesic.Area(ring))
	}
}

func TestMeasuresOfWhatHasNone(t *testing.T) {
	cases := map[string]orb.Geometry{
		"point":           orb.Point{70, 40},
		"multipoint":      orb.MultiPoint{{70, 40}, {71, 41}},
		"empty line":      orb.LineString{},
		"one-point line":  orb.LineString{{70, 40}},
		"empty polygon":   orb.Polygon{},
		"degenerate ring": orb.Ring{{70, 40}, {70, 40}},
	}
	for name, g := range cases {
		if a, l := geodesic.Area(g), geodesic.Length(g); a != 0 || l != 0 {
			t.Errorf("%s: Area = %v, Length = %v, want 0 and 0", name, a, l)
		}
	}
	if p := geodesic.Perimeter(acrossTheRegion); p != 0 {
		t.Errorf("Perimeter of a line = %v, want 0", p)
	}
	if a := geodesic.Area(orb.Ring{{70, 40}, {71, math.NaN()}, {71, 41}}); !math.IsNaN(a) {
		t.Errorf("Area with a NaN vertex = %v, want NaN", a)
	}
	if d := geodesic.Distance(orb.Point{70, 95}, orb.Point{70, 40}); !math.IsNaN(d) {
		t.Errorf("Distance from latitude 95 = %v, want NaN", d)
	}
}

func TestBoundAndCollection(t *testing.T) {
	b := orb.Bound{Min: orb.Point{76, 42}, Max: orb.Point{78, 43}}
	if got, want := geodesic.Area(b), geodesic.Area(orb.Polygon{b.ToRing()}); got != want || got <= 0 {
		t.Errorf("Area(bound) = %v, want %v", got, want)
	}
	c := orb.Collection{aral, acrossTheRegion, orb.Point{70, 40}}
	if got, want := geodesic.Area(c), geodesic.Area(aral); got != want {
		t.Errorf("Area(collection) = %v, want %v", got, want)
	}
	if got, want := geodesic.Length(c), geodesic.Length(aral)+geodesic.Length(acrossTheRegion); relDiff(got, want) > 1e-12 {
		t.Errorf("Length(collection) = %v, want %v", got, want)
	}
}

// ellipsoidalCircleArea is the area of a geodesic circle of radius r around
// a point at latitude lat: a spherical cap on the sphere with the point's
// Gaussian radius of curvature, exact to order r⁴.
func ellipsoidalCircleArea(lat, r float64) float64 {
	e2 := geodesic.Flattening * (2 - geodesic.Flattening)
	s := math.Sin(lat * math.Pi / 180)
	w := 1 - e2*s*s
	meridian := geodesic.EquatorialRadius * (1 - e2) / math.Pow(w, 1.5)
	normal := geodesic.EquatorialRadius / math.Sqrt(w)
	radius := math.Sqrt(meridian * normal)
	return 2 * math.Pi * radius * radius * (1 - math.Cos(r/radius))
}

func TestCircle(t *testing.T) {
	for _, c := range []struct {
		centre   orb.Point
		radius   float64
		segments int
	}{
		{orb.Point{76.95, 43.24}, 10_000, 64}, // 10 km round Almaty
		{orb.Point{59.6, 43.8}, 150_000, 128}, // the Aral's size
		{orb.Point{71.45, 51.17}, 500, 32},    // a small one at Astana
	} {
		ring, err := geodesic.Circle(c.centre, c.radius, c.segments)
		if err != nil {
			t.Fatal(err)
		}
		if len(ring) != c.segments+1 || ring[0] != ring[len(ring)-1] {
			t.Fatalf("Circle: %d points, closed %v; want %d, closed", len(ring), ring[0] == ring[len(ring)-1], c.segments+1)
		}
		for i, p := range ring {
			if d := geodesic.Distance(c.centre, p); math.Abs(d-c.radius) > 1e-6 {
				t.Fatalf("vertex %d is %.9f m from the centre, want %v", i+1, d, c.radius)
			}
		}
		if geodesic.SignedArea(ring) <= 0 {
			t.Errorf("Circle(%v) runs clockwise", c.centre)
		}
		// An inscribed polygon falls short of the circle by (2π/n)²/6.
		want := ellipsoidalCircleArea(c.centre[1], c.radius)
		shortfall := math.Pow(2*math.Pi/float64(c.segments), 2) / 6
		got := geodesic.Area(ring)
		if d := 1 - got/want; math.Abs(d-shortfall) > 0.1*shortfall {
			t.Errorf("Circle(%v, %v, %d): area %.1f m² is %.4f %% below the circle's %.1f; want about %.4f %%",
				c.centre, c.radius, c.segments, got, 100*d, want, 100*shortfall)
		}
	}
}

func TestCircleRejects(t *testing.T) {
	for _, c := range []struct {
		centre   orb.Point
		radius   float64
		segments int
	}{
		{orb.Point{70, 40}, 0, 64},
		{orb.Point{70, 40}, -5, 64},
		{orb.Point{70, 40}, math.NaN(), 64},
		{orb.Point{70, 40}, math.Inf(1), 64},
		{orb.Point{70, 40}, 1000, 2},
		{orb.Point{70, 91}, 1000, 64},
		{orb.Point{math.NaN(), 40}, 1000, 64},
	} {
		if _, err := geodesic.Circle(c.centre, c.radius, c.segments); !errors.Is(err, geodesic.ErrInvalid) {
			t.Errorf("Circle(%v, %v, %d) error = %v, want ErrInvalid", c.centre, c.radius, c.segments, err)
		}
	}
}

func TestDensify(t *testing.T) {
	g, err := geodesic.Densify(orb.Collection{acrossTheRegion, aral, orb.Point{70, 40}}, 50_000)
	if err != nil {
		t.Fatal(err)
	}
	c := g.(orb.Collection)
	line, poly := c[0].(orb.LineString), c[1].(orb.Polygon)
	if c[2] != (orb.Point{70, 40}) {
		t.Errorf("Densify changed a point: %v", c[2])
	}
	if relDiff(geodesic.Length(line), geodesic.Length(acrossTheRegion)) > 1e-12 {
		t.Errorf("densified line is %v m, the original %v m: the new points are off the geodesics",
			geodesic.Length(line), geodesic.Length(acrossTheRegion))
	}
	if relDiff(geodesic.Area(poly), geodesic.Area(aral)) > 1e-9 {
		t.Errorf("densified polygon's area %v, the original's %v", geodesic.Area(poly), geodesic.Area(aral))
	}
	for i := 1; i < len(line); i++ {
		if d := geodesic.Distance(line[i-1], line[i]); d > 50_000+1e-6 {
			t.Fatalf("segment %d is %v m, longer than 50 km", i, d)
		}
	}
	// Every original vertex is kept, in order.
	j := 0
	for _, p := range line {
		if j < len(acrossTheRegion) && p == acrossTheRegion[j] {
			j++
		}
	}
	if j != len(acrossTheRegion) {
		t.Errorf("Densify kept %d of %d original vertices", j, len(acrossTheRegion))
	}
	if _, err := geodesic.Densify(aral, 0); !errors.Is(err, geodesic.ErrInvalid) {
		t.Errorf("Densify with 0 m segments: error %v, want ErrInvalid", err)
	}
}

func TestConcurrentUse(t *testing.T) {
	want := geodesic.Area(aral)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				if got := geodesic.Area(aral); got != want {
					t.Errorf("Area under concurrency = %v, want %v", got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

func ExampleInverse() {
	almaty, tashkent := orb.Point{76.95, 43.24}, orb.Point{69.28, 41.31}
	metres, azimuth1, _ := geodesic.Inverse(almaty, tashkent)
	fmt.Printf("%.1f km, heading %.1f°\n", metres/1000, azimuth1)
	// Output: 667.8 km, heading -106.1°
}

func ExampleArea() {
	// One degree square over the northern Aral, holes subtracted.
	square := orb.Polygon{
		{{60, 45}, {61, 45}, {61, 46}, {60, 46}, {60, 45}},
		{{60.4, 45.4}, {60.6, 45.4}, {60.6, 45.6}, {60.4, 45.6}, {60.4, 45.4}},
	}
	fmt.Printf("%.1f km²\n", geodesic.Area(square)/1e6)
	// Output: 8338.9 km²
}

func BenchmarkInverse(b *testing.B) {
	pairs := randomPairs(1024)
	i := 0
	for b.Loop() {
		p := pairs[i%len(pairs)]
		geodesic.Inverse(p[0], p[1])
		i++
	}
}

func BenchmarkAreaOfCircle1000(b *testing.B) {
	ring, err := geodesic.Circle(orb.Point{60, 45}, 100_000, 1000)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		geodesic.Area(ring)
	}
}
