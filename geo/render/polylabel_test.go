package render

import (
	"math"
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/paulmach/orb"
)

// TestLabelPoint_releasesDroppedLayers labels the polygons of a layer,
// drops the layer and checks that its features are collected and their
// label points forgotten. The cache held every labelled feature, and so
// every labelled layer, for ever.
func TestLabelPoint_releasesDroppedLayers(t *testing.T) {
	features := make([]layer.Feature, 50)
	for i := range features {
		c := orb.Point{60 + float64(i%10), 40 + float64(i/10)}
		ring := make(orb.Ring, 0, 2001)
		for k := range 2000 {
			a := 2 * math.Pi * float64(k) / 2000
			ring = append(ring, orb.Point{c[0] + 0.4*math.Cos(a), c[1] + 0.3*math.Sin(a)})
		}
		features[i].Geometry = orb.Polygon{append(ring, ring[0])}
	}
	v := layer.NewVector(features)
	features = nil
	var keys []weak.Pointer[layer.Feature]
	for f := range v.All() {
		if _, ok := labelPoint(f); !ok {
			t.Fatal("no label point for a polygon")
		}
		keys = append(keys, weak.Make(f))
	}
	if _, ok := cachedLabelPoint(v.Feature(7)); !ok {
		t.Fatal("the label point was not cached")
	}
	v = nil
	deadline := time.Now().Add(5 * time.Second)
	for {
		runtime.GC()
		kept, cached := 0, 0
		labelPoints.Lock()
		for _, k := range keys {
			if k.Value() != nil {
				kept++
			}
			if _, ok := labelPoints.m[k]; ok {
				cached++
			}
		}
		labelPoints.Unlock()
		if kept == 0 && cached == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the layer was dropped: %d features kept, %d label points cached", kept, cached)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
