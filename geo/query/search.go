package query

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/coord"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Match says how well a name matched a query, best first.
type Match int

// Kinds of match.
const (
	// MatchCoordinate is a query read as a coordinate, not a name.
	MatchCoordinate Match = iota
	// MatchExact is a name equal to the query (as keys: see fold).
	MatchExact
	// MatchPrefix is a name that starts with the query.
	MatchPrefix
	// MatchWord is a name with a word that starts with the query.
	MatchWord
	// MatchContains is a name with the query inside a word, for queries
	// of three letters or more.
	MatchContains
)

// String returns the match's lower-case name.
func (m Match) String() string {
	return [...]string{"coordinate", "exact", "prefix", "word", "contains"}[m]
}

// MarshalText writes the match's name, for JSON.
func (m Match) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// Result is a search result: a feature and how it matched, or a
// position typed as a coordinate.
type Result struct {
	// Ref names the feature; it is empty for a coordinate.
	Ref Ref `json:"ref"`
	// Name is the feature's name in the language asked for, or the
	// coordinate as typed, normalised.
	Name string `json:"name"`
	// Matched is the name, as the data write it, that matched.
	Matched string `json:"matched,omitempty"`
	Match   Match  `json:"match"`
	// Kind is "point", "line" or "polygon" ("point" for a coordinate).
	Kind string `json:"kind"`
	// At is where to fly to: the point, or the centroid of a line or
	// polygon (which may lie outside a crescent-shaped one).
	At orb.Point `json:"at"`
	// Bound is the feature's lon/lat extent, to zoom to.
	Bound style.Box `json:"bound"`
	// Precision is, for a coordinate, the size of its last digit on the
	// ground in metres.
	Precision float64 `json:"precision_m,omitempty"`
}

// SearchOptions tune a search.
type SearchOptions struct {
	// Lang is the language of the result names (a BCP 47 tag the style
	// has a name chain for); "" is the dictionary's first language.
	Lang string
	// Limit is the most results returned; 0 means 20.
	Limit int
	// Filter hides the features the filter panel hides.
	Filter Filter
	// Layers, if set, restricts the search to features of these layers.
	Layers []string
}

// defaultLimit is the number of results a search returns by default.
const defaultLimit = 20

// nameIndex holds the searchable names of every feature that a layer of
// the style shows.
type nameIndex struct {
	entries []entry
	// keys are the folded names of all entries, scanned in order on every
	// keystroke.
	keys []nameKey
}

// entry is a named feature.
type entry struct {
	ref     Ref
	feature *layer.Feature
	// layers are all layers that show the feature, ref.Layer among them.
	layers []string
	// priority is the highest label priority the style gives it.
	priority float64
	// rank are the values of the dictionary's rank fields, NaN if absent.
	rank  []float64
	names []string
	kind  layer.GeometryKind
	bound orb.Bound
	at    orb.Point
}

// nameKey is one name of an entry, folded and literal (see fold).
type nameKey struct {
	folded  key
	literal key
	entry   int32
	name    int32
}

// key is a name's key and where its words start.
type key struct {
	text   string
	starts []int
}

// buildIndex indexes the names of every feature a layer of the engine's
// style shows, once per feature however many layers show it: under the
// topmost layer that draws its geometry, or the topmost that labels it.
func buildIndex(e *Engine) nameIndex {
	var idx nameIndex
	st := e.atlas.Style
	type source struct {
		id      string
		feature string
	}
	seen := map[source]int{}
	for i := len(st.Layers) - 1; i >= 0; i-- {
		l := &st.Layers[i]
		src := e.atlas.Sources[l.Source]
		if src == nil || src.Vector == nil {
			continue
		}
		for f := range src.Vector.All() {
			r := shows(l, f)
			if r == nil {
				continue
			}
			names := e.namesOf(f)
			if len(names) == 0 {
				continue
			}
			kind := layer.KindOf(f.Geometry)
			key := source{l.Source, f.ID}
			j, ok := seen[key]
			if !ok {
				j = len(idx.entries)
				seen[key] = j
				idx.entries = append(idx.entries, entry{
					ref: Ref{Layer: l.ID, ID: f.ID}, feature: f, names: names, kind: kind,
					priority: math.Inf(-1), rank: e.rankOf(f), bound: f.Geometry.Bound(), at: anchor(f.Geometry),
				})
			}
			en := &idx.entries[j]
			en.layers = append(en.layers, l.ID)
			if ok && !drawsGeometryOf(st, en.ref.Layer, f) && drawsGeometry(r, kind) {
				en.ref.Layer = l.ID
			}
			if p, ok := labelPriority(l, r, f); ok {
				en.priority = max(en.priority, p)
			}
		}
	}
	for i, en := range idx.entries {
		for j, name := range en.names {
			folded, starts := fold(name)
			lit, litStarts := literal(name)
			if folded != "" {
				idx.keys = append(idx.keys, nameKey{
					folded: key{folded, starts}, literal: key{lit, litStarts},
					entry: int32(i), name: int32(j),
				})
			}
		}
	}
	return idx
}

// drawsGeometryOf reports whether the layer with an id draws the geometry
// of a feature at some zoom.
func drawsGeometryOf(st *style.Style, id string, f *layer.Feature) bool {
	l, ok := st.Layer(id)
	if !ok {
		return false
	}
	kind := layer.KindOf(f.Geometry)
	for _, z := range zooms(l) {
		if r := l.RuleFor(z, &f.Properties); r != nil && drawsGeometry(r, kind) {
			return true
		}
	}
	return false
}

// labelPriority returns the priority of the label a rule gives a feature.
func labelPriority(l *style.Layer, r *style.Rule, f *layer.Feature) (float64, bool) {
	if r.Label == nil {
		return 0, false
	}
	zs := zooms(l)
	return r.Label.Priority.Eval(zs[len(zs)-1], &f.Properties), true
}

// namesOf returns a feature's names: the names field, then every
// "<names>_…" property, each distinct text once.
func (e *Engine) namesOf(f *layer.Feature) []string {
	var names []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(names, s) {
			names = append(names, s)
		}
	}
	add(f.Properties.String(e.dict.Names))
	prefix := e.dict.Names + "_"
	for _, k := range f.Properties.Keys() {
		if strings.HasPrefix(k, prefix) {
			if v, ok := f.Properties.Get(k); ok {
				if s, isText := v.(string); isText {
					add(s)
				}
			}
		}
	}
	return names
}

// rankOf returns the values of the dictionary's rank fields for a feature.
func (e *Engine) rankOf(f *layer.Feature) []float64 {
	out := make([]float64, len(e.dict.Rank))
	for i, r := range e.dict.Rank {
		v, ok := f.Properties.Number(r.Field)
		if !ok {
			v = math.NaN()
		}
		out[i] = v
	}
	return out
}

// box returns a bound as [minlon, minlat, maxlon, maxlat].
func box(b orb.Bound) style.Box { return style.Box{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} }

// anchor returns where to fly to for a geometry: a point itself, else the
// centroid, else (for a degenerate geometry) the middle of its extent.
func anchor(g orb.Geometry) orb.Point {
	switch g := g.(type) {
	case nil:
		return orb.Point{}
	case orb.Point:
		return g
	}
	c, _ := planar.CentroidArea(g)
	if math.IsNaN(c[0]) || math.IsNaN(c[1]) || math.IsInf(c[0], 0) || math.IsInf(c[1], 0) {
		return g.Bound().Center()
	}
	return c
}

// Search finds the features whose names match text, best first: by match
// (exact, then prefix, then the start of a word, then inside a word; of
// equal matches, one that holds letter for letter before the spellings of
// transliteration are made one comes first), then by importance (the style's label priority, then the dictionary's
// rank fields: population, rank), then shorter names first. Case,
// diacritics and script do not matter, nor the usual variants of
// transliteration (see fold). Text that reads as a coordinate (see
// coord.Parse) comes first as a MatchCoordinate result. A feature is
// returned once, by its best name; of features of one kind with the same
// name whose extents meet (a lake drawn at two scales), only the best.
func (e *Engine) Search(text string, opts SearchOptions) []Result {
	limit := opts.Limit
	if limit <= 0 {
		limit = defaultLimit
	}
	var out []Result
	if pos, err := coord.Parse(text); err == nil {
		name, ferr := coord.FormatDecimal(pos.Point, 5)
		if ferr != nil {
			name = strings.TrimSpace(text)
		}
		out = append(out, Result{Name: name, Match: MatchCoordinate, Kind: layer.KindPoint.String(), At: pos.Point,
			Bound: box(orb.Bound{Min: pos.Point, Max: pos.Point}), Precision: pos.Precision})
	}
	q, _ := fold(text)
	if q == "" {
		return out
	}
	lit, _ := literal(text)
	typed := strings.ToLower(strings.TrimSpace(text))
	type hit struct {
		entry   int32
		name    int32
		match   Match
		literal bool
		// verbatim is set when the name starts with the text as typed,
		// but for case: the name to show as matched.
		verbatim bool
	}
	rank := func(h hit) [3]int {
		return [3]int{int(h.match), boolRank(h.literal), boolRank(h.verbatim)}
	}
	better := func(a, b hit) bool {
		ra, rb := rank(a), rank(b)
		return slices.Compare(ra[:], rb[:]) < 0
	}
	best := map[int32]hit{}
	for _, k := range e.index.keys {
		m, ok := matchKey(k.folded, q)
		if !ok {
			continue
		}
		lm, litOK := matchKey(k.literal, lit)
		name := e.index.entries[k.entry].names[k.name]
		h := hit{k.entry, k.name, m, litOK && lm <= m, strings.HasPrefix(strings.ToLower(name), typed)}
		if old, seen := best[k.entry]; seen && !better(h, old) {
			continue
		}
		best[k.entry] = h
	}
	hits := make([]hit, 0, len(best))
	for _, h := range best {
		en := &e.index.entries[h.entry]
		if len(opts.Layers) > 0 && !slices.ContainsFunc(en.layers, func(l string) bool { return slices.Contains(opts.Layers, l) }) {
			continue
		}
		if !opts.Filter.allows(e, en.ref.Layer, en.feature) {
			continue
		}
		hits = append(hits, h)
	}
	slices.SortFunc(hits, func(a, b hit) int {
		ea, eb := &e.index.entries[a.entry], &e.index.entries[b.entry]
		// How verbatim a match is chooses the name an entry shows, not
		// its rank: a lake's Kyrgyz name is as good as a region's Latin.
		ra, rb := rank(a), rank(b)
		if c := slices.Compare(ra[:2], rb[:2]); c != 0 {
			return c
		}
		if c := cmp.Compare(eb.priority, ea.priority); c != 0 {
			return c
		}
		for i, r := range e.dict.Rank {
			if c := compareRank(ea.rank[i], eb.rank[i], r.Order); c != 0 {
				return c
			}
		}
		if c := cmp.Compare(len(ea.names[a.name]), len(eb.names[b.name])); c != 0 {
			return c
		}
		return cmp.Compare(a.entry, b.entry)
	})
	chain := e.styleOr(nil).NameChain(e.lang(opts.Lang))
	var kept []*entry
	for _, h := range hits {
		if len(out) >= limit {
			break
		}
		en := &e.index.entries[h.entry]
		name := e.nameIn(en.feature, chain)
		if slices.ContainsFunc(kept, func(k *entry) bool { return duplicates(e, k, en, chain) }) {
			continue
		}
		kept = append(kept, en)
		out = append(out, Result{
			Ref: en.ref, Name: name, Matched: en.names[h.name], Match: h.match,
			Kind: en.kind.String(), At: en.at, Bound: box(en.bound),
		})
	}
	return out
}

// boolRank orders true before false.
func boolRank(b bool) int {
	if b {
		return 0
	}
	return 1
}

// duplicates reports whether two entries are one thing drawn twice: of
// the same kind, with the same name, their extents meeting.
func duplicates(e *Engine, a, b *entry, chain []string) bool {
	if a.kind != b.kind || !a.bound.Intersects(b.bound) {
		return false
	}
	ka, _ := fold(e.nameIn(a.feature, chain))
	kb, _ := fold(e.nameIn(b.feature, chain))
	return ka == kb
}

// compareRank orders two rank values, absent (NaN) ones last.
func compareRank(a, b float64, order string) int {
	switch an, bn := math.IsNaN(a), math.IsNaN(b); {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	}
	if order == "desc" {
		return cmp.Compare(b, a)
	}
	return cmp.Compare(a, b)
}

// matchKey says how a name's key matches a query's.
func matchKey(k key, q string) (Match, bool) {
	switch {
	case q == "":
		return 0, false
	case k.text == q:
		return MatchExact, true
	case strings.HasPrefix(k.text, q):
		return MatchPrefix, true
	}
	for _, s := range k.starts[1:] {
		if strings.HasPrefix(k.text[s:], q) {
			return MatchWord, true
		}
	}
	if len(q) >= 3 && strings.Contains(k.text, q) {
		return MatchContains, true
	}
	return 0, false
}

// lang returns the language to answer in: lang, or the dictionary's first.
func (e *Engine) lang(lang string) string {
	if lang == "" {
		return e.dict.Languages[0]
	}
	return lang
}

// nameIn returns a feature's name along a chain of language tags (see
// style.Style.NameChain), else its plain name, else its ID.
func (e *Engine) nameIn(f *layer.Feature, chain []string) string {
	for _, tag := range chain {
		if s := f.Properties.String(e.dict.Names + "_" + tag); s != "" {
			return s
		}
	}
	if s := f.Properties.String(e.dict.Names); s != "" {
		return s
	}
	return f.ID
}

// Name returns a feature's name in a language, as a label in that
// language shows it; the feature's ID if it has none. It is what hovering
// shows.
func (e *Engine) Name(f *layer.Feature, lang string) string {
	return e.nameIn(f, e.styleOr(nil).NameChain(e.lang(lang)))
}

// FindIn returns the feature whose name best matches text, or whose ID
// it is, among the features of the layers drawn from the same source as a
// layer (so that "basins" finds the water-management basins a hidden layer
// of the same file draws); the error wraps ErrNotFound if none matches.
func (e *Engine) FindIn(layerID, text string) (Ref, error) {
	l, err := e.vectorLayer(nil, layerID)
	if err != nil {
		return Ref{}, err
	}
	var siblings []string
	for _, sl := range e.atlas.Style.Layers {
		if sl.Source == l.Style.Source {
			siblings = append(siblings, sl.ID)
		}
	}
	if f, ok := l.Features.Lookup(text); ok {
		for _, id := range siblings {
			if sl, _ := e.atlas.Style.Layer(id); shows(sl, f) != nil {
				return Ref{Layer: id, ID: f.ID}, nil
			}
		}
	}
	for _, r := range e.Search(text, SearchOptions{Layers: siblings, Limit: 1}) {
		if r.Match != MatchCoordinate {
			return r.Ref, nil
		}
	}
	return Ref{}, fmt.Errorf("%w: no feature of layer %q is called %q", ErrNotFound, layerID, text)
}
