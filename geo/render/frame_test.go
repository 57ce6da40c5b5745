package render

import (
	"context"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// testView is the view of testScene: Central Asia on 700×450 pixels.
var testView = viewport.New(orb.Point{66, 44}, 5.5, 700, 450, 1)

// testScene returns a scene with what the tiles of a frame must get right
// at their seams: polygons with holes, some larger than the view, lines
// thin and wide, solid and dashed, symbols with and without rings, and a
// translucent layer drawn as a group.
func testScene() *Scene {
	rng := rand.New(rand.NewPCG(1, 2))
	var polygons, lines, points []layer.Feature
	for range 60 {
		c := orb.Point{50 + 32*rng.Float64(), 36 + 16*rng.Float64()}
		r := 0.2 + 1.5*rng.Float64()
		outer, hole := orb.Ring{}, orb.Ring{}
		for k := range 40 {
			a := 2 * math.Pi * float64(k) / 40
			w := r * (1 + 0.3*math.Sin(5*a))
			outer = append(outer, orb.Point{c[0] + w*math.Cos(a), c[1] + w*math.Sin(a)})
			hole = append(hole, orb.Point{c[0] + w/3*math.Cos(-a), c[1] + w/3*math.Sin(-a)})
		}
		polygons = append(polygons, layer.Feature{Geometry: orb.Polygon{outer, hole}})
	}
	polygons = append(polygons, layer.Feature{Geometry: orb.Polygon{{{30, 20}, {100, 20}, {100, 41}, {30, 41}}}})
	for range 40 {
		p, heading := orb.Point{50 + 32*rng.Float64(), 36 + 16*rng.Float64()}, 2*math.Pi*rng.Float64()
		ls := orb.LineString{}
		for range 300 {
			ls = append(ls, p)
			heading += 0.2 * rng.NormFloat64()
			p = orb.Point{p[0] + 0.03*math.Cos(heading), p[1] + 0.02*math.Sin(heading)}
		}
		lines = append(lines, layer.Feature{Geometry: ls})
	}
	for i := range 400 {
		attrs := map[string]any{}
		if i%50 == 0 {
			attrs["coord_precision"] = "approx_10km"
		}
		p := orb.Point{50 + 32*rng.Float64(), 36 + 16*rng.Float64()}
		points = append(points, layer.Feature{Geometry: p, Properties: layer.PropertiesFromMap(attrs)})
	}
	symbol := &style.Symbol{Shape: style.Circle, Size: style.Const(7), Fill: style.Color{R: 0xd3, G: 0x54, A: 0xff},
		Ring: &style.Ring{Diameter: style.Const(30), Color: style.Color{R: 0x55, G: 0x55, B: 0x55, A: 0xff}, Width: 1, Dash: []float64{3, 2}}}
	layers := []style.Layer{
		{Opacity: 1, MaxZoom: 24, Rules: []style.Rule{{MaxZoom: 24, Fill: style.Color{R: 0x6f, G: 0xa8, B: 0xdc, A: 153},
			Stroke: &style.Stroke{Color: style.Color{R: 0x1f, G: 0x4e, B: 0x79, A: 0xff}, Width: style.Const(1)}}}},
		{Opacity: 0.7, MaxZoom: 24, Rules: []style.Rule{{MaxZoom: 24,
			Stroke: &style.Stroke{Color: style.Color{R: 0xc0, G: 0x39, B: 0x2b, A: 0xff}, Width: style.Const(4), Dash: []float64{8, 4}}}}},
		{Opacity: 1, MaxZoom: 24, Rules: []style.Rule{{MaxZoom: 24,
			Stroke: &style.Stroke{Color: style.Color{R: 0x22, G: 0x22, B: 0x22, A: 0xff}, Width: style.Const(1)}}}},
		{Opacity: 1, MaxZoom: 24, Rules: []style.Rule{{MaxZoom: 24, Symbol: symbol}}},
	}
	sources := [][]layer.Feature{polygons, lines, lines, points}
	sc := &Scene{Background: color.NRGBA{0xdf, 0xe5, 0xea, 0xff}}
	for i := range layers {
		sc.Layers = append(sc.Layers, Layer{Style: &layers[i], Features: layer.NewVector(sources[i])})
	}
	return sc
}

// drawTest draws the test scene's geometry onto a fresh image.
func drawTest(t *testing.T, workers, tile int) *image.RGBA {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, testView.DeviceWidth(), testView.DeviceHeight()))
	if err := geometry(context.Background(), testScene(), testView, img, workers, tile); err != nil {
		t.Fatal(err)
	}
	return img
}

func TestGeometry_tilesDoNotShow(t *testing.T) {
	whole := drawTest(t, 1, 4096)
	tiled := drawTest(t, 1, 64)
	// Tiles rasterize every shape on grids of their own, whose float32
	// cells can round a coverage differently by a level.
	worst := 0
	for i := range whole.Pix {
		worst = max(worst, int(whole.Pix[i])-int(tiled.Pix[i]), int(tiled.Pix[i])-int(whole.Pix[i]))
	}
	if worst > 1 {
		t.Errorf("drawn in 64-pixel tiles, a pixel differs by %d from the image drawn whole, want at most 1", worst)
	}
}

func TestGeometryParallel_sameAsGeometry(t *testing.T) {
	want := drawTest(t, 1, tileSize)
	for _, workers := range []int{2, 5} {
		if got := drawTest(t, workers, tileSize); !slices.Equal(got.Pix, want.Pix) {
			t.Errorf("drawn by %d workers, the image differs from the one drawn by one", workers)
		}
	}
}

func TestGeometry_subImage(t *testing.T) {
	want := drawTest(t, 1, tileSize)
	big := image.NewRGBA(image.Rect(-30, -20, 800, 500))
	dst := big.SubImage(image.Rect(50, 40, 50+want.Rect.Dx(), 40+want.Rect.Dy())).(*image.RGBA)
	if err := Geometry(context.Background(), testScene(), testView, dst); err != nil {
		t.Fatal(err)
	}
	for y := range want.Rect.Dy() {
		for x := range want.Rect.Dx() {
			if got, w := dst.RGBAAt(50+x, 40+y), want.RGBAAt(x, y); got != w {
				t.Fatalf("pixel (%d, %d) of the sub-image = %v, want %v", x, y, got, w)
			}
		}
	}
	if got := big.RGBAAt(49, 39); got != (color.RGBA{}) {
		t.Errorf("pixel outside the sub-image = %v, want it untouched", got)
	}
}

func TestGeometry_keepsDrawingOrder(t *testing.T) {
	// A symbol drawn between two polygons goes over the first and under
	// the second, although symbols are gathered to be drawn together.
	at := orb.Point{66, 44}
	square := func(r float64) orb.Polygon {
		return orb.Polygon{{{at[0] - r, at[1] - r}, {at[0] + r, at[1] - r}, {at[0] + r, at[1] + r}, {at[0] - r, at[1] + r}}}
	}
	red, green, blue := style.Color{R: 0xff, A: 0xff}, style.Color{G: 0xff, A: 0xff}, style.Color{B: 0xff, A: 0xff}
	tests := map[string]struct {
		features []layer.Feature
		want     color.RGBA
	}{
		"symbol on top": {
			features: []layer.Feature{{Geometry: square(2), Properties: colour("red")}, {Geometry: square(1), Properties: colour("green")}, {Geometry: at, Properties: colour("blue")}},
			want:     color.RGBA{B: 0xff, A: 0xff},
		},
		"symbol between": {
			features: []layer.Feature{{Geometry: square(2), Properties: colour("red")}, {Geometry: at, Properties: colour("blue")}, {Geometry: square(1), Properties: colour("green")}},
			want:     color.RGBA{G: 0xff, A: 0xff},
		},
	}
	rule := func(name string, c style.Color) style.Rule {
		return style.Rule{MaxZoom: 24, Filter: &style.Filter{Field: "colour", Eq: name}, Fill: c,
			Symbol: &style.Symbol{Shape: style.Square, Size: style.Const(12), Fill: c}}
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			st := &style.Layer{Opacity: 1, MaxZoom: 24, Rules: []style.Rule{rule("red", red), rule("green", green), rule("blue", blue)}}
			sc := &Scene{Background: color.NRGBA{0xff, 0xff, 0xff, 0xff}, Layers: []Layer{{Style: st, Features: layer.NewVector(tt.features)}}}
			img := image.NewRGBA(image.Rect(0, 0, testView.DeviceWidth(), testView.DeviceHeight()))
			if err := Geometry(context.Background(), sc, testView, img); err != nil {
				t.Fatal(err)
			}
			c := testView.ToPixel(at)
			if got := img.RGBAAt(int(c[0]), int(c[1])); got != tt.want {
				t.Errorf("pixel under the symbol = %v, want %v", got, tt.want)
			}
		})
	}
}

// colour returns properties naming a colour.
func colour(name string) layer.Properties {
	return layer.PropertiesFromMap(map[string]any{"colour": name})
}

func TestGeometry_groundRingsCrossMapTiles(t *testing.T) {
	// A point in the left tile whose 10 km ring (about 180 pixels in radius
	// at zoom 11) reaches far into the right tile: the map view draws each
	// tile as a viewport of its own.
	whole := viewport.New(orb.Point{77.3, 42.4}, 11, 512, 256, 1)
	sc := &Scene{Background: color.NRGBA{0xff, 0xff, 0xff, 0xff}}
	st := style.Layer{Opacity: 1, MaxZoom: 24, Rules: []style.Rule{{MaxZoom: 24, Symbol: &style.Symbol{
		Shape: style.Circle, Size: style.Const(6), Fill: style.Color{R: 0xd3, A: 0xff},
		Ring: &style.Ring{Diameter: style.Const(20), Radius: 10_000, Color: style.Color{B: 0xff, A: 0xff}, Width: 2},
	}}}}
	// 100 pixels left of the tiles' seam, farther than any pixel margin.
	sc.Layers = []Layer{{Style: &st, Features: layer.NewVector([]layer.Feature{{Geometry: whole.FromPixel(orb.Point{156, 128})}})}}
	want := image.NewRGBA(image.Rect(0, 0, 512, 256))
	if err := Geometry(context.Background(), sc, whole, want); err != nil {
		t.Fatal(err)
	}
	for _, half := range []struct {
		name   string
		centre float64 // pixel column of the tile's centre in the whole
	}{{"left", 128}, {"right", 384}} {
		vp := viewport.New(whole.FromPixel(orb.Point{half.centre, 128}), 11, 256, 256, 1)
		got := image.NewRGBA(image.Rect(0, 0, 256, 256))
		if err := Geometry(context.Background(), sc, vp, got); err != nil {
			t.Fatal(err)
		}
		ringPixels, differ := 0, 0
		for y := range 256 {
			for x := range 256 {
				w := want.RGBAAt(int(half.centre)-128+x, y)
				if w.B > 0x80 && w.R < 0x80 {
					ringPixels++
					if g := got.RGBAAt(x, y); g.B < 0x80 || g.R > 0x80 {
						differ++
					}
				}
			}
		}
		if ringPixels == 0 || differ > ringPixels/20 {
			t.Errorf("the %s tile misses %d of the %d ring pixels the whole image has", half.name, differ, ringPixels)
		}
	}
}
