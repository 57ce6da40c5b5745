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

func TestEmbeddedTour_walksTheClausesWithPlaces(t *testing.T) {
	tour, err := seeds.EmbeddedTour()
	if err != nil {
		t.Fatal(err)
	}
	if tour.Title == "" {
		t.Error("the tour has no title")
	}
	var want, got []int
	for _, c := range embeddedLinks(t).Clauses {
		if c.Focus == seeds.FocusPlaces {
			want = append(want, c.Number)
		}
	}
	for _, s := range tour.Steps {
		got = append(got, s.Clause)
	}
	if !slices.Equal(got, want) {
		t.Errorf("the tour visits clauses %v, want those with places, in order: %v", got, want)
	}
}

// TestEmbeddedTour_stepsAreValid checks every step against the links, the
// declaration and the embedded map: its caption is the clause's verbatim
// text, its view lies within the map's bounds, every layer and feature
// exists, the features are the clause's, and each shows in the view.
func TestEmbeddedTour_stepsAreValid(t *testing.T) {
	tour, err := seeds.EmbeddedTour()
	if err != nil {
		t.Fatal(err)
	}
	m := embeddedMap(t)
	l := embeddedLinks(t)
	d := seeds.Embedded()
	for i, s := range tour.Steps {
		c, _ := d.Clause(s.Clause)
		if s.Caption != c.Text {
			t.Errorf("step %d: caption %q, want the text of clause %d", i+1, s.Caption, s.Clause)
		}
		view := box(s.View)
		if view[0] < m.bounds[0] || view[1] < m.bounds[1] || view[2] > m.bounds[2] || view[3] > m.bounds[3] {
			t.Errorf("step %d: view %v leaves the map's bounds %v", i+1, view, m.bounds)
		}
		if ratio := (view[2] - view[0]) / (view[3] - view[1]); ratio < 0.5 || ratio > 4 {
			t.Errorf("step %d: view %v is %.1f times as wide as high", i+1, view, ratio)
		}
		links, _ := l.Clause(s.Clause)
		if !slices.Equal(s.Layers, links.WholeLayers) {
			t.Errorf("step %d: layers %v, want the clause's whole layers %v", i+1, s.Layers, links.WholeLayers)
		}
		for _, layer := range s.Visible() {
			if _, ok := m.layers[layer]; !ok {
				t.Errorf("step %d: no style layer %q", i+1, layer)
			}
		}
		for _, f := range s.Features {
			if !links.Concerns(f.Layer, f.ID) {
				t.Errorf("step %d: %s is not a place of clause %d", i+1, f, s.Clause)
			}
			extent, ok := m.features[f.Layer][f.ID]
			if !ok {
				t.Errorf("step %d: layer %q has no feature %q", i+1, f.Layer, f.ID)
				continue
			}
			if !extent.intersects(view) {
				t.Errorf("step %d: %s (%v) is outside the view %v", i+1, f, extent, view)
			}
		}
	}
}

func TestStep_Visible(t *testing.T) {
	s := seeds.Step{Layers: []string{"tailings"}, Features: []seeds.FeatureRef{{Layer: "lakes", ID: "a"}, {Layer: "tailings", ID: "b"}, {Layer: "lakes", ID: "c"}}}
	if got := s.Visible(); !slices.Equal(got, []string{"tailings", "lakes"}) {
		t.Errorf("Visible() = %v", got)
	}
}

func TestParseTour(t *testing.T) {
	d := seeds.Embedded()
	const good = `{"title": "T", "steps": [
{"clause": 5, "view": [75, 41, 79, 43.5], "features": [{"layer": "lakes", "id": "lakes.issyk-kul"}]},
{"view": [46, 35, 88, 56], "caption": "The whole region"}
]}`
	tour, err := seeds.ParseTour(strings.NewReader(good), "good.json", d)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := d.Clause(5); tour.Steps[0].Caption != c.Text || tour.Steps[1].Caption != "The whole region" {
		t.Errorf("captions %q, %q", tour.Steps[0].Caption, tour.Steps[1].Caption)
	}
	for name, tt := range map[string]struct{ src, want string }{
		"syntax":        {"{\n\"steps\": [,]}", "bad.json: line 2:"},
		"unknown field": {`{"steps": [{"veiw": [1, 2, 3, 4]}]}`, `unknown field "veiw"`},
		"no steps":      {`{"title": "T", "steps": []}`, "no steps"},
		"trailing":      {`{"steps": []} []`, "data after"},
		"no clause":     {strings.Replace(good, `"clause": 5`, `"clause": 28`, 1), "step 1: clause: the declaration has no clause 28"},
		"no caption":    {strings.Replace(good, `"caption": "The whole region"`, `"caption": " "`, 1), "step 2: caption: empty"},
		"swapped view":  {strings.Replace(good, `[75, 41, 79, 43.5]`, `[79, 41, 75, 43.5]`, 1), "step 1: view: [79 41 75 43.5] is not a box"},
		"latitude":      {strings.Replace(good, `[46, 35, 88, 56]`, `[46, 35, 88, 86]`, 1), "step 2: view: [46 35 88 86] reaches beyond"},
		"longitude":     {strings.Replace(good, `[46, 35, 88, 56]`, `[-181, 35, 88, 56]`, 1), "step 2: view: [-181 35 88 56] reaches beyond"},
		"short view":    {strings.Replace(good, `"view": [75, 41, 79, 43.5]`, `"view": [75, 41, 79]`, 1), "step 1: view: [75 41 79 0]"},
		"feature":       {strings.Replace(good, `"id": "lakes.issyk-kul"`, `"id": ""`, 1), "step 1: features[1]: a feature needs"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := seeds.ParseTour(strings.NewReader(tt.src), "bad.json", d)
			if !errors.Is(err, seeds.ErrTour) {
				t.Fatalf("err = %v, want ErrTour", err)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "seeds: invalid tour: bad.json: ") {
				t.Errorf("err = %q, want it to name the file and contain %q", err, tt.want)
			}
		})
	}
}

func FuzzParseTour(f *testing.F) {
	data, err := os.ReadFile(seeds.TourFileName)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"steps": [{"view": [46, 35, 88, 56], "caption": "x"}]}`))
	f.Add([]byte(`{"steps": [{"clause": 27, "view": [1e308, 35, 88, 56]}]}`))
	d := seeds.Embedded()
	f.Fuzz(func(t *testing.T, data []byte) {
		tour, err := seeds.ParseTour(bytes.NewReader(data), "fuzz.json", d)
		if err != nil {
			if !errors.Is(err, seeds.ErrTour) {
				t.Fatalf("error %v does not wrap ErrTour", err)
			}
			return
		}
		for _, s := range tour.Steps {
			if strings.TrimSpace(s.Caption) == "" || !(s.View[0] < s.View[2] && s.View[1] < s.View[3]) {
				t.Fatalf("accepted step %+v", s)
			}
		}
	})
}
