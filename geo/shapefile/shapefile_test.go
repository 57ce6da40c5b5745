package shapefile_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/shapefile"
	"github.com/paulmach/orb"
)

func readFS(t *testing.T, name string) *shapefile.Result {
	t.Helper()
	res, err := shapefile.ReadFS(os.DirFS("testdata"), name)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestReadFS_gaussKruger reads points ogr2ogr wrote in Pulkovo 1942 /
// Gauss-Krüger zone 13 with Cyrillic attributes in code page 1251.
func TestReadFS_gaussKruger(t *testing.T) {
	res := readFS(t, "gk13.shp")
	if len(res.Features) != 3 || res.ShapeType != "Point" || !strings.Contains(res.CRS, "Pulkovo_1942_GK_Zone_13") || res.Encoding != "Windows 1251" {
		t.Fatalf("%d features, %s, CRS %.40q, encoding %q", len(res.Features), res.ShapeType, res.CRS, res.Encoding)
	}
	if got := res.Features[1].Properties.String("name"); got != "Майлуу-Суу" {
		t.Errorf("name %q", got)
	}
	p := res.Features[0].Geometry.(orb.Point)
	// Gauss-Krüger eastings carry the zone number: 13 500 000 m at the
	// central meridian (75° E), so Almalyk at 69.6° E is west of it.
	if p[0] < 13_000_000 || p[0] > 13_500_000 || p[1] < 4_400_000 || p[1] > 4_600_000 {
		t.Errorf("Almalyk at %v", p)
	}
	if ele, ok := res.Features[0].Properties.Number("ele"); !ok || ele != 512.5 {
		t.Errorf("ele %v %v", ele, ok)
	}
}

func TestReadFS_codePageWithoutCPG(t *testing.T) {
	for _, name := range []string{"ldid.shp", "guess.shp"} {
		res := readFS(t, name)
		if got := res.Features[1].Properties.String("name"); got != "Майлуу-Суу" {
			t.Errorf("%s: name %q (encoding %s)", name, got, res.Encoding)
		}
	}
}

func TestReadFS_geometries(t *testing.T) {
	tests := map[string][]orb.Geometry{
		"polygons.shp": {
			orb.Polygon{{{70, 40}, {70, 42}, {72, 42}, {72, 40}, {70, 40}}, {{70.5, 40.5}, {71, 40.5}, {71, 41}, {70.5, 41}, {70.5, 40.5}}},
			orb.MultiPolygon{{{{80, 50}, {81, 51}, {81, 50}, {80, 50}}}, {{{82, 50}, {83, 51}, {83, 50}, {82, 50}}}},
		},
		"lines.shp": {
			orb.LineString{{60, 45}, {61, 46}, {62, 45.5}},
			orb.MultiLineString{{{50, 40}, {51, 41}}, {{52, 42}, {53, 43}, {54, 42}}},
		},
		"pointz.shp":     {orb.Point{60.5, 45.25}, orb.Point{61, 44}},
		"multipoint.shp": {orb.MultiPoint{{50, 40}, {51, 41}}},
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			res := readFS(t, name)
			if len(res.Features) != len(want) {
				t.Fatalf("%d features, want %d; skipped %v", len(res.Features), len(want), res.Skipped)
			}
			for i, w := range want {
				if g := res.Features[i].Geometry; !orb.Equal(g, w) {
					t.Errorf("record %d: %v, want %v", i+1, g, w)
				}
			}
		})
	}
}

func TestReadFS_missingDBF(t *testing.T) {
	dir := t.TempDir()
	data, _ := os.ReadFile("testdata/lines.shp")
	os.WriteFile(filepath.Join(dir, "alone.shp"), data, 0o644)
	if _, err := shapefile.ReadFS(os.DirFS(dir), "alone.shp"); !errors.Is(err, shapefile.ErrMissingFile) {
		t.Errorf("got %v, want ErrMissingFile", err)
	}
}

func TestRead_hostile(t *testing.T) {
	shp, _ := os.ReadFile("testdata/lines.shp")
	dbf, _ := os.ReadFile("testdata/lines.dbf")
	mutate := func(b []byte, at int, v uint32, big bool) []byte {
		c := append([]byte{}, b...)
		if big {
			binary.BigEndian.PutUint32(c[at:], v)
		} else {
			binary.LittleEndian.PutUint32(c[at:], v)
		}
		return c
	}
	tests := map[string]struct {
		shp, dbf []byte
		want     error
	}{
		"not a shapefile":         {[]byte(strings.Repeat("x", 200)), dbf, shapefile.ErrNotShapefile},
		"truncated header":        {shp[:50], dbf, shapefile.ErrNotShapefile},
		"record claims terabytes": {mutate(shp, 104, math.MaxUint32, true), dbf, shapefile.ErrCorrupt},
		"file cut in a record":    {mutate(shp[:130], 24, uint32(len(shp))/2, true), dbf, shapefile.ErrCorrupt},
		"dbf cut short":           {shp, dbf[:len(dbf)-20], shapefile.ErrCorrupt},
		"dbf header lies":         {shp, mutate(dbf, 8, 0xffff, false), shapefile.ErrCorrupt},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := shapefile.Read(bytes.NewReader(tc.shp), bytes.NewReader(tc.dbf), shapefile.Options{Name: "lines.shp"})
			if !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
	// Four billion points claimed inside a record of normal size: the
	// record is skipped, not allocated.
	huge := mutate(shp, 100+8+4+32+4, math.MaxUint32, false)
	res, err := shapefile.Read(bytes.NewReader(huge), bytes.NewReader(dbf), shapefile.Options{Name: "lines.shp"})
	if err != nil || len(res.Skipped) != 1 || !errors.Is(res.Skipped[0].Err, shapefile.ErrCorrupt) || res.Skipped[0].Feature != 1 {
		t.Errorf("claimed points: %v, %v", res, err)
	}
}

func FuzzRead(f *testing.F) {
	for _, name := range []string{"gk13", "polygons", "lines", "pointz", "multipoint"} {
		shp, err := os.ReadFile(filepath.Join("testdata", name+".shp"))
		if err != nil {
			f.Fatal(err)
		}
		dbf, err := os.ReadFile(filepath.Join("testdata", name+".dbf"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(shp, dbf)
	}
	f.Fuzz(func(t *testing.T, shp, dbf []byte) {
		res, err := shapefile.Read(bytes.NewReader(shp), bytes.NewReader(dbf), shapefile.Options{Name: "fuzz.shp"})
		if err != nil {
			return
		}
		if len(res.Features) != len(res.Rows) {
			t.Fatalf("%d features, %d record numbers", len(res.Features), len(res.Rows))
		}
	})
}
