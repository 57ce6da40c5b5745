package render_test

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/imgtest"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/tilepack"
	"github.com/ecoatlas/ecoatlas/geo/tilepack/tiletest"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// packageScene returns the scene of a tile package alone, added as the
// CLI adds one, on a grey background.
func packageScene(t testing.TB, path string) (*render.Scene, *tilepack.Tiles) {
	t.Helper()
	a, err := tilepack.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tiles := tilepack.NewTiles(a, 0)
	at := &atlas.Atlas{Style: &style.Style{Background: style.Color{R: 0xe8, G: 0xe8, B: 0xe8, A: 0xff}}, Sources: map[string]*atlas.Source{}}
	t.Cleanup(func() { at.Close() })
	if _, err := at.AddTiles(context.Background(), "package", tiles, atlas.TileOptions{}); err != nil {
		t.Fatal(err)
	}
	return at.Scene(at.Style, "en"), tiles
}

// tilepackData is the folder of the tile package fixtures.
const tilepackData = "../tilepack/testdata"

// gdalMBTiles writes, with GDAL's gdal_translate, an MBTiles file of a
// plate carrée image of tiletest.Region, 0.05° a pixel, grey with a red
// line along every even meridian and a blue one along every even
// parallel.
func gdalMBTiles(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("gdal_translate"); err != nil {
		t.Skip("gdal_translate (Debian gdal-bin, which .ci/setup installs) is not installed")
	}
	const step = 0.05
	b := tiletest.Region
	w, h := int(math.Round((b.Max[0]-b.Min[0])/step)), int(math.Round((b.Max[1]-b.Min[1])/step))
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			lon, lat := b.Min[0]+(float64(x)+0.5)*step, b.Max[1]-(float64(y)+0.5)*step
			// The pixel whose west (north) edge is on the line is drawn.
			c := color.NRGBA{0xdd, 0xdd, 0xdd, 0xff}
			if lat-2*math.Floor(lat/2) > 2-step {
				c = tiletest.Parallel
			}
			if lon-2*math.Floor(lon/2) < step {
				c = tiletest.Meridian
			}
			img.SetNRGBA(x, y, c)
		}
	}
	dir := t.TempDir()
	src, out := filepath.Join(dir, "region.png"), filepath.Join(dir, "gdal.mbtiles")
	f, err := os.Create(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	f.Close()
	cmd := exec.Command("gdal_translate", "-q", "-of", "MBTILES", "-a_srs", "EPSG:4326",
		"-a_ullr", fmt.Sprint(b.Min[0]), fmt.Sprint(b.Max[1]), fmt.Sprint(b.Max[0]), fmt.Sprint(b.Min[1]), src, out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", cmd, err, msg)
	}
	return out
}

// regionView fits the sample region in a 640×400 view: zoom 4.5, between
// the packages' zoom levels.
func regionView(scale float64) viewport.Viewport {
	return viewport.New(tiletest.Region.Center(), 3, 640, 400, scale).Fit(tiletest.Region, 10)
}

func TestFrame_tilePackages(t *testing.T) {
	packages := map[string]string{
		"raster_mbtiles":   filepath.Join(tilepackData, "raster.mbtiles"),
		"raster_pmtiles":   filepath.Join(tilepackData, "raster.pmtiles"),
		"vector_omt":       filepath.Join(tilepackData, "vector_omt.mbtiles"),
		"vector_protomaps": filepath.Join(tilepackData, "vector_protomaps.pmtiles"),
	}
	views := map[string]func(scale float64) viewport.Viewport{
		"region": regionView,
		// Past the packages' deepest zoom (6), so their tiles are magnified.
		"tashkent": func(scale float64) viewport.Viewport {
			return viewport.New(orb.Point{69.6, 41.6}, 7.4, 640, 400, scale)
		},
	}
	for name, path := range packages {
		for view, vp := range views {
			for _, scale := range []float64{1, 2} {
				if view == "tashkent" && scale == 2 {
					continue
				}
				golden := fmt.Sprintf("tiles/%s_%s@%gx", name, view, scale)
				t.Run(golden, func(t *testing.T) {
					sc, tiles := packageScene(t, path)
					img, err := render.Frame(context.Background(), sc, vp(scale))
					if err != nil {
						t.Fatal(err)
					}
					if _, n := tiles.Failures(); n > 0 {
						t.Errorf("%d tiles failed", n)
					}
					imgtest.Assert(t, golden, img)
				})
			}
		}
	}
}

// redness is how much redder than grey a pixel is.
func redness(c color.RGBA) int { return int(c.R) - (int(c.G)+int(c.B))/2 }

// blueness is how much bluer than grey a pixel is.
func blueness(c color.RGBA) int { return int(c.B) - (int(c.R)+int(c.G))/2 }

// checkGraticule checks that the red meridians and blue parallels of a
// graticule every 2° are drawn where the viewport puts those lines: along
// the parallel and the meridian of odd degrees nearest the view's centre
// (halfway between lines), the reddest (bluest) pixel near each line is
// within tolerance device pixels of it.
func checkGraticule(t *testing.T, img *image.RGBA, vp viewport.Viewport, tolerance float64, data orb.Bound) {
	t.Helper()
	b := vp.Bound()
	// Lines on the data's edges are drawn from one side only.
	b.Min[0], b.Min[1] = max(b.Min[0], data.Min[0]+0.1), max(b.Min[1], data.Min[1]+0.1)
	b.Max[0], b.Max[1] = min(b.Max[0], data.Max[0]-0.1), min(b.Max[1], data.Max[1]-0.1)
	odd := func(v float64) float64 { return 2*math.Floor(v/2) + 1 }
	between := vp.ToPixel(orb.Point{odd(vp.Center[0]), odd(vp.Center[1])})
	midX, midY := int(between[0]*vp.Scale), int(between[1]*vp.Scale)
	lines := 0
	for lon := math.Ceil(b.Min[0]/2) * 2; lon < b.Max[0]; lon += 2 {
		want := vp.ToPixel(orb.Point{lon, vp.Center[1]})[0] * vp.Scale
		best, bestX := -1000, 0
		for x := int(want) - 6; x <= int(want)+6; x++ {
			if x >= 0 && x < img.Rect.Dx() {
				if r := redness(img.RGBAAt(x, midY)); r > best {
					best, bestX = r, x
				}
			}
		}
		if best < 20 || math.Abs(float64(bestX)+0.5-want) > tolerance {
			t.Errorf("meridian %v°: expected at x %.1f, the reddest pixel is at %d (redness %d)", lon, want, bestX, best)
		}
		lines++
	}
	for lat := math.Ceil(b.Min[1]/2) * 2; lat < b.Max[1]; lat += 2 {
		want := vp.ToPixel(orb.Point{vp.Center[0], lat})[1] * vp.Scale
		best, bestY := -1000, 0
		for y := int(want) - 6; y <= int(want)+6; y++ {
			if y >= 0 && y < img.Rect.Dy() {
				if v := blueness(img.RGBAAt(midX, y)); v > best {
					best, bestY = v, y
				}
			}
		}
		if best < 20 || math.Abs(float64(bestY)+0.5-want) > tolerance {
			t.Errorf("parallel %v°: expected at y %.1f, the bluest pixel is at %d (blueness %d)", lat, want, bestY, best)
		}
		lines++
	}
	if lines < 2 {
		t.Fatalf("the view %v shows %d graticule lines", b, lines)
	}
}

func TestRasterTiles_rightPlace(t *testing.T) {
	for _, tc := range []struct {
		name      string
		path      func(testing.TB) string
		vp        viewport.Viewport
		tolerance float64
	}{
		{"mbtiles at a fractional zoom", fixture("raster.mbtiles"), regionView(1), 1},
		{"pmtiles at 2×", fixture("raster.pmtiles"), regionView(2), 1},
		{"mbtiles at a whole zoom", fixture("raster.mbtiles"), viewport.New(orb.Point{70, 42}, 5, 512, 512, 1), 1},
		// Magnified 2^1.7 times past the deepest zoom, a one-pixel line
		// becomes three pixels wide.
		{"overzoomed", fixture("raster.mbtiles"), viewport.New(orb.Point{69.1, 41.1}, 7.7, 512, 512, 1), 2},
		// GDAL resamples the plate carrée image to Web Mercator tiles of
		// zoom 5 (0.044° a pixel) by nearest neighbour.
		{"written by GDAL", gdalMBTiles, viewport.New(orb.Point{70, 42}, 5.3, 800, 500, 1), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc, tiles := packageScene(t, tc.path(t))
			img, err := render.Frame(context.Background(), sc, tc.vp)
			if err != nil {
				t.Fatal(err)
			}
			if failures, n := tiles.Failures(); n > 0 {
				t.Fatalf("%d tiles failed: %v", n, failures[0])
			}
			checkGraticule(t, img, tc.vp, tc.tolerance, tiletest.Region)
		})
	}
}

// fixture returns a function giving the path of a package of the tilepack
// fixtures.
func fixture(name string) func(testing.TB) string {
	return func(testing.TB) string { return filepath.Join(tilepackData, name) }
}

func TestFrame_gdalMBTiles(t *testing.T) {
	sc, _ := packageScene(t, gdalMBTiles(t))
	for _, scale := range []float64{1, 2} {
		img, err := render.Frame(context.Background(), sc, regionView(scale))
		if err != nil {
			t.Fatal(err)
		}
		imgtest.Assert(t, fmt.Sprintf("tiles/gdal_region@%gx", scale), img)
	}
}

// wavesPackage writes an MBTiles of tiletest.Waves tiles, zooms 3 to 5,
// over the sample region.
func wavesPackage(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "waves.mbtiles")
	md := tilepack.Metadata{Name: "Waves", Format: tilepack.FormatPNG, Bounds: tiletest.Region, MinZoom: 3, MaxZoom: 5}
	if err := tiletest.WriteMBTiles(path, md, tiletest.Pyramid(tiletest.Region, 3, 5), tiletest.Waves); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRasterTiles_notBlocky draws a package of smooth waves at a
// fractional zoom (between its levels) and far past its deepest level:
// every pixel stays close to the true wave at its centre, and so does
// every step between neighbouring pixels, where a nearest-neighbour
// magnification would make runs of equal pixels and then jump.
func TestRasterTiles_notBlocky(t *testing.T) {
	sc, _ := packageScene(t, wavesPackage(t))
	for _, tc := range []struct {
		name    string
		vp      viewport.Viewport
		maxErr  float64 // largest difference from the wave, in levels
		maxStep float64 // largest difference from the wave's step between neighbours
	}{
		// Read from zoom 5, shrunk by 2^0.6.
		{"zoom 4.4", viewport.New(orb.Point{69, 42}, 4.4, 200, 100, 1), 4, 4},
		{"zoom 4.4 at 2×", viewport.New(orb.Point{69, 42}, 4.4, 200, 100, 2), 4, 4},
		// Magnified eight times: nearest neighbour would make runs of
		// eight equal pixels and steps of up to 12 levels.
		{"zoom 8, overzoomed", viewport.New(orb.Point{69, 42}, 8, 400, 200, 1), 3, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img, err := render.Frame(context.Background(), sc, tc.vp)
			if err != nil {
				t.Fatal(err)
			}
			y := img.Rect.Dy() / 2
			wave := func(x int) float64 {
				return tiletest.Wave(tc.vp.PixelToWorld(orb.Point{(float64(x) + 0.5) / tc.vp.Scale, 0})[0])
			}
			red := func(x int) float64 { return float64(img.RGBAAt(x, y).R) }
			worstErr, worstStep := 0.0, 0.0
			for x := range img.Rect.Dx() {
				worstErr = max(worstErr, math.Abs(red(x)-wave(x)))
				if x > 0 {
					worstStep = max(worstStep, math.Abs((red(x)-red(x-1))-(wave(x)-wave(x-1))))
				}
			}
			if worstErr > tc.maxErr || worstStep > tc.maxStep {
				t.Errorf("red strays up to %.1f levels from the wave (at most %v), and its steps up to %.1f from the wave's (at most %v)",
					worstErr, tc.maxErr, worstStep, tc.maxStep)
			}
		})
	}
}

// TestVectorTiles_noSeams draws the lakes of the vector package with a
// fill and a contrasting outline: inside the Aral Sea, which spans
// several tiles of zoom 6, every pixel is the fill, including along the
// tile edges where the tiles' copies of the lake were cut.
func TestVectorTiles_noSeams(t *testing.T) {
	a, err := tilepack.Open(filepath.Join(tilepackData, "vector_omt.mbtiles"))
	if err != nil {
		t.Fatal(err)
	}
	tiles := tilepack.NewTiles(a, 0)
	defer tiles.Close()
	fill := style.Color{R: 0x40, G: 0x80, B: 0xc0, A: 0xff}
	lakes := style.Layer{
		ID: "lakes", Source: "omt", SourceLayer: "water", Opacity: 0.7, MaxZoom: 24,
		Rules: []style.Rule{{MaxZoom: 24, Fill: fill, Stroke: &style.Stroke{Color: style.Color{R: 0xff, A: 0xff}, Width: style.Const(3)}}},
	}
	sc := &render.Scene{Background: color.NRGBA{0xff, 0xff, 0xff, 0xff}, Layers: []render.Layer{{Style: &lakes, Tiles: tiles}}}
	vp := viewport.New(orb.Point{60, 45.3}, 6.5, 400, 400, 1)
	img, err := render.Frame(context.Background(), sc, vp)
	if err != nil {
		t.Fatal(err)
	}
	want := img.RGBAAt(int(vp.ToPixel(orb.Point{60, 45.3})[0]), int(vp.ToPixel(orb.Point{60, 45.3})[1]))
	if redness(want) > 0 {
		t.Fatalf("the middle of the lake is %v, not the fill", want)
	}
	// The edge between rows 22 and 23 of zoom 6 (45.08° N) crosses the
	// lake.
	edgeY := int(vp.WorldToPixel(orb.Point{0, 23.0 / 64})[1])
	for _, lon := range []float64{59.5, 60, 60.5} {
		x := int(vp.ToPixel(orb.Point{lon, 45})[0])
		for y := edgeY - 2; y <= edgeY+1; y++ {
			if got := img.RGBAAt(x, y); got != want {
				t.Errorf("pixel (%d, %d), by a tile edge inside the lake, is %v, want the fill %v", x, y, got, want)
			}
		}
	}
	imgtest.Assert(t, "tiles/vector_seams", img)
}

func TestLabels_vectorTiles(t *testing.T) {
	for _, name := range []string{"vector_omt.mbtiles", "vector_protomaps.pmtiles"} {
		t.Run(name, func(t *testing.T) {
			sc, _ := packageScene(t, filepath.Join(tilepackData, name))
			vp := viewport.New(orb.Point{72, 42.3}, 6.2, 1024, 600, 1)
			placed, err := render.Labels(context.Background(), sc, vp)
			if err != nil {
				t.Fatal(err)
			}
			// Tashkent, Bishkek, Almaty and the Syr Darya.
			if len(placed) < 4 {
				t.Errorf("%d labels placed, want at least 4", len(placed))
			}
		})
	}
}

func TestRasterTiles_corruptTileIsLeftOut(t *testing.T) {
	ids := tiletest.Pyramid(tiletest.Region, 5, 5)
	bad := ids[len(ids)/2]
	path := filepath.Join(t.TempDir(), "corrupt.mbtiles")
	md := tilepack.Metadata{Name: "corrupt", Format: tilepack.FormatPNG, Bounds: tiletest.Region, MinZoom: 5, MaxZoom: 5}
	err := tiletest.WriteMBTiles(path, md, ids, func(id tilepack.ID) []byte {
		if id == bad {
			return []byte("<html>502 Bad Gateway</html>")
		}
		return tiletest.Graticule(id, color.NRGBA{0xff, 0xff, 0xff, 0xff}, 2)
	})
	if err != nil {
		t.Fatal(err)
	}
	sc, tiles := packageScene(t, path)
	vp := viewport.New(tiletest.Region.Center(), 5, 1000, 600, 1)
	if _, err := render.Frame(context.Background(), sc, vp); err != nil {
		t.Fatalf("a corrupt tile failed the frame: %v", err)
	}
	failures, n := tiles.Failures()
	if n != 1 || failures[0].Tile != bad || !errors.Is(failures[0], tilepack.ErrCorrupt) {
		t.Errorf("failures %v (%d), want tile %v as corrupt", failures, n, bad)
	}
}

func TestTiles_cancelled(t *testing.T) {
	sc, _ := packageScene(t, filepath.Join(tilepackData, "vector_omt.mbtiles"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := render.Frame(ctx, sc, regionView(1)); !errors.Is(err, context.Canceled) {
		t.Errorf("Frame on a cancelled context: %v", err)
	}
}
