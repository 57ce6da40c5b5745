package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/imgtest"
)

// pdfText returns the text of a PDF file as pdftotext reads it, skipping
// the test without pdftotext (.ci/setup test installs it).
func pdfText(t *testing.T, path string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed (.ci/setup test installs poppler-utils)")
	}
	out, err := exec.Command("pdftotext", append(args, path, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

func TestExport_regionPDF(t *testing.T) {
	out := filepath.Join(t.TempDir(), "region.pdf")
	code, stdout, stderr := atlasRun(t, "export", "--title", "Ecology of Central Asia", "--landscape", "--date", "2026-04-22", "--grid", "--timings", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "TIMING exporter=ecoatlas") {
		t.Errorf("--timings prints %q", stdout)
	}
	words := pdfText(t, out)
	for _, want := range []string{"Ecology of Central Asia", "Legend", "National capital", "Scale true at", "km", "Sources: Natural Earth", "(ODbL)", "(CC BY 4.0)", "22 April 2026", "60° E", "Astana"} {
		if !strings.Contains(words, want) {
			t.Errorf("the PDF has no %q", want)
		}
	}
	if info, err := os.Stat(out); err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("the PDF is %v, %v; want a file readable by all", info.Mode(), err)
	}
}

func TestExport_pngAtResolution(t *testing.T) {
	out := filepath.Join(t.TempDir(), "issyk-kul.png")
	if code, _, stderr := atlasRun(t, "export", "--view", "75.9,41.9,78.5,43", "--dpi", "72", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	img, err := imgtest.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := img.Rect.Dx(), img.Rect.Dy(); w != 595 || h != 842 {
		t.Errorf("A4 upright at 72 dpi is %d×%d, want 595×842", w, h)
	}
}

func TestExport_storyHandoutAndClause(t *testing.T) {
	dir := t.TempDir()
	handout := filepath.Join(dir, "water.pdf")
	if code, _, stderr := atlasRun(t, "export", "--story", "water-bodies", "--dpi", "72", "--out", handout); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if words := pdfText(t, handout, "-f", "5", "-l", "5"); !strings.Contains(words, "Lake Balkhash") || !strings.Contains(words, "5 / 5") {
		t.Errorf("the handout's fifth page is not Balkhash's: %q", words)
	}
	clause := filepath.Join(dir, "clause.pdf")
	if code, _, stderr := atlasRun(t, "export", "--clause", "14", "--dpi", "72", "--out", clause); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if words := pdfText(t, clause); !strings.Contains(words, "§14") || !strings.Contains(words, "clause 14") {
		t.Errorf("the clause's page has no badge or citation")
	}
	story := filepath.Join(dir, "mine.json")
	if err := os.WriteFile(story, []byte(`{"title":"Mine","steps":[{"title":"Aral","view":[58,43.3,62.5,46.9]}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	svg := filepath.Join(dir, "mine.pdf")
	if code, _, stderr := atlasRun(t, "export", "--story", story, "--dpi", "72", "--out", svg); code != 0 {
		t.Fatalf("a story file: exit %d: %s", code, stderr)
	}
}

func TestExport_svg(t *testing.T) {
	out := filepath.Join(t.TempDir(), "map.svg")
	if code, _, stderr := atlasRun(t, "export", "--size", "640x400", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `width="640" height="400"`) || !strings.Contains(string(data), ">Astana</text>") {
		t.Errorf("the SVG is not the 640×400 map with its labels: %.200s", data)
	}
}

func TestExport_badArguments(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"title":"Bad","steps":[{"view":[1,1,2,2],"layers":{"nowhere":true}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"export"}, 2, "--out is required"},
		{[]string{"export", "--out", "a.tiff"}, 2, "want a .pdf, .png or .svg"},
		{[]string{"export", "--out", "a.pdf", "--paper", "A5"}, 2, "want A4 or A3"},
		{[]string{"export", "--out", "a.png", "--dpi", "600"}, 2, "outside 72..300"},
		{[]string{"export", "--out", "a.pdf", "--view", "80,40,70,45"}, 2, "--view"},
		{[]string{"export", "--out", "a.png", "--story", "water-bodies"}, 2, "PDF handout"},
		{[]string{"export", "--out", "a.pdf", "--story", "nowhere.json"}, 2, "no such file, nor a built-in story"},
		{[]string{"export", "--out", filepath.Join(dir, "b.pdf"), "--story", bad}, 1, `step 1: layers: no layer "nowhere"`},
		{[]string{"export", "--out", filepath.Join(dir, "c.pdf"), "--clause", "99"}, 2, "--clause 99"},
	} {
		code, _, stderr := atlasRun(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, %q; want exit %d and one line with %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("failed exports left files behind: %v", entries)
	}
}
