package raster

import (
	"image"
	"math"

	"golang.org/x/image/draw"

	"github.com/ecoatlas/ecoatlas/geo/render/text"
)

// Blend says how an image drawn with DrawImage combines with what is
// below it.
type Blend uint8

const (
	// BlendNormal composites the image source-over.
	BlendNormal Blend = iota
	// BlendMultiply multiplies the colours below by the image's, as a
	// shaded relief darkens the map under it (the separable "multiply"
	// of PDF and CSS compositing).
	BlendMultiply
)

// DrawImage draws img scaled, bilinearly, onto the rectangle r (device
// pixels, snapped to whole pixels), combined with what is below by blend.
func (c *Canvas) DrawImage(img image.Image, r Rect, blend Blend) {
	area := image.Rect(int(math.Round(r.MinX)), int(math.Round(r.MinY)), int(math.Round(r.MaxX)), int(math.Round(r.MaxY)))
	dst := c.target()
	visible := area.Intersect(dst.Rect)
	if visible.Empty() {
		return
	}
	// The whole image is scaled onto the whole area, then the visible
	// part composited.
	scaled := image.NewRGBA(area)
	draw.BiLinear.Scale(scaled, area, img, img.Bounds(), draw.Src, nil)
	for y := visible.Min.Y; y < visible.Max.Y; y++ {
		s := scaled.Pix[scaled.PixOffset(visible.Min.X, y):][:4*visible.Dx()]
		d := dst.Pix[dst.PixOffset(visible.Min.X, y):][:4*visible.Dx()]
		if blend == BlendMultiply {
			multiplyRow(d, s)
		} else {
			overRow(d, s)
		}
	}
	c.touch(visible)
}

// overRow composites a row of premultiplied pixels s source-over onto d.
func overRow(d, s []uint8) {
	for i := 0; i+3 < len(s); i += 4 {
		k := 255 - uint32(s[i+3])
		for ch := range 4 {
			d[i+ch] = uint8(uint32(s[i+ch]) + (uint32(d[i+ch])*k+127)/255)
		}
	}
}

// multiplyRow blends a row of premultiplied pixels s onto d with the
// multiply mode: s·d + s·(1 − αd) + d·(1 − αs) per channel.
func multiplyRow(d, s []uint8) {
	for i := 0; i+3 < len(s); i += 4 {
		sa, da := uint32(s[i+3]), uint32(d[i+3])
		for ch := range 3 {
			sc, dc := uint32(s[i+ch]), uint32(d[i+ch])
			d[i+ch] = uint8(min((sc*dc+sc*(255-da)+dc*(255-sa)+127)/255, 255))
		}
		d[i+3] = uint8(sa + (da*(255-sa)+127)/255)
	}
}

// Text draws a run of text: its bitmap, from the text package's cache.
func (c *Canvas) Text(r text.Run) {
	b, at := r.Bitmap()
	c.DrawBitmap(b, at)
}

// ShapePath sets p to the outline of a symbol shape of a size centred at
// (x, y), as the canvas draws it: vector back ends draw symbols from the
// same outlines.
func ShapePath(p *Path, shape Shape, x, y, size float64) {
	shapePath(p, shape, x, y, size)
}
