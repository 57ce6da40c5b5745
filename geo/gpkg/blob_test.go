package gpkg_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"math"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/gpkg"
	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkb"
)

var geometries = map[string]orb.Geometry{
	"point":           orb.Point{60.5, 45.25},
	"multipoint":      orb.MultiPoint{{50, 40}, {51, 41}},
	"linestring":      orb.LineString{{60, 45}, {61, 46}, {62, 45.5}},
	"multilinestring": orb.MultiLineString{{{50, 40}, {51, 41}}, {{52, 42}, {53, 43}, {54, 42}}},
	"polygon": orb.Polygon{
		{{70, 40}, {72, 40}, {72, 42}, {70, 42}, {70, 40}},
		{{70.5, 40.5}, {70.5, 41}, {71, 41}, {71, 40.5}, {70.5, 40.5}},
	},
	"multipolygon": orb.MultiPolygon{
		{{{80, 50}, {81, 50}, {81, 51}, {80, 50}}},
		{{{82, 50}, {83, 50}, {83, 51}, {82, 50}}},
	},
	"collection": orb.Collection{orb.Point{55, 45}, orb.LineString{{55, 45}, {56, 46}}},
}

func TestEncodeGeometry_roundTrip(t *testing.T) {
	for name, g := range geometries {
		t.Run(name, func(t *testing.T) {
			blob, err := gpkg.EncodeGeometry(g, 4326)
			if err != nil {
				t.Fatal(err)
			}
			got, err := gpkg.DecodeGeometry(blob)
			if err != nil {
				t.Fatal(err)
			}
			if !orb.Equal(got.Geometry, g) {
				t.Errorf("decoded %v, want %v", got.Geometry, g)
			}
			if got.SRSID != 4326 {
				t.Errorf("srs_id %d, want 4326", got.SRSID)
			}
			if got.Envelope != g.Bound() {
				t.Errorf("envelope %v, want %v", got.Envelope, g.Bound())
			}
		})
	}
}

func TestEncodeGeometry_header(t *testing.T) {
	point, _ := gpkg.EncodeGeometry(orb.Point{1, 2}, 4326)
	// "GP", version 0, flags: little-endian, no envelope; srs_id 4326.
	if want := []byte{'G', 'P', 0, 0x01, 0xe6, 0x10, 0, 0}; !bytes.Equal(point[:8], want) {
		t.Errorf("point header % x, want % x", point[:8], want)
	}
	line, _ := gpkg.EncodeGeometry(orb.LineString{{1, 2}, {3, 4}}, 4326)
	if line[3] != 0x03 { // little-endian, x/y envelope
		t.Errorf("line flags %#x, want 0x03", line[3])
	}
	if minY := math.Float64frombits(binary.LittleEndian.Uint64(line[8+16:])); minY != 2 {
		t.Errorf("envelope min y %v, want 2", minY)
	}
	empty, _ := gpkg.EncodeGeometry(orb.LineString{}, 4326)
	if empty[3]&0x10 == 0 {
		t.Errorf("empty line flags %#x lack the empty bit", empty[3])
	}
	if g, err := gpkg.DecodeGeometry(empty); err != nil || g.Geometry != nil {
		t.Errorf("empty line decodes to %v, %v; want nil, nil", g.Geometry, err)
	}
	if blob, err := gpkg.EncodeGeometry(nil, 4326); blob != nil || err != nil {
		t.Errorf("nil geometry encodes to %v, %v; want nil, nil", blob, err)
	}
}

// gpHeader is a GeoPackage blob header without an envelope.
var gpHeader = []byte{'G', 'P', 0, 0x01, 0xe6, 0x10, 0, 0}

// wkbOf builds little-endian WKB from a type code and values, each
// uint32 or float64.
func wkbOf(code uint32, values ...any) []byte {
	b := []byte{1}
	b = binary.LittleEndian.AppendUint32(b, code)
	for _, v := range values {
		switch v := v.(type) {
		case uint32:
			b = binary.LittleEndian.AppendUint32(b, v)
		case float64:
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		case []byte:
			b = append(b, v...)
		}
	}
	return b
}

func TestDecodeGeometry_zm(t *testing.T) {
	tests := map[string]struct {
		wkb  []byte
		want orb.Geometry
	}{
		"ISO point z":   {wkbOf(1001, 1.0, 2.0, 3.0), orb.Point{1, 2}},
		"ISO point m":   {wkbOf(2001, 1.0, 2.0, 3.0), orb.Point{1, 2}},
		"ISO point zm":  {wkbOf(3001, 1.0, 2.0, 3.0, 4.0), orb.Point{1, 2}},
		"EWKB point z":  {wkbOf(0x80000001, 1.0, 2.0, 3.0), orb.Point{1, 2}},
		"EWKB srid":     {wkbOf(0x20000001, uint32(4326), 1.0, 2.0), orb.Point{1, 2}},
		"line zm":       {wkbOf(3002, uint32(2), 1.0, 2.0, 9.0, 9.0, 3.0, 4.0, 9.0, 9.0), orb.LineString{{1, 2}, {3, 4}}},
		"empty point":   {wkbOf(1, math.NaN(), math.NaN()), nil},
		"big-endian xy": {append([]byte{0, 0, 0, 0, 1}, binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, math.Float64bits(5)), math.Float64bits(6))...), orb.Point{5, 6}},
		"multipoint skips empty members": {
			wkbOf(4, uint32(2), wkbOf(1, math.NaN(), math.NaN()), wkbOf(1, 7.0, 8.0)),
			orb.MultiPoint{{7, 8}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := gpkg.DecodeGeometry(append(append([]byte{}, gpHeader...), tc.wkb...))
			if err != nil {
				t.Fatal(err)
			}
			if !orb.Equal(got.Geometry, tc.want) && !(got.Geometry == nil && tc.want == nil) {
				t.Errorf("got %v, want %v", got.Geometry, tc.want)
			}
		})
	}
}

func TestDecodeGeometry_hostile(t *testing.T) {
	nested := wkbOf(1, 1.0, 2.0)
	for range 40 {
		nested = wkbOf(7, uint32(1), nested)
	}
	tests := map[string][]byte{
		"too short":                 []byte("GP"),
		"wrong magic":               append([]byte("XY"), gpHeader[2:]...),
		"unknown version":           append([]byte{'G', 'P', 1, 1, 0, 0, 0, 0}, wkbOf(1, 1.0, 2.0)...),
		"extended":                  append([]byte{'G', 'P', 0, 0x21, 0, 0, 0, 0}, wkbOf(1, 1.0, 2.0)...),
		"invalid envelope code":     append([]byte{'G', 'P', 0, 0x0b, 0, 0, 0, 0}, make([]byte, 64)...),
		"envelope cut short":        []byte{'G', 'P', 0, 0x03, 0, 0, 0, 0, 1, 2, 3},
		"no WKB":                    gpHeader,
		"bad byte order":            append(append([]byte{}, gpHeader...), 7, 1, 0, 0, 0),
		"unknown type":              append(append([]byte{}, gpHeader...), wkbOf(17, 1.0, 2.0)...),
		"truncated point":           append(append([]byte{}, gpHeader...), wkbOf(1, 1.0)...),
		"four billion points":       append(append([]byte{}, gpHeader...), wkbOf(2, uint32(0xffffffff), 1.0, 2.0)...),
		"four billion rings":        append(append([]byte{}, gpHeader...), wkbOf(3, uint32(0xffffffff))...),
		"four billion polygons":     append(append([]byte{}, gpHeader...), wkbOf(6, uint32(0xffffffff))...),
		"a line in a multipoint":    append(append([]byte{}, gpHeader...), wkbOf(4, uint32(1), wkbOf(2, uint32(0)))...),
		"trailing bytes":            append(append([]byte{}, gpHeader...), wkbOf(1, 1.0, 2.0, 3.0)...),
		"collections 40 deep":       append(append([]byte{}, gpHeader...), nested...),
		"ring count but no ring":    append(append([]byte{}, gpHeader...), wkbOf(3, uint32(1))...),
		"point count but no points": append(append([]byte{}, gpHeader...), wkbOf(2, uint32(3), 1.0, 2.0)...),
	}
	for name, blob := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := gpkg.DecodeGeometry(blob)
			if !errors.Is(err, gpkg.ErrGeometryBlob) {
				t.Errorf("got %v, want ErrGeometryBlob", err)
			}
		})
	}
}

// FuzzDecodeGeometry checks that no blob makes the decoder panic or
// allocate without bound, and that wherever go-geom's WKB decoder reads
// the same body, both give the same coordinates.
func FuzzDecodeGeometry(f *testing.F) {
	for _, g := range geometries {
		blob, err := gpkg.EncodeGeometry(g, 4326)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(blob)
	}
	for _, name := range []string{"testdata/mixed.gpkg", "testdata/utm.gpkg"} {
		ctx := context.Background()
		db, err := gpkg.OpenReadOnly(ctx, name)
		if err != nil {
			f.Fatal(err)
		}
		rows, err := db.SQL().QueryContext(ctx, `SELECT geom FROM `+map[string]string{"testdata/mixed.gpkg": "mixed", "testdata/utm.gpkg": "mixed_utm"}[name]+` WHERE geom NOT NULL`)
		if err != nil {
			f.Fatal(err)
		}
		for rows.Next() {
			var blob []byte
			if err := rows.Scan(&blob); err != nil {
				f.Fatal(err)
			}
			f.Add(blob)
		}
		rows.Close()
		db.Close()
	}
	f.Fuzz(func(t *testing.T, blob []byte) {
		got, err := gpkg.DecodeGeometry(blob)
		if err != nil || len(blob) < 8 {
			return
		}
		envSize := [8]int{0, 32, 48, 48, 64}[(blob[3]&0x0e)>>1]
		ref, refErr := wkb.Unmarshal(blob[8+envSize:])
		if refErr != nil {
			return
		}
		want := flatXY(ref)
		have := flatOrb(got.Geometry)
		if len(want) != len(have) {
			t.Fatalf("%d ordinates, go-geom reads %d", len(have), len(want))
		}
		for i := range want {
			if want[i] != have[i] && !(math.IsNaN(want[i]) && math.IsNaN(have[i])) {
				t.Fatalf("ordinate %d is %v, go-geom reads %v", i, have[i], want[i])
			}
		}
	})
}

// flatXY returns the x and y of every position of a go-geom geometry,
// leaving out empty points as the decoder does.
func flatXY(g geom.T) []float64 {
	var out []float64
	switch g := g.(type) {
	case *geom.GeometryCollection:
		for _, m := range g.Geoms() {
			out = append(out, flatXY(m)...)
		}
		return out
	case *geom.Point:
		if g.Empty() || math.IsNaN(g.X()) || math.IsNaN(g.Y()) {
			return nil
		}
	case *geom.MultiPoint:
		for i := range g.NumPoints() {
			out = append(out, flatXY(g.Point(i))...)
		}
		return out
	}
	flat, stride := g.FlatCoords(), g.Stride()
	for i := 0; i+1 < len(flat); i += stride {
		out = append(out, flat[i], flat[i+1])
	}
	return out
}

func flatOrb(g orb.Geometry) []float64 {
	var out []float64
	var walk func(g orb.Geometry)
	add := func(pts []orb.Point) {
		for _, p := range pts {
			out = append(out, p[0], p[1])
		}
	}
	walk = func(g orb.Geometry) {
		switch g := g.(type) {
		case orb.Point:
			add([]orb.Point{g})
		case orb.MultiPoint:
			add(g)
		case orb.LineString:
			add(g)
		case orb.MultiLineString:
			for _, l := range g {
				add(l)
			}
		case orb.Polygon:
			for _, r := range g {
				add(r)
			}
		case orb.MultiPolygon:
			for _, p := range g {
				walk(p)
			}
		case orb.Collection:
			for _, m := range g {
				walk(m)
			}
		}
	}
	walk(g)
	return out
}
