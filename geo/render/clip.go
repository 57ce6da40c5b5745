package render

import (
	"math"

	"github.com/ecoatlas/ecoatlas/geo/render/raster"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/paulmach/orb"
)

// simplifyTolerance is the per-zoom simplification of the geometry drawn:
// vertices are dropped where the outline stays within about this many
// device pixels of the projected original. That cannot be seen in
// anti-aliased output, and it removes most vertices of detailed data seen
// from far away: three quarters of those of the benchmark's lines, more
// than half of those of its polygons. A coarser tolerance saves a little
// more time, but starts to show in pixel-by-pixel comparisons: at 0.25 px,
// a tenth of the pixels of the lines benchmark differ from Mapnik's by
// more than 10 %, against 1.5 % at 0.15 px.
const simplifyTolerance = 0.15

// projector projects and simplifies geometry for drawing. Each goroutine
// of the first pass of GeometryParallel has its own.
type projector struct {
	tr transform
	// batch holds the geometry of the batch being projected, scratch a
	// line or ring before simplification.
	batch   projected
	scratch []raster.Point
}

// geometry appends to g the parts of a lon/lat geometry that rule r draws:
// points if it has a symbol, lines if it has a stroke, polygons if it has
// a fill or a stroke.
func (pr *projector) geometry(g *projected, geom orb.Geometry, r *style.Rule) {
	switch geom := geom.(type) {
	case orb.Point:
		if r.Symbol != nil {
			pr.points(g, []orb.Point{geom})
		}
	case orb.MultiPoint:
		if r.Symbol != nil && len(geom) > 0 {
			pr.points(g, geom)
		}
	case orb.LineString:
		if r.Stroke != nil {
			pr.path(g, geom, kindLine)
		}
	case orb.MultiLineString:
		if r.Stroke != nil {
			for _, ls := range geom {
				pr.path(g, ls, kindLine)
			}
		}
	case orb.Polygon:
		if !r.Fill.IsZero() || r.Stroke != nil {
			pr.polygon(g, geom)
		}
	case orb.MultiPolygon:
		if !r.Fill.IsZero() || r.Stroke != nil {
			for _, p := range geom {
				pr.polygon(g, p)
			}
		}
	case orb.Collection:
		for _, m := range geom {
			pr.geometry(g, m, r)
		}
	}
}

// points appends a part of points.
func (pr *projector) points(g *projected, pts []orb.Point) {
	start := len(g.points)
	for _, p := range pts {
		g.points = append(g.points, pr.tr.point(p))
	}
	g.parts = append(g.parts, part{kind: kindPoints, start: int32(start), end: int32(len(g.points)), bound: bound32Of(g.points[start:])})
}

// polygon appends the rings of a polygon with at least three vertices.
func (pr *projector) polygon(g *projected, p orb.Polygon) {
	kind := kindFirstRing
	for _, r := range p {
		if len(r) >= 3 {
			pr.path(g, r, kind)
			kind = kindRing
		}
	}
}

// path appends a line or ring with at least two vertices, simplified.
func (pr *projector) path(g *projected, pts []orb.Point, kind partKind) {
	if len(pts) < 2 {
		return
	}
	pr.scratch = pr.scratch[:0]
	for _, p := range pts {
		pr.scratch = append(pr.scratch, pr.tr.point(p))
	}
	start := len(g.points)
	g.points = raster.Simplify(g.points, pr.scratch, kind != kindLine, simplifyTolerance)
	g.parts = append(g.parts, part{kind: kind, start: int32(start), end: int32(len(g.points)), bound: bound32Of(g.points[start:])})
}

// bound32Of returns the bound of a list of points (see bounds), rounded
// outwards to float32; it is empty, its minimum above its maximum, if
// bounds finds none.
func bound32Of(pts []raster.Point) bound32 {
	b, _ := bounds(pts)
	return bound32{minX: down32(b.MinX), minY: down32(b.MinY), maxX: up32(b.MaxX), maxY: up32(b.MaxY)}
}

// down32 rounds v to a float32 towards −∞, up32 towards +∞.
func down32(v float64) float32 {
	f := float32(v)
	if float64(f) > v {
		f = math.Nextafter32(f, float32(math.Inf(-1)))
	}
	return f
}

func up32(v float64) float32 {
	f := float32(v)
	if float64(f) < v {
		f = math.Nextafter32(f, float32(math.Inf(1)))
	}
	return f
}

// bounds returns the bound of a list of points, leaving out NaN
// coordinates (the canvas skips their points), and ok false, with an
// empty bound, if nothing is left.
func bounds(pts []raster.Point) (b raster.Rect, ok bool) {
	b = raster.Rect{MinX: math.Inf(1), MinY: math.Inf(1), MaxX: math.Inf(-1), MaxY: math.Inf(-1)}
	for _, p := range pts {
		// Plain comparisons, false for NaN.
		if p.X < b.MinX {
			b.MinX = p.X
		}
		if p.X > b.MaxX {
			b.MaxX = p.X
		}
		if p.Y < b.MinY {
			b.MinY = p.Y
		}
		if p.Y > b.MaxY {
			b.MaxY = p.Y
		}
	}
	return b, b.MinX <= b.MaxX && b.MinY <= b.MaxY
}

// minStep is the coarse thinning of lines for label placement: consecutive
// vertices closer than this many device pixels (in both axes) are merged.
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

// visibleRuns splits a device-pixel polyline into the runs of consecutive
// segments that touch the rectangle, calling fn with each run and the
// distance along the line at which it starts.
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
		dist += math.Sqrt(dx*dx + dy*dy)
	}
	if start >= 0 {
		fn(line[start:], startDist)
	}
}
