package style

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Style is a whole map style: the background, the sources and the layers
// in drawing order (first at the bottom), and the map's views: where it
// opens, where it can go and the places it can fly to.
type Style struct {
	Name       string            `json:"name"`
	Background Color             `json:"background"`
	Sources    map[string]Source `json:"sources"`
	Layers     []Layer           `json:"layers"`
	// Languages maps a language's BCP 47 tag to the tags whose names a
	// label shows, in order of preference (see [Label]); a language not
	// listed shows its own names, then the plain field.
	Languages map[string][]string `json:"languages,omitempty"`
	// Home is the view the map opens on and returns to, as
	// [minlon, minlat, maxlon, maxlat].
	Home *Box `json:"home,omitempty"`
	// Bounds is where the data are: the view may not be panned off it,
	// and a view larger than it is centred on it. Nil means the world.
	Bounds *Box `json:"bounds,omitempty"`
	// MaxZoom is the deepest zoom the data can show.
	MaxZoom float64 `json:"max_zoom,omitempty"`
	// Places are destinations the map can fly to.
	Places []Place `json:"places,omitempty"`
}

// Box is a lon/lat rectangle written as [minlon, minlat, maxlon, maxlat].
type Box [4]float64

// Bound returns the box as an orb bound.
func (b Box) Bound() orb.Bound {
	return orb.Bound{Min: orb.Point{b[0], b[1]}, Max: orb.Point{b[2], b[3]}}
}

// HomeBound returns the lon/lat bound of the home view: Home, or else the
// Web Mercator world.
func (s *Style) HomeBound() orb.Bound {
	if s.Home != nil {
		return s.Home.Bound()
	}
	return world
}

// DataBound returns where the view may go: Bounds, or else the Web
// Mercator world.
func (s *Style) DataBound() orb.Bound {
	if s.Bounds != nil {
		return s.Bounds.Bound()
	}
	return world
}

// world is the lon/lat bound of the Web Mercator world.
var world = orb.Bound{Min: orb.Point{-180, -85.05}, Max: orb.Point{180, 85.05}}

// Place is a named view the map can fly to. Its ID keys its name in the
// app's string catalogue ("place.<id>").
type Place struct {
	ID  string `json:"id"`
	Box Box    `json:"box"`
}

// SourceKind says what a source holds.
type SourceKind string

// Source kinds.
const (
	// SourceVector is a file of features.
	SourceVector SourceKind = "vector"
	// SourceHillshade is a grey shaded-relief image in plate carrée with a
	// world file, multiplied over what is drawn below it.
	SourceHillshade SourceKind = "hillshade"
	// SourceMBTiles and SourcePMTiles are tile packages, raster or vector
	// (see package tilepack).
	SourceMBTiles SourceKind = "mbtiles"
	SourcePMTiles SourceKind = "pmtiles"
)

// Source names where a layer's data comes from.
type Source struct {
	Kind SourceKind `json:"kind"`
	// Path is the file, relative to the style's data folder (the embedded
	// assets for the default style).
	Path string `json:"path"`
	// Attribution is the credit line shown on the map for this source.
	Attribution string `json:"attribution,omitempty"`
}

// Layer is one entry of the layer panel: a source drawn with rules.
type Layer struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Group  string `json:"group,omitempty"`
	Source string `json:"source"`
	// SourceLayer is the layer of a vector tile package the layer draws.
	SourceLayer string `json:"source_layer,omitempty"`
	// Hidden layers start switched off.
	Hidden bool `json:"hidden,omitempty"`
	// PartOf names another layer this one belongs to: it is drawn in its
	// own place in the order, but the layer panel shows the two as one
	// entry, switching and fading them together, with this layer's legend
	// lines under the other's (protected areas drawn as outlines where
	// there are outlines and as points elsewhere, for instance).
	PartOf string `json:"part_of,omitempty"`
	// FadeAbove, for a raster layer, is the magnification (raster pixels
	// per device pixel, across) above which the raster fades out, reaching
	// nothing at twice that: a coarse raster becomes a smear when blown
	// up. Zero never fades.
	FadeAbove float64 `json:"fade_above,omitempty"`
	Opacity   float64 `json:"opacity,omitempty"`
	MinZoom   float64 `json:"minzoom,omitempty"`
	MaxZoom   float64 `json:"maxzoom,omitempty"`
	// Filter selects the source's features this layer draws.
	Filter *Filter `json:"filter,omitempty"`
	// Cluster, if set, groups the layer's points that crowd together at
	// low zoom into one symbol showing their number.
	Cluster *Cluster `json:"cluster,omitempty"`
	Rules   []Rule   `json:"rules"`
	// Note is a caveat the legend prints under the layer's title, such as
	// that positions are approximate.
	Note string `json:"note,omitempty"`
}

// Rule says how matching features look. Fill applies to polygons, Stroke
// to lines and polygon outlines, Symbol to points, Label to all.
type Rule struct {
	// Legend is the rule's line in the legend; empty leaves it out.
	Legend  string  `json:"legend,omitempty"`
	Filter  *Filter `json:"filter,omitempty"`
	MinZoom float64 `json:"minzoom,omitempty"`
	MaxZoom float64 `json:"maxzoom,omitempty"`

	Fill   Color   `json:"fill,omitempty"`
	Stroke *Stroke `json:"stroke,omitempty"`
	Symbol *Symbol `json:"symbol,omitempty"`
	Label  *Label  `json:"label,omitempty"`
}

// Stroke is a line style. Width is in logical pixels.
type Stroke struct {
	Color Color     `json:"color"`
	Width Number    `json:"width"`
	Dash  []float64 `json:"dash,omitempty"`
}

// Shape is a point symbol's outline.
type Shape string

// Point symbol shapes.
const (
	Circle   Shape = "circle"
	Square   Shape = "square"
	Triangle Shape = "triangle"
	Diamond  Shape = "diamond"
	Star     Shape = "star"
	Cross    Shape = "cross"
)

// Symbol is a point marker. Size is its diameter in logical pixels. Ring,
// when set, draws a circle around it, which the default style uses to
// show that a position is approximate.
type Symbol struct {
	Shape       Shape  `json:"shape"`
	Size        Number `json:"size"`
	Fill        Color  `json:"fill"`
	Stroke      Color  `json:"stroke,omitempty"`
	StrokeWidth Number `json:"stroke_width,omitempty"`
	Ring        *Ring  `json:"ring,omitempty"`
}

// Cluster groups points that crowd together. Below MaxZoom the map is cut
// into square cells 2×Radius logical pixels across (the radius may follow
// the zoom), fixed to the world, so that every tile of a frame agrees; two or more of the layer's points in a
// cell are drawn as one Symbol at their mean position, with their number
// written on it, and none of their labels. Symbol sizes may depend on the
// number through the property "point_count".
type Cluster struct {
	Radius  Number  `json:"radius"`
	MaxZoom float64 `json:"maxzoom"`
	Symbol  Symbol  `json:"symbol"`
	// Text is the colour of the number; TextSize its size in logical
	// pixels.
	Text     Color   `json:"text"`
	TextSize float64 `json:"text_size"`
	// Legend is the cluster's line in the legend; empty leaves it out.
	Legend string `json:"legend,omitempty"`
}

// ClusterCount is the property a cluster's symbol reads its number from.
const ClusterCount = "point_count"

// ClusteredAt reports whether the layer groups its points at a zoom.
func (l *Layer) ClusteredAt(zoom float64) bool {
	return l.Cluster != nil && zoom < l.Cluster.MaxZoom
}

// Ring is a circle drawn around a point symbol, under it. With a Radius it
// shows how far from the point the thing may really be: the geodesic
// circle of that radius on the ground, once that is larger than Diameter,
// and a halo of Diameter logical pixels below that zoom.
type Ring struct {
	// Radius is the ring's radius on the ground, in metres.
	Radius   float64   `json:"radius_m,omitempty"`
	Diameter Number    `json:"diameter"`
	Color    Color     `json:"color"`
	Width    float64   `json:"width"`
	Dash     []float64 `json:"dash,omitempty"`
}

// Placement says where a label goes.
type Placement string

// Label placements.
const (
	// PlaceAuto puts point labels beside the symbol, area labels inside the
	// polygon and line labels along the line.
	PlaceAuto Placement = ""
	// PlacePoint forces beside-the-point placement at the feature's label point.
	PlacePoint Placement = "point"
	// PlaceArea centres the label on the polygon's interior point.
	PlaceArea Placement = "area"
	// PlaceLine sets the label along the line.
	PlaceLine Placement = "line"
)

// Label is a text style. Field is the property to show: for a map language
// L, the first non-empty "<Field>_<T>" for T along the style's Languages
// chain of L, and Field itself when none has a value.
type Label struct {
	Field         string    `json:"field"`
	Size          Number    `json:"size"`
	Color         Color     `json:"color"`
	Halo          Color     `json:"halo,omitempty"`
	HaloWidth     float64   `json:"halo_width,omitempty"`
	Bold          bool      `json:"bold,omitempty"`
	Italic        bool      `json:"italic,omitempty"`
	Uppercase     bool      `json:"uppercase,omitempty"`
	LetterSpacing float64   `json:"letter_spacing,omitempty"`
	MaxWidth      float64   `json:"max_width,omitempty"`
	Priority      Number    `json:"priority,omitempty"`
	Placement     Placement `json:"placement,omitempty"`
	// MinZoom hides the label, but not the feature, below a zoom.
	MinZoom float64 `json:"minzoom,omitempty"`
	// MinSize, for an area label, is the size it shrinks to, with half
	// its letter spacing, when it finds no room at its own size.
	MinSize Number `json:"min_size,omitempty"`
}

// Parse reads and checks a style.
func Parse(data []byte) (*Style, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Style
	if err := dec.Decode(&s); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line, col := position(data, se.Offset)
			return nil, fmt.Errorf("style: line %d, column %d: %w", line, col, err)
		}
		return nil, fmt.Errorf("style: %w", err)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

func position(data []byte, offset int64) (line, col int) {
	line, col = 1, 1
	for _, c := range data[:min(int(offset), len(data))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// Validate checks that layers name existing sources, ids are unique and
// values are in range, and fills defaults (opacity 1, zoom range 0..24).
func (s *Style) Validate() error {
	for _, b := range []*Box{s.Home, s.Bounds} {
		if b != nil && !b.valid() {
			return fmt.Errorf("style: box %v: want minlon < maxlon within ±180 and minlat < maxlat within ±85", *b)
		}
	}
	for _, p := range s.Places {
		if p.ID == "" || !p.Box.valid() {
			return fmt.Errorf("style: place %q: want an id and a valid box, not %v", p.ID, p.Box)
		}
	}
	if s.MaxZoom < 0 || math.IsNaN(s.MaxZoom) {
		return fmt.Errorf("style: max_zoom %v is negative", s.MaxZoom)
	}
	seen := map[string]bool{}
	for id, src := range s.Sources {
		if src.Path == "" {
			return fmt.Errorf("style: source %q has no path", id)
		}
		switch src.Kind {
		case SourceVector, SourceHillshade, SourceMBTiles, SourcePMTiles:
		default:
			return fmt.Errorf("style: source %q: kind %q is not %q, %q, %q or %q", id, src.Kind, SourceVector, SourceHillshade, SourceMBTiles, SourcePMTiles)
		}
	}
	for i := range s.Layers {
		l := &s.Layers[i]
		if l.ID == "" {
			return fmt.Errorf("style: layer %d has no id", i)
		}
		if seen[l.ID] {
			return fmt.Errorf("style: layer id %q is used twice", l.ID)
		}
		seen[l.ID] = true
		if _, ok := s.Sources[l.Source]; !ok {
			return fmt.Errorf("style: layer %q: source %q is not defined", l.ID, l.Source)
		}
		if l.Opacity == 0 {
			l.Opacity = 1
		}
		if l.Opacity < 0 || l.Opacity > 1 || math.IsNaN(l.Opacity) {
			return fmt.Errorf("style: layer %q: opacity %v is outside 0..1", l.ID, l.Opacity)
		}
		if l.MaxZoom == 0 {
			l.MaxZoom = 24
		}
		if l.FadeAbove < 0 || math.IsNaN(l.FadeAbove) {
			return fmt.Errorf("style: layer %q: fade_above %v is negative", l.ID, l.FadeAbove)
		}
		if err := l.Filter.validate(); err != nil {
			return fmt.Errorf("style: layer %q: %w", l.ID, err)
		}
		if c := l.Cluster; c != nil {
			if c.Radius.IsZero() || c.MaxZoom <= 0 || !(c.TextSize > 0) {
				return fmt.Errorf("style: layer %q: a cluster needs a positive radius, maxzoom and text_size", l.ID)
			}
			if c.Symbol.Shape == "" {
				c.Symbol.Shape = Circle
			}
		}
		for j := range l.Rules {
			r := &l.Rules[j]
			if r.MaxZoom == 0 {
				r.MaxZoom = 24
			}
			if err := r.Filter.validate(); err != nil {
				return fmt.Errorf("style: layer %q rule %d: %w", l.ID, j, err)
			}
			if r.Symbol != nil && r.Symbol.Shape == "" {
				r.Symbol.Shape = Circle
			}
			if r.Symbol != nil && r.Symbol.Ring != nil && (r.Symbol.Ring.Radius < 0 || math.IsNaN(r.Symbol.Ring.Radius)) {
				return fmt.Errorf("style: layer %q rule %d: ring radius_m %v is negative", l.ID, j, r.Symbol.Ring.Radius)
			}
		}
	}
	return s.checkPartOf()
}

// checkPartOf checks that every part_of names a layer that is part of
// no other.
func (s *Style) checkPartOf() error {
	for _, l := range s.Layers {
		if l.PartOf == "" {
			continue
		}
		whole, ok := s.Layer(l.PartOf)
		if !ok || whole.PartOf != "" {
			return fmt.Errorf("style: layer %q: part_of %q names no layer that stands on its own", l.ID, l.PartOf)
		}
	}
	return nil
}

// valid reports whether the box is a proper lon/lat rectangle.
func (b Box) valid() bool {
	for _, v := range b {
		if math.IsNaN(v) {
			return false
		}
	}
	return b[0] < b[2] && b[1] < b[3] && b[0] >= -180 && b[2] <= 180 && b[1] >= -85.06 && b[3] <= 85.06
}

// NameChain returns the language tags whose names a label shows for a map
// language, in order: the style's chain for it, or the language alone.
func (s *Style) NameChain(lang string) []string {
	if chain, ok := s.Languages[lang]; ok {
		return chain
	}
	return []string{lang}
}

// Parts returns the layers that are part of the layer with an id, in
// drawing order.
func (s *Style) Parts(id string) []*Layer {
	var parts []*Layer
	for i := range s.Layers {
		if s.Layers[i].PartOf == id {
			parts = append(parts, &s.Layers[i])
		}
	}
	return parts
}

// Layer returns the layer with an id.
func (s *Style) Layer(id string) (*Layer, bool) {
	for i := range s.Layers {
		if s.Layers[i].ID == id {
			return &s.Layers[i], true
		}
	}
	return nil, false
}

// Clone returns a deep enough copy for the UI to change layer visibility,
// order and opacity without touching the original.
func (s *Style) Clone() *Style {
	c := *s
	c.Layers = append([]Layer(nil), s.Layers...)
	return &c
}

// VisibleAt reports whether the layer draws at a zoom.
func (l *Layer) VisibleAt(zoom float64) bool {
	return !l.Hidden && zoom >= l.MinZoom && zoom < l.MaxZoom
}

// RuleFor returns the first rule that matches a feature at a zoom, or nil.
func (l *Layer) RuleFor(zoom float64, attrs Attributes) *Rule {
	if !l.Filter.Match(attrs) {
		return nil
	}
	for i := range l.Rules {
		r := &l.Rules[i]
		if zoom >= r.MinZoom && zoom < r.MaxZoom && r.Filter.Match(attrs) {
			return r
		}
	}
	return nil
}
