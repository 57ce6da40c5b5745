package label

import (
	"image"
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// measuredLine is a polyline with the distance along it at each vertex.
type measuredLine struct {
	points []orb.Point
	along  []float64
	length float64
}

// measureLine measures the points, appending the distances to buf.
func measureLine(points []orb.Point, buf []float64) measuredLine {
	l := measuredLine{points: points, along: append(buf, 0)}
	for i := 1; i < len(points); i++ {
		dx, dy := points[i][0]-points[i-1][0], points[i][1]-points[i-1][1]
		l.length += math.Sqrt(dx*dx + dy*dy)
		l.along = append(l.along, l.length)
	}
	return l
}

// within returns the distances along the line where it first enters and
// last leaves r, and false if it never crosses r.
func (l measuredLine) within(r image.Rectangle) (from, to float64, ok bool) {
	from, to = math.Inf(1), math.Inf(-1)
	for i := 1; i < len(l.points); i++ {
		t0, t1, hit := clipSegment(l.points[i-1], l.points[i], r)
		if !hit {
			continue
		}
		length := l.along[i] - l.along[i-1]
		from = min(from, l.along[i-1]+t0*length)
		to = max(to, l.along[i-1]+t1*length)
	}
	return from, to, from <= to
}

// clipSegment returns the parameters 0 ≤ t0 ≤ t1 ≤ 1 of the part of the
// segment from a to b inside r (Liang–Barsky), and false if none is.
func clipSegment(a, b orb.Point, r image.Rectangle) (t0, t1 float64, ok bool) {
	if inside(a, r) && inside(b, r) {
		return 0, 1, true
	}
	t0, t1 = 0, 1
	d := orb.Point{b[0] - a[0], b[1] - a[1]}
	for _, edge := range [4]struct{ p, q float64 }{
		{-d[0], a[0] - float64(r.Min.X)},
		{d[0], float64(r.Max.X) - a[0]},
		{-d[1], a[1] - float64(r.Min.Y)},
		{d[1], float64(r.Max.Y) - a[1]},
	} {
		switch {
		case edge.p == 0:
			if edge.q < 0 {
				return 0, 0, false
			}
		case edge.p < 0:
			t0 = max(t0, edge.q/edge.p)
		default:
			t1 = min(t1, edge.q/edge.p)
		}
	}
	return t0, t1, t0 <= t1
}

// cut appends to buf the part of the line between the distances from and
// to (0 ≤ from < to ≤ length).
func (l measuredLine) cut(from, to float64, buf []orb.Point) []orb.Point {
	i := sort.SearchFloat64s(l.along, from) // first vertex at or after from
	j := sort.SearchFloat64s(l.along, to)   // first vertex at or after to
	sub := append(buf, l.at(from, i))
	for k := i; k < j; k++ {
		if l.along[k] > from {
			sub = append(sub, l.points[k])
		}
	}
	return append(sub, l.at(to, j))
}

// point returns the point at distance d along the line.
func (l measuredLine) point(d float64) orb.Point {
	return l.at(d, sort.SearchFloat64s(l.along, d))
}

// at returns the point at distance d, given i, the index of the first
// vertex at or after d.
func (l measuredLine) at(d float64, i int) orb.Point {
	if i == 0 {
		return l.points[0]
	}
	if i >= len(l.points) {
		return l.points[len(l.points)-1]
	}
	a, b := l.points[i-1], l.points[i]
	t := (d - l.along[i-1]) / (l.along[i] - l.along[i-1])
	return orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
}

// inside reports whether p lies in r, edges included.
func inside(p orb.Point, r image.Rectangle) bool {
	return p[0] >= float64(r.Min.X) && p[0] <= float64(r.Max.X) && p[1] >= float64(r.Min.Y) && p[1] <= float64(r.Max.Y)
}
