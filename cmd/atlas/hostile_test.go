//go:build unix

package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"image"
	_ "image/jpeg"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf16"
)

// The hostile inputs of issue 6, made at test time rather than kept as
// files: some are special files, some are large. Each generator writes
// one input into dir and returns its path.

// writeFIFO makes a named pipe with a GeoJSON name, which no one writes to.
func writeFIFO(t testing.TB, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "fifo.geojson")
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skip("cannot make a FIFO here:", err)
	}
	return path
}

// writeZeroLink makes a symbolic link with a GeoJSON name to /dev/zero,
// an endless input.
func writeZeroLink(t testing.TB, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "zero.geojson")
	if err := os.Symlink("/dev/zero", path); err != nil {
		t.Skip("cannot link to /dev/zero:", err)
	}
	return path
}

// writeSparse makes a sparse file of size zero bytes, which takes no room
// on disk.
func writeSparse(t testing.TB, dir string, size int64) string {
	t.Helper()
	path := filepath.Join(dir, "sparse.geojson")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeInput writes data into dir under name.
func writeInput(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// nestedCollection returns a valid FeatureCollection of two points, the
// first of which has a property nested levels deep: each level is an
// object whose one member is an array of filler bytes of text and, after
// a comma, the next level. Every level's '{' follows a comma, as a
// feature's does, and skipping it means skipping all the levels below.
func nestedCollection(levels, filler int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[` + "\n")
	b.WriteString(`{"type":"Feature","geometry":{"type":"Point","coordinates":[70,42]},"properties":{"deep":[0,`)
	pad := strings.Repeat("x", filler)
	for range levels {
		b.WriteString(`{"a":["` + pad + `",`)
	}
	b.WriteString("0")
	for range levels {
		b.WriteString(`]}`)
	}
	b.WriteString("]}},\n")
	b.WriteString(`{"type":"Feature","geometry":{"type":"Point","coordinates":[71,43]},"properties":{"name":"after"}}` + "\n]}\n")
	return b.Bytes()
}

// longLabelCollection returns a FeatureCollection of one point whose
// "name" is words words long.
func longLabelCollection(words int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[70,42]},"properties":{"name":"`)
	for i := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "w%d", i%1000)
	}
	b.WriteString(`"}}]}` + "\n")
	return b.Bytes()
}

// labelStyle is a style that labels the points of one file with their
// "name", for the CLI's --style.
func labelStyle(file string) []byte {
	return []byte(`{"background":"#ffffff","sources":{"s":{"kind":"vector","path":"` + file + `"}},` +
		`"layers":[{"id":"s","title":"s","source":"s","rules":[{"symbol":{"shape":"circle","size":6,"fill":"#d35400"},` +
		`"label":{"field":"name","size":12,"color":"#000000","max_width":120}}]}]}`)
}

// utf16Collection returns a FeatureCollection of one named point encoded
// as UTF-16, little-endian with a byte-order mark, as Windows tools save
// "Unicode" text.
func utf16Collection() []byte {
	text := `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[69.28,41.31]},"properties":{"name":"Тошкент"}}]}`
	units := utf16.Encode([]rune("\uFEFF" + text))
	out := make([]byte, 2*len(units))
	for i, u := range units {
		binary.LittleEndian.PutUint16(out[2*i:], u)
	}
	return out
}

// duplicateTypeFeature returns a feature whose geometry has two "type"
// members, a Point and then a LineString.
func duplicateTypeFeature() []byte {
	return []byte(`{"type":"Feature","properties":{},"geometry":{"type":"Point","type":"LineString","coordinates":[[70,42],[71,43]]}}` + "\n")
}

// deepVertexCollection returns a FeatureCollection of one polygon with
// rings of ringLen positions each, the second ring's position bad (from 0)
// lying outside lon/lat.
func deepVertexCollection(ringLen, bad int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[` + "\n")
	b.WriteString(`{"type":"Feature","properties":{"name":"big"},"geometry":{"type":"Polygon","coordinates":[`)
	for ring := range 3 {
		if ring > 0 {
			b.WriteString(",\n")
		}
		b.WriteByte('[')
		for i := range ringLen {
			x, y := 60+float64(i%1000)/1000, 40+float64(i/1000)/1000+float64(ring)
			if ring == 1 && i == bad {
				x = 612000
			}
			if i == ringLen-1 {
				x, y = 60, 40+float64(ring)
			}
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "[%g,%g]", x, y)
		}
		b.WriteByte(']')
	}
	b.WriteString("]}}\n]}\n")
	return b.Bytes()
}

// hostileDir, when set, makes TestWriteHostileInputs write the inputs
// there, to run the command on by hand.
var hostileDir = flag.String("hostile", "", "write the hostile inputs into this folder")

// TestWriteHostileInputs writes every hostile input into the folder given
// with -hostile (go test ./cmd/atlas -run TestWriteHostileInputs -hostile DIR),
// at the sizes of the measurements.
func TestWriteHostileInputs(t *testing.T) {
	dir := *hostileDir
	if dir == "" {
		t.Skip("no -hostile folder given")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFIFO(t, dir)
	writeZeroLink(t, dir)
	writeSparse(t, dir, 2<<30)
	writeInput(t, dir, "nested.geojson", nestedCollection(4_000, 2_000))
	writeInput(t, dir, "label30k.geojson", longLabelCollection(6_000))
	writeInput(t, dir, "label100m.geojson", longLabelCollection(20_000_000))
	writeInput(t, dir, "label30k.json", labelStyle("label30k.geojson"))
	writeInput(t, dir, "label100m.json", labelStyle("label100m.geojson"))
	writeInput(t, dir, "utf16.geojson", utf16Collection())
	writeInput(t, dir, "duptype.geojson", duplicateTypeFeature())
	writeInput(t, dir, "deepvertex.geojson", deepVertexCollection(100_000, 77_777))
}

// atlasRunWithin runs the command and fails the test if it takes longer
// than limit.
func atlasRunWithin(t *testing.T, limit time.Duration, args ...string) (int, string) {
	t.Helper()
	type result struct {
		code   int
		stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, _, stderr := atlasRun(t, args...)
		done <- result{code, stderr}
	}()
	select {
	case r := <-done:
		return r.code, r.stderr
	case <-time.After(limit):
		t.Fatalf("%v: still running after %v", args, limit)
		return 0, ""
	}
}

func TestRun_hostileInputs(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "o.png")
	render := []string{"render", "--layers", "none", "--size", "200x150", "--out", out}
	tests := map[string]struct {
		path  string
		extra []string
		code  int
		want  string
	}{
		"named pipe":            {writeFIFO(t, dir), nil, exitFailure, "not a regular file: it is a named pipe"},
		"link to /dev/zero":     {writeZeroLink(t, dir), nil, exitFailure, "not a regular file: it is a character device"},
		"sparse file of zeros":  {writeSparse(t, dir, 2<<30), nil, exitFailure, "starts with a zero byte"},
		"deep nesting":          {writeInput(t, dir, "nested.geojson", nestedCollection(600, 10)), nil, exitFailure, `nested more than 512 deep (the "depth" limit); change it with --limit depth=VALUE`},
		"deep nesting, allowed": {filepath.Join(dir, "nested.geojson"), []string{"--limit", "depth=2000"}, exitOK, ""},
		"UTF-16":                {writeInput(t, dir, "utf16.geojson", utf16Collection()), nil, exitOK, ""},
		"duplicate type":        {writeInput(t, dir, "duptype.geojson", duplicateTypeFeature()), nil, exitFailure, `feature 1: line 1, column 69: geometry: duplicate "type" member`},
		"bad vertex deep in a feature": {
			writeInput(t, dir, "deepvertex.geojson", deepVertexCollection(3000, 2345)), nil, exitFailure,
			"feature 1: line 3, column 33257: geometry: Polygon ring 2 position 2346: 612000,41.002 is not lon/lat",
		},
		"too many vertices": {filepath.Join(dir, "deepvertex.geojson"), []string{"--limit", "vertices=2000"}, exitFailure, `positions in one feature (the "vertices" limit); change it with --limit vertices=VALUE`},
		"long label":        {writeInput(t, dir, "label.geojson", longLabelCollection(20_000)), nil, exitOK, ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			args := append(append(slices.Clone(render), "--add", tt.path), tt.extra...)
			code, stderr := atlasRunWithin(t, 20*time.Second, args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, %q; want %d and a message with %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}

func TestRun_outputs(t *testing.T) {
	dir := t.TempDir()
	render := []string{"render", "--layers", "none", "--size", "64x48", "--out"}
	t.Run("device", func(t *testing.T) {
		if runtime.GOOS != "linux" {
			t.Skip("device numbers are Linux's")
		}
		for _, name := range []string{"null.png", "null"} {
			node := filepath.Join(dir, name)
			// Linux's /dev/null, major 1, minor 3, in a folder of our own.
			if err := syscall.Mknod(node, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
				t.Skip("cannot make a device node here:", err)
			}
			code, stderr := atlasRunWithin(t, 10*time.Second, append(render, node)...)
			fi, err := os.Lstat(node)
			if code == exitOK || err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
				t.Errorf("--out %s: exit %d, %q; the node is now %v", name, code, stderr, fi.Mode())
			}
			if !strings.Contains(stderr, "a device, not a regular file") {
				t.Errorf("--out %s: %q, want the device named", name, stderr)
			}
		}
	})
	t.Run("symbolic link", func(t *testing.T) {
		target, link := filepath.Join(dir, "real.png"), filepath.Join(dir, "link.png")
		writeInput(t, dir, "real.png", nil)
		if err := os.Symlink("real.png", link); err != nil {
			t.Fatal(err)
		}
		if code, stderr := atlasRunWithin(t, 10*time.Second, append(render, link)...); code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("the link is no longer a link: %v, %v", fi, err)
		}
		if img := readImage(t, target); img.Rect.Dx() != 64 {
			t.Errorf("the link's target holds a %v image", img.Rect.Size())
		}
	})
	t.Run("permissions", func(t *testing.T) {
		old := syscall.Umask(0o022)
		defer syscall.Umask(old)
		fresh, kept := filepath.Join(dir, "new.png"), writeInput(t, dir, "kept.png", nil)
		if err := os.Chmod(kept, 0o640); err != nil {
			t.Fatal(err)
		}
		for path, want := range map[string]fs.FileMode{fresh: 0o644, kept: 0o640} {
			if code, stderr := atlasRunWithin(t, 10*time.Second, append(render, path)...); code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
				t.Errorf("%s has mode %v, want %v", filepath.Base(path), fi.Mode().Perm(), want)
			}
		}
	})
	t.Run("JPEG", func(t *testing.T) {
		for _, name := range []string{"map.jpg", "map.JPEG"} {
			path := filepath.Join(dir, name)
			if code, stderr := atlasRunWithin(t, 10*time.Second, append(render, path)...); code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			_, format, err := image.DecodeConfig(f)
			f.Close()
			if err != nil || format != "jpeg" {
				t.Errorf("%s holds %q (%v), want a JPEG", name, format, err)
			}
		}
	})
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestOutput_cancelledWriteLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := writeInput(t, dir, "map.png", []byte("the old map"))
	out, err := createOutput(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = out.writeImage(ctx, formatPNG, image.NewRGBA(image.Rect(0, 0, 500, 500)))
	out.discard()
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want the context's", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files after a cancelled write: %v, want map.png alone", entries)
	}
	if data, _ := os.ReadFile(path); string(data) != "the old map" {
		t.Errorf("the old map became %q", data)
	}
}
