package tilepack_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/tilepack"
)

// entry is a directory entry as the test writer below lays it out.
type entry struct {
	tileID, offset uint64
	length, runLen uint32
}

// encodeDirectory serializes entries as the PMTiles v3 specification
// says, gzip-compressed: count, delta-coded ids, run lengths, lengths and
// offsets (0 for "right after the previous entry", offset+1 otherwise).
func encodeDirectory(entries []entry) []byte {
	var raw []byte
	raw = binary.AppendUvarint(raw, uint64(len(entries)))
	last := uint64(0)
	for _, e := range entries {
		raw = binary.AppendUvarint(raw, e.tileID-last)
		last = e.tileID
	}
	for _, e := range entries {
		raw = binary.AppendUvarint(raw, uint64(e.runLen))
	}
	for _, e := range entries {
		raw = binary.AppendUvarint(raw, uint64(e.length))
	}
	for i, e := range entries {
		if i > 0 && e.offset == entries[i-1].offset+uint64(entries[i-1].length) {
			raw = binary.AppendUvarint(raw, 0)
		} else {
			raw = binary.AppendUvarint(raw, e.offset+1)
		}
	}
	return gzipBytes(raw)
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// buildPMTiles lays out an archive of the tiles of zooms 0..maxZoom whose
// contents are "Z/X/Y" (run-length coded where neighbours along the curve
// share contents when shared is set), with its tile entries spread over
// leaf directories of at most leafSize entries.
func buildPMTiles(maxZoom int, leafSize int, shared bool) []byte {
	type tile struct {
		id   uint64
		data []byte
	}
	var tiles []tile
	for z := 0; z <= maxZoom; z++ {
		n := 1 << z
		for x := range n {
			for y := range n {
				id := tilepack.ID{Z: z, X: x, Y: y}
				data := []byte(id.String())
				if shared && z == maxZoom {
					data = []byte("sea")
				}
				tiles = append(tiles, tile{tilepack.HilbertID(id), gzipBytes(data)})
			}
		}
	}
	// Sort by id (insertion order is by zoom, then x, then y).
	for i := 1; i < len(tiles); i++ {
		for j := i; j > 0 && tiles[j].id < tiles[j-1].id; j-- {
			tiles[j], tiles[j-1] = tiles[j-1], tiles[j]
		}
	}
	var data []byte
	var entries []entry
	for _, t := range tiles {
		if n := len(entries); n > 0 && shared && entries[n-1].tileID+uint64(entries[n-1].runLen) == t.id &&
			bytes.Equal(data[entries[n-1].offset:entries[n-1].offset+uint64(entries[n-1].length)], t.data) {
			entries[n-1].runLen++
			continue
		}
		entries = append(entries, entry{tileID: t.id, offset: uint64(len(data)), length: uint32(len(t.data)), runLen: 1})
		data = append(data, t.data...)
	}
	var root, leaves []byte
	if leafSize <= 0 || len(entries) <= leafSize {
		root = encodeDirectory(entries)
	} else {
		var rootEntries []entry
		for start := 0; start < len(entries); start += leafSize {
			part := entries[start:min(start+leafSize, len(entries))]
			leaf := encodeDirectory(part)
			rootEntries = append(rootEntries, entry{tileID: part[0].tileID, offset: uint64(len(leaves)), length: uint32(len(leaf))})
			leaves = append(leaves, leaf...)
		}
		root = encodeDirectory(rootEntries)
	}
	metadata := gzipBytes([]byte(`{"name":"synthetic","attribution":"<b>us</b>"}`))

	h := make([]byte, 127)
	copy(h, "PMTiles")
	h[7] = 3
	le := binary.LittleEndian
	off := uint64(127)
	put := func(at int, length int) {
		le.PutUint64(h[at:], off)
		le.PutUint64(h[at+8:], uint64(length))
		off += uint64(length)
	}
	put(8, len(root))
	put(24, len(metadata))
	put(40, len(leaves))
	put(56, len(data))
	h[97], h[98], h[99] = 2, 2, 2 // gzip, gzip, PNG
	h[100], h[101] = 0, byte(maxZoom)
	for i, v := range []int32{-180e7, -85e7, 180e7, 85e7} {
		le.PutUint32(h[102+4*i:], uint32(v))
	}
	out := append(h, root...)
	out = append(out, metadata...)
	out = append(out, leaves...)
	return append(out, data...)
}

func TestPMTiles_leafDirectories(t *testing.T) {
	for _, tc := range []struct {
		name     string
		leafSize int
		shared   bool
	}{{"root only", 0, false}, {"leaves", 7, false}, {"leaves and runs", 5, true}} {
		t.Run(tc.name, func(t *testing.T) {
			const maxZoom = 4
			archive := buildPMTiles(maxZoom, tc.leafSize, tc.shared)
			p, err := tilepack.NewPMTiles(bytes.NewReader(archive), int64(len(archive)), "synthetic.pmtiles")
			if err != nil {
				t.Fatal(err)
			}
			if md := p.Metadata(); md.Name != "synthetic" || md.Attribution != "us" || md.MaxZoom != maxZoom {
				t.Errorf("metadata %+v", md)
			}
			for z := 0; z <= maxZoom; z++ {
				for x := range 1 << z {
					for y := range 1 << z {
						id := tilepack.ID{Z: z, X: x, Y: y}
						data, err := p.Tile(context.Background(), id)
						want := id.String()
						if tc.shared && z == maxZoom {
							want = "sea"
						}
						if err != nil || string(data) != want {
							t.Fatalf("Tile(%v) = %q, %v; want %q", id, data, err, want)
						}
					}
				}
			}
			if data, err := p.Tile(context.Background(), tilepack.ID{Z: maxZoom + 1}); data != nil || err != nil {
				t.Errorf("tile below the deepest zoom: %q, %v", data, err)
			}
		})
	}
}

func TestPMTiles_corrupt(t *testing.T) {
	good := buildPMTiles(3, 4, false)
	le := binary.LittleEndian
	for _, tc := range []struct {
		name   string
		edit   func(b []byte) []byte
		atTile bool // the error shows only when a tile is read
	}{
		{"truncated header", func(b []byte) []byte { return b[:100] }, false},
		{"version 2", func(b []byte) []byte { b[7] = 2; return b }, false},
		{"root beyond the end", func(b []byte) []byte { le.PutUint64(b[8:], 1<<40); return b }, false},
		{"huge root", func(b []byte) []byte { le.PutUint64(b[16:], 1<<62); return b }, false},
		{"brotli", func(b []byte) []byte { b[97] = 3; return b }, false},
		{"zoom range", func(b []byte) []byte { b[100], b[101] = 5, 2; return b }, false},
		{"garbage root", func(b []byte) []byte {
			root := le.Uint64(b[8:])
			for i := range le.Uint64(b[16:]) {
				b[root+i] = 0xff
			}
			return b
		}, false},
		{"truncated file", func(b []byte) []byte { return b[:len(b)-10] }, true},
		{"leaves elsewhere", func(b []byte) []byte { le.PutUint64(b[40:], le.Uint64(b[56:])); return b }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.edit(bytes.Clone(good))
			p, err := tilepack.NewPMTiles(bytes.NewReader(b), int64(len(b)), "bad.pmtiles")
			if !tc.atTile {
				if err == nil {
					t.Fatal("opened a broken archive")
				}
				if !errors.Is(err, tilepack.ErrCorrupt) && !errors.Is(err, tilepack.ErrTooLarge) && !errors.Is(err, tilepack.ErrUnsupported) {
					t.Errorf("error %v wraps none of the package's errors", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			failed := 0
			for z := range 4 {
				for x := range 1 << z {
					for y := range 1 << z {
						if _, err := p.Tile(context.Background(), tilepack.ID{Z: z, X: x, Y: y}); err != nil {
							var te *tilepack.TileError
							if !errors.As(err, &te) {
								t.Errorf("error %v is not a TileError", err)
							}
							failed++
						}
					}
				}
			}
			if failed == 0 {
				t.Error("every tile of a broken archive read fine")
			}
		})
	}
}

// FuzzPMTiles opens arbitrary bytes as a PMTiles archive and reads tiles
// from it: it must fail with an error, never panic or allocate without
// bound.
func FuzzPMTiles(f *testing.F) {
	f.Add(buildPMTiles(2, 3, true))
	for _, name := range []string{"raster.pmtiles", "vector_protomaps.pmtiles"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := tilepack.NewPMTiles(bytes.NewReader(b), int64(len(b)), "fuzz.pmtiles")
		if err != nil {
			return
		}
		md := p.Metadata()
		for z := md.MinZoom; z <= min(md.MaxZoom, md.MinZoom+3); z++ {
			for x := range min(1<<z, 4) {
				for y := range min(1<<z, 4) {
					p.Tile(context.Background(), tilepack.ID{Z: z, X: x, Y: y})
				}
			}
		}
	})
}

// FuzzDecodeVector decodes arbitrary bytes as a vector tile.
func FuzzDecodeVector(f *testing.F) {
	for _, id := range []tilepack.ID{{Z: 6, X: 44, Y: 23}, {Z: 5, X: 21, Y: 11}} {
		f.Add(gunzip(f, omtTile(id)))
		f.Add(protomapsTile(id))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		vt, err := tilepack.DecodeVector(b, tilepack.ID{Z: 6, X: 44, Y: 23})
		if err != nil {
			if !errors.Is(err, tilepack.ErrCorrupt) && !errors.Is(err, tilepack.ErrTooLarge) {
				t.Errorf("error %v wraps neither ErrCorrupt nor ErrTooLarge", err)
			}
			return
		}
		for name, fs := range vt.Layers {
			for i, f := range fs {
				if f.Geometry == nil || f.ID == "" {
					t.Errorf("layer %q feature %d: %v", name, i+1, fmt.Sprint(f))
				}
			}
		}
	})
}

// FuzzDecodeImage decodes arbitrary bytes as a raster tile.
func FuzzDecodeImage(f *testing.F) {
	f.Add(rasterTile(tilepack.ID{Z: 5, X: 22, Y: 11}))
	if b, err := os.ReadFile("testdata/tile.webp"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		img, err := tilepack.DecodeImage(b)
		if err != nil {
			if !errors.Is(err, tilepack.ErrCorrupt) && !errors.Is(err, tilepack.ErrTooLarge) {
				t.Errorf("error %v wraps neither ErrCorrupt nor ErrTooLarge", err)
			}
			return
		}
		if w, h := img.Rect.Dx(), img.Rect.Dy(); w > tilepack.MaxImageSide || h > tilepack.MaxImageSide {
			t.Errorf("decoded a %d×%d image", w, h)
		}
	})
}
