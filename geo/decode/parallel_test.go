package decode

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/layer"
)

// trickyCollection returns a FeatureCollection whose features have
// properties holding objects that look like features, so that guessed
// chunk starts can land inside a feature, and the offset of its
// features array. If faulty >= 0, that feature has a ring too short.
func trickyCollection(n, faulty int) ([]byte, int) {
	r := rand.New(rand.NewPCG(7, 8))
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":`)
	offset := b.Len()
	b.WriteString("[\n")
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		x, y := 50+r.Float64()*30, 38+r.Float64()*15
		var geometry string
		switch {
		case i == faulty:
			geometry = fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g]]]}`, x, y, x+1, y, x, y)
		case i%3 == 0:
			geometry = fmt.Sprintf(`{"type":"Point","coordinates":[%g,%g]}`, x, y)
		case i%3 == 1:
			geometry = fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}`, x, y, x+0.1, y, x+0.1, y+0.1, x, y)
		default:
			geometry = fmt.Sprintf(`{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[%g,%g]}],"decoys":[0, {"type":"Feature"}]}`, x, y)
		}
		fmt.Fprintf(&b, `{"type":"Feature","properties":{"i":%d,"text":"{\"type\":\"Feature\"}","nested":[{"a":1}, {"type":"Feature","geometry":null}, { "type" : "Feature" }]},"geometry":%s}`, i, geometry)
	}
	b.WriteString("\n]}")
	return b.Bytes(), offset
}

// allCandidates returns every offset nextFeatureStart finds after offset.
func allCandidates(data []byte, offset int) []int {
	var starts []int
	for p := nextFeatureStart(data, offset+1); p >= 0; p = nextFeatureStart(data, p+1) {
		starts = append(starts, p)
	}
	return starts
}

func TestDecodeChunks_matchesOnePass(t *testing.T) {
	data, offset := trickyCollection(3000, -1)
	want, wantEnd, f := decodeChunks(data, offset, nil)
	if f != nil {
		t.Fatal(f.err)
	}
	if len(want) != 3000 || wantEnd != len(data)-1 {
		t.Fatalf("one pass: %d features, end %d; want 3000, %d", len(want), wantEnd, len(data)-1)
	}
	candidates := allCandidates(data, offset)
	if len(candidates) < 3*3000 {
		t.Fatalf("only %d candidate starts: the fixture does not fool the guesses", len(candidates))
	}
	r := rand.New(rand.NewPCG(9, 10))
	tests := map[string][]int{
		"even guesses":   guessChunkStarts(data, offset, 8),
		"every guess":    candidates,
		"random guesses": randomSubset(r, candidates, 50),
		"past the array": {len(data) - 1},
	}
	for name, starts := range tests {
		t.Run(name, func(t *testing.T) {
			got, end, f := decodeChunks(data, offset, starts)
			if f != nil {
				t.Fatal(f.err)
			}
			if end != wantEnd || !sameFeatures(got, want) {
				t.Errorf("%d features ending at %d, want %d ending at %d, as in one pass", len(got), end, len(want), wantEnd)
			}
		})
	}
}

func TestDecodeChunks_reportsTheFirstFault(t *testing.T) {
	data, offset := trickyCollection(2000, 1234)
	r := rand.New(rand.NewPCG(11, 12))
	candidates := allCandidates(data, offset)
	for name, starts := range map[string][]int{
		"one pass":       nil,
		"every guess":    candidates,
		"random guesses": randomSubset(r, candidates, 20),
	} {
		t.Run(name, func(t *testing.T) {
			_, _, f := decodeChunks(data, offset, starts)
			if f == nil || f.feature != 1234 {
				t.Fatalf("failure %+v, want one in feature 1234", f)
			}
		})
	}
}

// sortedKeysCollection returns a FeatureCollection written with sorted
// keys and indentation, so that "type" comes last in each feature, and
// the offset of its features array.
func sortedKeysCollection(n int) ([]byte, int) {
	var b bytes.Buffer
	b.WriteString("{\n  \"features\": ")
	offset := b.Len()
	b.WriteString("[\n")
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "    {\n      \"geometry\": {\"coordinates\": [%d.5, 40.25], \"type\": \"Point\"},\n      \"properties\": {\"i\": %d},\n      \"type\": \"Feature\"\n    }", 50+i%30, i)
	}
	b.WriteString("\n  ],\n  \"type\": \"FeatureCollection\"\n}\n")
	return b.Bytes(), offset
}

func TestGuessChunkStarts(t *testing.T) {
	tricky, trickyOffset := trickyCollection(20000, -1)
	sorted, sortedOffset := sortedKeysCollection(40000)
	tests := map[string]struct {
		data   []byte
		offset int
	}{
		"tricky":      {tricky, trickyOffset},
		"sorted keys": {sorted, sortedOffset},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			starts := guessChunkStarts(tt.data, tt.offset, 4)
			if len(starts) != 3 {
				t.Fatalf("%d starts for 4 parts of %d bytes, want 3", len(starts), len(tt.data))
			}
			for i, p := range starts {
				if i > 0 && p <= starts[i-1] || nextFeatureStart(tt.data, p) != p {
					t.Errorf("start %d at %d: %.20q", i, p, tt.data[p:])
				}
			}
			want, wantEnd, f := decodeChunks(tt.data, tt.offset, nil)
			if f != nil {
				t.Fatal(f.err)
			}
			got, end, f := decodeChunks(tt.data, tt.offset, starts)
			if f != nil || end != wantEnd || !sameFeatures(got, want) {
				t.Errorf("chunks: %d features ending at %d (%v), want %d ending at %d", len(got), end, f, len(want), wantEnd)
			}
		})
	}
	if got := guessChunkStarts(tricky[:minChunkBytes], trickyOffset, 4); got != nil {
		t.Errorf("%d starts in less than two chunks' worth of input", len(got))
	}
}

func randomSubset(r *rand.Rand, all []int, n int) []int {
	var subset []int
	for _, i := range r.Perm(len(all))[:n] {
		subset = append(subset, all[i])
	}
	slices.Sort(subset)
	return subset
}

func sameFeatures(a, b []layer.Feature) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !reflect.DeepEqual(a[i].Geometry, b[i].Geometry) || a[i].Properties.String("i") != b[i].Properties.String("i") {
			return false
		}
	}
	return true
}
