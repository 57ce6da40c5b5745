package imgtest_test

import (
	"image"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/imgtest"
)

func TestDiff(t *testing.T) {
	base := image.NewRGBA(image.Rect(0, 0, 100, 100))
	for name, tc := range map[string]struct {
		change func(*image.RGBA)
		want   string
	}{
		"identical":           {func(*image.RGBA) {}, ""},
		"small everywhere":    {func(m *image.RGBA) { addAll(m, 4) }, ""},
		"large on a few":      {func(m *image.RGBA) { m.Pix[0] = 200 }, ""},
		"medium on many":      {func(m *image.RGBA) { addAll(m, 10) }, "differ"},
		"missing small label": {func(m *image.RGBA) { paint(m, image.Rect(10, 10, 30, 16)) }, "differ"},
	} {
		t.Run(name, func(t *testing.T) {
			got := image.NewRGBA(base.Rect)
			tc.change(got)
			msg := imgtest.Diff(got, base)
			if (tc.want == "") != (msg == "") || !strings.Contains(msg, tc.want) {
				t.Errorf("Diff = %q, want it to contain %q", msg, tc.want)
			}
		})
	}
	if msg := imgtest.Diff(image.NewRGBA(image.Rect(0, 0, 3, 3)), base); !strings.Contains(msg, "size") {
		t.Errorf("a size change gave %q", msg)
	}
}

func addAll(m *image.RGBA, d uint8) {
	for i := range m.Pix {
		m.Pix[i] += d
	}
}

func paint(m *image.RGBA, r image.Rectangle) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			i := m.PixOffset(x, y)
			copy(m.Pix[i:i+4], []uint8{255, 255, 255, 255})
		}
	}
}
