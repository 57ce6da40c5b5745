package query

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/style"
)

// Filter is what a filter panel has chosen: for some properties of some
// layers, the values to show (several values of one property are
// alternatives; choices on several properties must all hold). A choice
// on a layer also holds for the layers that are part of it (style
// part_of). The zero Filter hides nothing. A Filter is a value: With
// returns a changed copy, and it reads and writes as JSON, for the
// workspace.
type Filter struct {
	Choices []Choice `json:"choices,omitempty"`
}

// Choice is the values chosen for one property of one layer. Values are
// as the data hold them: strings, float64 numbers, booleans.
type Choice struct {
	Layer  string `json:"layer"`
	Field  string `json:"field"`
	Values []any  `json:"values"`
}

// With returns the filter with the values chosen for a property of a
// layer, replacing an earlier choice for it; no values drop the choice.
func (f Filter) With(layerID, field string, values ...any) Filter {
	out := Filter{Choices: slices.DeleteFunc(slices.Clone(f.Choices), func(c Choice) bool {
		return c.Layer == layerID && c.Field == field
	})}
	if len(values) > 0 {
		out.Choices = append(out.Choices, Choice{Layer: layerID, Field: field, Values: slices.Clone(values)})
	}
	return out
}

// Values returns the values chosen for a property of a layer, nil if none.
func (f Filter) Values(layerID, field string) []any {
	for _, c := range f.Choices {
		if c.Layer == layerID && c.Field == field {
			return c.Values
		}
	}
	return nil
}

// IsZero reports whether the filter hides nothing.
func (f Filter) IsZero() bool { return len(f.Choices) == 0 }

// Apply returns a copy of st whose layers draw only what the filter lets
// through: each filtered layer's own filter and the choices made for it,
// together. The map drawn from it, the legend counted on it, hits, search
// and spatial answers then all agree.
func (e *Engine) Apply(st *style.Style, f Filter) *style.Style {
	out := e.styleOr(st).Clone()
	if f.IsZero() {
		return out
	}
	for i := range out.Layers {
		l := &out.Layers[i]
		choices := f.filters(e, l)
		if len(choices) == 0 {
			continue
		}
		if l.Filter != nil {
			choices = append([]style.Filter{*l.Filter}, choices...)
		}
		l.Filter = &style.Filter{All: choices}
	}
	return out
}

// filters returns the style filters of the choices that hold for a layer.
func (f Filter) filters(e *Engine, l *style.Layer) []style.Filter {
	var out []style.Filter
	for _, c := range f.Choices {
		if c.Layer != l.ID && (l.PartOf == "" || c.Layer != l.PartOf) {
			continue
		}
		sf := style.Filter{Field: c.Field, In: c.Values}
		if fd := e.dict.Fields[c.Field]; fd != nil {
			sf.Split = fd.Split
		}
		out = append(out, sf)
	}
	return out
}

// allows reports whether the filter lets a feature of a layer through.
func (f Filter) allows(e *Engine, layerID string, feat *layer.Feature) bool {
	if f.IsZero() {
		return true
	}
	l, ok := e.atlas.Style.Layer(layerID)
	if !ok {
		return true
	}
	for _, sf := range f.filters(e, l) {
		if !sf.Match(&feat.Properties) {
			return false
		}
	}
	return true
}

// Facet is a property a layer's features can be chosen or counted by,
// with its values.
type Facet struct {
	Field  string       `json:"field"`
	Label  string       `json:"label"`
	Values []FacetValue `json:"values"`
}

// FacetValue is one value of a facet: as the data hold it, in words, and
// how many features have it.
type FacetValue struct {
	Value any    `json:"value"`
	Text  string `json:"text"`
	Count int    `json:"count"`
}

// Facets returns what the filter panel offers for a layer (the
// dictionary's facets of it), each value with the number of the layer's
// features that have it, most common first, in a language. The features
// counted are those the atlas's style shows in the layer and in the
// layers that are part of it, before any filter.
func (e *Engine) Facets(layerID, lang string) ([]Facet, error) {
	var all []*layer.Feature
	for _, id := range e.panelLayers(layerID) {
		l, err := e.vectorLayer(nil, id)
		if err != nil {
			return nil, err
		}
		for f, err := range features(context.Background(), l, everywhere) {
			if err != nil {
				return nil, fmt.Errorf("query: layer %q: %w", id, err)
			}
			all = append(all, f)
		}
	}
	return e.count(layerID, all, lang), nil
}

// panelLayers returns a layer and the layers that are part of it.
func (e *Engine) panelLayers(layerID string) []string {
	out := []string{layerID}
	for _, p := range e.atlas.Style.Parts(layerID) {
		out = append(out, p.ID)
	}
	return out
}

// count counts features by the dictionary's facets of a layer (or of the
// layer it is part of).
func (e *Engine) count(layerID string, features []*layer.Feature, lang string) []Facet {
	info, ok := e.dict.Layers[layerID]
	if !ok {
		if l, found := e.atlas.Style.Layer(layerID); found && l.PartOf != "" {
			info = e.dict.Layers[l.PartOf]
		}
	}
	chain := e.atlas.Style.NameChain(e.lang(lang))
	out := make([]Facet, 0, len(info.Facets))
	for _, field := range info.Facets {
		fc := Facet{Field: field, Label: e.label(field, lang, chain)}
		at := map[string]int{}
		for _, f := range features {
			v, ok := f.Properties.Get(field)
			if !ok {
				continue
			}
			for _, item := range e.items(field, v) {
				key := layer.FormatValue(item)
				i, seen := at[key]
				if !seen {
					i = len(fc.Values)
					at[key] = i
					fc.Values = append(fc.Values, FacetValue{Value: item, Text: e.valueWords(field, item, lang, chain)})
				}
				fc.Values[i].Count++
			}
		}
		slices.SortStableFunc(fc.Values, func(a, b FacetValue) int {
			if c := cmp.Compare(b.Count, a.Count); c != 0 {
				return c
			}
			return cmp.Compare(a.Text, b.Text)
		})
		out = append(out, fc)
	}
	return out
}
