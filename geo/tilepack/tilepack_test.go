package tilepack_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/tilepack"
	"github.com/ecoatlas/ecoatlas/geo/tilepack/tiletest"
	"github.com/paulmach/orb"
)

func gunzip(t testing.TB, data []byte) []byte {
	t.Helper()
	if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		return data
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestHilbertID(t *testing.T) {
	// The examples of the PMTiles specification's reference code.
	for _, tc := range []struct {
		id   tilepack.ID
		want uint64
	}{
		{tilepack.ID{Z: 0, X: 0, Y: 0}, 0},
		{tilepack.ID{Z: 1, X: 0, Y: 0}, 1},
		{tilepack.ID{Z: 1, X: 0, Y: 1}, 2},
		{tilepack.ID{Z: 1, X: 1, Y: 1}, 3},
		{tilepack.ID{Z: 1, X: 1, Y: 0}, 4},
		{tilepack.ID{Z: 2, X: 0, Y: 0}, 5},
		{tilepack.ID{Z: 3, X: 0, Y: 0}, 21},
		{tilepack.ID{Z: 20, X: 0, Y: 0}, 366503875925},
	} {
		if got := tilepack.HilbertID(tc.id); got != tc.want {
			t.Errorf("HilbertID(%v) = %d, want %d", tc.id, got, tc.want)
		}
	}
	// Every tile of a zoom has its own id, in the zoom's block, and
	// neighbours along the curve are neighbours on the map.
	const z = 4
	n := 1 << z
	at := map[uint64]tilepack.ID{}
	base := tilepack.HilbertID(tilepack.ID{Z: z})
	for x := range n {
		for y := range n {
			id := tilepack.ID{Z: z, X: x, Y: y}
			h := tilepack.HilbertID(id)
			if h < base || h >= base+uint64(n*n) {
				t.Fatalf("HilbertID(%v) = %d, outside %d..%d", id, h, base, base+uint64(n*n))
			}
			if other, dup := at[h]; dup {
				t.Fatalf("%v and %v share id %d", id, other, h)
			}
			at[h] = id
		}
	}
	for h := base + 1; h < base+uint64(n*n); h++ {
		a, b := at[h-1], at[h]
		if d := abs(a.X-b.X) + abs(a.Y-b.Y); d != 1 {
			t.Fatalf("ids %d and %d are tiles %v and %v, not neighbours", h-1, h, a, b)
		}
	}
}

func abs(v int) int { return max(v, -v) }

func TestRangeOf(t *testing.T) {
	for _, tc := range []struct {
		b    orb.Bound
		z    int
		want tilepack.Range
	}{
		{orb.Bound{Min: orb.Point{-180, -85}, Max: orb.Point{180, 85}}, 0, tilepack.Range{Z: 0}},
		{orb.Bound{Min: orb.Point{-180, -85}, Max: orb.Point{180, 85}}, 2, tilepack.Range{Z: 2, MaxX: 3, MaxY: 3}},
		// The east edge on a tile edge stays out of the next tile.
		{orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{90, 60}}, 2, tilepack.Range{Z: 2, MinX: 2, MinY: 1, MaxX: 2, MaxY: 1}},
		{orb.Bound{Min: orb.Point{69.2, 41.3}, Max: orb.Point{69.2, 41.3}}, 10, tilepack.Range{Z: 10, MinX: 708, MinY: 382, MaxX: 708, MaxY: 382}},
	} {
		if got := tilepack.RangeOf(tc.b, tc.z); got != tc.want {
			t.Errorf("RangeOf(%v, %d) = %+v, want %+v", tc.b, tc.z, got, tc.want)
		}
	}
}

// writeMBTiles writes an MBTiles file of tiles into a temporary folder.
func writeMBTiles(t *testing.T, md tilepack.Metadata, tiles map[tilepack.ID][]byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.mbtiles")
	w, err := tilepack.OpenMBTilesWriter(path, md)
	if err != nil {
		t.Fatal(err)
	}
	for id, data := range tiles {
		if err := w.Put(context.Background(), id, data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestMBTiles_roundTrip(t *testing.T) {
	tiles := map[tilepack.ID][]byte{
		{Z: 2, X: 1, Y: 0}:  []byte("\x89PNG\r\n\x1a\nnorth"),
		{Z: 2, X: 1, Y: 3}:  []byte("\x89PNG\r\n\x1a\nsouth"),
		{Z: 4, X: 11, Y: 6}: []byte("\x89PNG\r\n\x1a\ndeep"),
	}
	md := tilepack.Metadata{
		Name: "Test", Description: "a test", Attribution: `<a href="x">© Someone &amp; co</a>`,
		Format: tilepack.FormatPNG, Bounds: orb.Bound{Min: orb.Point{60, 40}, Max: orb.Point{70, 45}},
		Center: orb.Point{65, 42}, CenterZoom: 5, HasCenter: true, MinZoom: 2, MaxZoom: 4,
	}
	path := writeMBTiles(t, md, tiles)

	m, err := tilepack.OpenMBTiles(path)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	got := m.Metadata()
	if got.Name != "Test" || got.Description != "a test" || got.Attribution != "© Someone & co" ||
		got.Format != tilepack.FormatPNG || got.Bounds != md.Bounds || !got.HasCenter || got.Center != md.Center ||
		got.CenterZoom != 5 || got.MinZoom != 2 || got.MaxZoom != 4 {
		t.Errorf("metadata %+v, want %+v with a plain-text attribution", got, md)
	}
	for id, want := range tiles {
		data, err := m.Tile(context.Background(), id)
		if err != nil || !bytes.Equal(data, want) {
			t.Errorf("Tile(%v) = %q, %v; want %q", id, data, err, want)
		}
	}
	if data, err := m.Tile(context.Background(), tilepack.ID{Z: 2, X: 0, Y: 0}); data != nil || err != nil {
		t.Errorf("missing tile: %q, %v; want nil, nil", data, err)
	}
	counts, err := m.TileCounts(context.Background())
	if err != nil || counts[2] != 2 || counts[4] != 1 {
		t.Errorf("TileCounts = %v, %v; want 2 at zoom 2, 1 at zoom 4", counts, err)
	}

	// Rows are stored from the south, as the specification says.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var data []byte
	if err := db.QueryRow(`SELECT tile_data FROM tiles WHERE zoom_level = 2 AND tile_column = 1 AND tile_row = 3`).Scan(&data); err != nil || string(data) != "\x89PNG\r\n\x1a\nnorth" {
		t.Errorf("TMS row 3 of zoom 2 holds %q (%v), want the northern tile", data, err)
	}
}

func TestMBTilesWriter_resume(t *testing.T) {
	path := writeMBTiles(t, tilepack.Metadata{Name: "first"}, map[tilepack.ID][]byte{
		{Z: 3, X: 5, Y: 2}: []byte("a"),
		{Z: 3, X: 6, Y: 3}: []byte("b"),
		{Z: 3, X: 0, Y: 0}: []byte("outside the range"),
	})
	w, err := tilepack.OpenMBTilesWriter(path, tilepack.Metadata{Name: "second", Format: tilepack.FormatPNG})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	stored, err := w.Stored(context.Background(), tilepack.Range{Z: 3, MinX: 5, MinY: 2, MaxX: 6, MaxY: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 2 {
		t.Errorf("Stored = %v, want the two tiles of the range", stored)
	}
	if err := w.Put(context.Background(), tilepack.ID{Z: 3, X: 5, Y: 3}, []byte("c")); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	m, err := tilepack.OpenMBTiles(path)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	counts, err := m.TileCounts(context.Background())
	if err != nil || counts[3] != 4 || m.Metadata().Name != "second" {
		t.Errorf("after resuming: counts %v (%v), name %q; want 4 tiles and the new name", counts, err, m.Metadata().Name)
	}
}

func TestOpen_notAPackage(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.mbtiles")
	os.WriteFile(text, []byte("just some text, longer than a magic number"), 0o644)
	other := filepath.Join(dir, "other.sqlite")
	db, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE features (id INTEGER)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, path := range []string{text, other} {
		a, err := tilepack.Open(path)
		if !errors.Is(err, tilepack.ErrNotPackage) {
			t.Errorf("Open(%s) = %v, %v; want ErrNotPackage", filepath.Base(path), a, err)
		}
	}
	if _, err := tilepack.Open(filepath.Join(dir, "missing.pmtiles")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open of a missing file: %v, want os.ErrNotExist", err)
	}
}

func TestMBTiles_refusesHugeTile(t *testing.T) {
	path := writeMBTiles(t, tilepack.Metadata{Name: "huge", Format: tilepack.FormatPNG}, map[tilepack.ID][]byte{{Z: 1, X: 0, Y: 0}: []byte("x")})
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE tiles SET tile_data = zeroblob(?)`, tilepack.MaxTileBytes+1); err != nil {
		t.Fatal(err)
	}
	db.Close()
	m, err := tilepack.OpenMBTiles(path)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	_, err = m.Tile(context.Background(), tilepack.ID{Z: 1, X: 0, Y: 0})
	var te *tilepack.TileError
	if !errors.Is(err, tilepack.ErrTooLarge) || !errors.As(err, &te) || te.Tile != (tilepack.ID{Z: 1}) {
		t.Errorf("Tile = %v, want a TileError wrapping ErrTooLarge", err)
	}
}

func TestOpenFS(t *testing.T) {
	fsys := os.DirFS("testdata")
	for _, name := range []string{"raster.mbtiles", "raster.pmtiles"} {
		a, err := tilepack.OpenFS(fsys, name)
		if err != nil {
			t.Fatal(err)
		}
		id := tilepack.ID{Z: 5, X: 22, Y: 11}
		data, err := a.Tile(context.Background(), id)
		if err != nil || !bytes.Equal(data, rasterTile(id)) {
			t.Errorf("%s: tile %v: %d bytes, %v", name, id, len(data), err)
		}
		if err := a.Close(); err != nil {
			t.Error(err)
		}
	}
}

func TestDecodeImage(t *testing.T) {
	id := tilepack.ID{Z: 5, X: 22, Y: 11}
	want, err := tilepack.DecodeImage(rasterTile(id))
	if err != nil {
		t.Fatal(err)
	}
	if want.Rect != image.Rect(0, 0, 256, 256) {
		t.Fatalf("PNG tile decodes to %v", want.Rect)
	}
	webp, err := os.ReadFile("testdata/tile.webp")
	if err != nil {
		t.Fatal(err)
	}
	got, err := tilepack.DecodeImage(webp)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Pix, want.Pix) {
		t.Error("the lossless WebP tile decodes to other pixels than its PNG")
	}
	var jpg bytes.Buffer
	src := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for i := range src.Pix {
		src.Pix[i] = 200
	}
	if err := jpeg.Encode(&jpg, src, nil); err != nil {
		t.Fatal(err)
	}
	got, err = tilepack.DecodeImage(jpg.Bytes())
	if err != nil || got.RGBAAt(100, 100).R < 195 || got.RGBAAt(100, 100).R > 205 {
		t.Errorf("JPEG tile: %v, %v", got.RGBAAt(100, 100), err)
	}

	// A PNG header claiming a huge image is refused before decoding.
	var huge bytes.Buffer
	png.Encode(&huge, image.NewGray(image.Rect(0, 0, 1, 1)))
	b := huge.Bytes()
	copy(b[16:24], []byte{0, 1, 0, 0, 0, 1, 0, 0}) // 65536 × 65536
	var oblong bytes.Buffer
	png.Encode(&oblong, image.NewGray(image.Rect(0, 0, 256, 128)))
	for name, data := range map[string][]byte{"garbage": []byte("<html>rate limited</html>"), "huge": b, "truncated": rasterTile(id)[:60], "oblong": oblong.Bytes()} {
		_, err := tilepack.DecodeImage(data)
		if !errors.Is(err, tilepack.ErrCorrupt) && !errors.Is(err, tilepack.ErrTooLarge) {
			t.Errorf("%s: DecodeImage = %v, want ErrCorrupt or ErrTooLarge", name, err)
		}
	}
}

func TestDecodeVector(t *testing.T) {
	id := tilepack.ID{Z: 6, X: 44, Y: 23} // over Tashkent
	vt, err := tilepack.DecodeVector(omtTile(id), id)
	if err != nil {
		t.Fatal(err)
	}
	var tashkent orb.Point
	for _, f := range vt.Layers["place"] {
		if f.Properties.String("name") == "Tashkent" {
			tashkent = f.Geometry.(orb.Point)
			if f.ID != "100" || f.Properties.String("name:ru") != "Ташкент" {
				t.Errorf("Tashkent has id %q and Russian name %q", f.ID, f.Properties.String("name:ru"))
			}
		}
	}
	// One unit of the 4096 grid at zoom 6 is about 0.0014° of longitude.
	if math.Abs(tashkent[0]-69.24) > 0.002 || math.Abs(tashkent[1]-41.31) > 0.002 {
		t.Errorf("Tashkent decodes at %v, want 69.24, 41.31", tashkent)
	}
	for _, name := range []string{"landcover", "waterway", "transportation", "boundary"} {
		if len(vt.Layers[name]) == 0 {
			t.Errorf("layer %q is empty", name)
		}
	}

	// A gzip bomb is refused.
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestSpeed)
	zw.Write(make([]byte, tilepack.MaxInflatedBytes+1))
	zw.Close()
	for name, data := range map[string][]byte{
		"bomb":      bomb.Bytes(),
		"garbage":   []byte("\x1a\xff\xff\xff\xff\x0fnot a tile"),
		"truncated": gunzip(t, omtTile(id))[:100],
	} {
		if _, err := tilepack.DecodeVector(data, id); !errors.Is(err, tilepack.ErrCorrupt) && !errors.Is(err, tilepack.ErrTooLarge) {
			t.Errorf("%s: DecodeVector = %v, want ErrCorrupt or ErrTooLarge", name, err)
		}
	}
}

// countingArchive counts the reads of an archive.
type countingArchive struct {
	tilepack.Archive
	mu    sync.Mutex
	reads map[tilepack.ID]int
}

func (c *countingArchive) Tile(ctx context.Context, id tilepack.ID) ([]byte, error) {
	c.mu.Lock()
	c.reads[id]++
	c.mu.Unlock()
	return c.Archive.Tile(ctx, id)
}

func TestTiles_decodeOnceAndRememberFailures(t *testing.T) {
	good, bad := tilepack.ID{Z: 3, X: 5, Y: 2}, tilepack.ID{Z: 3, X: 5, Y: 3}
	path := writeMBTiles(t, tilepack.Metadata{Name: "t", Format: tilepack.FormatPNG}, map[tilepack.ID][]byte{
		good: tiletest.Graticule(good, color.NRGBA{255, 255, 255, 255}, 5),
		bad:  []byte("\x89PNG\r\n\x1a\n but then garbage"),
	})
	m, err := tilepack.OpenMBTiles(path)
	if err != nil {
		t.Fatal(err)
	}
	a := &countingArchive{Archive: m, reads: map[tilepack.ID]int{}}
	tiles := tilepack.NewTiles(a, 0)
	defer tiles.Close()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for _, id := range []tilepack.ID{good, bad, {Z: 3, X: 0, Y: 0}} {
				img, err := tiles.Image(context.Background(), id)
				switch id {
				case good:
					if err != nil || img == nil {
						t.Errorf("good tile: %v", err)
					}
				case bad:
					var te *tilepack.TileError
					if !errors.As(err, &te) || te.Tile != bad || !errors.Is(err, tilepack.ErrCorrupt) {
						t.Errorf("corrupt tile: %v, want a TileError wrapping ErrCorrupt", err)
					}
				default:
					if img != nil || err != nil {
						t.Errorf("missing tile: %v, %v", img, err)
					}
				}
			}
		})
	}
	wg.Wait()
	for id, n := range a.reads {
		if n != 1 {
			t.Errorf("tile %v read %d times, want once", id, n)
		}
	}
	failures, n := tiles.Failures()
	if n != 1 || len(failures) != 1 || failures[0].Tile != bad {
		t.Errorf("Failures = %v, %d; want the corrupt tile once", failures, n)
	}
}

func TestTiles_cancelledReadIsRetried(t *testing.T) {
	a, err := tilepack.Open("testdata/raster.pmtiles")
	if err != nil {
		t.Fatal(err)
	}
	tiles := tilepack.NewTiles(a, 0)
	defer tiles.Close()
	id := tilepack.ID{Z: 4, X: 10, Y: 5}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := tiles.Image(ctx, id); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled read: %v", err)
	}
	img, err := tiles.Image(context.Background(), id)
	if err != nil || img == nil {
		t.Errorf("read after a cancelled one: %v, %v", img, err)
	}
	if _, n := tiles.Failures(); n != 0 {
		t.Errorf("a cancellation counted as %d failures", n)
	}
}
