// Package highlight draws marked features above the map (a selection,
// the answers to a question, an outline being compared) as an overlay of
// the map view, without rendering a tile again.
//
// An [Overlay] renders its picture for a view in the background
// (render.Highlight) and the map composes the finished picture over its
// frames. While the picture of a new view is being drawn the old one
// stands in, moved with the pan; after a zoom it waits for the new one.
// Composing costs a copy of the marked pixels only, a few milliseconds
// at most for a full-HD frame.
package highlight

import (
	"context"
	"image"
	"image/draw"
	"math"

	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/async"
	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// Marks returns the marks to draw at a zoom; a point's mark carries the
// radius of the symbol the map draws at that zoom (query.Engine.Marks).
// It runs off the UI goroutine.
type Marks func(zoom float64) []render.Mark

// Overlay is a highlight over a map view. Create it with [New] and set it
// on the view with [mapview.View.SetOverlay]; its methods are called on
// the UI goroutine.
type Overlay struct {
	view  *mapview.View
	style render.HighlightStyle
	marks Marks

	worker  async.Latest
	wanted  viewport.Viewport // the view whose picture was last asked for
	asked   bool
	picture *image.RGBA // the newest finished picture, nil before the first
	drawn   viewport.Viewport
	area    image.Rectangle // the picture's pixels that are not transparent
}

// New returns an overlay of v drawing marks in a highlight style. Like
// the view, it works synchronously when the view renders immediately.
func New(v *mapview.View, hs render.HighlightStyle, marks Marks) *Overlay {
	return &Overlay{view: v, style: hs, marks: marks, worker: async.Latest{Immediate: v.Immediate()}}
}

// Declare conformity with the map's overlay interface.
var _ mapview.Overlay = (*Overlay)(nil)

// Draw composes the picture of vp onto the frame dst, or the last one
// moved to it, and asks for the picture of vp if it does not have it.
func (o *Overlay) Draw(dst *image.RGBA, vp viewport.Viewport) {
	picture, drawn, area := o.picture, o.drawn, o.area
	if !o.asked || o.wanted != vp {
		o.ask(vp)
		if o.worker.Immediate {
			picture, drawn, area = o.picture, o.drawn, o.area
		}
	}
	if picture == nil {
		return
	}
	shift, ok := offset(drawn, vp)
	if !ok {
		return
	}
	area = area.Add(shift).Intersect(dst.Rect)
	if area.Empty() {
		return
	}
	draw.Draw(dst, area, picture, area.Min.Sub(shift), draw.Over)
}

// ask starts drawing the picture of vp.
func (o *Overlay) ask(vp viewport.Viewport) {
	o.wanted, o.asked = vp, true
	if vp.DeviceWidth() <= 0 || vp.DeviceHeight() <= 0 {
		return
	}
	marks, hs, immediate := o.marks, o.style, o.worker.Immediate
	o.worker.Run(func(ctx context.Context) func() {
		img, err := render.Highlight(ctx, vp, marks(vp.Zoom), hs)
		if err != nil {
			return nil
		}
		area := opaqueArea(img)
		return func() {
			o.picture, o.drawn, o.area = img, vp, area
			if !immediate {
				o.view.Refresh()
			}
		}
	})
}

// Close stops a picture being drawn; the view should no longer draw the
// overlay.
func (o *Overlay) Close() { o.worker.Stop() }

// Wait blocks until the picture asked for last has been drawn (tests).
func (o *Overlay) Wait() { o.worker.Wait() }

// offset returns how far, in device pixels, the picture of view from
// moves to stand in for view to: it must be of the same zoom, scale and
// size, else ok is false.
func offset(from, to viewport.Viewport) (shift image.Point, ok bool) {
	if from.Zoom != to.Zoom || from.Scale != to.Scale || from.Width != to.Width || from.Height != to.Height {
		return image.Point{}, false
	}
	if from.Center == to.Center {
		return image.Point{}, true
	}
	p := to.ToPixel(from.Center)
	d := orb.Point{p[0] - from.Width/2, p[1] - from.Height/2}
	return image.Pt(int(math.Round(d[0]*to.Scale)), int(math.Round(d[1]*to.Scale))), true
}

// opaqueArea returns the smallest rectangle holding every pixel of img
// that is not transparent.
func opaqueArea(img *image.RGBA) image.Rectangle {
	r := img.Rect
	minX, minY, maxX, maxY := r.Max.X, r.Max.Y, r.Min.X, r.Min.Y
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[(y-r.Min.Y)*img.Stride : (y-r.Min.Y)*img.Stride+4*r.Dx()]
		first := -1
		for x := 3; x < len(row); x += 4 {
			if row[x] != 0 {
				first = x / 4
				break
			}
		}
		if first < 0 {
			continue
		}
		last := first
		for x := len(row) - 1; x > 4*first; x -= 4 {
			if row[x] != 0 {
				last = x / 4
				break
			}
		}
		minX, maxX = min(minX, r.Min.X+first), max(maxX, r.Min.X+last+1)
		minY, maxY = min(minY, y), max(maxY, y+1)
	}
	if minX >= maxX {
		return image.Rectangle{}
	}
	return image.Rect(minX, minY, maxX, maxY)
}
