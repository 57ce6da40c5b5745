package query

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sync"

	"github.com/ecoatlas/ecoatlas/assets"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/overlay"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/paulmach/orb"
)

// Errors of the package; each error returned wraps one of them.
var (
	// ErrDictionary means a data dictionary is malformed or incomplete.
	ErrDictionary = errors.New("query: bad data dictionary")
	// ErrUnknownLayer means a layer id names no layer of the style, or a
	// layer without features.
	ErrUnknownLayer = errors.New("query: no such layer")
	// ErrNotFound means no feature has the id or name asked for.
	ErrNotFound = errors.New("query: not found")
)

// Engine answers questions about the features of a loaded atlas. It is
// built once per atlas (New indexes every name), is safe for concurrent
// use, and is shared by the desktop app and the CLI.
//
// Methods that depend on what the map shows take the style as shown (the
// app's copy, with its layers switched on or off and the filter applied
// through Filter.Apply); a nil style means the atlas's own.
type Engine struct {
	atlas *atlas.Atlas
	dict  *Dictionary
	index nameIndex

	mu sync.Mutex
	// prepared are the context features (basins, countries) indexed for
	// point-in-polygon tests, by layer and id.
	prepared map[Ref]*overlay.Prepared
	// byValue maps, for each KeyRef of the dictionary, a field's values to
	// the features holding them.
	byValue map[KeyRef]map[string]*layer.Feature
}

// Ref names a feature by the style layer that draws it and its ID: what a
// selection or a search result keeps, stable across reloads.
type Ref struct {
	Layer string `json:"layer"`
	ID    string `json:"id"`
}

// New returns an engine over the atlas's sources and style, with the data
// dictionary d. It checks that the layers the dictionary names exist. A
// layer added to the atlas later (atlas.AddVector) is searched once a new
// engine is built.
func New(a *atlas.Atlas, d *Dictionary) (*Engine, error) {
	e := &Engine{atlas: a, dict: d, prepared: map[Ref]*overlay.Prepared{}, byValue: map[KeyRef]map[string]*layer.Feature{}}
	for _, c := range d.Context {
		if _, err := e.vectorLayer(nil, c.Layer); err != nil {
			return nil, fmt.Errorf("%w: context %q: %w", ErrDictionary, c.Term, err)
		}
	}
	for name, c := range d.Comparisons {
		if _, err := e.vectorLayer(nil, c.Layer); err != nil {
			return nil, fmt.Errorf("%w: comparison %q: %w", ErrDictionary, name, err)
		}
	}
	for name, f := range d.Fields {
		if f.Ref == nil {
			continue
		}
		if _, err := e.vectorLayer(nil, f.Ref.Layer); err != nil {
			return nil, fmt.Errorf("%w: field %q refers to %w", ErrDictionary, name, err)
		}
	}
	for id := range d.Layers {
		if _, ok := a.Style.Layer(id); !ok {
			return nil, fmt.Errorf("%w: layers: %q is not a layer of the style", ErrDictionary, id)
		}
	}
	e.index = buildIndex(e)
	return e, nil
}

// Default loads the embedded map and its dictionary and returns their
// engine.
func Default(ctx context.Context) (*Engine, error) {
	d, err := ParseDictionary(assets.Dictionary)
	if err != nil {
		return nil, err
	}
	a, err := atlas.LoadDefault(ctx)
	if err != nil {
		return nil, err
	}
	return New(a, d)
}

// Atlas returns the atlas the engine answers about.
func (e *Engine) Atlas() *atlas.Atlas { return e.atlas }

// Dictionary returns the engine's data dictionary.
func (e *Engine) Dictionary() *Dictionary { return e.dict }

// Lookup returns the feature a Ref names.
func (e *Engine) Lookup(ref Ref) (*layer.Feature, bool) {
	l, err := e.vectorLayer(nil, ref.Layer)
	if err != nil {
		return nil, false
	}
	return l.Features.Lookup(ref.ID)
}

// styleOr returns st, or the atlas's style if st is nil.
func (e *Engine) styleOr(st *style.Style) *style.Style {
	if st == nil {
		return e.atlas.Style
	}
	return st
}

// vectorLayer returns a layer of st (or of the atlas's style) bound to its
// features.
func (e *Engine) vectorLayer(st *style.Style, id string) (render.Layer, error) {
	l, ok := e.styleOr(st).Layer(id)
	if !ok {
		return render.Layer{}, fmt.Errorf("%w: %q", ErrUnknownLayer, id)
	}
	src := e.atlas.Sources[l.Source]
	if src == nil || src.Vector == nil {
		return render.Layer{}, fmt.Errorf("%w: %q has no features", ErrUnknownLayer, id)
	}
	return render.Layer{Style: l, Features: src.Vector}, nil
}

// features yields the features of a layer whose extent meets b and that
// the layer shows at some zoom, in source order.
func features(ctx context.Context, l render.Layer, b orb.Bound) iter.Seq2[*layer.Feature, error] {
	return func(yield func(*layer.Feature, error) bool) {
		for f, err := range l.Features.Search(ctx, b) {
			if err != nil {
				yield(nil, err)
				return
			}
			if shows(l.Style, f) != nil && !yield(f, nil) {
				return
			}
		}
	}
}

// everywhere is the bound of the whole world.
var everywhere = orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}

// shows returns the rule with which a layer shows a feature (its geometry
// or its label) at the deepest zoom it shows it at, or nil if it never
// does.
func shows(l *style.Layer, f *layer.Feature) *style.Rule {
	if f.Geometry == nil {
		return nil
	}
	var found *style.Rule
	kind := layer.KindOf(f.Geometry)
	for _, z := range zooms(l) {
		if r := l.RuleFor(z, &f.Properties); r != nil && (drawsGeometry(r, kind) || r.Label != nil) {
			found = r
		}
	}
	return found
}

// zooms returns the zooms at which a layer's choice of rule can change:
// where the layer and each of its rules start showing, within the layer's
// range, in increasing order.
func zooms(l *style.Layer) []float64 {
	out := []float64{l.MinZoom}
	for _, r := range l.Rules {
		if z := max(r.MinZoom, l.MinZoom); z < l.MaxZoom && z < r.MaxZoom {
			out = append(out, z)
		}
		if z := r.MaxZoom; z > l.MinZoom && z < l.MaxZoom {
			out = append(out, z)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// drawsGeometry reports whether a rule draws something of a geometry of a
// kind: a symbol on points, a stroke on lines, a fill or a stroke on
// polygons.
func drawsGeometry(r *style.Rule, kind layer.GeometryKind) bool {
	switch kind {
	case layer.KindPoint:
		return r.Symbol != nil
	case layer.KindLine:
		return r.Stroke != nil
	case layer.KindPolygon:
		return !r.Fill.IsZero() || r.Stroke != nil
	}
	return false
}
