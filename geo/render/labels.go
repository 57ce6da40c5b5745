package render

import (
	"context"
	"image"
	"math"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/render/label"
	"github.com/ecoatlas/ecoatlas/geo/render/text"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// minAreaLabelSpan is how many times its own width a polygon must span on
// screen before it gets an area label: a lake name should not sit on a
// lake smaller than the name.
const minAreaLabelSpan = 0.6

// Labels collects the label of every labelled feature visible in the view
// and places them without overlaps (see package label). The result is
// meant for DrawLabels on a frame of the same viewport. It returns the
// context's error if ctx is done before the labels are placed.
func Labels(ctx context.Context, sc *Scene, vp viewport.Viewport) ([]label.Placed, error) {
	c := collector{sc: sc, vp: vp, tr: newTransform(vp), zoom: vp.Zoom, scale: vp.Scale}
	w, h := float64(vp.DeviceWidth()), float64(vp.DeviceHeight())
	c.view = orb.Bound{Max: orb.Point{w, h}}
	for i := range sc.Layers {
		l := &sc.Layers[i]
		if l.Features == nil || !l.Style.VisibleAt(vp.Zoom) {
			continue
		}
		if err := c.layer(ctx, l); err != nil {
			return nil, err
		}
	}
	return label.Place(c.cands, vp.Scale, image.Rect(0, 0, vp.DeviceWidth(), vp.DeviceHeight()), nil), nil
}

// DrawLabels draws placed labels onto a frame.
func DrawLabels(dst *image.RGBA, placed []label.Placed) { label.Draw(dst, placed) }

// collector gathers label candidates for one frame.
type collector struct {
	sc          *Scene
	vp          viewport.Viewport
	tr          transform
	view        orb.Bound
	zoom, scale float64
	cands       []label.Candidate
	buf         []orb.Point
	// nameKeys caches the scene's nameKeys by field.
	nameKeys map[string][]string
}

// keys returns the properties a label of a field tries.
func (c *collector) keys(field string) []string {
	k, ok := c.nameKeys[field]
	if !ok {
		if c.nameKeys == nil {
			c.nameKeys = map[string][]string{}
		}
		k = c.sc.nameKeys(field)
		c.nameKeys[field] = k
	}
	return k
}

func (c *collector) layer(ctx context.Context, l *Layer) error {
	for f, err := range l.Features.Search(ctx, c.vp.Bound()) {
		if err != nil {
			return err
		}
		r := l.Style.RuleFor(c.zoom, &f.Properties)
		if r == nil || r.Label == nil || c.zoom < r.Label.MinZoom {
			continue
		}
		txt := labelText(c.keys(r.Label.Field), f.Properties)
		if txt == "" {
			continue
		}
		cand := label.Candidate{
			Text:     txt,
			Style:    textStyle(r.Label, c.zoom, &f.Properties),
			Priority: r.Label.Priority.Eval(c.zoom, &f.Properties),
			Key:      l.Style.ID + "/" + f.ID,
		}
		if c.place(&cand, f, r) {
			c.cands = append(c.cands, cand)
		}
	}
	return nil
}

// place sets the candidate's anchor or line from the feature's geometry
// and reports whether the feature can be labelled in this view.
func (c *collector) place(cand *label.Candidate, f *layer.Feature, r *style.Rule) bool {
	kind := layer.KindOf(f.Geometry)
	placement := r.Label.Placement
	if placement == style.PlaceAuto {
		placement = map[layer.GeometryKind]style.Placement{
			layer.KindPoint: style.PlacePoint, layer.KindLine: style.PlaceLine, layer.KindPolygon: style.PlaceArea,
		}[kind]
	}
	switch {
	case placement == style.PlaceLine && kind != layer.KindPoint:
		cand.Line = c.longestVisibleLine(f.Geometry)
		if r.Stroke != nil {
			cand.Offset = r.Stroke.Width.Eval(c.zoom, &f.Properties) * c.scale / 2
		}
		return len(cand.Line) >= 2
	case placement == style.PlaceArea && kind == layer.KindPolygon:
		p, ok := labelPoint(f)
		if !ok {
			return false
		}
		cand.Anchor = c.tr.apply(p)
		if !c.view.Contains(cand.Anchor) {
			return false
		}
		b := f.Geometry.Bound()
		span := c.tr.apply(orb.Point{b.Max[0], b.Min[1]})[0] - c.tr.apply(b.Min)[0]
		return span >= minAreaLabelSpan*text.Measure(cand.Text, cand.Style, c.scale).Width
	default:
		pt, ok := labelAnchor(f.Geometry)
		if !ok {
			return false
		}
		cand.Anchor = c.tr.apply(pt)
		if r.Symbol != nil {
			cand.Offset = r.Symbol.Size.Eval(c.zoom, &f.Properties) * c.scale / 2
		}
		return c.view.Contains(cand.Anchor)
	}
}

// labelAnchor returns a representative point of a geometry for a label
// beside a symbol: the point itself, or the first point of a multipoint.
func labelAnchor(g orb.Geometry) (orb.Point, bool) {
	switch g := g.(type) {
	case orb.Point:
		return g, true
	case orb.MultiPoint:
		if len(g) > 0 {
			return g[0], true
		}
	case orb.Polygon, orb.MultiPolygon, orb.LineString, orb.MultiLineString:
		return g.Bound().Center(), true
	}
	return orb.Point{}, false
}

// longestVisibleLine returns, in device pixels, the longest run of a
// line's (or polygon outline's) segments that lies in the view.
func (c *collector) longestVisibleLine(g orb.Geometry) []orb.Point {
	var best []orb.Point
	bestLen := 0.0
	consider := func(pts []orb.Point) {
		c.buf = projectPath(c.buf[:0], pts, c.tr)
		if len(c.buf) < 2 {
			return
		}
		visibleRuns(c.buf, c.view, func(run []orb.Point, _ float64) {
			n := 0.0
			for i := 1; i < len(run); i++ {
				dx, dy := run[i][0]-run[i-1][0], run[i][1]-run[i-1][1]
				n += math.Sqrt(dx*dx + dy*dy)
			}
			if n > bestLen {
				bestLen, best = n, append(best[:0], run...)
			}
		})
	}
	switch g := g.(type) {
	case orb.LineString:
		consider(g)
	case orb.MultiLineString:
		for _, ls := range g {
			consider(ls)
		}
	case orb.Polygon:
		if len(g) > 0 {
			consider(g[0])
		}
	case orb.MultiPolygon:
		for _, p := range g {
			if len(p) > 0 {
				consider(p[0])
			}
		}
	}
	return best
}

// textStyle turns a style rule's label into the text package's style.
func textStyle(l *style.Label, zoom float64, attrs style.Attributes) text.Style {
	st := text.Style{
		Size:          l.Size.Eval(zoom, attrs),
		Color:         l.Color.NRGBA(),
		Halo:          l.Halo.NRGBA(),
		HaloWidth:     l.HaloWidth,
		Italic:        l.Italic,
		Uppercase:     l.Uppercase,
		LetterSpacing: l.LetterSpacing,
		MaxWidth:      l.MaxWidth,
	}
	if st.Size == 0 {
		st.Size = 11
	}
	// Sizes that follow the zoom would make every frame's labels new to
	// the bitmap cache; half-pixel steps are invisible and keep it warm.
	st.Size = math.Round(st.Size*2) / 2
	if l.Bold {
		st.Weight = text.Bold
	}
	return st
}
