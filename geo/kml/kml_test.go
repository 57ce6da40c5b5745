package kml_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/kml"
	"github.com/paulmach/orb"
)

func readFile(t *testing.T, name string) *kml.Result {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var res *kml.Result
	if strings.HasSuffix(name, ".kmz") {
		res, err = kml.ReadKMZ(bytes.NewReader(data), int64(len(data)), name)
	} else {
		res, err = kml.Read(bytes.NewReader(data), name)
	}
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestRead_gdal reads what ogr2ogr's KML driver wrote from
// gpkg/testdata/mixed.geojson: every geometry type, SchemaData
// attributes.
func TestRead_gdal(t *testing.T) {
	res := readFile(t, "gdal.kml")
	if len(res.Features) != 8 || len(res.Skipped) != 1 {
		t.Fatalf("%d features, skipped %v", len(res.Features), res.Skipped)
	}
	want := []orb.Geometry{
		orb.Point{60.5, 45.25},
		orb.Point{61, 44},
		orb.LineString{{60, 45}, {61, 46}, {62, 45.5}},
		orb.Polygon{{{70, 40}, {72, 40}, {72, 42}, {70, 42}, {70, 40}}, {{70.5, 40.5}, {70.5, 41}, {71, 41}, {71, 40.5}, {70.5, 40.5}}},
		orb.MultiPoint{{50, 40}, {51, 41}},
		orb.MultiLineString{{{50, 40}, {51, 41}}, {{52, 42}, {53, 43}, {54, 42}}},
		orb.MultiPolygon{{{{80, 50}, {81, 50}, {81, 51}, {80, 50}}}, {{{82, 50}, {83, 50}, {83, 51}, {82, 50}}}},
		orb.Collection{orb.Point{55, 45}, orb.LineString{{55, 45}, {56, 46}}},
	}
	for i, w := range want {
		if g := res.Features[i].Geometry; !orb.Equal(g, w) {
			t.Errorf("placemark %d: %v, want %v", i+1, g, w)
		}
	}
	p := res.Features[0].Properties
	if p.String("name") != "point" || p.String("x") != "1.5" || p.String("folder") != "mixed" {
		t.Errorf("properties %v", p.Map())
	}
	if s := res.Skipped[0]; s.Feature != 9 || !errors.Is(s.Err, kml.ErrNoGeometry) {
		t.Errorf("the placemark without geometry: %v", s)
	}
}

func TestRead_googleEarth(t *testing.T) {
	for _, name := range []string{"earth.kml", "earth.kmz"} {
		t.Run(name, func(t *testing.T) {
			res := readFile(t, name)
			if res.Name != "Inspections 2026" || len(res.Features) != 4 || len(res.Skipped) != 2 {
				t.Fatalf("name %q, %d features, skipped %v", res.Name, len(res.Features), res.Skipped)
			}
			m := res.Features[0]
			if m.Geometry != (orb.Point{72.47611, 41.28222}) || m.Properties.String("folder") != "Sites/Uranium" ||
				m.Properties.String("hazard") != "high" || m.Properties.String("description") != "<b>closed</b> 1958" {
				t.Errorf("first placemark %v %v", m.Geometry, m.Properties.Map())
			}
			dam := res.Features[1]
			if poly, ok := dam.Geometry.(orb.Polygon); !ok || len(poly) != 2 || poly[0][0] != poly[0][len(poly[0])-1] || dam.Properties.String("folder") != "Sites" {
				t.Errorf("dam %v %v", dam.Geometry, dam.Properties.Map())
			}
			if g := res.Features[2].Geometry; !orb.Equal(g, orb.MultiPoint{{70, 40}, {70.1, 40.1}}) {
				t.Errorf("MultiGeometry of points: %v", g)
			}
			if res.Rows[3] != 6 || res.Skipped[0].Feature != 4 || !errors.Is(res.Skipped[0].Err, kml.ErrCoordinates) {
				t.Errorf("rows %v, skipped %v", res.Rows, res.Skipped)
			}
		})
	}
}

func TestRead_notKML(t *testing.T) {
	for name, in := range map[string]string{
		"gpx":       `<gpx><wpt lat="1" lon="2"/></gpx>`,
		"empty":     ``,
		"truncated": `<kml><Placemark><name>x</name><Point><coordinates>1,2`,
	} {
		if _, err := kml.Read(strings.NewReader(in), name+".kml"); err == nil {
			t.Errorf("%s: read without an error", name)
		}
	}
	if res, err := kml.Read(strings.NewReader(`<kml/>`), "empty.kml"); err != nil || len(res.Features) != 0 {
		t.Errorf("an empty document: %v, %v", res, err)
	}
}

// kmz builds an archive; each entry is a name and its content.
func kmz(t *testing.T, entries ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i < len(entries); i += 2 {
		w, err := zw.Create(entries[i])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(entries[i+1]))
	}
	zw.Close()
	return buf.Bytes()
}

func TestReadKMZ_hostile(t *testing.T) {
	doc := `<kml><Placemark><Point><coordinates>1,2</coordinates></Point></Placemark></kml>`
	bomb := "<kml>" + strings.Repeat(" ", 4<<20) + "</kml>"
	tests := map[string]struct {
		data []byte
		want error
	}{
		"path traversal":      {kmz(t, "../../etc/evil.kml", doc), kml.ErrHostileArchive},
		"absolute path":       {kmz(t, "/tmp/evil.kml", doc), kml.ErrHostileArchive},
		"backslash traversal": {kmz(t, `..\evil.kml`, doc), kml.ErrHostileArchive},
		"zip bomb":            {kmz(t, "doc.kml", bomb), kml.ErrHostileArchive},
		"lying directory":     {lyingKMZ(t, []byte(bomb)), kml.ErrHostileArchive},
		"no kml":              {kmz(t, "readme.txt", "hello"), kml.ErrNoKML},
		"not a zip":           {[]byte("PK\x03\x04 and then nothing"), zip.ErrFormat},
		"too many entries":    {kmz(t, manyEntries(kml.MaxEntries+1)...), kml.ErrHostileArchive},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := kml.ReadKMZ(bytes.NewReader(tc.data), int64(len(tc.data)), "hostile.kmz")
			if !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func manyEntries(n int) []string {
	out := make([]string, 0, 2*n)
	for i := range n {
		out = append(out, "files/"+strings.Repeat("a", 3)+string(rune('a'+i%26))+filepath.Base(string(rune('0'+i%10)))+".txt", "")
	}
	return out
}

// lyingKMZ stores data deflated under a directory entry that claims it
// inflates to 100 bytes.
func lyingKMZ(t *testing.T, data []byte) []byte {
	t.Helper()
	var deflated bytes.Buffer
	fw, _ := flate.NewWriter(&deflated, flate.BestCompression)
	fw.Write(data)
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: "doc.kml", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(data),
		CompressedSize64: uint64(deflated.Len()), UncompressedSize64: 100,
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(deflated.Bytes())
	zw.Close()
	return buf.Bytes()
}

func FuzzRead(f *testing.F) {
	for _, name := range []string{"gdal.kml", "earth.kml"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := kml.Read(bytes.NewReader(data), "fuzz.kml")
		if err != nil {
			return
		}
		if len(res.Features) != len(res.Rows) {
			t.Fatalf("%d features, %d placemark numbers", len(res.Features), len(res.Rows))
		}
	})
}

func FuzzReadKMZ(f *testing.F) {
	data, err := os.ReadFile("testdata/earth.kmz")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Fuzz(func(t *testing.T, data []byte) {
		kml.ReadKMZ(bytes.NewReader(data), int64(len(data)), "fuzz.kmz")
	})
}
