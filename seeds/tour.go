package seeds

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"sync"
)

// TourFileName is the name of the embedded declaration tour in this
// package's directory.
const TourFileName = "tour.json"

//go:embed tour.json
var tourJSON []byte

// ErrTour is wrapped by every error [ParseTour] returns for a tour that
// is not well formed; test for it with [errors.Is].
var ErrTour = errors.New("seeds: invalid tour")

// Tour is an ordered walk through the map, step by step: the declaration
// tour through the clauses that have places, or any story of the same
// format.
//
// The file is JSON:
//
//	{
//	  "title": "The declaration on the map",
//	  "steps": [
//	    {
//	      "clause": 5,
//	      "view": [57.5, 40.5, 85.5, 50.0],
//	      "layers": [],
//	      "features": [{"layer": "lakes", "id": "lakes.issyk-kul"}],
//	      "caption": ""
//	    }
//	  ]
//	}
//
// See [Step] for the fields of a step.
type Tour struct {
	// Title names the tour.
	Title string `json:"title"`
	// Steps are shown in order.
	Steps []Step `json:"steps"`
}

// Step is one view of a [Tour].
type Step struct {
	// Clause is the number of the declaration clause the step shows, or 0
	// for a step about no clause.
	Clause int `json:"clause,omitempty"`
	// View is the lon/lat box the map fits: min longitude, min latitude,
	// max longitude, max latitude, in degrees (WGS 84).
	View [4]float64 `json:"view"`
	// Layers are style layers highlighted in full: every feature they
	// draw.
	Layers []string `json:"layers,omitempty"`
	// Features are single features highlighted, each with the step's
	// clause badge when the step has a clause.
	Features []FeatureRef `json:"features,omitempty"`
	// Caption is the text shown with the step. Left empty in the file for
	// a clause step, it is the clause's verbatim text.
	Caption string `json:"caption,omitempty"`
}

// Visible returns the style layers a step needs shown: its Layers, then
// the layers of its Features, each once.
func (s Step) Visible() []string {
	out := slices.Clone(s.Layers)
	for _, f := range s.Features {
		if !slices.Contains(out, f.Layer) {
			out = append(out, f.Layer)
		}
	}
	return out
}

// MinViewSpan is the smallest width and height of a step's view, in
// degrees: a box narrower than about 1 km is a typing error.
const MinViewSpan = 0.01

// ParseTour reads a tour from r (name is the file's name, used in errors)
// and fills the caption of each clause step that has none with the
// clause's text from d. Unknown fields are errors. Each step must have a
// view with finite coordinates, longitudes within ±180 and latitudes
// within ±85.06 (the Web Mercator limit), min below max by at least
// [MinViewSpan]; a clause that d has, if any; and a caption once filled.
// Whether layers and features exist is for the map to check.
//
// Errors wrap [ErrTour] and name the file, the step (from 1) and the
// field.
func ParseTour(r io.Reader, name string, d Declaration) (Tour, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Tour{}, fmt.Errorf("seeds: %s: %w", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var t Tour
	if err := dec.Decode(&t); err != nil {
		return Tour{}, fmt.Errorf("%w: %s: %s", ErrTour, name, jsonProblem(data, err))
	}
	if dec.More() {
		return Tour{}, fmt.Errorf("%w: %s: data after the top-level object", ErrTour, name)
	}
	if len(t.Steps) == 0 {
		return Tour{}, fmt.Errorf("%w: %s: no steps", ErrTour, name)
	}
	for i := range t.Steps {
		if err := fillStep(&t.Steps[i], d); err != nil {
			return Tour{}, fmt.Errorf("%w: %s: step %d: %s", ErrTour, name, i+1, err)
		}
	}
	return t, nil
}

// fillStep checks a step and fills its caption from its clause.
func fillStep(s *Step, d Declaration) error {
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
	}
	for i, f := range s.Features {
		if f.Layer == "" || f.ID == "" {
			return fmt.Errorf("features[%d]: a feature needs a layer and an id", i+1)
		}
	}
	if s.Clause != 0 {
		c, ok := d.Clause(s.Clause)
		if !ok {
			return fmt.Errorf("clause: the declaration has no clause %d", s.Clause)
		}
		if s.Caption == "" {
			s.Caption = c.Text
		}
	}
	if strings.TrimSpace(s.Caption) == "" {
		return errors.New("caption: empty, and no clause to take it from")
	}
	return nil
}

var embeddedTour = sync.OnceValues(func() (Tour, error) {
	return ParseTour(bytes.NewReader(tourJSON), TourFileName, Embedded())
})

// EmbeddedTour returns the declaration tour, parsed from [TourFileName]
// on first use with captions from [Embedded]. The package tests check
// that it parses, so the error is nil in a released build; every call
// returns an independent copy.
func EmbeddedTour() (Tour, error) {
	t, err := embeddedTour()
	t.Steps = slices.Clone(t.Steps)
	for i := range t.Steps {
		t.Steps[i].Layers = slices.Clone(t.Steps[i].Layers)
		t.Steps[i].Features = slices.Clone(t.Steps[i].Features)
	}
	return t, err
}
