package query_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/assets"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/query"
	"github.com/ecoatlas/ecoatlas/geo/style"
)

func TestParseDictionary_rejects(t *testing.T) {
	for name, tc := range map[string]struct{ from, to, want string }{
		"missing translation": {`"Kind"}`, `"Kind", "ru": ""}`, ""},
		"unknown unit":        {`"fields": {"kind": {"label": {"en": "Kind"}}}`, `"fields": {"kind": {"label": {"en": "Kind"}, "unit": "furlong"}}`, `unit "furlong"`},
		"unknown member":      {`"names": "name",`, `"names": "name", "colour": "red",`, "colour"},
		"missing term":        {`"yes": {"en": "yes"}, `, ``, `"yes" is missing`},
		"no names field":      {`"names": "name",`, `"names": "",`, "names"},
		"value without words": {`"fields": {"kind": {"label": {"en": "Kind"}}}`, `"fields": {"kind": {"label": {"en": "Kind"}, "values": {"a": {"text": {}}}}}`, "fields.kind.values.a"},
		"half a comparison":   {`"layers":`, `"comparisons": {"x": {"layer": "points"}}, "layers":`, "comparisons.x"},
		"syntax":              {`"languages"`, `"languages`, ""},
	} {
		t.Run(name, func(t *testing.T) {
			js := strings.Replace(testDictionary, tc.from, tc.to, 1)
			if name == "missing translation" {
				js = strings.Replace(js, `"languages": ["en"]`, `"languages": ["en", "ru"]`, 1)
				js = strings.Replace(js, `"numbers": {"en": {"decimal": ".", "group": ","}}`, `"numbers": {"en": {"decimal": ".", "group": ","}, "ru": {"decimal": ",", "group": " "}}`, 1)
			}
			if js == testDictionary {
				t.Fatalf("the test's replacement of %q did not apply", tc.from)
			}
			_, err := query.ParseDictionary([]byte(js))
			if !errors.Is(err, query.ErrDictionary) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want ErrDictionary saying %q", err, tc.want)
			}
		})
	}
}

func TestNew_checksTheDictionaryLayers(t *testing.T) {
	st, err := style.Parse([]byte(testStyle))
	if err != nil {
		t.Fatal(err)
	}
	js := strings.Replace(testDictionary, `"layers":`, `"context": [{"term": "basin", "layer": "basins"}], "layers":`, 1)
	d, err := query.ParseDictionary([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := query.New(&atlas.Atlas{Style: st, Sources: map[string]*atlas.Source{}}, d); !errors.Is(err, query.ErrDictionary) || !strings.Contains(err.Error(), "basins") {
		t.Errorf("a context layer missing from the style: %v, want ErrDictionary naming it", err)
	}
}

// TestDictionary_describesTheCuratedData checks that every property of
// the declaration's layers is in the dictionary, so that no identify
// panel shows a raw field name, and that every facet is.
func TestDictionary_describesTheCuratedData(t *testing.T) {
	e := engine(t)
	d := e.Dictionary()
	for _, id := range []string{"tailings", "pollution", "protected_areas", "protected_areas_outlines", "basins", "aral_shorelines"} {
		l, _ := e.Atlas().Style.Layer(id)
		for _, field := range e.Atlas().Sources[l.Source].Vector.Schema() {
			if field.Name == d.Names || strings.HasPrefix(field.Name, d.Names+"_") {
				continue
			}
			if d.Fields[field.Name] == nil {
				t.Errorf("layer %s: property %q is not in the dictionary", id, field.Name)
			}
		}
	}
	for id, info := range d.Layers {
		if _, ok := e.Atlas().Style.Layer(id); !ok {
			t.Errorf("the dictionary's layer %q is not in the style", id)
		}
		for _, f := range info.Facets {
			if fd := d.Fields[f]; fd == nil || fd.Hidden {
				t.Errorf("layer %s: facet %q is not a described field", id, f)
			}
		}
	}
	if _, err := query.ParseDictionary(assets.Dictionary); err != nil {
		t.Errorf("the embedded dictionary: %v", err)
	}
}

func TestDescribe_numbersInTheLanguage(t *testing.T) {
	e := engine(t)
	for lang, want := range map[string]map[string]string{
		"en": {"area_ha": "630 ha"},
		"ru": {"area_ha": "630 га"},
	} {
		d, err := e.Describe(context.Background(), query.Ref{Layer: "tailings", ID: "uz-navoi-tailings"}, lang)
		if err != nil {
			t.Fatal(err)
		}
		for key, w := range want {
			if got := row(t, d.Attributes, key).Value; got != w {
				t.Errorf("%s: %s = %q, want %q", lang, key, got, w)
			}
		}
	}
	for lang, want := range map[string]string{"en": "5431.71 km²", "ru": "5431,71 км²"} {
		d, err := e.Describe(context.Background(), query.Ref{Layer: "protected_areas", ID: "kz-korgalzhyn-snr"}, lang)
		if err != nil {
			t.Fatal(err)
		}
		if got := row(t, d.Attributes, "area_km2").Value; got != want {
			t.Errorf("%s: area_km2 = %q, want %q", lang, got, want)
		}
		if got := row(t, d.Attributes, "established").Value; got != "1968" {
			t.Errorf("%s: established = %q, want 1968", lang, got)
		}
	}
}

// TestFeatureWithoutGeometry: a feature whose geometry is null (GeoJSON
// allows it) is described, and never found, hit or counted.
func TestFeatureWithoutGeometry(t *testing.T) {
	e := testEngine(t)
	d, err := e.Describe(context.Background(), query.Ref{Layer: "points", ID: "ghost"}, "en")
	if err != nil || d.Name != "Ghost" || len(d.Facts) != 0 {
		t.Errorf("Describe of a feature without geometry: %+v, %v", d, err)
	}
	if got := e.Search("Ghost", query.SearchOptions{}); len(got) != 0 {
		t.Errorf("Search found a feature the map cannot show: %v", got)
	}
}

func TestCompare_aral(t *testing.T) {
	e := engine(t)
	for lang, want := range map[string]string{"en": "72.7 % smaller: 49\u00a0210 km² lost", "ru": "меньше на 72,7 %: потеряно 49\u00a0210 км²"} {
		c, err := e.Compare("aral", lang)
		if err != nil {
			t.Fatal(err)
		}
		if c.LostText != want {
			t.Errorf("%s: %q, want %q", lang, c.LostText, want)
		}
		if got := 100 * (c.Then.Area - c.Now.Area) / c.Then.Area; math.Abs(got-c.LostPercent) > 1e-9 {
			t.Errorf("loss %v %%, want %v %%", c.LostPercent, got)
		}
		for _, o := range []query.Outline{c.Then, c.Now} {
			f, _ := e.Lookup(o.Ref)
			if want := planimeterArea(t, f.Geometry); math.Abs(o.Area-want) > 1e-4*want {
				t.Errorf("%s: area %.0f m², Planimeter %.0f m²", o.Ref.ID, o.Area, want)
			}
		}
	}
	if _, err := e.Compare("caspian", "en"); !errors.Is(err, query.ErrNotFound) {
		t.Errorf("an unknown comparison: %v, want ErrNotFound", err)
	}
}

func TestMarks(t *testing.T) {
	e := testEngine(t)
	marks := e.Marks(nil, 8, query.Ref{Layer: "points", ID: "over"}, query.Ref{Layer: "areas", ID: "square"},
		query.Ref{Layer: "points", ID: "gone"}, query.Ref{Layer: "points", ID: "ghost"})
	if len(marks) != 2 {
		t.Fatalf("%d marks, want 2 (an unknown feature and one without geometry are left out)", len(marks))
	}
	if marks[0].Radius != 6 || marks[1].Radius != 0 {
		t.Errorf("radii %v and %v, want the point symbol's 6 px and none for a polygon", marks[0].Radius, marks[1].Radius)
	}
}

func FuzzParseDictionary(f *testing.F) {
	f.Add(assets.Dictionary)
	f.Add([]byte(testDictionary))
	f.Add([]byte(`{"languages": ["en"], "names": "name"}`))
	f.Add([]byte(`{"languages": [], "fields": {"a": null}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := query.ParseDictionary(data)
		if err != nil {
			if !errors.Is(err, query.ErrDictionary) {
				t.Fatalf("error %v does not wrap ErrDictionary", err)
			}
			return
		}
		if len(d.Languages) == 0 || d.Names == "" {
			t.Fatalf("accepted a dictionary without languages or names field: %+v", d)
		}
		for key, w := range d.Terms {
			for _, lang := range d.Languages {
				if strings.TrimSpace(w[lang]) == "" {
					t.Fatalf("accepted term %q without text in %q", key, lang)
				}
			}
		}
		for name, fd := range d.Fields {
			if fd == nil {
				t.Fatalf("accepted a null field %q", name)
			}
		}
	})
}
