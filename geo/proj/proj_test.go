package proj_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/proj"
	"github.com/paulmach/orb"
)

// cs2cs runs PROJ's cs2cs from one CRS to another on coordinates given in
// the CRSs' own axis order, and returns its first two output columns.
func cs2cs(t *testing.T, from, to string, in [][2]float64) [][2]float64 {
	t.Helper()
	path, err := exec.LookPath("cs2cs")
	if err != nil {
		t.Fatalf("cs2cs is not installed (sh .ci/setup test installs proj-bin): %v", err)
	}
	var stdin strings.Builder
	for _, c := range in {
		fmt.Fprintf(&stdin, "%.12f %.12f\n", c[0], c[1])
	}
	cmd := exec.Command(path, "-f", "%.12f", from, to)
	cmd.Stdin = strings.NewReader(stdin.String())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cs2cs %s %s: %v: %s", from, to, err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(in) {
		t.Fatalf("cs2cs gave %d lines for %d coordinates", len(lines), len(in))
	}
	res := make([][2]float64, len(lines))
	for i, line := range lines {
		f := strings.Fields(line)
		for j := range 2 {
			if res[i][j], err = strconv.ParseFloat(f[j], 64); err != nil {
				t.Fatalf("cs2cs output %q: %v", line, err)
			}
		}
	}
	return res
}

// lonLatGrid returns n seeded random points in lon ∈ [lon0, lon1] and
// lat ∈ [lat0, lat1].
func lonLatGrid(seed uint64, n int, lon0, lon1, lat0, lat1 float64) []orb.Point {
	rng := rand.New(rand.NewPCG(seed, 2))
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{lon0 + rng.Float64()*(lon1-lon0), lat0 + rng.Float64()*(lat1-lat0)}
	}
	return pts
}

// metresApart is the distance between two lon/lat points near each other,
// good to far better than a millimetre at these separations.
func metresApart(a, b orb.Point) float64 {
	lat := (a[1] + b[1]) / 2 * math.Pi / 180
	dx := (a[0] - b[0]) * 111_320 * math.Cos(lat)
	dy := (a[1] - b[1]) * 110_574
	return math.Hypot(dx, dy)
}

type projected struct {
	code          int
	northingFirst bool // cs2cs writes this CRS's coordinates northing first
	lon0, lon1    float64
}

// regionCRSs are the CRSs the region's data comes in: UTM zones 38–45 N,
// the Pulkovo 1942 Gauss-Krüger zones 8–16, and Web Mercator.
func regionCRSs() []projected {
	var crss []projected
	for zone := 38; zone <= 45; zone++ {
		cm := float64(zone*6 - 183)
		crss = append(crss, projected{32600 + zone, false, cm - 3, cm + 3})
	}
	for zone := 8; zone <= 16; zone++ {
		cm := float64(zone*6 - 3)
		crss = append(crss, projected{28400 + zone, true, cm - 3, cm + 3})
	}
	return append(crss, projected{3857, false, 46, 88})
}

func TestTransformsMatchCs2cs(t *testing.T) {
	for _, c := range regionCRSs() {
		t.Run(fmt.Sprintf("EPSG:%d", c.code), func(t *testing.T) {
			crs, err := proj.EPSG(c.code)
			if err != nil {
				t.Fatal(err)
			}
			tr, err := proj.ToWGS84(crs)
			if err != nil {
				t.Fatal(err)
			}
			lonlat := lonLatGrid(uint64(c.code), 40, c.lon0, c.lon1, 36, 52)
			var latFirst [][2]float64
			for _, p := range lonlat {
				latFirst = append(latFirst, [2]float64{p[1], p[0]})
			}
			want := cs2cs(t, "EPSG:4326", fmt.Sprintf("EPSG:%d", c.code), latFirst)
			worst := 0.0
			for i, p := range lonlat {
				w := orb.Point{want[i][0], want[i][1]}
				if c.northingFirst {
					w = orb.Point{want[i][1], want[i][0]}
				}
				got, err := tr.Inverse(p)
				if err != nil {
					t.Fatal(err)
				}
				d := math.Hypot(got[0]-w[0], got[1]-w[1])
				worst = max(worst, d)
				if d > 0.001 {
					t.Errorf("Inverse(%v) = %.4f, cs2cs says %.4f: %.4f m apart", p, got, w, d)
				}
			}
			// And back: cs2cs from the projected coordinates to lon/lat.
			back := cs2cs(t, fmt.Sprintf("EPSG:%d", c.code), "EPSG:4326", want)
			for i := range want {
				xy := orb.Point{want[i][0], want[i][1]}
				if c.northingFirst {
					xy = orb.Point{want[i][1], want[i][0]}
				}
				got, err := tr.Forward(xy)
				if err != nil {
					t.Fatal(err)
				}
				w := orb.Point{back[i][1], back[i][0]}
				d := metresApart(got, w)
				worst = max(worst, d)
				if d > 0.001 {
					t.Errorf("Forward(%.4f) = %.10f, cs2cs says %.10f: %.4f m apart", xy, got, w, d)
				}
			}
			t.Logf("%s: worst difference from cs2cs %.2g m", crs, worst)
		})
	}
}

func TestESRIPrjFromGDAL(t *testing.T) {
	// Written by ogr2ogr -f "ESRI Shapefile" -t_srs EPSG:28413.
	text, err := os.ReadFile("testdata/pulkovo1942_gk13.prj")
	if err != nil {
		t.Fatal(err)
	}
	crs, err := proj.Parse(string(text))
	if err != nil {
		t.Fatal(err)
	}
	if crs.EPSG() != 28413 || crs.Name() != "Pulkovo 1942 / Gauss-Kruger zone 13" || crs.Kind() != proj.Projected {
		t.Errorf("the .prj reads as %q, EPSG %d, %v; want Pulkovo 1942 / Gauss-Kruger zone 13, 28413, projected",
			crs.Name(), crs.EPSG(), crs.Kind())
	}
	tr, err := proj.ToWGS84(crs)
	if err != nil {
		t.Fatal(err)
	}
	// The point GDAL wrote into the shapefile next to that .prj: Almaty.
	almaty, err := tr.Forward(orb.Point{13658434.1124585, 4791282.53357941})
	if err != nil {
		t.Fatal(err)
	}
	if d := metresApart(almaty, orb.Point{76.95, 43.24}); d > 0.001 {
		t.Errorf("GDAL's Almaty reads back as %.10f, %.4f m from 76.95, 43.24", almaty, d)
	}
	// Across the zone, the .prj gives what cs2cs gives for EPSG:28413.
	pts := lonLatGrid(7, 30, 72, 78, 36, 52)
	var latFirst [][2]float64
	for _, p := range pts {
		latFirst = append(latFirst, [2]float64{p[1], p[0]})
	}
	want := cs2cs(t, "EPSG:4326", "EPSG:28413", latFirst)
	for i, p := range pts {
		got, err := tr.Inverse(p)
		if err != nil {
			t.Fatal(err)
		}
		if d := math.Hypot(got[0]-want[i][1], got[1]-want[i][0]); d > 0.001 {
			t.Errorf("Inverse(%v) via the .prj = %.4f, cs2cs EPSG:28413 says %.4f, %.4f", p, got, want[i][1], want[i][0])
		}
	}
}

func TestParse(t *testing.T) {
	cases := []struct {
		text string
		id   string
		name string
		kind proj.Kind
	}{
		{"EPSG:4326", "EPSG:4326", "WGS 84", proj.Geographic},
		{"epsg:32643", "EPSG:32643", "WGS 84 / UTM zone 43N", proj.Projected},
		{"28413", "EPSG:28413", "Pulkovo 1942 / Gauss-Kruger zone 13", proj.Projected},
		{"urn:ogc:def:crs:EPSG::3857", "EPSG:3857", "WGS 84 / Pseudo-Mercator", proj.Projected},
		{"\uFEFF  EPSG:32642\n", "EPSG:32642", "WGS 84 / UTM zone 42N", proj.Projected},
		{"+proj=utm +zone=43 +datum=WGS84 +units=m +no_defs", "EPSG:32643", "WGS 84 / UTM zone 43N", proj.Projected},
		{"WGS 84 / UTM zone 41N", "EPSG:32641", "WGS 84 / UTM zone 41N", proj.Projected},
		// Krassowsky with +towgs84 fits several datums equally: no ID.
		{"+proj=tmerc +lat_0=0 +lon_0=75 +k=1 +x_0=13500000 +y_0=0 +ellps=krass +towgs84=25,-141,-78.5,0,0.35,0.736,0 +units=m",
			"", "+proj=tmerc +lat_0=0 +lon_0=75 +k=1 +x_0=13500000 +y_0=0 +ellps=krass +towgs84=25,-141,-78.5,0,0.35,0.736,0 +units=m", proj.Projected},
		{`GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]]`,
			"EPSG:4326", "WGS 84", proj.Geographic},
		{"EPSG:9518", "EPSG:9518", "WGS 84 + EGM2008 height", proj.Compound},
	}
	for _, c := range cases {
		crs, err := proj.Parse(c.text)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.text, err)
			continue
		}
		if crs.ID() != c.id || crs.Name() != c.name || crs.Kind() != c.kind {
			t.Errorf("Parse(%q) = %q %q %v, want %q %q %v", c.text, crs.ID(), crs.Name(), crs.Kind(), c.id, c.name, c.kind)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ text, says string }{
		{"", "empty"},
		{"   ", "empty"},
		{"EPSG:999999", "EPSG:999999"},
		{`PROJCS["broken",`, "PROJCS"},
		{"EPSG:4978", "geocentric"},
		{"EPSG:5773", "vertical"},
		{"+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad", "not a coordinate reference system"},
		{"EPSG:4326\x00", "NUL"},
	}
	for _, c := range cases {
		_, err := proj.Parse(c.text)
		if !errors.Is(err, proj.ErrParse) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("Parse(%q) error = %v, want ErrParse saying %q", c.text, err, c.says)
		}
	}
}

func TestCRSString(t *testing.T) {
	crs, err := proj.EPSG(28413)
	if err != nil {
		t.Fatal(err)
	}
	if got := crs.String(); got != "Pulkovo 1942 / Gauss-Kruger zone 13 (EPSG:28413)" {
		t.Errorf("String() = %q", got)
	}
	if proj.WGS84.String() != "WGS 84 (EPSG:4326)" || proj.WGS84.EPSG() != 4326 {
		t.Errorf("WGS84 = %q, EPSG %d", proj.WGS84, proj.WGS84.EPSG())
	}
}

func TestGeometryRoundTrip(t *testing.T) {
	gk, err := proj.EPSG(28413)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := proj.ToWGS84(gk)
	if err != nil {
		t.Fatal(err)
	}
	lonlat := orb.Collection{
		orb.Point{76.95, 43.24},
		orb.MultiPoint{{76, 42}, {77, 43}},
		orb.LineString{{74, 42}, {75, 43}, {76, 44}},
		orb.MultiLineString{{{74, 42}, {75, 43}}, {{76, 44}, {77, 45}}},
		orb.Ring{{74, 42}, {75, 42}, {75, 43}, {74, 42}},
		orb.Polygon{{{74, 42}, {78, 42}, {78, 44}, {74, 44}, {74, 42}}, {{75, 42.5}, {76, 42.5}, {76, 43}, {75, 42.5}}},
		orb.MultiPolygon{{{{74, 42}, {75, 42}, {75, 43}, {74, 42}}}, {{{76, 42}, {77, 42}, {77, 43}, {76, 42}}}},
		orb.LineString{},
	}
	projected, err := tr.InverseGeometry(lonlat)
	if err != nil {
		t.Fatal(err)
	}
	if projected.GeoJSONType() != "GeometryCollection" || len(projected.(orb.Collection)) != len(lonlat) {
		t.Fatalf("InverseGeometry changed the structure: %#v", projected)
	}
	first := projected.(orb.Collection)[0].(orb.Point)
	if want, _ := tr.Inverse(orb.Point{76.95, 43.24}); first != want {
		t.Errorf("a point in a collection became %v, alone %v", first, want)
	}
	back, err := tr.ForwardGeometry(projected)
	if err != nil {
		t.Fatal(err)
	}
	for i, member := range back.(orb.Collection) {
		want := lonlat[i]
		if member.GeoJSONType() != want.GeoJSONType() {
			t.Errorf("member %d came back as %s, want %s", i+1, member.GeoJSONType(), want.GeoJSONType())
		}
		got, orig := vertices(member), vertices(want)
		if len(got) != len(orig) {
			t.Errorf("member %d came back with %d vertices, want %d", i+1, len(got), len(orig))
			continue
		}
		// The round trip through the Pulkovo 1942 → WGS 84 Helmert shift
		// closes to under a millimetre, not exactly.
		for j := range got {
			if d := metresApart(got[j], orig[j]); d > 0.001 {
				t.Errorf("member %d, vertex %d came back as %v, %.4f m from %v", i+1, j+1, got[j], d, orig[j])
			}
		}
	}
	b, err := tr.InverseGeometry(orb.Bound{Min: orb.Point{74, 42}, Max: orb.Point{76, 44}})
	if err != nil {
		t.Fatal(err)
	}
	bound := b.(orb.Bound)
	for _, corner := range []orb.Point{{74, 42}, {76, 42}, {76, 44}, {74, 44}, {75, 44}} {
		p, _ := tr.Inverse(corner)
		if !bound.Pad(1e-6).Contains(p) {
			t.Errorf("the transformed bound %v misses %v (%v)", bound, corner, p)
		}
	}
}

// vertices lists every vertex of g in order.
func vertices(g orb.Geometry) []orb.Point {
	var out []orb.Point
	switch g := g.(type) {
	case orb.Point:
		out = append(out, g)
	case orb.MultiPoint:
		out = append(out, g...)
	case orb.LineString:
		out = append(out, g...)
	case orb.Ring:
		out = append(out, g...)
	case orb.MultiLineString:
		for _, ls := range g {
			out = append(out, ls...)
		}
	case orb.Polygon:
		for _, r := range g {
			out = append(out, r...)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			out = append(out, vertices(p)...)
		}
	}
	return out
}

func TestVertexErrors(t *testing.T) {
	utm, err := proj.EPSG(32643)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := proj.ToWGS84(utm)
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	cases := []struct {
		name  string
		g     orb.Geometry
		inv   bool
		want  proj.VertexError
		cause error
	}{
		{"NaN in a multipolygon's hole", orb.MultiPolygon{
			{{{74, 42}, {75, 42}, {75, 43}, {74, 42}}},
			{{{74, 42}, {75, 42}, {75, 43}, {74, 42}}, {{74.2, 42.2}, {74.4, 42.2}, {nan, 42.4}, {74.2, 42.2}}},
		}, true, proj.VertexError{Part: 2, Ring: 2, Vertex: 3}, proj.ErrNotFinite},
		{"latitude 95 on a line", orb.LineString{{74, 42}, {75, 43}, {76, 95}}, true,
			proj.VertexError{Vertex: 3}, proj.ErrTransform},
		{"infinity in a collection", orb.Collection{orb.Point{500000, 4700000}, orb.MultiPoint{{500000, 4700000}, {math.Inf(1), 0}}}, false,
			proj.VertexError{Member: 2, Vertex: 2}, proj.ErrNotFinite},
		{"beyond the projection", orb.MultiLineString{{{500000, 4700000}}, {{500000, 4700000}, {1e30, 4700000}}}, false,
			proj.VertexError{Part: 2, Vertex: 2}, proj.ErrTransform},
	}
	for _, c := range cases {
		var err error
		if c.inv {
			_, err = tr.InverseGeometry(c.g)
		} else {
			_, err = tr.ForwardGeometry(c.g)
		}
		var ve *proj.VertexError
		if !errors.As(err, &ve) {
			t.Errorf("%s: error %v, want a *VertexError", c.name, err)
			continue
		}
		if ve.Member != c.want.Member || ve.Part != c.want.Part || ve.Ring != c.want.Ring || ve.Vertex != c.want.Vertex {
			t.Errorf("%s: error at member %d part %d ring %d vertex %d, want %d %d %d %d (%v)", c.name,
				ve.Member, ve.Part, ve.Ring, ve.Vertex, c.want.Member, c.want.Part, c.want.Ring, c.want.Vertex, err)
		}
		if !errors.Is(err, c.cause) {
			t.Errorf("%s: error %v is not %v", c.name, err, c.cause)
		}
		t.Logf("%s: %v", c.name, err)
	}
	if _, err := tr.Forward(orb.Point{nan, 1}); !errors.Is(err, proj.ErrNotFinite) {
		t.Errorf("Forward(NaN) error = %v, want ErrNotFinite", err)
	}
	if _, err := tr.Forward(orb.Point{1e30, 4700000}); !errors.Is(err, proj.ErrTransform) {
		t.Errorf("Forward(1e30, …) error = %v, want ErrTransform", err)
	}
}

func TestVertexErrorMessage(t *testing.T) {
	err := &proj.VertexError{Part: 2, Ring: 1, Vertex: 5, X: 1, Y: 2, Err: proj.ErrNotFinite}
	if got, want := err.Error(), "part 2, ring 1, vertex 5 (1, 2): proj: coordinate is not a finite number"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestAzimuthalEquidistant(t *testing.T) {
	centre := orb.Point{76.95, 43.24}
	tr, err := proj.AzimuthalEquidistant(centre)
	if err != nil {
		t.Fatal(err)
	}
	if tr.From().EPSG() != 4326 || tr.To().Kind() != proj.Projected {
		t.Errorf("AzimuthalEquidistant goes from %v to %v", tr.From(), tr.To())
	}
	origin, err := tr.Forward(centre)
	if err != nil {
		t.Fatal(err)
	}
	if math.Hypot(origin[0], origin[1]) > 1e-9 {
		t.Errorf("the centre projects to %v, want the origin", origin)
	}
	// Tashkent lies 667.8 km away on a bearing of −106.1° (geo/geodesic's
	// example, from PROJ's geod): the projection keeps both.
	p, err := tr.Forward(orb.Point{69.28, 41.31})
	if err != nil {
		t.Fatal(err)
	}
	const want = 667_828.0
	if d := math.Hypot(p[0], p[1]); math.Abs(d-want) > 100 {
		t.Errorf("Tashkent is %.0f m from the origin, want about %.0f", d, want)
	}
	if az := math.Atan2(p[0], p[1]) * 180 / math.Pi; math.Abs(az+106.1) > 0.1 {
		t.Errorf("Tashkent's bearing is %.2f°, want about −106.1°", az)
	}
	if _, err := proj.AzimuthalEquidistant(orb.Point{70, 100}); !errors.Is(err, proj.ErrNoTransform) {
		t.Errorf("a centre at latitude 100: error %v, want ErrNoTransform", err)
	}
}

func TestNewTransformRejectsZeroCRS(t *testing.T) {
	if _, err := proj.NewTransform(proj.CRS{}, proj.WGS84); !errors.Is(err, proj.ErrNoTransform) {
		t.Errorf("NewTransform from the zero CRS: error %v, want ErrNoTransform", err)
	}
}

func TestConcurrentTransforms(t *testing.T) {
	gk, err := proj.EPSG(28413)
	if err != nil {
		t.Fatal(err)
	}
	shared, err := proj.ToWGS84(gk)
	if err != nil {
		t.Fatal(err)
	}
	line := orb.LineString(lonLatGrid(3, 500, 72, 78, 38, 48))
	want, err := shared.InverseGeometry(line)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Go(func() {
			tr := shared
			if w%2 == 1 { // half the workers bring a transform of their own
				if tr, err = proj.ToWGS84(gk); err != nil {
					t.Error(err)
					return
				}
			}
			for range 20 {
				got, err := tr.InverseGeometry(line)
				if err != nil {
					t.Error(err)
					return
				}
				if !orb.Equal(got, want) {
					t.Error("a concurrent transform gave a different result")
					return
				}
			}
		})
	}
	wg.Wait()
}

func ExampleParse() {
	crs, err := proj.Parse(`PROJCS["Pulkovo_1942_GK_Zone_13",GEOGCS["GCS_Pulkovo_1942",DATUM["D_Pulkovo_1942",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",13500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",75.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(crs)
	tr, err := proj.ToWGS84(crs)
	if err != nil {
		fmt.Println(err)
		return
	}
	lonlat, err := tr.Forward(orb.Point{13658434.112, 4791282.534})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("lon %.5f, lat %.5f\n", lonlat[0], lonlat[1])
	// Output:
	// Pulkovo 1942 / Gauss-Kruger zone 13 (EPSG:28413)
	// lon 76.95000, lat 43.24000
}

func BenchmarkForwardGeometry10k(b *testing.B) {
	gk, err := proj.EPSG(28413)
	if err != nil {
		b.Fatal(err)
	}
	tr, err := proj.ToWGS84(gk)
	if err != nil {
		b.Fatal(err)
	}
	projected, err := tr.InverseGeometry(orb.LineString(lonLatGrid(5, 10_000, 72, 78, 38, 48)))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := tr.ForwardGeometry(projected); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewTransform(b *testing.B) {
	gk, err := proj.EPSG(28413)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := proj.ToWGS84(gk); err != nil {
			b.Fatal(err)
		}
	}
}
