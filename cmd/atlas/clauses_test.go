package main

import (
	"context"
	"encoding/json"
	"image"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/clausemap"
	"github.com/ecoatlas/ecoatlas/geo/imgtest"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/ecoatlas/ecoatlas/seeds"
	"github.com/paulmach/orb"
)

// TestClauses_json checks what issue 8 asks of "atlas clauses --json": 27
// clauses whose texts equal the seed's, each with links or an explicit "no
// geographic focus", and every recital.
func TestClauses_json(t *testing.T) {
	code, stdout, stderr := atlasRun(t, "clauses", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got declarationJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	d := seeds.Embedded()
	if len(got.Clauses) != 27 || len(d.Clauses) != 27 {
		t.Fatalf("%d clauses, want 27", len(got.Clauses))
	}
	if !slices.Equal(got.Recitals, d.Recitals) || len(got.Recitals) != 15 {
		t.Errorf("recitals differ from the seed's (%d of %d)", len(got.Recitals), len(d.Recitals))
	}
	if got.Name != d.Name || got.Adopted != d.Adopted || got.Parties != d.Parties {
		t.Errorf("heading or adoption differ: %q, %q", got.Name, got.Adopted)
	}
	none := 0
	for i, c := range got.Clauses {
		if c.Number != i+1 || c.Text != d.Clauses[i].Text {
			t.Errorf("clause %d: text differs from the seed's", i+1)
		}
		if c.Title == "" || len(c.Themes) == 0 || c.Note == "" {
			t.Errorf("clause %d: title %q, themes %v, note %q", c.Number, c.Title, c.Themes, c.Note)
		}
		switch {
		case c.Focus == seeds.FocusNone && c.FocusTitle == "No geographic focus" && len(c.Places)+len(c.Layers) == 0:
			none++
		case c.Focus != seeds.FocusNone && len(c.Places)+len(c.WholeLayers) > 0:
		default:
			t.Errorf("clause %d: focus %q (%q) with %d places and whole layers %v", c.Number, c.Focus, c.FocusTitle, len(c.Places), c.WholeLayers)
		}
	}
	if none == 0 {
		t.Error("no clause says it has no geographic focus")
	}
	// The Cyrillic "с" of clause 24 survives the JSON.
	if !strings.Contains(got.Clauses[23].Text, "Regional \u0441entre") {
		t.Errorf("clause 24 = %q", got.Clauses[23].Text)
	}
}

func TestClauses_text(t *testing.T) {
	code, stdout, stderr := atlasRun(t, "clauses")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"§14 Mapping pollution sources and tailings\n   themes: Pollution and tailings\n   layers: tailings, pollution\n   every feature of: tailings, pollution\n   places: tailings/kg-mailuu-suu-uranium-legacy,",
		"§26 The Aral fund summit in Astana\n",
		"places/places.astana (named)",
		"  (15) emphasizing current environmental challenges",
		"\nAdopted in Astana on 22 April 2026.\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if n := strings.Count(stdout, "\n   no geographic focus\n"); n != 13 {
		t.Errorf("%d clauses say they have no geographic focus, want 13", n)
	}
	if code, _, stderr := atlasRun(t, "clauses", "--yaml"); code != exitUsage || !strings.Contains(stderr, "usage: atlas clauses") {
		t.Errorf("clauses --yaml: exit %d, %q", code, stderr)
	}
}

// outlineNear counts the pixels within r pixels of a lon/lat point that
// have the highlight's outline colour (clausemap.DefaultLook's, a strong
// yellow).
func outlineNear(img *image.RGBA, vp viewport.Viewport, at orb.Point, r int) int {
	p := vp.ToPixel(at)
	n := 0
	for y := int(p[1]) - r; y <= int(p[1])+r; y++ {
		for x := int(p[0]) - r; x <= int(p[0])+r; x++ {
			c := img.RGBAAt(x, y)
			if c.R > 230 && c.G > 190 && c.B < 90 {
				n++
			}
		}
	}
	return n
}

// clauseView returns the view "render --clause n" fits for a size.
func clauseView(t *testing.T, n int, w, h float64) viewport.Viewport {
	t.Helper()
	a, err := atlas.LoadDefault(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	links, err := seeds.EmbeddedLinks()
	if err != nil {
		t.Fatal(err)
	}
	m, err := clausemap.New(a, seeds.Embedded(), links)
	if err != nil {
		t.Fatal(err)
	}
	s, err := m.Clause(n)
	if err != nil {
		t.Fatal(err)
	}
	return viewport.New(atlas.Region.Center(), 5, w, h, 1).Fit(s.View(minClauseSpan), 0)
}

// TestRenderClause_issykKul renders clause 5: Lake Issyk-Kul keeps its
// water colour inside the highlight's outline, while Lake Zaysan, which
// the clause does not name, is dimmed.
func TestRenderClause_issykKul(t *testing.T) {
	out := filepath.Join(t.TempDir(), "clause5.png")
	if code, _, stderr := atlasRun(t, "render", "--clause", "5", "--size", "1000x640", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	img := readImage(t, out)
	imgtest.Assert(t, "clause5", img)
	vp := clauseView(t, 5, 1000, 640)
	lake := vp.ToPixel(orb.Point{76.6, 42.35})
	zaysan := vp.ToPixel(orb.Point{84.0, 48.0})
	inLake, veiled := img.RGBAAt(int(lake[0]), int(lake[1])), img.RGBAAt(int(zaysan[0]), int(zaysan[1]))
	// The lake's blue under the highlight's light yellow tint, against the
	// dimmed blue of Zaysan.
	if !(int(inLake.B) > int(inLake.R)+20 && int(inLake.B) > int(veiled.B)+40) {
		t.Errorf("Issyk-Kul %v should be clear water, Zaysan %v dimmed (darker)", inLake, veiled)
	}
	if n := outlineNear(img, vp, orb.Point{77.3, 42.45}, 60); n < 100 {
		t.Errorf("%d outline pixels around Issyk-Kul, want its outline", n)
	}
}

// TestRenderClause_tailings renders clause 14: every tailings site in
// the view is ringed by the highlight.
func TestRenderClause_tailings(t *testing.T) {
	out := filepath.Join(t.TempDir(), "clause14.png")
	if code, _, stderr := atlasRun(t, "render", "--clause", "14", "--size", "1000x640", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	img := readImage(t, out)
	imgtest.Assert(t, "clause14", img)
	vp := clauseView(t, 14, 1000, 640)
	for _, site := range []struct {
		name string
		at   orb.Point
	}{
		{"Koshkar-Ata (Caspian coast)", orb.Point{51.2365, 43.6232}},
		{"Aktogay", orb.Point{79.85889, 46.94944}},
		{"Ridder", orb.Point{83.51494, 50.35539}},
	} {
		if n := outlineNear(img, vp, site.at, 12); n < 20 {
			t.Errorf("%s: %d ring pixels, want the site ringed", site.name, n)
		}
	}
}

func TestRenderClause_arguments(t *testing.T) {
	out := filepath.Join(t.TempDir(), "c.png")
	if code, _, stderr := atlasRun(t, "render", "--clause", "28", "--out", out); code != exitUsage || !strings.Contains(stderr, "--clause 28: the declaration's clauses are numbered 1 to 27") {
		t.Errorf("--clause 28: exit %d, %q", code, stderr)
	}
	code, stdout, stderr := atlasRun(t, "render", "--clause", "1", "--size", "320x200", "--out", out)
	if code != 0 || !strings.Contains(stdout, "clause 1 has no geographic focus") {
		t.Errorf("--clause 1: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// A view given on the command line wins over the clause's places.
	if code, _, stderr := atlasRun(t, "render", "--clause", "14", "--bbox", "70,39,76,43", "--size", "320x200", "--out", out); code != 0 {
		t.Errorf("--clause 14 --bbox: exit %d: %s", code, stderr)
	}
}
