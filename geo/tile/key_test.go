package tile_test

import (
	"image"
	"math"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/mercator"
	"github.com/ecoatlas/ecoatlas/geo/tile"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// slippyCorner returns the lon/lat of the north-west corner of slippy tile
// z/x/y by the standard formula.
func slippyCorner(z, x, y int) orb.Point {
	n := math.Exp2(float64(z))
	lon := float64(x)/n*360 - 180
	lat := math.Atan(math.Sinh(math.Pi*(1-2*float64(y)/n))) * 180 / math.Pi
	return orb.Point{lon, lat}
}

// viewAt returns a view of the given logical size whose centre is the
// logical world pixel (px, py) at zoom z.
func viewAt(px, py, z, width, height, scale float64) viewport.Viewport {
	size := viewport.TileSize * math.Exp2(z)
	return viewport.Viewport{
		Center: mercator.Unproject(orb.Point{px / size, py / size}),
		Zoom:   z, Width: width, Height: height, Scale: scale,
	}
}

func TestKey_LonLatBound_matchesSlippyFormula(t *testing.T) {
	k := tile.Key{Zoom: 8, X: 182, Y: 94, Scale: 1}
	got := k.LonLatBound()
	nw, se := slippyCorner(8, 182, 94), slippyCorner(8, 183, 95)
	want := orb.Bound{Min: orb.Point{nw[0], se[1]}, Max: orb.Point{se[0], nw[1]}}
	for i, p := range [][2]orb.Point{{got.Min, want.Min}, {got.Max, want.Max}} {
		if math.Abs(p[0][0]-p[1][0]) > 1e-9 || math.Abs(p[0][1]-p[1][1]) > 1e-9 {
			t.Errorf("corner %d = %v, want %v", i, p[0], p[1])
		}
	}
	if b := k.Bound(); b.Min != (orb.Point{182.0 / 256, 94.0 / 256}) || b.Max != (orb.Point{183.0 / 256, 95.0 / 256}) {
		t.Errorf("world bound %v, want [182/256, 183/256] × [94/256, 95/256]", b)
	}
}

func TestKey_Bound_clippedToWorldAtFractionalZoom(t *testing.T) {
	// 2^2.5 ≈ 5.66 tiles: the sixth column is partly beyond the world.
	k := tile.Key{Zoom: 2.5, X: 5, Y: 5, Scale: 1}
	b := k.Bound()
	if b.Max != (orb.Point{1, 1}) || math.Abs(b.Min[0]-5/math.Exp2(2.5)) > 1e-15 {
		t.Errorf("bound %v, want [5/2^2.5, 1]²", b)
	}
}

func TestKey_PixelRect(t *testing.T) {
	for name, tc := range map[string]struct {
		key  tile.Key
		want image.Rectangle
	}{
		"scale 1":                {tile.Key{Zoom: 8, X: 182, Y: 94, Scale: 1}, image.Rect(182*256, 94*256, 183*256, 95*256)},
		"scale 2":                {tile.Key{Zoom: 8, X: 182, Y: 94, Scale: 2}, image.Rect(182*512, 94*512, 183*512, 95*512)},
		"scale 1.5":              {tile.Key{Zoom: 3, X: 1, Y: 2, Scale: 1.5}, image.Rect(384, 768, 768, 1152)},
		"fractional zoom, inner": {tile.Key{Zoom: 2.5, X: 4, Y: 0, Scale: 1}, image.Rect(1024, 0, 1280, 256)},
		// The world is round(256·2^2.5) = 1448 pixels wide.
		"fractional zoom, edge": {tile.Key{Zoom: 2.5, X: 5, Y: 5, Scale: 1}, image.Rect(1280, 1280, 1448, 1448)},
	} {
		t.Run(name, func(t *testing.T) {
			if got := tc.key.PixelRect(); got != tc.want {
				t.Errorf("PixelRect() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestKey_PixelRect_tilesTheWorldAtOddScale(t *testing.T) {
	const zoom, scale = 3.3, 1.3
	world := int(math.Round(256 * math.Exp2(zoom) * scale))
	end := 0
	for x := 0; end < world; x++ {
		r := tile.Key{Zoom: zoom, X: x, Y: 0, Scale: scale}.PixelRect()
		if r.Min.X != end || r.Empty() {
			t.Fatalf("tile %d spans %v, want it to start at %d and not be empty", x, r, end)
		}
		if d := r.Dx(); (d < 332 || d > 333) && r.Max.X != world {
			t.Errorf("tile %d is %d pixels wide, want 332 or 333 (256 × 1.3 = 332.8) inside the world", x, d)
		}
		end = r.Max.X
	}
	if end != world {
		t.Errorf("tiles end at %d, want the world's edge %d", end, world)
	}
}

func TestKey_Viewport_showsTheTilePixels(t *testing.T) {
	for name, k := range map[string]tile.Key{
		"integer":      {Zoom: 8, X: 182, Y: 94, Scale: 2},
		"fractional":   {Zoom: 8.37, X: 233, Y: 121, Scale: 1},
		"world's edge": {Zoom: 2.2, X: 4, Y: 4, Scale: 1.25},
	} {
		t.Run(name, func(t *testing.T) {
			v := k.Viewport()
			r := k.PixelRect()
			if v.DeviceWidth() != r.Dx() || v.DeviceHeight() != r.Dy() {
				t.Fatalf("view is %d×%d device pixels, tile %v", v.DeviceWidth(), v.DeviceHeight(), r.Size())
			}
			// The tile's north-west corner is at the view's top-left pixel.
			pixels := 256 * math.Exp2(k.Zoom) * k.Scale
			corner := orb.Point{float64(r.Min.X) / pixels, float64(r.Min.Y) / pixels}
			if p := v.WorldToPixel(corner); math.Abs(p[0]) > 1e-6 || math.Abs(p[1]) > 1e-6 {
				t.Errorf("tile corner at view pixel %v, want (0, 0)", p)
			}
		})
	}
}

func TestKey_String(t *testing.T) {
	for want, k := range map[string]tile.Key{
		"8/182/94@1x gen 0":       {Zoom: 8, X: 182, Y: 94, Scale: 1},
		"8.25/233/121@2x gen 3":   {Gen: 3, Zoom: 8.25, X: 233, Y: 121, Scale: 2},
		"12/2900/1500@1.5x gen 7": {Gen: 7, Zoom: 12, X: 2900, Y: 1500, Scale: 1.5},
	} {
		if got := k.String(); got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	}
}

func TestCovering_counts(t *testing.T) {
	for name, tc := range map[string]struct {
		view viewport.Viewport
		want int
	}{
		"centred on a tile corner":             {viewAt(182*256, 94*256, 8, 512, 512, 1), 4},
		"centred on a tile centre":             {viewAt(182.5*256, 94.5*256, 8, 512, 512, 1), 9},
		"fractional zoom, on a tile corner":    {viewAt(233*256, 121*256, 8.5, 512, 512, 1), 4},
		"fractional zoom, on a tile centre":    {viewAt(233.5*256, 121.5*256, 8.5, 512, 512, 1), 9},
		"HiDPI, on a tile corner":              {viewAt(182*256, 94*256, 8, 512, 512, 2), 4},
		"whole world at zoom 2":                {viewAt(512, 512, 2, 2000, 2000, 1), 16},
		"whole world at zoom 2.5 (5.66 tiles)": {viewAt(724, 724, 2.5, 2000, 2000, 1), 36},
		"full HD":                              {viewAt(182.5*256, 94.5*256, 8, 1920, 1080, 1), 9 * 5},
		"empty view":                           {viewAt(182*256, 94*256, 8, 0, 0, 1), 0},
	} {
		t.Run(name, func(t *testing.T) {
			keys := tile.Covering(tc.view, 5)
			if len(keys) != tc.want {
				t.Fatalf("%d tiles, want %d: %v", len(keys), tc.want, keys)
			}
			seen := make(map[tile.Key]bool)
			for _, k := range keys {
				if seen[k] {
					t.Errorf("%v listed twice", k)
				}
				seen[k] = true
				if k.Gen != 5 || k.Zoom != tc.view.Zoom || k.Scale != tc.view.Scale {
					t.Errorf("%v: want generation 5, the view's zoom %v and scale %v", k, tc.view.Zoom, tc.view.Scale)
				}
			}
		})
	}
}

func TestCovering_centreOut(t *testing.T) {
	v := viewAt(182.3*256, 94.6*256, 8, 1920, 1080, 1)
	keys := tile.Covering(v, 0)
	if first := keys[0]; first.X != 182 || first.Y != 94 {
		t.Errorf("first tile %v, want the one under the centre, 8/182/94", first)
	}
	centre := mercator.Project(v.Center)
	distance := func(k tile.Key) float64 {
		c := k.Bound().Center()
		return math.Hypot(c[0]-centre[0], c[1]-centre[1])
	}
	for i := 1; i < len(keys); i++ {
		if distance(keys[i]) < distance(keys[i-1])-1e-12 {
			t.Errorf("%v comes after %v but is nearer the centre", keys[i], keys[i-1])
		}
	}
}

func TestCovering_coversEveryPixel(t *testing.T) {
	v := viewAt(182.3*256, 94.6*256, 8.4, 1000, 700, 1.25)
	covered := image.NewAlpha(image.Rect(0, 0, v.DeviceWidth(), v.DeviceHeight()))
	origin := viewOrigin(v)
	for _, k := range tile.Covering(v, 0) {
		r := k.PixelRect().Sub(origin).Intersect(covered.Rect)
		if r.Empty() {
			t.Errorf("%v does not show in the view", k)
		}
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				covered.Pix[covered.PixOffset(x, y)]++
			}
		}
	}
	for i, n := range covered.Pix {
		if n != 1 {
			t.Fatalf("view pixel %d covered %d times, want once", i, n)
		}
	}
}
