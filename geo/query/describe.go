package query

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/coord"
	"github.com/ecoatlas/ecoatlas/geo/geodesic"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/overlay"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/paulmach/orb"
)

// Description is everything an identify panel shows of a feature, ready
// to display in one language: no value needs formatting, no code needs
// looking up.
type Description struct {
	Ref Ref `json:"ref"`
	// Layer is the title of the layer's entry in the layer panel.
	Layer string `json:"layer"`
	// Name is the feature's name in the language, as its label shows it.
	Name string `json:"name"`
	// Names are all its names, by property ("name", "name_ru", …).
	Names []NameVariant `json:"names"`
	// Kind is "point", "line" or "polygon".
	Kind string `json:"kind"`
	// At is the point, or the centroid of a line or polygon; Bound the
	// extent, for "zoom to".
	At    orb.Point `json:"at"`
	Bound style.Box `json:"bound"`
	// Approximate is set when a value says the position or outline is
	// only approximate; the rows saying so are marked too.
	Approximate bool `json:"approximate"`
	// Facts are what the engine works out: the coordinates of a point,
	// the geodesic area of a polygon or length of a line (WGS 84), and
	// the basin and country it lies in (unless a property already names
	// the very same features).
	Facts []Row `json:"facts"`
	// Attributes are the feature's properties in readable form, in the
	// order of the source's schema, without its names and the properties
	// the dictionary hides.
	Attributes []Row `json:"attributes"`
}

// NameVariant is one of a feature's names and the property holding it.
type NameVariant struct {
	Field string `json:"field"`
	Text  string `json:"text"`
}

// Row is one line of a description.
type Row struct {
	// Key is the property's name, or for a fact its term: "coordinates",
	// "area", "length", or a context term ("basin", "country").
	Key string `json:"key"`
	// Label and Value are the words to show.
	Label string `json:"label"`
	Value string `json:"value"`
	// Raw is the value as data: the property's value, the area in m² or
	// the length in m, the coordinates as [lon, lat].
	Raw any `json:"raw,omitempty"`
	// URLs are the web addresses the value holds or links to.
	URLs []string `json:"urls,omitempty"`
	// Approximate marks a value that says the feature is only
	// approximately placed or outlined.
	Approximate bool `json:"approximate,omitempty"`
	// Refs are the features the value names (its countries, its basin).
	Refs []Ref `json:"refs,omitempty"`
}

// Describe describes a feature of a layer in a language (a BCP 47 tag;
// texts the dictionary lacks in it come in the first language of the
// style's chain for it that it has, else in the dictionary's first).
// Working out the basin and country may call GEOS; ctx cancels between
// those calls.
func (e *Engine) Describe(ctx context.Context, ref Ref, lang string) (*Description, error) {
	l, err := e.vectorLayer(nil, ref.Layer)
	if err != nil {
		return nil, err
	}
	f, ok := l.Features.Lookup(ref.ID)
	if !ok {
		return nil, fmt.Errorf("%w: layer %q has no feature %q", ErrNotFound, ref.Layer, ref.ID)
	}
	lang = e.lang(lang)
	chain := e.atlas.Style.NameChain(lang)
	d := &Description{
		Ref: ref, Layer: e.layerTitle(ref.Layer), Name: e.nameIn(f, chain),
		Kind: layer.KindOf(f.Geometry).String(), At: anchor(f.Geometry),
	}
	if f.Geometry != nil {
		d.Bound = box(f.Geometry.Bound())
	}
	for _, field := range fieldOrder(l.Features, f) {
		v, _ := f.Properties.Get(field)
		if field == e.dict.Names || strings.HasPrefix(field, e.dict.Names+"_") {
			if s, ok := v.(string); ok && s != "" {
				d.Names = append(d.Names, NameVariant{Field: field, Text: s})
			}
			continue
		}
		if fd := e.dict.Fields[field]; fd != nil && fd.Hidden {
			continue
		}
		row := e.row(field, v, lang, chain)
		d.Approximate = d.Approximate || row.Approximate
		d.Attributes = append(d.Attributes, row)
	}
	if p, ok := f.Geometry.(orb.Point); ok {
		d.Facts = append(d.Facts, e.coordinates(p, lang, chain, d.Approximate))
	}
	switch layer.KindOf(f.Geometry) {
	case layer.KindPolygon:
		area := geodesic.Area(f.Geometry)
		d.Facts = append(d.Facts, Row{Key: "area", Label: e.term("area", lang, chain), Value: e.area(area, lang, chain), Raw: area})
	case layer.KindLine:
		length := geodesic.Length(f.Geometry)
		d.Facts = append(d.Facts, Row{Key: "length", Label: e.term("length", lang, chain), Value: e.length(length, lang, chain), Raw: length})
	}
	if f.Geometry == nil {
		return d, nil
	}
	places, err := e.places(ctx, l.Style.Source, f, lang, chain)
	if err != nil {
		return nil, err
	}
	for _, p := range places {
		// A site's country property already names the country it lies in.
		if !slices.ContainsFunc(d.Attributes, func(r Row) bool { return len(r.Refs) > 0 && slices.Equal(r.Refs, p.Refs) }) {
			d.Facts = append(d.Facts, p)
		}
	}
	return d, nil
}

// fieldOrder returns the properties of a feature in the order of its
// source's schema.
func fieldOrder(src layer.FeatureSource, f *layer.Feature) []string {
	keys := f.Properties.Keys()
	out := make([]string, 0, len(keys))
	for _, field := range src.Schema() {
		if _, ok := slices.BinarySearch(keys, field.Name); ok {
			out = append(out, field.Name)
		}
	}
	return out
}

// layerTitle returns the title of a layer's entry in the layer panel: its
// own, or that of the layer it is part of.
func (e *Engine) layerTitle(id string) string {
	l, ok := e.atlas.Style.Layer(id)
	if !ok {
		return id
	}
	if l.PartOf != "" {
		if whole, ok := e.atlas.Style.Layer(l.PartOf); ok {
			l = whole
		}
	}
	if l.Title == "" {
		return l.ID
	}
	return l.Title
}

// term returns a term of the dictionary in a language.
func (e *Engine) term(key, lang string, chain []string) string {
	return e.dict.text(e.dict.Terms[key], lang, chain)
}

// label returns a property's name in words.
func (e *Engine) label(field, lang string, chain []string) string {
	if fd := e.dict.Fields[field]; fd != nil && len(fd.Label) > 0 {
		return e.dict.text(fd.Label, lang, chain)
	}
	return field
}

// row describes one property.
func (e *Engine) row(field string, v any, lang string, chain []string) Row {
	r := Row{Key: field, Label: e.label(field, lang, chain), Raw: v}
	fd := e.dict.Fields[field]
	if v == nil {
		r.Value = e.term("unknown", lang, chain)
		return r
	}
	if fd != nil && fd.Ref != nil {
		var names []string
		for _, item := range e.items(field, v) {
			if f, ok := e.byRef(*fd.Ref, item); ok {
				names = append(names, e.nameIn(f, chain))
				r.Refs = append(r.Refs, Ref{Layer: fd.Ref.Layer, ID: f.ID})
			} else {
				names = append(names, layer.FormatValue(item))
			}
		}
		r.Value = strings.Join(names, ", ")
		return r
	}
	if fd != nil {
		if val := fd.Values[layer.FormatValue(v)]; val != nil {
			r.Value, r.Approximate = e.dict.text(val.Text, lang, chain), val.Approximate
			return r
		}
	}
	r.Value = e.valueWords(field, v, lang, chain)
	if s, ok := v.(string); ok {
		r.URLs = urls(s)
	}
	if fd != nil && fd.Link != "" {
		r.URLs = append(r.URLs, fill(fd.Link, "value", layer.FormatValue(v)))
	}
	return r
}

// valueWords writes one value of a property in words: its meaning from
// the dictionary, a number in the language's way with its unit, yes or
// no, the names a reference stands for, or the text as it is.
func (e *Engine) valueWords(field string, v any, lang string, chain []string) string {
	fd := e.dict.Fields[field]
	if fd != nil {
		if val := fd.Values[layer.FormatValue(v)]; val != nil {
			return e.dict.text(val.Text, lang, chain)
		}
		if fd.Ref != nil {
			if f, ok := e.byRef(*fd.Ref, v); ok {
				return e.nameIn(f, chain)
			}
		}
	}
	numLang := e.dict.language(lang, chain)
	var text string
	switch v := v.(type) {
	case nil:
		return e.term("unknown", lang, chain)
	case float64:
		text = e.dict.number(v, -1, numLang)
	case bool:
		if v {
			return e.term("yes", lang, chain)
		}
		return e.term("no", lang, chain)
	case []any:
		parts := make([]string, len(v))
		for i, item := range v {
			parts[i] = e.valueWords(field, item, lang, chain)
		}
		return strings.Join(parts, ", ")
	default:
		text = layer.FormatValue(v)
	}
	if fd != nil && fd.Unit != "" {
		return fill(e.dict.text(e.dict.Units[fd.Unit], lang, chain), "n", text)
	}
	return text
}

// items returns the values a property's value stands for: an array's
// items, a list's parts (the dictionary's Split), or the value itself.
func (e *Engine) items(field string, v any) []any {
	switch v := v.(type) {
	case []any:
		return v
	case string:
		if fd := e.dict.Fields[field]; fd != nil && fd.Split != "" {
			var out []any
			for _, p := range style.SplitList(v, fd.Split) {
				out = append(out, p)
			}
			return out
		}
	}
	return []any{v}
}

// byRef returns the feature of a KeyRef's layer whose field has a value.
func (e *Engine) byRef(ref KeyRef, v any) (*layer.Feature, bool) {
	e.mu.Lock()
	values, ok := e.byValue[ref]
	if !ok {
		values = map[string]*layer.Feature{}
		if l, err := e.vectorLayer(nil, ref.Layer); err == nil {
			for f, err := range features(context.Background(), l, everywhere) {
				if err != nil {
					break
				}
				if k := f.Properties.String(ref.Field); k != "" {
					if _, dup := values[k]; !dup {
						values[k] = f
					}
				}
			}
		}
		e.byValue[ref] = values
	}
	e.mu.Unlock()
	f, ok := values[layer.FormatValue(v)]
	return f, ok
}

// urlPattern finds web addresses in free text.
var urlPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// urls returns the web addresses in a text, without the punctuation that
// ends the sentence around them.
func urls(text string) []string {
	found := urlPattern.FindAllString(text, -1)
	for i, u := range found {
		found[i] = strings.TrimRight(u, ".,;:)]'»")
	}
	return found
}

// coordinates writes a point in decimal degrees and in degrees, minutes
// and seconds.
func (e *Engine) coordinates(p orb.Point, lang string, chain []string, approximate bool) Row {
	r := Row{Key: "coordinates", Label: e.term("coordinates", lang, chain), Raw: []float64{p[0], p[1]}, Approximate: approximate}
	dec, err1 := coord.FormatDecimal(p, 5)
	dms, err2 := coord.FormatDMS(p, 1)
	if err1 != nil || err2 != nil {
		r.Value = layer.FormatValue(p[1]) + " " + layer.FormatValue(p[0])
		return r
	}
	r.Value = dec + " · " + dms
	return r
}

// area writes an area given in m²: in km² from 1 km² (with fewer
// decimals as it grows), in hectares below.
func (e *Engine) area(m2 float64, lang string, chain []string) string {
	numLang := e.dict.language(lang, chain)
	if km2 := m2 / 1e6; km2 >= 1 {
		return fill(e.dict.text(e.dict.Units["km2"], lang, chain), "n", e.dict.number(km2, decimalsFor(km2), numLang))
	}
	ha := m2 / 1e4
	return fill(e.dict.text(e.dict.Units["ha"], lang, chain), "n", e.dict.number(ha, decimalsFor(ha), numLang))
}

// length writes a length given in m: in km from 1 km, in m below.
func (e *Engine) length(m float64, lang string, chain []string) string {
	numLang := e.dict.language(lang, chain)
	if km := m / 1e3; km >= 1 {
		return fill(e.dict.text(e.dict.Units["km"], lang, chain), "n", e.dict.number(km, decimalsFor(km), numLang))
	}
	return fill(e.dict.text(e.dict.Units["m"], lang, chain), "n", e.dict.number(m, 0, numLang))
}

// decimalsFor returns how many decimals a measure shows: about four
// significant digits, and none from a thousand up.
func decimalsFor(v float64) int {
	switch {
	case v >= 1000:
		return 0
	case v >= 100:
		return 1
	case v >= 10:
		return 2
	}
	return 3
}

// places returns the rows naming where a feature lies: for each context
// layer of the dictionary (basins, countries) the features of it that
// contain the feature (a point) or meet it (a line or polygon). A feature
// of a context layer's own source gets no row for it.
func (e *Engine) places(ctx context.Context, source string, f *layer.Feature, lang string, chain []string) ([]Row, error) {
	var rows []Row
	for _, c := range e.dict.Context {
		l, err := e.vectorLayer(nil, c.Layer)
		if err != nil {
			return nil, err
		}
		if l.Style.Source == source {
			continue
		}
		r := Row{Key: c.Term, Label: e.term(c.Term, lang, chain)}
		var names []string
		for cf, err := range features(ctx, l, f.Geometry.Bound()) {
			if err != nil {
				return nil, err
			}
			in, err := e.lies(Ref{Layer: c.Layer, ID: cf.ID}, cf, f.Geometry)
			if err != nil {
				return nil, fmt.Errorf("query: is %q in %s %q: %w", f.ID, c.Term, cf.ID, err)
			}
			if in {
				names = append(names, e.nameIn(cf, chain))
				r.Refs = append(r.Refs, Ref{Layer: c.Layer, ID: cf.ID})
			}
		}
		r.Value = strings.Join(names, ", ")
		if len(names) == 0 {
			r.Value = e.term("none", lang, chain)
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// minShare is the share of a line's length or a polygon's area that must
// lie in a context feature for the feature to be said to lie in it: the
// outlines of neighbouring countries and basins, drawn from different
// sources, overlap along their borders by slivers of less.
const minShare = 0.01

// lies reports whether a geometry lies in a context feature: a point in
// its interior; a line or polygon with at least minShare of its length or
// area in it.
func (e *Engine) lies(ref Ref, area *layer.Feature, g orb.Geometry) (bool, error) {
	switch g := g.(type) {
	case orb.Point:
		p, err := e.prepare(ref, area)
		if err != nil {
			return false, err
		}
		return p.ContainsPoint(g)
	case orb.MultiPoint:
		p, err := e.prepare(ref, area)
		if err != nil {
			return false, err
		}
		for _, q := range g {
			if in, err := p.ContainsPoint(q); err != nil || in {
				return in, err
			}
		}
		return false, nil
	}
	meets, err := overlay.Intersects(area.Geometry, g)
	if err != nil || !meets {
		return false, err
	}
	common, err := overlay.Intersection(area.Geometry, g)
	if err != nil {
		return false, err
	}
	if layer.KindOf(g) == layer.KindLine {
		return geodesic.Length(common) >= minShare*geodesic.Length(g), nil
	}
	return geodesic.Area(common) >= minShare*geodesic.Area(g), nil
}

// prepare returns a feature's geometry prepared for containment tests,
// preparing it on first use.
func (e *Engine) prepare(ref Ref, f *layer.Feature) (*overlay.Prepared, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if p, ok := e.prepared[ref]; ok {
		return p, nil
	}
	p, err := overlay.Prepare(f.Geometry)
	if err != nil {
		return nil, err
	}
	e.prepared[ref] = p
	return p, nil
}
