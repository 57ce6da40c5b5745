package viewport_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/mercator"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

func near(a, b orb.Point, tol float64) bool {
	return math.Abs(a[0]-b[0]) <= tol && math.Abs(a[1]-b[1]) <= tol
}

func TestViewport_pixelRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		v := viewport.New(orb.Point{40 + r.Float64()*50, 30 + r.Float64()*25}, 3+r.Float64()*13, 1920, 1080, 1)
		p := orb.Point{r.Float64() * 1920, r.Float64() * 1080}
		if got := v.ToPixel(v.FromPixel(p)); !near(got, p, 1e-6) {
			t.Fatalf("zoom %.2f: pixel %v -> lon/lat -> pixel %v", v.Zoom, p, got)
		}
		ll := orb.Point{46 + r.Float64()*42, 35 + r.Float64()*21}
		if got := v.FromPixel(v.ToPixel(ll)); !near(got, ll, 1e-9) {
			t.Fatalf("zoom %.2f: lon/lat %v -> pixel -> lon/lat %v", v.Zoom, ll, got)
		}
	}
}

func TestViewport_centerIsMiddlePixel(t *testing.T) {
	v := viewport.New(orb.Point{77.3, 42.4}, 8, 800, 600, 2)
	if got := v.ToPixel(v.Center); !near(got, orb.Point{400, 300}, 1e-9) {
		t.Errorf("centre maps to %v, want the middle of the view", got)
	}
	if v.DeviceWidth() != 1600 || v.DeviceHeight() != 1200 {
		t.Errorf("device size %dx%d, want 1600x1200", v.DeviceWidth(), v.DeviceHeight())
	}
}

func TestViewport_ZoomAt_keepsCursorPointFixed(t *testing.T) {
	for name, tc := range map[string]struct {
		cursor orb.Point
		dz     float64
	}{
		"in at corner":      {orb.Point{10, 10}, 1},
		"out at centre":     {orb.Point{400, 300}, -1.5},
		"fractional in":     {orb.Point{777, 12}, 0.25},
		"in at bottom edge": {orb.Point{0, 600}, 3},
	} {
		t.Run(name, func(t *testing.T) {
			v := viewport.New(orb.Point{60, 45}, 5, 800, 600, 1)
			before := v.FromPixel(tc.cursor)
			z := v.ZoomAt(tc.cursor, tc.dz)
			if math.Abs(z.Zoom-(5+tc.dz)) > 1e-12 {
				t.Fatalf("zoom = %v, want %v", z.Zoom, 5+tc.dz)
			}
			if after := z.ToPixel(before); !near(after, tc.cursor, 1e-6) {
				t.Errorf("point under the cursor moved from %v to %v", tc.cursor, after)
			}
		})
	}
}

func TestViewport_ZoomAt_clampsZoom(t *testing.T) {
	v := viewport.New(orb.Point{60, 45}, 17.5, 800, 600, 1).ZoomAt(orb.Point{1, 1}, 5)
	if v.Zoom != viewport.MaxZoom {
		t.Errorf("zoom = %v, want the maximum %v", v.Zoom, viewport.MaxZoom)
	}
}

func TestViewport_Pan_movesContentWithPointer(t *testing.T) {
	v := viewport.New(orb.Point{70, 42}, 6, 800, 600, 1)
	grabbed := v.FromPixel(orb.Point{100, 100})
	p := v.Pan(35, -20)
	if got := p.ToPixel(grabbed); !near(got, orb.Point{135, 80}, 1e-6) {
		t.Errorf("grabbed point now at %v, want (135, 80)", got)
	}
}

func TestViewport_Fit(t *testing.T) {
	b := orb.Bound{Min: orb.Point{75, 41}, Max: orb.Point{79, 44}}
	v := viewport.New(orb.Point{0, 0}, 3, 1200, 800, 1).Fit(b, 0)
	lo, hi := v.ToPixel(b.Min), v.ToPixel(b.Max) // lo is bottom-left, hi top-right
	left, right, top, bottom := lo[0], hi[0], hi[1], lo[1]
	if math.Abs((left+right)/2-600) > 1e-6 || math.Abs((top+bottom)/2-400) > 1e-6 {
		t.Errorf("box %.3f,%.3f..%.3f,%.3f is not centred", left, top, right, bottom)
	}
	fitsWidth := math.Abs(left) < 1e-6 && math.Abs(right-1200) < 1e-6 && top >= -1e-6 && bottom <= 800+1e-6
	fitsHeight := math.Abs(top) < 1e-6 && math.Abs(bottom-800) < 1e-6 && left >= -1e-6 && right <= 1200+1e-6
	if !fitsWidth && !fitsHeight {
		t.Errorf("box %.3f,%.3f..%.3f,%.3f neither fills the width nor the height", left, top, right, bottom)
	}
}

func TestViewport_MetersPerPixel_isTrueAtCentreLatitude(t *testing.T) {
	// At zoom 0 on the equator one pixel is 40075016.686/256 m; at 60° N half.
	eq := viewport.New(orb.Point{0, 0}, 2, 256, 256, 1)
	n60 := viewport.New(orb.Point{0, 60}, 2, 256, 256, 1)
	want := 40075016.685578488 / 1024
	if math.Abs(eq.MetersPerPixel()-want) > 1e-6 {
		t.Errorf("equator: %v m/px, want %v", eq.MetersPerPixel(), want)
	}
	if math.Abs(n60.MetersPerPixel()-want/2) > 1e-6 {
		t.Errorf("60° N: %v m/px, want %v", n60.MetersPerPixel(), want/2)
	}
}

func FuzzViewport_roundTrip(f *testing.F) {
	f.Add(60.0, 45.0, 5.0, 100.0, 200.0)
	f.Add(-179.9, 85.0, 18.0, 0.0, 0.0)
	f.Fuzz(func(t *testing.T, lon, lat, zoom, px, py float64) {
		for _, x := range []float64{lon, lat, zoom, px, py} {
			if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1e6 {
				return
			}
		}
		v := viewport.New(orb.Point{lon, lat}, zoom, 800, 600, 1)
		p := orb.Point{px, py}
		// Pixels beyond the world's north and south edges have no latitude:
		// they map to the edge, so only pixels on the world round-trip.
		if w := v.PixelToWorld(p); w[1] <= 1e-9 || w[1] >= 1-1e-9 {
			return
		}
		if got := v.ToPixel(v.FromPixel(p)); !near(got, p, 1e-3) {
			t.Errorf("%+v: %v -> %v", v, p, got)
		}
	})
}

func BenchmarkViewport_ToPixel(b *testing.B) {
	v := viewport.New(orb.Point{67, 45}, 5, 1920, 1080, 1)
	p := orb.Point{70, 40}
	for b.Loop() {
		p = v.FromPixel(v.ToPixel(p))
	}
}

func TestForTile_matchesSlippyTile(t *testing.T) {
	// Tile z8/x182/y94 covers lon 75.9375..77.34375 (x/2^z·360−180).
	v := viewport.ForTile(8, 182, 94, 2)
	nw, se := v.FromPixel(orb.Point{0, 0}), v.FromPixel(orb.Point{256, 256})
	if math.Abs(nw[0]-75.9375) > 1e-9 || math.Abs(se[0]-77.34375) > 1e-9 {
		t.Errorf("tile spans lon %v..%v", nw[0], se[0])
	}
	wantN := math.Atan(math.Sinh(math.Pi*(1-2*94.0/256))) * 180 / math.Pi
	if math.Abs(nw[1]-wantN) > 1e-9 {
		t.Errorf("north edge %v, want %v", nw[1], wantN)
	}
	if v.DeviceWidth() != 512 {
		t.Errorf("device width %d, want 512 at scale 2", v.DeviceWidth())
	}
}

func TestViewport_Within(t *testing.T) {
	b := orb.Bound{Min: orb.Point{20, 20}, Max: orb.Point{110, 65}}
	tests := map[string]struct {
		vp   viewport.Viewport
		want func(viewport.Viewport) bool
	}{
		"inside stays": {
			viewport.New(orb.Point{70, 42}, 6, 800, 600, 1),
			func(v viewport.Viewport) bool { return v.Center == orb.Point{70, 42} },
		},
		"past the east edge comes back": {
			viewport.New(orb.Point{120, 42}, 6, 800, 600, 1),
			func(v viewport.Viewport) bool {
				vb := v.Bound()
				return math.Abs(vb.Max[0]-110) < 1e-9 && vb.Min[0] > 20
			},
		},
		"past the north edge comes back": {
			viewport.New(orb.Point{70, 80}, 6, 800, 600, 1),
			func(v viewport.Viewport) bool { return math.Abs(v.Bound().Max[1]-65) < 1e-9 },
		},
		"wider than the bound is centred on it": {
			viewport.New(orb.Point{100, 30}, 2, 1600, 1000, 1),
			func(v viewport.Viewport) bool {
				return math.Abs(v.Center[0]-65) < 1e-9 && math.Abs(mercator.Y(v.Center[1])-(mercator.Y(20)+mercator.Y(65))/2) < 1e-9
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := tc.vp.Within(b)
			if !tc.want(got) || got.Zoom != tc.vp.Zoom || got.Width != tc.vp.Width {
				t.Errorf("Within = centre %v zoom %v, bound %v", got.Center, got.Zoom, got.Bound())
			}
		})
	}
}
