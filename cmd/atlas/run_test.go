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

func TestRender_addedFilesInAPlainStyle(t *testing.T) {
	dir := t.TempDir()
	in := writeInput(t, dir, "square.geojson", []byte(`{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"Square"},"geometry":{"type":"Polygon","coordinates":[[[60,40],[70,40],[70,45],[60,45],[60,40]]]}},
{"type":"Feature","properties":{"name":"Spring"},"geometry":{"type":"Point","coordinates":[71,41]}}]}`))
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
	vp := viewport.New(orb.Point{65, 42.5}, 5, 400, 300, 1).Fit(orb.Bound{Min: orb.Point{58, 38}, Max: orb.Point{72, 47}}, 0)
	// The square's fill is a light plum, which no one takes for water.
	p := vp.ToPixel(orb.Point{62, 43.5})
	if inside := img.RGBAAt(int(p[0]), int(p[1])); isWater(inside) || absDiff(inside.R, 221) > 3 || absDiff(inside.G, 189) > 3 || absDiff(inside.B, 229) > 3 {
		t.Errorf("inside the added square is %v, want the plain plum fill (221, 189, 229)", inside)
	}
	// The point is a dot of 7 pixels, dark in the middle.
	p = vp.ToPixel(orb.Point{71, 41})
	if c := img.RGBAAt(int(p[0]), int(p[1])); c.R > 160 || c.G > 80 {
		t.Errorf("at the point is %v, want its plum dot", c)
	}
	// Labels come from "name": the square's is dark text inside it.
	dark := 0
	a, b := vp.ToPixel(orb.Point{60, 45}), vp.ToPixel(orb.Point{70, 40})
	for y := int(a[1]); y < int(b[1]); y++ {
		for x := int(a[0]); x < int(b[0]); x++ {
			if c := img.RGBAAt(x, y); int(c.R)+int(c.G)+int(c.B) < 300 {
				dark++
			}
		}
	}
	if dark < 20 {
		t.Errorf("%d dark pixels in the square: its name is not drawn", dark)
	}
}

func TestRun_badInputGivesOneLineAndExitCode(t *testing.T) {
	dir := t.TempDir()
	broken := writeInput(t, dir, "broken.geojson", []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1]}}]}`))
	out := filepath.Join(dir, "x.png")
	for name, tc := range map[string]struct {
		args []string
		code int
		want string
	}{
		"no command":         {nil, exitUsage, "usage"},
		"unknown command":    {[]string{"draw"}, exitUsage, `unknown command "draw"`},
		"help of nothing":    {[]string{"help", "paint"}, exitUsage, `no help for "paint"`},
		"no out":             {[]string{"render"}, exitUsage, "--out is required"},
		"bad size":           {[]string{"render", "--out", out, "--size", "12by7"}, exitUsage, "--size"},
		"bad scale":          {[]string{"render", "--out", out, "--scale", "3"}, exitUsage, "--scale must be 1 or 2"},
		"NaN scale":          {[]string{"render", "--out", out, "--scale", "NaN"}, exitUsage, "--scale must be 1 or 2"},
		"bbox inverted":      {[]string{"render", "--out", out, "--bbox", "79,41,75,44"}, exitUsage, "min < max"},
		"bbox NaN":           {[]string{"render", "--out", out, "--bbox", "75,41,NaN,44"}, exitUsage, `--bbox: "NaN" is not a number`},
		"bbox infinite":      {[]string{"render", "--out", out, "--bbox", "-Inf,41,79,44"}, exitUsage, `--bbox: "-Inf" is not a number`},
		"bbox too small":     {[]string{"render", "--out", out, "--bbox", "75,41,75.0000001,41.0000001"}, exitUsage, "takes zoom 3"},
		"bbox too large":     {[]string{"render", "--out", out, "--bbox", "-180,-85,180,85", "--size", "400x300"}, exitUsage, "outside 2..18; give a smaller box"},
		"center NaN":         {[]string{"render", "--out", out, "--center", "NaN,42", "--zoom", "5"}, exitUsage, `--center: "NaN" is not a number`},
		"center infinite":    {[]string{"render", "--out", out, "--center", "77,+Inf", "--zoom", "5"}, exitUsage, `"+Inf" is not a number`},
		"zoom NaN":           {[]string{"render", "--out", out, "--center", "77,42", "--zoom", "NaN"}, exitUsage, "--zoom NaN is not a zoom in 2..18"},
		"zoom infinite":      {[]string{"render", "--out", out, "--center", "77,42", "--zoom", "Inf"}, exitUsage, "--zoom +Inf is not a zoom"},
		"image of gigabytes": {[]string{"render", "--out", out, "--size", "16384x16384", "--scale", "2"}, exitUsage, "32768x32768 pixels, 4.0 GiB; the largest is 1.0 GiB"},
		"bbox and center":    {[]string{"render", "--out", out, "--bbox", "75,41,79,44", "--center", "1,2", "--zoom", "3"}, exitUsage, "either --bbox"},
		"center no zoom":     {[]string{"render", "--out", out, "--center", "77,42"}, exitUsage, "go together"},
		"unknown layer":      {[]string{"render", "--out", out, "--layers", "lakes,volcanoes"}, exitUsage, `no layer "volcanoes"`},
		"bad limit":          {[]string{"render", "--out", out, "--limit", "speed=3"}, exitUsage, `limit "speed=3"`},
		"unknown format":     {[]string{"render", "--out", filepath.Join(dir, "x.gif")}, exitUsage, `".gif" is not an image format`},
		"no extension":       {[]string{"render", "--out", filepath.Join(dir, "x")}, exitUsage, "has no extension"},
		"missing file":       {[]string{"render", "--out", out, "--add", filepath.Join(dir, "nope.geojson")}, exitFailure, filepath.Join(dir, "nope.geojson")},
		"broken file":        {[]string{"render", "--out", out, "--layers", "none", "--add", broken}, exitFailure, broken + ": feature 1: line 1, column 100: geometry: Point has 1 number"},
		"bad style":          {[]string{"render", "--out", out, "--style", broken}, exitFailure, broken},
		"missing folder": {
			[]string{"render", "--out", filepath.Join(dir, "nowhere", "x.png")}, exitFailure,
			"--out " + filepath.Join(dir, "nowhere", "x.png") + ": the folder " + filepath.Join(dir, "nowhere") + " does not exist",
		},
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
			if strings.Contains(stderr, ".tmp") {
				t.Errorf("stderr %q names a temporary file", stderr)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("failed runs left files behind: %v", entries)
	}
}

func TestRun_help(t *testing.T) {
	for _, args := range [][]string{{"render", "--help"}, {"render", "-h"}, {"help", "render"}} {
		code, stdout, stderr := atlasRun(t, args...)
		if code != exitOK || stderr != "" {
			t.Errorf("%v: exit %d, stderr %q; want 0 and nothing", args, code, stderr)
		}
		for _, flag := range []string{"--out", "--size", "--scale", "--bbox", "--center", "--zoom", "--layers", "--style", "--add", "--lang", "--limit", "--timings", "Exit codes"} {
			if !strings.Contains(stdout, flag) {
				t.Errorf("%v: the help does not mention %s", args, flag)
			}
		}
	}
	if code, stdout, _ := atlasRun(t, "help"); code != exitOK || !strings.Contains(stdout, "atlas help render") {
		t.Errorf("atlas help: exit %d, %q", code, stdout)
	}
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}
