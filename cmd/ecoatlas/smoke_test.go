package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecoatlas/ecoatlas/geo/imgtest"
)

// TestSmoke runs the real app in a real window under Xvfb: it must start,
// show the map (checked on a screenshot taken from the X server, not from
// inside the app), report its first frame, make no call from a wrong
// goroutine, and quit cleanly. It needs Xvfb and ImageMagick's import, so
// it runs only when RUN_XVFB_TESTS=1 (CI sets it); SMOKE_SCREENSHOT=path
// keeps the screenshot.
func TestSmoke(t *testing.T) {
	if os.Getenv("RUN_XVFB_TESTS") != "1" {
		t.Skip("set RUN_XVFB_TESTS=1 to run the real-window smoke test (needs Xvfb and ImageMagick)")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "ecoatlas")
	// Built without the migrated_fynedo tag, so Fyne reports UI calls made
	// from the wrong goroutine.
	if out, err := exec.Command("go", "build", "-tags", "no_emoji", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	display := startXvfb(t)

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	app := exec.CommandContext(ctx, bin, "--timings", "--smoke-seconds", "4", "--workspace", filepath.Join(dir, "workspace"))
	// The locale a bare machine has, which Fyne cannot parse: the app must
	// settle it before Fyne logs an error about it.
	app.Env = append(os.Environ(), "DISPLAY="+display, "LANG=C.UTF-8", "LC_ALL=", "FYNE_SCALE=1")
	var stderr bytes.Buffer
	app.Stderr = &stderr
	stdout, err := app.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	firstFrame := ""
	for lines.Scan() {
		t.Log(lines.Text())
		if strings.HasPrefix(lines.Text(), "first-frame:") {
			firstFrame = lines.Text()
			break
		}
	}
	if firstFrame == "" {
		_ = app.Wait()
		t.Fatalf("the app never reported its first frame; stderr:\n%s", stderr.String())
	}
	// Give the labels and remaining tiles a moment, then look at the screen.
	time.Sleep(1500 * time.Millisecond)
	shot := filepath.Join(dir, "shot.png")
	if out, err := exec.Command("import", "-display", display, "-window", "root", shot).CombinedOutput(); err != nil {
		t.Fatalf("screenshot: %v\n%s", err, out)
	}
	for lines.Scan() {
		t.Log(lines.Text())
	}
	if err := app.Wait(); err != nil {
		t.Fatalf("the app did not quit cleanly: %v\nstderr:\n%s", err, stderr.String())
	}
	for _, bad := range []string{"Error in Fyne call thread", "Fyne error", "Error parsing user locale", "panic:"} {
		if strings.Contains(stderr.String(), bad) {
			t.Errorf("stderr reports %q:\n%s", bad, stderr.String())
		}
	}
	if keep := os.Getenv("SMOKE_SCREENSHOT"); keep != "" {
		if data, err := os.ReadFile(shot); err == nil {
			_ = os.WriteFile(keep, data, 0o644)
		}
	}
	checkScreenshot(t, shot)
}

// startXvfb starts an X server on a free display for the test.
func startXvfb(t *testing.T) string {
	t.Helper()
	for n := 90; n < 110; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n)); err == nil {
			continue
		}
		display := fmt.Sprintf(":%d", n)
		x := exec.Command("Xvfb", display, "-screen", "0", "1600x1000x24", "-nolisten", "tcp")
		if err := x.Start(); err != nil {
			t.Fatalf("Xvfb: %v", err)
		}
		t.Cleanup(func() { _ = x.Process.Kill(); _ = x.Wait() })
		for range 50 {
			if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
				return display
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("Xvfb on %s did not come up", display)
	}
	t.Fatal("no free X display between :90 and :109")
	return ""
}

// checkScreenshot asserts properties that survive fonts and Mesa versions:
// a window full of colour, with the map's water and land in it.
func checkScreenshot(t *testing.T, path string) {
	t.Helper()
	img, err := imgtest.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	colours := map[color.RGBA]bool{}
	water, land := 0, 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			c := img.RGBAAt(x, y)
			colours[c] = true
			r, g, bl := int(c.R), int(c.G), int(c.B)
			if bl > 200 && bl > r+40 && g > r+20 {
				water++
			}
			if r > 225 && g > 215 && bl > 190 && r > bl+8 {
				land++
			}
		}
	}
	t.Logf("screenshot: %d colours, %d water and %d land samples", len(colours), water, land)
	if len(colours) < 500 {
		t.Errorf("only %d distinct colours: the map is not drawn", len(colours))
	}
	if water < 500 || land < 5000 {
		t.Errorf("%d water and %d land samples: the map's seas and land are missing", water, land)
	}
}
