package highlight

import (
	"image"
	"image/color"
	"testing"

	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

func TestOpaqueArea(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	if got := opaqueArea(img); !got.Empty() {
		t.Errorf("a transparent picture's area is %v, want empty", got)
	}
	img.SetRGBA(5, 7, color.RGBA{0, 0, 0, 1})
	img.SetRGBA(31, 20, color.RGBA{9, 9, 9, 255})
	if got, want := opaqueArea(img), image.Rect(5, 7, 32, 21); got != want {
		t.Errorf("opaqueArea = %v, want %v", got, want)
	}
}

func TestOffset_movesWithAPanOnly(t *testing.T) {
	from := viewport.New(orb.Point{70, 42}, 6, 800, 600, 2)
	to := from.Pan(30, -12)
	shift, ok := offset(from, to)
	if !ok || shift != image.Pt(60, -24) {
		t.Errorf("a pan of (30, −12) logical pixels at scale 2 moves the picture by %v (%t), want (60, −24)", shift, ok)
	}
	if _, ok := offset(from, to.ZoomAt(orb.Point{400, 300}, 0.5)); ok {
		t.Error("a picture stands in for a view of another zoom")
	}
}
