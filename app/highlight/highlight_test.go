package highlight_test

import (
	"context"
	"image"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/highlight"
	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

var loadAtlas = sync.OnceValues(func() (*atlas.Atlas, error) {
	return atlas.LoadDefault(context.Background())
})

// newView returns a map view in a 400×300 test window, rendering in the
// background unless immediate.
func newView(t *testing.T, opts ...mapview.Option) (*mapview.View, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	at, err := loadAtlas()
	if err != nil {
		t.Fatal(err)
	}
	v := mapview.New(at, at.Style.Clone(), opts...)
	t.Cleanup(v.Close)
	w := test.NewTempWindow(t, v)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(400, 300))
	return v, w
}

// changed counts the pixels that differ between two captures.
func changed(a, b image.Image) int {
	n := 0
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				n++
			}
		}
	}
	return n
}

func TestOverlay_drawsTheMarksWithoutRenderingTiles(t *testing.T) {
	v, w := newView(t, mapview.WithImmediateRendering())
	centre := orb.Point{77.3, 42.45}
	v.SetViewport(viewport.New(centre, 7, 0, 0, 1))
	before := w.Canvas().Capture()
	tiles := v.TilesRendered()
	square := orb.Ring{{77, 42.3}, {77.6, 42.3}, {77.6, 42.6}, {77, 42.6}, {77, 42.3}}
	o := highlight.New(v, render.SelectionHighlight, func(float64) []render.Mark {
		return []render.Mark{{Geometry: orb.Polygon{square}}}
	})
	v.SetOverlay("test", o)
	after := w.Canvas().Capture()
	if changed(before, after) < 100 {
		t.Error("the highlight is not drawn")
	}
	if v.TilesRendered() != tiles {
		t.Errorf("the highlight rendered %d tiles", v.TilesRendered()-tiles)
	}
	v.SetOverlay("test", nil)
	if changed(before, w.Canvas().Capture()) != 0 {
		t.Error("the highlight stays after its removal")
	}
}

func TestOverlay_drawsInTheBackgroundAndFollowsAPan(t *testing.T) {
	v, _ := newView(t)
	o := highlight.New(v, render.SelectionHighlight, func(float64) []render.Mark {
		return []render.Mark{{Geometry: orb.Point{77.3, 42.45}, Radius: 6}}
	})
	vp := viewport.New(orb.Point{77.3, 42.45}, 7, 400, 300, 1)
	frame := image.NewRGBA(image.Rect(0, 0, 400, 300))
	o.Draw(frame, vp) // asks for the picture
	o.Wait()
	o.Draw(frame, vp)
	ring := opaque(frame)
	if ring.Empty() || !ring.Overlaps(image.Rect(190, 140, 210, 160)) {
		t.Fatalf("the highlight of the centre point covers %v, want the centre", ring)
	}
	// Panned by 25 pixels, the old picture stands in, moved, until the
	// new one is ready.
	panned := image.NewRGBA(frame.Rect)
	o.Draw(panned, vp.Pan(25, 0))
	if got := opaque(panned); got != ring.Add(image.Pt(25, 0)) {
		t.Errorf("after a pan of 25 pixels the highlight covers %v, want %v", got, ring.Add(image.Pt(25, 0)))
	}
	o.Wait()
}

// opaque returns the bound of the pixels of img that are not transparent.
func opaque(img *image.RGBA) image.Rectangle {
	var r image.Rectangle
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			if img.RGBAAt(x, y).A != 0 {
				r = r.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return r
}
