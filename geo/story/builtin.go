package story

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"

	"github.com/ecoatlas/ecoatlas/seeds"
)

// WaterBodiesFileName is the name of the embedded "Water bodies" story in
// this package's stories folder.
const WaterBodiesFileName = "water-bodies.json"

//go:embed stories/water-bodies.json
var waterBodiesJSON []byte

var waterBodies = sync.OnceValues(func() (Story, error) {
	return Parse(bytes.NewReader(waterBodiesJSON), WaterBodiesFileName)
})

// WaterBodies returns the built-in story of the region's water bodies: the
// Aral Sea then and now, the Caspian, Issyk-Kul and Balkhash. The package
// tests check that it parses and that the map has everything it names,
// so the error is nil in a released build; each call returns a copy.
func WaterBodies() (Story, error) {
	s, err := waterBodies()
	return s.Clone(), err
}

// DeclarationTour returns the declaration tour ([seeds.EmbeddedTour]) as a
// story: one step per clause with places, each showing the clause's
// places and layers with its badges, captioned with the clause's text.
func DeclarationTour() (Story, error) {
	t, err := seeds.EmbeddedTour()
	if err != nil {
		return Story{}, fmt.Errorf("story: the declaration tour: %w", err)
	}
	s := Story{Title: t.Title, Steps: make([]Step, len(t.Steps))}
	for i, ts := range t.Steps {
		s.Steps[i] = Step{
			Caption: ts.Caption,
			View:    ts.View,
			Highlight: Highlight{
				Clause:   ts.Clause,
				Layers:   orNil(ts.Layers),
				Features: orNil(ts.Features),
			},
		}
	}
	return s, nil
}

// Builtin returns the stories that come with the app: the declaration
// tour, then the water bodies.
func Builtin() ([]Story, error) {
	tour, err := DeclarationTour()
	if err != nil {
		return nil, err
	}
	water, err := WaterBodies()
	if err != nil {
		return nil, err
	}
	return []Story{tour, water}, nil
}

// orNil returns s, or nil for an empty s: a story read from its file has
// nil for a list it does not give.
func orNil[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return s
}
