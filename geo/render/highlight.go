package render

import (
	"context"
	"image"
	"image/color"
	"math"

	"github.com/ecoatlas/ecoatlas/geo/render/raster"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// Mark is a feature to highlight: its lon/lat geometry and, for a point,
// the radius in logical pixels of the symbol the map draws there, which
// the highlight rings.
type Mark struct {
	Geometry orb.Geometry
	Radius   float64
}

// HighlightStyle says how marked features look above the map. Widths are
// in logical pixels.
type HighlightStyle struct {
	// Line is the outline drawn along marked lines and polygon rings and
	// around marked points, Width wide.
	Line  color.NRGBA
	Width float64
	// Halo is drawn under the outline, HaloWidth wide, so that it shows
	// on light and dark ground alike.
	Halo      color.NRGBA
	HaloWidth float64
	// Fill tints the inside of marked polygons and of the rings around
	// marked points.
	Fill color.NRGBA
	// Gap is the space between a point's symbol and its ring.
	Gap float64
	// Dim, unless transparent, veils the whole map but the marked features
	// (and a margin of HaloWidth around them), so that they stand out.
	Dim color.NRGBA
}

// Highlight styles of the app.
var (
	// SelectionHighlight marks selected features: a yellow outline with a
	// dark halo, over the map as it is.
	SelectionHighlight = HighlightStyle{
		Line: color.NRGBA{0xff, 0xe0, 0x1a, 0xff}, Width: 2.5,
		Halo: color.NRGBA{0x1a, 0x1a, 0x1a, 0xb0}, HaloWidth: 5.5,
		Fill: color.NRGBA{0xff, 0xe0, 0x1a, 0x30}, Gap: 2,
	}
	// AnswerHighlight marks the features that answer a question (the
	// sites in a basin, a clause's features), dimming everything else.
	AnswerHighlight = HighlightStyle{
		Line: color.NRGBA{0xff, 0xe0, 0x1a, 0xff}, Width: 2,
		Halo: color.NRGBA{0x1a, 0x1a, 0x1a, 0xb0}, HaloWidth: 4.5,
		Fill: color.NRGBA{0xff, 0xe0, 0x1a, 0x20}, Gap: 2,
		Dim: color.NRGBA{0x10, 0x14, 0x18, 0x60},
	}
)

// defaultMarkRadius is the symbol radius, in logical pixels, of a marked
// point that does not give one.
const defaultMarkRadius = 5

// Highlight draws marks for a viewport as an overlay: a new image of the
// viewport's device size, transparent but for the highlight, to compose
// above the map's tiles and labels, which need not be drawn again. Its
// cost depends on the marks and the image size, not on the map. It
// returns ctx.Err() if ctx is done midway.
func Highlight(ctx context.Context, vp viewport.Viewport, marks []Mark, hs HighlightStyle) (*image.RGBA, error) {
	img := image.NewRGBA(image.Rect(0, 0, vp.DeviceWidth(), vp.DeviceHeight()))
	if err := DrawHighlight(ctx, img, vp, marks, hs); err != nil {
		return nil, err
	}
	return img, nil
}

// DrawHighlight draws the overlay of marks into dst, whose top-left pixel
// is the viewport's, replacing what dst held: a caller may reuse one image
// from frame to frame, and draw badges onto it afterwards.
func DrawHighlight(ctx context.Context, dst *image.RGBA, vp viewport.Viewport, marks []Mark, hs HighlightStyle) error {
	h := highlighter{tr: newTransform(vp).translate(float64(dst.Rect.Min.X), float64(dst.Rect.Min.Y)), scale: vp.Scale, style: hs}
	if hs.Dim.A == 0 {
		clear(dst.Pix)
	} else {
		// The veil is cleared only near the marks, so the mask covers
		// just their reach.
		mask := image.NewRGBA(h.reach(marks).Intersect(dst.Rect))
		h.canvas = raster.New(mask)
		for _, m := range marks {
			if err := ctx.Err(); err != nil {
				return err
			}
			h.clearing(m)
		}
		veil(dst, mask, hs.Dim)
	}
	if err := h.tint(ctx, dst, marks); err != nil {
		return err
	}
	h.canvas = raster.New(dst)
	for _, pass := range []func(Mark){h.halo, h.line} {
		for _, m := range marks {
			if err := ctx.Err(); err != nil {
				return err
			}
			pass(m)
		}
	}
	return nil
}

// PaintHighlight draws marks for a viewport through a painter, the
// viewport's top-left device pixel at `at`, over a map painted there: the
// tint of marked polygons and point rings (once where marks overlap), the
// halo and the outline, as paths. It draws no veil: on a page, vector or
// raster, the outline marks the features and the map stays readable
// around them. It returns ctx.Err() if ctx is done midway.
func PaintHighlight(ctx context.Context, p Painter, vp viewport.Viewport, marks []Mark, hs HighlightStyle, at image.Point) error {
	h := highlighter{canvas: p, tr: newTransform(vp).translate(float64(at.X), float64(at.Y)), scale: vp.Scale, style: hs}
	p.Clip(image.Rectangle{Min: at, Max: at.Add(image.Pt(vp.DeviceWidth(), vp.DeviceHeight()))})
	defer p.Clip(image.Rectangle{})
	if hs.Fill.A > 0 {
		// Opaque insides in a group laid on with the fill's opacity tint
		// overlapping marks once.
		opaque := hs.Fill
		opaque.A = 0xff
		p.PushGroup()
		for _, m := range marks {
			if h.polygons(m.Geometry) {
				p.Fill(&h.path, opaque, raster.EvenOdd)
			}
			if h.rings(m) {
				p.Fill(&h.path, opaque, raster.NonZero)
			}
		}
		p.PopGroup(float64(hs.Fill.A) / 0xff)
	}
	for _, pass := range []func(Mark){h.halo, h.line} {
		for _, m := range marks {
			if err := ctx.Err(); err != nil {
				return err
			}
			pass(m)
		}
	}
	return nil
}

// highlighter draws marks through a painter in device pixels.
type highlighter struct {
	canvas Painter
	tr     transform
	scale  float64
	style  HighlightStyle
	path   raster.Path
}

// tint lays the fill colour over the insides of marked polygons and of
// point rings, once however many marks overlap there (a lake inside its
// basin is tinted as much as the basin): the insides are drawn opaque into
// a mask, and the colour laid over dst by the mask's coverage.
func (h *highlighter) tint(ctx context.Context, dst *image.RGBA, marks []Mark) error {
	if h.style.Fill.A == 0 {
		return nil
	}
	mask := image.NewRGBA(h.reach(marks).Intersect(dst.Rect))
	if mask.Rect.Empty() {
		return nil
	}
	h.canvas = raster.New(mask)
	opaque := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	for _, m := range marks {
		if err := ctx.Err(); err != nil {
			return err
		}
		if h.polygons(m.Geometry) {
			h.canvas.Fill(&h.path, opaque, raster.EvenOdd)
		}
		if h.rings(m) {
			h.canvas.Fill(&h.path, opaque, raster.NonZero)
		}
	}
	tintOver(dst, mask, h.style.Fill)
	return nil
}

// halo draws the wide underlay of a mark's outline.
func (h *highlighter) halo(m Mark) {
	h.outline(m, h.style.Halo, h.style.HaloWidth)
}

// line draws a mark's outline.
func (h *highlighter) line(m Mark) {
	h.outline(m, h.style.Line, h.style.Width)
}

// outline strokes a mark's lines, polygon rings and point rings.
func (h *highlighter) outline(m Mark, col color.NRGBA, width float64) {
	if col.A == 0 || width <= 0 {
		return
	}
	st := raster.Stroke{Color: col, Width: width * h.scale, Cap: raster.CapRound, Join: raster.JoinRound}
	if h.lines(m.Geometry) {
		h.canvas.Stroke(&h.path, st)
	}
	if h.polygons(m.Geometry) {
		h.canvas.Stroke(&h.path, st)
	}
	if h.rings(m) {
		h.canvas.Stroke(&h.path, st)
	}
}

// clearing draws, opaque, the part of the map a mark keeps clear of the
// veil: its polygons and point rings with the halo around them, and its
// lines as wide as their halo.
func (h *highlighter) clearing(m Mark) {
	opaque := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	st := raster.Stroke{Color: opaque, Width: h.style.HaloWidth * h.scale, Cap: raster.CapRound, Join: raster.JoinRound}
	if h.lines(m.Geometry) {
		h.canvas.Stroke(&h.path, st)
	}
	if h.polygons(m.Geometry) {
		h.canvas.Fill(&h.path, opaque, raster.EvenOdd)
		h.canvas.Stroke(&h.path, st)
	}
	if h.rings(m) {
		h.canvas.Fill(&h.path, opaque, raster.NonZero)
		h.canvas.Stroke(&h.path, st)
	}
}

// lines sets the path to the line strings of g and reports whether there
// are any.
func (h *highlighter) lines(g orb.Geometry) bool {
	h.path.Reset()
	h.addLines(g)
	return h.path.Len() > 0
}

func (h *highlighter) addLines(g orb.Geometry) {
	switch g := g.(type) {
	case orb.LineString:
		h.addPath(g, false)
	case orb.MultiLineString:
		for _, ls := range g {
			h.addPath(ls, false)
		}
	case orb.Collection:
		for _, m := range g {
			h.addLines(m)
		}
	}
}

// polygons sets the path to the rings of the polygons of g and reports
// whether there are any.
func (h *highlighter) polygons(g orb.Geometry) bool {
	h.path.Reset()
	h.addPolygons(g)
	return h.path.Len() > 0
}

func (h *highlighter) addPolygons(g orb.Geometry) {
	switch g := g.(type) {
	case orb.Ring:
		h.addPath(g, true)
	case orb.Polygon:
		for _, r := range g {
			h.addPath(r, true)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			h.addPolygons(p)
		}
	case orb.Bound:
		h.addPath(g.ToRing(), true)
	case orb.Collection:
		for _, m := range g {
			h.addPolygons(m)
		}
	}
}

// addPath adds a lon/lat path in device pixels.
func (h *highlighter) addPath(pts []orb.Point, closed bool) {
	for i, p := range pts {
		q := h.tr.point(p)
		if i == 0 {
			h.path.MoveTo(q.X, q.Y)
		} else {
			h.path.LineTo(q.X, q.Y)
		}
	}
	if closed && len(pts) > 0 {
		h.path.Close()
	}
}

// rings sets the path to the circles around the points of a mark and
// reports whether there are any.
func (h *highlighter) rings(m Mark) bool {
	h.path.Reset()
	radius := m.Radius
	if radius <= 0 {
		radius = defaultMarkRadius
	}
	radius = (radius + h.style.Gap + h.style.Width/2) * h.scale
	h.addRings(m.Geometry, radius)
	return h.path.Len() > 0
}

func (h *highlighter) addRings(g orb.Geometry, radius float64) {
	switch g := g.(type) {
	case orb.Point:
		h.addCircle(h.tr.point(g), radius)
	case orb.MultiPoint:
		for _, p := range g {
			h.addCircle(h.tr.point(p), radius)
		}
	case orb.Collection:
		for _, m := range g {
			h.addRings(m, radius)
		}
	}
}

// addCircle adds a closed circle in device pixels.
func (h *highlighter) addCircle(c raster.Point, radius float64) {
	n := max(24, int(radius*1.5))
	for i := range n {
		a := 2 * math.Pi * float64(i) / float64(n)
		x, y := c.X+radius*math.Cos(a), c.Y+radius*math.Sin(a)
		if i == 0 {
			h.path.MoveTo(x, y)
		} else {
			h.path.LineTo(x, y)
		}
	}
	h.path.Close()
}

// reach returns the device-pixel rectangle the marks' drawing can touch.
func (h *highlighter) reach(marks []Mark) image.Rectangle {
	var r image.Rectangle
	for _, m := range marks {
		if m.Geometry == nil {
			continue
		}
		b := m.Geometry.Bound()
		nw, se := h.tr.point(orb.Point{b.Min[0], b.Max[1]}), h.tr.point(orb.Point{b.Max[0], b.Min[1]})
		radius := m.Radius
		if radius <= 0 {
			radius = defaultMarkRadius
		}
		out := (radius+h.style.Gap+h.style.Width+h.style.HaloWidth)*h.scale + 2
		if math.IsNaN(nw.X + nw.Y + se.X + se.Y) {
			continue
		}
		// Clamped before the conversion, which far-away marks would
		// overflow.
		const far = 1 << 24
		c := func(v float64) int { return int(min(max(v, -far), far)) }
		r = r.Union(image.Rect(c(math.Floor(nw.X-out)), c(math.Floor(nw.Y-out)), c(math.Ceil(se.X+out)), c(math.Ceil(se.Y+out))))
	}
	return r
}

// veil sets dst to the dimming colour wherever the mask leaves it: fully
// where the mask is transparent or absent (outside its rectangle), not at
// all where it is opaque.
func veil(dst, mask *image.RGBA, dim color.NRGBA) {
	// The veil's premultiplied pixel under each alpha of the mask.
	var px [256][4]uint8
	for m := range 256 {
		a := uint32(dim.A) * (255 - uint32(m)) // the veil's alpha, ×255
		for i, c := range [4]uint32{uint32(dim.R), uint32(dim.G), uint32(dim.B), 255} {
			px[m][i] = uint8((c*a + 255*255/2) / (255 * 255))
		}
	}
	fill(dst, px[0])
	r := mask.Rect
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := dst.Pix[dst.PixOffset(r.Min.X, y):][:r.Dx()*4]
		m := mask.Pix[mask.PixOffset(r.Min.X, y):][:len(row)]
		for i := 0; i < len(row); i += 4 {
			if a := m[i+3]; a != 0 {
				copy(row[i:i+4], px[a][:])
			}
		}
	}
}

// tintOver draws col over dst as much as the mask covers each pixel.
func tintOver(dst, mask *image.RGBA, col color.NRGBA) {
	// The tint's premultiplied pixel under each alpha of the mask.
	var px [256][4]uint32
	for m := range 256 {
		a := uint32(col.A) * uint32(m) // the tint's alpha, ×255
		for i, c := range [4]uint32{uint32(col.R), uint32(col.G), uint32(col.B), 255} {
			px[m][i] = (c*a + 255*255/2) / (255 * 255)
		}
	}
	r := mask.Rect
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := dst.Pix[dst.PixOffset(r.Min.X, y):][:r.Dx()*4]
		m := mask.Pix[mask.PixOffset(r.Min.X, y):][:len(row)]
		for i := 0; i < len(row); i += 4 {
			a := m[i+3]
			if a == 0 {
				continue
			}
			t := &px[a]
			k := 255 - t[3]
			for j := range 4 {
				row[i+j] = uint8(t[j] + (uint32(row[i+j])*k+127)/255)
			}
		}
	}
}
