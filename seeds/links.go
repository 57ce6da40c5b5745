package seeds

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// LinksFileName is the name of the embedded clause links file in this
// package's directory.
const LinksFileName = "clauses.json"

//go:embed clauses.json
var linksJSON []byte

// ErrLinks is wrapped by every error [ParseLinks] returns for a links file
// that is not well formed; test for it with [errors.Is].
var ErrLinks = errors.New("seeds: invalid clause links")

// Theme is one subject of the fixed vocabulary the clauses are tagged
// with, such as "water". Its JSON form is the bare word.
type Theme string

// The theme vocabulary, in the order [Themes] lists it.
const (
	ThemeWater           Theme = "water"
	ThemeGlaciers        Theme = "glaciers"
	ThemeMountains       Theme = "mountains"
	ThemeProtectedAreas  Theme = "protected_areas"
	ThemeBiodiversity    Theme = "biodiversity"
	ThemeLandDegradation Theme = "land_degradation"
	ThemePollution       Theme = "pollution"
	ThemeAir             Theme = "air"
	ThemeMethane         Theme = "methane"
	ThemeClimate         Theme = "climate"
	ThemeClimateFinance  Theme = "climate_finance"
	ThemeGreenTechnology Theme = "green_technology"
	ThemeDigital         Theme = "digital"
	ThemeInstitutions    Theme = "institutions"
	ThemeEvents          Theme = "events"
	ThemeCulture         Theme = "culture"
)

// themeTitles holds the English title of every theme, in display order.
var themeTitles = []struct {
	theme Theme
	title string
}{
	{ThemeWater, "Water"},
	{ThemeGlaciers, "Glaciers"},
	{ThemeMountains, "Mountains"},
	{ThemeProtectedAreas, "Protected areas"},
	{ThemeBiodiversity, "Biodiversity"},
	{ThemeLandDegradation, "Land degradation, sand and dust storms"},
	{ThemePollution, "Pollution and tailings"},
	{ThemeAir, "Air and green belts"},
	{ThemeMethane, "Methane"},
	{ThemeClimate, "Climate"},
	{ThemeClimateFinance, "Climate finance"},
	{ThemeGreenTechnology, "Green technology"},
	{ThemeDigital, "Digital and monitoring"},
	{ThemeInstitutions, "Institutions"},
	{ThemeEvents, "Events"},
	{ThemeCulture, "Culture and engagement"},
}

// Themes returns the whole theme vocabulary in display order.
func Themes() []Theme {
	out := make([]Theme, len(themeTitles))
	for i, t := range themeTitles {
		out[i] = t.theme
	}
	return out
}

// Valid reports whether t belongs to the vocabulary.
func (t Theme) Valid() bool { return t.Title() != "" }

// Title returns the theme's English title, such as "Pollution and
// tailings", or "" for a word outside the vocabulary.
func (t Theme) Title() string {
	for _, e := range themeTitles {
		if e.theme == t {
			return e.title
		}
	}
	return ""
}

// Key returns the theme's key in the app's string catalogue, such as
// "declaration.theme.water".
func (t Theme) Key() string { return "declaration.theme." + string(t) }

// Focus says how a clause is tied to the map. Its JSON form is the bare
// word.
type Focus string

// The kinds of geographic focus.
const (
	// FocusPlaces is a clause that names or implies particular features:
	// its Places, and maybe whole layers besides.
	FocusPlaces Focus = "places"
	// FocusLayers is a clause about the whole region through thematic
	// layers (WholeLayers), with no place singled out.
	FocusLayers Focus = "layers"
	// FocusNone is a clause with no geographic focus: no layer, no place.
	FocusNone Focus = "none"
)

// Title returns the focus in English words: "Places", "Region-wide" or
// "No geographic focus"; "" for an unknown focus.
func (f Focus) Title() string {
	switch f {
	case FocusPlaces:
		return "Places"
	case FocusLayers:
		return "Region-wide"
	case FocusNone:
		return "No geographic focus"
	}
	return ""
}

// Key returns the focus's key in the app's string catalogue, such as
// "declaration.focus.none".
func (f Focus) Key() string { return "declaration.focus." + string(f) }

// FeatureRef names one feature of the map: the style layer that draws it
// (an id of assets/style.json) and the feature's stable ID within that
// layer's source (its "id" property, such as "lakes.issyk-kul" or
// "kg-kadji-sai").
type FeatureRef struct {
	Layer string `json:"layer"`
	ID    string `json:"id"`
	// Named is true when the clause names the place in its text (the
	// Caspian Sea, Dushanbe); false when the link is implied (a host city
	// the text does not name, a lake's basin).
	Named bool `json:"named,omitempty"`
}

// String returns "layer/id".
func (r FeatureRef) String() string { return r.Layer + "/" + r.ID }

// ClauseLinks ties one operative clause to the map.
type ClauseLinks struct {
	// Number is the clause's number in the declaration, from 1.
	Number int `json:"number"`
	// Title is a short English title derived from the clause; the app
	// shows it through the catalogue key TitleKey.
	Title string `json:"title"`
	// Themes are the clause's subjects, most important first.
	Themes []Theme `json:"themes"`
	// Focus is how the clause is tied to the map.
	Focus Focus `json:"focus"`
	// Layers are the style layers the clause concerns, which the app
	// shows when the clause is selected.
	Layers []string `json:"layers"`
	// WholeLayers are those of Layers every feature of which the clause
	// concerns (every tailings site, every glacier): all are highlighted,
	// and identifying any of them lists the clause.
	WholeLayers []string `json:"whole_layers"`
	// Places are the features the clause names or implies, in order of
	// importance: they are highlighted and carry the clause's badge.
	Places []FeatureRef `json:"places"`
	// Note is the reasoning behind the links, in English.
	Note string `json:"note"`
}

// TitleKey returns the key of the clause's title in the app's string
// catalogue, such as "declaration.clause.14.title".
func (c ClauseLinks) TitleKey() string {
	return "declaration.clause." + strconv.Itoa(c.Number) + ".title"
}

// Concerns reports whether the clause concerns a feature: one of its
// Places, or any feature of one of its WholeLayers.
func (c ClauseLinks) Concerns(layer, id string) bool {
	if slices.Contains(c.WholeLayers, layer) {
		return true
	}
	return slices.ContainsFunc(c.Places, func(r FeatureRef) bool { return r.Layer == layer && r.ID == id })
}

// Links are the map links of every operative clause, in clause order.
type Links struct {
	// About describes the file.
	About string `json:"about"`
	// Clauses holds one entry per clause, numbered 1 to n in order.
	Clauses []ClauseLinks `json:"clauses"`
}

// Clause returns the links of clause n and reports whether there are any.
func (l Links) Clause(n int) (ClauseLinks, bool) {
	if n >= 1 && n <= len(l.Clauses) {
		return l.Clauses[n-1], true
	}
	return ClauseLinks{}, false
}

// ClausesAt returns, in order, the numbers of the clauses that concern the
// feature id drawn by a style layer (see [ClauseLinks.Concerns]).
func (l Links) ClausesAt(layer, id string) []int {
	var out []int
	for _, c := range l.Clauses {
		if c.Concerns(layer, id) {
			out = append(out, c.Number)
		}
	}
	return out
}

// LayerIDs returns every style layer the links name, each once, in the
// order they are first named.
func (l Links) LayerIDs() []string {
	var out []string
	for _, c := range l.Clauses {
		for _, id := range c.Layers {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

// CatalogueKeys returns every key of the app's string catalogue that the
// links need: each clause's title, each theme and each focus, in that
// order.
func (l Links) CatalogueKeys() []string {
	var keys []string
	for _, c := range l.Clauses {
		keys = append(keys, c.TitleKey())
	}
	for _, t := range Themes() {
		keys = append(keys, t.Key())
	}
	for _, f := range []Focus{FocusPlaces, FocusLayers, FocusNone} {
		keys = append(keys, f.Key())
	}
	return keys
}

// clone returns a copy of l that shares no slices with it.
func (l Links) clone() Links {
	l.Clauses = slices.Clone(l.Clauses)
	for i := range l.Clauses {
		c := &l.Clauses[i]
		c.Themes = slices.Clone(c.Themes)
		c.Layers = slices.Clone(c.Layers)
		c.WholeLayers = slices.Clone(c.WholeLayers)
		c.Places = slices.Clone(c.Places)
	}
	return l
}

// MaxTitleLength is the longest a clause title may be, in characters, so
// that it fits a list row.
const MaxTitleLength = 60

// ParseLinks reads clause links in the format of [LinksFileName] from r;
// name is the file's name, used in errors.
//
// The file is a JSON object {"about": …, "clauses": […]} whose clauses are
// [ClauseLinks] objects. Unknown fields are errors. Each clause must be
// numbered one more than the one before (from 1), have a title of at most
// [MaxTitleLength] characters, at least one theme of the vocabulary (no
// repeats), a focus and a note, and be consistent with its focus: "none"
// has no layers and no places; "layers" has whole layers and no places;
// "places" has places. Whole layers and the layers of places must be among
// Layers, and no place is listed twice.
//
// Whether the layers and features exist is a question for the map, not
// for this parser: the package tests check the embedded file against the
// embedded style and data.
//
// Errors wrap [ErrLinks] and name the file, the clause and the field, such
// as "seeds: clauses.json: clause 5: places[2]: layer "x" is not among the
// clause's layers".
func ParseLinks(r io.Reader, name string) (Links, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Links{}, fmt.Errorf("seeds: %s: %w", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var l Links
	if err := dec.Decode(&l); err != nil {
		return Links{}, fmt.Errorf("%w: %s: %s", ErrLinks, name, jsonProblem(data, err))
	}
	if dec.More() {
		return Links{}, fmt.Errorf("%w: %s: data after the top-level object", ErrLinks, name)
	}
	if len(l.Clauses) == 0 {
		return Links{}, fmt.Errorf("%w: %s: no clauses", ErrLinks, name)
	}
	for i, c := range l.Clauses {
		if err := checkClauseLinks(c, i+1); err != nil {
			return Links{}, fmt.Errorf("%w: %s: clause %d: %s", ErrLinks, name, i+1, err)
		}
	}
	return l, nil
}

// jsonProblem describes a decoding error with the line it happened on when
// the error carries an offset.
func jsonProblem(data []byte, err error) string {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
		offset int64 = -1
	)
	switch {
	case errors.As(err, &syntax):
		offset = syntax.Offset
	case errors.As(err, &typ):
		offset = typ.Offset
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if offset < 0 {
		return msg
	}
	line := 1 + bytes.Count(data[:min(int(offset), len(data))], []byte("\n"))
	return fmt.Sprintf("line %d: %s", line, msg)
}

// checkClauseLinks checks one clause's links, expected to be clause want.
// The message names the field.
func checkClauseLinks(c ClauseLinks, want int) error {
	if c.Number != want {
		return fmt.Errorf("number: %d, want %d (clauses are numbered from 1 in order)", c.Number, want)
	}
	switch n := len([]rune(c.Title)); {
	case strings.TrimSpace(c.Title) == "":
		return errors.New("title: empty")
	case n > MaxTitleLength:
		return fmt.Errorf("title: %d characters, at most %d", n, MaxTitleLength)
	}
	if len(c.Themes) == 0 {
		return errors.New("themes: none")
	}
	for i, t := range c.Themes {
		if !t.Valid() {
			return fmt.Errorf("themes[%d]: %q is not in the vocabulary", i+1, t)
		}
		if slices.Contains(c.Themes[:i], t) {
			return fmt.Errorf("themes[%d]: %q repeated", i+1, t)
		}
	}
	if strings.TrimSpace(c.Note) == "" {
		return errors.New("note: empty")
	}
	for i, w := range c.WholeLayers {
		if !slices.Contains(c.Layers, w) {
			return fmt.Errorf("whole_layers[%d]: layer %q is not among the clause's layers", i+1, w)
		}
	}
	for i, p := range c.Places {
		switch {
		case p.Layer == "" || p.ID == "":
			return fmt.Errorf("places[%d]: a place needs a layer and an id", i+1)
		case !slices.Contains(c.Layers, p.Layer):
			return fmt.Errorf("places[%d]: layer %q is not among the clause's layers", i+1, p.Layer)
		}
		for _, q := range c.Places[:i] {
			if q.Layer == p.Layer && q.ID == p.ID {
				return fmt.Errorf("places[%d]: %s listed twice", i+1, p)
			}
		}
	}
	switch c.Focus {
	case FocusNone:
		if len(c.Layers)+len(c.WholeLayers)+len(c.Places) > 0 {
			return errors.New(`focus "none" with layers or places`)
		}
	case FocusLayers:
		if len(c.WholeLayers) == 0 || len(c.Places) > 0 {
			return errors.New(`focus "layers" needs whole layers and no places`)
		}
	case FocusPlaces:
		if len(c.Places) == 0 {
			return errors.New(`focus "places" with no places`)
		}
	default:
		return fmt.Errorf("focus: %q, want \"places\", \"layers\" or \"none\"", c.Focus)
	}
	return nil
}

var embeddedLinks = sync.OnceValues(func() (Links, error) {
	return ParseLinks(bytes.NewReader(linksJSON), LinksFileName)
})

// EmbeddedLinks returns the links of the embedded declaration, parsed from
// [LinksFileName] on first use. The package tests check that the file
// parses, so the error is nil in a released build; every call returns an
// independent copy.
func EmbeddedLinks() (Links, error) {
	l, err := embeddedLinks()
	return l.clone(), err
}
