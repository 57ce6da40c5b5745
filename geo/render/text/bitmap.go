package text

import (
	"encoding/binary"
	"image"
)

// bitmapCacheBytes bounds the cache of rendered labels: a frame shows a few
// hundred of a few kilobytes each, so this keeps several frames' worth.
const bitmapCacheBytes = 6 << 20

// bitmapKey identifies a rendered label. path is empty for straight labels
// and encodes the glyph placement of labels along a line.
type bitmapKey struct {
	text  string
	style styleKey
	path  string
}

var bitmaps = newLRU(bitmapCacheBytes, func(k bitmapKey, b *Bitmap) int64 {
	return int64(len(k.text)+len(k.path)+len(b.pix)) + int64(cap(b.runs))*24 + int64(cap(b.rowStart))*8 + 128
})

// Bitmap is a pre-rendered label: premultiplied RGBA of the text over its
// halo. Its pixel coordinates are relative to an origin: the top-left corner
// of the layout box for Render, PathLayout.Origin for text along a line.
// A Bitmap is immutable and may be drawn from several goroutines at once.
//
// Only the non-transparent pixels are kept, run by run: about half of a
// label's box is transparent, and drawing a frame is bound by memory
// traffic, so skipping them and reading the rest sequentially is what makes
// blitting fast.
type Bitmap struct {
	bounds image.Rectangle
	// runs are the spans of non-transparent pixels row by row: those of
	// row y are runs[rowStart[y-bounds.Min.Y]:rowStart[y-bounds.Min.Y+1]].
	runs     []run
	rowStart []int
	// pix holds the pixels of the runs, one after the other.
	pix []byte
}

// run is a span [from, to) of a row of pixels (x relative to the bitmap's
// origin) whose premultiplied RGBA starts at pix[offset].
type run struct{ from, to, offset int }

// Render returns the bitmap of s in style st at the given device scale, with
// wrapped lines centred on each other. Bitmaps are cached, so rendering a
// label again is a map look-up.
func Render(s string, st Style, scale float64) *Bitmap {
	key := bitmapKey{text: s, style: st.key(scale)}
	if b, ok := bitmaps.get(key); ok {
		return b
	}
	l := layoutOf(s, st, scale)
	return bitmaps.add(key, renderGlyphs(l.glyphs, l.ppem, st, scale))
}

// Bounds returns the pixels the bitmap covers, relative to its origin. The
// halo and the glyphs' overhang may reach a little beyond the layout box.
func (b *Bitmap) Bounds() image.Rectangle {
	return b.bounds
}

// Draw composites the bitmap over dst (source-over) with its origin at the
// pixel origin; parts outside dst are clipped.
func (b *Bitmap) Draw(dst *image.RGBA, origin image.Point) {
	clip := b.bounds.Add(origin).Intersect(dst.Rect)
	if clip.Empty() {
		return
	}
	for y := clip.Min.Y; y < clip.Max.Y; y++ {
		row := y - origin.Y - b.bounds.Min.Y
		for _, r := range b.runs[b.rowStart[row]:b.rowStart[row+1]] {
			x0, x1 := max(clip.Min.X, origin.X+r.from), min(clip.Max.X, origin.X+r.to)
			if x0 >= x1 {
				continue
			}
			s := b.pix[r.offset+4*(x0-origin.X-r.from):][:4*(x1-x0)]
			blendRow(dst.Pix[dst.PixOffset(x0, y):][:len(s)], s)
		}
	}
}

// blendRow composites premultiplied RGBA pixels s over d (source-over).
// It has no branches: with k = 255-alpha the same arithmetic copies opaque
// pixels exactly and leaves transparent ones alone, and halo and glyph edges
// alternate too irregularly for branches to predict.
func blendRow(d, s []byte) {
	d = d[:len(s)]
	for i := 0; i+4 <= len(s); i += 4 {
		sv := binary.LittleEndian.Uint32(s[i:])
		dv := binary.LittleEndian.Uint32(d[i:])
		binary.LittleEndian.PutUint32(d[i:], sv+scale255(dv, 255-sv>>24))
	}
}

// scale255 multiplies the four 8-bit channels packed in c by k/255 (k ≤
// 255), rounding, two channels per multiplication.
func scale255(c, k uint32) uint32 {
	const lanes = 0x00ff00ff
	rb := (c&lanes)*k + 0x00800080
	rb = (rb + (rb>>8)&lanes) >> 8 & lanes
	ga := (c>>8&lanes)*k + 0x00800080
	ga = (ga + (ga>>8)&lanes) &^ lanes
	return rb | ga
}
