package raster_test

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/imgtest"
	"github.com/ecoatlas/ecoatlas/geo/render/raster"
)

// newCanvas returns a canvas on a w×h image filled with bg.
func newCanvas(w, h int, bg color.NRGBA) (*raster.Canvas, *image.RGBA) {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Rect, image.NewUniform(bg), image.Point{}, draw.Src)
	return raster.New(img), img
}

// over returns what image/draw makes of col composited over bg.
func over(bg, col color.NRGBA) color.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 1, 1))
	draw.Draw(img, img.Rect, image.NewUniform(bg), image.Point{}, draw.Src)
	draw.Draw(img, img.Rect, image.NewUniform(col), image.Point{}, draw.Over)
	return img.RGBAAt(0, 0)
}

func TestFillInteriorHasExactColour(t *testing.T) {
	bg := color.NRGBA{0xf4, 0xf1, 0xea, 0xff}
	tests := map[string]struct {
		col  color.NRGBA
		x, y float64
	}{
		"opaque on pixel edges":       {col: color.NRGBA{0x1f, 0x4e, 0x79, 0xff}, x: 10, y: 10},
		"opaque off pixel edges":      {col: color.NRGBA{0x1f, 0x4e, 0x79, 0xff}, x: 10.3, y: 9.6},
		"translucent on pixel edges":  {col: color.NRGBA{0x6f, 0xa8, 0xdc, 0x99}, x: 10, y: 10},
		"translucent off pixel edges": {col: color.NRGBA{0x6f, 0xa8, 0xdc, 0x99}, x: 10.7, y: 10.2},
		"nearly transparent":          {col: color.NRGBA{0xff, 0x00, 0x00, 0x01}, x: 10, y: 10},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			c, img := newCanvas(40, 40, bg)
			var p raster.Path
			ring(&p, square(tt.x, tt.y, 20, true)...)
			c.Fill(&p, tt.col, raster.EvenOdd)
			want := over(bg, tt.col)
			for _, pt := range []image.Point{{12, 12}, {20, 20}, {28, 28}} {
				if got := img.RGBAAt(pt.X, pt.Y); got != want {
					t.Errorf("interior pixel %v = %v, want %v", pt, got, want)
				}
			}
			// Outside the square's pixels nothing changes.
			untouched := image.Rect(0, 0, 40, 40)
			covered := image.Rect(int(math.Floor(tt.x)), int(math.Floor(tt.y)), int(math.Ceil(tt.x+20)), int(math.Ceil(tt.y+20)))
			for y := untouched.Min.Y; y < untouched.Max.Y; y++ {
				for x := untouched.Min.X; x < untouched.Max.X; x++ {
					if image.Pt(x, y).In(covered) {
						continue
					}
					if got := img.RGBAAt(x, y); got != over(bg, color.NRGBA{}) {
						t.Fatalf("pixel (%d, %d) outside the square = %v, want the background", x, y, got)
					}
				}
			}
		})
	}
}

func TestFillEdgeCoverage(t *testing.T) {
	// A square from x = 10.25 covers three quarters of column 10: 0.75·255
	// rounds to 191.
	c, img := newCanvas(40, 40, color.NRGBA{})
	var p raster.Path
	ring(&p, square(10.25, 10, 20, true)...)
	c.Fill(&p, color.NRGBA{0, 0, 0xff, 0xff}, raster.NonZero)
	got := img.RGBAAt(10, 15)
	if want := uint8(191); absDiff(got.A, want) > 1 || absDiff(got.B, want) > 1 {
		t.Errorf("edge pixel = %v, want alpha and blue %d ± 1", got, want)
	}
}

func TestFillHoleIsEmpty(t *testing.T) {
	bg := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	col := color.NRGBA{0x2e, 0x7d, 0x32, 0xff}
	tests := map[string]struct {
		holeClockwise bool
		rule          raster.FillRule
		wantHole      bool
	}{
		"even-odd, opposite orientation": {holeClockwise: false, rule: raster.EvenOdd, wantHole: true},
		"even-odd, same orientation":     {holeClockwise: true, rule: raster.EvenOdd, wantHole: true},
		"non-zero, opposite orientation": {holeClockwise: false, rule: raster.NonZero, wantHole: true},
		"non-zero, same orientation":     {holeClockwise: true, rule: raster.NonZero, wantHole: false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			c, img := newCanvas(50, 50, bg)
			var p raster.Path
			ring(&p, square(5, 5, 40, true)...)
			ring(&p, square(15, 15, 20, tt.holeClockwise)...)
			c.Fill(&p, col, tt.rule)
			if got, want := img.RGBAAt(8, 25), over(bg, col); got != want {
				t.Errorf("polygon pixel = %v, want %v", got, want)
			}
			want := over(bg, col)
			if tt.wantHole {
				want = over(bg, color.NRGBA{})
			}
			if got := img.RGBAAt(25, 25); got != want {
				t.Errorf("hole pixel = %v, want %v", got, want)
			}
		})
	}
}

func TestStrokeOverlapDoesNotDoubleAlpha(t *testing.T) {
	tests := map[string]struct {
		width float64
		// exact is set when anti-aliased edge pixels, too, are painted
		// once: thin strokes keep the larger coverage where the outline
		// sums them.
		exact bool
	}{
		"outline": {width: 5},
		"thin":    {width: 1.5, exact: true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			stroke := raster.Stroke{Color: color.NRGBA{0xc0, 0x39, 0x2b, 0x80}, Width: tt.width, Join: raster.JoinRound}
			if tt.exact {
				// The line retracing itself turns round where the single
				// pass ends: with a round cap, that is the same shape.
				stroke.Cap = raster.CapRound
			}
			checkStrokeOverlap(t, stroke, tt.exact)
		})
	}
}

// checkStrokeOverlap checks that a line drawn twice in one path, or
// retracing itself, paints no pixel more than once.
func checkStrokeOverlap(t *testing.T, stroke raster.Stroke, exact bool) {
	zigzag := []raster.Point{{10, 10}, {60, 40}, {15, 45}, {70, 15}}
	tests := map[string]func(p *raster.Path){
		"the same line twice": func(p *raster.Path) {
			line(p, zigzag...)
			line(p, zigzag...)
		},
		"a line retracing itself": func(p *raster.Path) {
			back := slices.Clone(zigzag)
			for i := len(zigzag) - 2; i >= 0; i-- {
				back = append(back, zigzag[i])
			}
			line(p, back...)
		},
	}
	var once raster.Path
	line(&once, zigzag...)
	c, want := newCanvas(80, 60, color.NRGBA{})
	c.Stroke(&once, stroke)
	for name, draw := range tests {
		t.Run(name, func(t *testing.T) {
			c, got := newCanvas(80, 60, color.NRGBA{})
			var p raster.Path
			draw(&p)
			c.Stroke(&p, stroke)
			for y := range 60 {
				for x := range 80 {
					g, w := got.RGBAAt(x, y), want.RGBAAt(x, y)
					// No pixel gets more than the line's alpha. Fully
					// covered pixels match a single pass exactly;
					// anti-aliased edge pixels, where coverage is
					// summed, may be stronger.
					if g.A > stroke.Color.A {
						t.Fatalf("pixel (%d, %d) has alpha %d, more than the line's %d", x, y, g.A, stroke.Color.A)
					}
					if (exact || w.A == stroke.Color.A) && g != w {
						t.Fatalf("pixel (%d, %d) = %v, want %v as for a single pass", x, y, g, w)
					}
					if g.A < w.A {
						t.Fatalf("pixel (%d, %d) has alpha %d, less than a single pass's %d", x, y, g.A, w.A)
					}
				}
			}
		})
	}
}

func TestHairlineStaysVisible(t *testing.T) {
	ink := color.NRGBA{0, 0, 0, 0xff}
	alphaAlong := func(width float64) int {
		c, img := newCanvas(40, 40, color.NRGBA{})
		var p raster.Path
		line(&p, raster.Point{X: 5, Y: 5.5}, raster.Point{X: 35, Y: 30.5})
		c.Stroke(&p, raster.Stroke{Color: ink, Width: width})
		total := 0
		for i := 3; i < len(img.Pix); i += 4 {
			total += int(img.Pix[i])
		}
		return total
	}
	full, half := alphaAlong(1), alphaAlong(0.5)
	if half == 0 {
		t.Fatal("a 0.5 px line drew nothing")
	}
	if ratio := float64(half) / float64(full); math.Abs(ratio-0.5) > 0.05 {
		t.Errorf("a 0.5 px line carries %.2f of the ink of a 1 px line, want 0.5", ratio)
	}
}

func TestGroupOpacityAppliesOnce(t *testing.T) {
	bg := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	col := color.NRGBA{0x1f, 0x4e, 0x79, 0xff}
	c, img := newCanvas(40, 20, bg)
	var p raster.Path
	c.PushGroup()
	for _, x := range []float64{0, 10} {
		p.Reset()
		ring(&p, square(x, 0, 20, true)...)
		c.Fill(&p, col, raster.EvenOdd)
	}
	if got := img.RGBAAt(15, 10); got != over(bg, color.NRGBA{}) {
		t.Fatalf("pixel drawn inside an open group = %v, want the background until PopGroup", got)
	}
	c.PopGroup(0.5)
	single, overlap := img.RGBAAt(5, 10), img.RGBAAt(15, 10)
	if single != overlap {
		t.Errorf("overlap of two shapes in a group = %v, want %v like a single shape", overlap, single)
	}
	want := over(bg, color.NRGBA{col.R, col.G, col.B, 0x80})
	if absDiff(single.R, want.R) > 1 || absDiff(single.G, want.G) > 1 || absDiff(single.B, want.B) > 1 {
		t.Errorf("group pixel = %v, want %v ± 1", single, want)
	}
	if got := img.RGBAAt(35, 10); got != over(bg, color.NRGBA{}) {
		t.Errorf("pixel outside the group's shapes = %v, want the background", got)
	}
}

func TestNestedGroups(t *testing.T) {
	bg := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	col := color.NRGBA{0, 0, 0, 0xff}
	c, img := newCanvas(10, 10, bg)
	var p raster.Path
	ring(&p, square(0, 0, 10, true)...)
	c.PushGroup()
	c.PushGroup()
	c.Fill(&p, col, raster.EvenOdd)
	c.PopGroup(0.5)
	c.PopGroup(0.5)
	// Two halvings leave a quarter of the ink.
	if got := img.RGBAAt(5, 5); absDiff(got.R, 0xbf) > 1 {
		t.Errorf("pixel = %v, want red 0xbf ± 1", got)
	}
}

func TestPopGroupWithoutPushPanics(t *testing.T) {
	c, _ := newCanvas(4, 4, color.NRGBA{})
	defer func() {
		if recover() == nil {
			t.Error("PopGroup without PushGroup did not panic")
		}
	}()
	c.PopGroup(1)
}

func TestShapesOutsideOrInvalidDrawNothing(t *testing.T) {
	bg := color.NRGBA{0x10, 0x20, 0x30, 0xff}
	col := color.NRGBA{0xff, 0, 0, 0xff}
	tests := map[string]func(c *raster.Canvas){
		"fill left of the image": func(c *raster.Canvas) {
			var p raster.Path
			ring(&p, square(-50, 5, 20, true)...)
			c.Fill(&p, col, raster.EvenOdd)
		},
		"stroke below the image": func(c *raster.Canvas) {
			var p raster.Path
			line(&p, raster.Point{X: 0, Y: 60}, raster.Point{X: 40, Y: 70})
			c.Stroke(&p, raster.Stroke{Color: col, Width: 10})
		},
		"symbol right of the image": func(c *raster.Canvas) {
			c.Symbol(60, 10, raster.Symbol{Size: 10, Fill: col})
		},
		"transparent colour": func(c *raster.Canvas) {
			var p raster.Path
			ring(&p, square(5, 5, 20, true)...)
			c.Fill(&p, color.NRGBA{0xff, 0, 0, 0}, raster.EvenOdd)
		},
		"zero width": func(c *raster.Canvas) {
			var p raster.Path
			line(&p, raster.Point{X: 0, Y: 10}, raster.Point{X: 40, Y: 10})
			c.Stroke(&p, raster.Stroke{Color: col})
		},
		"NaN and infinite points": func(c *raster.Canvas) {
			var p raster.Path
			p.MoveTo(math.NaN(), 5)
			p.LineTo(math.Inf(1), 5)
			p.LineTo(20, math.Inf(-1))
			c.Fill(&p, col, raster.EvenOdd)
			c.Stroke(&p, raster.Stroke{Color: col, Width: 3})
			c.Symbol(math.NaN(), 10, raster.Symbol{Size: 10, Fill: col})
		},
		"empty path": func(c *raster.Canvas) {
			var p raster.Path
			c.Fill(&p, col, raster.EvenOdd)
			c.Stroke(&p, raster.Stroke{Color: col, Width: 3})
		},
		"butt-capped point": func(c *raster.Canvas) {
			var p raster.Path
			line(&p, raster.Point{X: 20, Y: 10}, raster.Point{X: 20, Y: 10})
			c.Stroke(&p, raster.Stroke{Color: col, Width: 6})
		},
	}
	for name, draw := range tests {
		t.Run(name, func(t *testing.T) {
			c, img := newCanvas(40, 20, bg)
			draw(c)
			for i := 0; i < len(img.Pix); i += 4 {
				if got := img.Pix[i : i+4]; got[0] != bg.R || got[1] != bg.G || got[2] != bg.B || got[3] != bg.A {
					t.Fatalf("pixel %d changed to %v", i/4, got)
				}
			}
		})
	}
}

func TestDrawsInImageCoordinates(t *testing.T) {
	// A sub-image keeps the coordinates of its parent.
	parent := image.NewRGBA(image.Rect(0, 0, 100, 100))
	sub := parent.SubImage(image.Rect(50, 50, 100, 100)).(*image.RGBA)
	c := raster.New(sub)
	var p raster.Path
	ring(&p, square(60, 60, 10, true)...)
	col := color.NRGBA{0, 0x80, 0, 0xff}
	c.Fill(&p, col, raster.EvenOdd)
	c.Symbol(85, 85, raster.Symbol{Shape: raster.Square, Size: 4, Fill: col})
	// A group on a sub-image has the sub-image's bounds, not its stride.
	c.PushGroup()
	ring(&p, square(75, 60, 10, true)...)
	c.Fill(&p, col, raster.EvenOdd)
	c.PopGroup(0.5)
	if got := parent.RGBAAt(65, 65); got != over(color.NRGBA{}, col) {
		t.Errorf("fill at (65, 65) = %v, want %v", got, over(color.NRGBA{}, col))
	}
	if want := over(color.NRGBA{}, color.NRGBA{0, 0x80, 0, 0x80}); parent.RGBAAt(80, 65) != want {
		t.Errorf("group at (80, 65) = %v, want %v", parent.RGBAAt(80, 65), want)
	}
	if got := parent.RGBAAt(85, 85); got != over(color.NRGBA{}, col) {
		t.Errorf("symbol at (85, 85) = %v, want %v", got, over(color.NRGBA{}, col))
	}
	if got := parent.RGBAAt(15, 15); got != (color.RGBA{}) {
		t.Errorf("pixel (15, 15) = %v, want it untouched", got)
	}
}

func TestDashesFollowThePattern(t *testing.T) {
	col := color.NRGBA{0, 0, 0, 0xff}
	c, img := newCanvas(60, 10, color.NRGBA{})
	var p raster.Path
	// The pattern continues across the vertex at x = 23.
	line(&p, raster.Point{X: 0, Y: 5}, raster.Point{X: 23, Y: 5}, raster.Point{X: 60, Y: 5})
	c.Stroke(&p, raster.Stroke{Color: col, Width: 2, Dash: []float64{6, 4}, DashOffset: 2})
	// With the offset, dashes cover x in [0, 4), [8, 14), [18, 24), ...
	for x := range 60 {
		inDash := (x+2)%10 < 6
		alpha := img.RGBAAt(x, 5).A
		if inDash && alpha != 0xff {
			t.Errorf("column %d is in a dash but has alpha %d", x, alpha)
		}
		if !inDash && alpha != 0 {
			t.Errorf("column %d is in a gap but has alpha %d", x, alpha)
		}
	}
}

func TestSymbolsMatchSymbol(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	points := make([]raster.Point, 500)
	for i := range points {
		points[i] = raster.Point{X: 130*rng.Float64() - 5, Y: 90*rng.Float64() - 5}
	}
	tests := map[string]raster.Symbol{
		"one colour, sorted":    {Shape: raster.Circle, Size: 5, Fill: color.NRGBA{0xd3, 0x54, 0x00, 0xb0}},
		"two colours, in order": {Shape: raster.Star, Size: 7, Fill: color.NRGBA{0xff, 0xd7, 0x00, 0xff}, Stroke: color.NRGBA{0, 0, 0, 0xff}, StrokeWidth: 1},
	}
	for name, s := range tests {
		t.Run(name, func(t *testing.T) {
			c, want := newCanvas(120, 80, color.NRGBA{0xff, 0xff, 0xff, 0xff})
			for _, q := range points {
				c.Symbol(q.X, q.Y, s)
			}
			c, got := newCanvas(120, 80, color.NRGBA{0xff, 0xff, 0xff, 0xff})
			c.Symbols(points, s)
			// Each blend rounds to the nearest level, so reordering
			// overlapping symbols moves a channel by a level or two.
			for i := range got.Pix {
				if d := int(got.Pix[i]) - int(want.Pix[i]); d > 2 || d < -2 {
					t.Fatalf("byte %d = %d, want %d ± 2", i, got.Pix[i], want.Pix[i])
				}
			}
		})
	}
}

func TestResetReusesTheCanvas(t *testing.T) {
	col := color.NRGBA{0x80, 0, 0, 0xff}
	var p raster.Path
	ring(&p, square(2, 2, 6, true)...)
	c := raster.New(image.NewRGBA(image.Rect(0, 0, 100, 100)))
	c.PushGroup()
	c.Fill(&p, col, raster.EvenOdd)
	small := image.NewRGBA(image.Rect(0, 0, 10, 10))
	c.Reset(small)
	if c.Image() != small {
		t.Fatal("Image does not return the image given to Reset")
	}
	c.Fill(&p, col, raster.EvenOdd)
	c.Symbol(5, 5, raster.Symbol{Size: 2, Fill: col})
	if got := small.RGBAAt(5, 5); got != over(color.NRGBA{}, col) {
		t.Errorf("pixel = %v, want %v", got, over(color.NRGBA{}, col))
	}
	// The group open before Reset was discarded.
	defer func() {
		if recover() == nil {
			t.Error("PopGroup after Reset did not panic")
		}
	}()
	c.PopGroup(1)
}

func absDiff(a, b uint8) int {
	return max(int(a)-int(b), int(b)-int(a))
}

func TestClippedDrawingMatchesUnclipped(t *testing.T) {
	// Shapes drawn on a small window must match the same shapes drawn on
	// a large image that holds them whole (and so is rasterized in bands,
	// unclipped), over the window.
	window := image.Rect(200, 150, 300, 230)
	randomPoints := func(rng *rand.Rand, n int, p *raster.Path) {
		p.Reset()
		for range n {
			p.LineTo(100+300*rng.Float64(), 80+220*rng.Float64())
		}
	}
	tests := map[string]func(c *raster.Canvas, rng *rand.Rand){
		"polygons": func(c *raster.Canvas, rng *rand.Rand) {
			var p raster.Path
			for range 10 {
				randomPoints(rng, 3+rng.IntN(8), &p)
				p.Close()
				c.Fill(&p, color.NRGBA{0x6f, 0xa8, 0xdc, 0x99}, raster.EvenOdd)
			}
		},
		"thick lines": func(c *raster.Canvas, rng *rand.Rand) {
			var p raster.Path
			for i := range 10 {
				randomPoints(rng, 2+rng.IntN(6), &p)
				c.Stroke(&p, raster.Stroke{
					Color: color.NRGBA{0xc0, 0x39, 0x2b, 0xb3}, Width: 1 + 3*rng.Float64(),
					Join: raster.Join(i % 3), Cap: raster.Cap(i % 3),
				})
			}
		},
		"dashed rings": func(c *raster.Canvas, rng *rand.Rand) {
			var p raster.Path
			for range 5 {
				randomPoints(rng, 3+rng.IntN(5), &p)
				p.Close()
				c.Stroke(&p, raster.Stroke{
					Color: color.NRGBA{0x1f, 0x4e, 0x79, 0xff}, Width: 2.5,
					Dash: []float64{7, 3, 1, 3}, Cap: raster.CapRound,
				})
			}
		},
	}
	for name, draw := range tests {
		t.Run(name, func(t *testing.T) {
			large := image.NewRGBA(image.Rect(0, 0, 500, 400))
			draw(raster.New(large), rand.New(rand.NewPCG(1, 2)))
			small := image.NewRGBA(window)
			draw(raster.New(small), rand.New(rand.NewPCG(1, 2)))
			drawn := 0
			for i := 3; i < len(small.Pix); i += 4 {
				if small.Pix[i] != 0 {
					drawn++
				}
			}
			if drawn == 0 {
				t.Fatal("nothing was drawn in the window")
			}
			// Each translucent layer may round differently by one.
			for y := window.Min.Y; y < window.Max.Y; y++ {
				for x := window.Min.X; x < window.Max.X; x++ {
					g, w := small.RGBAAt(x, y), large.RGBAAt(x, y)
					if absDiff(g.R, w.R) > 2 || absDiff(g.G, w.G) > 2 || absDiff(g.B, w.B) > 2 || absDiff(g.A, w.A) > 2 {
						t.Fatalf("pixel (%d, %d) = %v drawn clipped, %v drawn whole", x, y, g, w)
					}
				}
			}
		})
	}
}

func TestChangedPathIsRedrawn(t *testing.T) {
	// A path keeps its simplified form between calls; changing the path
	// must discard it.
	col := color.NRGBA{0, 0, 0, 0xff}
	var p raster.Path
	ring(&p, square(2, 2, 6, true)...)
	first, _ := newCanvas(30, 10, color.NRGBA{})
	first.Fill(&p, col, raster.EvenOdd)
	ring(&p, square(20, 2, 6, true)...)
	c, img := newCanvas(30, 10, color.NRGBA{})
	c.Fill(&p, col, raster.EvenOdd)
	for _, x := range []int{5, 23} {
		if got := img.RGBAAt(x, 5); got.A != 0xff {
			t.Errorf("pixel (%d, 5) = %v, want it filled", x, got)
		}
	}
	if got := img.RGBAAt(14, 5); got.A != 0 {
		t.Errorf("pixel (14, 5) = %v, want it empty", got)
	}
}

func TestMarkSimplified(t *testing.T) {
	col := color.NRGBA{0x1f, 0x4e, 0x79, 0xff}
	stroke := raster.Stroke{Color: col, Width: 1, Join: raster.JoinRound}
	draw := func(p *raster.Path) *image.RGBA {
		c, img := newCanvas(60, 60, color.NRGBA{0xff, 0xff, 0xff, 0xff})
		c.Fill(p, col, raster.EvenOdd)
		c.Stroke(p, stroke)
		return img
	}
	// A dense ring wobbling by less than the canvas's simplification.
	rng := rand.New(rand.NewPCG(1, 2))
	dense := regular(30, 30, 20, 500, 0)
	for i := range dense {
		dense[i].X += 0.04 * (rng.Float64() - 0.5)
	}
	var p raster.Path
	ring(&p, dense...)
	want := draw(&p)

	// Simplified by the caller as by the canvas, it draws the same.
	p.Reset()
	ring(&p, raster.Simplify(nil, dense, true, 0.1)...)
	p.MarkSimplified()
	if got := draw(&p); !slices.Equal(got.Pix, want.Pix) {
		t.Error("the path simplified by the caller draws differently from the canvas's simplification")
	}
	// Marked, the raw ring is drawn as it is, wobbles included.
	p.Reset()
	ring(&p, dense...)
	p.MarkSimplified()
	if got := draw(&p); slices.Equal(got.Pix, want.Pix) {
		t.Error("a marked path was simplified again")
	}
	// Reset clears the mark.
	p.Reset()
	ring(&p, dense...)
	if got := draw(&p); !slices.Equal(got.Pix, want.Pix) {
		t.Error("the mark outlived Reset")
	}
}

func TestEmptyImage(t *testing.T) {
	// Nothing to draw on, and nothing may fail.
	c := raster.New(image.NewRGBA(image.Rectangle{}))
	var p raster.Path
	ring(&p, square(-5, -5, 10, true)...)
	c.PushGroup()
	c.Fill(&p, color.NRGBA{0, 0, 0, 0xff}, raster.EvenOdd)
	c.Stroke(&p, raster.Stroke{Color: color.NRGBA{0, 0, 0, 0xff}, Width: 3, Dash: []float64{2, 2}})
	c.Symbol(0, 0, raster.Symbol{Size: 5, Fill: color.NRGBA{0, 0, 0, 0xff}})
	c.Symbols([]raster.Point{{X: 0, Y: 0}}, raster.Symbol{Size: 5, Fill: color.NRGBA{0, 0, 0, 0xff}})
	c.PopGroup(1)
	if n := len(c.Image().Pix); n != 0 {
		t.Errorf("empty image has %d bytes", n)
	}
}

func TestDashedRingJoinsAtItsStart(t *testing.T) {
	col := color.NRGBA{0x1f, 0x4e, 0x79, 0xff}
	draw := func(dash []float64) *image.RGBA {
		c, img := newCanvas(60, 60, color.NRGBA{})
		var p raster.Path
		// Perimeter 160: with [20 5] a dash runs from 150 round to 20,
		// through the start corner at (10, 10).
		ring(&p, square(10, 10, 40, true)...)
		c.Stroke(&p, raster.Stroke{Color: col, Width: 6, Dash: dash})
		return img
	}
	solid, dashed := draw(nil), draw([]float64{20, 5})
	for y := 5; y < 16; y++ {
		for x := 5; x < 16; x++ {
			if g, w := dashed.RGBAAt(x, y), solid.RGBAAt(x, y); g != w {
				t.Fatalf("pixel (%d, %d) at the start corner = %v, want %v as for a solid line", x, y, g, w)
			}
		}
	}
	// A dash longer than the ring draws the solid ring.
	if msg := imgtest.Diff(draw([]float64{1000, 5}), solid); msg != "" {
		t.Errorf("ring with one long dash differs from the solid ring: %s", msg)
	}
	// The gap between 20 and 25 along the top edge is empty.
	if got := dashed.RGBAAt(32, 10); got.A != 0 {
		t.Errorf("pixel (32, 10) in a gap = %v, want it empty", got)
	}
}

func TestClipConfinesDrawing(t *testing.T) {
	bg := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	col := color.NRGBA{0x1f, 0x4e, 0x79, 0xff}
	clip := image.Rect(10, 5, 30, 15)
	draw := func(c *raster.Canvas, grouped bool) {
		var p raster.Path
		ring(&p, square(0, 0, 40, true)...)
		if grouped {
			c.PushGroup()
		}
		c.Fill(&p, col, raster.EvenOdd)
		p.Reset()
		p.MoveTo(0, 10)
		p.LineTo(40, 10)
		c.Stroke(&p, raster.Stroke{Color: color.NRGBA{0xc0, 0, 0, 0xff}, Width: 3})
		c.Symbol(20, 10, raster.Symbol{Shape: raster.Circle, Size: 30, Fill: col})
		if grouped {
			c.PopGroup(1)
		}
	}
	for _, grouped := range []bool{false, true} {
		c, img := newCanvas(40, 20, bg)
		c.Clip(clip)
		draw(c, grouped)
		for y := range 20 {
			for x := range 40 {
				inside := image.Pt(x, y).In(clip)
				if got := img.RGBAAt(x, y); inside == (got == over(bg, color.NRGBA{})) {
					t.Fatalf("grouped %v: pixel (%d, %d) = %v; inside the clip: %v", grouped, x, y, got, inside)
				}
			}
		}
		// Reset lifts the clip.
		c.Reset(img)
		var p raster.Path
		ring(&p, square(0, 0, 40, true)...)
		c.Fill(&p, col, raster.EvenOdd)
		if got := img.RGBAAt(2, 2); got != over(bg, col) {
			t.Errorf("after Reset, pixel (2, 2) = %v, want the fill", got)
		}
	}
}
