package index_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/index"
	"github.com/paulmach/orb"
)

func randomBounds(n int, r *rand.Rand) []orb.Bound {
	bs := make([]orb.Bound, n)
	for i := range bs {
		x, y := 46+r.Float64()*42, 35+r.Float64()*21
		w, h := r.Float64()*0.5, r.Float64()*0.5
		bs[i] = orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + w, y + h}}
	}
	return bs
}

func TestTree_Search_matchesNaiveScan(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	bounds := randomBounds(5000, r)
	tree := index.Build(bounds)
	if tree.Len() != len(bounds) {
		t.Fatalf("Len = %d, want %d", tree.Len(), len(bounds))
	}
	for range 200 {
		q := randomBounds(1, r)[0].Pad(r.Float64() * 3)
		var got, want []int32
		tree.Search(q, func(id int32) bool { got = append(got, id); return true })
		for i, b := range bounds {
			if b.Intersects(q) {
				want = append(want, int32(i))
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("query %v: got %d ids, want %d", q, len(got), len(want))
		}
	}
}

func TestTree_Search_stopsEarly(t *testing.T) {
	tree := index.Build(randomBounds(100, rand.New(rand.NewPCG(3, 4))))
	calls := 0
	tree.Search(orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{180, 90}}, func(int32) bool { calls++; return false })
	if calls != 1 {
		t.Errorf("fn called %d times after returning false, want 1", calls)
	}
}

func TestTree_Delete(t *testing.T) {
	bounds := randomBounds(10, rand.New(rand.NewPCG(5, 6)))
	tree := index.Build(bounds)
	if !tree.Delete(bounds[3], 3) || tree.Delete(bounds[3], 3) {
		t.Fatal("Delete must report true once, then false")
	}
	tree.Search(bounds[3], func(id int32) bool {
		if id == 3 {
			t.Error("deleted id still found")
		}
		return true
	})
}

func BenchmarkTree_Search1e5(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	tree := index.Build(randomBounds(100_000, r))
	q := orb.Bound{Min: orb.Point{76, 42}, Max: orb.Point{78, 43}}
	for b.Loop() {
		tree.Search(q, func(int32) bool { return true })
	}
}
