package tilepack_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"flag"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/tilepack"
	"github.com/ecoatlas/ecoatlas/geo/tilepack/tiletest"
)

// The fixtures in testdata are small packages made from package tiletest:
// MBTiles files by this package's writer, PMTiles files from them by the
// go-pmtiles CLI, the reference writer this package's reader must agree
// with. Regenerate them with
//
//	go test ./geo/tilepack -run TestFixtures -fixtures
//
// which runs "go run github.com/protomaps/go-pmtiles@v1.31.2" (or the
// binary named by $PMTILES) and ImageMagick's convert.
var writeFixtures = flag.Bool("fixtures", false, "rewrite the packages under testdata/ (needs the go-pmtiles CLI and ImageMagick)")

// fixture is a package of testdata and how its tiles are made.
type fixture struct {
	file  string
	md    tilepack.Metadata
	ids   []tilepack.ID
	tile  func(tilepack.ID) []byte
	built string // the MBTiles the PMTiles file is converted from
}

// graticuleColour is the background of the raster fixture at each zoom.
func graticuleColour(z int) color.NRGBA {
	return []color.NRGBA{{230, 240, 220, 255}, {245, 235, 200, 255}, {220, 230, 245, 255}, {240, 220, 230, 255}}[z%4]
}

func rasterTile(id tilepack.ID) []byte { return tiletest.Graticule(id, graticuleColour(id.Z), 2) }

func omtTile(id tilepack.ID) []byte {
	return tiletest.Vector(id, tiletest.OpenMapTiles(), tiletest.OpenMapTilesLayers)
}

func protomapsTile(id tilepack.ID) []byte {
	return tiletest.Vector(id, tiletest.Protomaps(), tiletest.ProtomapsLayers)
}

func fixtures() []fixture {
	ids := tiletest.Pyramid(tiletest.Region, 3, 6)
	raster := tilepack.Metadata{
		Name: "Graticule", Attribution: `<a href="https://example.org">© Graticule makers</a>`,
		Format: tilepack.FormatPNG, Bounds: tiletest.Region, MinZoom: 3, MaxZoom: 6,
	}
	omt := tilepack.Metadata{
		Name: "Sample OpenMapTiles", Attribution: "© OpenMapTiles © OpenStreetMap contributors",
		Format: tilepack.FormatMVT, Bounds: tiletest.Region, MinZoom: 3, MaxZoom: 6,
		VectorLayers: tiletest.OpenMapTilesLayers,
	}
	pm := omt
	pm.Name, pm.Attribution, pm.VectorLayers = "Sample Protomaps", "Protomaps © OpenStreetMap", tiletest.ProtomapsLayers
	return []fixture{
		{file: "raster.mbtiles", md: raster, ids: ids, tile: rasterTile},
		{file: "raster.pmtiles", md: raster, ids: ids, tile: rasterTile, built: "raster.mbtiles"},
		{file: "vector_omt.mbtiles", md: omt, ids: ids, tile: omtTile},
		{file: "vector_protomaps.pmtiles", md: pm, ids: ids, tile: protomapsTile, built: "vector_protomaps.mbtiles"},
	}
}

// TestFixtures checks that every tile of every fixture reads back as
// made, which for the PMTiles files means that this package's reader
// agrees with the go-pmtiles writer on every tile.
func TestFixtures(t *testing.T) {
	if *writeFixtures {
		makeFixtures(t)
	}
	ctx := context.Background()
	for _, fx := range fixtures() {
		t.Run(fx.file, func(t *testing.T) {
			a, err := tilepack.Open(filepath.Join("testdata", fx.file))
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			md := a.Metadata()
			if md.Name != fx.md.Name || md.Format != fx.md.Format || md.MinZoom != fx.md.MinZoom || md.MaxZoom != fx.md.MaxZoom {
				t.Errorf("metadata %+v, want name %q, format %q, zooms %d..%d", md, fx.md.Name, fx.md.Format, fx.md.MinZoom, fx.md.MaxZoom)
			}
			if !md.Bounds.Contains(fx.md.Bounds.Min) || !md.Bounds.Contains(fx.md.Bounds.Max) || md.Bounds.Max[0]-md.Bounds.Min[0] > 23 {
				t.Errorf("bounds %v, want about %v", md.Bounds, fx.md.Bounds)
			}
			stored := 0
			for _, id := range fx.ids {
				want := fx.tile(id)
				got, err := a.Tile(ctx, id)
				if err != nil {
					t.Fatalf("tile %v: %v", id, err)
				}
				if want == nil {
					if got != nil {
						t.Errorf("tile %v: %d bytes, want none", id, len(got))
					}
					continue
				}
				stored++
				if !sameTile(t, got, want) {
					t.Errorf("tile %v differs from the one made", id)
				}
			}
			if stored == 0 {
				t.Fatal("no tiles compared")
			}
		})
	}
}

// sameTile compares tile bytes, gzip-compressed or not.
func sameTile(t *testing.T, got, want []byte) bool {
	t.Helper()
	return bytes.Equal(gunzip(t, got), gunzip(t, want))
}

func makeFixtures(t *testing.T) {
	tmp := t.TempDir()
	for _, fx := range fixtures() {
		out := filepath.Join("testdata", fx.file)
		os.Remove(out)
		if fx.built == "" {
			if err := tiletest.WriteMBTiles(out, fx.md, fx.ids, fx.tile); err != nil {
				t.Fatal(err)
			}
			continue
		}
		src := filepath.Join(tmp, fx.built)
		if err := tiletest.WriteMBTiles(src, fx.md, fx.ids, fx.tile); err != nil {
			t.Fatal(err)
		}
		abs, err := filepath.Abs(out)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("go", "run", "github.com/protomaps/go-pmtiles@v1.31.2", "convert", src, abs)
		if bin := os.Getenv("PMTILES"); bin != "" {
			cmd = exec.Command(bin, "convert", src, abs)
		}
		cmd.Dir = tmp // outside this module, so that go run resolves the CLI on its own
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", cmd, err, msg)
		}
	}
	// A WebP tile, lossless, for the decoder.
	png := filepath.Join(tmp, "tile.png")
	if err := os.WriteFile(png, rasterTile(tilepack.ID{Z: 5, X: 22, Y: 11}), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("convert", png, "-define", "webp:lossless=true", filepath.Join("testdata", "tile.webp"))
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", cmd, err, msg)
	}
}

// TestPMTiles_cliLeafDirectories checks the reader on an archive big
// enough for the go-pmtiles CLI to write leaf directories: 21 845 tiles
// (zooms 0 to 7), each holding its own name. It needs the CLI, so it
// runs only when $PMTILES names its binary.
func TestPMTiles_cliLeafDirectories(t *testing.T) {
	bin := os.Getenv("PMTILES")
	if bin == "" {
		t.Skip("set PMTILES to the go-pmtiles binary to run this test")
	}
	dir := t.TempDir()
	src, out := filepath.Join(dir, "many.mbtiles"), filepath.Join(dir, "many.pmtiles")
	var ids []tilepack.ID
	for z := range 8 {
		for x := range 1 << z {
			for y := range 1 << z {
				ids = append(ids, tilepack.ID{Z: z, X: x, Y: y})
			}
		}
	}
	md := tilepack.Metadata{Name: "many", Format: tilepack.FormatPNG, MinZoom: 0, MaxZoom: 7}
	if err := tiletest.WriteMBTiles(src, md, ids, func(id tilepack.ID) []byte { return []byte(id.String()) }); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(bin, "convert", src, out).CombinedOutput(); err != nil {
		t.Fatalf("convert: %v\n%s", err, msg)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if leaves := binary.LittleEndian.Uint64(raw[48:]); leaves == 0 {
		t.Fatal("the CLI wrote no leaf directories")
	}
	p, err := tilepack.OpenPMTiles(out)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for _, id := range ids {
		data, err := p.Tile(context.Background(), id)
		if err != nil || string(data) != id.String() {
			t.Fatalf("tile %v: %q, %v", id, data, err)
		}
	}
}
