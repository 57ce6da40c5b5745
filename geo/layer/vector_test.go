package layer_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/paulmach/orb"
)

func randomPoints(n int) []layer.Feature {
	r := rand.New(rand.NewPCG(1, 2))
	fs := make([]layer.Feature, n)
	for i := range fs {
		fs[i] = layer.Feature{ID: layer.FID(i), Geometry: orb.Point{46 + r.Float64()*42, 35 + r.Float64()*21}}
	}
	return fs
}

func ids(v *layer.Vector, b orb.Bound) []layer.FID {
	var out []layer.FID
	for f := range v.Search(b) {
		out = append(out, f.ID)
	}
	return out
}

func TestVector_Search_sameWithAndWithoutIndex(t *testing.T) {
	v := layer.NewVector(randomPoints(10_000))
	q := orb.Bound{Min: orb.Point{70, 40}, Max: orb.Point{75, 44}}
	scanned := ids(v, q)
	v.BuildIndex()
	indexed := ids(v, q)
	if len(scanned) == 0 || !slices.Equal(scanned, indexed) {
		t.Fatalf("scan found %d, index %d (must be equal, in source order)", len(scanned), len(indexed))
	}
	if !slices.IsSorted(indexed) {
		t.Error("index results are not in source order")
	}
	for _, id := range scanned {
		if !q.Contains(v.Feature(int(id)).Geometry.(orb.Point)) {
			t.Fatalf("feature %d is outside the query", id)
		}
	}
}

func TestVector_extentAndKind(t *testing.T) {
	v := layer.NewVector([]layer.Feature{
		{Geometry: orb.Point{60, 40}},
		{Geometry: orb.LineString{{61, 41}, {62, 43}}},
		{Geometry: orb.LineString{{50, 45}, {51, 46}}},
		{Geometry: nil},
	})
	want := orb.Bound{Min: orb.Point{50, 40}, Max: orb.Point{62, 46}}
	if v.Extent() != want {
		t.Errorf("Extent = %v, want %v", v.Extent(), want)
	}
	if v.Kind() != layer.KindLine {
		t.Errorf("Kind = %v, want line", v.Kind())
	}
	if got := ids(v, orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{180, 90}}); len(got) != 4 {
		t.Errorf("a covering search yielded %d features, want all 4 (null geometry included)", len(got))
	}
}

func BenchmarkVector_Search_scan1e5(b *testing.B) {
	v := layer.NewVector(randomPoints(100_000))
	q := orb.Bound{Min: orb.Point{70, 40}, Max: orb.Point{75, 44}}
	for b.Loop() {
		for range v.Search(q) {
		}
	}
}
