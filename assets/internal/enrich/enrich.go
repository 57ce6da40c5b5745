// Package enrich derives the embedded base-map files from the files as they
// came from their sources (see assets/PROVENANCE.md): it gives every feature
// a stable "id" property and writes the checked names of the names table
// (assets/names/names.csv) into "name_<lang>" properties. Geometry,
// feature order and every other property are kept byte for byte.
//
// Stable IDs are what the clause links, the names table, saved selections
// and workspaces refer to, so they are derived from what identifies a
// feature to a person, not from its position: "<layer>.<code>" for
// countries and regions (ISO 3166 alpha-3, Natural Earth adm1_code),
// "<layer>.<slug of the name>" for named features (with "-2", "-3"… for
// later features of the same name), "<layer>.<n>" for unnamed ones,
// n counting the layer's unnamed features from 1. The layer is the file's
// name without extension, with "_" written "-".
//
// The enrichment is idempotent: run on its own output it changes nothing,
// which the package's test checks on the embedded files (a drift check).
// Run it with `go generate ./assets` after replacing a file with a new copy
// from its source or after editing the names table.
package enrich

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
)

// Languages are the name columns of the names table, in column order: each
// fills the property "name_<lang>".
var Languages = []string{"en", "ru", "kk", "ky", "tg", "tk", "uz"}

// Names maps a feature ID to its names by language.
type Names map[string]map[string]string

// ReadNames reads the names table: a CSV file with a header row "id", the
// Languages, then "note"; empty cells leave a name as the source has it.
func ReadNames(r io.Reader) (Names, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("names table: %w", err)
	}
	want := append(append([]string{"id"}, Languages...), "note")
	if strings.Join(header, ",") != strings.Join(want, ",") {
		return nil, fmt.Errorf("names table: header is %q, want %q", strings.Join(header, ","), strings.Join(want, ","))
	}
	names := Names{}
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return names, nil
		}
		if err != nil {
			return nil, fmt.Errorf("names table: %w", err)
		}
		line, _ := cr.FieldPos(0)
		id := row[0]
		if _, dup := names[id]; dup {
			return nil, fmt.Errorf("names table: line %d: %q is listed twice", line, id)
		}
		byLang := map[string]string{}
		for i, lang := range Languages {
			if cell := strings.TrimSpace(row[i+1]); cell != "" {
				byLang[lang] = cell
			}
		}
		names[id] = byLang
	}
}

// File enriches one GeoJSON FeatureCollection: file is its path under the
// data folder ("basemap/lakes.geojson"), which decides the ID prefix. It
// returns the new text, one feature per line, and the IDs of the names
// table it used.
func File(file string, data []byte, names Names) ([]byte, []string, error) {
	var doc struct {
		Type     string            `json:"type"`
		Name     string            `json:"name,omitempty"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	if doc.Type != "FeatureCollection" {
		return nil, nil, fmt.Errorf("%s: type %q, want a FeatureCollection", file, doc.Type)
	}
	prefix := strings.ReplaceAll(strings.TrimSuffix(path.Base(file), path.Ext(file)), "_", "-")
	ids := idMaker{prefix: prefix, seen: map[string]int{}}
	var (
		out  bytes.Buffer
		used []string
	)
	out.WriteString(`{"type":"FeatureCollection",`)
	if doc.Name != "" {
		fmt.Fprintf(&out, `"name":%s,`, quote(doc.Name))
	}
	out.WriteString(`"features":[`)
	for i, raw := range doc.Features {
		f, err := parseFeature(raw)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: feature %d: %w", file, i+1, err)
		}
		id, ok := f.props.get("id").(string)
		if !ok || id == "" {
			id = ids.next(f.props)
			f.props.set("id", json.RawMessage(quote(id)), true)
		}
		if byLang, ok := names[id]; ok {
			used = append(used, id)
			for _, lang := range Languages {
				if name, ok := byLang[lang]; ok {
					f.props.set("name_"+lang, json.RawMessage(quote(name)), false)
				}
			}
		}
		if i > 0 {
			out.WriteByte(',')
		}
		out.WriteString("\n")
		if err := f.write(&out); err != nil {
			return nil, nil, fmt.Errorf("%s: feature %d: %w", file, i+1, err)
		}
	}
	out.WriteString("\n]}\n")
	return out.Bytes(), used, nil
}

// idMaker hands out the IDs of one layer's features.
type idMaker struct {
	prefix  string
	seen    map[string]int
	unnamed int
}

// next returns the ID of the next feature without one.
func (m *idMaker) next(p *properties) string {
	code := ""
	switch {
	case strings.HasPrefix(m.prefix, "countries"):
		code, _ = p.get("adm0_a3").(string)
	case m.prefix == "regions":
		code, _ = p.get("adm1_code").(string)
	}
	if code == "" {
		if name, ok := p.get("name").(string); ok {
			code = Slug(name)
		}
	}
	if code == "" {
		m.unnamed++
		return m.prefix + "." + strconv.Itoa(m.unnamed)
	}
	id := m.prefix + "." + strings.ToLower(code)
	m.seen[id]++
	if n := m.seen[id]; n > 1 {
		id += "-" + strconv.Itoa(n)
	}
	return id
}

// Slug returns an ASCII identifier for a name: letters folded to lower-case
// Latin without diacritics, every other run of characters one "-".
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		s, ok := latin[r]
		switch {
		case ok:
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			s = string(r)
		case unicode.Is(unicode.Mn, r) || r == 'ʻ' || r == '‘' || r == '’' || r == '\'':
			continue // combining marks and the apostrophes of oʻ, gʻ
		}
		if s == "" {
			dash = b.Len() > 0
			continue
		}
		if dash {
			b.WriteByte('-')
			dash = false
		}
		b.WriteString(s)
	}
	return b.String()
}

// latin folds the non-ASCII letters of the embedded names to ASCII.
var latin = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ä': "a", 'ã': "a", 'å': "a", 'ā': "a", 'ă': "a", 'ə': "a",
	'ç': "c", 'č': "c", 'ć': "c", 'ď': "d", 'đ': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ė': "e", 'ę': "e", 'ě': "e",
	'ğ': "g", 'ģ': "g", 'ħ': "h",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ī': "i", 'ı': "i", 'ķ': "k", 'ļ': "l", 'ł': "l",
	'ñ': "n", 'ń': "n", 'ň': "n", 'ņ': "n", 'ŋ': "ng",
	'ò': "o", 'ó': "o", 'ô': "o", 'ö': "o", 'õ': "o", 'ō': "o", 'ø': "o", 'ő': "o",
	'ř': "r", 'ş': "s", 'š': "s", 'ś': "s", 'ș': "s", 'ß': "ss", 'ţ': "t", 'ť': "t", 'ț': "t",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ū': "u", 'ů': "u", 'ű': "u",
	'ý': "y", 'ÿ': "y", 'ž': "z", 'ź': "z", 'ż': "z",
}

// feature is a GeoJSON feature with its members in order and its
// properties editable.
type feature struct {
	members []member
	props   *properties
}

// member is one "key": value of a JSON object, the value kept raw.
type member struct {
	key   string
	value json.RawMessage
}

// properties are a feature's properties in their order.
type properties struct{ members []member }

// get returns a property decoded, or nil.
func (p *properties) get(key string) any {
	for _, m := range p.members {
		if m.key == key {
			var v any
			if json.Unmarshal(m.value, &v) == nil {
				return v
			}
		}
	}
	return nil
}

// set sets a property to a raw value, in place if it exists, else first
// or last.
func (p *properties) set(key string, value json.RawMessage, first bool) {
	for i := range p.members {
		if p.members[i].key == key {
			p.members[i].value = value
			return
		}
	}
	if first {
		p.members = append([]member{{key, value}}, p.members...)
	} else {
		p.members = append(p.members, member{key, value})
	}
}

// parseFeature splits a feature into its members and properties.
func parseFeature(raw json.RawMessage) (*feature, error) {
	members, err := objectMembers(raw)
	if err != nil {
		return nil, err
	}
	f := &feature{members: members, props: &properties{}}
	for _, m := range members {
		if m.key == "properties" && string(m.value) != "null" {
			if f.props.members, err = objectMembers(m.value); err != nil {
				return nil, fmt.Errorf("properties: %w", err)
			}
		}
	}
	return f, nil
}

// write writes the feature on one line, its properties as edited.
func (f *feature) write(w *bytes.Buffer) error {
	w.WriteByte('{')
	wroteProps := false
	for i, m := range f.members {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString(quote(m.key))
		w.WriteByte(':')
		if m.key == "properties" {
			if err := writeObject(w, f.props.members); err != nil {
				return err
			}
			wroteProps = true
			continue
		}
		if err := json.Compact(w, m.value); err != nil {
			return err
		}
	}
	if !wroteProps {
		w.WriteString(`,"properties":`)
		if err := writeObject(w, f.props.members); err != nil {
			return err
		}
	}
	w.WriteByte('}')
	return nil
}

// writeObject writes members as a compact JSON object.
func writeObject(w *bytes.Buffer, members []member) error {
	w.WriteByte('{')
	for i, m := range members {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString(quote(m.key))
		w.WriteByte(':')
		if err := json.Compact(w, m.value); err != nil {
			return fmt.Errorf("%q: %w", m.key, err)
		}
	}
	w.WriteByte('}')
	return nil
}

// objectMembers returns the members of a JSON object in order.
func objectMembers(raw json.RawMessage) ([]member, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("want an object")
	}
	var members []member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, fmt.Errorf("%q: %w", key, err)
		}
		members = append(members, member{key, value})
	}
	return members, nil
}

// quote returns s as a JSON string, non-ASCII letters kept as they are.
func quote(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		panic(err) // a Go string always encodes
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// Files returns the files the enrichment applies to, relative to the data
// folder dir: the base map and the world layers. The curated layers have
// IDs and names of their own.
func Files(dir string) ([]string, error) {
	var files []string
	for _, pattern := range []string{"basemap/*.geojson", "world/*.geojson"} {
		m, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			return nil, err
		}
		for _, f := range m {
			rel, err := filepath.Rel(dir, f)
			if err != nil {
				return nil, err
			}
			files = append(files, filepath.ToSlash(rel))
		}
	}
	return files, nil
}
