package raster

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// distanceToSegment returns the distance from p to the segment ab.
func distanceToSegment(p, a, b Point) float64 {
	dx, dy := b.X-a.X, b.Y-a.Y
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = max(0, min(1, ((p.X-a.X)*dx+(p.Y-a.Y)*dy)/l2))
	}
	return math.Hypot(p.X-a.X-t*dx, p.Y-a.Y-t*dy)
}

func TestSimplifyStaysWithinTolerance(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	tests := map[string]struct {
		points  func() []Point
		closed  bool
		maxKept int
	}{
		"dense circle": {
			points: func() []Point {
				pts := make([]Point, 1000)
				for i := range pts {
					a := 2 * math.Pi * float64(i) / 1000
					pts[i] = Point{100 + 15*math.Cos(a), 100 + 15*math.Sin(a)}
				}
				return pts
			},
			closed:  true,
			maxKept: 40,
		},
		"straight line": {
			points: func() []Point {
				pts := make([]Point, 500)
				for i := range pts {
					pts[i] = Point{float64(i) * 0.37, float64(i) * 0.11}
				}
				return pts
			},
			maxKept: 2,
		},
		"random walk": {
			points: func() []Point {
				pts := make([]Point, 2000)
				p := Point{}
				for i := range pts {
					p.X += rng.Float64() - 0.3
					p.Y += rng.Float64() - 0.5
					pts[i] = p
				}
				return pts
			},
			maxKept: 2000,
		},
		"out and back": {
			points: func() []Point {
				return []Point{{0, 0}, {10, 0}, {20, 0.01}, {5, 0.02}, {30, 0}}
			},
			maxKept: 5,
		},
	}
	for name, tt := range tests {
		pts := tt.points()
		for _, tolerance := range []float64{flatness, 0.25, 0.5} {
			t.Run(fmt.Sprintf("%s/%g", name, tolerance), func(t *testing.T) {
				checkSimplify(t, pts, tt.closed, tolerance, tt.maxKept)
			})
		}
	}
}

// checkSimplify checks that Simplify keeps at most maxKept points, keeps
// the ends, and stays within the tolerance of every point.
func checkSimplify(t *testing.T, pts []Point, closed bool, tolerance float64, maxKept int) {
	t.Helper()
	got := Simplify(nil, pts, closed, tolerance)
	if len(got) > maxKept {
		t.Errorf("kept %d of %d points, want at most %d", len(got), len(pts), maxKept)
	}
	if got[0] != pts[0] {
		t.Errorf("first point %v, want %v", got[0], pts[0])
	}
	if !closed && got[len(got)-1] != pts[len(pts)-1] {
		t.Errorf("last point %v, want %v", got[len(got)-1], pts[len(pts)-1])
	}
	// Every input point must lie near the simplified line.
	ring := got
	if closed {
		ring = append(ring, got[0])
	}
	worst := 0.0
	for _, p := range pts {
		best := math.Inf(1)
		for k := 1; k < len(ring); k++ {
			best = min(best, distanceToSegment(p, ring[k-1], ring[k]))
		}
		worst = max(worst, best)
	}
	if worst > tolerance*math.Sqrt2 {
		t.Errorf("a point lies %.3f px from the simplified line, want at most %.3f", worst, tolerance*math.Sqrt2)
	}
}
