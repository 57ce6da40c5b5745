package render

import (
	"context"
	"image"
	"image/color"
	"math"
	"strconv"

	"github.com/ecoatlas/ecoatlas/geo/geodesic"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/render/raster"
	"github.com/ecoatlas/ecoatlas/geo/render/text"
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

// Geometry draws the scene's fills, strokes, symbols and relief, without
// labels, for a viewport into dst, whose size must be the viewport's
// device size (its top-left pixel being the viewport's). It draws on the
// calling goroutine, tile by tile; GeometryParallel spreads the tiles over
// several. It returns ctx.Err() if cancelled midway, leaving dst partly
// drawn.
func Geometry(ctx context.Context, sc *Scene, vp viewport.Viewport, dst *image.RGBA) error {
	return GeometryParallel(ctx, sc, vp, dst, 1)
}

// premultiplied returns the pixel of an opaque or translucent colour in
// image.RGBA's premultiplied byte order.
func premultiplied(c color.NRGBA) [4]uint8 {
	a := uint32(c.A)
	return [4]uint8{uint8(uint32(c.R) * a / 255), uint8(uint32(c.G) * a / 255), uint8(uint32(c.B) * a / 255), c.A}
}

// fill sets every pixel of img to px.
func fill(img *image.RGBA, px [4]uint8) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if w <= 0 || h <= 0 {
		return
	}
	row := img.Pix[:w*4]
	for i := 0; i < len(row); i += 4 {
		copy(row[i:i+4], px[:])
	}
	for y := 1; y < h; y++ {
		copy(img.Pix[y*img.Stride:y*img.Stride+len(row)], row)
	}
}

// drawer draws the planned features onto one tile at a time through a
// painter. Every worker of GeometryParallel has its own, with its own
// canvas and buffers, so the inner loops neither allocate nor share.
type drawer struct {
	painter Painter
	// canvas is the painter when it is a raster canvas, whose pixels the
	// relief and raster tiles are computed straight into; nil otherwise.
	canvas *raster.Canvas
	// frame, for a painter other than a raster canvas, is the area the
	// map is drawn in, which every layer is clipped to.
	frame image.Rectangle
	tr    transform
	// clip is the device-pixel rectangle worth drawing for the current
	// feature: the tile plus the feature's reach.
	clip  bound32
	zoom  float64
	scale float64

	path raster.Path
	// dash is the dash pattern of the stroke dashOf, scaled to device
	// pixels.
	dashOf *style.Stroke
	dash   []float64
	// pending are points to draw with symbol, gathered into one
	// Canvas.Symbols call until something else is drawn; symbolOf is what
	// symbol was made of.
	pending  []raster.Point
	symbol   raster.Symbol
	symbolOf symbolSource
}

// symbolSource is what a map symbol is made of: a rule and the sizes its
// symbol takes for a feature.
type symbolSource struct {
	rule              *style.Rule
	size, strokeWidth float32
}

// drawTile draws every planned layer over tile t of a raster target.
func (d *drawer) drawTile(ctx context.Context, p *plan, t int) error {
	img := p.dst.SubImage(p.tiles[t]).(*image.RGBA)
	fill(img, p.background)
	d.canvas.Reset(img)
	return d.drawLayers(ctx, p, t)
}

// drawLayers draws every planned layer over tile t through the painter.
func (d *drawer) drawLayers(ctx context.Context, p *plan, t int) error {
	tile := p.tiles[t]
	for i := range p.layers {
		pl := &p.layers[i]
		if err := ctx.Err(); err != nil {
			return err
		}
		l := pl.layer
		if l.Relief != nil {
			d.drawRelief(l.Relief, l.Style.Opacity, l.Style.FadeAbove, tile)
			continue
		}
		if pl.raster != nil {
			d.drawRasterTiles(pl.raster, l.Style.Opacity, tile)
			continue
		}
		clip := pl.clip
		if clip.Empty() {
			clip = d.frame
		}
		d.painter.Clip(clip)
		grouped := l.Style.Opacity < 1
		if grouped {
			d.painter.PushGroup()
		}
		items := pl.items[pl.start[t]:pl.start[t+1]]
		for n := range items {
			if n%checkEvery == checkEvery-1 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			it := &items[n]
			d.clip = bound32{
				minX: float32(tile.Min.X) - it.reach, minY: float32(tile.Min.Y) - it.reach,
				maxX: float32(tile.Max.X) + it.reach, maxY: float32(tile.Max.Y) + it.reach,
			}
			d.item(pl, it)
		}
		d.flushSymbols()
		d.clusters(pl, tile)
		if grouped {
			d.painter.PopGroup(l.Style.Opacity)
		}
	}
	return nil
}

// item draws a planned feature, part by part.
func (d *drawer) item(pl *plannedLayer, it *item) {
	r := &pl.layer.Style.Rules[it.rule]
	switch it.kind {
	case itemPoint:
		d.points([]raster.Point{it.at}, r, it)
		return
	case itemPoints:
		d.points(pl.batches[it.batch].points[it.first:it.end], r, it)
		return
	}
	g := pl.batches[it.batch]
	parts := g.parts[it.first:it.end]
	for i := 0; i < len(parts); {
		pt := &parts[i]
		switch pt.kind {
		case kindPoints:
			d.points(g.points[pt.start:pt.end], r, it)
			i++
		case kindLine:
			d.line(g.points[pt.start:pt.end], pt.bound, r, it)
			i++
		default:
			end := i + 1
			for end < len(parts) && parts[end].kind == kindRing {
				end++
			}
			d.polygon(g.points, parts[i:end], r, it)
			i = end
		}
	}
}

// polygon fills and strokes the rings of a polygon.
func (d *drawer) polygon(points []raster.Point, rings []part, r *style.Rule, it *item) {
	d.path.Reset()
	for _, rg := range rings {
		if !d.clip.intersects(rg.bound) {
			continue
		}
		pts := points[rg.start:rg.end]
		d.path.MoveTo(pts[0].X, pts[0].Y)
		for _, q := range pts[1:] {
			d.path.LineTo(q.X, q.Y)
		}
		d.path.Close()
	}
	if d.path.Len() == 0 {
		return
	}
	d.flushSymbols()
	d.path.MarkSimplified()
	if !r.Fill.IsZero() {
		d.painter.Fill(&d.path, r.Fill.NRGBA(), raster.EvenOdd)
	}
	if r.Stroke != nil {
		d.painter.Stroke(&d.path, d.strokeOfWidth(r.Stroke, float64(it.strokeWidth)))
	}
}

// line strokes a line. The canvas clips it to the tile, keeping dash
// patterns continuous across what it leaves out.
func (d *drawer) line(pts []raster.Point, bound bound32, r *style.Rule, it *item) {
	if !d.clip.intersects(bound) {
		return
	}
	d.flushSymbols()
	d.path.Reset()
	d.path.MoveTo(pts[0].X, pts[0].Y)
	for _, q := range pts[1:] {
		d.path.LineTo(q.X, q.Y)
	}
	d.path.MarkSimplified()
	d.painter.Stroke(&d.path, d.strokeOfWidth(r.Stroke, float64(it.strokeWidth)))
}

// stroke returns the raster stroke of a style's stroke for a feature.
func (d *drawer) stroke(s *style.Stroke, attrs style.Attributes) raster.Stroke {
	return d.strokeOfWidth(s, s.Width.Eval(d.zoom, attrs)*d.scale)
}

// strokeOfWidth returns the raster stroke of a style's stroke with a
// width in device pixels.
func (d *drawer) strokeOfWidth(s *style.Stroke, width float64) raster.Stroke {
	st := raster.Stroke{Color: s.Color.NRGBA(), Width: width, Cap: raster.CapButt, Join: raster.JoinRound}
	if len(s.Dash) > 0 {
		if d.dashOf != s {
			d.dash = d.dash[:0]
			for _, v := range s.Dash {
				d.dash = append(d.dash, v*d.scale)
			}
			d.dashOf = s
		}
		st.Dash = d.dash
	}
	return st
}

// points draws the rule's symbol at every point. Runs of points with the
// same symbol are gathered and drawn with one Canvas.Symbols call.
func (d *drawer) points(pts []raster.Point, r *style.Rule, it *item) {
	if src := (symbolSource{r, it.symbolSize, it.symbolStrokeWidth}); src != d.symbolOf {
		d.flushSymbols()
		s := r.Symbol
		d.symbol = raster.Symbol{
			Shape:       symbolShape(s.Shape),
			Size:        float64(it.symbolSize),
			Fill:        s.Fill.NRGBA(),
			Stroke:      s.Stroke.NRGBA(),
			StrokeWidth: float64(it.symbolStrokeWidth),
		}
		d.symbolOf = src
	}
	if !it.ringed {
		d.pending = append(d.pending, pts...)
		return
	}
	// A ring goes under its point's symbol, so they are drawn in turn.
	d.flushSymbols()
	ring := r.Symbol.Ring
	st := raster.Stroke{Color: ring.Color.NRGBA(), Width: ring.Width * d.scale, Join: raster.JoinRound}
	for _, v := range ring.Dash {
		st.Dash = append(st.Dash, v*d.scale)
	}
	for _, q := range pts {
		if !d.clip.intersects(bound32{float32(q.X) - it.reach, float32(q.Y) - it.reach, float32(q.X) + it.reach, float32(q.Y) + it.reach}) {
			continue
		}
		halo := float64(it.ringDiameter) / 2
		at := orb.Point{d.tr.lon(q.X), d.tr.lat(q.Y)}
		if ring.Radius > 0 && groundRadius(d.tr, at, ring.Radius) > halo {
			d.groundCircle(at, ring.Radius)
		} else {
			d.circle(q, halo)
		}
		d.painter.Stroke(&d.path, st)
		d.painter.Symbol(q.X, q.Y, d.symbol)
	}
}

// groundCircle sets the path to the geodesic circle of a radius in metres
// around a lon/lat point, in device pixels.
func (d *drawer) groundCircle(centre orb.Point, metres float64) {
	radius := groundRadius(d.tr, centre, metres)
	ring, err := geodesic.Circle(centre, metres, max(32, int(radius)))
	d.path.Reset()
	if err != nil {
		return // a centre off the ellipsoid: nothing to draw
	}
	for i, q := range ring {
		p := d.tr.apply(q)
		if i == 0 {
			d.path.MoveTo(p[0], p[1])
		} else {
			d.path.LineTo(p[0], p[1])
		}
	}
	d.path.Close()
}

// clusters draws a layer's clusters that reach a tile: the cluster symbol
// with the number of points centred on it.
func (d *drawer) clusters(pl *plannedLayer, tile image.Rectangle) {
	if len(pl.clusters) == 0 {
		return
	}
	c := pl.layer.Style.Cluster
	ts := text.Style{Size: c.TextSize, Weight: text.Bold, Color: c.Text.NRGBA()}
	for _, g := range pl.clusters {
		if g.at.X+g.reach < float64(tile.Min.X) || g.at.X-g.reach > float64(tile.Max.X) ||
			g.at.Y+g.reach < float64(tile.Min.Y) || g.at.Y-g.reach > float64(tile.Max.Y) {
			continue
		}
		d.painter.Symbol(g.at.X, g.at.Y, raster.Symbol{
			Shape: symbolShape(c.Symbol.Shape), Size: g.size,
			Fill: c.Symbol.Fill.NRGBA(), Stroke: c.Symbol.Stroke.NRGBA(), StrokeWidth: g.strokeWidth,
		})
		n := strconv.Itoa(g.count)
		m := text.Measure(n, ts, d.scale)
		at := image.Pt(int(math.Round(g.at.X-m.Width/2)), int(math.Round(g.at.Y-m.Height/2)))
		d.painter.Text(text.Straight(n, ts, d.scale, at))
	}
}

// flushSymbols draws the pending points.
func (d *drawer) flushSymbols() {
	if len(d.pending) > 0 {
		d.painter.Symbols(d.pending, d.symbol)
		d.pending = d.pending[:0]
	}
}

// intersects reports whether two bounds overlap or touch.
func (a bound32) intersects(b bound32) bool {
	return a.maxX >= b.minX && a.minX <= b.maxX && a.maxY >= b.minY && a.minY <= b.maxY
}

// circle sets the path to a closed circle.
func (d *drawer) circle(c raster.Point, radius float64) {
	d.path.Reset()
	n := max(16, int(radius*1.5))
	for i := 0; i <= n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		x, y := c.X+radius*math.Cos(a), c.Y+radius*math.Sin(a)
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

// drawRelief draws a shaded relief layer over a tile: straight into the
// pixels of a raster canvas, or, for another painter, as a grey image
// multiplied over what is below, made at about the relief's own
// resolution (an image finer than its data would only be larger).
func (d *drawer) drawRelief(r *layer.Relief, strength, fadeAbove float64, tile image.Rectangle) {
	if d.canvas != nil {
		shadeRelief(d.canvas.Image(), d.tr, d.scale, r, strength, fadeAbove)
		return
	}
	devicePixel := d.tr.lon(1) - d.tr.lon(0)
	reliefPixel := (r.Bound.Max[0] - r.Bound.Min[0]) / float64(r.Pix.Rect.Dx()) / devicePixel
	k := min(1, reliefImageDetail/reliefPixel)
	img, tr := d.imageFor(tile, k)
	fill(img, [4]uint8{0xff, 0xff, 0xff, 0xff})
	shadeRelief(img, tr, d.scale*k, r, strength, fadeAbove)
	grey := image.NewGray(img.Rect)
	for i := range grey.Pix {
		grey.Pix[i] = img.Pix[4*i+1]
	}
	d.painter.DrawImage(grey, rectOf(tile), raster.BlendMultiply)
}

// reliefImageDetail is how many image pixels a relief image for a
// vector painter has per pixel of the relief's data, at most: enough for
// a smooth picture when the reader zooms in.
const reliefImageDetail = 1.5

// rasterImageScale is the largest device scale (pixels per logical pixel)
// at which tile package images are made for a painter other than a
// raster canvas: their own detail is what limits them.
const rasterImageScale = 2.0

// drawRasterTiles draws a raster tile package's tiles over a tile: into
// the pixels of a raster canvas, or as an image for another painter.
func (d *drawer) drawRasterTiles(rt *rasterTiles, opacity float64, tile image.Rectangle) {
	if d.canvas != nil {
		d.rasterTiles(d.canvas.Image(), d.tr, rt, opacity)
		return
	}
	img, tr := d.imageFor(tile, min(1, rasterImageScale/d.scale))
	d.rasterTiles(img, tr, rt, opacity)
	d.painter.DrawImage(img, rectOf(tile), raster.BlendNormal)
}

// imageFor returns a transparent image of the device pixels of a tile at
// k image pixels per device pixel, and the transform of its pixels.
func (d *drawer) imageFor(tile image.Rectangle, k float64) (*image.RGBA, transform) {
	w, h := max(1, int(math.Ceil(float64(tile.Dx())*k))), max(1, int(math.Ceil(float64(tile.Dy())*k)))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	// The image's edges are the tile's, whatever the rounding.
	kx, ky := float64(w)/float64(tile.Dx()), float64(h)/float64(tile.Dy())
	return img, d.tr.translate(-float64(tile.Min.X), -float64(tile.Min.Y)).scaled(kx, ky)
}

// rectOf returns an image rectangle as a raster one.
func rectOf(r image.Rectangle) raster.Rect {
	return raster.Rect{MinX: float64(r.Min.X), MinY: float64(r.Min.Y), MaxX: float64(r.Max.X), MaxY: float64(r.Max.Y)}
}

// shadeRelief multiplies dst, whose pixels tr maps lon/lat to at a
// device scale, by the shaded relief: grey 238 (flat
// ground) leaves colours as they are, darker shades them, brighter lights
// them a little. strength (the layer opacity) scales the effect; fadeAbove
// is the style's magnification above which the relief fades out.
//
// A view that shrinks the relief samples the level of its pyramid that
// is at most twice as fine as the view (see [layer.Relief.Level]), one
// that enlarges it samples the full raster; both bilinearly. The effect
// also fades over reliefFeather degrees inside the relief's edges, so that
// where it ends shows no seam.
//
// It runs on every pixel of every tile, so it works in fixed point: the
// bilinear sample positions and weights of each column are computed once
// per call, and the grey-to-factor curve is a 256-entry table.
func shadeRelief(dst *image.RGBA, tr transform, scale float64, r *layer.Relief, strength, fadeAbove float64) {
	b := r.Bound
	// Device pixels per relief pixel, across.
	devicePixel := tr.lon(1) - tr.lon(0)
	magnification := (b.Max[0] - b.Min[0]) / float64(r.Pix.Rect.Dx()) / devicePixel
	strength *= reliefFade(magnification/scale, fadeAbove)
	if strength <= 0 {
		return
	}
	level := 0
	if magnification < 1 {
		level = int(math.Floor(math.Log2(1 / magnification)))
	}
	src := r.Level(level)
	area := dst.Rect
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	var factor [256]int32 // ×256, minus 256: the change a grey makes
	for v := range factor {
		f := 1 + strength*(float64(v)-238)/238
		factor[v] = int32(min(max(f, 0), 1.2)*256) - 256
	}
	type column struct {
		x0, x1 int
		wx     uint32 // weight of x1, ×256
		edge   int32  // weight of the effect near the edges, ×256
	}
	cols := make([]column, area.Dx())
	first, last := len(cols), -1
	kx := float64(sw) / (b.Max[0] - b.Min[0])
	for i := range cols {
		lon := tr.lon(float64(area.Min.X+i) + 0.5)
		if lon < b.Min[0] || lon > b.Max[0] {
			continue
		}
		first, last = min(first, i), max(last, i)
		fx := (lon-b.Min[0])*kx - 0.5
		x0 := int(math.Floor(fx))
		cols[i] = column{min(max(x0, 0), sw-1), min(max(x0+1, 0), sw-1), uint32((fx - float64(x0)) * 256),
			feather(lon-b.Min[0], b.Max[0]-lon)}
	}
	ky := float64(sh) / (b.Max[1] - b.Min[1])
	for y := area.Min.Y; y < area.Max.Y; y++ {
		lat := tr.lat(float64(y) + 0.5)
		if lat < b.Min[1] || lat > b.Max[1] || first > last {
			continue
		}
		edgeY := feather(lat-b.Min[1], b.Max[1]-lat)
		fy := (b.Max[1]-lat)*ky - 0.5
		y0 := int(math.Floor(fy))
		wy := uint32((fy - float64(y0)) * 256)
		r0 := src.Pix[min(max(y0, 0), sh-1)*src.Stride:]
		r1 := src.Pix[min(max(y0+1, 0), sh-1)*src.Stride:]
		row := dst.Pix[dst.PixOffset(area.Min.X, y):][:len(cols)*4]
		for x := first; x <= last; x++ {
			c := cols[x]
			top := uint32(r0[c.x0])*(256-c.wx) + uint32(r0[c.x1])*c.wx
			bottom := uint32(r1[c.x0])*(256-c.wx) + uint32(r1[c.x1])*c.wx
			change := factor[(top*(256-wy)+bottom*wy)>>16]
			if edge := c.edge * edgeY >> 8; edge < 256 {
				change = change * edge >> 8
			}
			f := uint32(256 + change)
			px := row[x*4 : x*4+4 : x*4+4]
			a := uint32(px[3])
			px[0] = uint8(min(uint32(px[0])*f>>8, a))
			px[1] = uint8(min(uint32(px[1])*f>>8, a))
			px[2] = uint8(min(uint32(px[2])*f>>8, a))
		}
	}
}

// reliefFeather is how far inside its edges, in degrees, the relief fades
// in.
const reliefFeather = 1.0

// feather returns the weight (×256) of the relief at distances a and b, in
// degrees, from two opposite edges.
func feather(a, b float64) int32 {
	return int32(min(max(min(a, b)/reliefFeather, 0), 1) * 256)
}

// reliefFade returns how much of a raster shows at a magnification (raster
// pixels to logical pixels, across): all of it up to fadeAbove, none from
// twice that, and a smooth step between. A zero fadeAbove never fades.
func reliefFade(magnification, fadeAbove float64) float64 {
	if fadeAbove <= 0 || magnification <= fadeAbove {
		return 1
	}
	t := min(math.Log2(magnification/fadeAbove), 1)
	return 1 - t*t*(3-2*t)
}
