package raster

import (
	"image"
	"image/color"
)

// Canvas draws anti-aliased shapes onto an *image.RGBA with source-over
// compositing.
//
// A Canvas keeps its scratch buffers and its cache of symbol stamps
// between calls, so one Canvas should be reused for many shapes (and,
// through Reset, for many images). It is not safe for concurrent use; give
// each goroutine its own.
type Canvas struct {
	dst *image.RGBA
	// groups is the stack of open groups; drawing goes to the top one.
	groups []group
	// spare holds group buffers of dst's size, transparent, for reuse.
	spare []*image.RGBA
	// clip, unless empty, is the only area drawing may change; clipped
	// is the view of the current target through it.
	clip    image.Rectangle
	clipped image.RGBA

	painter painter
	symbols symbolCache
}

// group is a layer opened by PushGroup.
type group struct {
	img *image.RGBA
	// dirty bounds every pixel drawn into img.
	dirty image.Rectangle
}

// New returns a Canvas drawing onto dst.
func New(dst *image.RGBA) *Canvas {
	c := &Canvas{}
	c.Reset(dst)
	return c
}

// Reset points the canvas at a new destination image, keeping its buffers
// and its symbol cache, and discards any open groups and the clip.
func (c *Canvas) Reset(dst *image.RGBA) {
	c.clip = image.Rectangle{}
	for _, g := range c.groups {
		c.releaseGroup(g)
	}
	c.groups = c.groups[:0]
	if c.dst == nil || dst.Rect.Size() != c.dst.Rect.Size() {
		c.spare = nil
	}
	for _, img := range c.spare {
		img.Rect = dst.Rect
	}
	c.dst = dst
}

// Image returns the destination image. Shapes drawn inside a group that is
// still open are not on it yet.
func (c *Canvas) Image() *image.RGBA {
	return c.dst
}

// Fill fills the area enclosed by the path's subpaths with col, every
// subpath being implicitly closed, under the given fill rule. Subpaths
// with fewer than three points enclose nothing.
func (c *Canvas) Fill(p *Path, col color.NRGBA, rule FillRule) {
	if area, ok := c.painter.fill(c.target(), p, col, rule); ok {
		c.touch(area)
	}
}

// Stroke draws a line along every subpath of the path: closed subpaths are
// joined all round, open ones end in caps, and a subpath without length
// draws a dot for round and square caps.
func (c *Canvas) Stroke(p *Path, s Stroke) {
	if area, ok := c.painter.stroke(c.target(), p, s); ok {
		c.touch(area)
	}
}

// Bitmap is a ready-made image a canvas can composite, such as a rendered
// text.
type Bitmap interface {
	// Bounds returns the pixels the bitmap covers relative to its origin.
	Bounds() image.Rectangle
	// Draw composites the bitmap source-over onto dst with its origin at
	// a pixel, clipped to dst.
	Draw(dst *image.RGBA, origin image.Point)
}

// DrawBitmap composites a bitmap with its origin at a pixel.
func (c *Canvas) DrawBitmap(b Bitmap, origin image.Point) {
	dst := c.target()
	area := b.Bounds().Add(origin).Intersect(dst.Rect)
	if area.Empty() {
		return
	}
	b.Draw(dst, origin)
	c.touch(area)
}

// Clip restricts drawing, in groups too, to the pixels of r (in the
// destination's coordinates) until the next Clip or Reset; the empty
// rectangle lifts the restriction. Tiled data uses it to draw each tile's
// features only over that tile, so that the edges where a tile's
// geometry was cut never show.
func (c *Canvas) Clip(r image.Rectangle) { c.clip = r }

// target returns the image drawing goes to: the top group, or dst, seen
// through the clip.
func (c *Canvas) target() *image.RGBA {
	img := c.dst
	if n := len(c.groups); n > 0 {
		img = c.groups[n-1].img
	}
	if c.clip.Empty() {
		return img
	}
	// A sub-image without SubImage's allocation: target is called for
	// every shape.
	r := c.clip.Intersect(img.Rect)
	c.clipped = image.RGBA{Stride: img.Stride, Rect: r}
	if !r.Empty() {
		c.clipped.Pix = img.Pix[img.PixOffset(r.Min.X, r.Min.Y):]
	}
	return &c.clipped
}

// touch records that pixels in area of the current target were drawn.
func (c *Canvas) touch(area image.Rectangle) {
	if n := len(c.groups); n > 0 {
		c.groups[n-1].dirty = c.groups[n-1].dirty.Union(area)
	}
}

// PushGroup opens a group: until the matching PopGroup, drawing goes to a
// transparent layer of the canvas's size instead of the image below.
// Groups nest.
func (c *Canvas) PushGroup() {
	var img *image.RGBA
	if n := len(c.spare); n > 0 {
		img, c.spare = c.spare[n-1], c.spare[:n-1]
	} else {
		img = image.NewRGBA(c.dst.Rect)
	}
	c.groups = append(c.groups, group{img: img})
}

// PopGroup closes the innermost open group and composites its layer, with
// its alpha multiplied by opacity (clamped to [0, 1]), source-over onto the
// image below it. So overlapping shapes in one group blend with each other
// at full strength and with the map below at opacity, as a layer's
// opacity should. PopGroup panics if no group is open, which is a
// programming error.
func (c *Canvas) PopGroup(opacity float64) {
	n := len(c.groups)
	if n == 0 {
		panic("raster: PopGroup without a matching PushGroup")
	}
	g := c.groups[n-1]
	c.groups = c.groups[:n-1]
	if opacity > 0 {
		ma := uint32(min(opacity, 1)*0xffff + 0.5)
		compositeLayer(c.target(), g.img, g.dirty, ma)
		c.touch(g.dirty)
	}
	c.releaseGroup(g)
}

// releaseGroup clears a group's layer and keeps it for the next PushGroup.
func (c *Canvas) releaseGroup(g group) {
	dirty := g.dirty.Intersect(g.img.Rect)
	for y := dirty.Min.Y; y < dirty.Max.Y; y++ {
		i := g.img.PixOffset(dirty.Min.X, y)
		clear(g.img.Pix[i : i+4*dirty.Dx()])
	}
	c.spare = append(c.spare, g.img)
}

// compositeLayer blends the pixels of src within area, scaled by the mask
// value ma, source-over onto dst, with image/draw's arithmetic. dst and src
// have the same bounds, not necessarily the same stride: dst may be a
// sub-image.
func compositeLayer(dst, src *image.RGBA, area image.Rectangle, ma uint32) {
	area = area.Intersect(dst.Rect)
	for y := area.Min.Y; y < area.Max.Y; y++ {
		i, j := dst.PixOffset(area.Min.X, y), src.PixOffset(area.Min.X, y)
		d := dst.Pix[i : i+4*area.Dx()]
		s := src.Pix[j : j+4*area.Dx()]
		for j := 0; j+4 <= len(s); j += 4 {
			sa := uint32(s[j+3])
			if sa == 0 {
				continue
			}
			px := d[j : j+4 : j+4]
			sp := s[j : j+4 : j+4]
			a := (0xffff - sa*0x101*ma/0xffff) * 0x101
			px[0] = uint8((uint32(px[0])*a/0xffff + uint32(sp[0])*0x101*ma/0xffff) >> 8)
			px[1] = uint8((uint32(px[1])*a/0xffff + uint32(sp[1])*0x101*ma/0xffff) >> 8)
			px[2] = uint8((uint32(px[2])*a/0xffff + uint32(sp[2])*0x101*ma/0xffff) >> 8)
			px[3] = uint8((uint32(px[3])*a/0xffff + sa*0x101*ma/0xffff) >> 8)
		}
	}
}
