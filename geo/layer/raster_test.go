package layer_test

import (
	"image"
	"math"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/layer"
)

func TestParseWorldFile(t *testing.T) {
	wf, err := layer.ParseWorldFile(strings.NewReader("0.0333333333333\n0\n0\n-0.0333333333333\n44.0166666666667\n56.9833333333333\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := layer.NewRelief(image.NewGray(image.Rect(0, 0, 1380, 720)), wf)
	for i, want := range []float64{44, 33, 90, 57} {
		got := []float64{r.Bound.Min[0], r.Bound.Min[1], r.Bound.Max[0], r.Bound.Max[1]}[i]
		if math.Abs(got-want) > 1e-6 {
			t.Errorf("bound edge %d = %v, want %v", i, got, want)
		}
	}
	for name, bad := range map[string]string{
		"five values": "1\n0\n0\n-1\n5\n",
		"rotated":     "1\n0.1\n0\n-1\n5\n5\n",
		"not number":  "1\n0\n0\nx\n5\n5\n",
		"north up":    "1\n0\n0\n1\n5\n5\n",
	} {
		if _, err := layer.ParseWorldFile(strings.NewReader(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestRelief_At_interpolates(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 2, 1))
	g.Pix[0], g.Pix[1] = 100, 200
	r := layer.NewRelief(g, layer.WorldFile{PixelWidth: 1, PixelHeight: -1, X: 0.5, Y: 0.5})
	for lon, want := range map[float64]float64{0.5: 100, 1.0: 150, 1.5: 200, 0.1: 100} {
		if v, ok := r.At(lon, 0.5); !ok || math.Abs(v-want) > 1e-9 {
			t.Errorf("At(%v) = %v, %v; want %v", lon, v, ok, want)
		}
	}
	if _, ok := r.At(3, 0.5); ok {
		t.Error("a point outside the raster was sampled")
	}
}

func TestNewRelief_ignoresTransparency(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 2, 1))
	img.Pix = []uint8{240, 240, 240, 0, 100, 100, 100, 255}
	r := layer.NewRelief(img, layer.WorldFile{PixelWidth: 1, PixelHeight: -1, X: 0.5, Y: 0.5})
	if got := r.Pix.Pix; got[0] != 240 || got[1] != 100 {
		t.Errorf("grey values %v, want [240 100]: a transparent pixel keeps its grey", got)
	}
}
