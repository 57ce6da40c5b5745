package query_test

import (
	"errors"
	"math"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/ecoatlas/ecoatlas/geo/query"
)

func TestSearch_findsFirst(t *testing.T) {
	e := engine(t)
	for _, tc := range []struct {
		text string
		want query.Ref
	}{
		{"иссык", query.Ref{Layer: "lakes", ID: "lakes.issyk-kul"}},
		{"ysyk", query.Ref{Layer: "lakes", ID: "lakes.issyk-kul"}},
		{"Ysyk-Köl", query.Ref{Layer: "lakes", ID: "lakes.issyk-kul"}},
		{"Ыссык-Көл", query.Ref{Layer: "lakes", ID: "lakes.issyk-kul"}},
		{"Issyk-Kul", query.Ref{Layer: "lakes", ID: "lakes.issyk-kul"}},
		{"ISSYK KUL", query.Ref{Layer: "lakes", ID: "lakes.issyk-kul"}},
		{"Алматы", query.Ref{Layer: "places", ID: "places.almaty"}},
		{"Almaty", query.Ref{Layer: "places", ID: "places.almaty"}},
		{"almati", query.Ref{Layer: "places", ID: "places.almaty"}},
		{"Аральское", query.Ref{Layer: "lakes", ID: "lakes.aral-sea"}},
		{"Aral Sea", query.Ref{Layer: "lakes", ID: "lakes.aral-sea"}},
		{"Kadji", query.Ref{Layer: "tailings", ID: "kg-kadji-sai"}},
		{"Каджи-Сай", query.Ref{Layer: "tailings", ID: "kg-kadji-sai"}},
		{"Kazakhstan", query.Ref{Layer: "land", ID: "countries.kaz"}},
		{"Қазақстан", query.Ref{Layer: "land", ID: "countries.kaz"}},
	} {
		got := e.Search(tc.text, query.SearchOptions{})
		if len(got) == 0 || got[0].Ref != tc.want {
			t.Errorf("Search(%q) = %v, want %v first", tc.text, refs(got), tc.want)
		}
	}
}

// TestSearch_whileTyping types names letter by letter: from the third
// letter on, the feature is among the first five results.
func TestSearch_whileTyping(t *testing.T) {
	e := engine(t)
	for _, tc := range []struct {
		text string
		want query.Ref
	}{
		{"Ysyk-Köl", query.Ref{Layer: "lakes", ID: "lakes.issyk-kul"}},
		{"Иссык-Куль", query.Ref{Layer: "lakes", ID: "lakes.issyk-kul"}},
		{"Алматы", query.Ref{Layer: "places", ID: "places.almaty"}},
		{"Арал", query.Ref{Layer: "lakes", ID: "lakes.aral-sea"}},
	} {
		for n := 3; n <= utf8.RuneCountInString(tc.text); n++ {
			typed := string([]rune(tc.text)[:n])
			got := e.Search(typed, query.SearchOptions{Limit: 5})
			if !slices.Contains(refs(got), tc.want) {
				t.Errorf("Search(%q) = %v, want %v among them", typed, refs(got), tc.want)
			}
		}
	}
}

func TestSearch_ranksMatchesThenImportance(t *testing.T) {
	e := engine(t)
	got := e.Search("Aral", query.SearchOptions{Limit: 50})
	if len(got) < 3 {
		t.Fatalf("Search(Aral) = %v, want the town, the sea and more", refs(got))
	}
	// The town of Aral is called exactly that; the sea only starts so.
	if got[0].Ref.ID != "places.aral" || got[0].Match != query.MatchExact {
		t.Errorf("Search(Aral) first = %v (%v), want the town places.aral, an exact match", got[0].Ref, got[0].Match)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Match < got[i-1].Match {
			t.Errorf("result %d (%v, %v) comes after a worse match (%v, %v)", i, got[i].Ref, got[i].Match, got[i-1].Ref, got[i-1].Match)
		}
	}
	ids := map[query.Ref]bool{}
	for _, r := range got {
		if ids[r.Ref] {
			t.Errorf("Search(Aral) returns %v twice", r.Ref)
		}
		ids[r.Ref] = true
	}
}

func TestSearch_namesInTheLanguage(t *testing.T) {
	e := engine(t)
	for lang, want := range map[string]string{"en": "Issyk-Kul", "ru": "Иссык-Куль", "ky": "Ысык-Көл", "kk": "Ыстықкөл", "tg": "Иссык-Куль"} {
		got := e.Search("issyk-kul", query.SearchOptions{Lang: lang, Limit: 1})
		if len(got) != 1 || got[0].Name != want {
			t.Errorf("Search in %s: %v, want the lake named %q", lang, got, want)
		}
	}
}

func TestSearch_drawnTwiceFoundOnce(t *testing.T) {
	e := engine(t)
	// Issyk-Kul is in the lakes of the region and in the world's lakes.
	n := 0
	for _, r := range e.Search("Issyk-Kul", query.SearchOptions{Limit: 50}) {
		if r.Kind == "polygon" && r.Name == "Issyk-Kul" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("Search(Issyk-Kul) has %d lake polygons named Issyk-Kul, want 1", n)
	}
}

func TestSearch_coordinates(t *testing.T) {
	e := engine(t)
	for _, text := range []string{"42.45 77.3", "42°27'N 77°18'E", "42.45, 77.3"} {
		got := e.Search(text, query.SearchOptions{})
		if len(got) == 0 || got[0].Match != query.MatchCoordinate {
			t.Errorf("Search(%q) = %v, want a coordinate first", text, got)
			continue
		}
		if at := got[0].At; math.Abs(at[0]-77.3) > 1e-9 || math.Abs(at[1]-42.45) > 1e-9 {
			t.Errorf("Search(%q) at %v, want 77.3 E 42.45 N", text, at)
		}
	}
}

func TestSearch_filterLayersAndLimit(t *testing.T) {
	e := engine(t)
	kadji := query.Ref{Layer: "tailings", ID: "kg-kadji-sai"}
	hidden := query.Filter{}.With("tailings", "country", "TJK", "UZB")
	if got := e.Search("Kadji", query.SearchOptions{Filter: hidden}); slices.Contains(refs(got), kadji) {
		t.Errorf("with Kyrgyz sites filtered out, Search(Kadji) = %v", refs(got))
	}
	shown := query.Filter{}.With("tailings", "country", "KGZ")
	if got := e.Search("Kadji", query.SearchOptions{Filter: shown}); !slices.Contains(refs(got), kadji) {
		t.Errorf("with Kyrgyz sites chosen, Search(Kadji) = %v, want %v", refs(got), kadji)
	}
	for _, r := range e.Search("a", query.SearchOptions{Layers: []string{"tailings"}, Limit: 100}) {
		if r.Ref.Layer != "tailings" {
			t.Errorf("Search restricted to tailings returned %v", r.Ref)
		}
	}
	if got := e.Search("a", query.SearchOptions{Limit: 7}); len(got) != 7 {
		t.Errorf("Search(a) with limit 7 returned %d results", len(got))
	}
	if got := e.Search(" —, ", query.SearchOptions{}); len(got) != 0 {
		t.Errorf("Search of punctuation = %v, want nothing", got)
	}
}

func TestFindIn(t *testing.T) {
	e := engine(t)
	for text, want := range map[string]query.Ref{
		"Issyk-Kul":              {Layer: "basins", ID: "issyk-kul-basin-approx"},
		"issyk-kul-basin-approx": {Layer: "basins", ID: "issyk-kul-basin-approx"},
		"Амударья":               {Layer: "basins", ID: "amu-darya-basin-hydroatlas"},
		"Aral Sea basin":         {Layer: "basins_admin", ID: "aral-basin-hydroatlas"},
	} {
		got, err := e.FindIn("basins", text)
		if err != nil || got != want {
			t.Errorf("FindIn(basins, %q) = %v, %v; want %v", text, got, err, want)
		}
	}
	if _, err := e.FindIn("basins", "Atlantis"); !errors.Is(err, query.ErrNotFound) {
		t.Errorf("FindIn(basins, Atlantis): %v, want ErrNotFound", err)
	}
	if _, err := e.FindIn("no_such_layer", "Aral"); !errors.Is(err, query.ErrUnknownLayer) {
		t.Errorf("FindIn(no_such_layer, …): %v, want ErrUnknownLayer", err)
	}
}

func refs(rs []query.Result) []query.Ref {
	out := make([]query.Ref, len(rs))
	for i, r := range rs {
		out[i] = r.Ref
	}
	return out
}

// BenchmarkSearch_keystroke types place names letter by letter, searching
// every embedded name on each keystroke; ns/op is per keystroke.
func BenchmarkSearch_keystroke(b *testing.B) {
	e := engine(b)
	var typed []string
	for _, name := range []string{"Ysyk-Köl", "Алматы", "Aral Sea", "Mailuu-Suu", "Zhezkazgan", "Қарағанды"} {
		r := []rune(name)
		for n := 1; n <= len(r); n++ {
			typed = append(typed, string(r[:n]))
		}
	}
	i := 0
	for b.Loop() {
		e.Search(typed[i%len(typed)], query.SearchOptions{Lang: "ru"})
		i++
	}
}
