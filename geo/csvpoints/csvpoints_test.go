package csvpoints_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/csvpoints"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/paulmach/orb"
)

func read(t *testing.T, name string, o csvpoints.Options) *csvpoints.Result {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := csvpoints.Read(f, name, o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestRead_gdalXY reads what ogr2ogr writes with GEOMETRY=AS_XY.
func TestRead_gdalXY(t *testing.T) {
	res := read(t, "xy.csv", csvpoints.Options{})
	if res.X != "X" || res.Y != "Y" || len(res.Features) != 2 || len(res.Skipped) != 0 {
		t.Fatalf("columns %q %q, %d features, skipped %v", res.X, res.Y, len(res.Features), res.Skipped)
	}
	if g := res.Features[1].Geometry; g != (orb.Point{61, 44}) {
		t.Errorf("second point %v", g)
	}
	p := res.Features[0].Properties
	if p.String("name") != "point" || mustNumber(t, p, "x") != 1.5 || mustNumber(t, p, "n") != 1 {
		t.Errorf("properties %v", p.Map())
	}
	if res.Rows[0] != 2 || res.Rows[1] != 3 {
		t.Errorf("rows %v", res.Rows)
	}
}

func mustNumber(t *testing.T, p layer.Properties, key string) float64 {
	t.Helper()
	v, ok := p.Number(key)
	if !ok {
		t.Errorf("%s is not a number: %v", key, p.Map())
	}
	return v
}

// TestRead_gdalWKT reads what ogr2ogr writes with GEOMETRY=AS_WKT, every
// geometry type included.
func TestRead_gdalWKT(t *testing.T) {
	res := read(t, "wkt.csv", csvpoints.Options{})
	if res.WKT != "WKT" || len(res.Features) != 8 {
		t.Fatalf("WKT column %q, %d features, skipped %v", res.WKT, len(res.Features), res.Skipped)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].Feature != 10 || !errors.Is(res.Skipped[0].Err, csvpoints.ErrMissing) {
		t.Errorf("the row without geometry: %v", res.Skipped)
	}
	want := orb.Polygon{{{70, 40}, {72, 40}, {72, 42}, {70, 42}, {70, 40}}, {{70.5, 40.5}, {70.5, 41}, {71, 41}, {71, 40.5}, {70.5, 40.5}}}
	if g := res.Features[3].Geometry; !orb.Equal(g, want) {
		t.Errorf("polygon %v", g)
	}
	if g := res.Features[1].Geometry; g != (orb.Point{61, 44}) {
		t.Errorf("POINT Z %v", g)
	}
}

func TestRead_russianExcel(t *testing.T) {
	res := read(t, "cp1251.csv", csvpoints.Options{})
	if res.Encoding != "Windows-1251" || res.Delimiter != ';' || !res.DecimalComma {
		t.Errorf("encoding %s, delimiter %q, decimal comma %v", res.Encoding, res.Delimiter, res.DecimalComma)
	}
	if len(res.Features) != 2 || res.Features[0].Geometry != (orb.Point{69.6, 41.05}) {
		t.Fatalf("features %v, skipped %v", res.Features, res.Skipped)
	}
	if got := res.Features[1].Properties.String("Название"); got != "Майлуу-Суу" {
		t.Errorf("name %q", got)
	}
	if v, ok := res.Features[0].Properties.Number("Объём"); !ok || v != 1200000 {
		t.Errorf("volume %v %v", v, ok)
	}
}

func TestRead_badRows(t *testing.T) {
	res := read(t, "bad.csv", csvpoints.Options{})
	if len(res.Features) != 2 || res.Rows[1] != 5 {
		t.Fatalf("%d features at rows %v", len(res.Features), res.Rows)
	}
	want := []string{
		`bad.csv: row 3: lon: no coordinate`,
		`bad.csv: row 4: lat: "forty": not a number`,
		`bad.csv: row 7: "5": more values than columns`,
	}
	if len(res.Skipped) != len(want) {
		t.Fatalf("skipped %v", res.Skipped)
	}
	for i, w := range want {
		if got := res.Skipped[i].Error(); got != w {
			t.Errorf("skipped %d: %q, want %q", i, got, w)
		}
	}
	if got := res.Features[0].Properties.String("code"); got != "007" {
		t.Errorf("a code with a leading zero became %q", got)
	}
	if got := res.Features[0].Properties.String("name"); got != "Ak-Tyuz, Kemin" {
		t.Errorf("BOM or quoting: name %q", got)
	}
}

func TestRead_chosenColumns(t *testing.T) {
	in := "a,b,c\n1,2,3\n"
	res, err := csvpoints.Read(strings.NewReader(in), "abc.csv", csvpoints.Options{Lon: "C", Lat: "a"})
	if err != nil || res.Features[0].Geometry != (orb.Point{3, 1}) {
		t.Fatalf("%v, %v", res, err)
	}
	if _, err := csvpoints.Read(strings.NewReader(in), "abc.csv", csvpoints.Options{}); !errors.Is(err, csvpoints.ErrNoCoordinates) {
		t.Errorf("no recognisable columns: %v", err)
	}
	if _, err := csvpoints.Read(strings.NewReader(in), "abc.csv", csvpoints.Options{WKT: "geometry"}); !errors.Is(err, csvpoints.ErrNoCoordinates) {
		t.Errorf("a missing WKT column: %v", err)
	}
}

func TestRead_hostile(t *testing.T) {
	if _, err := csvpoints.Read(strings.NewReader(""), "empty.csv", csvpoints.Options{}); !errors.Is(err, csvpoints.ErrNoHeader) {
		t.Errorf("empty file: %v", err)
	}
	long := "lon,lat,name\n1,2," + strings.Repeat("x", csvpoints.MaxLineLength+10) + "\n"
	if _, err := csvpoints.Read(strings.NewReader(long), "long.csv", csvpoints.Options{}); !errors.Is(err, csvpoints.ErrLineTooLong) {
		t.Errorf("a line of a megabyte: %v", err)
	}
	wide := "wkt\n\"" + strings.Repeat("POINT (1 2) ", 1) + "\"\n" + "\"MULTIPOINT (" + strings.Repeat("(1 2),", 50) + "(1 2\"\n"
	res, err := csvpoints.Read(strings.NewReader(wide), "wide.csv", csvpoints.Options{})
	if err != nil || len(res.Features) != 1 || len(res.Skipped) != 1 || !errors.Is(res.Skipped[0].Err, csvpoints.ErrBadWKT) {
		t.Errorf("broken WKT: %v, %v", res, err)
	}
}

func FuzzRead(f *testing.F) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".csv") {
			data, err := os.ReadFile(filepath.Join("testdata", e.Name()))
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := csvpoints.Read(bytes.NewReader(data), "fuzz.csv", csvpoints.Options{})
		if err != nil {
			return
		}
		if len(res.Features) != len(res.Rows) {
			t.Fatalf("%d features, %d row numbers", len(res.Features), len(res.Rows))
		}
		for _, s := range res.Skipped {
			if s.Feature < 2 || s.Err == nil {
				t.Fatalf("skipped row %d: %v", s.Feature, s.Err)
			}
		}
	})
}
