package main

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/imgtest"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// atlasRun runs the command and returns its exit code and output.
func atlasRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func readImage(t *testing.T, path string) *image.RGBA {
	t.Helper()
	img, err := imgtest.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// isWater reports whether a pixel has the lake fill's blue (#a9d0ee),
// allowing for thematic tints over it and anti-aliasing.
func isWater(c color.RGBA) bool {
	r, g, b := int(c.R), int(c.G), int(c.B)
	return b > 170 && b > r+40 && g > r+20
}

func TestRender_issykKulIsWaterAtItsPlace(t *testing.T) {
	out := filepath.Join(t.TempDir(), "a.png")
	if code, _, stderr := atlasRun(t, "render", "--bbox", "75,41,79,44", "--size", "1200x800", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	img := readImage(t, out)
	if img.Rect.Dx() != 1200 || img.Rect.Dy() != 800 {
		t.Fatalf("image is %v, want 1200x800", img.Rect.Size())
	}
	vp := viewport.New(orb.Point{77, 42.5}, 3, 1200, 800, 1).Fit(orb.Bound{Min: orb.Point{75, 41}, Max: orb.Point{79, 44}}, 0)
	// Open water in the middle of the lake, and dry land south of it.
	for name, tc := range map[string]struct {
		lonlat orb.Point
		water  bool
	}{
		"lake centre":   {orb.Point{77.3, 42.45}, true},
		"lake west":     {orb.Point{76.6, 42.35}, true},
		"Terskey range": {orb.Point{77.8, 41.9}, false},
		"Chu valley":    {orb.Point{75.3, 42.9}, false},
	} {
		p := vp.ToPixel(tc.lonlat)
		c := img.RGBAAt(int(p[0]), int(p[1]))
		if isWater(c) != tc.water {
			t.Errorf("%s at %v (pixel %v) has colour %v; water = %v", name, tc.lonlat, p, c, tc.water)
		}
	}
}

func TestRender_wholeRegionShowsTheSeas(t *testing.T) {
	out := filepath.Join(t.TempDir(), "region.png")
	if code, _, stderr := atlasRun(t, "render", "--out", out, "--size", "1600x1000"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	img := readImage(t, out)
	vp := viewport.New(atlas.Region.Center(), 3, 1600, 1000, 1).Fit(atlas.Region, 0)
	for name, lonlat := range map[string]orb.Point{
		"Caspian Sea":  {51, 42},
		"North Aral":   {60.8, 46.3},
		"South Aral":   {58.4, 45.0},
		"Lake Balkash": {74.5, 46.35},
	} {
		p := vp.ToPixel(lonlat)
		if c := img.RGBAAt(int(p[0]), int(p[1])); !isWater(c) {
			t.Errorf("%s at pixel %v is %v, not water", name, p, c)
		}
	}
}

func TestRender_scale2DoublesPixels(t *testing.T) {
	out := filepath.Join(t.TempDir(), "hi.png")
	if code, _, stderr := atlasRun(t, "render", "--center", "77,42.4", "--zoom", "7", "--size", "300x200", "--scale", "2", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if img := readImage(t, out); img.Rect.Dx() != 600 || img.Rect.Dy() != 400 {
		t.Errorf("image is %v, want 600x400", img.Rect.Size())
	}
}

func TestRender_layersNoneDrawsOnlyAddedFiles(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "square.geojson")
	if err := os.WriteFile(in, []byte(`{"type":"Polygon","coordinates":[[[60,40],[70,40],[70,45],[60,45],[60,40]]]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "o.png")
	code, stdout, stderr := atlasRun(t, "render", "--layers", "none", "--add", in, "--bbox", "58,38,72,47", "--size", "400x300", "--out", out, "--timings")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "TIMING renderer=ecoatlas load_s=") {
		t.Errorf("--timings printed %q", stdout)
	}
	img := readImage(t, out)
	if bg := img.RGBAAt(2, 2); bg != (color.RGBA{255, 255, 255, 255}) {
		t.Errorf("background %v, want white: no base map is drawn", bg)
	}
	// #6fa8dc at 60 % over white is #a9cbea, give or take rounding.
	if inside := img.RGBAAt(200, 150); absDiff(inside.R, 0xa9) > 2 || absDiff(inside.G, 0xcb) > 2 || absDiff(inside.B, 0xea) > 2 {
		t.Errorf("inside the added square is %v, want the plain blue fill #a9cbea", inside)
	}
}

func TestRun_badInputGivesOneLineAndExitCode(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.geojson")
	if err := os.WriteFile(broken, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1]}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "x.png")
	for name, tc := range map[string]struct {
		args []string
		code int
		want string
	}{
		"no command":      {nil, exitUsage, "usage"},
		"unknown command": {[]string{"draw"}, exitUsage, `unknown command "draw"`},
		"no out":          {[]string{"render"}, exitUsage, "--out is required"},
		"bad size":        {[]string{"render", "--out", out, "--size", "12by7"}, exitUsage, "--size"},
		"bad scale":       {[]string{"render", "--out", out, "--scale", "3"}, exitUsage, "--scale must be 1 or 2"},
		"bbox inverted":   {[]string{"render", "--out", out, "--bbox", "79,41,75,44"}, exitUsage, "min < max"},
		"bbox and center": {[]string{"render", "--out", out, "--bbox", "75,41,79,44", "--center", "1,2", "--zoom", "3"}, exitUsage, "either --bbox"},
		"center no zoom":  {[]string{"render", "--out", out, "--center", "77,42"}, exitUsage, "go together"},
		"unknown layer":   {[]string{"render", "--out", out, "--layers", "lakes,volcanoes"}, exitUsage, `no layer "volcanoes"`},
		"missing file":    {[]string{"render", "--out", out, "--add", filepath.Join(dir, "nope.geojson")}, exitFailure, "nope.geojson"},
		"broken file":     {[]string{"render", "--out", out, "--layers", "none", "--add", broken}, exitFailure, "broken.geojson"},
		"bad style":       {[]string{"render", "--out", out, "--style", broken}, exitFailure, "broken.geojson"},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := atlasRun(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.code, stderr)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q, want it to mention %q", stderr, tc.want)
			}
			if tc.code != exitOK && strings.Count(strings.TrimSpace(stderr), "\n") > 0 && tc.args != nil {
				t.Errorf("error is not one line: %q", stderr)
			}
		})
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed run left an output file")
	}
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}
