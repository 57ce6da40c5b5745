package raster

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"
)

// thinCase is a polyline a thin stroke is checked on, with how far the
// stroke may stray from its true coverage: the least share of its ink,
// and the largest error in a pixel, in alpha levels.
type thinCase struct {
	points   []Point
	closed   bool
	minInk   float64
	maxError float64
}

// thinCases are straight lines at several angles, a curve, a line turning
// back on itself, a random walk with sub-pixel steps (like the map's
// lines) and a ring.
//
// Where two strands of a line share a pixel without overlapping in it, as
// in the hairpin, the pixel gets the coverage of the nearer one only; and
// at a butt end of a curve, the cut is placed to half a pixel.
func thinCases() map[string]thinCase {
	at := func(degrees float64) []Point {
		sin, cos := math.Sincos(degrees * math.Pi / 180)
		return []Point{{40 - 30*cos, 40.3 - 30*sin}, {40 + 30*cos, 40.3 + 30*sin}}
	}
	var curve, walk, ring []Point
	for i := range 40 {
		a := float64(i) / 39 * math.Pi
		curve = append(curve, Point{40 + 30*math.Cos(a), 60 - 30*math.Sin(a)})
		ring = append(ring, Point{40 + 20*math.Cos(2*a), 40 + 20*math.Sin(2*a)})
	}
	rng := rand.New(rand.NewPCG(1, 2))
	p, heading := Point{20, 40}, 0.0
	for range 200 {
		walk = append(walk, p)
		heading += 0.25 * rng.NormFloat64()
		p.X += 0.35 * math.Cos(heading)
		p.Y += 0.35 * math.Sin(heading)
	}
	return map[string]thinCase{
		"horizontal": {points: at(0), minInk: 0.95, maxError: 40},
		"17°":        {points: at(17), minInk: 0.95, maxError: 40},
		"45°":        {points: at(45), minInk: 0.95, maxError: 40},
		"72°":        {points: at(72), minInk: 0.95, maxError: 40},
		"curve":      {points: curve, minInk: 0.95, maxError: 40},
		"hairpin":    {points: []Point{{10, 40}, {70, 40.5}, {10, 41.5}}, minInk: 0.88, maxError: 90},
		"walk":       {points: walk, minInk: 0.95, maxError: 90},
		"ring":       {points: ring[:39], closed: true, minInk: 0.95, maxError: 40},
	}
}

// trueCoverage returns the alpha, out of 255, that the stroke of a
// polyline with round joins covers of every pixel of an 80×80 image,
// measured on a grid of 16×16 samples per pixel.
func trueCoverage(pts []Point, closed bool, halfWidth float64, butt bool) []float64 {
	const samples, size = 16, 80
	covered := make([]bool, size*size*samples*samples)
	segments := len(pts) - 1
	if closed {
		segments++
	}
	for k := range segments {
		a, b := pts[k], pts[(k+1)%len(pts)]
		dx, dy := b.X-a.X, b.Y-a.Y
		x0, x1 := int(min(a.X, b.X)-halfWidth)*samples, int(max(a.X, b.X)+halfWidth+1)*samples
		y0, y1 := int(min(a.Y, b.Y)-halfWidth)*samples, int(max(a.Y, b.Y)+halfWidth+1)*samples
		for sy := max(y0, 0); sy < min(y1, size*samples); sy++ {
			for sx := max(x0, 0); sx < min(x1, size*samples); sx++ {
				x, y := (float64(sx)+0.5)/samples, (float64(sy)+0.5)/samples
				t := ((x-a.X)*dx + (y-a.Y)*dy) / (dx*dx + dy*dy)
				if butt && !closed && ((k == 0 && t < 0) || (k == segments-1 && t > 1)) {
					continue
				}
				t = max(0, min(1, t))
				if math.Hypot(x-a.X-t*dx, y-a.Y-t*dy) <= halfWidth {
					covered[sy*size*samples+sx] = true
				}
			}
		}
	}
	alpha := make([]float64, size*size)
	for sy := range size * samples {
		for sx := range size * samples {
			if covered[sy*size*samples+sx] {
				alpha[sy/samples*size+sx/samples] += 255.0 / (samples * samples)
			}
		}
	}
	return alpha
}

// TestThinStrokeCoverage checks the thin-stroke path against the true
// coverage of the stroke: the same ink overall, and within what a
// distance sampled at pixel centres can tell in every pixel.
func TestThinStrokeCoverage(t *testing.T) {
	for name, tc := range thinCases() {
		for _, width := range []float64{1, 1.5} {
			for _, butt := range []bool{true, false} {
				var p Path
				for _, q := range tc.points {
					p.LineTo(q.X, q.Y)
				}
				if tc.closed {
					p.Close()
				}
				img := image.NewRGBA(image.Rect(0, 0, 80, 80))
				var pt painter
				pt.thinStroke(img, &p, color.NRGBA{0, 0, 0, 0xff}, width/2, butt)
				want := trueCoverage(tc.points, tc.closed, width/2, butt)
				ink, wantInk, worst := 0.0, 0.0, 0.0
				for i, w := range want {
					got := float64(img.Pix[4*i+3])
					ink += got
					wantInk += w
					worst = max(worst, math.Abs(got-w))
				}
				if share := ink / wantInk; share < tc.minInk || share > 1.03 {
					t.Errorf("%s, %g px, butt %v: %.3f of the true ink, want within [%g, 1.03]", name, width, butt, share, tc.minInk)
				}
				if worst > tc.maxError {
					t.Errorf("%s, %g px, butt %v: a pixel's alpha is off by %.0f, want at most %g", name, width, butt, worst, tc.maxError)
				}
			}
		}
	}
}

// TestThinStrokeBandsMatchStrips checks that a thin stroke too big for one
// grid, drawn band by band, is the same as drawn strip by strip onto
// sub-images small enough for one grid each, up to a level of rounding:
// the bands record segments in float32.
func TestThinStrokeBandsMatchStrips(t *testing.T) {
	var p Path
	for i := range 300 {
		x := float64(i) * 1.3
		p.LineTo(x, 20+x+25*math.Sin(x/20))
	}
	stroke := Stroke{Color: color.NRGBA{0xc0, 0x39, 0x2b, 0xff}, Width: 1, Join: JoinRound}
	whole := image.NewRGBA(image.Rect(0, 0, 400, 440))
	New(whole).Stroke(&p, stroke)
	strips := image.NewRGBA(whole.Rect)
	for y := 0; y < 440; y += 20 {
		New(strips.SubImage(image.Rect(0, y, 400, y+20)).(*image.RGBA)).Stroke(&p, stroke)
	}
	for i := range whole.Pix {
		if d := int(whole.Pix[i]) - int(strips.Pix[i]); d < -1 || d > 1 {
			x, y := i/4%400, i/4/400
			t.Fatalf("pixel (%d, %d) = %v drawn whole, %v strip by strip", x, y, whole.RGBAAt(x, y), strips.RGBAAt(x, y))
		}
	}
}

// TestThinStrokeDots checks that a subpath without length is a disc for
// round caps and nothing for butt caps, as on the outline path. A
// distance sampled at pixel centres overestimates so small a disc a little.
func TestThinStrokeDots(t *testing.T) {
	for _, butt := range []bool{true, false} {
		var p Path
		p.MoveTo(40.3, 40.6)
		p.LineTo(40.3, 40.6)
		img := image.NewRGBA(image.Rect(0, 0, 80, 80))
		var pt painter
		pt.thinStroke(img, &p, color.NRGBA{0, 0, 0, 0xff}, 0.75, butt)
		ink := 0.0
		for i := 3; i < len(img.Pix); i += 4 {
			ink += float64(img.Pix[i]) / 255
		}
		if disc := math.Pi * 0.75 * 0.75; butt && ink != 0 || !butt && (ink < disc || ink > 1.2*disc) {
			t.Errorf("butt %v: a dot has %.2f px of ink, want %s", butt, ink, map[bool]string{true: "none", false: "a bit over the disc's 1.77"}[butt])
		}
	}
}

// TestJoinArcStaysOnTheCircle checks the points of a round join's arc: on
// the circle, no further apart than arcStep, ending where asked.
func TestJoinArcStaysOnTheCircle(t *testing.T) {
	for _, halfWidth := range []float64{0.5, 3, 40} {
		st := stroker{halfWidth: halfWidth}
		step := arcStep(halfWidth)
		st.arcStepSin, st.arcStepCos = math.Sincos(step)
		st.arcSteps = int(math.Ceil(math.Pi/step)) + 1
		for _, turn := range []float64{0.1, 1, 2, 3, math.Pi} {
			for _, sign := range []float64{1, -1} {
				v := Point{10, 20}
				u := Point{halfWidth, 0}
				sin, cos := math.Sincos(sign * turn)
				w := Point{halfWidth * cos, halfWidth * sin}
				arc := st.appendJoinArc(nil, v, u.X, u.Y, w.X, w.Y, sign)
				if last := arc[len(arc)-1]; last != (Point{v.X + w.X, v.Y + w.Y}) {
					t.Errorf("half-width %g, turn %g: arc ends at %v, want %v", halfWidth, sign*turn, last, Point{v.X + w.X, v.Y + w.Y})
				}
				prev := Point{v.X + u.X, v.Y + u.Y}
				for _, q := range arc {
					if r := math.Hypot(q.X-v.X, q.Y-v.Y); math.Abs(r-halfWidth) > 1e-9*halfWidth {
						t.Fatalf("half-width %g, turn %g: arc point %v is %g from the centre", halfWidth, sign*turn, q, r)
					}
					chord := math.Hypot(q.X-prev.X, q.Y-prev.Y)
					if angle := 2 * math.Asin(min(chord/(2*halfWidth), 1)); angle > step+1e-9 {
						t.Fatalf("half-width %g, turn %g: arc step of %g rad, want at most %g", halfWidth, sign*turn, angle, step)
					}
					prev = q
				}
			}
		}
	}
}
