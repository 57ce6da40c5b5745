package story_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/assets"
	"github.com/ecoatlas/ecoatlas/geo/story"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/seeds"
	"github.com/paulmach/orb"
)

func parseFile(t *testing.T, name string) story.Story {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	s, err := story.Parse(bytes.NewReader(data), name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// roundTrip writes a story and reads it back, failing unless the result
// is the same story and writing it again gives the same bytes.
func roundTrip(t *testing.T, s story.Story) {
	t.Helper()
	data, err := s.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := story.Parse(bytes.NewReader(data), "written.json")
	if err != nil {
		t.Fatalf("reading back what Marshal wrote: %v\n%s", err, data)
	}
	if !reflect.DeepEqual(back, s) {
		if back.Title != s.Title || back.Description != s.Description || len(back.Steps) != len(s.Steps) {
			t.Fatalf("the story read back is %q (%d steps), want %q (%d steps)", back.Title, len(back.Steps), s.Title, len(s.Steps))
		}
		for i := range s.Steps {
			if !reflect.DeepEqual(back.Steps[i], s.Steps[i]) {
				t.Fatalf("step %d read back differs:\n got %#v\nwant %#v", i+1, back.Steps[i], s.Steps[i])
			}
		}
	}
	again, err := back.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, data) {
		t.Fatalf("writing the story again gives other bytes:\n%s\n%s", again, data)
	}
}

func TestParse_everyFieldRoundTrips(t *testing.T) {
	s := parseFile(t, "every-field.json")
	step := s.Steps[0]
	if step.Duration != 12.5 || step.Highlight.Clause != 14 || !step.Layers["tailings"] || step.Layers["hillshade"] {
		t.Errorf("the first step reads as %+v", step)
	}
	if v := step.Values("places", "pop_max"); !reflect.DeepEqual(v, []any{100000.0, 2.5e6}) {
		t.Errorf("the numbers of a filter read as %#v, want float64s as the data hold them", v)
	}
	if v := step.Values("protected_areas", "ramsar"); !reflect.DeepEqual(v, []any{true}) {
		t.Errorf("the booleans of a filter read as %#v", v)
	}
	roundTrip(t, s)
}

func TestBuiltin_roundTrip(t *testing.T) {
	stories, err := story.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stories {
		t.Run(s.Title, func(t *testing.T) { roundTrip(t, s) })
	}
}

func TestDeclarationTour_followsTheTour(t *testing.T) {
	tour, err := seeds.EmbeddedTour()
	if err != nil {
		t.Fatal(err)
	}
	s, err := story.DeclarationTour()
	if err != nil {
		t.Fatal(err)
	}
	if s.Title != tour.Title || len(s.Steps) != len(tour.Steps) {
		t.Fatalf("the story %q has %d steps, the tour %q %d", s.Title, len(s.Steps), tour.Title, len(tour.Steps))
	}
	for i, step := range s.Steps {
		got, want := step.TourStep(), tour.Steps[i]
		if got.Clause != want.Clause || got.View != want.View || got.Caption != want.Caption ||
			!slices.Equal(got.Layers, want.Layers) || !slices.Equal(got.Features, want.Features) {
			t.Errorf("step %d is clause %d, view %v, layers %v, features %v; the tour's clause %d, view %v, layers %v, features %v",
				i+1, got.Clause, got.View, got.Layers, got.Features, want.Clause, want.View, want.Layers, want.Features)
		}
	}
}

func TestParse_errorsNameTheStepAndField(t *testing.T) {
	for _, tc := range []struct{ name, json, want string }{
		{"unknown field", `{"title":"T","steps":[{"view":[1,1,2,2],"zoom":5}]}`, `unknown field "zoom"`},
		{"no steps", `{"title":"T","steps":[]}`, "steps: none"},
		{"no title", `{"steps":[{"view":[1,1,2,2]}]}`, "title: empty"},
		{"reversed view", `{"title":"T","steps":[{"view":[1,1,2,2]},{"view":[2,2,1,1]}]}`, "step 2: view"},
		{"beyond the world", `{"title":"T","steps":[{"view":[1,1,200,2]}]}`, "step 1: view"},
		{"negative duration", `{"title":"T","steps":[{"view":[1,1,2,2],"duration_s":-1}]}`, "step 1: duration_s"},
		{"feature without id", `{"title":"T","steps":[{"view":[1,1,2,2],"highlight":{"features":[{"layer":"lakes"}]}}]}`, "step 1: highlight.features[1]"},
		{"choice without field", `{"title":"T","steps":[{"view":[1,1,2,2],"filter":[{"layer":"lakes","values":[1]}]}]}`, "step 1: filter[1]"},
		{"wrong type", "{\"title\":\"T\",\n\"steps\":[{\"view\":\"Aral\"}]}", "line 2"},
		{"trailing data", `{"title":"T","steps":[{"view":[1,1,2,2]}]} {}`, "data after the story"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := story.Parse(strings.NewReader(tc.json), "bad.json")
			if !errors.Is(err, story.ErrStory) {
				t.Fatalf("Parse gives %v, want an ErrStory", err)
			}
			if !strings.Contains(err.Error(), "bad.json") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("the error %q does not name the file and %q", err, tc.want)
			}
		})
	}
}

func TestCheck_namesUnknownLayersAndClauses(t *testing.T) {
	st := &style.Style{Layers: []style.Layer{{ID: "lakes"}}}
	for _, tc := range []struct {
		step story.Step
		want string
	}{
		{story.Step{Layers: map[string]bool{"lakes": true, "rivers": false}}, `step 1: layers: no layer "rivers"`},
		{story.Step{Highlight: story.Highlight{Layers: []string{"glaciers"}}}, `highlight.layers: no layer "glaciers"`},
		{story.Step{Highlight: story.Highlight{Clause: 99}}, "highlight.clause: the declaration has no clause 99"},
	} {
		err := story.Story{Title: "T", Steps: []story.Step{tc.step}}.Check(st, seeds.Embedded())
		if !errors.Is(err, story.ErrStory) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Check gives %v, want %q", err, tc.want)
		}
	}
}

func TestCaptureAndApply_likeABookmark(t *testing.T) {
	st := &style.Style{Layers: []style.Layer{{ID: "relief"}, {ID: "lakes"}, {ID: "sites", Hidden: true}}}
	view := orb.Bound{Min: orb.Point{60, 40}, Max: orb.Point{70, 45}}
	step := story.Capture(view, st)
	if step.Bound() != view || !reflect.DeepEqual(step.Layers, map[string]bool{"relief": true, "lakes": true, "sites": false}) {
		t.Fatalf("Capture gives %+v", step)
	}
	changed := st.Clone()
	changed.Layers[0].Hidden, changed.Layers[2].Hidden = true, false
	back := step.Apply(changed)
	for i, l := range back.Layers {
		if l.Hidden != st.Layers[i].Hidden {
			t.Errorf("after Apply, layer %s is hidden: %t, want %t", l.ID, l.Hidden, st.Layers[i].Hidden)
		}
	}
	if !changed.Layers[0].Hidden {
		t.Error("Apply changed the style it was given")
	}
	step.Highlight.Features = append(step.Highlight.Features, seeds.FeatureRef{Layer: "sites", ID: "a"})
	if step.Apply(st).Layers[2].Hidden {
		t.Error("a highlighted feature's layer stays hidden")
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"every-field.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	stories, err := story.Builtin()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range stories {
		data, err := s.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := story.Parse(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			if !errors.Is(err, story.ErrStory) {
				t.Fatalf("an error that is not ErrStory: %v", err)
			}
			return
		}
		roundTrip(t, s)
	})
}

func TestReadmeExample_parsesAndRoundTrips(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "### Stories")
	if !ok {
		t.Fatal("the README has no Stories section")
	}
	_, block, ok := strings.Cut(after, "```json\n")
	block, _, closed := strings.Cut(block, "```")
	if !ok || !closed {
		t.Fatal("the README's Stories section has no JSON example")
	}
	s, err := story.Parse(strings.NewReader(block), "README.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Steps) != 1 || s.Steps[0].Duration != 8 || s.Steps[0].Highlight.Clause != 12 || len(s.Steps[0].Filter) != 1 {
		t.Errorf("the README's example reads as %+v", s)
	}
	roundTrip(t, s)
	if err := s.Check(readmeStyle(), seeds.Embedded()); err != nil {
		t.Errorf("the README's example names what the map lacks: %v", err)
	}
}

// readmeStyle returns the embedded default style.
func readmeStyle() *style.Style {
	st, err := style.Parse(assets.DefaultStyle)
	if err != nil {
		panic(err)
	}
	return st
}
