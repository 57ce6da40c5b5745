package seeds_test

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/seeds"
)

func embeddedLinks(t *testing.T) seeds.Links {
	t.Helper()
	l, err := seeds.EmbeddedLinks()
	if err != nil {
		t.Fatalf("EmbeddedLinks: %v", err)
	}
	return l
}

func TestEmbeddedLinks_everyClauseHasAnEntry(t *testing.T) {
	l := embeddedLinks(t)
	d := seeds.Embedded()
	if len(l.Clauses) != len(d.Clauses) || len(l.Clauses) != 27 {
		t.Fatalf("links have %d clauses, the declaration %d; want 27 each", len(l.Clauses), len(d.Clauses))
	}
	titles := map[string]int{}
	for i, c := range l.Clauses {
		if c.Number != i+1 {
			t.Errorf("entry %d is clause %d", i+1, c.Number)
		}
		if c.Title == "" || len(c.Themes) == 0 || c.Note == "" {
			t.Errorf("clause %d: title %q, themes %v, note %q: each must be given", c.Number, c.Title, c.Themes, c.Note)
		}
		if other, ok := titles[c.Title]; ok {
			t.Errorf("clauses %d and %d share the title %q", other, c.Number, c.Title)
		}
		titles[c.Title] = c.Number
		if c.Focus.Title() == "" {
			t.Errorf("clause %d: focus %q", c.Number, c.Focus)
		}
	}
}

// TestEmbeddedLinks_referencesExist checks every layer and feature the
// links name against the embedded style and data.
func TestEmbeddedLinks_referencesExist(t *testing.T) {
	m := embeddedMap(t)
	for _, c := range embeddedLinks(t).Clauses {
		for _, l := range c.Layers {
			if _, ok := m.layers[l]; !ok {
				t.Errorf("clause %d: no style layer %q", c.Number, l)
			}
		}
		for _, p := range c.Places {
			if _, ok := m.features[p.Layer][p.ID]; !ok {
				t.Errorf("clause %d: layer %q has no feature %q", c.Number, p.Layer, p.ID)
			}
		}
	}
}

// TestEmbeddedLinks_issue pins the links issue 8 asks for.
func TestEmbeddedLinks_issue(t *testing.T) {
	l := embeddedLinks(t)
	m := embeddedMap(t)
	places := func(n int) []string {
		c, _ := l.Clause(n)
		var out []string
		for _, p := range c.Places {
			out = append(out, p.String())
		}
		return out
	}
	for _, tt := range []struct {
		clause int
		want   []string
	}{
		{4, []string{"lakes/lakes.caspian-sea", "basins/zhaiyk-caspian-watershed"}},
		{5, []string{"lakes/lakes.issyk-kul", "lakes/lakes.lake-balkhash", "lakes/lakes.aral-sea"}},
		{12, []string{"lakes/lakes.aral-sea", "aral_shorelines/aral-1950s-ne-historic", "aral_shorelines/aral-ne-present-undated"}},
		{14, []string{"tailings/kg-kadji-sai", "tailings/kg-mailuu-suu-uranium-legacy", "pollution/kz-qarmet-temirtau"}},
		{17, []string{"places/places.tashkent", "places/places.almaty", "places/places.temirtau"}},
		{20, []string{"places/places.dushanbe", "places/places.samarqand", "places/places.bishkek"}},
		{24, []string{"places/places.dushanbe"}},
		{26, []string{"places/places.astana", "regions/regions.kaz-4830"}},
	} {
		got := places(tt.clause)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("clause %d: places %v lack %s", tt.clause, got, w)
			}
		}
	}
	if c, _ := l.Clause(6); !slices.Contains(c.WholeLayers, "glaciers") {
		t.Errorf("clause 6: whole layers %v lack glaciers", c.WholeLayers)
	}
	c10, _ := l.Clause(10)
	if !slices.Contains(c10.WholeLayers, "protected_areas") || c10.Places[0].ID != "ca-western-tien-shan-whs" {
		t.Errorf("clause 10: whole layers %v, first place %v; want every protected area, the transboundary one first", c10.WholeLayers, c10.Places[0])
	}
	// Clause 14 is the inspectors' mandate: every site of the tailings
	// source (drawn by the tailings or the pollution layer) is one of its
	// places, once.
	c14, _ := l.Clause(14)
	for id := range m.features["tailings"] {
		n := 0
		for _, layer := range []string{"tailings", "pollution"} {
			if slices.Contains(places(14), layer+"/"+id) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("clause 14 lists site %s %d times, want once", id, n)
		}
	}
	if len(c14.Places) != len(m.features["tailings"]) {
		t.Errorf("clause 14 has %d places, the tailings source %d sites", len(c14.Places), len(m.features["tailings"]))
	}
}

func TestEmbeddedLinks_focusIsExplicit(t *testing.T) {
	none := 0
	for _, c := range embeddedLinks(t).Clauses {
		switch c.Focus {
		case seeds.FocusNone:
			none++
			if len(c.Layers) > 0 || len(c.Places) > 0 {
				t.Errorf("clause %d has no geographic focus but links %v %v", c.Number, c.Layers, c.Places)
			}
		case seeds.FocusPlaces:
			if len(c.Places) == 0 {
				t.Errorf("clause %d: focus on places but none", c.Number)
			}
		case seeds.FocusLayers:
			if len(c.WholeLayers) == 0 {
				t.Errorf("clause %d: region-wide but no whole layer", c.Number)
			}
		}
	}
	if none == 0 || none == 27 {
		t.Errorf("%d clauses without geographic focus; the declaration has some of each", none)
	}
}

func TestLinks_ClausesAt(t *testing.T) {
	l := embeddedLinks(t)
	for _, tt := range []struct {
		layer, id string
		want      []int
	}{
		{"lakes", "lakes.caspian-sea", []int{4, 20}},
		{"lakes", "lakes.issyk-kul", []int{5}},
		{"lakes", "lakes.aral-sea", []int{5, 12, 26}},
		{"tailings", "kg-kadji-sai", []int{14}},
		{"glaciers", "glaciers.17", []int{6}},
		{"protected_areas", "kz-barsakelmes-snr", []int{10, 11, 12}},
		{"places", "places.dushanbe", []int{17, 20, 24}},
		{"lakes", "lakes.sarygamysh-koli", nil},
	} {
		if got := l.ClausesAt(tt.layer, tt.id); !slices.Equal(got, tt.want) {
			t.Errorf("ClausesAt(%q, %q) = %v, want %v", tt.layer, tt.id, got, tt.want)
		}
	}
}

func TestLinks_LayerIDs(t *testing.T) {
	got := embeddedLinks(t).LayerIDs()
	if len(got) < 10 || got[0] != "lakes" || !slices.Contains(got, "tailings") || !slices.Contains(got, "glaciers") {
		t.Errorf("LayerIDs() = %v", got)
	}
	for i, id := range got {
		if slices.Contains(got[:i], id) {
			t.Errorf("LayerIDs() names %q twice", id)
		}
	}
}

func TestThemes(t *testing.T) {
	themes := seeds.Themes()
	if len(themes) < 13 {
		t.Fatalf("%d themes", len(themes))
	}
	seen := map[string]bool{}
	for _, th := range themes {
		if !th.Valid() || th.Title() == "" || !strings.HasPrefix(th.Key(), "declaration.theme.") {
			t.Errorf("theme %q: title %q, key %q", th, th.Title(), th.Key())
		}
		if seen[th.Title()] {
			t.Errorf("title %q repeated", th.Title())
		}
		seen[th.Title()] = true
	}
	if seeds.Theme("weather").Valid() {
		t.Error(`"weather" is not a theme`)
	}
}

func TestLinks_CatalogueKeys(t *testing.T) {
	keys := embeddedLinks(t).CatalogueKeys()
	for _, want := range []string{"declaration.clause.1.title", "declaration.clause.27.title", "declaration.theme.water", "declaration.focus.none"} {
		if !slices.Contains(keys, want) {
			t.Errorf("CatalogueKeys lacks %q", want)
		}
	}
	if len(keys) != 27+len(seeds.Themes())+3 {
		t.Errorf("%d keys", len(keys))
	}
}

func TestEmbeddedLinks_independentCopies(t *testing.T) {
	a := embeddedLinks(t)
	a.Clauses[13].Places[0].ID = "changed"
	a.Clauses[0].Themes[0] = "changed"
	b := embeddedLinks(t)
	if b.Clauses[13].Places[0].ID == "changed" || b.Clauses[0].Themes[0] == "changed" {
		t.Error("a change to one EmbeddedLinks result shows in the next")
	}
}

func TestParseLinks_errors(t *testing.T) {
	const good = `{"about": "", "clauses": [
{"number": 1, "title": "A", "themes": ["water"], "focus": "none", "layers": [], "whole_layers": [], "places": [], "note": "n"},
{"number": 2, "title": "B", "themes": ["water"], "focus": "places", "layers": ["lakes"], "whole_layers": [], "places": [{"layer": "lakes", "id": "x"}], "note": "n"}
]}`
	if _, err := seeds.ParseLinks(strings.NewReader(good), "good.json"); err != nil {
		t.Fatalf("good links: %v", err)
	}
	for name, tt := range map[string]struct{ src, want string }{
		"syntax":          {"{\n\"clauses\": [\n{,]}", "bad.json: line 3:"},
		"unknown field":   {`{"clauses": [{"numbr": 1}]}`, `unknown field "numbr"`},
		"type":            {"{\"clauses\": [\n{\"number\": \"1\"}]}", "line 2:"},
		"no clauses":      {`{"clauses": []}`, "no clauses"},
		"trailing":        {`{"clauses": []} {}`, "data after"},
		"numbering":       {strings.Replace(good, `"number": 2`, `"number": 3`, 1), "clause 2: number: 3, want 2"},
		"empty title":     {strings.Replace(good, `"title": "A"`, `"title": " "`, 1), "clause 1: title: empty"},
		"long title":      {strings.Replace(good, `"title": "A"`, `"title": "`+strings.Repeat("й", 61)+`"`, 1), "clause 1: title: 61 characters"},
		"no theme":        {strings.Replace(good, `"themes": ["water"], "focus": "none"`, `"themes": [], "focus": "none"`, 1), "clause 1: themes: none"},
		"unknown theme":   {strings.Replace(good, `["water"], "focus": "none"`, `["weather"], "focus": "none"`, 1), `clause 1: themes[1]: "weather" is not in the vocabulary`},
		"repeated theme":  {strings.Replace(good, `["water"], "focus": "none"`, `["water", "water"], "focus": "none"`, 1), `themes[2]: "water" repeated`},
		"no note":         {strings.Replace(good, `"note": "n"}`, `"note": ""}`, 1), "clause 1: note: empty"},
		"bad focus":       {strings.Replace(good, `"focus": "none"`, `"focus": "some"`, 1), `clause 1: focus: "some"`},
		"none with layer": {strings.Replace(good, `"focus": "none", "layers": []`, `"focus": "none", "layers": ["lakes"]`, 1), `clause 1: focus "none" with layers`},
		"places without":  {strings.Replace(good, `"places": [{"layer": "lakes", "id": "x"}]`, `"places": []`, 1), `clause 2: focus "places" with no places`},
		"layers focus":    {strings.Replace(good, `"focus": "places"`, `"focus": "layers"`, 1), `clause 2: focus "layers" needs whole layers`},
		"place layer":     {strings.Replace(good, `{"layer": "lakes", "id": "x"}`, `{"layer": "rivers", "id": "x"}`, 1), `clause 2: places[1]: layer "rivers" is not among`},
		"place no id":     {strings.Replace(good, `{"layer": "lakes", "id": "x"}`, `{"layer": "lakes", "id": ""}`, 1), `clause 2: places[1]: a place needs`},
		"place twice":     {strings.Replace(good, `{"layer": "lakes", "id": "x"}`, `{"layer": "lakes", "id": "x"}, {"layer": "lakes", "id": "x", "named": true}`, 1), `clause 2: places[2]: lakes/x listed twice`},
		"whole not layer": {strings.Replace(good, `"whole_layers": [], "places": [{`, `"whole_layers": ["glaciers"], "places": [{`, 1), `clause 2: whole_layers[1]: layer "glaciers"`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := seeds.ParseLinks(strings.NewReader(tt.src), "bad.json")
			if !errors.Is(err, seeds.ErrLinks) {
				t.Fatalf("err = %v, want ErrLinks", err)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "seeds: invalid clause links: bad.json: ") {
				t.Errorf("err = %q, want it to name the file and contain %q", err, tt.want)
			}
		})
	}
}

func FuzzParseLinks(f *testing.F) {
	data, err := os.ReadFile(seeds.LinksFileName)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"clauses": [{"number": 1, "title": "A", "themes": ["water"], "focus": "none", "layers": [], "whole_layers": [], "places": [], "note": "n"}]}`))
	f.Add([]byte(`{"clauses": [{"number": 1, "focus": "layers", "layers": ["a"], "whole_layers": ["a"]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := seeds.ParseLinks(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			if !errors.Is(err, seeds.ErrLinks) {
				t.Fatalf("error %v does not wrap ErrLinks", err)
			}
			return
		}
		for i, c := range l.Clauses {
			if c.Number != i+1 || c.Title == "" || len(c.Themes) == 0 || c.Focus.Title() == "" {
				t.Fatalf("accepted clause %+v", c)
			}
			for _, p := range c.Places {
				if !c.Concerns(p.Layer, p.ID) {
					t.Fatalf("clause %d does not concern its own place %v", c.Number, p)
				}
			}
		}
	})
}
