package query

import (
	"context"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/mercator"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// LegendCount is how many features a layer draws in a view, by rule.
type LegendCount struct {
	Layer string `json:"layer"`
	// Rules holds, by the index of each of the layer's rules, the number
	// of features the view draws with it; a rule's legend line shows its
	// number.
	Rules []int `json:"rules"`
	// Clusters is the number of cluster symbols drawn; their members are
	// counted under their own rules.
	Clusters int `json:"clusters"`
	// Total is the number of features drawn.
	Total int `json:"total"`
}

// LegendCounts counts, for every vector layer the view shows, the
// features it draws there, under the rule that draws each (the one
// style.Layer.RuleFor picks at the view's zoom). A feature counts when
// what the rule draws of it is in the view: a point inside it, a line or
// polygon meeting it. Points the map groups into clusters count one by
// one under their own rules, for every cluster whose symbol is in the
// view; Clusters says how many symbols that is. With st made by Apply,
// the counts honour the filter.
func (e *Engine) LegendCounts(ctx context.Context, st *style.Style, vp viewport.Viewport) ([]LegendCount, error) {
	st = e.styleOr(st)
	view := vp.Bound()
	world := vp.WorldBound()
	var out []LegendCount
	for i := range st.Layers {
		l := &st.Layers[i]
		src := e.atlas.Sources[l.Source]
		if !l.VisibleAt(vp.Zoom) || src == nil || src.Vector == nil {
			continue
		}
		rl := render.Layer{Style: l, Features: src.Vector}
		singles, clusters, err := render.Drawn(ctx, &rl, view, vp.Zoom)
		if err != nil {
			return nil, err
		}
		c := LegendCount{Layer: l.ID, Rules: make([]int, len(l.Rules))}
		count := func(f *layer.Feature, inView bool) {
			r := l.RuleFor(vp.Zoom, &f.Properties)
			if r == nil || f.Geometry == nil || !drawsGeometry(r, layer.KindOf(f.Geometry)) {
				return
			}
			if inView || meets(f.Geometry, world) {
				c.Rules[ruleIndex(l, r)]++
				c.Total++
			}
		}
		for _, g := range clusters {
			if !view.Contains(g.At) {
				continue
			}
			c.Clusters++
			for _, m := range g.Members {
				count(m, true)
			}
		}
		for _, f := range singles {
			count(f, false)
		}
		out = append(out, c)
	}
	return out, nil
}

// ruleIndex returns the index of a rule in its layer.
func ruleIndex(l *style.Layer, r *style.Rule) int {
	for i := range l.Rules {
		if &l.Rules[i] == r {
			return i
		}
	}
	return -1
}

// meets reports whether a geometry meets a rectangle of the Web Mercator
// world, its edges straight there as the map draws them.
func meets(g orb.Geometry, world orb.Bound) bool {
	switch g := g.(type) {
	case orb.Point:
		return world.Contains(mercator.Project(g))
	case orb.MultiPoint:
		for _, p := range g {
			if meets(p, world) {
				return true
			}
		}
		return false
	case orb.LineString, orb.MultiLineString:
		for _, path := range lines(g) {
			if pathMeets(path, world, false) {
				return true
			}
		}
		return false
	case orb.Ring, orb.Polygon, orb.MultiPolygon, orb.Bound:
		rings := areaRings(g)
		for _, ring := range rings {
			if pathMeets(ring, world, true) {
				return true
			}
		}
		// No edge meets the rectangle: it is inside the area or apart.
		return containsWorld(rings, world.Center())
	case orb.Collection:
		for _, m := range g {
			if meets(m, world) {
				return true
			}
		}
	}
	return false
}

// pathMeets reports whether a lon/lat path (closed back to its start if
// closed) meets a Web Mercator rectangle.
func pathMeets(path []orb.Point, world orb.Bound, closed bool) bool {
	if len(path) == 0 {
		return false
	}
	prev := mercator.Project(path[0])
	if world.Contains(prev) {
		return true
	}
	next := func(p orb.Point) bool {
		hit := segmentMeets(prev, p, world)
		prev = p
		return hit
	}
	for _, q := range path[1:] {
		if next(mercator.Project(q)) {
			return true
		}
	}
	return closed && next(mercator.Project(path[0]))
}

// segmentMeets reports whether the segment ab meets the rectangle r
// (Liang–Barsky clipping).
func segmentMeets(a, b orb.Point, r orb.Bound) bool {
	t0, t1 := 0.0, 1.0
	d := orb.Point{b[0] - a[0], b[1] - a[1]}
	for axis := range 2 {
		for _, edge := range []struct{ p, q float64 }{
			{-d[axis], a[axis] - r.Min[axis]},
			{d[axis], r.Max[axis] - a[axis]},
		} {
			if edge.p == 0 {
				if edge.q < 0 {
					return false
				}
				continue
			}
			t := edge.q / edge.p
			if edge.p < 0 {
				t0 = max(t0, t)
			} else {
				t1 = min(t1, t)
			}
			if t0 > t1 {
				return false
			}
		}
	}
	return true
}

// containsWorld reports whether a Web Mercator point lies inside lon/lat
// rings, by the even-odd rule in Web Mercator.
func containsWorld(rings [][]orb.Point, w orb.Point) bool {
	in := false
	for _, ring := range rings {
		if len(ring) < 3 {
			continue
		}
		prev := mercator.Project(ring[len(ring)-1])
		for _, q := range ring {
			p := mercator.Project(q)
			if (p[1] > w[1]) != (prev[1] > w[1]) && w[0] < (prev[0]-p[0])*(w[1]-p[1])/(prev[1]-p[1])+p[0] {
				in = !in
			}
			prev = p
		}
	}
	return in
}
