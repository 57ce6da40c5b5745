package sketch_test

import (
	"image"
	"testing"

	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/sketch"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// alphaAt returns the alpha of a pixel.
func alphaAt(img *image.RGBA, x, y int) uint8 { return img.RGBAAt(x, y).A }

func TestSketch_drawsWhereTheMapPutsThePoints(t *testing.T) {
	for _, scale := range []float64{1, 2} {
		vp := viewport.New(orb.Point{70, 42}, 8, 200, 100, scale)
		img := image.NewRGBA(image.Rect(0, 0, vp.DeviceWidth(), vp.DeviceHeight()))
		s := sketch.New(img, vp)
		a, b := vp.FromPixel(orb.Point{20, 50}), vp.FromPixel(orb.Point{180, 50})
		s.Line([]orb.Point{a, b}, false, 3, sketch.Ink, false)
		s.Dot(vp.FromPixel(orb.Point{100, 20}), 8, sketch.Ink)

		k := int(scale)
		if got := img.RGBAAt(100*k, 50*k); got.R < 0xf0 || got.G < 0x60 || got.G > 0x80 {
			t.Errorf("scale %v: the line's middle is %v, want the ink", scale, got)
		}
		if alphaAt(img, 100*k, 20*k) != 0xff {
			t.Errorf("scale %v: the dot is not drawn at its point", scale)
		}
		if alphaAt(img, 100*k, 80*k) != 0 || alphaAt(img, 5*k, 50*k) != 0 {
			t.Errorf("scale %v: the sketch drew away from its shapes", scale)
		}
	}
}

func TestSketch_areaPinAndLabel(t *testing.T) {
	vp := viewport.New(orb.Point{70, 42}, 8, 200, 100, 1)
	img := image.NewRGBA(image.Rect(0, 0, 200, 100))
	s := sketch.New(img, vp)
	ring := []orb.Point{vp.FromPixel(orb.Point{10, 10}), vp.FromPixel(orb.Point{60, 10}), vp.FromPixel(orb.Point{60, 60}), vp.FromPixel(orb.Point{10, 60})}
	s.Area(ring, sketch.Wash)
	s.Pin(vp.FromPixel(orb.Point{120, 80}))
	s.Label(vp.FromPixel(orb.Point{120, 30}), "12.5 km", 6, -8)

	if a := alphaAt(img, 35, 35); a == 0 || a == 0xff {
		t.Errorf("the area's inside has alpha %d, want a translucent wash", a)
	}
	if alphaAt(img, 120, 64) != 0xff {
		t.Error("the pin's head is not drawn above its point")
	}
	var ink int
	for y := 20; y < 40; y++ {
		for x := 124; x < 190; x++ {
			if alphaAt(img, x, y) > 0 {
				ink++
			}
		}
	}
	if ink < 100 {
		t.Errorf("the label left %d pixels, want its letters", ink)
	}
}
