package render_test

import (
	"context"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// workloadBound is the bound of the benchmark workloads
// (../../shared/bench), which fill the middle of a full-HD view of it.
var workloadBound = orb.Bound{Min: orb.Point{46, 35}, Max: orb.Point{88, 56}}

// workloadPoints returns n points, 40 % spread evenly over the bound and
// 60 % in 40 gaussian clusters, like the points_* workloads.
func workloadPoints(rng *rand.Rand, n int) []layer.Feature {
	b := workloadBound
	centres := make([][3]float64, 40)
	for i := range centres {
		centres[i] = [3]float64{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1]), 0.2 + 1.3*rng.Float64()}
	}
	features := make([]layer.Feature, n)
	for i := range features {
		p := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
		if rng.Float64() >= 0.4 {
			c := centres[rng.IntN(len(centres))]
			p = orb.Point{c[0] + c[2]*rng.NormFloat64()/math.Cos(c[1]*math.Pi/180), c[1] + c[2]*rng.NormFloat64()}
		}
		features[i] = layer.Feature{Geometry: p}
	}
	return features
}

// workloadPolygons returns n star-shaped polygons of 20–200 vertices, like
// the polygons_* workloads.
func workloadPolygons(rng *rand.Rand, n int) []layer.Feature {
	b := workloadBound
	mean := 0.5 * math.Sqrt((b.Max[0]-b.Min[0])*(b.Max[1]-b.Min[1])/float64(n))
	features := make([]layer.Feature, n)
	for i := range features {
		vertices := 20 + rng.IntN(181)
		r0 := min(mean*math.Exp(0.5*rng.NormFloat64()), 4*mean)
		c := orb.Point{b.Min[0] + 2*r0 + rng.Float64()*(b.Max[0]-b.Min[0]-4*r0), b.Min[1] + 2*r0 + rng.Float64()*(b.Max[1]-b.Min[1]-4*r0)}
		kx := 1 / math.Cos(c[1]*math.Pi/180)
		logRadius := 0.0
		phase := 2 * math.Pi * rng.Float64()
		ring := make(orb.Ring, 0, vertices+1)
		for k := range vertices {
			logRadius = 0.9*logRadius + 0.12*rng.NormFloat64()
			r := r0 * min(1.8, max(0.3, math.Exp(logRadius)))
			a := phase + 2*math.Pi*(float64(k)+0.9*rng.Float64())/float64(vertices)
			ring = append(ring, orb.Point{c[0] + r*math.Cos(a)*kx, c[1] + r*math.Sin(a)})
		}
		features[i] = layer.Feature{Geometry: orb.Polygon{append(ring, ring[0])}}
	}
	return features
}

// workloadLines returns n random walks of 50–500 steps of about 0.01°,
// their heading drifting, like the lines_10k workload.
func workloadLines(rng *rand.Rand, n int) []layer.Feature {
	b := workloadBound
	features := make([]layer.Feature, n)
	for i := range features {
		vertices := 50 + rng.IntN(451)
		p := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
		heading := 2 * math.Pi * rng.Float64()
		step := 0.01 * math.Exp(0.4*rng.NormFloat64())
		ls := make(orb.LineString, 0, vertices)
		for range vertices {
			ls = append(ls, p)
			heading += 0.25 * rng.NormFloat64()
			p = orb.Point{p[0] + step*math.Cos(heading)/math.Cos(p[1]*math.Pi/180), p[1] + step*math.Sin(heading)}
		}
		features[i] = layer.Feature{Geometry: ls}
	}
	return features
}

// BenchmarkGeometry_workloads draws the benchmark workloads, styled as the
// CLI styles an added file, at full-HD: on every core as Frame does, and
// on one.
func BenchmarkGeometry_workloads(b *testing.B) {
	workloads := []struct {
		name     string
		features func(*rand.Rand) []layer.Feature
		lines    bool
	}{
		{"points_100k", func(rng *rand.Rand) []layer.Feature { return workloadPoints(rng, 100_000) }, false},
		{"polygons_10k", func(rng *rand.Rand) []layer.Feature { return workloadPolygons(rng, 10_000) }, false},
		{"lines_10k", func(rng *rand.Rand) []layer.Feature { return workloadLines(rng, 10_000) }, true},
	}
	vp := viewport.New(workloadBound.Center(), 5, 1920, 1080, 1).Fit(workloadBound, 0)
	for _, w := range workloads {
		st := style.Plain(w.name, w.name, w.name)
		if w.lines {
			st = style.PlainLines(w.name, w.name, w.name)
		}
		sc := &render.Scene{
			Background: color.NRGBA{0xff, 0xff, 0xff, 0xff},
			Layers:     []render.Layer{{Style: &st, Features: layer.NewVector(w.features(rand.New(rand.NewPCG(1, 2))))}},
		}
		img := image.NewRGBA(image.Rect(0, 0, vp.DeviceWidth(), vp.DeviceHeight()))
		for _, workers := range []int{runtime.GOMAXPROCS(0), 1} {
			name := w.name + "/parallel"
			if workers == 1 {
				name = w.name + "/one_core"
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					if err := render.GeometryParallel(context.Background(), sc, vp, img, workers); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
