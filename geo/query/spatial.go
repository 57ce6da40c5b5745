package query

import (
	"context"
	"fmt"
	"math"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/overlay"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/paulmach/orb"
)

// Answer is the answer to a spatial question: the features of a layer
// that satisfy it, and their counts by the layer's facets.
type Answer struct {
	Layer   string   `json:"layer"`
	Members []Member `json:"members"`
	// Counts count the members by the dictionary's facets of the layer,
	// the first being the main one ("type").
	Counts []Facet `json:"counts"`
}

// Member is a feature that answers a spatial question.
type Member struct {
	Ref  Ref    `json:"ref"`
	Name string `json:"name"`
	// Partly marks a line or polygon only partly inside the region.
	Partly bool `json:"partly,omitempty"`
	// Nearest is, for a point member of a "near" answer, the nearest
	// feature of the other layer.
	Nearest *Nearest       `json:"nearest,omitempty"`
	Feature *layer.Feature `json:"-"`
}

// Nearest is the feature of another layer nearest to a member, and how
// far it is.
type Nearest struct {
	Ref  Ref    `json:"ref"`
	Name string `json:"name"`
	// Distance is the geodesic distance in metres on WGS 84.
	Distance float64 `json:"distance_m"`
}

// Within answers "which features of a layer lie in a region?": the
// features the layer shows at some zoom (of st, so honouring a filter
// applied to it) that lie in the region's interior (points) or meet it
// (lines and polygons, Partly when they are not wholly inside), in source
// order, with names in a language. The region is a lon/lat polygon, such
// as a basin's geometry. The containment tests run through GEOS (geo/
// overlay): the region is prepared once, then each point is tested.
func (e *Engine) Within(ctx context.Context, st *style.Style, layerID string, region orb.Geometry, lang string) (*Answer, error) {
	l, err := e.vectorLayer(st, layerID)
	if err != nil {
		return nil, err
	}
	prepared, err := overlay.Prepare(region)
	if err != nil {
		return nil, fmt.Errorf("query: the region: %w", err)
	}
	chain := e.atlas.Style.NameChain(e.lang(lang))
	a := &Answer{Layer: layerID}
	for f, err := range features(ctx, l, region.Bound()) {
		if err != nil {
			return nil, err
		}
		m := Member{Ref: Ref{Layer: layerID, ID: f.ID}, Name: e.nameIn(f, chain), Feature: f}
		in, partly, err := within(prepared, region, f.Geometry)
		if err != nil {
			return nil, fmt.Errorf("query: feature %q of layer %q: %w", f.ID, layerID, err)
		}
		if in {
			m.Partly = partly
			a.Members = append(a.Members, m)
		}
	}
	a.Counts = e.count(layerID, a.features(), lang)
	return a, nil
}

// WithinFeature is Within with the region a feature's geometry: the sites
// in a basin.
func (e *Engine) WithinFeature(ctx context.Context, st *style.Style, layerID string, region Ref, lang string) (*Answer, error) {
	f, ok := e.Lookup(region)
	if !ok {
		return nil, fmt.Errorf("%w: layer %q has no feature %q", ErrNotFound, region.Layer, region.ID)
	}
	return e.Within(ctx, st, layerID, f.Geometry, lang)
}

// within reports whether a geometry lies in a prepared region: a point
// (or every point of a multipoint) in its interior; a line or polygon
// meeting it, partly if not wholly contained.
func within(p *overlay.Prepared, region, g orb.Geometry) (in, partly bool, err error) {
	switch g := g.(type) {
	case orb.Point:
		in, err := p.ContainsPoint(g)
		return in, false, err
	case orb.MultiPoint:
		count := 0
		for _, q := range g {
			in, err := p.ContainsPoint(q)
			if err != nil {
				return false, false, err
			}
			if in {
				count++
			}
		}
		return count > 0, count > 0 && count < len(g), nil
	}
	meets, err := overlay.Intersects(region, g)
	if err != nil || !meets {
		return false, false, err
	}
	whole, err := overlay.Contains(region, g)
	return true, !whole, err
}

// Near answers "which features of a layer lie within a distance of the
// features of another?" (sites within 10 km of a river): the features
// the layer shows at some zoom (of st, so honouring a filter) that come
// within metres, in true metres on the WGS 84 ellipsoid, of a feature the
// other layer shows. The other layer's features near the first layer's
// are buffered by the distance once (geo/overlay, GEOS), the buffer
// prepared, and each point tested; each point member is given the
// nearest of them, and its geodesic distance.
func (e *Engine) Near(ctx context.Context, st *style.Style, layerID, nearLayerID string, metres float64, lang string) (*Answer, error) {
	if !(metres >= 0) || math.IsInf(metres, 0) {
		return nil, fmt.Errorf("query: the distance %v m is not a distance", metres)
	}
	l, err := e.vectorLayer(st, layerID)
	if err != nil {
		return nil, err
	}
	nl, err := e.vectorLayer(st, nearLayerID)
	if err != nil {
		return nil, err
	}
	var candidates []*layer.Feature
	for f, err := range features(ctx, l, everywhere) {
		if err != nil {
			return nil, err
		}
		candidates = append(candidates, f)
	}
	a := &Answer{Layer: layerID}
	if len(candidates) == 0 {
		return a, nil
	}
	// Only the other layer's features that can be within reach of a
	// candidate are buffered.
	reach := grow(boundOf(candidates), metres)
	var near []*layer.Feature
	var parts orb.Collection
	for f, err := range features(ctx, nl, reach) {
		if err != nil {
			return nil, err
		}
		near = append(near, f)
		parts = append(parts, f.Geometry)
	}
	if len(near) == 0 {
		a.Counts = e.count(layerID, nil, lang)
		return a, nil
	}
	zone, err := overlay.Buffer(parts, metres)
	if err != nil {
		return nil, fmt.Errorf("query: buffering layer %q by %v m: %w", nearLayerID, metres, err)
	}
	prepared, err := overlay.Prepare(zone)
	if err != nil {
		return nil, fmt.Errorf("query: the buffer of layer %q: %w", nearLayerID, err)
	}
	chain := e.atlas.Style.NameChain(e.lang(lang))
	for _, f := range candidates {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		in, _, err := within(prepared, zone, f.Geometry)
		if err != nil {
			return nil, fmt.Errorf("query: feature %q of layer %q: %w", f.ID, layerID, err)
		}
		if !in {
			continue
		}
		m := Member{Ref: Ref{Layer: layerID, ID: f.ID}, Name: e.nameIn(f, chain), Feature: f}
		if p, ok := f.Geometry.(orb.Point); ok {
			d, at, err := nearest(p, near, metres)
			if err != nil {
				return nil, fmt.Errorf("query: feature %q of layer %q: %w", f.ID, layerID, err)
			}
			if at != nil {
				m.Nearest = &Nearest{Ref: Ref{Layer: nearLayerID, ID: at.ID}, Name: e.nameIn(at, chain), Distance: d}
			}
		}
		a.Members = append(a.Members, m)
	}
	a.Counts = e.count(layerID, a.features(), lang)
	return a, nil
}

// nearest returns the nearest of features whose extents come within
// reach metres of a point, and its geodesic distance; nil if none does.
func nearest(p orb.Point, features []*layer.Feature, reach float64) (float64, *layer.Feature, error) {
	best, at := math.Inf(1), (*layer.Feature)(nil)
	around := grow(orb.Bound{Min: p, Max: p}, reach)
	for _, f := range features {
		if !f.Geometry.Bound().Intersects(around) {
			continue
		}
		d, err := overlay.Distance(p, f.Geometry)
		if err != nil {
			return 0, nil, err
		}
		if d < best {
			best, at = d, f
		}
	}
	return best, at, nil
}

// boundOf returns the extent of features.
func boundOf(features []*layer.Feature) orb.Bound {
	b := features[0].Geometry.Bound()
	for _, f := range features[1:] {
		b = b.Union(f.Geometry.Bound())
	}
	return b
}

// grow returns a lon/lat bound widened on every side by at least metres
// on the ground, capped at the poles.
func grow(b orb.Bound, metres float64) orb.Bound {
	// A degree of latitude is at least 110.57 km; a degree of longitude
	// at the bound's most poleward latitude (plus the widening) is the
	// shortest there.
	dLat := metres / 110_000
	lat := max(math.Abs(b.Min[1]), math.Abs(b.Max[1])) + dLat
	dLon := 360.0
	if lat < 89 {
		dLon = metres / (110_000 * math.Cos(lat*math.Pi/180))
	}
	return orb.Bound{
		Min: orb.Point{b.Min[0] - dLon, max(b.Min[1]-dLat, -90)},
		Max: orb.Point{b.Max[0] + dLon, min(b.Max[1]+dLat, 90)},
	}
}

// features returns the members' features.
func (a *Answer) features() []*layer.Feature {
	out := make([]*layer.Feature, len(a.Members))
	for i, m := range a.Members {
		out[i] = m.Feature
	}
	return out
}
