package tile

import (
	"image"
	"image/color"
	"math"

	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// Compositor composes the frames of a map view from cached tiles. The zero
// value is ready to use, with a transparent background. A Compositor is
// not safe for concurrent use.
//
// Frames are composed in buffers the Compositor owns and reuses: a frame
// is valid until the next call of Compose, which allocates only when the
// view's pixel size changes.
type Compositor struct {
	// Background is the colour of the parts of a frame that neither a
	// tile nor an earlier frame covers: beyond the world's edge, or before
	// the first tiles are rendered. It is premultiplied, as the pixels of
	// an image.RGBA are.
	Background color.RGBA

	frame      *image.RGBA // the buffer the next frame is composed in
	last       *image.RGBA // the last complete frame, nil before the first
	lastOrigin image.Point // the last frame's top-left pixel in its grid
	lastPixels float64     // the device pixels per world unit of its grid
	columns    []int       // fillFromLast's scratch: byte offsets of source pixels in a row
}

// Compose returns the frame for view v, v.DeviceWidth() × v.DeviceHeight()
// pixels, made of the tiles of generation gen in cache, and whether every
// tile it needs was there.
//
// Tiles are copied, not resampled: they are looked up at the view's exact
// zoom and scale, as [Covering] lists them. The place of a missing tile is
// filled from the last complete frame, moved and scaled (nearest
// neighbour) to the view, whatever its generation: the old picture stands
// in until the new tiles land. Only a complete frame becomes the new last
// complete frame.
func (c *Compositor) Compose(v viewport.Viewport, gen uint64, cache *Cache) (frame *image.RGBA, complete bool) {
	frame = c.buffer(v.DeviceWidth(), v.DeviceHeight())
	if frame.Rect.Empty() {
		return frame, true
	}
	g := newGrid(v.Zoom, v.Scale)
	view := frameRect(v, g)
	world := image.Rect(0, 0, g.world, g.world).Intersect(view)
	c.fillOutside(frame, world.Sub(view.Min))

	complete = true
	if x0, y0, x1, y1, ok := g.tilesIn(view); ok {
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				tr := image.Rect(g.edge(x), g.edge(y), g.edge(x+1), g.edge(y+1))
				visible := tr.Intersect(view)
				img, ok := cache.Get(Key{Gen: gen, Zoom: v.Zoom, X: x, Y: y, Scale: v.Scale})
				if ok && img.Rect.Size() == tr.Size() {
					copyPixels(frame, visible.Sub(view.Min), img, visible.Min.Sub(tr.Min).Add(img.Rect.Min))
					continue
				}
				complete = false
				c.fillFromLast(frame, visible.Sub(view.Min), view.Min, g.pixels)
			}
		}
	}
	if complete {
		c.frame, c.last = c.last, frame
		c.lastOrigin, c.lastPixels = view.Min, g.pixels
	}
	return frame, complete
}

// buffer returns the frame buffer, reallocated if its size is not w × h.
func (c *Compositor) buffer(w, h int) *image.RGBA {
	if c.frame == nil || c.frame.Rect.Dx() != w || c.frame.Rect.Dy() != h {
		c.frame = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	return c.frame
}

// fillOutside paints the background on the frame outside the rectangle inside.
func (c *Compositor) fillOutside(frame *image.RGBA, inside image.Rectangle) {
	b := frame.Rect
	if inside.Empty() {
		fillRect(frame, b, c.Background)
		return
	}
	fillRect(frame, image.Rect(b.Min.X, b.Min.Y, b.Max.X, inside.Min.Y), c.Background)
	fillRect(frame, image.Rect(b.Min.X, inside.Max.Y, b.Max.X, b.Max.Y), c.Background)
	fillRect(frame, image.Rect(b.Min.X, inside.Min.Y, inside.Min.X, inside.Max.Y), c.Background)
	fillRect(frame, image.Rect(inside.Max.X, inside.Min.Y, b.Max.X, inside.Max.Y), c.Background)
}

// fillFromLast paints the rectangle r of the frame, whose top-left pixel
// is origin in a grid of the given pixels per world unit, with the pixels
// of the last complete frame showing the same places, or the background
// where it showed none.
func (c *Compositor) fillFromLast(frame *image.RGBA, r image.Rectangle, origin image.Point, pixels float64) {
	last := c.last
	if last == nil {
		fillRect(frame, r, c.Background)
		return
	}
	ratio := c.lastPixels / pixels
	// source returns the last frame's pixel, along one axis, holding the
	// centre of frame pixel i; for a pan (ratio 1) it is an exact shift.
	source := func(i, origin, lastOrigin int) int {
		return int(math.Floor((float64(i+origin)+0.5)*ratio)) - lastOrigin
	}

	// The mapping is monotonic, so the columns the last frame covers are
	// the run [x0, x0+len(columns)).
	x0 := r.Max.X
	c.columns = c.columns[:0]
	for x := r.Min.X; x < r.Max.X; x++ {
		if sx := source(x, origin.X, c.lastOrigin.X); sx >= 0 && sx < last.Rect.Dx() {
			x0 = min(x0, x)
			c.columns = append(c.columns, 4*sx)
		}
	}
	x1 := x0 + len(c.columns)

	previous := -1 // the source row of the previous frame row
	for y := r.Min.Y; y < r.Max.Y; y++ {
		sy := source(y, origin.Y, c.lastOrigin.Y)
		if sy < 0 || sy >= last.Rect.Dy() || len(c.columns) == 0 {
			fillRect(frame, image.Rect(r.Min.X, y, r.Max.X, y+1), c.Background)
			previous = -1
			continue
		}
		fillRect(frame, image.Rect(r.Min.X, y, x0, y+1), c.Background)
		fillRect(frame, image.Rect(x1, y, r.Max.X, y+1), c.Background)
		dst := frame.Pix[frame.PixOffset(x0, y):][:4*len(c.columns)]
		switch {
		case sy == previous:
			copy(dst, frame.Pix[frame.PixOffset(x0, y-1):])
		case ratio == 1:
			copy(dst, last.Pix[sy*last.Stride+c.columns[0]:])
		default:
			gather(dst, last.Pix[sy*last.Stride:][:4*last.Rect.Dx()], c.columns)
		}
		previous = sy
	}
}

// gather copies to dst, in order, the pixels of the row src that start at
// the byte offsets columns.
func gather(dst, src []byte, columns []int) {
	dst = dst[:4*len(columns)]
	for n, o := range columns {
		s := src[o : o+4 : o+4]
		d := dst[4*n : 4*n+4 : 4*n+4]
		d[0], d[1], d[2], d[3] = s[0], s[1], s[2], s[3]
	}
}

// fillRect paints the rectangle r of img with one colour.
func fillRect(img *image.RGBA, r image.Rectangle, col color.RGBA) {
	if r.Empty() {
		return
	}
	first := img.Pix[img.PixOffset(r.Min.X, r.Min.Y):][:4*r.Dx()]
	first[0], first[1], first[2], first[3] = col.R, col.G, col.B, col.A
	for n := 4; n < len(first); n *= 2 {
		copy(first[n:], first[:n])
	}
	for y := r.Min.Y + 1; y < r.Max.Y; y++ {
		copy(img.Pix[img.PixOffset(r.Min.X, y):], first)
	}
}

// copyPixels copies the rectangle r of dst from src, starting at src's
// pixel sp.
func copyPixels(dst *image.RGBA, r image.Rectangle, src *image.RGBA, sp image.Point) {
	n := 4 * r.Dx()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		copy(dst.Pix[dst.PixOffset(r.Min.X, y):][:n], src.Pix[src.PixOffset(sp.X, sp.Y+y-r.Min.Y):])
	}
}
