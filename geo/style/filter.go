package style

import (
	"fmt"
	"slices"
	"strings"
)

// Filter selects features by their properties. In JSON:
//
//	{"field": "type", "in": ["tailings_storage", "uranium_legacy"]}
//	{"field": "scalerank", "lte": 3}
//	{"field": "approximate", "eq": true}
//	{"field": "commodity", "in": ["gold", "zinc"], "split": ","}
//	{"all": [ ... ]}, {"any": [ ... ]}, {"not": { ... }}
//
// A comparison on a missing property is false (so "not" of it is true).
// A property whose value is an array (a protected area's countries, say)
// passes "eq" and "in" when one of its items does; with "split", a text
// property is read as such a list, cut at the separator and each item
// trimmed of spaces (see SplitList).
type Filter struct {
	Field string `json:"field,omitempty"`
	Eq    any    `json:"eq,omitempty"`
	In    []any  `json:"in,omitempty"`
	// Split is the separator of a text property read as a list.
	Split string   `json:"split,omitempty"`
	Lt    *float64 `json:"lt,omitempty"`
	Lte   *float64 `json:"lte,omitempty"`
	Gt    *float64 `json:"gt,omitempty"`
	Gte   *float64 `json:"gte,omitempty"`
	All   []Filter `json:"all,omitempty"`
	Any   []Filter `json:"any,omitempty"`
	Not   *Filter  `json:"not,omitempty"`
}

// Match reports whether a feature's attributes pass the filter. A nil
// filter matches everything.
func (f *Filter) Match(attrs Attributes) bool {
	if f == nil {
		return true
	}
	for i := range f.All {
		if !f.All[i].Match(attrs) {
			return false
		}
	}
	if len(f.Any) > 0 && !slices.ContainsFunc(f.Any, func(g Filter) bool { return g.Match(attrs) }) {
		return false
	}
	if f.Not != nil && f.Not.Match(attrs) {
		return false
	}
	if f.Field == "" {
		return true
	}
	v, ok := attrs.Get(f.Field)
	if !ok {
		return false
	}
	if (f.Eq != nil || f.In != nil) && !slices.ContainsFunc(f.items(v), f.passes) {
		return false
	}
	if f.Lt != nil || f.Lte != nil || f.Gt != nil || f.Gte != nil {
		n, isNum := v.(float64)
		if !isNum {
			return false
		}
		if (f.Lt != nil && !(n < *f.Lt)) || (f.Lte != nil && !(n <= *f.Lte)) ||
			(f.Gt != nil && !(n > *f.Gt)) || (f.Gte != nil && !(n >= *f.Gte)) {
			return false
		}
	}
	return true
}

// items returns the values a property's value stands for: the items of an
// array, the parts of a text cut at Split, or the value itself.
func (f *Filter) items(v any) []any {
	switch v := v.(type) {
	case []any:
		return v
	case string:
		if f.Split == "" {
			break
		}
		parts := SplitList(v, f.Split)
		out := make([]any, len(parts))
		for i, p := range parts {
			out[i] = p
		}
		return out
	}
	return []any{v}
}

// SplitList cuts a text holding a list at the separators that are not
// inside brackets, and trims the items of spaces, leaving out empty ones:
// "copper, gold" holds "copper" and "gold", "ores (mixed, partly
// radioactive), gold" holds "ores (mixed, partly radioactive)" and "gold".
func SplitList(text, sep string) []string {
	var out []string
	add := func(item string) {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	depth, start := 0, 0
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '(' || c == '[':
			depth++
		case (c == ')' || c == ']') && depth > 0:
			depth--
		case depth == 0 && sep != "" && strings.HasPrefix(text[i:], sep):
			add(text[start:i])
			start = i + len(sep)
			i += len(sep) - 1
		}
	}
	add(text[start:])
	return out
}

// passes reports whether one value passes the filter's eq and in tests.
func (f *Filter) passes(v any) bool {
	if f.Eq != nil && !equal(v, f.Eq) {
		return false
	}
	return f.In == nil || slices.ContainsFunc(f.In, func(w any) bool { return equal(v, w) })
}

// equal compares a property value with a filter literal; numbers compare
// by value whatever their Go type, and arrays and objects equal nothing.
func equal(v, w any) bool {
	if a, ok := toFloat(v); ok {
		b, ok := toFloat(w)
		return ok && a == b
	}
	switch v.(type) {
	case string, bool, nil:
		return v == w
	}
	return false
}

func toFloat(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case int:
		return float64(v), true
	}
	return 0, false
}

func (f *Filter) validate() error {
	if f == nil {
		return nil
	}
	hasTest := f.Eq != nil || f.In != nil || f.Lt != nil || f.Lte != nil || f.Gt != nil || f.Gte != nil
	if f.Field == "" && hasTest {
		return fmt.Errorf("filter compares without a \"field\"")
	}
	if f.Split != "" && f.Eq == nil && f.In == nil {
		return fmt.Errorf("filter on %q splits its value but has no eq or in test", f.Field)
	}
	if f.Field != "" && !hasTest {
		return fmt.Errorf("filter on %q has no test (eq, in, lt, lte, gt or gte)", f.Field)
	}
	for i := range f.All {
		if err := f.All[i].validate(); err != nil {
			return err
		}
	}
	for i := range f.Any {
		if err := f.Any[i].validate(); err != nil {
			return err
		}
	}
	return f.Not.validate()
}
