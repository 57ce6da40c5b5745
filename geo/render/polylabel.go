package render

import (
	"container/heap"
	"math"
	"runtime"
	"sync"
	"weak"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/mercator"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// labelPoints caches the label point of every polygon feature labelled so
// far. Features never change once loaded (an edit makes a new feature),
// so the point stays right for as long as the feature exists. The cache
// holds its features weakly: an entry goes when its feature is collected,
// so a dropped layer takes its label points with it.
var labelPoints = struct {
	sync.Mutex
	m map[weak.Pointer[layer.Feature]]orb.Point // lon/lat
}{m: map[weak.Pointer[layer.Feature]]orb.Point{}}

// cachedLabelPoint returns the cached label point of f.
func cachedLabelPoint(f *layer.Feature) (orb.Point, bool) {
	labelPoints.Lock()
	defer labelPoints.Unlock()
	p, ok := labelPoints.m[weak.Make(f)]
	return p, ok
}

// cacheLabelPoint remembers the label point of f until f is collected.
func cacheLabelPoint(f *layer.Feature, p orb.Point) {
	key := weak.Make(f)
	labelPoints.Lock()
	defer labelPoints.Unlock()
	if _, ok := labelPoints.m[key]; ok {
		return
	}
	labelPoints.m[key] = p
	runtime.AddCleanup(f, forgetLabelPoint, key)
}

// forgetLabelPoint drops the entry of a collected feature.
func forgetLabelPoint(key weak.Pointer[layer.Feature]) {
	labelPoints.Lock()
	defer labelPoints.Unlock()
	delete(labelPoints.m, key)
}

// labelPoint returns where an area label of a polygon feature goes: the
// pole of inaccessibility of its largest part, the interior point farthest
// from the outline, computed in Web Mercator so that it looks central on
// the map. The centroid would fall outside a crescent-shaped lake.
func labelPoint(f *layer.Feature) (orb.Point, bool) {
	if p, ok := cachedLabelPoint(f); ok {
		return p, true
	}
	var poly orb.Polygon
	switch g := f.Geometry.(type) {
	case orb.Polygon:
		poly = g
	case orb.MultiPolygon:
		best := -1.0
		for _, p := range g {
			if len(p) == 0 {
				continue
			}
			if a := math.Abs(planar.Area(p[0])); a > best {
				best, poly = a, p
			}
		}
	}
	if len(poly) == 0 || len(poly[0]) < 4 {
		return orb.Point{}, false
	}
	world := make(orb.Polygon, len(poly))
	for i, r := range poly {
		world[i] = make(orb.Ring, len(r))
		for j, p := range r {
			world[i][j] = mercator.Project(p)
		}
	}
	b := world.Bound()
	precision := math.Max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]) / 200
	p := mercator.Unproject(poleOfInaccessibility(world, precision))
	cacheLabelPoint(f, p)
	return p, true
}

// cell is a square of the polylabel search: its centre, half its side,
// the signed distance from its centre to the outline (positive inside) and
// the best distance any point of the cell could have.
type cell struct {
	c        orb.Point
	h, d, mx float64
}

func newCell(c orb.Point, h float64, poly orb.Polygon) cell {
	d := signedDistance(c, poly)
	return cell{c: c, h: h, d: d, mx: d + h*math.Sqrt2}
}

type cellQueue []cell

func (q cellQueue) Len() int           { return len(q) }
func (q cellQueue) Less(i, j int) bool { return q[i].mx > q[j].mx }
func (q cellQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *cellQueue) Push(x any)        { *q = append(*q, x.(cell)) }
func (q *cellQueue) Pop() any {
	old := *q
	c := old[len(old)-1]
	*q = old[:len(old)-1]
	return c
}

// poleOfInaccessibility finds, to within precision, the interior point of
// a polygon farthest from its outline, by best-first subdivision of
// square cells (the "polylabel" method).
func poleOfInaccessibility(poly orb.Polygon, precision float64) orb.Point {
	b := poly.Bound()
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	size := math.Min(w, h)
	if size == 0 {
		return b.Min
	}
	half := size / 2
	q := &cellQueue{}
	for x := b.Min[0]; x < b.Max[0]; x += size {
		for y := b.Min[1]; y < b.Max[1]; y += size {
			heap.Push(q, newCell(orb.Point{x + half, y + half}, half, poly))
		}
	}
	centroid, _ := planar.CentroidArea(poly[0])
	best := newCell(centroid, 0, poly)
	if bb := newCell(b.Center(), 0, poly); bb.d > best.d {
		best = bb
	}
	for q.Len() > 0 {
		c := heap.Pop(q).(cell)
		if c.d > best.d {
			best = c
		}
		if c.mx-best.d <= precision {
			continue
		}
		h := c.h / 2
		for _, o := range [4]orb.Point{{-h, -h}, {h, -h}, {-h, h}, {h, h}} {
			heap.Push(q, newCell(orb.Point{c.c[0] + o[0], c.c[1] + o[1]}, h, poly))
		}
	}
	return best.c
}

// signedDistance is the distance from p to the polygon's outline,
// positive inside (even-odd over all rings) and negative outside.
func signedDistance(p orb.Point, poly orb.Polygon) float64 {
	inside := false
	minSq := math.Inf(1)
	for _, r := range poly {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			a, b := r[i], r[j]
			if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
				inside = !inside
			}
			minSq = math.Min(minSq, planar.DistanceFromSegmentSquared(a, b, p))
		}
	}
	d := math.Sqrt(minSq)
	if !inside {
		return -d
	}
	return d
}
