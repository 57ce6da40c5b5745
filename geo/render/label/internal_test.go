package label

import (
	"image"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

func TestGrid_freeMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	area := image.Rect(-10, -10, 700, 500)
	randomBox := func() image.Rectangle {
		x, y := r.IntN(760)-40, r.IntN(560)-40
		return image.Rect(x, y, x+1+r.IntN(150), y+1+r.IntN(40))
	}
	g := newGrid(area)
	var boxes []image.Rectangle
	for range 300 {
		b := randomBox()
		g.insert(b)
		boxes = append(boxes, b)
	}
	for range 2000 {
		q := randomBox().Intersect(area)
		want := true
		for _, b := range boxes {
			if b.Overlaps(q) {
				want = false
				break
			}
		}
		if got := g.free(q); got != want {
			t.Fatalf("free(%v) = %v, brute force says %v", q, got, want)
		}
	}
}

func TestMeasuredLine_cut(t *testing.T) {
	line := measureLine([]orb.Point{{0, 0}, {10, 0}, {10, 10}, {20, 10}}, nil)
	tests := map[string]struct {
		from, to float64
		want     []orb.Point
	}{
		"inside one segment":     {2, 7, []orb.Point{{2, 0}, {7, 0}}},
		"across a vertex":        {5, 15, []orb.Point{{5, 0}, {10, 0}, {10, 5}}},
		"from a vertex":          {10, 25, []orb.Point{{10, 0}, {10, 10}, {15, 10}}},
		"whole line":             {0, 30, []orb.Point{{0, 0}, {10, 0}, {10, 10}, {20, 10}}},
		"across several corners": {1, 29, []orb.Point{{1, 0}, {10, 0}, {10, 10}, {19, 10}}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := line.cut(tc.from, tc.to, nil)
			if len(got) != len(tc.want) {
				t.Fatalf("cut(%v, %v) = %v, want %v", tc.from, tc.to, got, tc.want)
			}
			for i := range got {
				if math.Abs(got[i][0]-tc.want[i][0]) > 1e-9 || math.Abs(got[i][1]-tc.want[i][1]) > 1e-9 {
					t.Fatalf("cut(%v, %v) = %v, want %v", tc.from, tc.to, got, tc.want)
				}
			}
		})
	}
}

func TestMeasuredLine_within(t *testing.T) {
	frame := image.Rect(0, 0, 100, 100)
	tests := map[string]struct {
		line     []orb.Point
		from, to float64
		ok       bool
	}{
		"inside":                     {[]orb.Point{{10, 10}, {90, 10}}, 0, 80, true},
		"crossing with no vertex in": {[]orb.Point{{-50, 50}, {150, 50}}, 50, 150, true},
		"entering then leaving":      {[]orb.Point{{-10, 50}, {50, 50}, {50, 150}}, 10, 110, true},
		"outside":                    {[]orb.Point{{-50, -10}, {150, -10}}, 0, 0, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			from, to, ok := measureLine(tc.line, nil).within(frame)
			if ok != tc.ok || (ok && (math.Abs(from-tc.from) > 1e-9 || math.Abs(to-tc.to) > 1e-9)) {
				t.Errorf("within = %v, %v, %v; want %v, %v, %v", from, to, ok, tc.from, tc.to, tc.ok)
			}
		})
	}
}
