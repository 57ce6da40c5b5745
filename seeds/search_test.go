package seeds_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/seeds"
)

// found lists hits as "clause 5" or "recital 7".
func found(hits []seeds.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, fmt.Sprintf("%s %d", h.Part, h.Number))
	}
	return out
}

// marked returns the text of each hit's spans, joined by "|".
func marked(h seeds.Hit) string {
	var parts []string
	for _, s := range h.Spans {
		parts = append(parts, h.Text[s.Start:s.End])
	}
	return strings.Join(parts, "|")
}

func TestSearch(t *testing.T) {
	ix := seeds.NewIndex(seeds.Embedded(), nil)
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"Issyk-Kul", []string{"clause 5", "recital 7"}},
		{"issyk-KUL", []string{"clause 5", "recital 7"}},
		{"tailings", []string{"clause 14"}},
		{"TAILINGS safety", []string{"clause 14"}},
		{"tailings glaciers", nil},
		{"aral", []string{"clause 12", "clause 26", "recital 7"}},
		{"2018-2028", []string{"clause 20"}},
		{"«Central Asia - 2040»", []string{"recital 3"}},
		{"\"One Water\"", []string{"recital 5"}},
		{"Bishkek+25", []string{"clause 20"}},
		{"  ", nil},
		{"", nil},
		// Russian words do not match English ones that fold to the same
		// Latin letters: "сор" (a salt flat) is not "cop".
		{"сор", nil},
	} {
		if got := found(ix.Search(tt.query)); !slices.Equal(got, tt.want) {
			t.Errorf("Search(%q) = %v, want %v", tt.query, got, tt.want)
		}
	}
}

// TestSearch_bothScripts checks the source's clause 24, whose "сentre"
// starts with a Cyrillic "с", against Latin and Cyrillic queries.
func TestSearch_bothScripts(t *testing.T) {
	ix := seeds.NewIndex(seeds.Embedded(), nil)
	for _, query := range []string{"Regional centre for waste", "regional \u0441entre for waste", "REGIONAL \u0421ENTRE FOR WASTE"} {
		hits := ix.Search(query)
		if got := found(hits); !slices.Equal(got, []string{"clause 24"}) {
			t.Errorf("Search(%q) = %v, want clause 24", query, got)
			continue
		}
		if m := marked(hits[0]); !strings.Contains(m, "Regional|\u0441entre") {
			t.Errorf("Search(%q) marks %q, want the verbatim \"\u0441entre\"", query, m)
		}
	}
	// Plain "centre" finds the Cyrillic spelling, marked verbatim.
	var clause24 seeds.Hit
	for _, h := range ix.Search("centre") {
		if h.Part == seeds.PartClause && h.Number == 24 {
			clause24 = h
		}
	}
	if m := marked(clause24); m != "\u0441entre" {
		t.Errorf("clause 24 marks %q, want the verbatim \"\u0441entre\"", m)
	}
}

func TestSearch_spansAreVerbatimMatches(t *testing.T) {
	ix := seeds.NewIndex(seeds.Embedded(), nil)
	for _, query := range []string{"water", "Türkmen", "glacial-fed", "«Concept", "LLDCs", "сentre"} {
		hits := ix.Search(query)
		if len(hits) == 0 {
			t.Errorf("Search(%q) found nothing", query)
		}
		for _, h := range hits {
			if len(h.Spans) == 0 {
				t.Errorf("Search(%q): %s %d has no spans", query, h.Part, h.Number)
			}
			prev := -1
			for _, s := range h.Spans {
				if s.Start <= prev || s.End <= s.Start || s.End > len(h.Text) {
					t.Fatalf("Search(%q): %s %d: bad span %v after %d", query, h.Part, h.Number, s, prev)
				}
				prev = s.End
			}
		}
	}
	hits := ix.Search("water")
	for _, h := range hits {
		for _, s := range h.Spans {
			if got := strings.ToLower(h.Text[s.Start:s.End]); got != "water" {
				t.Errorf("%s %d: span %q, want water", h.Part, h.Number, got)
			}
		}
	}
}

func TestSearch_extraTexts(t *testing.T) {
	extra := map[int][]string{
		5:  {"Обмеление озёр, прежде всего Иссык-Куля", "Иссык-Куль"},
		12: {"Türkmenbaşy", "Аральское море"},
	}
	ix := seeds.NewIndex(seeds.Embedded(), extra)
	for _, tt := range []struct {
		query string
		want  []string
		also  []string
	}{
		{"иссык", []string{"clause 5"}, []string{"Обмеление озёр, прежде всего Иссык-Куля", "Иссык-Куль"}},
		{"ИССЫК-КУЛЬ", []string{"clause 5"}, []string{"Иссык-Куль"}},
		{"обмеление ёзер", nil, nil},
		{"обмеление озер", []string{"clause 5"}, []string{"Обмеление озёр, прежде всего Иссык-Куля"}},
		{"turkmenbasy", []string{"clause 12"}, []string{"Türkmenbaşy"}},
		// One word in the text, one in an extra text.
		{"desertification аральское", []string{"clause 12"}, []string{"Аральское море"}},
	} {
		hits := ix.Search(tt.query)
		if got := found(hits); !slices.Equal(got, tt.want) {
			t.Errorf("Search(%q) = %v, want %v", tt.query, got, tt.want)
			continue
		}
		if len(hits) > 0 && !slices.Equal(hits[0].Also, tt.also) {
			t.Errorf("Search(%q).Also = %q, want %q", tt.query, hits[0].Also, tt.also)
		}
	}
}

func BenchmarkSearch(b *testing.B) {
	ix := seeds.NewIndex(seeds.Embedded(), nil)
	for b.Loop() {
		ix.Search("water resources")
	}
}
