package style_test

import (
	"math"
	"os"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/style"
)

type attrs map[string]any

func (a attrs) Get(k string) (any, bool) { v, ok := a[k]; return v, ok }

func TestParseColor(t *testing.T) {
	for in, want := range map[string]style.Color{
		"#abc":                  {0xaa, 0xbb, 0xcc, 0xff},
		"#1f4e79":               {0x1f, 0x4e, 0x79, 0xff},
		"#1f4e7980":             {0x1f, 0x4e, 0x79, 0x80},
		"rgba(255, 0, 10, 0.5)": {255, 0, 10, 128},
	} {
		got, err := style.ParseColor(in)
		if err != nil || got != want {
			t.Errorf("ParseColor(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "#12", "#gggggg", "rgb(1,2,3)", "rgba(1,2,x,1)"} {
		if _, err := style.ParseColor(bad); err == nil {
			t.Errorf("ParseColor(%q) accepted a malformed colour", bad)
		}
	}
}

func TestNumber_Eval(t *testing.T) {
	for name, tc := range map[string]struct {
		json  string
		zoom  float64
		attrs attrs
		want  float64
	}{
		"constant":         {`2.5`, 7, nil, 2.5},
		"zoom below":       {`{"by":"zoom","stops":[[4,1],[8,3]]}`, 2, nil, 1},
		"zoom between":     {`{"by":"zoom","stops":[[4,1],[8,3]]}`, 6, nil, 2},
		"zoom above":       {`{"by":"zoom","stops":[[4,1],[8,3]]}`, 12, nil, 3},
		"property linear":  {`{"by":"scalerank","stops":[[0,3],[10,1]]}`, 5, attrs{"scalerank": 5.0}, 2},
		"property log":     {`{"by":"pop","log":true,"stops":[[1000,2],[100000,6]]}`, 5, attrs{"pop": 10000.0}, 4},
		"property missing": {`{"by":"pop","stops":[[1,2],[10,6]]}`, 5, attrs{}, 2},
		"property not num": {`{"by":"pop","stops":[[1,2],[10,6]]}`, 5, attrs{"pop": "many"}, 2},
	} {
		t.Run(name, func(t *testing.T) {
			var n style.Number
			if err := n.UnmarshalJSON([]byte(tc.json)); err != nil {
				t.Fatal(err)
			}
			var a style.Attributes
			if tc.attrs != nil {
				a = tc.attrs
			}
			if got := n.Eval(tc.zoom, a); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("Eval = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestNumber_rejectsBadStops(t *testing.T) {
	for name, js := range map[string]string{
		"no by":         `{"stops":[[1,2]]}`,
		"no stops":      `{"by":"zoom"}`,
		"decreasing":    `{"by":"zoom","stops":[[5,1],[4,2]]}`,
		"log of zero":   `{"by":"pop","log":true,"stops":[[0,1],[4,2]]}`,
		"not an object": `"big"`,
	} {
		var n style.Number
		if err := n.UnmarshalJSON([]byte(js)); err == nil {
			t.Errorf("%s: %s was accepted", name, js)
		}
	}
}

func TestFilter_Match(t *testing.T) {
	f := func(js string) *style.Filter {
		t.Helper()
		s, err := style.Parse([]byte(`{"sources":{"s":{"kind":"vector","path":"x"}},"layers":[{"id":"l","source":"s","filter":` + js + `,"rules":[]}]}`))
		if err != nil {
			t.Fatal(err)
		}
		return s.Layers[0].Filter
	}
	feature := attrs{"type": "uranium_legacy", "scalerank": 3.0, "approximate": true}
	for js, want := range map[string]bool{
		`{"field":"type","eq":"uranium_legacy"}`:                            true,
		`{"field":"type","in":["industrial","landfill"]}`:                   false,
		`{"field":"scalerank","lte":3}`:                                     true,
		`{"field":"scalerank","gt":3}`:                                      false,
		`{"field":"approximate","eq":true}`:                                 true,
		`{"field":"missing","eq":1}`:                                        false,
		`{"not":{"field":"missing","eq":1}}`:                                true,
		`{"all":[{"field":"scalerank","gte":1},{"field":"type","eq":"x"}]}`: false,
		`{"any":[{"field":"scalerank","gte":1},{"field":"type","eq":"x"}]}`: true,
		`{"field":"type","lt":5}`:                                           false,
	} {
		if got := f(js).Match(feature); got != want {
			t.Errorf("%s: Match = %v, want %v", js, got, want)
		}
	}
}

func TestParse_errorsNameTheProblem(t *testing.T) {
	for name, tc := range map[string]struct{ json, want string }{
		"syntax":         {"{\n  \"layers\": [,]\n}", "line 2"},
		"unknown field":  {`{"layerz":[]}`, "layerz"},
		"missing source": {`{"sources":{},"layers":[{"id":"a","source":"nope","rules":[]}]}`, `source "nope" is not defined`},
		"duplicate id":   {`{"sources":{"s":{"kind":"vector","path":"p"}},"layers":[{"id":"a","source":"s","rules":[]},{"id":"a","source":"s","rules":[]}]}`, `"a" is used twice`},
		"bad opacity":    {`{"sources":{"s":{"kind":"vector","path":"p"}},"layers":[{"id":"a","source":"s","opacity":2,"rules":[]}]}`, "opacity 2"},
		"bad kind":       {`{"sources":{"s":{"kind":"raster","path":"p"}},"layers":[]}`, `kind "raster"`},
		"filter no test": {`{"sources":{"s":{"kind":"vector","path":"p"}},"layers":[{"id":"a","source":"s","rules":[{"filter":{"field":"x"}}]}]}`, "no test"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := style.Parse([]byte(tc.json))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestLayer_RuleFor_firstMatchWins(t *testing.T) {
	s, err := style.Parse([]byte(`{"sources":{"s":{"kind":"vector","path":"p"}},"layers":[{"id":"a","source":"s","rules":[
		{"legend":"big","filter":{"field":"rank","lte":2},"minzoom":3},
		{"legend":"any"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	l := &s.Layers[0]
	if r := l.RuleFor(5, attrs{"rank": 1.0}); r == nil || r.Legend != "big" {
		t.Errorf("rank 1 at z5 got %+v, want the first rule", r)
	}
	if r := l.RuleFor(2, attrs{"rank": 1.0}); r == nil || r.Legend != "any" {
		t.Errorf("rank 1 at z2 got %+v, want the fallback (first rule starts at z3)", r)
	}
	if l.Opacity != 1 || l.MaxZoom != 24 {
		t.Errorf("defaults not filled: opacity %v maxzoom %v", l.Opacity, l.MaxZoom)
	}
}

func TestParse_defaultStyle(t *testing.T) {
	data, err := os.ReadFile("../../assets/style.json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := style.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Layers) < 15 {
		t.Errorf("default style has %d layers, want every embedded layer", len(s.Layers))
	}
	approx := false
	for _, l := range s.Layers {
		for _, r := range l.Rules {
			if r.Filter != nil && r.Filter.Field == "approximate" && r.Stroke != nil && len(r.Stroke.Dash) > 0 {
				approx = true
			}
		}
	}
	if !approx {
		t.Error("approximate basins must be drawn dashed")
	}
}
