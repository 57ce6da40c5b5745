package main

import (
	"fmt"
	"image/color"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/tilepack"
	"github.com/ecoatlas/ecoatlas/geo/tilepack/tiletest"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

const tilepackData = "../../geo/tilepack/testdata"

func TestTilesInfo(t *testing.T) {
	for file, want := range map[string][]string{
		"raster.mbtiles":           {"MBTiles", "name:        Graticule", "png (raster tiles)", "zooms:       3–6", "58.0000,38.0000,80.0000,47.0000", "© Graticule makers", "27 (2 at z3, 4 at z4, 6 at z5, 15 at z6)"},
		"vector_protomaps.pmtiles": {"PMTiles", "pbf (vector tiles)", "earth, landcover, water, roads, boundaries, places", "protomaps schema"},
		"vector_omt.mbtiles":       {"openmaptiles schema"},
	} {
		code, stdout, stderr := atlasRun(t, "tiles", "info", filepath.Join(tilepackData, file))
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", file, code, stderr)
		}
		for _, w := range want {
			if !strings.Contains(stdout, w) {
				t.Errorf("%s: the output lacks %q:\n%s", file, w, stdout)
			}
		}
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"tiles", "info", "run.go"}, exitFailure, "run.go: tilepack: not an MBTiles or PMTiles file"},
		{[]string{"tiles", "info", "missing.mbtiles"}, exitFailure, "missing.mbtiles"},
		{[]string{"tiles", "info"}, exitUsage, "one file"},
		{[]string{"tiles", "list"}, exitUsage, `unknown command "list"`},
	} {
		code, _, stderr := atlasRun(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}

// tileServer serves graticule tiles at /Z/X/Y.png, a 404 for the tiles
// of broken, and counts the requests.
func tileServer(t *testing.T, broken map[tilepack.ID]bool) (*httptest.Server, *atomic.Int64) {
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		var id tilepack.ID
		if _, err := fmt.Sscanf(r.URL.Path, "/%d/%d/%d.png", &id.Z, &id.X, &id.Y); err != nil || broken[id] {
			http.NotFound(w, r)
			return
		}
		w.Write(tiletest.Graticule(id, color.NRGBA{0xf0, 0xf0, 0xf0, 0xff}, 2))
	}))
	t.Cleanup(srv.Close)
	return srv, &requests
}

func TestTilesFetch(t *testing.T) {
	ids := tiletest.Pyramid(tiletest.Region, 3, 5)
	srv, requests := tileServer(t, map[tilepack.ID]bool{ids[5]: true})
	out := filepath.Join(t.TempDir(), "area.mbtiles")
	args := []string{"tiles", "fetch", "--bbox", "58,38,80,47", "--zoom", "3-5", "--url", srv.URL + "/{z}/{x}/{y}.png", "--out", out, "--rate", "500"}

	code, stdout, stderr := atlasRun(t, append(args, "--dry-run")...)
	if code != exitOK || !strings.Contains(stdout, "12 tiles at zooms 3–5, about 240.0 kB") || requests.Load() != 0 {
		t.Errorf("dry run: exit %d, %q, %q, %d requests", code, stdout, stderr, requests.Load())
	}

	code, _, stderr = atlasRun(t, args...)
	if code != exitFailure || !strings.Contains(stderr, fmt.Sprintf("failed: tile %v", ids[5])) ||
		!strings.Contains(stderr, "404") || !strings.Contains(stderr, "1 of 12 tiles failed") {
		t.Errorf("with a missing tile: exit %d, %q", code, stderr)
	}
	code, stdout, stderr = atlasRun(t, "tiles", "info", out)
	if code != exitOK || !strings.Contains(stdout, "11 (2 at z3, 3 at z4, 6 at z5)") || !strings.Contains(stdout, "name:        area") {
		t.Errorf("info of the download: exit %d, %q, %q", code, stdout, stderr)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"tiles", "fetch", "--bbox", "58,38,80,47", "--zoom", "3-5", "--url", "ftp://x/{z}/{x}/{y}", "--out", out}, "bad tile URL template"},
		{[]string{"tiles", "fetch", "--bbox", "58,38,80,47", "--zoom", "5-3", "--url", srv.URL + "/{z}/{x}/{y}.png", "--out", out}, "--zoom"},
		{[]string{"tiles", "fetch", "--bbox", "58,38,80,47", "--zoom", "3-12", "--url", srv.URL + "/{z}/{x}/{y}.png", "--out", out, "--max-tiles", "1000"}, "more than --max-tiles 1000"},
		{[]string{"tiles", "fetch", "--bbox", "58,38,80,47", "--url", srv.URL + "/{z}/{x}/{y}.png", "--out", out}, "needs --bbox, --zoom, --url and --out"},
	} {
		before := requests.Load()
		code, _, stderr := atlasRun(t, tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) || requests.Load() != before {
			t.Errorf("%v: exit %d, %q; want exit 2 saying %q, and no request", tc.args[5:], code, stderr, tc.want)
		}
	}
}

func TestRender_tiles(t *testing.T) {
	out := filepath.Join(t.TempDir(), "grid.png")
	code, _, stderr := atlasRun(t, "render", "--layers", "none", "--tiles", filepath.Join(tilepackData, "raster.pmtiles"),
		"--center", "70,42", "--zoom", "5.5", "--size", "600x400", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	img := readImage(t, out)
	vp := viewport.New(orb.Point{70, 42}, 5.5, 600, 400, 1)
	// The 70° meridian, red in the package, halfway between parallels.
	p := vp.ToPixel(orb.Point{70, 43})
	reddest := 0
	for x := int(p[0]) - 1; x <= int(p[0])+1; x++ {
		c := img.RGBAAt(x, int(p[1]))
		reddest = max(reddest, int(c.R)-int(c.G))
	}
	if reddest < 20 {
		t.Errorf("no red meridian at x %.1f of the rendered package", p[0])
	}

	// A vector package over the embedded map, fitted to its bounds.
	code, _, stderr = atlasRun(t, "render", "--tiles", filepath.Join(tilepackData, "vector_omt.mbtiles"),
		"--tiles-below", "places", "--size", "400x300", "--out", out)
	if code != exitOK {
		t.Fatalf("vector package: exit %d: %s", code, stderr)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--tiles", "run.go"}, exitFailure, "not an MBTiles or PMTiles file"},
		{[]string{"--tiles", filepath.Join(tilepackData, "raster.mbtiles"), "--tiles-below", "nowhere"}, exitUsage, `no layer "nowhere"`},
		{[]string{"--tiles", filepath.Join(tilepackData, "raster.mbtiles"), "--tiles-opacity", "2"}, exitUsage, "--tiles-opacity"},
	} {
		code, _, stderr := atlasRun(t, append([]string{"render", "--size", "100x100", "--out", out}, tc.args...)...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}

func TestRender_corruptTileIsReported(t *testing.T) {
	ids := tiletest.Pyramid(tiletest.Region, 4, 4)
	path := filepath.Join(t.TempDir(), "broken.mbtiles")
	md := tilepack.Metadata{Name: "broken", Format: tilepack.FormatPNG, Bounds: tiletest.Region, MinZoom: 4, MaxZoom: 4}
	err := tiletest.WriteMBTiles(path, md, ids, func(id tilepack.ID) []byte {
		if id == ids[1] {
			return []byte("\x89PNG\r\n\x1a\ngarbage")
		}
		return tiletest.Graticule(id, color.NRGBA{0xff, 0xff, 0xff, 0xff}, 2)
	})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "map.png")
	code, _, stderr := atlasRun(t, "render", "--layers", "none", "--tiles", path, "--size", "300x200", "--out", out)
	if code != exitFailure || !strings.Contains(stderr, fmt.Sprintf("1 tiles of %s could not be drawn", path)) || !strings.Contains(stderr, "tile "+ids[1].String()) {
		t.Errorf("exit %d, %q; want 1 naming the tile", code, stderr)
	}
	if img := readImage(t, out); img.Rect.Dx() != 300 {
		t.Errorf("the image was not written whole: %v", img.Rect)
	}
}
