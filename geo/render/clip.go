package render

import "github.com/paulmach/orb"

// minStep is the per-zoom simplification: consecutive vertices closer than
// this many device pixels (in both axes) are merged. A quarter of the
// anti-aliasing resolution is invisible, and it removes most vertices of
// detailed data seen from far away.
const minStep = 0.4

// projectPath appends the device-pixel vertices of a lon/lat line to buf,
// dropping vertices within minStep of the last kept one. The last vertex
// is always kept so closed rings stay closed.
func projectPath(buf []orb.Point, pts []orb.Point, t transform) []orb.Point {
	n := len(pts)
	for i, p := range pts {
		q := t.apply(p)
		if k := len(buf); k > 0 && i != n-1 {
			last := buf[k-1]
			if dx, dy := q[0]-last[0], q[1]-last[1]; dx < minStep && dx > -minStep && dy < minStep && dy > -minStep {
				continue
			}
		}
		buf = append(buf, q)
	}
	return buf
}

// pixelBound returns the bound of device-pixel points.
func pixelBound(pts []orb.Point) orb.Bound {
	b := orb.Bound{Min: pts[0], Max: pts[0]}
	for _, p := range pts[1:] {
		b = b.Extend(p)
	}
	return b
}

// clipRing clips a closed ring to a rectangle (Sutherland–Hodgman), for
// polygons far larger than the target, where rasterising the off-screen
// part would be wasted work. The result reuses out's storage.
func clipRing(out, ring []orb.Point, r orb.Bound) []orb.Point {
	edges := [4]struct {
		axis int
		v    float64
		keep func(a, v float64) bool
	}{
		{0, r.Min[0], func(a, v float64) bool { return a >= v }},
		{0, r.Max[0], func(a, v float64) bool { return a <= v }},
		{1, r.Min[1], func(a, v float64) bool { return a >= v }},
		{1, r.Max[1], func(a, v float64) bool { return a <= v }},
	}
	src := append([]orb.Point(nil), ring...)
	for _, e := range edges {
		out = out[:0]
		if len(src) == 0 {
			break
		}
		prev := src[len(src)-1]
		prevIn := e.keep(prev[e.axis], e.v)
		for _, p := range src {
			in := e.keep(p[e.axis], e.v)
			if in != prevIn {
				t := (e.v - prev[e.axis]) / (p[e.axis] - prev[e.axis])
				var q orb.Point
				q[e.axis] = e.v
				o := 1 - e.axis
				q[o] = prev[o] + t*(p[o]-prev[o])
				out = append(out, q)
			}
			if in {
				out = append(out, p)
			}
			prev, prevIn = p, in
		}
		src = append(src[:0], out...)
	}
	return out
}

// visibleRuns splits a device-pixel polyline into the runs of consecutive
// segments that touch the rectangle, calling fn with each run and the
// distance along the line at which it starts (to keep dash patterns
// continuous across the gaps).
func visibleRuns(line []orb.Point, r orb.Bound, fn func(run []orb.Point, startDist float64)) {
	start := -1
	dist, startDist := 0.0, 0.0
	for i := 1; i < len(line); i++ {
		a, b := line[i-1], line[i]
		touches := max(a[0], b[0]) >= r.Min[0] && min(a[0], b[0]) <= r.Max[0] &&
			max(a[1], b[1]) >= r.Min[1] && min(a[1], b[1]) <= r.Max[1]
		if touches && start < 0 {
			start, startDist = i-1, dist
		}
		if !touches && start >= 0 {
			fn(line[start:i], startDist)
			start = -1
		}
		dx, dy := b[0]-a[0], b[1]-a[1]
		dist += sqrt(dx*dx + dy*dy)
	}
	if start >= 0 {
		fn(line[start:], startDist)
	}
}
