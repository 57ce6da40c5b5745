package layer_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/layer"
)

const rawProperties = `{
	"name": "Aral \"Sea\"",
	"name_ru": "\u0410\u0440\u0430\u043b",
	"emoji": "\ud83c\udf0a",
	"area_km2": 6.899e4,
	"depth": -12,
	"protected": true,
	"year": null,
	"tags": ["lake", 1, false],
	"source": {"org": "NE", "scale": 10},
	"na\u006De": "escaped key",
	"depth": 99
}`

// bothForms returns the same properties wrapped from raw JSON and from the
// map encoding/json decodes it to.
func bothForms(t *testing.T, raw string) map[string]layer.Properties {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatal(err)
	}
	// encoding/json keeps the last of a duplicated key, Properties the first.
	m["depth"], m["name"] = -12.0, `Aral "Sea"`
	return map[string]layer.Properties{
		"json": layer.PropertiesFromJSON([]byte(raw)),
		"map":  layer.PropertiesFromMap(m),
	}
}

func TestProperties_Get(t *testing.T) {
	tests := map[string]struct {
		key  string
		want any
		ok   bool
	}{
		"escaped string":      {"name", `Aral "Sea"`, true},
		"unicode escapes":     {"name_ru", "Арал", true},
		"surrogate pair":      {"emoji", "🌊", true},
		"number":              {"area_km2", 68990.0, true},
		"first duplicate":     {"depth", -12.0, true},
		"bool":                {"protected", true, true},
		"null":                {"year", nil, true},
		"array":               {"tags", []any{"lake", 1.0, false}, true},
		"object":              {"source", map[string]any{"org": "NE", "scale": 10.0}, true},
		"missing":             {"population", nil, false},
		"prefix of a key":     {"nam", nil, false},
		"key with extra char": {"names", nil, false},
	}
	for form, p := range bothForms(t, rawProperties) {
		for name, tt := range tests {
			t.Run(form+"/"+name, func(t *testing.T) {
				got, ok := p.Get(tt.key)
				if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
					t.Errorf("Get(%q) = %#v, %v; want %#v, %v", tt.key, got, ok, tt.want, tt.ok)
				}
			})
		}
	}
}

func TestProperties_String(t *testing.T) {
	tests := map[string]struct {
		key, want string
	}{
		"string":          {"name", `Aral "Sea"`},
		"unicode":         {"name_ru", "Арал"},
		"float":           {"area_km2", "68990"},
		"negative number": {"depth", "-12"},
		"bool":            {"protected", "true"},
		"null":            {"year", ""},
		"missing":         {"population", ""},
		"array":           {"tags", `["lake",1,false]`},
		"object":          {"source", `{"org":"NE","scale":10}`},
	}
	for form, p := range bothForms(t, rawProperties) {
		for name, tt := range tests {
			t.Run(form+"/"+name, func(t *testing.T) {
				if got := p.String(tt.key); got != tt.want {
					t.Errorf("String(%q) = %q, want %q", tt.key, got, tt.want)
				}
			})
		}
	}
}

func TestProperties_Number(t *testing.T) {
	tests := map[string]struct {
		key  string
		want float64
		ok   bool
	}{
		"float":   {"area_km2", 68990, true},
		"integer": {"depth", -12, true},
		"string":  {"name", 0, false},
		"bool":    {"protected", 0, false},
		"null":    {"year", 0, false},
		"missing": {"population", 0, false},
	}
	for form, p := range bothForms(t, rawProperties) {
		for name, tt := range tests {
			t.Run(form+"/"+name, func(t *testing.T) {
				got, ok := p.Number(tt.key)
				if got != tt.want || ok != tt.ok {
					t.Errorf("Number(%q) = %v, %v; want %v, %v", tt.key, got, ok, tt.want, tt.ok)
				}
			})
		}
	}
}

func TestProperties_NumberDoesNotAllocate(t *testing.T) {
	p := layer.PropertiesFromJSON([]byte(`{"uid":1,"cat":3,"value":0.5}`))
	allocs := testing.AllocsPerRun(100, func() {
		if v, ok := p.Number("value"); !ok || v != 0.5 {
			t.Fatalf("Number = %v, %v", v, ok)
		}
	})
	if allocs != 0 {
		t.Errorf("Number allocates %v times, want 0", allocs)
	}
}

func TestProperties_MapAndKeys(t *testing.T) {
	forms := bothForms(t, rawProperties)
	want := forms["map"].Map()
	if got := forms["json"].Map(); !reflect.DeepEqual(got, want) {
		t.Errorf("Map from JSON = %#v\nwant %#v", got, want)
	}
	wantKeys := []string{"area_km2", "depth", "emoji", "name", "name_ru", "protected", "source", "tags", "year"}
	for form, p := range forms {
		if got := p.Keys(); !reflect.DeepEqual(got, wantKeys) {
			t.Errorf("%s: Keys = %q, want %q", form, got, wantKeys)
		}
	}
	m := forms["map"].Map()
	m["added"] = 1.0
	if _, ok := forms["map"].Get("added"); ok {
		t.Error("Map returned the wrapped map, not a copy")
	}
}

func TestProperties_empty(t *testing.T) {
	tests := map[string]struct {
		p     layer.Properties
		empty bool
		json  string
		keys  []string
	}{
		"zero":         {layer.Properties{}, true, `{}`, []string{}},
		"nil raw":      {layer.PropertiesFromJSON(nil), true, `{}`, []string{}},
		"null":         {layer.PropertiesFromJSON([]byte(" null ")), true, `{}`, []string{}},
		"empty object": {layer.PropertiesFromJSON([]byte(" { } ")), true, `{}`, []string{}},
		"nil map":      {layer.PropertiesFromMap(nil), true, `{}`, []string{}},
		"empty map":    {layer.PropertiesFromMap(map[string]any{}), true, `{}`, []string{}},
		"raw":          {layer.PropertiesFromJSON([]byte(` {"a":1} `)), false, `{"a":1}`, []string{"a"}},
		"map":          {layer.PropertiesFromMap(map[string]any{"a": 1.0}), false, `{"a":1}`, []string{"a"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := tt.p.IsEmpty(); got != tt.empty {
				t.Errorf("IsEmpty = %v, want %v", got, tt.empty)
			}
			b, err := tt.p.MarshalJSON()
			if err != nil || string(b) != tt.json {
				t.Errorf("MarshalJSON = %s, %v; want %s", b, err, tt.json)
			}
			if _, ok := tt.p.Get("b"); ok {
				t.Error(`Get("b") found a value`)
			}
			if got := tt.p.Keys(); !slices.Equal(got, tt.keys) {
				t.Errorf("Keys = %q, want %q", got, tt.keys)
			}
		})
	}
}

func TestProperties_malformedJSON(t *testing.T) {
	tests := map[string]struct {
		raw  string
		want map[string]any
	}{
		"not an object":   {`[1,2]`, map[string]any{}},
		"truncated":       {`{"a":1,"b":"x`, map[string]any{"a": 1.0}},
		"bad value":       {`{"a":1,"b":tru,"c":3}`, map[string]any{"a": 1.0}},
		"missing a comma": {`{"a":1 "b":2}`, map[string]any{"a": 1.0}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			p := layer.PropertiesFromJSON([]byte(tt.raw))
			if got := p.Map(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Map = %#v, want %#v", got, tt.want)
			}
			for _, key := range []string{"b", "c"} {
				if v, ok := p.Get(key); ok {
					t.Errorf("Get(%q) = %v, want absent", key, v)
				}
			}
		})
	}
}

func TestFormatValue(t *testing.T) {
	tests := map[string]struct {
		v    any
		want string
	}{
		"nil":         {nil, ""},
		"string":      {"Арал", "Арал"},
		"integral":    {1e6, "1000000"},
		"fraction":    {0.1, "0.1"},
		"bool":        {false, "false"},
		"slice":       {[]any{"a", 1.0}, `["a",1]`},
		"unencodable": {func() {}, ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := layer.FormatValue(tt.v); got != tt.want {
				t.Errorf("FormatValue(%#v) = %q, want %q", tt.v, got, tt.want)
			}
		})
	}
}

func BenchmarkProperties_Number(b *testing.B) {
	p := layer.PropertiesFromJSON([]byte(`{"uid":1,"cat":3,"value":0.5}`))
	for b.Loop() {
		if _, ok := p.Number("value"); !ok {
			b.Fatal("value not found")
		}
	}
}

func TestProperties_lookupsOfAbsentKeys(t *testing.T) {
	tests := map[string]struct {
		raw, key string
		want     string
	}{
		"absent":                   {`{"uid":1,"cat":2}`, "name", ""},
		"present":                  {`{"uid":1,"name":"Aral"}`, "name", "Aral"},
		"only in a value":          {`{"title":"name"}`, "name", ""},
		"only inside a longer key": {`{"name_ru":"Арал"}`, "name", ""},
		"escaped key":              {`{"n\u0061me":"Aral"}`, "name", "Aral"},
		"empty key":                {`{"":"blank"}`, "", "blank"},
		"key at the very end":      {`{"a":"name"}`, "name", ""},
	}
	for name, tt := range tests {
		if got := layer.PropertiesFromJSON([]byte(tt.raw)).String(tt.key); got != tt.want {
			t.Errorf("%s: String(%q) = %q, want %q", name, tt.key, got, tt.want)
		}
	}
}

func BenchmarkProperties_absentKey(b *testing.B) {
	p := layer.PropertiesFromJSON([]byte(`{"uid":123456,"cat":3,"value":512.25}`))
	for b.Loop() {
		if p.String("name") != "" {
			b.Fatal("found")
		}
	}
}
