package query

import (
	"context"
	"math"
	"strconv"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/mercator"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// Hit is a feature, or a cluster of points, drawn under a position.
type Hit struct {
	// Ref names the feature; for a cluster, Ref.ID is empty and Members
	// are its points.
	Ref     Ref   `json:"ref"`
	Members []Ref `json:"members,omitempty"`
	// Feature is the feature hit, nil for a cluster.
	Feature *layer.Feature `json:"-"`
	// At is where a cluster's symbol is drawn, or the feature's point,
	// or the centroid of its line or polygon.
	At orb.Point `json:"at"`
	// Distance is how far, in logical pixels, the position is from what
	// is drawn of the feature: 0 on it or inside it.
	Distance float64 `json:"distance_px"`
}

// Identify returns everything drawn at a position of a view, topmost
// first: the layers from the top of the style down, and within a layer
// what is drawn last first (clusters above the points drawn alone). At is
// in logical pixels of vp; a feature counts if what the style draws of it
// at the view's zoom comes within tolerance logical pixels of At: a point
// symbol (its size and outline), a line (its stroke's width), a polygon
// (inside it, holes excepted, or within reach of its outline). Hidden
// layers, layers not shown at the zoom, and features that no rule draws
// there are never hit. A layer whose points cluster at the zoom is hit on
// its clusters as the map draws them. A feature that several layers draw
// (a basin's band and its outline) is hit once, on the topmost.
func (e *Engine) Identify(ctx context.Context, st *style.Style, vp viewport.Viewport, at orb.Point, tolerance float64) ([]Hit, error) {
	st = e.styleOr(st)
	tolerance = max(tolerance, 0)
	var hits []Hit
	type sourced struct{ source, id string }
	seen := map[sourced]bool{}
	for i := len(st.Layers) - 1; i >= 0; i-- {
		l := &st.Layers[i]
		if !l.VisibleAt(vp.Zoom) {
			continue
		}
		src := e.atlas.Sources[l.Source]
		if src == nil || src.Vector == nil {
			continue
		}
		rl := render.Layer{Style: l, Features: src.Vector}
		reach := maxReach(l, vp.Zoom) + tolerance
		nw, se := vp.FromPixel(orb.Point{at[0] - reach, at[1] - reach}), vp.FromPixel(orb.Point{at[0] + reach, at[1] + reach})
		singles, clusters, err := render.Drawn(ctx, &rl, orb.Bound{Min: orb.Point{nw[0], se[1]}, Max: orb.Point{se[0], nw[1]}}, vp.Zoom)
		if err != nil {
			return nil, err
		}
		for j := len(clusters) - 1; j >= 0; j-- {
			c := clusters[j]
			n := clusterSize(len(c.Members))
			radius := (l.Cluster.Symbol.Size.Eval(vp.Zoom, n) + l.Cluster.Symbol.StrokeWidth.Eval(vp.Zoom, n)) / 2
			p := vp.ToPixel(c.At)
			if d := math.Hypot(p[0]-at[0], p[1]-at[1]) - radius; d <= tolerance {
				h := Hit{Ref: Ref{Layer: l.ID}, At: c.At, Distance: max(d, 0)}
				for _, m := range c.Members {
					h.Members = append(h.Members, Ref{Layer: l.ID, ID: m.ID})
				}
				hits = append(hits, h)
			}
		}
		for j := len(singles) - 1; j >= 0; j-- {
			f := singles[j]
			r := l.RuleFor(vp.Zoom, &f.Properties)
			if r == nil || f.Geometry == nil {
				continue
			}
			if d, ok := distance(vp, at, f.Geometry, r, &f.Properties, tolerance); ok && d <= tolerance && !seen[sourced{l.Source, f.ID}] {
				seen[sourced{l.Source, f.ID}] = true
				hits = append(hits, Hit{Ref: Ref{Layer: l.ID, ID: f.ID}, Feature: f, At: anchor(f.Geometry), Distance: max(d, 0)})
			}
		}
	}
	return hits, nil
}

// Title returns what a pick list or a hover tip shows for a hit, in a
// language: the feature's name, or for a cluster how many features it
// groups ("3 features close together", "Объекты рядом: 3": the count
// stands apart, so that no language needs its plural forms).
func (e *Engine) Title(h Hit, lang string) string {
	if h.Feature != nil {
		return e.Name(h.Feature, lang)
	}
	lang = e.lang(lang)
	chain := e.atlas.Style.NameChain(lang)
	return fill(e.term("cluster", lang, chain), "n", strconv.Itoa(len(h.Members)))
}

// clusterSize is the number of a cluster's points, as the property a
// cluster symbol's sizes read (style.ClusterCount).
type clusterSize int

// Get returns the count for style.ClusterCount.
func (n clusterSize) Get(key string) (any, bool) {
	if key == style.ClusterCount {
		return float64(n), true
	}
	return nil, false
}

// maxReach returns how far, in logical pixels, anything a layer draws at
// a zoom can reach beyond its geometry: the largest symbol radius or half
// stroke width any rule or cluster can have.
func maxReach(l *style.Layer, zoom float64) float64 {
	reach := 0.0
	symbol := func(s *style.Symbol) {
		reach = max(reach, (maxNumber(s.Size, zoom)+maxNumber(s.StrokeWidth, zoom))/2)
	}
	for i := range l.Rules {
		r := &l.Rules[i]
		if r.Stroke != nil {
			reach = max(reach, max(maxNumber(r.Stroke.Width, zoom), 1)/2)
		}
		if r.Symbol != nil {
			symbol(r.Symbol)
		}
	}
	if l.Cluster != nil {
		symbol(&l.Cluster.Symbol)
	}
	return reach
}

// maxNumber returns the largest value a style number takes at a zoom,
// whatever the feature.
func maxNumber(n style.Number, zoom float64) float64 {
	if n.By == "" || n.By == "zoom" || len(n.Stops) == 0 {
		return n.Eval(zoom, nil)
	}
	v := math.Inf(-1)
	for _, s := range n.Stops {
		v = max(v, s[1])
	}
	return v
}

// distance returns how far, in logical pixels, a position is from what a
// rule draws of a geometry (negative inside a symbol, 0 inside a
// polygon), and false if the rule draws nothing of it. Lines and outlines
// farther than tolerance are not measured: their distance is then
// reported as infinite.
func distance(vp viewport.Viewport, at orb.Point, g orb.Geometry, r *style.Rule, attrs style.Attributes, tolerance float64) (float64, bool) {
	switch g := g.(type) {
	case orb.Point:
		if r.Symbol == nil {
			return 0, false
		}
		p := vp.ToPixel(g)
		return math.Hypot(p[0]-at[0], p[1]-at[1]) - symbolRadius(r, vp.Zoom, attrs), true
	case orb.MultiPoint:
		best, ok := math.Inf(1), false
		for _, q := range g {
			if d, hit := distance(vp, at, q, r, attrs, tolerance); hit {
				best, ok = min(best, d), true
			}
		}
		return best, ok
	case orb.LineString, orb.MultiLineString:
		if r.Stroke == nil {
			return 0, false
		}
		half := max(r.Stroke.Width.Eval(vp.Zoom, attrs), 1) / 2
		return pathDistance(vp, at, lines(g), false, half+tolerance) - half, true
	case orb.Ring, orb.Polygon, orb.MultiPolygon, orb.Bound:
		if r.Fill.IsZero() && r.Stroke == nil {
			return 0, false
		}
		rings := areaRings(g)
		if inside(vp, at, rings) {
			return 0, true
		}
		half := 0.0
		if r.Stroke != nil {
			half = max(r.Stroke.Width.Eval(vp.Zoom, attrs), 1) / 2
		}
		return pathDistance(vp, at, rings, true, half+tolerance) - half, true
	case orb.Collection:
		best, ok := math.Inf(1), false
		for _, m := range g {
			if d, hit := distance(vp, at, m, r, attrs, tolerance); hit {
				best, ok = min(best, d), true
			}
		}
		return best, ok
	}
	return 0, false
}

// symbolRadius returns the radius, outline included, of a rule's point
// symbol for a feature, in logical pixels.
func symbolRadius(r *style.Rule, zoom float64, attrs style.Attributes) float64 {
	return (r.Symbol.Size.Eval(zoom, attrs) + r.Symbol.StrokeWidth.Eval(zoom, attrs)) / 2
}

// lines returns the paths of a line geometry.
func lines(g orb.Geometry) [][]orb.Point {
	switch g := g.(type) {
	case orb.LineString:
		return [][]orb.Point{g}
	case orb.MultiLineString:
		out := make([][]orb.Point, len(g))
		for i, ls := range g {
			out[i] = ls
		}
		return out
	}
	return nil
}

// areaRings returns every ring of an areal geometry.
func areaRings(g orb.Geometry) [][]orb.Point {
	switch g := g.(type) {
	case orb.Ring:
		return [][]orb.Point{g}
	case orb.Polygon:
		out := make([][]orb.Point, len(g))
		for i, r := range g {
			out[i] = r
		}
		return out
	case orb.MultiPolygon:
		var out [][]orb.Point
		for _, p := range g {
			out = append(out, areaRings(p)...)
		}
		return out
	case orb.Bound:
		return [][]orb.Point{g.ToRing()}
	}
	return nil
}

// inside reports whether a position lies inside rings as the map fills
// them: by the even-odd rule, with edges straight on the map (in Web
// Mercator), so that a hole is a hole whichever way it winds. Only the
// edges that cross the position's latitude are projected.
func inside(vp viewport.Viewport, at orb.Point, rings [][]orb.Point) bool {
	w := vp.PixelToWorld(at)
	lat := mercator.Lat(w[1])
	in := false
	for _, ring := range rings {
		if len(ring) < 3 {
			continue
		}
		prev := ring[len(ring)-1]
		for _, q := range ring {
			// Web Mercator keeps the order of latitudes, so an edge
			// crosses the position's row on the map where it crosses its
			// latitude.
			if (q[1] > lat) != (prev[1] > lat) {
				a, b := mercator.Project(q), mercator.Project(prev)
				if w[0] < (b[0]-a[0])*(w[1]-a[1])/(b[1]-a[1])+a[0] {
					in = !in
				}
			}
			prev = q
		}
	}
	return in
}

// pathDistance returns the distance in logical pixels from a position to
// the nearest point of paths (closed ones back to their start), if it is
// within reach; +Inf otherwise. Only the segments that can come within
// reach are projected.
func pathDistance(vp viewport.Viewport, at orb.Point, paths [][]orb.Point, closed bool, reach float64) float64 {
	nw, se := vp.FromPixel(orb.Point{at[0] - reach, at[1] - reach}), vp.FromPixel(orb.Point{at[0] + reach, at[1] + reach})
	box := orb.Bound{Min: orb.Point{nw[0], se[1]}, Max: orb.Point{se[0], nw[1]}}
	best := math.Inf(1)
	segment := func(a, b orb.Point) {
		// A segment with both ends beyond one side of the box stays
		// beyond it on the map too.
		if (a[0] < box.Min[0] && b[0] < box.Min[0]) || (a[0] > box.Max[0] && b[0] > box.Max[0]) ||
			(a[1] < box.Min[1] && b[1] < box.Min[1]) || (a[1] > box.Max[1] && b[1] > box.Max[1]) {
			return
		}
		best = min(best, segmentDistance(at, vp.ToPixel(a), vp.ToPixel(b)))
	}
	for _, path := range paths {
		if len(path) == 1 {
			segment(path[0], path[0])
		}
		for i := 1; i < len(path); i++ {
			segment(path[i-1], path[i])
		}
		if closed && len(path) > 1 {
			segment(path[len(path)-1], path[0])
		}
	}
	return best
}

// segmentDistance returns the distance from p to the segment ab.
func segmentDistance(p, a, b orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = min(max(((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l2, 0), 1)
	}
	return math.Hypot(p[0]-(a[0]+t*dx), p[1]-(a[1]+t*dy))
}
