package render

import (
	"cmp"
	"context"
	"image"
	"math"
	"slices"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/render/label"
	"github.com/ecoatlas/ecoatlas/geo/render/raster"
	"github.com/ecoatlas/ecoatlas/geo/render/text"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// minAreaLabelSpan is how many times its own width a polygon must span on
// screen before it gets an area label: a lake name should not sit on a
// lake smaller than the name.
const minAreaLabelSpan = 0.6

// Labels collects the label of every labelled feature visible in the view
// and places them without overlaps, clear of every point symbol the frame
// draws (see package label). The result is meant for DrawLabels on a frame
// of the same viewport. It returns the context's error if ctx is done
// before the labels are placed.
func Labels(ctx context.Context, sc *Scene, vp viewport.Viewport) ([]label.Placed, error) {
	c := newCollector(sc, vp)
	for _, l := range c.layers() {
		if err := c.layer(ctx, l); err != nil {
			return nil, err
		}
	}
	if len(c.cands) == 0 {
		return nil, nil
	}
	var symbols []image.Rectangle
	for _, l := range c.layers() {
		var err error
		if symbols, err = c.symbols(ctx, l, symbols); err != nil {
			return nil, err
		}
	}
	return label.Place(c.cands, vp.Scale, image.Rect(0, 0, vp.DeviceWidth(), vp.DeviceHeight()), symbols), nil
}

// Symbols returns the boxes, in device pixels, of the point symbols that a
// frame of the scene in the viewport draws: what labels keep clear of.
func Symbols(ctx context.Context, sc *Scene, vp viewport.Viewport) ([]image.Rectangle, error) {
	c := newCollector(sc, vp)
	var symbols []image.Rectangle
	for _, l := range c.layers() {
		var err error
		if symbols, err = c.symbols(ctx, l, symbols); err != nil {
			return nil, err
		}
	}
	return symbols, nil
}

// newCollector returns a collector for a frame of the scene in the
// viewport.
func newCollector(sc *Scene, vp viewport.Viewport) *collector {
	c := &collector{sc: sc, vp: vp, tr: newTransform(vp), zoom: vp.Zoom, scale: vp.Scale}
	w, h := float64(vp.DeviceWidth()), float64(vp.DeviceHeight())
	c.view = orb.Bound{Max: orb.Point{w, h}}
	return c
}

// layers returns the scene's vector layers (and tile packages) that show
// at the view's zoom.
func (c *collector) layers() []*Layer {
	var out []*Layer
	for i := range c.sc.Layers {
		if l := &c.sc.Layers[i]; (l.Features != nil || l.Tiles != nil) && l.Style.VisibleAt(c.zoom) {
			out = append(out, l)
		}
	}
	return out
}

// symbols appends the boxes of the point symbols of a layer in view,
// but for those of point features whose label is a candidate, which the
// label placement protects itself.
func (c *collector) symbols(ctx context.Context, l *Layer, boxes []image.Rectangle) ([]image.Rectangle, error) {
	if !slices.ContainsFunc(l.Style.Rules, func(r style.Rule) bool { return r.Symbol != nil }) {
		return boxes, nil
	}
	features, groups, err := c.search(ctx, l)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		s := &l.Style.Cluster.Symbol
		n := count(len(g.members))
		boxes = c.appendBox(boxes, g.at, (s.Size.Eval(c.zoom, n)+s.StrokeWidth.Eval(c.zoom, n))*c.scale/2)
	}
	for _, f := range features {
		r := l.Style.RuleFor(c.zoom, &f.Properties)
		if r == nil || r.Symbol == nil {
			continue
		}
		var pts []orb.Point
		switch g := f.Geometry.(type) {
		case orb.Point:
			pts = []orb.Point{g}
		case orb.MultiPoint:
			pts = g
		default:
			continue
		}
		if c.labelled[f] {
			pts = pts[1:] // the label's anchor is the first point
		}
		radius := c.symbolRadius(r, &f.Properties)
		for _, q := range pts {
			boxes = c.appendBox(boxes, q, radius)
		}
	}
	return boxes, nil
}

// appendBox appends the box of a symbol of a radius in device pixels at a
// lon/lat point, if it reaches the view.
func (c *collector) appendBox(boxes []image.Rectangle, at orb.Point, radius float64) []image.Rectangle {
	p := c.tr.apply(at)
	if p[0] < -radius || p[1] < -radius || p[0] > c.view.Max[0]+radius || p[1] > c.view.Max[1]+radius {
		return boxes
	}
	return append(boxes, image.Rect(
		int(math.Floor(p[0]-radius)), int(math.Floor(p[1]-radius)),
		int(math.Ceil(p[0]+radius)), int(math.Ceil(p[1]+radius)),
	))
}

// searched is what the view draws of a layer: the features drawn alone
// and the clusters.
type searched struct {
	features []*layer.Feature
	groups   []cluster
}

// search returns what the view draws of a layer, searching once per layer.
func (c *collector) search(ctx context.Context, l *Layer) ([]*layer.Feature, []cluster, error) {
	if s, ok := c.searched[l]; ok {
		return s.features, s.groups, nil
	}
	features, groups, err := search(ctx, l, c.vp.Bound(), c.zoom)
	if err != nil {
		return nil, nil, err
	}
	if c.searched == nil {
		c.searched = map[*Layer]searched{}
	}
	c.searched[l] = searched{features, groups}
	return features, groups, nil
}

// symbolRadius returns the radius of a rule's point symbol for a feature,
// outline included, in device pixels.
func (c *collector) symbolRadius(r *style.Rule, attrs style.Attributes) float64 {
	return (r.Symbol.Size.Eval(c.zoom, attrs) + r.Symbol.StrokeWidth.Eval(c.zoom, attrs)) * c.scale / 2
}

// DrawLabels draws placed labels onto a frame, through a raster canvas.
func DrawLabels(dst *image.RGBA, placed []label.Placed) {
	PaintLabels(raster.New(dst), placed, image.Point{})
}

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
	// labelled are the point features with a label beside their symbol
	// among the candidates.
	labelled map[*layer.Feature]bool
	// searched holds what search found for each layer.
	searched map[*Layer]searched
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
	features, _, err := c.search(ctx, l)
	if err != nil {
		return err
	}
	for _, f := range features {
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
			if cand.Offset > 0 && len(cand.Line) == 0 {
				if c.labelled == nil {
					c.labelled = map[*layer.Feature]bool{}
				}
				c.labelled[f] = true
			}
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
		m := text.Measure(cand.Text, cand.Style, c.scale)
		if span < minAreaLabelSpan*m.Width {
			return false
		}
		cand.Elsewhere = c.elsewhere(f.Geometry, cand.Anchor, m.Width, m.Height)
		if !r.Label.MinSize.IsZero() {
			small := cand.Style
			small.Size = math.Round(r.Label.MinSize.Eval(c.zoom, &f.Properties)*2) / 2
			small.LetterSpacing /= 2
			if small.Size < cand.Style.Size {
				cand.Smaller = &small
			}
		}
		return true
	default:
		pt, ok := labelAnchor(f.Geometry)
		if !ok {
			return false
		}
		cand.Anchor = c.tr.apply(pt)
		if r.Symbol != nil && kind == layer.KindPoint {
			cand.Offset = c.symbolRadius(r, &f.Properties)
		}
		return c.view.Contains(cand.Anchor)
	}
}

// elsewhere returns a function that lists where else an area label of a
// size may be centred when the room at its anchor is taken: places on a
// grid of an eighth of its width by a quarter of its height over the
// area's part in view, nearest the anchor first, where the middle three
// fifths of the label's middle line lie over the area. The grid is that
// fine because a small country full of symbols (Kyrgyzstan at the whole
// region's zoom) has its only room in gaps a coarser grid steps over.
// Label placement calls it only for the few labels that need it, since
// testing a country's outline at a thousand places takes a few
// milliseconds.
func (c *collector) elsewhere(g orb.Geometry, anchor orb.Point, w, h float64) func() []orb.Point {
	return func() []orb.Point {
		inside := func(p orb.Point) bool {
			if !c.view.Contains(p) {
				return false
			}
			q := orb.Point{c.tr.lon(p[0]), c.tr.lat(p[1])}
			switch g := g.(type) {
			case orb.Polygon:
				return planar.PolygonContains(g, q)
			case orb.MultiPolygon:
				return planar.MultiPolygonContains(g, q)
			}
			return false
		}
		b := g.Bound()
		nw, se := c.tr.apply(orb.Point{b.Min[0], b.Max[1]}), c.tr.apply(orb.Point{b.Max[0], b.Min[1]})
		dx, dy := w/8, h/4
		i0, i1 := int(math.Floor((max(nw[0], 0)-anchor[0])/dx)), int(math.Ceil((min(se[0], c.view.Max[0])-anchor[0])/dx))
		j0, j1 := int(math.Floor((max(nw[1], 0)-anchor[1])/dy)), int(math.Ceil((min(se[1], c.view.Max[1])-anchor[1])/dy))
		type place struct {
			p orb.Point
			d float64
		}
		var places []place
		for i := i0; i <= i1; i++ {
			for j := j0; j <= j1; j++ {
				if i != 0 || j != 0 {
					o := orb.Point{float64(i) * dx, float64(j) * dy}
					places = append(places, place{orb.Point{anchor[0] + o[0], anchor[1] + o[1]}, o[0]*o[0] + o[1]*o[1]})
				}
			}
		}
		slices.SortStableFunc(places, func(a, b place) int { return cmp.Compare(a.d, b.d) })
		const most = 1600
		var out []orb.Point
		for _, pl := range places[:min(len(places), most)] {
			p := pl.p
			if inside(p) && inside(orb.Point{p[0] - 0.3*w, p[1]}) && inside(orb.Point{p[0] + 0.3*w, p[1]}) {
				out = append(out, p)
			}
		}
		return out
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
