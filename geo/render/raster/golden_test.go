package raster_test

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"slices"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/imgtest"
	"github.com/ecoatlas/ecoatlas/geo/render/raster"
)

var (
	paper = color.NRGBA{0xf4, 0xf1, 0xea, 0xff}
	ink   = color.NRGBA{0x1f, 0x4e, 0x79, 0xff}
	water = color.NRGBA{0x6f, 0xa8, 0xdc, 0x99}
	brick = color.NRGBA{0xc0, 0x39, 0x2b, 0xb3}
	guide = color.NRGBA{0x22, 0x22, 0x22, 0xff}
)

func TestGolden(t *testing.T) {
	tests := map[string]struct {
		width, height int
		draw          func(c *raster.Canvas)
	}{
		"polygon_hole": {width: 330, height: 120, draw: drawPolygonHoles},
		"concave":      {width: 160, height: 160, draw: drawConcave},
		"joins_caps":   {width: 420, height: 335, draw: drawJoinsAndCaps},
		"dashes":       {width: 260, height: 200, draw: drawDashes},
		"symbols":      {width: 300, height: 150, draw: drawSymbols},
		"group":        {width: 250, height: 130, draw: drawGroups},
		"hairlines":    {width: 220, height: 130, draw: drawHairlines},
		"thin_joins":   {width: 370, height: 150, draw: drawThinJoins},
		"clipped":      {width: 400, height: 260, draw: drawClipped},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			img := image.NewRGBA(image.Rect(0, 0, tt.width, tt.height))
			draw.Draw(img, img.Rect, image.NewUniform(paper), image.Point{}, draw.Src)
			tt.draw(raster.New(img))
			imgtest.Assert(t, name, img)
		})
	}
}

func ring(p *raster.Path, pts ...raster.Point) {
	p.MoveTo(pts[0].X, pts[0].Y)
	for _, q := range pts[1:] {
		p.LineTo(q.X, q.Y)
	}
	p.Close()
}

// line adds an open subpath through the given points.
func line(p *raster.Path, pts ...raster.Point) {
	p.MoveTo(pts[0].X, pts[0].Y)
	for _, q := range pts[1:] {
		p.LineTo(q.X, q.Y)
	}
}

// square returns the corners of an axis-aligned square, clockwise on
// screen (y down) when cw is set, counter-clockwise otherwise.
func square(x, y, side float64, cw bool) []raster.Point {
	pts := []raster.Point{{x, y}, {x + side, y}, {x + side, y + side}, {x, y + side}}
	if !cw {
		pts[1], pts[3] = pts[3], pts[1]
	}
	return pts
}

// regular returns n points on a circle, starting at angle start.
func regular(cx, cy, r float64, n int, start float64) []raster.Point {
	pts := make([]raster.Point, n)
	for i := range pts {
		a := start + 2*math.Pi*float64(i)/float64(n)
		pts[i] = raster.Point{X: cx + r*math.Cos(a), Y: cy + r*math.Sin(a)}
	}
	return pts
}

var outline = raster.Stroke{Color: ink, Width: 1.5, Join: raster.JoinRound}

// drawPolygonHoles draws a polygon with a hole three ways: even-odd with
// the rings in opposite orientations, even-odd with both in the same one,
// and non-zero with opposite ones. All three must show the hole.
func drawPolygonHoles(c *raster.Canvas) {
	var p raster.Path
	for i, tc := range []struct {
		sameOrientation bool
		rule            raster.FillRule
	}{{false, raster.EvenOdd}, {true, raster.EvenOdd}, {false, raster.NonZero}} {
		x := 10 + 110*float64(i)
		hole := regular(x+45.3, 55.6, 25, 7, 0.2)
		if !tc.sameOrientation {
			slices.Reverse(hole)
		}
		p.Reset()
		ring(&p, square(x+0.3, 10.6, 90, true)...)
		ring(&p, hole...)
		c.Fill(&p, water, tc.rule)
		c.Stroke(&p, outline)
	}
}

// drawConcave draws a concave, self-touching-free arrow-and-comb outline.
func drawConcave(c *raster.Canvas) {
	var p raster.Path
	ring(&p,
		raster.Point{X: 15, Y: 20}, raster.Point{X: 145, Y: 15}, raster.Point{X: 120, Y: 60},
		raster.Point{X: 140, Y: 140}, raster.Point{X: 100, Y: 145}, raster.Point{X: 95, Y: 70},
		raster.Point{X: 70, Y: 135}, raster.Point{X: 55, Y: 65}, raster.Point{X: 30, Y: 150},
		raster.Point{X: 40, Y: 60},
	)
	c.Fill(&p, water, raster.EvenOdd)
	c.Stroke(&p, raster.Stroke{Color: ink, Width: 2, Join: raster.JoinMiter})
}

// drawJoinsAndCaps draws a thick translucent zig-zag for every pairing of
// join and cap, with its centre line on top.
func drawJoinsAndCaps(c *raster.Canvas) {
	joins := []raster.Join{raster.JoinMiter, raster.JoinRound, raster.JoinBevel}
	caps := []raster.Cap{raster.CapButt, raster.CapRound, raster.CapSquare}
	var p raster.Path
	for row, join := range joins {
		for col, cp := range caps {
			x, y := 25+135*float64(col), 25+105*float64(row)
			// The first corner is too sharp for a miter (which becomes a
			// bevel); the others are not.
			pts := []raster.Point{
				{x, y + 62}, {x + 12, y + 2}, {x + 26, y + 62}, {x + 50, y + 20}, {x + 95, y + 40}, {x + 70, y + 72},
			}
			p.Reset()
			line(&p, pts...)
			c.Stroke(&p, raster.Stroke{Color: brick, Width: 14, Join: join, Cap: cp})
			c.Stroke(&p, raster.Stroke{Color: guide, Width: 0.75})
		}
	}
}

// drawDashes draws dashed rings, whose pattern runs on through the start
// point, and dashed lines with each cap.
func drawDashes(c *raster.Canvas) {
	var p raster.Path
	ring(&p, regular(65, 65, 50, 6, 0.3)...)
	c.Fill(&p, water, raster.EvenOdd)
	c.Stroke(&p, raster.Stroke{Color: ink, Width: 3, Dash: []float64{14, 6}, DashOffset: 7, Join: raster.JoinRound})
	p.Reset()
	ring(&p, raster.Point{X: 140, Y: 20}, raster.Point{X: 245, Y: 25}, raster.Point{X: 235, Y: 110}, raster.Point{X: 150, Y: 100})
	c.Stroke(&p, raster.Stroke{Color: brick, Width: 6, Dash: []float64{20, 8, 2, 8}, Cap: raster.CapButt, Join: raster.JoinMiter})
	for i, cp := range []raster.Cap{raster.CapButt, raster.CapRound, raster.CapSquare} {
		y := 140 + 20*float64(i)
		p.Reset()
		line(&p, raster.Point{X: 20, Y: y}, raster.Point{X: 120, Y: y + 8}, raster.Point{X: 240, Y: y - 4})
		c.Stroke(&p, raster.Stroke{Color: ink, Width: 5, Dash: []float64{0, 12, 10, 8}, Cap: cp, Join: raster.JoinRound})
	}
}

// drawSymbols draws every shape at three sizes, and small circles at
// quarter-pixel offsets.
func drawSymbols(c *raster.Canvas) {
	shapes := []raster.Shape{raster.Circle, raster.Square, raster.Triangle, raster.Diamond, raster.Star, raster.Cross}
	for i, shape := range shapes {
		x := 25 + 50*float64(i)
		c.Symbol(x, 25, raster.Symbol{Shape: shape, Size: 30, Fill: water, Stroke: ink, StrokeWidth: 2})
		c.Symbol(x, 70, raster.Symbol{Shape: shape, Size: 16, Fill: color.NRGBA{0xd3, 0x54, 0x00, 0xff}})
		c.Symbol(x+0.4, 100.3, raster.Symbol{Shape: shape, Size: 8, Fill: paper, Stroke: ink, StrokeWidth: 1})
	}
	for i := range 24 {
		c.Symbol(12+12*float64(i)+float64(i)/8, 130+float64(i%4)/4, raster.Symbol{Size: 4, Fill: color.NRGBA{0xd3, 0x54, 0x00, 0xff}})
	}
}

// drawGroups draws the same overlapping translucent shapes twice: one by
// one (the overlaps darken) and as a group at 60 % (they do not).
func drawGroups(c *raster.Canvas) {
	var p raster.Path
	shapes := func(dx float64) {
		for _, cx := range []float64{45, 80} {
			p.Reset()
			ring(&p, regular(cx+dx, 60, 35, 40, 0)...)
			c.Fill(&p, color.NRGBA{0x2e, 0x7d, 0x32, 0xff}, raster.EvenOdd)
			c.Stroke(&p, raster.Stroke{Color: ink, Width: 3})
		}
	}
	for _, cx := range []float64{45, 80} {
		p.Reset()
		ring(&p, regular(cx, 60, 35, 40, 0)...)
		c.Fill(&p, color.NRGBA{0x2e, 0x7d, 0x32, 0x99}, raster.EvenOdd)
		c.Stroke(&p, raster.Stroke{Color: color.NRGBA{0x1f, 0x4e, 0x79, 0x99}, Width: 3})
	}
	c.PushGroup()
	shapes(120)
	c.PopGroup(0.6)
}

// drawHairlines draws fans of lines 0.25, 0.5, 1 and 1.5 px wide.
func drawHairlines(c *raster.Canvas) {
	var p raster.Path
	for i, width := range []float64{0.25, 0.5, 1, 1.5} {
		x := 10 + 52*float64(i)
		for k := range 8 {
			a := float64(k) * math.Pi / 14
			p.Reset()
			line(&p, raster.Point{X: x, Y: 10}, raster.Point{X: x + 100*math.Sin(a)/2, Y: 10 + 110*math.Cos(a)})
			c.Stroke(&p, raster.Stroke{Color: ink, Width: width})
		}
	}
}

// drawThinJoins draws translucent polylines 1, 2 and 3 px wide, with
// miter, round and bevel joins, turning from gently to hairpin: the joins
// must be neither darker than the lines nor notched.
func drawThinJoins(c *raster.Canvas) {
	var p raster.Path
	col := color.NRGBA{0x1f, 0x4e, 0x79, 0x99}
	for row, width := range []float64{1, 2, 3} {
		y := 15 + 45*float64(row)
		p.Reset()
		// Spikes 25 px high with apex angles from 100° down to 6.5°.
		x := 8.0
		p.MoveTo(x, y+25)
		for k := range 12 {
			half := 25 * math.Tan((100-8.5*float64(k))*math.Pi/360)
			p.LineTo(x+half, y)
			x += 2*half + 2
			p.LineTo(x, y+25)
		}
		c.Stroke(&p, raster.Stroke{Color: col, Width: width, Join: raster.Join(row)})
	}
}

// drawClipped draws shapes reaching far outside the image, large enough
// to be rasterized in bands: a polygon 10⁵ px wide with a hole, a dashed
// line 10⁵ px long and a thick polyline crossing the edges.
func drawClipped(c *raster.Canvas) {
	var p raster.Path
	ring(&p, raster.Point{X: -1e5, Y: 170}, raster.Point{X: 180, Y: 30}, raster.Point{X: 1e5, Y: 230}, raster.Point{X: 150, Y: 1e5})
	ring(&p, regular(200, 150, 40, 60, 0)...)
	c.Fill(&p, water, raster.EvenOdd)
	c.Stroke(&p, raster.Stroke{Color: ink, Width: 2})
	p.Reset()
	line(&p, raster.Point{X: -5e4, Y: -3e4}, raster.Point{X: 5e4, Y: 3e4})
	c.Stroke(&p, raster.Stroke{Color: brick, Width: 4, Dash: []float64{9, 5}, Cap: raster.CapRound})
	p.Reset()
	line(&p, raster.Point{X: -30, Y: 200}, raster.Point{X: 90, Y: 250}, raster.Point{X: 250, Y: 190}, raster.Point{X: 430, Y: 240})
	c.Stroke(&p, raster.Stroke{Color: ink, Width: 8, Join: raster.JoinMiter})
}
