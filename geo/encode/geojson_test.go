package encode_test

import (
	"bytes"
	"errors"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/decode"
	"github.com/ecoatlas/ecoatlas/geo/encode"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/paulmach/orb"
)

func TestGeoJSON_roundTrip(t *testing.T) {
	square := orb.Ring{{76, 42}, {77, 42}, {77, 43}, {76, 43}, {76, 42}}
	hole := orb.Ring{{76.2, 42.2}, {76.2, 42.8}, {76.8, 42.8}, {76.8, 42.2}, {76.2, 42.2}}
	features := []layer.Feature{
		{ID: "p", Geometry: orb.Point{76.123456789012345, 42.5}, Properties: layer.PropertiesFromMap(map[string]any{"name": "Иссык-Куль", "n": 1.5})},
		{ID: "mp", Geometry: orb.MultiPoint{{1, 2}, {3, 4}}},
		{ID: "l", Geometry: orb.LineString{{1, 2}, {3, 4}}, Properties: layer.PropertiesFromJSON([]byte(`{"a":[1,2],"b":null}`))},
		{ID: "ml", Geometry: orb.MultiLineString{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}},
		{ID: "poly", Geometry: orb.Polygon{square, hole}},
		{ID: "multi", Geometry: orb.MultiPolygon{{square}, {hole}}},
		{ID: "gc", Geometry: orb.Collection{orb.Point{1, 2}, orb.LineString{{1, 2}, {3, 4}}}},
		{ID: "", Geometry: nil},
	}
	var buf bytes.Buffer
	if err := encode.GeoJSON(&buf, features); err != nil {
		t.Fatal(err)
	}
	v, err := decode.GeoJSON(buf.Bytes(), "out.geojson")
	if err != nil {
		t.Fatalf("decode: %v\n%s", err, buf.String())
	}
	if v.Len() != len(features) {
		t.Fatalf("%d features back, want %d", v.Len(), len(features))
	}
	for i, want := range features {
		got := v.Feature(i)
		if want.ID != "" && got.ID != want.ID {
			t.Errorf("feature %d: ID %q, want %q", i+1, got.ID, want.ID)
		}
		if !reflect.DeepEqual(got.Geometry, want.Geometry) && !(want.Geometry == nil && got.Geometry == nil) {
			t.Errorf("feature %d: geometry %#v, want %#v", i+1, got.Geometry, want.Geometry)
		}
		if !reflect.DeepEqual(got.Properties.Map(), want.Properties.Map()) && !(want.Properties.IsEmpty() && got.Properties.IsEmpty()) {
			t.Errorf("feature %d: properties %v, want %v", i+1, got.Properties.Map(), want.Properties.Map())
		}
	}
}

func TestGeoJSON_errors(t *testing.T) {
	for name, tt := range map[string]struct {
		g    orb.Geometry
		says string
	}{
		"NaN":      {orb.Point{math.NaN(), 1}, "feature 1 (x): encode: geometry cannot be written: coordinate NaN"},
		"infinite": {orb.MultiPolygon{{{{0, 0}, {1, math.Inf(1)}, {0, 0}}}}, "coordinate +Inf"},
		"line":     {orb.MultiLineString{{{0, 0}, {math.NaN(), 0}}}, "coordinate NaN"},
	} {
		t.Run(name, func(t *testing.T) {
			err := encode.GeoJSON(&bytes.Buffer{}, []layer.Feature{{ID: "x", Geometry: tt.g}})
			if !errors.Is(err, encode.ErrGeometry) || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("err = %v, want ErrGeometry saying %q", err, tt.says)
			}
		})
	}
}

func ExampleGeoJSON() {
	belt := layer.Feature{
		ID:         "belt.almaty",
		Geometry:   orb.Point{76.91, 43.33},
		Properties: layer.PropertiesFromMap(map[string]any{"area_km2": 1234.5}),
	}
	if err := encode.GeoJSON(os.Stdout, []layer.Feature{belt}); err != nil {
		panic(err)
	}
	// Output:
	// {"type":"FeatureCollection","features":[
	// {"type":"Feature","id":"belt.almaty","properties":{"area_km2":1234.5},"geometry":{"type":"Point","coordinates":[76.91,43.33]}}
	// ]}
}
