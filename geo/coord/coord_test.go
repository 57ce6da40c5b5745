package coord_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/coord"
	"github.com/ecoatlas/ecoatlas/geo/geodesic"
	"github.com/paulmach/orb"
)

func TestParse(t *testing.T) {
	cases := []struct {
		in        string
		lon, lat  float64
		precision float64 // metres, compared within 5 %
		kind      coord.Kind
	}{
		{"42.45 77.3", 77.3, 42.45, 8_230, coord.KindDecimal},
		{"42.45, 77.3", 77.3, 42.45, 8_230, coord.KindDecimal},
		{"42.4500,77.3000", 77.3, 42.45, 11.1, coord.KindDecimal},
		{"42.45N 77.3E", 77.3, 42.45, 8_230, coord.KindDecimal},
		{"77.3E 42.45N", 77.3, 42.45, 8_230, coord.KindDecimal},
		{"N42.45 E77.30", 77.3, 42.45, 1_110, coord.KindDecimal},
		{"42.45° N, 77.30° E", 77.3, 42.45, 1_110, coord.KindDecimal},
		{"-33.9 -70.6", -70.6, -33.9, 11_100, coord.KindDecimal},
		{"−33.90 −70.60", -70.6, -33.9, 1_110, coord.KindDecimal}, // Unicode minus
		{"33.90S 70.60W", -70.6, -33.9, 1_110, coord.KindDecimal},
		{"120.5 42.25", 120.5, 42.25, 8_240, coord.KindDecimal}, // 120.5 cannot be a latitude
		{"(42.45, 77.30)", 77.3, 42.45, 1_110, coord.KindDecimal},
		{"42,45 77,30", 77.3, 42.45, 1_110, coord.KindDecimal}, // decimal commas
		{"42,45; 77,30", 77.3, 42.45, 1_110, coord.KindDecimal},
		{"42,77", 77, 42, 111_000, coord.KindDecimal},
		{"42°27'N 77°18'E", 77.3, 42.45, 1_850, coord.KindDMS},
		{"42°27′N 77°18′E", 77.3, 42.45, 1_850, coord.KindDMS},
		{"42º27’ N, 77º18’ E", 77.3, 42.45, 1_850, coord.KindDMS},
		{"42 27 00 N 77 18 00 E", 77.3, 42.45, 30.9, coord.KindDMS},
		{"42 27 00 77 18 00", 77.3, 42.45, 30.9, coord.KindDMS},
		{"42 27 77 18", 77.3, 42.45, 1_850, coord.KindDMS},
		{`42°27'30"N, 77°18'15"E`, 77.304166666666667, 42.458333333333333, 30.9, coord.KindDMS},
		{"42°27′30.5″N 77°18′15.25″E", 77.30423611111111, 42.45847222222222, 3.09, coord.KindDMS},
		{"42°27'30'' 77°18'15''", 77.30416666666667, 42.45833333333333, 30.9, coord.KindDMS}, // '' is ″
		{"42°27.5′N 77°18.2′E", 77.30333333333333, 42.45833333333333, 185, coord.KindDMS},
		{"42°27.5N 77°18.2E", 77.30333333333333, 42.45833333333333, 185, coord.KindDMS},
		{"N42 27.5 E77 18.2", 77.30333333333333, 42.45833333333333, 185, coord.KindDMS},
		{"E77°18' N42°27'", 77.3, 42.45, 1_850, coord.KindDMS},
		{"42°27′ с.ш. 77°18′ в.д.", 77.3, 42.45, 1_850, coord.KindDMS},
		{"42°27′ С.Ш., 77°18′ В.Д.", 77.3, 42.45, 1_850, coord.KindDMS},
		{"43T 500000 4700000", 75, 42.4523309608, 1, coord.KindUTM},
		{"43N 500000 4700000", 75, 42.4523309608, 1, coord.KindUTM},
		{"43t 500000.5 4700000.25", 75.0000060806, 42.4523332123, 0.1, coord.KindUTM},
		{"43T 500000mE 4700000mN", 75, 42.4523309608, 1, coord.KindUTM},
		{"42S 500000 4200000", 69, 37.9475895718, 1, coord.KindUTM},  // band S: 32°…40° N
		{"42S 500000 5800000", 69, -37.9475895718, 1, coord.KindUTM}, // south hemisphere
		{"18G 335665 5292769", -76.9999970956, -42.4999981148, 1, coord.KindUTM},
		{"43TGH 12345 67890", 77.60657488504869, 43.03402354557691, 1, coord.KindMGRS},
		{"43TGH1234567890", 77.60657488504869, 43.03402354557691, 1, coord.KindMGRS},
		{"43T GH 12345 67890", 77.60657488504869, 43.03402354557691, 1, coord.KindMGRS},
		{"43tgh1267", 77.60832060995641, 43.03046753328782, 1_000, coord.KindMGRS},
		{"43TGH 1 6", 77.63801150681833, 43.00727558085197, 10_000, coord.KindMGRS},
		{"43TGH", 78.06020457960125, 42.86169365116394, 100_000, coord.KindMGRS},
	}
	for _, c := range cases {
		pos, err := coord.Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if d := geodesic.Distance(pos.Point, orb.Point{c.lon, c.lat}); d > 0.02 {
			t.Errorf("Parse(%q) = %.10f, want %.10f, %.10f (%.3f m away)", c.in, pos.Point, c.lon, c.lat, d)
		}
		if math.Abs(pos.Precision-c.precision) > 0.05*c.precision {
			t.Errorf("Parse(%q) precision %.3g m, want about %.3g m", c.in, pos.Precision, c.precision)
		}
		if pos.Kind != c.kind {
			t.Errorf("Parse(%q) kind %q, want %q", c.in, pos.Kind, c.kind)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		in    string
		cause error
		says  string
	}{
		{"", coord.ErrSyntax, "empty"},
		{"   ", coord.ErrSyntax, "empty"},
		{"hello", coord.ErrSyntax, `"hello" at character 1 is neither a number nor a hemisphere`},
		{"42.45", coord.ErrSyntax, "1 numbers"},
		{"42.45 77.3 11", coord.ErrSyntax, "3 numbers"},
		{"95N 42E", coord.ErrRange, "latitude 95 is outside −90…90"},
		{"95 120", coord.ErrRange, "neither 95 nor 120 can be a latitude"},
		{"42 190", coord.ErrRange, "longitude 190 is outside −180…180"},
		{"42N 77N", coord.ErrSyntax, "both coordinates are latitudes"},
		{"42E 77W", coord.ErrSyntax, "both coordinates are longitudes"},
		{"42°75'N 77°E", coord.ErrRange, "minutes 75 must be below 60"},
		{"42°27'75\"N 77°E", coord.ErrRange, "seconds 75 must be below 60"},
		{"42.5°27'N 77°E", coord.ErrSyntax, "only the last number of a coordinate may have decimals (42.5)"},
		{"42 -27 77 18", coord.ErrSyntax, "only the degrees may carry a sign"},
		{"-42N 77E", coord.ErrSyntax, "both a minus sign and hemisphere N"},
		{"42°N 77°E 11°", coord.ErrSyntax, "found 3 coordinates"},
		{"42°N", coord.ErrSyntax, "found one coordinate"},
		{"42 # 77", coord.ErrSyntax, `unexpected "#" at character 4`},
		{"N", coord.ErrSyntax, "no number"},
		{"', 42 77", coord.ErrSyntax, "has no number before it"},
		{"61T 500000 4700000", coord.ErrRange, "zone 61"},
		{"43T 50000 4700000", coord.ErrRange, "easting 50000"},
		{"43T 500000 12000000", coord.ErrRange, "northing 12000000"},
		{"43U 500000 4700000", coord.ErrRange, "outside band U"},
		{"43I 500000 4700000", coord.ErrSyntax, "not a UTM latitude band"},
		{"43Z 500000 4700000", coord.ErrRange, "polar"},
		{"43X 500000 9900000", coord.ErrRange, "outside UTM's −80…84"},
		{"ZGH 123 456", coord.ErrRange, "polar MGRS"},
		{"43TIH 1 1", coord.ErrSyntax, "column letter I is not used in zone 43"},
		{"43TJH 1 1", coord.ErrSyntax, "column letter J is not used in zone 43"},
		{"43TGW 1 1", coord.ErrSyntax, "not an MGRS row letter"},
		{"43OGH 1 1", coord.ErrSyntax, "not a latitude band"},
		{"43TGH 123 45678", coord.ErrSyntax, "not 3 and 5"},
		{"43TGH 12345", coord.ErrSyntax, "odd count"},
		{"43TGH 123456 654321", coord.ErrSyntax, "at most 5 digits"},
		{"43CGH 1 1", coord.ErrRange, "does not reach band C"},
	}
	for _, c := range cases {
		_, err := coord.Parse(c.in)
		if !errors.Is(err, c.cause) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("Parse(%q) error = %v, want %v saying %q", c.in, err, c.cause, c.says)
		}
	}
}

func TestFormat(t *testing.T) {
	p := orb.Point{77.3, 42.45}
	cases := []struct {
		kind coord.Kind
		want string
	}{
		{coord.KindDecimal, "42.45000°N 77.30000°E"},
		{coord.KindDMS, "42°27′00.0″N 77°18′00.0″E"},
		{coord.KindUTM, "43T 689137 4702304"},
		{coord.KindMGRS, "43T FH 89137 02304"},
	}
	for _, c := range cases {
		got, err := coord.Format(p, c.kind)
		if err != nil || got != c.want {
			t.Errorf("Format(%v, %s) = %q, %v; want %q", p, c.kind, got, err, c.want)
		}
	}
	if _, err := coord.Format(p, "ddm"); !errors.Is(err, coord.ErrSyntax) {
		t.Errorf("an unknown kind: error %v, want ErrSyntax", err)
	}
	more := []struct {
		got  func() (string, error)
		want string
	}{
		{func() (string, error) { return coord.FormatDecimal(orb.Point{-70.6, -33.9}, 2) }, "33.90°S 70.60°W"},
		{func() (string, error) { return coord.FormatDecimal(orb.Point{-0.000001, -0.000001}, 3) }, "0.000°N 0.000°E"},
		{func() (string, error) { return coord.FormatDMS(orb.Point{77.99999, 42.999999}, 1) }, "43°00′00.0″N 78°00′00.0″E"},
		{func() (string, error) { return coord.FormatDMS(orb.Point{-77.5, -42.25}, 0) }, "42°15′00″S 77°30′00″W"},
		{func() (string, error) { return coord.FormatMGRS(p, 0) }, "43T FH"},
		{func() (string, error) { return coord.FormatMGRS(p, 2) }, "43T FH 89 02"},
	}
	for _, m := range more {
		got, err := m.got()
		if err != nil || got != m.want {
			t.Errorf("got %q, %v; want %q", got, err, m.want)
		}
	}
	for name, call := range map[string]func() (string, error){
		"NaN decimal":    func() (string, error) { return coord.FormatDecimal(orb.Point{math.NaN(), 1}, 5) },
		"13 decimals":    func() (string, error) { return coord.FormatDecimal(p, 13) },
		"7 DMS decimals": func() (string, error) { return coord.FormatDMS(p, 7) },
		"latitude 91":    func() (string, error) { return coord.FormatDMS(orb.Point{1, 91}, 1) },
		"6 MGRS digits":  func() (string, error) { return coord.FormatMGRS(p, 6) },
		"MGRS at 85° N":  func() (string, error) { return coord.FormatMGRS(orb.Point{70, 85}, 5) },
	} {
		if _, err := call(); !errors.Is(err, coord.ErrRange) {
			t.Errorf("%s: error %v, want ErrRange", name, err)
		}
	}
}

// runTool runs a reference program on stdin and returns its output lines.
func runTool(t *testing.T, stdin, name string, args ...string) []string {
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

// testPoints returns points across UTM zones 38–45 and bands S to U, and
// points a hair either side of zone and band boundaries.
func testPoints() []orb.Point {
	rng := rand.New(rand.NewPCG(1, 2))
	var pts []orb.Point
	for range 300 {
		pts = append(pts, orb.Point{42 + rng.Float64()*48, 33 + rng.Float64()*23})
	}
	for zoneEdge := 42.0; zoneEdge <= 90; zoneEdge += 6 {
		for _, d := range []float64{-1e-7, 1e-7} {
			pts = append(pts, orb.Point{zoneEdge + d, 35 + rng.Float64()*20})
		}
	}
	for _, bandEdge := range []float64{32, 40, 48, 56} {
		for _, d := range []float64{-1e-7, 1e-7} {
			pts = append(pts, orb.Point{42 + rng.Float64()*48, bandEdge + d})
		}
	}
	return pts
}

func TestUTMMatchesCs2cs(t *testing.T) {
	byZone := map[int][]orb.Point{}
	for _, p := range testPoints() {
		zone := int(math.Floor((p[0]+180)/6)) + 1
		byZone[zone] = append(byZone[zone], p)
	}
	for zone, pts := range byZone {
		var in strings.Builder
		for _, p := range pts {
			fmt.Fprintf(&in, "%.12f %.12f\n", p[1], p[0])
		}
		lines := runTool(t, in.String(), "cs2cs", "-f", "%.6f", "EPSG:4326", fmt.Sprintf("EPSG:%d", 32600+zone))
		for i, p := range pts {
			f := strings.Fields(lines[i])
			e, _ := strconv.ParseFloat(f[0], 64)
			n, _ := strconv.ParseFloat(f[1], 64)
			u, err := coord.ToUTM(p)
			if err != nil {
				t.Fatal(err)
			}
			band := "CDEFGHJKLMNPQRSTUVWX"[int(math.Floor((p[1]+80)/8))]
			if u.Zone != zone || u.Band != band || !u.North() {
				t.Errorf("ToUTM(%v) is in %d%c, want %d%c", p, u.Zone, u.Band, zone, band)
			}
			if math.Abs(u.Easting-e) > 0.001 || math.Abs(u.Northing-n) > 0.001 {
				t.Errorf("ToUTM(%v) = %.4f %.4f, cs2cs says %.4f %.4f", p, u.Easting, u.Northing, e, n)
			}
			back, err := coord.FromUTM(u.Zone, true, u.Easting, u.Northing)
			if err != nil {
				t.Fatal(err)
			}
			if d := geodesic.Distance(back, p); d > 0.001 {
				t.Errorf("FromUTM(ToUTM(%v)) is %.4f m away", p, d)
			}
		}
	}
}

func TestMGRSMatchesGeoConvert(t *testing.T) {
	pts := testPoints()
	var in strings.Builder
	for _, p := range pts {
		fmt.Fprintf(&in, "%.12f %.12f\n", p[1], p[0])
	}
	for digits := 0; digits <= 5; digits++ {
		want := runTool(t, in.String(), "GeoConvert", "-m", "-p", strconv.Itoa(digits-5))
		for i, p := range pts {
			got, err := coord.FormatMGRS(p, digits)
			if err != nil {
				t.Fatal(err)
			}
			if compact := strings.ReplaceAll(got, " ", ""); compact != want[i] {
				t.Errorf("FormatMGRS(%.9f, %d) = %s, GeoConvert says %s", p, digits, got, want[i])
			}
		}
	}
	// And back: the centre of each square, as GeoConvert reads it.
	refs := runTool(t, in.String(), "GeoConvert", "-m", "-p", "-2")
	centres := runTool(t, strings.Join(refs, "\n")+"\n", "GeoConvert", "-p", "9")
	for i, ref := range refs {
		pos, err := coord.Parse(ref)
		if err != nil {
			t.Fatalf("Parse(%q): %v", ref, err)
		}
		f := strings.Fields(centres[i])
		lat, _ := strconv.ParseFloat(f[0], 64)
		lon, _ := strconv.ParseFloat(f[1], 64)
		if d := geodesic.Distance(pos.Point, orb.Point{lon, lat}); d > 0.001 {
			t.Errorf("Parse(%q) = %.9f, GeoConvert says %.9f %.9f (%.4f m)", ref, pos.Point, lat, lon, d)
		}
		if pos.Precision != 100 || pos.Kind != coord.KindMGRS {
			t.Errorf("Parse(%q): precision %v, kind %s; want 100 m, mgrs", ref, pos.Precision, pos.Kind)
		}
	}
}

func TestNorwayAndSvalbardZones(t *testing.T) {
	pts := []orb.Point{
		{5, 60}, {2.9, 60}, {11.9, 63}, {12.1, 63}, // 32V and its neighbours
		{8, 78}, {10, 78}, {20, 80}, {22, 79}, {32, 76}, {34, 75}, {41, 83}, {42.5, 80}, // Svalbard
		{76.95, 43.24}, // and an ordinary one
	}
	var in strings.Builder
	for _, p := range pts {
		fmt.Fprintf(&in, "%.12f %.12f\n", p[1], p[0])
	}
	want := runTool(t, in.String(), "GeoConvert", "-u", "-p", "3")
	for i, p := range pts {
		u, err := coord.ToUTM(p)
		if err != nil {
			t.Fatal(err)
		}
		f := strings.Fields(want[i])
		if got := fmt.Sprintf("%dn %.3f %.3f", u.Zone, u.Easting, u.Northing); got != strings.Join(f, " ") {
			t.Errorf("ToUTM(%v) = %s, GeoConvert says %s", p, got, want[i])
		}
	}
}

func TestPolarIsRefused(t *testing.T) {
	for _, p := range []orb.Point{{70, 84.5}, {70, -80.5}, {0, 90}} {
		if _, err := coord.ToUTM(p); !errors.Is(err, coord.ErrRange) || !strings.Contains(err.Error(), "UPS") {
			t.Errorf("ToUTM(%v) error = %v, want ErrRange naming UPS", p, err)
		}
	}
}

func TestRoundTrips(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		p := orb.Point{-180 + rng.Float64()*360, -80 + rng.Float64()*164}
		for _, k := range []coord.Kind{coord.KindDecimal, coord.KindDMS, coord.KindUTM, coord.KindMGRS} {
			text, err := coord.Format(p, k)
			if err != nil {
				t.Fatalf("Format(%v, %s): %v", p, k, err)
			}
			pos, err := coord.Parse(text)
			if err != nil {
				t.Fatalf("Parse(Format(%v, %s) = %q): %v", p, k, text, err)
			}
			if pos.Kind != k {
				t.Errorf("Parse(%q) kind %s, want %s", text, pos.Kind, k)
			}
			// Each format is good to about a metre; MGRS names the 1 m
			// square that Parse returns the centre of.
			if d := geodesic.Distance(p, pos.Point); d > 2.5 {
				t.Errorf("%v → %q → %v: %.2f m off", p, text, pos.Point, d)
			}
		}
	}
}

// seeds reads the fuzz seeds, one input a line.
func seeds(t testing.TB) []string {
	f, err := os.Open("testdata/inputs.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		lines = append(lines, s.Text())
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

func FuzzParse(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		pos, err := coord.Parse(in)
		if err != nil {
			if !errors.Is(err, coord.ErrSyntax) && !errors.Is(err, coord.ErrRange) {
				t.Fatalf("Parse(%q) error %v wraps neither ErrSyntax nor ErrRange", in, err)
			}
			return
		}
		p := pos.Point
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) || p[1] < -90 || p[1] > 90 || p[0] < -180 || p[0] > 180 {
			t.Fatalf("Parse(%q) accepted %v", in, p)
		}
		if !(pos.Precision > 0) || math.IsInf(pos.Precision, 0) {
			t.Fatalf("Parse(%q) precision %v", in, pos.Precision)
		}
		text, err := coord.Format(p, pos.Kind)
		if err != nil {
			t.Fatalf("Parse(%q) = %v (%s), which Format refuses: %v", in, p, pos.Kind, err)
		}
		again, err := coord.Parse(text)
		if err != nil {
			t.Fatalf("Parse(%q) = %v, formatted %q, which Parse refuses: %v", in, p, text, err)
		}
		if d := geodesic.Distance(p, again.Point); d > 2.5 || again.Kind != pos.Kind {
			t.Fatalf("Parse(%q) = %v (%s) → %q → %v (%s), %.2f m apart", in, p, pos.Kind, text, again.Point, again.Kind, d)
		}
	})
}

func TestSeedsParseAsExpected(t *testing.T) {
	// The seed file mixes good and bad inputs; the good ones must all read.
	good := 0
	for _, s := range seeds(t) {
		if _, err := coord.Parse(s); err == nil {
			good++
		}
	}
	if good < 20 {
		t.Errorf("only %d seeds parse; the fuzz corpus should start from many valid inputs", good)
	}
}

func ExampleParse() {
	for _, in := range []string{"42.45 77.3", "95 42", "42°27'N 77°18'E", "43T 689137 4702304", "43TFH 89137 02304"} {
		pos, err := coord.Parse(in)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-20s %-7s lon %.5f lat %.5f ±%.0f m\n", in, pos.Kind, pos.Point[0], pos.Point[1], pos.Precision)
	}
	_, err := coord.Parse("95N 42E")
	fmt.Println(err)
	// Output:
	// 42.45 77.3           decimal lon 77.30000 lat 42.45000 ±8226 m
	// 95 42                decimal lon 95.00000 lat 42.00000 ±111073 m
	// 42°27'N 77°18'E      dms     lon 77.30000 lat 42.45000 ±1851 m
	// 43T 689137 4702304   utm     lon 77.30000 lat 42.45000 ±1 m
	// 43TFH 89137 02304    mgrs    lon 77.30000 lat 42.45000 ±1 m
	// coord: out of range: latitude 95 is outside −90…90
}

func ExampleFormat() {
	almaty := orb.Point{76.95, 43.24}
	for _, k := range []coord.Kind{coord.KindDecimal, coord.KindDMS, coord.KindUTM, coord.KindMGRS} {
		s, err := coord.Format(almaty, k)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-7s %s\n", k, s)
	}
	// Output:
	// decimal 43.24000°N 76.95000°E
	// dms     43°14′24.0″N 76°57′00.0″E
	// utm     43T 658323 4789313
	// mgrs    43T FH 58323 89312
}

func BenchmarkParseDMS(b *testing.B) {
	for b.Loop() {
		if _, err := coord.Parse(`42°27'30"N, 77°18'15"E`); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFormatMGRS(b *testing.B) {
	p := orb.Point{76.95, 43.24}
	for b.Loop() {
		if _, err := coord.FormatMGRS(p, 5); err != nil {
			b.Fatal(err)
		}
	}
}
