package mapview

import (
	"image"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/tile"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// viewRenderer shows a View as one raster, composed frame by frame from
// cached tiles.
type viewRenderer struct {
	view   *View
	raster *canvas.Raster

	compositor tile.Compositor
	out        *image.RGBA // the frame handed to the canvas, reused
}

// Declare conformity with the WidgetRenderer interface.
var _ fyne.WidgetRenderer = (*viewRenderer)(nil)

func (r *viewRenderer) Layout(size fyne.Size) {
	r.raster.Resize(size)
	r.view.resized(size)
}

func (r *viewRenderer) MinSize() fyne.Size { return r.view.MinSize() }

func (r *viewRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.raster} }

func (r *viewRenderer) Refresh() { r.raster.Refresh() }

func (r *viewRenderer) Destroy() {}

// draw is the raster's generator, called on the UI goroutine with the
// raster's size in device pixels. It never renders a tile nor places a
// label: it asks the scheduler for the tiles of the view, composes what
// the cache holds (the compositor fills the gaps from the previous frame)
// and draws on top the labels the labeller has placed, then the overlays.
func (r *viewRenderer) draw(w, h int) image.Image {
	v := r.view
	if r.out == nil || r.out.Rect.Dx() != w || r.out.Rect.Dy() != h {
		r.out = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	if w <= 0 || h <= 0 {
		return r.out
	}
	vp := v.frameViewport(w, h)
	c := v.content.Load()
	keys := tile.Covering(vp, c.gen)
	v.growCache(keys)
	if !v.animating {
		// During an animation the scheduler keeps working on the tiles of
		// its destination, requested when it started.
		v.scheduler.Request(keys, v.tileReady)
	}
	r.compositor.Background = premultiplied(c.scene())
	frame, complete := r.compositor.Compose(vp, c.gen, v.cache)
	// The compositor keeps complete frames as stand-ins for later ones,
	// so the labels go on a copy.
	copy(r.out.Pix, frame.Pix)
	// Labels are placed for where the view stops, not for every frame of
	// an animation, which shows the labels it can move.
	v.labels.draw(r.out, c.scene(), vp, !v.animating)
	v.drawOverlays(r.out, vp)

	if complete && len(keys) > 0 && !v.firstFrameDone {
		v.firstFrameDone = true
		if v.OnFirstFrame != nil {
			v.do(v.OnFirstFrame)
		}
	}
	return r.out
}

// frameViewport returns the view for a frame of w×h device pixels,
// recording the device scale it implies.
func (v *View) frameViewport(w, h int) viewport.Viewport {
	scale := 1.0
	if width := v.Size().Width; width > 0 {
		scale = float64(w) / float64(width)
	}
	v.vp.Scale = scale
	vp := v.vp
	vp.Width, vp.Height = float64(w)/scale, float64(h)/scale
	return vp
}

// premultiplied returns a scene's background as the compositor wants it.
func premultiplied(sc *render.Scene) color.RGBA {
	return color.RGBAModel.Convert(sc.Background).(color.RGBA)
}
