package style_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/style"
)

// parseFilter reads a filter through a whole style, as the app does.
func parseFilter(t *testing.T, js string) *style.Filter {
	t.Helper()
	s, err := style.Parse([]byte(`{"sources":{"s":{"kind":"vector","path":"x"}},"layers":[{"id":"l","source":"s","filter":` + js + `,"rules":[]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	return s.Layers[0].Filter
}

func TestFilter_Match_listsAndArrays(t *testing.T) {
	site := attrs{
		"commodity": "copper, molybdenum,gold",
		"ores":      "uranium (mixed, partly radioactive), gold",
		"country":   []any{"KAZ", "KGZ", "UZB"},
		"nested":    []any{[]any{"KAZ"}},
		"type":      "tailings_storage",
	}
	for js, want := range map[string]bool{
		`{"field":"country","eq":"KGZ"}`:                            true,
		`{"field":"country","in":["TJK","UZB"]}`:                    true,
		`{"field":"country","in":["TJK","TKM"]}`:                    false,
		`{"not":{"field":"country","eq":"KAZ"}}`:                    false,
		`{"field":"commodity","in":["gold"],"split":","}`:           true,
		`{"field":"commodity","eq":"molybdenum","split":","}`:       true,
		`{"field":"commodity","eq":"zinc","split":","}`:             false,
		`{"field":"commodity","in":["gold"]}`:                       false,
		`{"field":"commodity","eq":"copper, molybdenum,gold"}`:      true,
		`{"field":"type","in":["tailings_storage"],"split":","}`:    true,
		`{"field":"nested","eq":["KAZ"]}`:                           false,
		`{"field":"country","eq":["KAZ","KGZ","UZB"]}`:              false,
		`{"field":"commodity","in":["copper","zinc"],"split":", "}`: true,
		`{"field":"ores","eq":"gold","split":","}`:                  true,
		`{"field":"ores","eq":"partly radioactive)","split":","}`:   false,
	} {
		if got := parseFilter(t, js).Match(site); got != want {
			t.Errorf("%s: Match = %v, want %v", js, got, want)
		}
	}
}

func TestFilter_splitNeedsATest(t *testing.T) {
	_, err := style.Parse([]byte(`{"sources":{"s":{"kind":"vector","path":"x"}},"layers":[{"id":"l","source":"s","filter":{"field":"commodity","split":",","gt":1},"rules":[]}]}`))
	if err == nil || !strings.Contains(err.Error(), "splits") {
		t.Errorf("a split without eq or in: err = %v, want one that says the filter splits without a test", err)
	}
}

func TestSplitList(t *testing.T) {
	for _, tc := range []struct {
		text, sep string
		want      []string
	}{
		{"copper, molybdenum,gold", ",", []string{"copper", "molybdenum", "gold"}},
		{"uranium and other ores (mixed, partly radioactive)", ",", []string{"uranium and other ores (mixed, partly radioactive)"}},
		{"iodine, bromine (radium-bearing, NORM) , gold", ",", []string{"iodine", "bromine (radium-bearing, NORM)", "gold"}},
		{"lead;; zinc", ";", []string{"lead", "zinc"}},
		{"a) b, c", ",", []string{"a) b", "c"}},
		{"a - b - c", " - ", []string{"a", "b", "c"}},
		{"", ",", nil},
	} {
		if got := style.SplitList(tc.text, tc.sep); !slices.Equal(got, tc.want) {
			t.Errorf("SplitList(%q, %q) = %q, want %q", tc.text, tc.sep, got, tc.want)
		}
	}
}
