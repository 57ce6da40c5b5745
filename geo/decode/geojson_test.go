package decode_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/ecoatlas/ecoatlas/geo/decode"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/paulmach/orb"
)

func decodeFile(t *testing.T, name string) (*layer.Vector, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return decode.GeoJSON(data, name)
}

func TestGeoJSON_fixtures(t *testing.T) {
	crsPoint := []orb.Geometry{orb.Point{68.78, 38.56}}
	tests := map[string]struct {
		geometries []orb.Geometry
		names      []string // the "name" property of each feature, if checked
	}{
		"points.geojson": {
			geometries: []orb.Geometry{orb.Point{76.9286, 43.2567}, orb.Point{69.2401, 41.2995}, orb.Point{-180, -90}},
			names:      []string{"Almaty", "", ""},
		},
		"multipoint.geojson": {
			geometries: []orb.Geometry{orb.MultiPoint{{58.1, 44.2}, {58.3, 44.25}, {180, 90}}},
		},
		"linestring.geojson": {
			geometries: []orb.Geometry{orb.LineString{{66, 44.8}, {64.4, 45.1}, {61.7, 46}}},
			names:      []string{"Syr Darya"},
		},
		"multilinestring.geojson": {
			geometries: []orb.Geometry{orb.MultiLineString{{{60.1, 41.5}, {60.6, 41.4}}, {{61, 41}, {61.2, 41.1}, {61.5, 40.9}}}},
		},
		"polygon.geojson": {
			geometries: []orb.Geometry{
				orb.Polygon{
					{{58, 44}, {62, 44}, {62, 46}, {58, 46}, {58, 44}},
					{{59, 45}, {59, 45.5}, {59.5, 45.5}, {59, 45}},
				},
				orb.Polygon{{{70, 40}, {70, 41}, {71, 41}, {70, 40}}}, // closed, still clockwise
			},
			names: []string{"lake with island", "unclosed, clockwise"},
		},
		"multipolygon.geojson": {
			geometries: []orb.Geometry{orb.MultiPolygon{
				{{{59.5, 45}, {60.5, 45}, {60.5, 46}, {59.5, 45}}},
				{
					{{61, 46}, {62, 46}, {62, 47}, {61, 47}, {61, 46}},
					{{61.2, 46.2}, {61.4, 46.2}, {61.4, 46.4}, {61.2, 46.2}},
				},
			}},
		},
		"geometrycollection.geojson": {
			geometries: []orb.Geometry{orb.Collection{
				orb.Point{74.6, 42.9},
				orb.Collection{orb.LineString{{74, 42}, {75, 43}}},
				orb.Polygon{{{74, 42}, {75, 42}, {75, 43}, {74, 42}}},
			}},
		},
		"null_geometry.geojson": {geometries: []orb.Geometry{nil, nil, nil, nil, nil}},
		"feature.geojson": {
			geometries: []orb.Geometry{orb.Point{74.5, 46.5}},
			names:      []string{"Balkhash"},
		},
		"geometry.geojson": {
			geometries: []orb.Geometry{orb.Polygon{{{76, 43}, {77, 43}, {77, 44}, {76, 43}}}},
		},
		"sorted_keys.geojson": {
			geometries: []orb.Geometry{orb.LineString{{69, 41}, {69.5, 41.5}}, orb.Collection{orb.Point{70, 40}}},
		},
		"pretty.geojson": {
			geometries: []orb.Geometry{orb.Point{77.25, 42.45}},
			names:      []string{"Issyk-Kul"},
		},
		"bom.geojson":              {geometries: []orb.Geometry{orb.Point{65, 40}}, names: []string{"BOM"}},
		"empty_collection.geojson": {geometries: []orb.Geometry{}},
		"crs_epsg4326.geojson":     {geometries: crsPoint},
		"crs_crs84.geojson":        {geometries: crsPoint},
		"crs_epsg_urn.geojson":     {geometries: crsPoint},
		"crs_ogc_uri.geojson":      {geometries: crsPoint},
		"crs_legacy_epsg.geojson":  {geometries: crsPoint},
		"crs_string.geojson":       {geometries: crsPoint},
		"crs_null.geojson":         {geometries: crsPoint},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			v, err := decodeFile(t, name)
			if err != nil {
				t.Fatal(err)
			}
			if v.Len() != len(tt.geometries) {
				t.Fatalf("%d features, want %d", v.Len(), len(tt.geometries))
			}
			for i, want := range tt.geometries {
				f := v.Feature(i)
				if !reflect.DeepEqual(f.Geometry, want) {
					t.Errorf("feature %d: geometry = %#v\nwant %#v", i, f.Geometry, want)
				}
				if tt.names != nil {
					if got := f.Properties.String("name"); got != tt.names[i] {
						t.Errorf("feature %d: name = %q, want %q", i, got, tt.names[i])
					}
				}
			}
		})
	}
}

func TestGeoJSON_properties(t *testing.T) {
	v, err := decodeFile(t, "points.geojson")
	if err != nil {
		t.Fatal(err)
	}
	almaty := v.Feature(0).Properties
	if pop, ok := almaty.Number("pop"); !ok || pop != 2e6 {
		t.Errorf(`Number("pop") = %v, %v; want 2e6`, pop, ok)
	}
	if _, ok := almaty.Get("id"); ok {
		t.Error(`the feature's "id" member showed up in its properties`)
	}
	for i := 1; i < 3; i++ {
		if p := v.Feature(i).Properties; !p.IsEmpty() {
			t.Errorf("feature %d: properties %v, want none", i, p.Keys())
		}
	}
}

func TestGeoJSON_propertiesAreCopiedOutOfTheInput(t *testing.T) {
	data := []byte(`{"type":"Feature","properties":{"name":"Aral"},"geometry":null}`)
	v, err := decode.GeoJSON(data, "aral.geojson")
	if err != nil {
		t.Fatal(err)
	}
	// The input can go: a feature keeps only what it needs of it.
	copy(data, bytes.Repeat([]byte{'x'}, len(data)))
	raw, err := v.Feature(0).Properties.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if string(raw) != `{"name":"Aral"}` {
		t.Errorf("properties %s, want {\"name\":\"Aral\"} after the input was overwritten", raw)
	}
}

func TestGeoJSON_ids(t *testing.T) {
	v, err := decodeFile(t, "ids.geojson")
	if err != nil {
		t.Fatal(err)
	}
	// The "id" member wins over the property, numbers keep their text,
	// and features without an ID or with a repeated one are numbered.
	want := []string{"lake-aral", "17", "1.5e1", "from-property", "#5", "#6"}
	for i, id := range want {
		if got := v.Feature(i).ID; got != id {
			t.Errorf("feature %d: ID %q, want %q", i+1, got, id)
		}
	}
}

func TestGeoJSON_errors(t *testing.T) {
	tests := map[string]struct {
		feature      int
		line, column int   // checked if line > 0
		is           error // checked if not nil
		msg          string
	}{
		"broken_empty.geojson":  {msg: "decode: broken_empty.geojson: line 1, column 1: the file is empty"},
		"broken_blank.geojson":  {msg: "decode: broken_blank.geojson: line 1, column 1: the file is empty"},
		"broken_syntax.geojson": {feature: 2, line: 5, column: 39, msg: "decode: broken_syntax.geojson: feature 2: line 5, column 39: invalid character '}' looking for beginning of value"},
		"broken_truncated.geojson": {
			feature: 1, line: 1, column: 136,
			msg: "decode: broken_truncated.geojson: feature 1: line 1, column 136: unexpected end of JSON input",
		},
		"broken_toplevel.geojson":     {line: 1, column: 1, msg: "want a GeoJSON object at the top level, found an array"},
		"broken_missing_type.geojson": {line: 1, column: 1, msg: `decode: broken_missing_type.geojson: line 1, column 1: missing "type" member`},
		"broken_unknown_type.geojson": {msg: `type "Topology" is not a GeoJSON type`},
		"broken_projected.geojson": {
			feature: 4, line: 5, column: 80, is: decode.ErrNotLonLat,
			msg: "decode: broken_projected.geojson: feature 4: line 5, column 80: geometry: Polygon ring 1 position 1: 512000,4750000 is not lon/lat; reproject to EPSG:4326",
		},
		"broken_ring.geojson": {
			feature: 2,
			msg:     "feature 2: line 3, column 155: geometry: MultiPolygon polygon 2 ring 2 has 3 positions, a ring needs at least 4",
		},
		"broken_line.geojson":           {feature: 1, msg: "geometry: LineString has 1 position, a line needs at least 2"},
		"broken_position.geojson":       {feature: 1, line: 1, column: 94, msg: "geometry: LineString position 2: want numbers, found a string"},
		"broken_short_position.geojson": {feature: 1, line: 1, column: 76, msg: "geometry: Point has 1 number, a position needs at least 2"},
		"broken_feature_type.geojson":   {feature: 2, msg: `feature 2: line 1, column 100: type is "Point", want "Feature"`},
		"broken_properties.geojson":     {feature: 1, msg: `"properties": want an object or null, found an array`},
		"broken_trailing.geojson": {
			line: 2, column: 1,
			msg: "decode: broken_trailing.geojson: line 2, column 1: invalid character '{' after top-level value",
		},
		"broken_no_features.geojson":    {msg: `FeatureCollection has no "features" member`},
		"broken_id.geojson":             {feature: 1, msg: `"id": want a string or a number, found an object`},
		"broken_no_coordinates.geojson": {feature: 1, msg: `geometry: Polygon has no "coordinates" member`},
		"broken_geometry_type.geojson":  {feature: 1, msg: `geometry: type "Circle" is not a geometry type`},
		"broken_number.geojson":         {feature: 1, line: 1, column: 80, msg: "feature 1: line 1, column 80: number 4e999 is out of range"},
		"broken_crs_3857.geojson": {
			is:  decode.ErrUnsupportedCRS,
			msg: `crs "EPSG:3857" is not supported: this version reads lon/lat (EPSG:4326/CRS84) only`,
		},
		"broken_crs_utm.geojson":  {is: decode.ErrUnsupportedCRS, msg: `crs "urn:ogc:def:crs:EPSG::32642" is not supported`},
		"broken_crs_link.geojson": {is: decode.ErrUnsupportedCRS, msg: `crs link "http://example.com/crs/42" cannot be checked`},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			v, err := decodeFile(t, name)
			if v != nil {
				t.Errorf("got a layer of %d features with the error", v.Len())
			}
			var de *decode.Error
			if !errors.As(err, &de) {
				t.Fatalf("err = %v, want a *decode.Error", err)
			}
			if de.File != name || de.Feature != tt.feature {
				t.Errorf("File, Feature = %q, %d; want %q, %d", de.File, de.Feature, name, tt.feature)
			}
			if tt.line > 0 && (de.Line != tt.line || de.Column != tt.column) {
				t.Errorf("at %d:%d, want %d:%d", de.Line, de.Column, tt.line, tt.column)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(err, %v) = false", tt.is)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message %q\ndoes not contain %q", err, tt.msg)
			}
		})
	}
}

func TestGeoJSON_everyErrorIsLocated(t *testing.T) {
	names, err := filepath.Glob("testdata/broken_*.geojson")
	if err != nil || len(names) == 0 {
		t.Fatal("no broken fixtures", err)
	}
	for _, path := range names {
		name := filepath.Base(path)
		_, err := decodeFile(t, name)
		var de *decode.Error
		if !errors.As(err, &de) {
			t.Errorf("%s: err = %v, want a *decode.Error", name, err)
			continue
		}
		if de.Line < 1 || de.Column < 1 {
			t.Errorf("%s: located at %d:%d", name, de.Line, de.Column)
		}
	}
}

func TestGeoJSONReader(t *testing.T) {
	data := `{"type":"Point","coordinates":[71.43,51.13]}`
	v, err := decode.GeoJSONReader(context.Background(), strings.NewReader(data), "astana.geojson", decode.Limits{})
	if err != nil || v.Len() != 1 || v.Feature(0).Geometry != (orb.Point{71.43, 51.13}) {
		t.Fatalf("GeoJSONReader = %v, %v", v, err)
	}
	failure := errors.New("disk on fire")
	_, err = decode.GeoJSONReader(context.Background(), iotest.ErrReader(failure), "astana.geojson", decode.Limits{})
	if !errors.Is(err, failure) || !strings.Contains(err.Error(), "astana.geojson") {
		t.Errorf("err = %v, want the read error, naming the file", err)
	}
}

func TestFile(t *testing.T) {
	dir := t.TempDir()
	point := []byte(`{"type":"Point","coordinates":[69.28,41.31]}`)
	for _, name := range []string{"a.geojson", "b.JSON", "c.GeoJSON", "d.shp", "e"} {
		if err := os.WriteFile(filepath.Join(dir, name), point, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := map[string]struct {
		name string
		is   error
		msg  string
	}{
		"geojson":           {name: "a.geojson"},
		"json in capitals":  {name: "b.JSON"},
		"mixed case":        {name: "c.GeoJSON"},
		"shapefile":         {name: "d.shp", is: decode.ErrUnsupportedFormat, msg: `d.shp: unsupported format ".shp"`},
		"no extension":      {name: "e", is: decode.ErrUnsupportedFormat, msg: "e: unsupported format: the file name has no extension"},
		"missing":           {name: "missing.geojson", is: fs.ErrNotExist, msg: "decode: open "},
		"missing and wrong": {name: "missing.gpkg", is: decode.ErrUnsupportedFormat, msg: `unsupported format ".gpkg"`},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			v, err := decode.File(context.Background(), path, decode.Limits{})
			if tt.is == nil {
				if err != nil || v.Len() != 1 {
					t.Fatalf("File = %v, %v", v, err)
				}
				return
			}
			if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %v, want %v containing %q", err, tt.is, tt.msg)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("err = %v, want it to name the file as given, %s", err, path)
			}
		})
	}
}

// TestGeoJSON_assets decodes every GeoJSON file the app ships.
func TestGeoJSON_assets(t *testing.T) {
	root := filepath.Join("..", "..", "assets", "data")
	if _, err := os.Stat(root); err != nil {
		t.Skip("no assets:", err)
	}
	found := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".geojson" {
			return err
		}
		found++
		v, err := decode.File(context.Background(), path, decode.Limits{})
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		if v.Len() == 0 {
			t.Errorf("%s: no features", path)
		}
		checkLonLat(t, v)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found == 0 {
		t.Error("no GeoJSON files under", root)
	}
}

// checkLonLat fails the test unless every coordinate of every feature is
// a finite longitude and latitude.
func checkLonLat(t *testing.T, v *layer.Vector) {
	t.Helper()
	for f := range v.All() {
		if f.Geometry == nil {
			continue
		}
		b := f.Geometry.Bound()
		for _, p := range []orb.Point{b.Min, b.Max} {
			if math.IsNaN(p[0]) || math.IsNaN(p[1]) || p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90 {
				t.Fatalf("feature %s: bound %v is not lon/lat", f.ID, b)
			}
		}
	}
}
