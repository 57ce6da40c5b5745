package layer_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/paulmach/orb"
)

func randomPoints(n int) []layer.Feature {
	r := rand.New(rand.NewPCG(1, 2))
	fs := make([]layer.Feature, n)
	for i := range fs {
		fs[i] = layer.Feature{Geometry: orb.Point{46 + r.Float64()*42, 35 + r.Float64()*21}}
	}
	return fs
}

// positions returns the positions, from 0, of the features a search
// yields.
func positions(t testing.TB, v *layer.Vector, b orb.Bound) []int {
	t.Helper()
	var out []int
	for f, err := range v.Search(context.Background(), b) {
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(slices.Collect(v.All()), func(g *layer.Feature) bool { return g == f })
		out = append(out, i)
	}
	return out
}

func TestVector_Search_sameWithAndWithoutIndex(t *testing.T) {
	v := layer.NewVector(randomPoints(10_000))
	q := orb.Bound{Min: orb.Point{70, 40}, Max: orb.Point{75, 44}}
	scanned := positions(t, v, q)
	v.BuildIndex()
	indexed := positions(t, v, q)
	if len(scanned) == 0 || !slices.Equal(scanned, indexed) {
		t.Fatalf("scan found %d, index %d (must be equal, in source order)", len(scanned), len(indexed))
	}
	if !slices.IsSorted(indexed) {
		t.Error("index results are not in source order")
	}
	for _, i := range scanned {
		if !q.Contains(v.Feature(i).Geometry.(orb.Point)) {
			t.Fatalf("feature %d is outside the query", i)
		}
	}
}

func TestVector_Search_stopsWhenCancelled(t *testing.T) {
	v := layer.NewVector(randomPoints(20_000))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	n := 0
	var last error
	for f, err := range v.Search(ctx, v.Extent()) {
		if err != nil {
			last = err
			break
		}
		if f == nil {
			t.Fatal("a nil feature without an error")
		}
		n++
	}
	if !errors.Is(last, context.Canceled) || n >= 20_000 {
		t.Errorf("a cancelled search yielded %d features and error %v, want context.Canceled before the end", n, last)
	}
}

func TestNewVector_IDs(t *testing.T) {
	v := layer.NewVector([]layer.Feature{
		{ID: "aral", Geometry: orb.Point{60, 45}},
		{Geometry: orb.Point{61, 45}},
		{ID: "aral", Geometry: orb.Point{62, 45}}, // a duplicate: numbered instead
		{ID: "#1", Geometry: orb.Point{63, 45}},   // looks numbered, is the data's own
	})
	want := []string{"aral", "#2", "#3", "#1"}
	for i, id := range want {
		if got := v.Feature(i).ID; got != id {
			t.Errorf("feature %d: ID %q, want %q", i+1, got, id)
		}
		if f, ok := v.Lookup(id); !ok || f != v.Feature(i) {
			t.Errorf("Lookup(%q) = %p, %v; want feature %d", id, f, ok, i+1)
		}
	}
	for _, id := range []string{"", "#0", "#5", "#x", "caspian"} {
		if f, ok := v.Lookup(id); ok {
			t.Errorf("Lookup(%q) found %v, want nothing", id, f.ID)
		}
	}
}

func TestNewVector_IDsNumberedWithoutData(t *testing.T) {
	v := layer.NewVector(randomPoints(5000))
	for _, i := range []int{0, 4095, 4999} {
		f := v.Feature(i)
		if got, want := f.ID, "#"+strconv.Itoa(i+1); got != want {
			t.Errorf("feature %d: ID %q, want %q", i+1, got, want)
		}
		if g, ok := v.Lookup(f.ID); !ok || g != f {
			t.Errorf("Lookup(%q) did not find feature %d", f.ID, i+1)
		}
	}
}

func TestVector_Schema(t *testing.T) {
	v := layer.NewVector([]layer.Feature{
		{Properties: layer.PropertiesFromJSON([]byte(`{"name":"Aral","area":null,"code":1}`))},
		{Properties: layer.PropertiesFromJSON([]byte(`{"area":68000,"code":"A","tags":["lake"],"name":"Caspian"}`))},
		{Properties: layer.PropertiesFromMap(map[string]any{"salty": true})},
	})
	want := []layer.Field{
		{Name: "name", Type: layer.FieldString},
		{Name: "area", Type: layer.FieldNumber},
		{Name: "code", Type: layer.FieldMixed},
		{Name: "tags", Type: layer.FieldArray},
		{Name: "salty", Type: layer.FieldBool},
	}
	if got := v.Schema(); !slices.Equal(got, want) {
		t.Errorf("Schema = %v\nwant %v", got, want)
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
	if got := positions(t, v, orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{180, 90}}); len(got) != 4 {
		t.Errorf("a covering search yielded %d features, want all 4 (null geometry included)", len(got))
	}
}

func BenchmarkVector_Search_scan1e5(b *testing.B) {
	v := layer.NewVector(randomPoints(100_000))
	q := orb.Bound{Min: orb.Point{70, 40}, Max: orb.Point{75, 44}}
	for b.Loop() {
		for range v.Search(context.Background(), q) {
		}
	}
}
