// Package story models presentations of the map: a [Story] is an ordered
// list of steps, each a view of the map (a lon/lat box, layers switched on
// or off, a filter, features or a declaration clause highlighted) with a
// caption and, for a self-running show, how long it stays. The app plays
// stories full screen and edits them in a side panel; package export
// prints them as multi-page handouts.
//
// A story is saved as a small JSON file meant to be read and written by
// people as well as programs:
//
//	{
//	  "title": "Water bodies",
//	  "steps": [
//	    {
//	      "title": "The Aral Sea, late 1950s",
//	      "caption": "Before the rivers were diverted ...",
//	      "view": [57.5, 42.8, 62.5, 47.2],
//	      "layers": {"lakes_historic": true, "aral_shorelines": true},
//	      "highlight": {"features": [{"layer": "lakes_historic", "id": "lakes-historic.historic-aral-sea"}]},
//	      "duration_s": 8
//	    }
//	  ]
//	}
//
// [Parse] reads it strictly (unknown fields are errors that name the file,
// the step and the field) and [Story.Marshal] writes it back: reading what
// Marshal wrote gives the same story, field for field.
//
// A step's view and layers are the same as a bookmark's: [Capture] makes
// a step of what the map shows, and [Step.Apply] turns a style into the
// step's, so a bookmark converts to a step and back.
package story

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/seeds"
)

// ErrStory is wrapped by every error [Parse] and [Story.Check] return for
// a story that is not well formed; test for it with [errors.Is].
var ErrStory = errors.New("story: invalid story")

// Story is a titled, ordered list of steps.
type Story struct {
	// Title names the story.
	Title string `json:"title"`
	// Description says what the story is about, for a handout's first
	// page or a list of stories; it may be empty.
	Description string `json:"description,omitempty"`
	// Steps are shown in order.
	Steps []Step `json:"steps"`
}

// Values returns the values a step's filter chooses for a property of a
// layer, nil if none.
func (s Step) Values(layerID, field string) []any {
	for _, c := range s.Filter {
		if c.Layer == layerID && c.Field == field {
			return c.Values
		}
	}
	return nil
}

// Step is one view of a story.
type Step struct {
	// Title is the step's heading; empty, a clause step is headed by its
	// clause.
	Title string `json:"title,omitempty"`
	// Caption is the text shown with the step: a presenter's note, or the
	// clause's text.
	Caption string `json:"caption,omitempty"`
	// View is the lon/lat box the map fits: min longitude, min latitude,
	// max longitude, max latitude, in degrees (WGS 84).
	View style.Box `json:"view"`
	// Layers switches style layers on (true) or off (false) by id; the
	// layers it does not name stay as they are.
	Layers map[string]bool `json:"layers,omitempty"`
	// Filter narrows what layers draw, as a filter panel does: each
	// choice keeps the features of a layer whose property has one of the
	// values chosen (the choices of query.Filter).
	Filter []Choice `json:"filter,omitempty"`
	// Highlight is what the step picks out on the map.
	Highlight Highlight `json:"highlight,omitzero"`
	// Duration is how long, in seconds, the step shows in a self-running
	// show; 0 waits for the presenter.
	Duration float64 `json:"duration_s,omitempty"`
}

// Choice is the values chosen for one property of one layer. Values are
// as the data hold them: strings, numbers (float64) and booleans.
type Choice struct {
	Layer  string `json:"layer"`
	Field  string `json:"field"`
	Values []any  `json:"values"`
}

// Highlight is what a step picks out: a clause of the declaration, whole
// layers and single features. Everything else is veiled.
type Highlight struct {
	// Clause is the number of the declaration clause the step shows, with
	// its badges, or 0.
	Clause int `json:"clause,omitempty"`
	// Layers are style layers highlighted in full.
	Layers []string `json:"layers,omitempty"`
	// Features are single features highlighted.
	Features []seeds.FeatureRef `json:"features,omitempty"`
}

// IsZero reports whether the highlight picks out nothing.
func (h Highlight) IsZero() bool {
	return h.Clause == 0 && len(h.Layers) == 0 && len(h.Features) == 0
}

// Bound returns the step's view as an orb bound.
func (s Step) Bound() orb.Bound { return s.View.Bound() }

// Apply returns a copy of st with the step's layers switched on or off,
// and its highlighted layers and the layers of its highlighted features
// switched on. The step's filter is for the query engine to apply
// ([query.Engine.Apply]).
func (s Step) Apply(st *style.Style) *style.Style {
	out := st.Clone()
	show := s.Highlight.Layers
	for _, f := range s.Highlight.Features {
		show = append(show, f.Layer)
	}
	for i := range out.Layers {
		l := &out.Layers[i]
		if on, ok := s.Layers[l.ID]; ok {
			l.Hidden = !on
		}
		if slices.Contains(show, l.ID) {
			l.Hidden = false
		}
	}
	return out
}

// TourStep returns the step as a step of the declaration tour, which
// package clausemap turns into what the map highlights.
func (s Step) TourStep() seeds.Step {
	return seeds.Step{
		Clause:   s.Highlight.Clause,
		View:     s.View,
		Layers:   slices.Clone(s.Highlight.Layers),
		Features: slices.Clone(s.Highlight.Features),
		Caption:  s.Caption,
	}
}

// Capture returns a step showing what a map shows: its view and the
// visibility of every layer of its style, with no caption.
func Capture(view orb.Bound, st *style.Style) Step {
	s := Step{View: style.Box{view.Min[0], view.Min[1], view.Max[0], view.Max[1]}, Layers: map[string]bool{}}
	for _, l := range st.Layers {
		s.Layers[l.ID] = !l.Hidden
	}
	return s
}

// MinViewSpan is the smallest width and height of a step's view, in
// degrees: a box narrower than about 1 km is a typing error.
const MinViewSpan = seeds.MinViewSpan

// Parse reads a story from r; name is the file's name, used in errors.
// Unknown fields are errors, and every step must have a view of finite
// coordinates, longitudes within ±180 and latitudes within ±85.06 (the
// Web Mercator limit), min below max by at least [MinViewSpan], and a
// duration that is not negative. Whether its layers and features exist is
// for [Story.Check]. Errors wrap [ErrStory] and name the file, the step
// (from 1) and the field.
func Parse(r io.Reader, name string) (Story, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Story{}, fmt.Errorf("story: %s: %w", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	var s Story
	if err := dec.Decode(&s); err != nil {
		return Story{}, fmt.Errorf("%w: %s: %s", ErrStory, name, jsonProblem(data, err))
	}
	if dec.More() {
		return Story{}, fmt.Errorf("%w: %s: data after the story", ErrStory, name)
	}
	if strings.TrimSpace(s.Title) == "" {
		return Story{}, fmt.Errorf("%w: %s: title: empty", ErrStory, name)
	}
	if len(s.Steps) == 0 {
		return Story{}, fmt.Errorf("%w: %s: steps: none", ErrStory, name)
	}
	for i := range s.Steps {
		if err := s.Steps[i].check(); err != nil {
			return Story{}, fmt.Errorf("%w: %s: step %d: %s", ErrStory, name, i+1, err)
		}
		normalise(&s.Steps[i])
	}
	return s, nil
}

// normalise turns the JSON numbers of a step's filter values into the
// float64 the data hold, so a story read back equals the one written.
func normalise(s *Step) {
	for i := range s.Filter {
		for j, v := range s.Filter[i].Values {
			if n, ok := v.(json.Number); ok {
				f, _ := n.Float64() // the decoder checked the syntax
				s.Filter[i].Values[j] = f
			}
		}
	}
}

// check checks a step on its own.
func (s *Step) check() error {
	v := s.View
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("view: %v is not a finite number", x)
		}
	}
	switch {
	case v[0] < -180 || v[2] > 180 || v[1] < -85.06 || v[3] > 85.06:
		return fmt.Errorf("view: %v reaches beyond longitudes ±180 or latitudes ±85.06", v)
	case v[2]-v[0] < MinViewSpan || v[3]-v[1] < MinViewSpan:
		return fmt.Errorf("view: %v is not a box of at least %v° (want min lon, min lat, max lon, max lat)", v, MinViewSpan)
	case s.Duration < 0 || math.IsNaN(s.Duration) || math.IsInf(s.Duration, 0):
		return fmt.Errorf("duration_s: %v is not a number of seconds", s.Duration)
	case s.Highlight.Clause < 0:
		return fmt.Errorf("highlight.clause: %d is not a clause number", s.Highlight.Clause)
	}
	for i, f := range s.Highlight.Features {
		if f.Layer == "" || f.ID == "" {
			return fmt.Errorf("highlight.features[%d]: a feature needs a layer and an id", i+1)
		}
	}
	for i, c := range s.Filter {
		if c.Layer == "" || c.Field == "" {
			return fmt.Errorf("filter[%d]: a choice needs a layer and a field", i+1)
		}
	}
	return nil
}

// Check checks that every layer the story names is a layer of st, and
// that every clause it highlights is one of d's. Errors wrap [ErrStory]
// and name the step (from 1) and the field.
func (s Story) Check(st *style.Style, d seeds.Declaration) error {
	known := func(id string) bool { _, ok := st.Layer(id); return ok }
	for i, step := range s.Steps {
		fail := func(format string, args ...any) error {
			return fmt.Errorf("%w: %q: step %d: %s", ErrStory, s.Title, i+1, fmt.Sprintf(format, args...))
		}
		for _, id := range slices.Sorted(maps.Keys(step.Layers)) {
			if !known(id) {
				return fail("layers: no layer %q", id)
			}
		}
		for _, id := range step.Highlight.Layers {
			if !known(id) {
				return fail("highlight.layers: no layer %q", id)
			}
		}
		for j, f := range step.Highlight.Features {
			if !known(f.Layer) {
				return fail("highlight.features[%d]: no layer %q", j+1, f.Layer)
			}
		}
		for j, c := range step.Filter {
			if !known(c.Layer) {
				return fail("filter[%d]: no layer %q", j+1, c.Layer)
			}
		}
		if n := step.Highlight.Clause; n != 0 {
			if _, ok := d.Clause(n); !ok {
				return fail("highlight.clause: the declaration has no clause %d", n)
			}
		}
	}
	return nil
}

// Marshal returns the story as indented JSON, the form Parse reads.
func (s Story) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, fmt.Errorf("story: %q: %w", s.Title, err)
	}
	return buf.Bytes(), nil
}

// jsonProblem describes a decoding error with its line and column.
func jsonProblem(data []byte, err error) string {
	var offset int64 = -1
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		offset = syntax.Offset
	case errors.As(err, &typ):
		offset = typ.Offset
	}
	if offset < 0 {
		return err.Error()
	}
	line, col := 1, 1
	for _, b := range data[:min(int(offset), len(data))] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Sprintf("line %d, column %d: %v", line, col, err)
}

// Clone returns a copy of the story that shares nothing with it.
func (s Story) Clone() Story {
	s.Steps = slices.Clone(s.Steps)
	for i := range s.Steps {
		st := &s.Steps[i]
		st.Layers = maps.Clone(st.Layers)
		st.Highlight.Layers = slices.Clone(st.Highlight.Layers)
		st.Highlight.Features = slices.Clone(st.Highlight.Features)
		st.Filter = slices.Clone(st.Filter)
		for j := range st.Filter {
			st.Filter[j].Values = slices.Clone(st.Filter[j].Values)
		}
	}
	return s
}
