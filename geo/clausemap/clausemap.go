// Package clausemap puts the declaration on the map: it binds the clause
// links of package seeds (themes, layers, places by stable feature ID) to
// the features of a loaded map (geo/atlas), both ways.
//
// A [Map] answers, for the UI and the CLI alike:
//
//   - what a clause (or a tour step) shows: a [Selection] of layers to show,
//     layers highlighted in full, the places it names or implies with their
//     features and badge anchors, and the lon/lat extent to fly to;
//   - which clauses concern a feature the user identified ([Map.ClausesAt]);
//   - where the numbered clause badges (§4, §14) go in a view, once per
//     place and without overlaps ([Map.Badges]);
//   - the highlight of a selection in a view: its features marked as the
//     map draws them there ([Map.Marks]), for the app's one highlight look
//     (render.DrawHighlight: an outline, the rest of the map dimmed), and
//     the overlay of that highlight with the badges ([Map.Overlay]), to
//     compose above the rendered map without rendering it again;
//   - a search index whose clauses are also found by the names of their
//     places, in every language the data has ([Map.Index]).
//
// A Map is immutable after [New] and safe for concurrent use; it keeps the
// sources it needs, so that the app may add layers to the atlas meanwhile.
package clausemap

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/seeds"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Errors of the package.
var (
	// ErrUnresolved is wrapped by the error New and Step return for a
	// link to a layer or feature the map does not have.
	ErrUnresolved = errors.New("clausemap: link not on the map")
	// ErrNoClause is wrapped by the error Clause returns for a number the
	// declaration has no clause for.
	ErrNoClause = errors.New("clausemap: no such clause")
)

// Place is a feature a clause names or implies, found on the map.
type Place struct {
	// Ref is the link: the style layer and the feature's ID.
	Ref seeds.FeatureRef
	// Feature is the feature itself, shared with the map's source: do not
	// modify it.
	Feature *layer.Feature
	// Anchor is the lon/lat point the place's badge is set at: the point
	// itself, a point inside an area, the middle of a line.
	Anchor orb.Point
	// Point is true for a point feature, whose badge goes beside its
	// symbol rather than over it.
	Point bool
	// Clauses are the numbers of the clauses the place is shown for.
	Clauses []int
}

// Selection is what the map shows for a clause, a tour step or every
// clause at once.
type Selection struct {
	// Clauses are the numbers of the clauses shown, in order.
	Clauses []int
	// Layers are the style layers to show (switched on if hidden).
	Layers []string
	// Whole are the layers every feature of which is highlighted.
	Whole []string
	// Places are the features highlighted with a badge, most important
	// first, each once.
	Places []Place
	// Extent is the lon/lat bound to fit the view to: the given view of a
	// tour step, else the places' extent, else that of the whole layers'
	// features; the zero bound for a clause with no geographic focus.
	Extent orb.Bound
	// Caption is the text to show: a clause's verbatim text, or a tour
	// step's caption.
	Caption string
}

// Empty reports whether the selection shows nothing on the map (a clause
// with no geographic focus).
func (s Selection) Empty() bool { return len(s.Places) == 0 && len(s.Whole) == 0 }

// View returns the extent padded for a view: a margin of a tenth on every
// side, and at least minSpan degrees wide and high around its centre, so
// that a single city shows with its surroundings.
func (s Selection) View(minSpan float64) orb.Bound {
	b := s.Extent
	dx, dy := (b.Max[0]-b.Min[0])/10, (b.Max[1]-b.Min[1])/10
	b = orb.Bound{Min: orb.Point{b.Min[0] - dx, b.Min[1] - dy}, Max: orb.Point{b.Max[0] + dx, b.Max[1] + dy}}
	c := b.Center()
	if w := b.Max[0] - b.Min[0]; w < minSpan {
		b.Min[0], b.Max[0] = c[0]-minSpan/2, c[0]+minSpan/2
	}
	if h := b.Max[1] - b.Min[1]; h < minSpan {
		b.Min[1], b.Max[1] = c[1]-minSpan/2, c[1]+minSpan/2
	}
	return b
}

// Map is the declaration bound to a loaded map.
type Map struct {
	atlas  *atlas.Atlas
	decl   seeds.Declaration
	links  seeds.Links
	style  *style.Style // the atlas's style at New
	layers map[string]*style.Layer
	// vectors holds the loaded features of each vector source of the
	// style, by source id, as they were at New.
	vectors map[string]*layer.Vector
	// places holds each clause's resolved places, by clause number.
	places map[int][]Place
}

// New binds the declaration and its links to a loaded map. The atlas
// must have loaded the sources of every layer the links name (see
// [seeds.Links.LayerIDs]). Every link is checked: the layer exists, the
// feature is in its source, and the layer's filter draws it; the first
// failure is returned, wrapping [ErrUnresolved] and naming the clause and
// the link.
func New(a *atlas.Atlas, d seeds.Declaration, links seeds.Links) (*Map, error) {
	m := &Map{atlas: a, decl: d, links: links, style: a.Style, layers: map[string]*style.Layer{}, vectors: map[string]*layer.Vector{}, places: map[int][]Place{}}
	for i := range a.Style.Layers {
		l := &a.Style.Layers[i]
		m.layers[l.ID] = l
		if src := a.Sources[l.Source]; src != nil && src.Vector != nil {
			m.vectors[l.Source] = src.Vector
		}
	}
	for _, c := range links.Clauses {
		for _, id := range c.Layers {
			if _, err := m.vector(id); err != nil {
				return nil, fmt.Errorf("%w: clause %d: %v", ErrUnresolved, c.Number, err)
			}
		}
		for i, ref := range c.Places {
			p, err := m.resolve(ref)
			if err != nil {
				return nil, fmt.Errorf("%w: clause %d: places[%d]: %v", ErrUnresolved, c.Number, i+1, err)
			}
			p.Clauses = []int{c.Number}
			m.places[c.Number] = append(m.places[c.Number], p)
		}
	}
	return m, nil
}

// Atlas returns the map the declaration is bound to.
func (m *Map) Atlas() *atlas.Atlas { return m.atlas }

// Links returns the clause links.
func (m *Map) Links() seeds.Links { return m.links }

// vector returns the loaded features of a style layer's source.
func (m *Map) vector(layerID string) (*layer.Vector, error) {
	l, ok := m.layers[layerID]
	if !ok {
		return nil, fmt.Errorf("the style has no layer %q", layerID)
	}
	v := m.vectors[l.Source]
	if v == nil {
		return nil, fmt.Errorf("layer %q: its source %q is not loaded as vector data", layerID, l.Source)
	}
	return v, nil
}

// resolve finds the feature of a link.
func (m *Map) resolve(ref seeds.FeatureRef) (Place, error) {
	v, err := m.vector(ref.Layer)
	if err != nil {
		return Place{}, err
	}
	f, ok := v.Lookup(ref.ID)
	if !ok {
		return Place{}, fmt.Errorf("%s: layer %q's source has no feature %q", ref, ref.Layer, ref.ID)
	}
	if !m.layers[ref.Layer].Filter.Match(&f.Properties) {
		return Place{}, fmt.Errorf("%s: layer %q's filter leaves the feature out", ref, ref.Layer)
	}
	if f.Geometry == nil {
		return Place{}, fmt.Errorf("%s: the feature has no geometry", ref)
	}
	anchor, point := anchorOf(f.Geometry)
	return Place{Ref: ref, Feature: f, Anchor: anchor, Point: point}, nil
}

// Clause returns what clause n shows. A clause with no geographic focus
// gives an empty selection with its caption.
func (m *Map) Clause(n int) (Selection, error) {
	c, ok := m.decl.Clause(n)
	links, ok2 := m.links.Clause(n)
	if !ok || !ok2 {
		return Selection{}, fmt.Errorf("%w: %d", ErrNoClause, n)
	}
	s := Selection{
		Clauses: []int{n},
		Layers:  slices.Clone(links.Layers),
		Whole:   slices.Clone(links.WholeLayers),
		Places:  slices.Clone(m.places[n]),
		Caption: c.Text,
	}
	s.Extent = m.extent(s)
	return s, nil
}

// All returns every clause's places at once, for the layer of all badges:
// each place once, with the numbers of all the clauses it is a place of.
// It highlights nothing in full and has no caption.
func (m *Map) All() Selection {
	s := Selection{}
	index := map[seeds.FeatureRef]int{}
	for _, c := range m.links.Clauses {
		if len(m.places[c.Number]) > 0 {
			s.Clauses = append(s.Clauses, c.Number)
		}
		for _, p := range m.places[c.Number] {
			key := seeds.FeatureRef{Layer: p.Ref.Layer, ID: p.Ref.ID}
			if i, ok := index[key]; ok {
				s.Places[i].Clauses = append(slices.Clone(s.Places[i].Clauses), c.Number)
				continue
			}
			index[key] = len(s.Places)
			s.Places = append(s.Places, p)
		}
		for _, l := range c.Layers {
			if !slices.Contains(s.Layers, l) {
				s.Layers = append(s.Layers, l)
			}
		}
	}
	s.Extent = m.extent(s)
	return s
}

// Step returns what a tour step shows: its layers in full, its features
// with the step's clause badge, fitted to the step's view.
func (m *Map) Step(st seeds.Step) (Selection, error) {
	s := Selection{Layers: st.Visible(), Whole: slices.Clone(st.Layers), Caption: st.Caption,
		Extent: orb.Bound{Min: orb.Point{st.View[0], st.View[1]}, Max: orb.Point{st.View[2], st.View[3]}}}
	if st.Clause != 0 {
		s.Clauses = []int{st.Clause}
	}
	for _, id := range st.Layers {
		if _, err := m.vector(id); err != nil {
			return Selection{}, fmt.Errorf("%w: tour step: %v", ErrUnresolved, err)
		}
	}
	for i, ref := range st.Features {
		p, err := m.resolve(ref)
		if err != nil {
			return Selection{}, fmt.Errorf("%w: tour step: features[%d]: %v", ErrUnresolved, i+1, err)
		}
		p.Clauses = slices.Clone(s.Clauses)
		s.Places = append(s.Places, p)
	}
	return s, nil
}

// extent returns the bound of a selection's places, or else of the
// features its whole layers draw, clipped to the style's home view (the
// five states) where it reaches beyond: a mountain range or a basin
// that runs on into China does not pull the view away from the region.
func (m *Map) extent(s Selection) orb.Bound {
	b := m.rawExtent(s)
	if home := m.style.Home; home != nil && b.Intersects(home.Bound()) {
		h := home.Bound()
		b = orb.Bound{
			Min: orb.Point{max(b.Min[0], h.Min[0]), max(b.Min[1], h.Min[1])},
			Max: orb.Point{min(b.Max[0], h.Max[0]), min(b.Max[1], h.Max[1])},
		}
	}
	return b
}

// rawExtent returns the bound of a selection's places, or else of the
// features its whole layers draw.
func (m *Map) rawExtent(s Selection) orb.Bound {
	var b orb.Bound
	first := true
	add := func(g orb.Bound) {
		if first {
			b, first = g, false
		} else {
			b = b.Union(g)
		}
	}
	for _, p := range s.Places {
		add(p.Feature.Geometry.Bound())
	}
	if !first {
		return b
	}
	for _, id := range s.Whole {
		v, err := m.vector(id)
		if err != nil {
			continue
		}
		filter := m.layers[id].Filter
		for f := range v.All() {
			if f.Geometry != nil && filter.Match(&f.Properties) {
				add(f.Geometry.Bound())
			}
		}
	}
	return b
}

// ClausesAt returns the numbers of the clauses that concern a feature
// identified on the map: drawn by the style layer layerID (any layer, a
// part of another included), with the ID featureID. A clause concerns the
// feature when one of its places is that feature of the same source, or
// when one of its whole layers has the same source and draws it.
func (m *Map) ClausesAt(layerID, featureID string) []int {
	l, ok := m.layers[layerID]
	if !ok {
		return nil
	}
	v := m.vectors[l.Source]
	if v == nil {
		return nil
	}
	f, ok := v.Lookup(featureID)
	if !ok {
		return nil
	}
	var out []int
	for _, c := range m.links.Clauses {
		hit := slices.ContainsFunc(c.Places, func(r seeds.FeatureRef) bool {
			return r.ID == featureID && m.layers[r.Layer].Source == l.Source
		})
		hit = hit || slices.ContainsFunc(c.WholeLayers, func(id string) bool {
			w := m.layers[id]
			return w.Source == l.Source && w.Filter.Match(&f.Properties)
		})
		if hit {
			out = append(out, c.Number)
		}
	}
	return out
}

// Name returns a place's name in a language (a BCP 47 tag such as "ru"),
// following the style's fallback chain for it to the plain "name".
func (m *Map) Name(p Place, lang string) string {
	for _, tag := range m.style.NameChain(lang) {
		if s := p.Feature.Properties.String("name_" + tag); s != "" {
			return s
		}
	}
	return p.Feature.Properties.String("name")
}

// Index returns a search index of the declaration in which each clause is
// also found by the names of its places, in every language their features
// carry ("name" and each "name_<tag>"), and by the texts extra gives per
// clause (such as its title and themes in the reader's language).
func (m *Map) Index(extra map[int][]string) *seeds.Index {
	texts := map[int][]string{}
	for n, e := range extra {
		texts[n] = slices.Clone(e)
	}
	for n, places := range m.places {
		for _, p := range places {
			for _, key := range p.Feature.Properties.Keys() {
				if key != "name" && !strings.HasPrefix(key, "name_") {
					continue
				}
				if s := p.Feature.Properties.String(key); s != "" && !slices.Contains(texts[n], s) {
					texts[n] = append(texts[n], s)
				}
			}
		}
	}
	return seeds.NewIndex(m.decl, texts)
}

// anchorOf returns where a geometry's badge points and whether the
// geometry is a point: the point; the middle vertex of a line (of its
// longest part); a point inside an area (of its largest part).
func anchorOf(g orb.Geometry) (orb.Point, bool) {
	switch g := g.(type) {
	case orb.Point:
		return g, true
	case orb.MultiPoint:
		if len(g) > 0 {
			return g[0], true
		}
	case orb.LineString:
		if len(g) > 0 {
			return g[len(g)/2], false
		}
	case orb.MultiLineString:
		longest := orb.LineString(nil)
		for _, l := range g {
			if planar.Length(l) > planar.Length(longest) {
				longest = l
			}
		}
		return anchorOf(longest)
	case orb.Polygon:
		return interiorPoint(g), false
	case orb.MultiPolygon:
		var largest orb.Polygon
		for _, p := range g {
			if planar.Area(p) > planar.Area(largest) {
				largest = p
			}
		}
		return interiorPoint(largest), false
	case orb.Collection:
		if len(g) > 0 {
			return anchorOf(g[0])
		}
	}
	return g.Bound().Center(), false
}

// interiorPoint returns a point inside a polygon: its centroid when that
// is inside, else the middle of the widest stretch of the polygon along
// the parallel through the centroid.
func interiorPoint(p orb.Polygon) orb.Point {
	if len(p) == 0 || len(p[0]) == 0 {
		return orb.Point{}
	}
	c, _ := planar.CentroidArea(p)
	if planar.PolygonContains(p, c) {
		return c
	}
	y := c[1]
	var xs []float64
	for _, r := range p {
		for i := 1; i < len(r); i++ {
			a, b := r[i-1], r[i]
			if (a[1] > y) != (b[1] > y) {
				xs = append(xs, a[0]+(y-a[1])*(b[0]-a[0])/(b[1]-a[1]))
			}
		}
	}
	slices.Sort(xs)
	best, widest := p.Bound().Center(), -1.0
	for i := 0; i+1 < len(xs); i += 2 {
		if w := xs[i+1] - xs[i]; w > widest {
			best, widest = orb.Point{(xs[i] + xs[i+1]) / 2, y}, w
		}
	}
	if math.IsNaN(best[0]) {
		return p.Bound().Center()
	}
	return best
}
