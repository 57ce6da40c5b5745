package raster_test

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/render/raster"
)

// The benchmarks draw on a full-HD frame.
const benchWidth, benchHeight = 1920, 1080

// shapeSet holds many polylines in one flat slice.
type shapeSet struct {
	points []raster.Point
	// ends[i] is the end of shape i in points.
	ends []int
}

func (s *shapeSet) shape(i int) []raster.Point {
	start := 0
	if i > 0 {
		start = s.ends[i-1]
	}
	return s.points[start:s.ends[i]]
}

// smallPolygons returns n polygon outlines centred on the origin, 3–10 px
// across, with 20–200 vertices each (not decimated): wobbly rings like
// lakes or buildings seen from far away.
func smallPolygons(rng *rand.Rand, n int) shapeSet {
	var s shapeSet
	for range n {
		vertices := 20 + rng.IntN(181)
		radius := 1.5 + 3.5*rng.Float64()
		phase3, phase7 := 2*math.Pi*rng.Float64(), 2*math.Pi*rng.Float64()
		for k := range vertices {
			a := 2 * math.Pi * float64(k) / float64(vertices)
			r := radius * (1 + 0.2*math.Sin(3*a+phase3) + 0.08*math.Sin(7*a+phase7))
			r += 0.05 * (rng.Float64() - 0.5)
			s.points = append(s.points, raster.Point{X: r * math.Cos(a), Y: r * math.Sin(a)})
		}
		s.ends = append(s.ends, len(s.points))
	}
	return s
}

// longLines returns n wandering lines of 50–500 vertices crossing the
// whole frame, half from left to right and half from top to bottom.
func longLines(rng *rand.Rand, n int) shapeSet {
	var s shapeSet
	for i := range n {
		vertices := 50 + rng.IntN(451)
		across, along := float64(benchWidth), float64(benchHeight)
		if i%2 == 1 {
			across, along = along, across
		}
		from, to := along*rng.Float64(), along*rng.Float64()
		wander, drift := 0.0, 0.0
		for k := range vertices {
			t := float64(k) / float64(vertices-1)
			drift = 0.9*drift + 3*(rng.Float64()-0.5)
			wander += drift
			u, v := across*t, from+(to-from)*t+wander
			if i%2 == 1 {
				u, v = v, u
			}
			s.points = append(s.points, raster.Point{X: u, Y: v})
		}
		s.ends = append(s.ends, len(s.points))
	}
	return s
}

func newFrame() *image.RGBA {
	return image.NewRGBA(image.Rect(0, 0, benchWidth, benchHeight))
}

// BenchmarkFill_100kSmallPolygons fills and outlines 100 000 small
// polygons, drawn from 1 000 shapes at random positions.
func BenchmarkFill_100kSmallPolygons(b *testing.B) {
	const count = 100_000
	rng := rand.New(rand.NewPCG(1, 2))
	shapes := smallPolygons(rng, 1000)
	centres := make([]raster.Point, count)
	vertices := 0
	for i := range centres {
		centres[i] = raster.Point{X: benchWidth * rng.Float64(), Y: benchHeight * rng.Float64()}
		vertices += len(shapes.shape(i % 1000))
	}
	fill := color.NRGBA{0x6f, 0xa8, 0xdc, 153}
	outline := raster.Stroke{Color: color.NRGBA{0x1f, 0x4e, 0x79, 0xff}, Width: 1}
	c := raster.New(newFrame())
	var p raster.Path
	for b.Loop() {
		for i, centre := range centres {
			p.Reset()
			for _, q := range shapes.shape(i % 1000) {
				p.LineTo(centre.X+q.X, centre.Y+q.Y)
			}
			p.Close()
			c.Fill(&p, fill, raster.EvenOdd)
			c.Stroke(&p, outline)
		}
	}
	b.ReportMetric(float64(vertices), "vertices/op")
}

// BenchmarkStroke_10kLines strokes 10 000 one-pixel lines of 50–500
// vertices crossing the frame.
func BenchmarkStroke_10kLines(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	lines := longLines(rng, 10_000)
	stroke := raster.Stroke{Color: color.NRGBA{0xc0, 0x39, 0x2b, 0xff}, Width: 1}
	c := raster.New(newFrame())
	var p raster.Path
	for b.Loop() {
		for i := range lines.ends {
			p.Reset()
			for _, q := range lines.shape(i) {
				p.LineTo(q.X, q.Y)
			}
			c.Stroke(&p, stroke)
		}
	}
	b.ReportMetric(float64(len(lines.points)), "vertices/op")
}

// BenchmarkSymbol_1MPoints draws 1 000 000 circles 4 px across at random
// positions, in one Symbols call and one Symbol call at a time.
func BenchmarkSymbol_1MPoints(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	points := make([]raster.Point, 1_000_000)
	for i := range points {
		points[i] = raster.Point{X: benchWidth * rng.Float64(), Y: benchHeight * rng.Float64()}
	}
	symbol := raster.Symbol{Shape: raster.Circle, Size: 4, Fill: color.NRGBA{0xd3, 0x54, 0x00, 0xff}}
	b.Run("Symbols", func(b *testing.B) {
		c := raster.New(newFrame())
		for b.Loop() {
			c.Symbols(points, symbol)
		}
	})
	b.Run("Symbol", func(b *testing.B) {
		c := raster.New(newFrame())
		for b.Loop() {
			for _, q := range points {
				c.Symbol(q.X, q.Y, symbol)
			}
		}
	})
}

// starPolygons returns n star-shaped polygons of 20–200 vertices around
// random centres in the frame, their log-radius a mean-reverting random
// walk around the given mean radius: the synthetic polygons of the
// benchmark workloads (../../../shared/bench), seen at full-HD.
func starPolygons(rng *rand.Rand, n int, radius float64) shapeSet {
	var s shapeSet
	for range n {
		vertices := 20 + rng.IntN(181)
		r0 := min(radius*math.Exp(0.5*rng.NormFloat64()), 4*radius)
		cx, cy := benchWidth*rng.Float64(), benchHeight*rng.Float64()
		logRadius := make([]float64, vertices+1)
		for k := 1; k <= vertices; k++ {
			logRadius[k] = 0.9*logRadius[k-1] + 0.12*rng.NormFloat64()
		}
		drift := logRadius[vertices]
		phase := 2 * math.Pi * rng.Float64()
		for k := range vertices {
			r := r0 * min(1.8, max(0.3, math.Exp(logRadius[k]-drift*float64(k)/float64(vertices))))
			a := phase + 2*math.Pi*(float64(k)+0.9*rng.Float64())/float64(vertices)
			s.points = append(s.points, raster.Point{X: cx + r*math.Cos(a), Y: cy + r*math.Sin(a)})
		}
		s.ends = append(s.ends, len(s.points))
	}
	return s
}

// walks returns n correlated random walks of 50–500 steps of about a
// third of a pixel, their heading drifting: the synthetic lines of the
// benchmark workloads, seen at full-HD.
func walks(rng *rand.Rand, n int) shapeSet {
	var s shapeSet
	for range n {
		vertices := 50 + rng.IntN(451)
		x, y := benchWidth*rng.Float64(), benchHeight*rng.Float64()
		heading := 2 * math.Pi * rng.Float64()
		step := 0.35 * math.Exp(0.4*rng.NormFloat64())
		for range vertices {
			s.points = append(s.points, raster.Point{X: x, Y: y})
			heading += 0.25 * rng.NormFloat64()
			x += step * math.Cos(heading)
			y += step * math.Sin(heading)
		}
		s.ends = append(s.ends, len(s.points))
	}
	return s
}

// simplified returns the shapes simplified as the map renderer does it.
func (s *shapeSet) simplified(closed bool) shapeSet {
	var out shapeSet
	for i := range s.ends {
		out.points = raster.Simplify(out.points, s.shape(i), closed, 0.25)
		out.ends = append(out.ends, len(out.points))
	}
	return out
}

// BenchmarkMap_polygons fills and outlines star-shaped polygons the way the
// map renderer does (simplified beforehand): 10 000 of 5 px radius and
// 100 000 of 1.6 px, the sizes of the polygons_10k and polygons_100k
// workloads.
func BenchmarkMap_polygons(b *testing.B) {
	for _, tc := range []struct {
		name   string
		count  int
		radius float64
	}{{"10k", 10_000, 5}, {"100k", 100_000, 1.6}} {
		b.Run(tc.name, func(b *testing.B) {
			raw := starPolygons(rand.New(rand.NewPCG(1, 2)), tc.count, tc.radius)
			shapes := raw.simplified(true)
			fill := color.NRGBA{0x6f, 0xa8, 0xdc, 153}
			outline := raster.Stroke{Color: color.NRGBA{0x1f, 0x4e, 0x79, 0xff}, Width: 1, Join: raster.JoinRound}
			c := raster.New(newFrame())
			var p raster.Path
			for b.Loop() {
				for i := range shapes.ends {
					p.Reset()
					for _, q := range shapes.shape(i) {
						p.LineTo(q.X, q.Y)
					}
					p.Close()
					p.MarkSimplified()
					c.Fill(&p, fill, raster.EvenOdd)
					c.Stroke(&p, outline)
				}
			}
			b.ReportMetric(float64(len(shapes.points)), "vertices/op")
		})
	}
}

// BenchmarkMap_lines strokes 10 000 random walks one pixel wide the way the
// map renderer does (simplified beforehand), like the lines_10k workload.
func BenchmarkMap_lines(b *testing.B) {
	raw := walks(rand.New(rand.NewPCG(1, 2)), 10_000)
	lines := raw.simplified(false)
	stroke := raster.Stroke{Color: color.NRGBA{0xc0, 0x39, 0x2b, 0xff}, Width: 1, Join: raster.JoinRound}
	c := raster.New(newFrame())
	var p raster.Path
	for b.Loop() {
		for i := range lines.ends {
			p.Reset()
			for _, q := range lines.shape(i) {
				p.LineTo(q.X, q.Y)
			}
			p.MarkSimplified()
			c.Stroke(&p, stroke)
		}
	}
	b.ReportMetric(float64(len(lines.points)), "vertices/op")
}
