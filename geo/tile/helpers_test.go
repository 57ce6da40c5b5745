package tile_test

import (
	"image"
	"image/color"
	"math"
	"testing"
	"time"

	"github.com/ecoatlas/ecoatlas/geo/mercator"
	"github.com/ecoatlas/ecoatlas/geo/tile"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// tileColour is the colour test tiles are painted with: distinct for
// every tile within 256 columns and rows of each other.
func tileColour(x, y int) color.RGBA {
	return color.RGBA{R: uint8(x), G: uint8(y), B: 0x80, A: 0xff}
}

// solid returns an image of the tile's size in one colour.
func solid(k tile.Key, col color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rectangle{Max: k.PixelRect().Size()})
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = col.R, col.G, col.B, col.A
	}
	return img
}

// fill adds every tile of the view to the cache, each in its tileColour.
func fill(cache *tile.Cache, v viewport.Viewport, gen uint64) {
	for _, k := range tile.Covering(v, gen) {
		cache.Add(k, solid(k, tileColour(k.X, k.Y)))
	}
}

// viewOrigin returns the device pixel of the view's top-left corner in the
// pixel grid of its zoom and scale, computed from the package's contract.
func viewOrigin(v viewport.Viewport) image.Point {
	pixels := 256 * math.Exp2(v.Zoom) * v.Scale
	c := mercator.Project(v.Center)
	return image.Pt(int(math.Round(c[0]*pixels-v.Width*v.Scale/2)), int(math.Round(c[1]*pixels-v.Height*v.Scale/2)))
}

// receive returns the next value from ch, failing the test if none comes
// within a generous deadline rather than hanging it.
func receive[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("timed out waiting on a channel")
	}
	var zero T
	return zero
}
