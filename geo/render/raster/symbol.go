package raster

import (
	"encoding/binary"
	"image"
	"image/color"
	"math"
)

// Shape is the outline of a point symbol.
type Shape uint8

const (
	// Circle is a disc of diameter Size.
	Circle Shape = iota
	// Square is an axis-aligned square of side Size.
	Square
	// Triangle is an equilateral triangle pointing up, Size wide and
	// centred on its bounding box.
	Triangle
	// Diamond is a square standing on a corner, Size across.
	Diamond
	// Star is a five-pointed star pointing up, inscribed in a circle of
	// diameter Size.
	Star
	// Cross is a plus sign Size across with arms a third of Size thick.
	Cross
)

// Symbol describes a point marker. Shape values other than those defined
// are drawn as a Circle.
type Symbol struct {
	// Shape is the marker's outline.
	Shape Shape
	// Size is the marker's width in pixels; see each Shape.
	Size float64
	// Fill is the colour inside the outline.
	Fill color.NRGBA
	// Stroke is the colour of the outline, centred on the shape's edge.
	Stroke color.NRGBA
	// StrokeWidth is the outline's width in pixels; zero draws none.
	StrokeWidth float64
}

// visible reports whether the symbol draws anything.
func (s Symbol) visible() bool {
	return s.Size > 0 && !math.IsInf(s.Size, 0) && (s.Fill.A > 0 || s.hasOutline())
}

func (s Symbol) hasOutline() bool {
	return s.Stroke.A > 0 && s.StrokeWidth > 0
}

// subpixelSteps is the number of positions per pixel, along each axis, for
// which a symbol is rendered: centres are rounded to 1/subpixelSteps px.
const subpixelSteps = 4

// maxCachedSymbols bounds the number of distinct symbols whose stamps are
// kept; past it the cache starts over.
const maxCachedSymbols = 256

// Symbol draws a point symbol centred at (x, y).
func (c *Canvas) Symbol(x, y float64, s Symbol) {
	if !s.visible() || !finite(x, y) {
		return
	}
	set := c.symbols.stamps(s)
	if !set.reaches(c.dst.Rect, x, y) {
		return
	}
	c.blit(set, quarter(x), quarter(y))
}

// Symbols draws a symbol centred at each point.
//
// A symbol of one colour (a fill without outline, an outline without
// fill, or both of the same colour) composites the same in any order, so
// its points are drawn sorted by position, which for large scattered sets
// is several times faster than drawing them one by one; other symbols are
// drawn in the order given.
func (c *Canvas) Symbols(points []Point, s Symbol) {
	if !s.visible() || c.dst.Rect.Empty() {
		return
	}
	set := c.symbols.stamps(s)
	if s.Fill.A > 0 && s.hasOutline() && s.Fill != s.Stroke {
		for _, p := range points {
			if finite(p.X, p.Y) && set.reaches(c.dst.Rect, p.X, p.Y) {
				c.blit(set, quarter(p.X), quarter(p.Y))
			}
		}
		return
	}
	// Sort the visible points into tiles with a counting sort, as
	// quarter-pixel positions, then draw tile by tile.
	b := c.dst.Rect
	tilesX := (b.Dx() + symbolTile - 1) / symbolTile
	tilesY := (b.Dy() + symbolTile - 1) / symbolTile
	tile := func(qx, qy int) int {
		tx := min(max(qx>>2-b.Min.X, 0)/symbolTile, tilesX-1)
		ty := min(max(qy>>2-b.Min.Y, 0)/symbolTile, tilesY-1)
		return ty*tilesX + tx
	}
	perTile := resize(c.symbols.perTile, tilesX*tilesY+1)
	visible := 0
	for _, p := range points {
		if finite(p.X, p.Y) && set.reaches(b, p.X, p.Y) {
			perTile[tile(quarter(p.X), quarter(p.Y))+1]++
			visible++
		}
	}
	for t := 1; t < len(perTile); t++ {
		perTile[t] += perTile[t-1]
	}
	sorted := resize(c.symbols.sorted, visible)
	for _, p := range points {
		if finite(p.X, p.Y) && set.reaches(b, p.X, p.Y) {
			qx, qy := quarter(p.X), quarter(p.Y)
			t := tile(qx, qy)
			sorted[perTile[t]] = [2]int32{int32(qx), int32(qy)}
			perTile[t]++
		}
	}
	for _, q := range sorted {
		c.blit(set, int(q[0]), int(q[1]))
	}
	c.symbols.perTile, c.symbols.sorted = perTile, sorted
}

// symbolTile is the side in pixels of the tiles into which Symbols sorts
// its points.
const symbolTile = 64

// quarter returns v in units of 1/subpixelSteps pixel, rounded.
func quarter(v float64) int {
	q := v*subpixelSteps + 0.5
	i := int(q)
	if float64(i) > q {
		// int truncates towards zero; this floors negative values.
		i--
	}
	return i
}

// blit draws the stamp of a set for a centre given in quarter pixels.
func (c *Canvas) blit(set *stampSet, qx, qy int) {
	st := &set.byOffset[(qy&(subpixelSteps-1))*subpixelSteps+qx&(subpixelSteps-1)]
	if st.pix == nil {
		*st = c.symbols.render(set.symbol, set.radius, qx&(subpixelSteps-1), qy&(subpixelSteps-1))
	}
	if area, ok := st.blit(c.target(), qx>>2+st.offsetX, qy>>2+st.offsetY); ok {
		c.touch(area)
	}
}

// symbolCache holds the stamps of the symbols drawn recently.
type symbolCache struct {
	painter painter
	bySym   map[Symbol]*stampSet
	// last and lastSet short-cut the lookup for runs of one symbol.
	last    Symbol
	lastSet *stampSet
	// perTile and sorted are scratch space for Symbols.
	perTile []int
	sorted  [][2]int32
}

// stampSet holds a symbol's stamps for every sub-pixel offset, rendered on
// first use.
type stampSet struct {
	symbol Symbol
	// radius is the half-size, in whole pixels, of the canvas the stamps
	// are rendered on; reach is how far from the centre they can paint.
	radius   int
	reach    float64
	byOffset [subpixelSteps * subpixelSteps]stamp
}

// reaches reports whether the symbol centred at (x, y) can touch an image
// with bounds b.
func (set *stampSet) reaches(b image.Rectangle, x, y float64) bool {
	return x+set.reach > float64(b.Min.X) && x-set.reach < float64(b.Max.X) &&
		y+set.reach > float64(b.Min.Y) && y-set.reach < float64(b.Max.Y)
}

// stamp is a symbol rendered at one sub-pixel offset: premultiplied RGBA
// pixels, trimmed to those that are not transparent.
type stamp struct {
	// offsetX and offsetY place the stamp's top-left pixel relative to the
	// pixel holding the symbol's centre.
	offsetX, offsetY int
	width, height    int
	// pix holds the pixels row by row, each as image.RGBA's four bytes in
	// little-endian order.
	pix []uint32
}

// stamps returns the stamp set of a symbol, creating it if needed.
func (sc *symbolCache) stamps(s Symbol) *stampSet {
	if sc.lastSet != nil && s == sc.last {
		return sc.lastSet
	}
	set, ok := sc.bySym[s]
	if !ok {
		if sc.bySym == nil || len(sc.bySym) >= maxCachedSymbols {
			sc.bySym = make(map[Symbol]*stampSet)
		}
		// The outline can reach past the shape by up to a miter.
		reach := s.Size/2*math.Sqrt2 + 1
		if s.hasOutline() {
			reach += max(s.StrokeWidth, 1) / 2 * miterLimit
		}
		set = &stampSet{symbol: s, radius: int(math.Ceil(reach)), reach: reach}
		sc.bySym[s] = set
	}
	sc.last, sc.lastSet = s, set
	return set
}

// render draws a symbol with its centre at sub-pixel offset (qx, qy) of
// the centre pixel of a (2·radius+1)² canvas, and returns it as a stamp.
func (sc *symbolCache) render(s Symbol, radius, qx, qy int) stamp {
	side := 2*radius + 1
	img := image.NewRGBA(image.Rect(0, 0, side, side))
	cx := float64(radius) + float64(qx)/subpixelSteps
	cy := float64(radius) + float64(qy)/subpixelSteps
	var path Path
	shapePath(&path, s.Shape, cx, cy, s.Size)
	sc.painter.fill(img, &path, s.Fill, NonZero)
	sc.painter.stroke(img, &path, Stroke{Color: s.Stroke, Width: s.StrokeWidth, Join: JoinMiter})
	return trimmedStamp(img, -radius, -radius)
}

// trimmedStamp returns the smallest stamp holding every visible pixel of
// img, whose top-left pixel sits at (offsetX, offsetY) from the centre
// pixel.
func trimmedStamp(img *image.RGBA, offsetX, offsetY int) stamp {
	var b image.Rectangle
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			if img.Pix[img.PixOffset(x, y)+3] != 0 {
				b = b.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	st := stamp{
		offsetX: offsetX + b.Min.X,
		offsetY: offsetY + b.Min.Y,
		width:   b.Dx(),
		height:  b.Dy(),
		pix:     make([]uint32, 0, b.Dx()*b.Dy()),
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			st.pix = append(st.pix, binary.LittleEndian.Uint32(img.Pix[img.PixOffset(x, y):]))
		}
	}
	return st
}

// blit composites the stamp source-over onto dst with its top-left pixel
// at (x, y), and returns the pixels it covered.
func (st *stamp) blit(dst *image.RGBA, x, y int) (image.Rectangle, bool) {
	r := image.Rect(x, y, x+st.width, y+st.height).Intersect(dst.Rect)
	if r.Empty() {
		return r, false
	}
	n := r.Dx()
	for row := r.Min.Y; row < r.Max.Y; row++ {
		i := (row-y)*st.width + r.Min.X - x
		src := st.pix[i : i+n]
		j := dst.PixOffset(r.Min.X, row)
		d := dst.Pix[j : j+4*n]
		for k, s := range src {
			switch alpha := s >> 24; alpha {
			case 0:
			case 0xff:
				binary.LittleEndian.PutUint32(d[4*k:], s)
			default:
				// Premultiplied source-over: s + d·(255 − alpha)/255 on
				// every channel; the sum cannot carry across channels.
				px := spread(binary.LittleEndian.Uint32(d[4*k:]))
				binary.LittleEndian.PutUint32(d[4*k:], pack(div255Lanes(px*uint64(255-alpha)))+s)
			}
		}
	}
	return r, true
}

// shapePath sets p to the outline of a shape of the given size centred at
// (cx, cy).
func shapePath(p *Path, shape Shape, cx, cy, size float64) {
	p.Reset()
	r := size / 2
	// polygon adds a closed ring through (cx, cy) + r·(x, y) for each pair.
	polygon := func(xy ...float64) {
		for i := 0; i < len(xy); i += 2 {
			p.LineTo(cx+r*xy[i], cy+r*xy[i+1])
		}
		p.Close()
	}
	switch shape {
	case Square:
		polygon(-1, -1, 1, -1, 1, 1, -1, 1)
	case Triangle:
		h := math.Sqrt(3) / 2
		polygon(0, -h, 1, h, -1, h)
	case Diamond:
		polygon(0, -1, 1, 0, 0, 1, -1, 0)
	case Star:
		inner := math.Cos(2*math.Pi/5) / math.Cos(math.Pi/5)
		for i := range 10 {
			radius := r
			if i%2 == 1 {
				radius *= inner
			}
			sin, cos := math.Sincos(float64(i) * math.Pi / 5)
			p.LineTo(cx+radius*sin, cy-radius*cos)
		}
		p.Close()
	case Cross:
		const t = 1.0 / 3
		polygon(-t, -1, t, -1, t, -t, 1, -t, 1, t, t, t, t, 1, -t, 1, -t, t, -1, t, -1, -t, -t, -t)
	default:
		n := int(math.Ceil(2 * math.Pi / arcStep(r)))
		for i := range n {
			sin, cos := math.Sincos(2 * math.Pi * float64(i) / float64(n))
			p.LineTo(cx+r*cos, cy+r*sin)
		}
		p.Close()
	}
}
