package mercator_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/mercator"
	"github.com/paulmach/orb"
)

func TestProject_roundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		p := orb.Point{r.Float64()*360 - 180, r.Float64()*170 - 85}
		q := mercator.Unproject(mercator.Project(p))
		if math.Abs(p[0]-q[0]) > 1e-9 || math.Abs(p[1]-q[1]) > 1e-9 {
			t.Fatalf("round trip of %v gave %v", p, q)
		}
	}
}

func TestProject_knownPoints(t *testing.T) {
	for name, tc := range map[string]struct{ in, want orb.Point }{
		"origin":      {orb.Point{0, 0}, orb.Point{0.5, 0.5}},
		"north edge":  {orb.Point{-180, mercator.MaxLatitude}, orb.Point{0, 0}},
		"south edge":  {orb.Point{180, -mercator.MaxLatitude}, orb.Point{1, 1}},
		"clamped top": {orb.Point{0, 89.9}, orb.Point{0.5, 0}},
	} {
		t.Run(name, func(t *testing.T) {
			got := mercator.Project(tc.in)
			if math.Abs(got[0]-tc.want[0]) > 1e-12 || math.Abs(got[1]-tc.want[1]) > 1e-9 {
				t.Errorf("Project(%v) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestToMetres_matchesEPSG3857(t *testing.T) {
	// Almaty, 76.9286 E 43.2567 N, in EPSG:3857 (R·λ, R·ln tan(π/4+φ/2)).
	m := mercator.ToMetres(mercator.Project(orb.Point{76.9286, 43.2567}))
	if math.Abs(m[0]-8563652.6) > 0.5 || math.Abs(m[1]-5351126.2) > 0.5 {
		t.Errorf("ToMetres = %.1f, %.1f", m[0], m[1])
	}
	back := mercator.Unproject(mercator.FromMetres(m))
	if math.Abs(back[0]-76.9286) > 1e-9 || math.Abs(back[1]-43.2567) > 1e-9 {
		t.Errorf("FromMetres round trip = %v", back)
	}
}

func TestProjectBound_flipsLatitude(t *testing.T) {
	b := mercator.ProjectBound(orb.Bound{Min: orb.Point{46, 35}, Max: orb.Point{88, 56}})
	if !(b.Min[1] < b.Max[1]) || b.Min[1] != mercator.Y(56) {
		t.Errorf("ProjectBound = %v: north edge must be the minimum y", b)
	}
	back := mercator.UnprojectBound(b)
	if math.Abs(back.Min[1]-35) > 1e-9 || math.Abs(back.Max[1]-56) > 1e-9 {
		t.Errorf("UnprojectBound = %v", back)
	}
}
