package query

import (
	"fmt"
	"slices"

	"github.com/ecoatlas/ecoatlas/geo/geodesic"
)

// Change is a comparison worked out: one thing's outline at two times,
// with geodesic areas (WGS 84) and what was lost, in words of a language.
type Change struct {
	Name  string  `json:"name"`
	Title string  `json:"title"`
	Then  Outline `json:"then"`
	Now   Outline `json:"now"`
	// Lost is the area lost in m² (negative for a gain), LostPercent the
	// share of the earlier area, and LostText both in words.
	Lost        float64 `json:"lost_m2"`
	LostPercent float64 `json:"lost_percent"`
	LostText    string  `json:"lost_text"`
}

// Outline is one of the outlines of a Change.
type Outline struct {
	Ref   Ref    `json:"ref"`
	Label string `json:"label"`
	// Area is the geodesic area in m², AreaText in words.
	Area     float64 `json:"area_m2"`
	AreaText string  `json:"area_text"`
}

// Comparisons returns the names of the dictionary's comparisons, sorted.
func (e *Engine) Comparisons() []string {
	names := sortedKeys(e.dict.Comparisons)
	slices.Sort(names)
	return names
}

// Compare works out a comparison of the dictionary by name ("aral"): the
// geodesic areas of its two outlines and the loss between them.
func (e *Engine) Compare(name, lang string) (*Change, error) {
	c := e.dict.Comparisons[name]
	if c == nil {
		return nil, fmt.Errorf("%w: no comparison %q (there are %v)", ErrNotFound, name, e.Comparisons())
	}
	lang = e.lang(lang)
	chain := e.atlas.Style.NameChain(lang)
	ch := &Change{Name: name, Title: e.dict.text(c.Title, lang, chain)}
	for _, o := range []struct {
		out *Outline
		def ComparedOutline
	}{{&ch.Then, c.Then}, {&ch.Now, c.Now}} {
		ref := Ref{Layer: c.Layer, ID: o.def.ID}
		f, ok := e.Lookup(ref)
		if !ok {
			return nil, fmt.Errorf("%w: comparison %q: layer %q has no feature %q", ErrNotFound, name, c.Layer, o.def.ID)
		}
		area := geodesic.Area(f.Geometry)
		*o.out = Outline{Ref: ref, Label: e.dict.text(o.def.Label, lang, chain), Area: area, AreaText: e.area(area, lang, chain)}
	}
	if ch.Then.Area <= 0 {
		return nil, fmt.Errorf("%w: comparison %q: the earlier outline %q has no area", ErrDictionary, name, c.Then.ID)
	}
	ch.Lost = ch.Then.Area - ch.Now.Area
	ch.LostPercent = 100 * ch.Lost / ch.Then.Area
	numLang := e.dict.language(lang, chain)
	ch.LostText = fill(e.term("lost", lang, chain), "p", e.dict.number(ch.LostPercent, 1, numLang), "a", e.area(ch.Lost, lang, chain))
	return ch, nil
}
