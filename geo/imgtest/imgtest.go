// Package imgtest compares rendered images with golden PNG files, for the
// renderer's tests and the app's.
//
// A golden file lives at testdata/<name>.png beside the test. When an
// image differs from it, the image is written to testdata/failed/<name>.png
// (git-ignored) for review and the test fails; running the tests with
// -update rewrites the golden files instead. The comparison tolerates
// what differs between CPUs (fused multiply-add changes anti-aliased
// edges by a step or two): at most MaxDelta per channel, on at most
// MaxShare of the bytes, as Fyne's own golden tests do.
package imgtest

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// Update, set by the -update test flag, rewrites golden files.
var Update = flag.Bool("update", false, "rewrite golden images under testdata/")

// Tolerance of the comparison: at most MaxShare of the bytes may differ
// by more than MaxDelta, and at most MaxBigShare by more than BigDelta, so
// that a label or symbol that moved or vanished (a few hundred strongly
// different pixels) is still caught.
const (
	MaxDelta    = 4
	MaxShare    = 0.01
	BigDelta    = 64
	MaxBigShare = 0.0002
)

// Assert compares img with testdata/<name>.png.
func Assert(t testing.TB, name string, img image.Image) {
	t.Helper()
	path := filepath.Join("testdata", name+".png")
	if *Update {
		if err := Write(path, img); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := Read(path)
	if err != nil {
		failed := filepath.Join("testdata", "failed", name+".png")
		_ = Write(failed, img)
		t.Fatalf("%v (the image was written to %s; run with -update to accept it)", err, failed)
	}
	if msg := Diff(toRGBA(img), want); msg != "" {
		failed := filepath.Join("testdata", "failed", name+".png")
		if err := Write(failed, img); err != nil {
			t.Error(err)
		}
		t.Errorf("%s: %s; see %s (run with -update to accept it)", path, msg, failed)
	}
}

// Diff describes how two images differ beyond the tolerance, or returns "".
func Diff(got, want *image.RGBA) string {
	if got.Rect.Size() != want.Rect.Size() {
		return fmt.Sprintf("size %v, want %v", got.Rect.Size(), want.Rect.Size())
	}
	bad, big, worst := 0, 0, 0
	w := got.Rect.Dx() * 4
	for y := range got.Rect.Dy() {
		g := got.Pix[y*got.Stride : y*got.Stride+w]
		v := want.Pix[y*want.Stride : y*want.Stride+w]
		for i := range g {
			d := int(g[i]) - int(v[i])
			if d < 0 {
				d = -d
			}
			if d > MaxDelta {
				bad++
			}
			if d > BigDelta {
				big++
			}
			worst = max(worst, d)
		}
	}
	total := float64(got.Rect.Dx() * got.Rect.Dy() * 4)
	if float64(bad) > MaxShare*total || float64(big) > MaxBigShare*total {
		return fmt.Sprintf("%d bytes differ by more than %d and %d by more than %d, of %.0f (worst %d)", bad, MaxDelta, big, BigDelta, total, worst)
	}
	return ""
}

// Read decodes a PNG file into an *image.RGBA.
func Read(path string) (*image.RGBA, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return toRGBA(img), nil
}

// Write encodes an image as a PNG file, creating its folder.
func Write(path string, img image.Image) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

func toRGBA(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok {
		return r
	}
	r := image.NewRGBA(image.Rect(0, 0, img.Bounds().Dx(), img.Bounds().Dy()))
	draw.Draw(r, r.Rect, img, img.Bounds().Min, draw.Src)
	return r
}
