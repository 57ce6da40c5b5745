package seeds_test

import (
	"encoding/json"
	"io/fs"
	"math"
	"sync"
	"testing"

	"github.com/ecoatlas/ecoatlas/assets"
)

// box is a lon/lat extent: min lon, min lat, max lon, max lat.
type box [4]float64

func (b box) intersects(o box) bool {
	return b[0] <= o[2] && o[0] <= b[2] && b[1] <= o[3] && o[1] <= b[3]
}

// mapData is what the tests of the links need to know of the embedded
// map, read with encoding/json alone: the style's layers and the extent
// of every feature, by layer and feature ID.
type mapData struct {
	layers   map[string]string         // layer id → source path
	features map[string]map[string]box // layer id → feature id → extent
	bounds   box                       // the style's bounds
}

var loadMapData = sync.OnceValues(func() (*mapData, error) {
	var st struct {
		Bounds  box `json:"bounds"`
		Sources map[string]struct {
			Path string `json:"path"`
		} `json:"sources"`
		Layers []struct {
			ID     string `json:"id"`
			Source string `json:"source"`
		} `json:"layers"`
	}
	if err := json.Unmarshal(assets.DefaultStyle, &st); err != nil {
		return nil, err
	}
	m := &mapData{layers: map[string]string{}, features: map[string]map[string]box{}, bounds: st.Bounds}
	byPath := map[string]map[string]box{}
	for _, l := range st.Layers {
		path := st.Sources[l.Source].Path
		m.layers[l.ID] = path
		if path == "" || byPath[path] != nil {
			m.features[l.ID] = byPath[path]
			continue
		}
		data, err := fs.ReadFile(assets.Data(), path)
		if err != nil {
			return nil, err
		}
		var fc struct {
			Features []struct {
				Properties struct {
					ID string `json:"id"`
				} `json:"properties"`
				Geometry struct {
					Coordinates json.RawMessage `json:"coordinates"`
				} `json:"geometry"`
			} `json:"features"`
		}
		if err := json.Unmarshal(data, &fc); err != nil {
			// The hillshade is a PNG: it has no features.
			byPath[path] = map[string]box{}
			m.features[l.ID] = byPath[path]
			continue
		}
		ids := map[string]box{}
		for _, f := range fc.Features {
			ids[f.Properties.ID] = extentOf(f.Geometry.Coordinates)
		}
		byPath[path] = ids
		m.features[l.ID] = ids
	}
	return m, nil
})

// extentOf returns the extent of GeoJSON coordinates of any nesting.
func extentOf(raw json.RawMessage) box {
	b := box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	var walk func(v any)
	walk = func(v any) {
		a, ok := v.([]any)
		if !ok {
			return
		}
		if len(a) >= 2 {
			if x, ok := a[0].(float64); ok {
				y, _ := a[1].(float64)
				b = box{min(b[0], x), min(b[1], y), max(b[2], x), max(b[3], y)}
				return
			}
		}
		for _, e := range a {
			walk(e)
		}
	}
	var v any
	if json.Unmarshal(raw, &v) == nil {
		walk(v)
	}
	return b
}

func embeddedMap(t *testing.T) *mapData {
	t.Helper()
	m, err := loadMapData()
	if err != nil {
		t.Fatalf("reading the embedded style and data: %v", err)
	}
	return m
}
