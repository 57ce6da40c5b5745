package raster

import (
	"iter"
	"math"
)

// Point is a position in device pixels.
type Point struct {
	X, Y float64
}

// Rect is an axis-aligned rectangle in device pixels, from (MinX, MinY) to
// (MaxX, MaxY).
type Rect struct {
	MinX, MinY, MaxX, MaxY float64
}

// subpath locates one subpath in Path.points.
type subpath struct {
	start  int
	closed bool
}

// Path is a reusable list of subpaths (polylines or rings) in device
// pixels.
//
// All points of all subpaths live in one flat slice, so a renderer can keep
// one Path, Reset it for every feature and append the projected vertices
// without allocating once the slices have grown. The zero value is an
// empty path ready to use.
type Path struct {
	points   []Point
	subpaths []subpath
	bounds   Rect

	// simple holds the simplified subpaths, the end of each in
	// simpleEnds; simpleValid is cleared by every change.
	simple      []Point
	simpleEnds  []int
	simpleValid bool
	// presimplified is set by MarkSimplified.
	presimplified bool
}

// Reset empties the path, keeping its storage for reuse.
func (p *Path) Reset() {
	p.points = p.points[:0]
	p.subpaths = p.subpaths[:0]
	p.bounds = Rect{}
	p.simpleValid = false
	p.presimplified = false
}

// MarkSimplified tells Fill and Stroke that the path's points are already
// simplified, by [Simplify] or otherwise, so that they rasterize them as
// they are rather than simplify them again. Reset clears the mark.
func (p *Path) MarkSimplified() {
	p.presimplified = true
}

// MoveTo starts a new subpath at (x, y). A point with a NaN or infinite
// coordinate is ignored.
func (p *Path) MoveTo(x, y float64) {
	if !finite(x, y) {
		return
	}
	p.subpaths = append(p.subpaths, subpath{start: len(p.points)})
	p.add(x, y)
}

// LineTo adds a straight segment from the current point to (x, y). Without
// a current subpath it behaves like MoveTo. A point with a NaN or infinite
// coordinate is ignored.
func (p *Path) LineTo(x, y float64) {
	if !finite(x, y) {
		return
	}
	if len(p.subpaths) == 0 || p.subpaths[len(p.subpaths)-1].closed {
		p.subpaths = append(p.subpaths, subpath{start: len(p.points)})
	}
	p.add(x, y)
}

// Close closes the current subpath with a segment back to its first point.
// The next LineTo without a MoveTo starts a new subpath. Close on an empty
// path does nothing.
//
// Close every polygon ring, whether or not its last point repeats the
// first (as in GeoJSON): a closed ring is stroked with a join all round,
// an open one with caps where it starts and ends.
func (p *Path) Close() {
	if len(p.subpaths) > 0 {
		p.subpaths[len(p.subpaths)-1].closed = true
		p.simpleValid = false
	}
}

// Len returns the number of points in the path, over all subpaths.
func (p *Path) Len() int {
	return len(p.points)
}

// Bounds returns the smallest rectangle holding every point of the path.
// It is the zero Rect for an empty path.
func (p *Path) Bounds() Rect {
	return p.bounds
}

// Subpaths iterates over the subpaths in order, yielding each one's points
// and whether it is closed. The point slices alias the path's storage and
// are valid until the path is next modified; a closed subpath does not
// repeat its first point unless the caller added it.
func (p *Path) Subpaths() iter.Seq2[[]Point, bool] {
	return func(yield func([]Point, bool) bool) {
		for i := range p.subpaths {
			if !yield(p.subpath(i)) {
				return
			}
		}
	}
}

// subpath returns the points of subpath i and whether it is closed.
func (p *Path) subpath(i int) ([]Point, bool) {
	end := len(p.points)
	if i+1 < len(p.subpaths) {
		end = p.subpaths[i+1].start
	}
	return p.points[p.subpaths[i].start:end], p.subpaths[i].closed
}

// add appends a point to the current subpath and updates the bounds.
func (p *Path) add(x, y float64) {
	// Plain comparisons: the coordinates are finite, so the NaN handling
	// of the min and max built-ins is not needed.
	b := &p.bounds
	if len(p.points) == 0 {
		*b = Rect{MinX: x, MinY: y, MaxX: x, MaxY: y}
	} else {
		if x < b.MinX {
			b.MinX = x
		} else if x > b.MaxX {
			b.MaxX = x
		}
		if y < b.MinY {
			b.MinY = y
		} else if y > b.MaxY {
			b.MaxY = y
		}
	}
	p.points = append(p.points, Point{x, y})
	p.simpleValid = false
}

// finite reports whether both coordinates are neither NaN nor infinite.
func finite(x, y float64) bool {
	// x-x is 0 for every finite x and NaN otherwise.
	return !math.IsNaN(x - x + y - y)
}

// flatness is the tolerance, in pixels, of the simplification applied to
// paths before rasterization: vertices are dropped only where the
// simplified outline stays within about this distance of the original,
// which cannot be seen in anti-aliased output but saves most of the work
// on over-detailed data.
const flatness = 0.1

// simplified returns the number of subpaths after simplification to
// flatness, computing them on first use after a change so that a Fill and
// a Stroke of one path share the work; simplifiedSubpath returns each.
func (p *Path) simplified() int {
	if !p.simpleValid && !p.presimplified {
		p.simple, p.simpleEnds = p.simple[:0], p.simpleEnds[:0]
		for i := range p.subpaths {
			pts, closed := p.subpath(i)
			p.simple = Simplify(p.simple, pts, closed, flatness)
			p.simpleEnds = append(p.simpleEnds, len(p.simple))
		}
		p.simpleValid = true
	}
	return len(p.subpaths)
}

// simplifiedSubpath returns the points of simplified subpath i and whether
// it is closed.
func (p *Path) simplifiedSubpath(i int) ([]Point, bool) {
	if p.presimplified {
		return p.subpath(i)
	}
	start := 0
	if i > 0 {
		start = p.simpleEnds[i-1]
	}
	return p.simple[start:p.simpleEnds[i]], p.subpaths[i].closed
}

// Simplify appends to dst the points of a polyline, or of a ring if
// closed, without those that can be dropped while keeping the outline
// within about tolerance pixels of the original (at most √2 times it),
// and returns the extended slice. The ends of an open line are kept; a ring keeps its first point
// and does not repeat it at the end. Callers that simplify a path this way
// can mark it with [Path.MarkSimplified].
//
// It makes one pass, keeping for the last point kept (the anchor) the
// wedge of directions whose rays pass within tolerance of every point
// dropped since. A point outside that wedge, or nearer the anchor than an
// earlier point by more than tolerance, cannot end the chord from the
// anchor, and the previous point becomes the next anchor.
func Simplify(dst, pts []Point, closed bool, tolerance float64) []Point {
	if len(pts) == 0 {
		return dst
	}
	tol2 := tolerance * tolerance
	start := len(dst)
	anchor := pts[0]
	dst = append(dst, anchor)
	// The wedge runs counter-clockwise from (loX, loY) to (hiX, hiY);
	// farthest2 is the largest squared distance from the anchor since.
	var loX, loY, hiX, hiY, farthest2 float64
	wedge := false
	prev := anchor
	for _, p := range pts[1:] {
		vx, vy := p.X-anchor.X, p.Y-anchor.Y
		d2 := vx*vx + vy*vy
		if wedge {
			off := loX*vy-loY*vx < 0 || vx*hiY-vy*hiX < 0
			if !off && d2 < farthest2 {
				// Back towards the anchor: the chord must not end short
				// of an earlier point by more than tolerance.
				f := math.Sqrt(farthest2) - tolerance
				off = f > 0 && d2 < f*f
			}
			if off {
				dst = append(dst, prev)
				anchor, wedge, farthest2 = prev, false, 0
				vx, vy = p.X-anchor.X, p.Y-anchor.Y
				d2 = vx*vx + vy*vy
			}
		}
		if d2 > tol2 {
			// The rays from the anchor passing within tolerance of p are
			// those of v turned by at most asin(tolerance/d) either way;
			// s and tolerance are d times that angle's cosine and sine.
			s := math.Sqrt(d2 - tol2)
			lx, ly := vx*s+vy*tolerance, vy*s-vx*tolerance
			hx, hy := vx*s-vy*tolerance, vy*s+vx*tolerance
			if !wedge {
				loX, loY, hiX, hiY, wedge = lx, ly, hx, hy, true
			} else {
				if loX*ly-loY*lx > 0 {
					loX, loY = lx, ly
				}
				if hx*hiY-hy*hiX > 0 {
					hiX, hiY = hx, hy
				}
			}
			if d2 > farthest2 {
				farthest2 = d2
			}
		}
		prev = p
	}
	if last := pts[len(pts)-1]; last != dst[len(dst)-1] {
		dst = append(dst, last)
	}
	if closed && len(dst)-start > 1 {
		first, last := dst[start], dst[len(dst)-1]
		if dx, dy := last.X-first.X, last.Y-first.Y; dx*dx+dy*dy <= tol2 {
			dst = dst[:len(dst)-1]
		}
	}
	return dst
}
