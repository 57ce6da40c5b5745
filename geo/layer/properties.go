package layer

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"

	"github.com/ecoatlas/ecoatlas/geo/internal/jsonscan"
)

// Properties are a feature's attributes. Decoders of JSON formats keep the
// raw JSON object and decode a value only when it is asked for, which is
// what lets a million-feature file load without a million maps; edits and
// other formats build Properties from a map.
//
// A lookup in raw JSON scans the object's members in place, comparing keys
// without allocating, and decodes only the value asked for. Where a key
// occurs twice, the first occurrence counts. Raw JSON that is not a valid
// object (decoders validate before wrapping, so only a caller of
// [PropertiesFromJSON] can cause that) gives the members before the fault.
//
// JSON values come back as Go values the way encoding/json decodes into
// an interface: float64, string, bool, nil, []any and map[string]any.
type Properties struct {
	raw []byte
	m   map[string]any
}

// PropertiesFromJSON wraps a raw JSON object. The slice is kept, not
// copied; a nil, empty, "null" or "{}" slice gives empty properties.
func PropertiesFromJSON(raw []byte) Properties {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" || isEmptyObject(raw) {
		return Properties{}
	}
	return Properties{raw: raw}
}

// isEmptyObject reports whether raw is "{}", with or without space inside.
func isEmptyObject(raw []byte) bool {
	return len(raw) >= 2 && raw[0] == '{' && raw[len(raw)-1] == '}' && len(bytes.TrimSpace(raw[1:len(raw)-1])) == 0
}

// PropertiesFromMap wraps a map, which it takes ownership of.
func PropertiesFromMap(m map[string]any) Properties { return Properties{m: m} }

// IsEmpty reports whether there are no properties.
func (p Properties) IsEmpty() bool { return len(p.raw) == 0 && len(p.m) == 0 }

// Get returns the value of a key.
func (p Properties) Get(key string) (any, bool) {
	if p.m != nil {
		v, ok := p.m[key]
		return v, ok
	}
	s, ok := p.find(key)
	if !ok {
		return nil, false
	}
	v, err := s.ReadValue()
	if err != nil {
		return nil, false
	}
	return v, true
}

// find returns a scanner positioned at the raw JSON value of key.
func (p Properties) find(key string) (jsonscan.Scanner, bool) {
	s := jsonscan.New(p.raw)
	if len(p.raw) == 0 || !mayHold(p.raw, key) || s.EnterObject() != nil {
		return s, false
	}
	for {
		k, ok, err := s.NextKey()
		if err != nil || !ok {
			return s, false
		}
		if string(k) == key {
			return s, true
		}
		if s.Skip() != nil {
			return s, false
		}
	}
}

// mayHold reports whether raw JSON text may have a member named key: it
// has the key in quotes somewhere, or escapes, which can spell a key in
// other ways. Most lookups of a key a layer's features lack, such as a
// label field in a file without names, end here without scanning the
// members.
func mayHold(raw []byte, key string) bool {
	if bytes.IndexByte(raw, '\\') >= 0 {
		return true
	}
	for from := 0; from <= len(raw); {
		i := bytes.Index(raw[from:], []byte(key))
		if i < 0 {
			return false
		}
		i += from
		if i > 0 && raw[i-1] == '"' && i+len(key) < len(raw) && raw[i+len(key)] == '"' {
			return true
		}
		from = i + 1
	}
	return false
}

// String returns a key's value as text: strings as they are, numbers in
// their shortest form, booleans as true/false; "" when absent or null.
func (p Properties) String(key string) string {
	if p.m != nil {
		return FormatValue(p.m[key])
	}
	s, ok := p.find(key)
	if !ok {
		return ""
	}
	switch s.Kind() {
	case jsonscan.String:
		text, err := s.ReadString()
		if err != nil {
			return ""
		}
		return string(text)
	case jsonscan.Number:
		f, err := s.ReadNumber()
		if err != nil {
			return ""
		}
		return FormatValue(f)
	default:
		v, err := s.ReadValue()
		if err != nil {
			return ""
		}
		return FormatValue(v)
	}
}

// Number returns a key's value if it is a number. It does not allocate.
func (p Properties) Number(key string) (float64, bool) {
	if p.m != nil {
		f, ok := p.m[key].(float64)
		return f, ok
	}
	s, ok := p.find(key)
	if !ok || s.Kind() != jsonscan.Number {
		return 0, false
	}
	f, err := s.ReadNumber()
	return f, err == nil
}

// Map returns all properties as a new map.
func (p Properties) Map() map[string]any {
	out := make(map[string]any, len(p.m))
	if p.m != nil {
		for k, v := range p.m {
			out[k] = v
		}
		return out
	}
	p.members(func(key []byte, s *jsonscan.Scanner) bool {
		k := string(key)
		v, err := s.ReadValue()
		if err != nil {
			return false
		}
		if _, dup := out[k]; !dup {
			out[k] = v
		}
		return true
	})
	return out
}

// Keys returns the property names, sorted.
func (p Properties) Keys() []string {
	var keys []string
	if p.m != nil {
		keys = make([]string, 0, len(p.m))
		for k := range p.m {
			keys = append(keys, k)
		}
	} else {
		p.members(func(key []byte, s *jsonscan.Scanner) bool {
			keys = append(keys, string(key))
			return s.Skip() == nil
		})
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// each calls fn with every key and the type of its value, once per key.
func (p Properties) each(fn func(key string, t FieldType)) {
	if p.m != nil {
		for k, v := range p.m {
			fn(k, typeOf(v))
		}
		return
	}
	seen := map[string]bool{}
	p.members(func(key []byte, s *jsonscan.Scanner) bool {
		t := FieldNull
		switch s.Kind() {
		case jsonscan.String:
			t = FieldString
		case jsonscan.Number:
			t = FieldNumber
		case jsonscan.Bool:
			t = FieldBool
		case jsonscan.Array:
			t = FieldArray
		case jsonscan.Object:
			t = FieldObject
		}
		if k := string(key); !seen[k] {
			seen[k] = true
			fn(k, t)
		}
		return s.Skip() == nil
	})
}

// typeOf returns the field type of a decoded JSON value.
func typeOf(v any) FieldType {
	switch v.(type) {
	case string:
		return FieldString
	case float64, int, int64:
		return FieldNumber
	case bool:
		return FieldBool
	case []any:
		return FieldArray
	case map[string]any:
		return FieldObject
	case nil:
		return FieldNull
	default:
		return FieldMixed
	}
}

// members calls read for each member of the raw object with the scanner
// at the member's value, which read must consume, until read returns
// false or the object ends.
func (p Properties) members(read func(key []byte, s *jsonscan.Scanner) bool) {
	s := jsonscan.New(p.raw)
	if len(p.raw) == 0 || s.EnterObject() != nil {
		return
	}
	for {
		key, ok, err := s.NextKey()
		if err != nil || !ok || !read(key, &s) {
			return
		}
	}
}

// MarshalJSON writes the properties as a JSON object.
func (p Properties) MarshalJSON() ([]byte, error) {
	if p.m == nil && len(p.raw) > 0 {
		return p.raw, nil
	}
	if p.m == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(p.m)
}

// FormatValue renders a property value as text for labels and tables.
func FormatValue(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(b)
	}
}
