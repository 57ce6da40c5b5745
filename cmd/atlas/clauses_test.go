package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/seeds"
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
