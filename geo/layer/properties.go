package layer

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
)

// Properties are a feature's attributes. Decoders of JSON formats keep the
// raw JSON object and decode a value only when it is asked for, which is
// what lets a million-feature file load without a million maps; edits and
// other formats build Properties from a map.
//
// JSON values come back as Go values the way encoding/json decodes into
// an interface: float64, string, bool, nil, []any and map[string]any.
type Properties struct {
	raw []byte
	m   map[string]any
}

// PropertiesFromJSON wraps a raw JSON object. The slice is kept, not
// copied; a nil, empty or "null" slice gives empty properties.
func PropertiesFromJSON(raw []byte) Properties {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return Properties{}
	}
	return Properties{raw: raw}
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
	if len(p.raw) == 0 {
		return nil, false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(p.raw, &m) != nil {
		return nil, false
	}
	r, ok := m[key]
	if !ok {
		return nil, false
	}
	var v any
	if json.Unmarshal(r, &v) != nil {
		return nil, false
	}
	return v, true
}

// String returns a key's value as text: strings as they are, numbers in
// their shortest form, booleans as true/false; "" when absent or null.
func (p Properties) String(key string) string {
	v, ok := p.Get(key)
	if !ok {
		return ""
	}
	return FormatValue(v)
}

// Number returns a key's value if it is a number.
func (p Properties) Number(key string) (float64, bool) {
	v, ok := p.Get(key)
	if !ok {
		return 0, false
	}
	f, ok := v.(float64)
	return f, ok
}

// Map returns all properties as a new map.
func (p Properties) Map() map[string]any {
	if p.m != nil {
		out := make(map[string]any, len(p.m))
		for k, v := range p.m {
			out[k] = v
		}
		return out
	}
	out := map[string]any{}
	if len(p.raw) > 0 {
		_ = json.Unmarshal(p.raw, &out)
	}
	return out
}

// Keys returns the property names, sorted.
func (p Properties) Keys() []string {
	m := p.Map()
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
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
