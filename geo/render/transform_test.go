package render

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/mercator"
)

func TestWorldY_matchesMercator(t *testing.T) {
	tests := map[string]struct {
		lo, hi, tol float64
	}{
		"temperate":    {lo: -60, hi: 60, tol: 5e-16},
		"polar":        {lo: -mercator.MaxLatitude, hi: mercator.MaxLatitude, tol: 5e-13},
		"beyond poles": {lo: -90, hi: 90, tol: 5e-13},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			worst := 0.0
			for range 200_000 {
				lat := tt.lo + (tt.hi-tt.lo)*rng.Float64()
				worst = max(worst, math.Abs(worldY(lat)-mercator.Y(lat)))
			}
			for _, lat := range []float64{tt.lo, tt.hi, 0} {
				worst = max(worst, math.Abs(worldY(lat)-mercator.Y(lat)))
			}
			if worst > tt.tol {
				t.Errorf("worldY differs from mercator.Y by up to %g world units, want ≤ %g", worst, tt.tol)
			}
		})
	}
}

func TestWorldY_tableCoversTheWorld(t *testing.T) {
	if want := int(math.Ceil(mercator.MaxLatitude * yNodesPerDegree)); yNodeOffset != want {
		t.Errorf("yNodeOffset = %d, want ⌈MaxLatitude·yNodesPerDegree⌉ = %d", yNodeOffset, want)
	}
}

func TestWorldY_NaN(t *testing.T) {
	if y := worldY(math.NaN()); !math.IsNaN(y) {
		t.Errorf("worldY(NaN) = %v, want NaN", y)
	}
}

// sink keeps the benchmarked results alive.
var sink float64

func BenchmarkWorldY(b *testing.B) {
	lats := make([]float64, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range lats {
		lats[i] = 35 + 21*rng.Float64()
	}
	for name, y := range map[string]func(float64) float64{"table": worldY, "mercator": mercator.Y} {
		b.Run(name, func(b *testing.B) {
			sum := 0.0
			for b.Loop() {
				for _, lat := range lats {
					sum += y(lat)
				}
			}
			sink = sum
		})
	}
}
