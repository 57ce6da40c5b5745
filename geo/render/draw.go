package render

import (
	"context"
	"image"
	"image/color"
	"math"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/render/raster"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// margin is how far beyond the target, in logical pixels, features are
// still fetched and drawn, so that symbols and wide strokes crossing a
// tile edge are drawn on both sides of it.
const margin = 24

// checkEvery is how many features are drawn between cancellation checks.
const checkEvery = 512

func sqrt(v float64) float64 { return math.Sqrt(v) }

// Geometry draws the scene's fills, strokes, symbols and relief, without
// labels, for a viewport into dst, whose size must be the viewport's
// device size. It returns ctx.Err() if cancelled midway, leaving dst
// partly drawn.
func Geometry(ctx context.Context, sc *Scene, vp viewport.Viewport, dst *image.RGBA) error {
	fillBackground(dst, sc.Background)
	d := newDrawer(vp, dst)
	for i := range sc.Layers {
		l := &sc.Layers[i]
		if !l.Style.VisibleAt(vp.Zoom) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		switch {
		case l.Relief != nil:
			d.relief(l.Relief, l.Style.Opacity)
		case l.Features != nil:
			if err := d.vector(ctx, l); err != nil {
				return err
			}
		}
	}
	return nil
}

func fillBackground(dst *image.RGBA, c color.NRGBA) {
	a := uint32(c.A)
	px := [4]uint8{uint8(uint32(c.R) * a / 255), uint8(uint32(c.G) * a / 255), uint8(uint32(c.B) * a / 255), c.A}
	row := dst.Pix[:dst.Rect.Dx()*4]
	for i := 0; i < len(row); i += 4 {
		copy(row[i:i+4], px[:])
	}
	for y := 1; y < dst.Rect.Dy(); y++ {
		copy(dst.Pix[y*dst.Stride:y*dst.Stride+len(row)], row)
	}
}

// drawer holds the per-call state of Geometry: the target, the projection
// and reusable buffers, so the inner loops do not allocate.
type drawer struct {
	vp     viewport.Viewport
	canvas *raster.Canvas
	tr     transform
	// clip is the device-pixel rectangle worth drawing: the target plus margin.
	clip  orb.Bound
	query orb.Bound
	zoom  float64
	scale float64

	path    raster.Path
	buf     []orb.Point
	clipped []orb.Point
}

func newDrawer(vp viewport.Viewport, dst *image.RGBA) *drawer {
	m := margin * vp.Scale
	w, h := float64(dst.Rect.Dx()), float64(dst.Rect.Dy())
	d := &drawer{
		vp:     vp,
		canvas: raster.New(dst),
		tr:     newTransform(vp),
		clip:   orb.Bound{Min: orb.Point{-m, -m}, Max: orb.Point{w + m, h + m}},
		zoom:   vp.Zoom,
		scale:  vp.Scale,
	}
	nw := vp.FromPixel(orb.Point{-margin, -margin})
	se := vp.FromPixel(orb.Point{vp.Width + margin, vp.Height + margin})
	d.query = orb.Bound{Min: orb.Point{nw[0], se[1]}, Max: orb.Point{se[0], nw[1]}}
	return d
}

func (d *drawer) vector(ctx context.Context, l *Layer) error {
	grouped := l.Style.Opacity < 1
	if grouped {
		d.canvas.PushGroup()
	}
	n := 0
	for f := range l.Features.Search(d.query) {
		if n++; n%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				if grouped {
					d.canvas.PopGroup(l.Style.Opacity)
				}
				return err
			}
		}
		r := l.Style.RuleFor(d.zoom, &f.Properties)
		if r == nil {
			continue
		}
		d.feature(f.Geometry, r, &f.Properties)
	}
	if grouped {
		d.canvas.PopGroup(l.Style.Opacity)
	}
	return nil
}

// feature draws one geometry with a rule.
func (d *drawer) feature(g orb.Geometry, r *style.Rule, attrs style.Attributes) {
	switch g := g.(type) {
	case orb.Point:
		d.point(g, r, attrs)
	case orb.MultiPoint:
		for _, p := range g {
			d.point(p, r, attrs)
		}
	case orb.LineString:
		d.line(g, r, attrs)
	case orb.MultiLineString:
		for _, ls := range g {
			d.line(ls, r, attrs)
		}
	case orb.Polygon:
		d.polygon(g, r, attrs)
	case orb.MultiPolygon:
		for _, p := range g {
			d.polygon(p, r, attrs)
		}
	case orb.Collection:
		for _, m := range g {
			d.feature(m, r, attrs)
		}
	}
}

func (d *drawer) polygon(p orb.Polygon, r *style.Rule, attrs style.Attributes) {
	if len(p) == 0 || (r.Fill.IsZero() && r.Stroke == nil) {
		return
	}
	d.path.Reset()
	for _, ring := range p {
		if len(ring) < 3 {
			continue
		}
		d.buf = projectPath(d.buf[:0], ring, d.tr)
		pts := d.buf
		b := pixelBound(pts)
		if !b.Intersects(d.clip) {
			continue
		}
		// Rasterising a ring much larger than the target wastes work on
		// pixels nobody sees: cut it down to the target plus margin first.
		if b.Max[0]-b.Min[0] > 4*(d.clip.Max[0]-d.clip.Min[0]) || b.Max[1]-b.Min[1] > 4*(d.clip.Max[1]-d.clip.Min[1]) {
			d.clipped = clipRing(d.clipped, pts, d.clip)
			pts = d.clipped
			if len(pts) < 3 {
				continue
			}
		}
		d.path.MoveTo(pts[0][0], pts[0][1])
		for _, q := range pts[1:] {
			d.path.LineTo(q[0], q[1])
		}
		d.path.Close()
	}
	if d.path.Len() == 0 {
		return
	}
	if !r.Fill.IsZero() {
		d.canvas.Fill(&d.path, r.Fill.NRGBA(), raster.EvenOdd)
	}
	if r.Stroke != nil {
		d.canvas.Stroke(&d.path, d.stroke(r.Stroke, attrs))
	}
}

func (d *drawer) stroke(s *style.Stroke, attrs style.Attributes) raster.Stroke {
	st := raster.Stroke{Color: s.Color.NRGBA(), Width: s.Width.Eval(d.zoom, attrs) * d.scale, Cap: raster.CapButt, Join: raster.JoinRound}
	if len(s.Dash) > 0 {
		st.Dash = make([]float64, len(s.Dash))
		for i, v := range s.Dash {
			st.Dash[i] = v * d.scale
		}
	}
	return st
}

func (d *drawer) line(ls orb.LineString, r *style.Rule, attrs style.Attributes) {
	if r.Stroke == nil || len(ls) < 2 {
		return
	}
	d.buf = projectPath(d.buf[:0], ls, d.tr)
	if len(d.buf) < 2 || !pixelBound(d.buf).Intersects(d.clip) {
		return
	}
	st := d.stroke(r.Stroke, attrs)
	offset := st.DashOffset
	visibleRuns(d.buf, d.clip, func(run []orb.Point, startDist float64) {
		d.path.Reset()
		d.path.MoveTo(run[0][0], run[0][1])
		for _, q := range run[1:] {
			d.path.LineTo(q[0], q[1])
		}
		st.DashOffset = offset + startDist
		d.canvas.Stroke(&d.path, st)
	})
}

func (d *drawer) point(p orb.Point, r *style.Rule, attrs style.Attributes) {
	if r.Symbol == nil {
		return
	}
	q := d.tr.apply(p)
	if q[0] < d.clip.Min[0] || q[0] > d.clip.Max[0] || q[1] < d.clip.Min[1] || q[1] > d.clip.Max[1] {
		return
	}
	s := r.Symbol
	if s.Ring != nil && approximate(attrs) {
		dia := s.Ring.Diameter.Eval(d.zoom, attrs) * d.scale
		d.circle(q, dia/2)
		st := raster.Stroke{Color: s.Ring.Color.NRGBA(), Width: s.Ring.Width * d.scale, Join: raster.JoinRound}
		for _, v := range s.Ring.Dash {
			st.Dash = append(st.Dash, v*d.scale)
		}
		d.canvas.Stroke(&d.path, st)
	}
	d.canvas.Symbol(q[0], q[1], raster.Symbol{
		Shape:       symbolShape(s.Shape),
		Size:        s.Size.Eval(d.zoom, attrs) * d.scale,
		Fill:        s.Fill.NRGBA(),
		Stroke:      s.Stroke.NRGBA(),
		StrokeWidth: s.StrokeWidth.Eval(d.zoom, attrs) * d.scale,
	})
}

// approximate reports whether a point's position is only known roughly:
// the curated layers say so in coord_precision ("approx_10km").
func approximate(attrs style.Attributes) bool {
	v, _ := attrs.Get("coord_precision")
	s, _ := v.(string)
	return s == "approx_10km"
}

// circle sets the path to a closed circle.
func (d *drawer) circle(c orb.Point, radius float64) {
	d.path.Reset()
	n := max(16, int(radius*1.5))
	for i := 0; i <= n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		x, y := c[0]+radius*math.Cos(a), c[1]+radius*math.Sin(a)
		if i == 0 {
			d.path.MoveTo(x, y)
		} else {
			d.path.LineTo(x, y)
		}
	}
	d.path.Close()
}

func symbolShape(s style.Shape) raster.Shape {
	switch s {
	case style.Square:
		return raster.Square
	case style.Triangle:
		return raster.Triangle
	case style.Diamond:
		return raster.Diamond
	case style.Star:
		return raster.Star
	case style.Cross:
		return raster.Cross
	default:
		return raster.Circle
	}
}

// relief multiplies the target by the shaded relief: grey 238 (flat
// ground) leaves colours as they are, darker shades them, brighter lights
// them a little. strength (the layer opacity) scales the effect.
//
// It runs on every pixel of every tile, so it works in fixed point: the
// bilinear sample positions and weights of each column are computed once
// per call, and the grey-to-factor curve is a 256-entry table.
func (d *drawer) relief(r *layer.Relief, strength float64) {
	dst := d.canvas.Image()
	w, h := dst.Rect.Dx(), dst.Rect.Dy()
	src := r.Pix
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	b := r.Bound
	var factor [256]uint32 // ×256
	for v := range factor {
		f := 1 + strength*(float64(v)-238)/238
		factor[v] = uint32(min(max(f, 0), 1.2) * 256)
	}
	type column struct {
		x0, x1 int
		wx     uint32 // weight of x1, ×256
	}
	cols := make([]column, w)
	first, last := w, -1
	kx := float64(sw) / (b.Max[0] - b.Min[0])
	for x := range cols {
		lon := d.tr.lon(float64(x) + 0.5)
		if lon < b.Min[0] || lon > b.Max[0] {
			continue
		}
		first, last = min(first, x), max(last, x)
		fx := (lon-b.Min[0])*kx - 0.5
		x0 := int(math.Floor(fx))
		cols[x] = column{min(max(x0, 0), sw-1), min(max(x0+1, 0), sw-1), uint32((fx - float64(x0)) * 256)}
	}
	ky := float64(sh) / (b.Max[1] - b.Min[1])
	for y := 0; y < h; y++ {
		lat := d.tr.lat(float64(y) + 0.5)
		if lat < b.Min[1] || lat > b.Max[1] || first > last {
			continue
		}
		fy := (b.Max[1]-lat)*ky - 0.5
		y0 := int(math.Floor(fy))
		wy := uint32((fy - float64(y0)) * 256)
		r0 := src.Pix[min(max(y0, 0), sh-1)*src.Stride:]
		r1 := src.Pix[min(max(y0+1, 0), sh-1)*src.Stride:]
		row := dst.Pix[y*dst.Stride : y*dst.Stride+w*4]
		for x := first; x <= last; x++ {
			c := cols[x]
			top := uint32(r0[c.x0])*(256-c.wx) + uint32(r0[c.x1])*c.wx
			bottom := uint32(r1[c.x0])*(256-c.wx) + uint32(r1[c.x1])*c.wx
			f := factor[(top*(256-wy)+bottom*wy)>>16]
			px := row[x*4 : x*4+4 : x*4+4]
			a := uint32(px[3])
			px[0] = uint8(min(uint32(px[0])*f>>8, a))
			px[1] = uint8(min(uint32(px[1])*f>>8, a))
			px[2] = uint8(min(uint32(px[2])*f>>8, a))
		}
	}
}
