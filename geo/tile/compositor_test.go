package tile_test

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/tile"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

var background = color.RGBA{R: 0xf2, G: 0xef, B: 0xe9, A: 0xff}

// corner is a 960×540 view at zoom 8 whose top-left corner is at world
// pixel (182·256 + 100.25, 94·256 + 30.25): tile 8/182/94 starts 100
// pixels left of the frame and 30 above it.
var corner = viewAt(182*256+100.25+480, 94*256+30.25+270, 8, 960, 540, 1)

func TestCompose_tileLandsAtItsOffset(t *testing.T) {
	cache := tile.NewCache(1 << 30)
	fill(cache, corner, 1)
	c := tile.Compositor{Background: background}
	frame, complete := c.Compose(corner, 1, cache)
	if !complete {
		t.Fatal("frame incomplete with every tile cached")
	}
	if frame.Rect != image.Rect(0, 0, 960, 540) {
		t.Fatalf("frame %v, want 960×540", frame.Rect)
	}
	for name, tc := range map[string]struct {
		x, y int
		want color.RGBA
	}{
		"last pixel of 182/94":  {155, 225, tileColour(182, 94)},
		"first pixel of 183/94": {156, 225, tileColour(183, 94)},
		"first pixel of 182/95": {155, 226, tileColour(182, 95)},
		"first pixel of 183/95": {156, 226, tileColour(183, 95)},
		"top-left":              {0, 0, tileColour(182, 94)},
		"bottom-right":          {959, 539, tileColour(186, 96)},
	} {
		t.Run(name, func(t *testing.T) {
			if got := frame.RGBAAt(tc.x, tc.y); got != tc.want {
				t.Errorf("pixel (%d, %d) = %v, want %v", tc.x, tc.y, got, tc.want)
			}
		})
	}
}

func TestCompose_everyPixelFromItsTile(t *testing.T) {
	for name, v := range map[string]viewport.Viewport{
		"integer zoom":               corner,
		"fractional zoom":            viewAt(233.7*256, 121.2*256, 8.43, 800, 600, 1),
		"HiDPI, fractional zoom":     viewAt(233.7*256, 121.2*256, 8.43, 800, 600, 2),
		"odd scale, fractional zoom": viewAt(233.7*256, 121.2*256, 8.43, 800, 600, 1.3),
	} {
		t.Run(name, func(t *testing.T) {
			cache := tile.NewCache(1 << 30)
			fill(cache, v, 1)
			var c tile.Compositor
			frame, complete := c.Compose(v, 1, cache)
			if !complete {
				t.Fatal("frame incomplete with every tile cached")
			}
			origin := viewOrigin(v)
			for _, k := range tile.Covering(v, 1) {
				r := k.PixelRect().Sub(origin).Intersect(frame.Rect)
				want := tileColour(k.X, k.Y)
				for y := r.Min.Y; y < r.Max.Y; y++ {
					for x := r.Min.X; x < r.Max.X; x++ {
						if got := frame.RGBAAt(x, y); got != want {
							t.Fatalf("pixel (%d, %d) = %v, want %v of %v", x, y, got, want, k)
						}
					}
				}
			}
		})
	}
}

func TestCompose_beyondTheWorldIsBackground(t *testing.T) {
	v := viewAt(512, 512, 2, 2000, 1600, 1) // the world is 1024 pixels, at (488, 288)
	cache := tile.NewCache(1 << 30)
	fill(cache, v, 1)
	c := tile.Compositor{Background: background}
	frame, complete := c.Compose(v, 1, cache)
	if !complete {
		t.Fatal("frame incomplete with every tile cached")
	}
	for _, p := range []image.Point{{487, 1000}, {1512, 1000}, {1000, 287}, {1000, 1312}, {0, 0}, {1999, 1599}} {
		if got := frame.RGBAAt(p.X, p.Y); got != background {
			t.Errorf("pixel %v beyond the world = %v, want the background", p, got)
		}
	}
	for p, want := range map[image.Point]color.RGBA{{488, 288}: tileColour(0, 0), {1511, 1311}: tileColour(3, 3)} {
		if got := frame.RGBAAt(p.X, p.Y); got != want {
			t.Errorf("pixel %v = %v, want %v", p, got, want)
		}
	}
}

func TestCompose_nothingRenderedIsBackground(t *testing.T) {
	c := tile.Compositor{Background: background}
	frame, complete := c.Compose(corner, 1, tile.NewCache(1<<30))
	if complete {
		t.Error("frame complete with no tile cached")
	}
	for y := range frame.Rect.Dy() {
		for x := range frame.Rect.Dx() {
			if got := frame.RGBAAt(x, y); got != background {
				t.Fatalf("pixel (%d, %d) = %v, want the background", x, y, got)
			}
		}
	}
}

func TestCompose_missingTileFilledFromPannedLastFrame(t *testing.T) {
	cache := tile.NewCache(1 << 30)
	fill(cache, corner, 1)
	c := tile.Compositor{Background: background}
	first, _ := c.Compose(corner, 1, cache)
	last := image.NewRGBA(first.Rect)
	copy(last.Pix, first.Pix)

	const dx, dy = 40, -24
	panned := corner.Pan(dx, dy)
	frame, complete := c.Compose(panned, 2, cache) // generation 2: no tile cached
	if complete {
		t.Fatal("frame complete with no tile of its generation cached")
	}
	for y := range frame.Rect.Dy() {
		for x := range frame.Rect.Dx() {
			want := background
			if p := image.Pt(x-dx, y-dy); p.In(last.Rect) {
				want = last.RGBAAt(p.X, p.Y)
			}
			if got := frame.RGBAAt(x, y); got != want {
				t.Fatalf("pixel (%d, %d) = %v, want %v", x, y, got, want)
			}
		}
	}
}

func TestCompose_missingTileFilledFromScaledLastFrame(t *testing.T) {
	for name, dz := range map[string]float64{"zoom in": 1, "zoom in a little": 0.3, "zoom out": -1} {
		t.Run(name, func(t *testing.T) {
			cache := tile.NewCache(1 << 30)
			fill(cache, corner, 1)
			c := tile.Compositor{Background: background}
			c.Compose(corner, 1, cache)

			zoomed := corner.ZoomAt(orb.Point{480, 270}, dz)
			frame, complete := c.Compose(zoomed, 2, cache)
			if complete {
				t.Fatal("frame complete with no tile of its generation cached")
			}
			// Each pixel shows the zoom 8 tile under its centre, or the
			// background outside the first frame; pixels within two of an
			// edge are left out to allow for rounding.
			rng := rand.New(rand.NewPCG(1, 2))
			origin, firstOrigin := viewOrigin(zoomed), viewOrigin(corner)
			shrink := math.Exp2(-dz)
			for range 5000 {
				x, y := rng.IntN(frame.Rect.Dx()), rng.IntN(frame.Rect.Dy())
				wx := (float64(x+origin.X) + 0.5) * shrink // pixel centre at zoom 8
				wy := (float64(y+origin.Y) + 0.5) * shrink
				fx, fy := wx-float64(firstOrigin.X), wy-float64(firstOrigin.Y) // in the first frame
				if nearEdge(wx, 256) || nearEdge(wy, 256) || nearEdge(fx, 960) || nearEdge(fy, 540) {
					continue
				}
				want := tileColour(int(wx)/256, int(wy)/256)
				if fx < 0 || fx >= 960 || fy < 0 || fy >= 540 {
					want = background
				}
				if got := frame.RGBAAt(x, y); got != want {
					t.Fatalf("pixel (%d, %d) = %v, want %v", x, y, got, want)
				}
			}
		})
	}
}

// nearEdge reports whether v is within two pixels of a multiple of period.
func nearEdge(v, period float64) bool {
	d := math.Mod(v, period)
	return d < 2 || d > period-2
}

func TestCompose_onlyCompleteFramesAreReused(t *testing.T) {
	cache := tile.NewCache(1 << 30)
	fill(cache, corner, 1)
	c := tile.Compositor{Background: background}
	first, _ := c.Compose(corner, 1, cache)
	last := image.NewRGBA(first.Rect)
	copy(last.Pix, first.Pix)

	// An incomplete frame of generation 2 with one new, white tile.
	white := color.RGBA{0xff, 0xff, 0xff, 0xff}
	k := tile.Key{Gen: 2, Zoom: 8, X: 183, Y: 95, Scale: 1}
	cache.Add(k, solid(k, white))
	partial, complete := c.Compose(corner, 2, cache)
	if complete {
		t.Fatal("frame complete with one tile of its generation cached")
	}
	if got := partial.RGBAAt(156, 226); got != white {
		t.Fatalf("the cached tile's first pixel = %v, want white", got)
	}
	// A frame of generation 3 must fall back on the complete first frame.
	frame, _ := c.Compose(corner, 3, cache)
	for y := range frame.Rect.Dy() {
		for x := range frame.Rect.Dx() {
			if got, want := frame.RGBAAt(x, y), last.RGBAAt(x, y); got != want {
				t.Fatalf("pixel (%d, %d) = %v, want %v from the last complete frame", x, y, got, want)
			}
		}
	}
}

func TestCompose_reusesItsBuffers(t *testing.T) {
	v := viewAt(182.5*256, 94.5*256, 8, 1920, 1080, 1)
	cache := tile.NewCache(1 << 30)
	fill(cache, v, 1)
	var c tile.Compositor
	c.Compose(v, 1, cache)
	c.Compose(v, 1, cache)
	if allocs := testing.AllocsPerRun(10, func() { c.Compose(v, 1, cache) }); allocs != 0 {
		t.Errorf("%v allocations per frame of unchanged size, want 0", allocs)
	}
}

func TestCompose_emptyView(t *testing.T) {
	var c tile.Compositor
	frame, complete := c.Compose(viewAt(0, 0, 8, 0, 0, 1), 1, tile.NewCache(1<<30))
	if !frame.Rect.Empty() || !complete {
		t.Errorf("frame %v, complete %v; want an empty, complete frame", frame.Rect, complete)
	}
}

func BenchmarkCompose_warm(b *testing.B) {
	v := viewAt(182.5*256+0.25, 94.5*256+0.25, 8, 1920, 1080, 1)
	cache := tile.NewCache(1 << 30)
	fill(cache, v, 1)
	var c tile.Compositor
	for b.Loop() {
		if _, complete := c.Compose(v, 1, cache); !complete {
			b.Fatal("incomplete frame")
		}
	}
}

func BenchmarkCompose_fallback(b *testing.B) {
	v := viewAt(182.5*256+0.25, 94.5*256+0.25, 8, 1920, 1080, 1)
	for name, next := range map[string]viewport.Viewport{
		"zoom": v.ZoomAt(orb.Point{700, 400}, 0.5),
		"pan":  v.Pan(37, -21),
	} {
		b.Run(name, func(b *testing.B) {
			cache := tile.NewCache(1 << 30)
			fill(cache, v, 1)
			var c tile.Compositor
			c.Compose(v, 1, cache)
			for b.Loop() {
				if _, complete := c.Compose(next, 2, cache); complete {
					b.Fatal("complete frame")
				}
			}
		})
	}
}
