package query

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Dictionary is the data dictionary of a map: what the engine needs to
// know about the data to answer in words, kept as data (the embedded
// map's is assets/dictionary.json) so that no field name of a dataset is
// written into the engine. Every text in it is given in each of
// Languages.
type Dictionary struct {
	// Languages are the tags every text of the dictionary is written in,
	// the first being the fallback ("en").
	Languages []string `json:"languages"`
	// Numbers say how numbers are written in each language.
	Numbers map[string]NumberFormat `json:"numbers"`
	// Names is the property holding a feature's name; "<Names>_<tag>"
	// hold its names in other languages and forms ("name_ru",
	// "name_official").
	Names string `json:"names"`
	// Rank are the properties that order search results of equal match
	// and label priority: population first, then rank, say.
	Rank []RankField `json:"rank"`
	// Terms are the words of the engine's own rows: "coordinates",
	// "area", "length", "basin", "country", "approximate", "unknown",
	// "none", "yes", "no", "cluster" ("{n}" is the count) and "lost"
	// ("{p}" the percentage, "{a}" the area).
	Terms map[string]Words `json:"terms"`
	// Units are the templates of numbers with units, "{n}" being the
	// number: "m3" → "{n} m³".
	Units map[string]Words `json:"units"`
	// Fields describe the properties, by name. A property not listed is
	// shown under its own name with its value as it is.
	Fields map[string]*Field `json:"fields"`
	// Layers give, by style layer id, what the filter panel and the
	// counts of spatial answers offer for a layer.
	Layers map[string]LayerInfo `json:"layers"`
	// Context are the layers whose features a description names as the
	// place a feature lies in: its basin, its country.
	Context []ContextLayer `json:"context"`
	// Comparisons are pairs of outlines of one thing at two times, by
	// name ("aral").
	Comparisons map[string]*Comparison `json:"comparisons"`
}

// Words is a text in several languages, by language tag.
type Words map[string]string

// NumberFormat is how a language writes numbers: its decimal mark and the
// separator of thousands.
type NumberFormat struct {
	Decimal string `json:"decimal"`
	Group   string `json:"group"`
}

// RankField is a property that orders search results: "desc" puts large
// values first, "asc" small ones.
type RankField struct {
	Field string `json:"field"`
	Order string `json:"order"`
}

// Field describes one property.
type Field struct {
	// Label is the property's name in words.
	Label Words `json:"label"`
	// Hidden properties are technical (identifiers, ranks for the
	// renderer) and left out of descriptions.
	Hidden bool `json:"hidden"`
	// Unit names a template of Dictionary.Units the value is written with.
	Unit string `json:"unit"`
	// Values are the words for the property's values (enumerations,
	// booleans as "true"/"false", numbers in their shortest form).
	Values map[string]*Value `json:"values"`
	// Split is the separator of a text property holding a list
	// ("copper, gold"), whose items the filter panel offers one by one.
	Split string `json:"split"`
	// Ref, if set, says the value is a key of features of another layer
	// (a country code), shown as that feature's name.
	Ref *KeyRef `json:"ref"`
	// Link is a URL template for the value, "{value}" standing for it.
	Link string `json:"link"`
}

// Value is the meaning of one value of a property.
type Value struct {
	Text Words `json:"text"`
	// Approximate marks a value that says the feature's position or
	// outline is only approximate.
	Approximate bool `json:"approximate"`
}

// KeyRef points from a property's value to the features of a layer whose
// Field has that value.
type KeyRef struct {
	Layer string `json:"layer"`
	Field string `json:"field"`
}

// LayerInfo is what the dictionary says about a style layer.
type LayerInfo struct {
	// Facets are the properties the filter panel offers for the layer,
	// and that spatial answers count their members by, the first being
	// the main one ("type").
	Facets []string `json:"facets"`
}

// ContextLayer names a layer whose features say where a feature lies,
// under a term ("basin", "country").
type ContextLayer struct {
	Term  string `json:"term"`
	Layer string `json:"layer"`
}

// Comparison is one thing outlined at two times: two features of a layer.
type Comparison struct {
	Title Words           `json:"title"`
	Layer string          `json:"layer"`
	Then  ComparedOutline `json:"then"`
	Now   ComparedOutline `json:"now"`
}

// ComparedOutline is one of the outlines of a Comparison.
type ComparedOutline struct {
	ID    string `json:"id"`
	Label Words  `json:"label"`
}

// ParseDictionary reads and checks a dictionary: every text must be given
// in every one of its languages, and every unit a field names must exist.
// An error names the entry at fault.
func ParseDictionary(data []byte) (*Dictionary, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var d Dictionary
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDictionary, err)
	}
	if err := d.check(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDictionary, err)
	}
	return &d, nil
}

// check reports the first missing translation or dangling name.
func (d *Dictionary) check() error {
	if len(d.Languages) == 0 {
		return fmt.Errorf("no languages")
	}
	if d.Names == "" {
		return fmt.Errorf("no names field")
	}
	for _, lang := range d.Languages {
		if _, ok := d.Numbers[lang]; !ok {
			return fmt.Errorf("numbers: no format for %q", lang)
		}
	}
	complete := func(what string, w Words) error {
		for _, lang := range d.Languages {
			if strings.TrimSpace(w[lang]) == "" {
				return fmt.Errorf("%s: no text in %q", what, lang)
			}
		}
		return nil
	}
	for _, r := range d.Rank {
		if r.Field == "" || (r.Order != "asc" && r.Order != "desc") {
			return fmt.Errorf("rank: want a field and the order \"asc\" or \"desc\", not %+v", r)
		}
	}
	for _, c := range d.Context {
		if _, ok := d.Terms[c.Term]; !ok || c.Layer == "" {
			return fmt.Errorf("context: %+v: want a layer and a term of terms", c)
		}
	}
	for _, term := range requiredTerms {
		if _, ok := d.Terms[term]; !ok {
			return fmt.Errorf("terms: %q is missing", term)
		}
	}
	for _, k := range sortedKeys(d.Terms) {
		if err := complete("terms."+k, d.Terms[k]); err != nil {
			return err
		}
	}
	for _, k := range sortedKeys(d.Units) {
		if err := complete("units."+k, d.Units[k]); err != nil {
			return err
		}
	}
	for _, name := range sortedKeys(d.Fields) {
		f := d.Fields[name]
		if f == nil {
			return fmt.Errorf("fields.%s: null", name)
		}
		if f.Hidden {
			continue
		}
		if err := complete("fields."+name+".label", f.Label); err != nil {
			return err
		}
		if _, ok := d.Units[f.Unit]; f.Unit != "" && !ok {
			return fmt.Errorf("fields.%s: unit %q is not in units", name, f.Unit)
		}
		for _, v := range sortedKeys(f.Values) {
			if f.Values[v] == nil {
				return fmt.Errorf("fields.%s.values.%s: null", name, v)
			}
			if err := complete("fields."+name+".values."+v, f.Values[v].Text); err != nil {
				return err
			}
		}
	}
	for _, name := range sortedKeys(d.Comparisons) {
		c := d.Comparisons[name]
		if c == nil || c.Layer == "" || c.Then.ID == "" || c.Now.ID == "" {
			return fmt.Errorf("comparisons.%s: want a layer and the ids of then and now", name)
		}
		for what, w := range map[string]Words{"title": c.Title, "then.label": c.Then.Label, "now.label": c.Now.Label} {
			if err := complete("comparisons."+name+"."+what, w); err != nil {
				return err
			}
		}
	}
	return nil
}

// requiredTerms are the terms the engine uses.
var requiredTerms = []string{"coordinates", "area", "length", "basin", "country", "approximate", "unknown", "none", "yes", "no", "cluster", "lost"}

// sortedKeys returns a map's keys in order, so that checks report the
// same entry every time.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// text returns words in a language: the language's own, else the first
// of the chain that has them, else the dictionary's first language.
func (d *Dictionary) text(w Words, lang string, chain []string) string {
	if t, ok := w[lang]; ok {
		return t
	}
	for _, tag := range chain {
		if t, ok := w[tag]; ok {
			return t
		}
	}
	return w[d.Languages[0]]
}

// language returns the dictionary language to write numbers in for a
// map language: itself if the dictionary has it, else the first of its
// chain that it has, else the fallback.
func (d *Dictionary) language(lang string, chain []string) string {
	for _, tag := range append([]string{lang}, chain...) {
		if slices.Contains(d.Languages, tag) {
			return tag
		}
	}
	return d.Languages[0]
}

// number writes v in a language with a number of decimals (−1: as few as
// represent it exactly), grouping the thousands of numbers of five digits
// or more ("1968", "67 644", "2 000 000").
func (d *Dictionary) number(v float64, decimals int, lang string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	nf := d.Numbers[lang]
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "−", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if len(whole) > 4 {
		var b strings.Builder
		for i, c := range whole {
			if i > 0 && (len(whole)-i)%3 == 0 {
				b.WriteString(nf.Group)
			}
			b.WriteRune(c)
		}
		whole = b.String()
	}
	if hasFrac {
		return sign + whole + nf.Decimal + frac
	}
	return sign + whole
}

// fill replaces the {name} placeholders of a template.
func fill(template string, args ...string) string {
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+args[i]+"}", args[i+1])
	}
	return strings.NewReplacer(pairs...).Replace(template)
}
