package query_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/query"
)

func TestFilter_withAndValues(t *testing.T) {
	f := query.Filter{}.With("tailings", "country", "KGZ", "TJK").With("tailings", "type", "uranium_legacy")
	f2 := f.With("tailings", "country", "KAZ")
	if got := f.Values("tailings", "country"); !reflect.DeepEqual(got, []any{"KGZ", "TJK"}) {
		t.Errorf("With changed the filter it was called on: %v", got)
	}
	if got := f2.Values("tailings", "country"); !reflect.DeepEqual(got, []any{"KAZ"}) {
		t.Errorf("a second choice for a field: %v, want it to replace the first", got)
	}
	if f3 := f2.With("tailings", "country").With("tailings", "type"); !f3.IsZero() {
		t.Errorf("choosing no values left %v", f3)
	}
	data, err := json.Marshal(f2)
	if err != nil {
		t.Fatal(err)
	}
	var back query.Filter
	if err := json.Unmarshal(data, &back); err != nil || !reflect.DeepEqual(back, f2) {
		t.Errorf("JSON round trip: %s → %+v, %v", data, back, err)
	}
}

// TestApply_mapAndPartsFollow checks that an applied filter reaches the
// layer's own filter and the layers that are part of it, and leaves the
// engine's style alone.
func TestApply_mapAndPartsFollow(t *testing.T) {
	e := engine(t)
	st := e.Apply(nil, query.Filter{}.With("protected_areas", "country", "KGZ"))
	outlines, _ := st.Layer("protected_areas_outlines")
	points, _ := st.Layer("protected_areas")
	kaz := layer.PropertiesFromMap(map[string]any{"country": "KAZ", "designation": "national_park"})
	kgz := layer.PropertiesFromMap(map[string]any{"country": "KGZ", "id": "kg-x"})
	if outlines.Filter.Match(&kaz) {
		t.Error("a Kazakh outline passes a filter that shows Kyrgyz protected areas only")
	}
	if !points.Filter.Match(&kgz) {
		t.Error("a Kyrgyz point is filtered out")
	}
	transboundary := layer.PropertiesFromMap(map[string]any{"country": []any{"KAZ", "KGZ", "UZB"}, "id": "t"})
	if !points.Filter.Match(&transboundary) {
		t.Error("a protected area of Kazakhstan, Kyrgyzstan and Uzbekistan is hidden when Kyrgyzstan is chosen")
	}
	orig, _ := e.Atlas().Style.Layer("protected_areas_outlines")
	if orig.Filter != nil {
		t.Errorf("Apply changed the engine's style: %+v", orig.Filter)
	}
	commodity := e.Apply(nil, query.Filter{}.With("tailings", "commodity", "gold"))
	tl, _ := commodity.Layer("tailings")
	gold := layer.PropertiesFromMap(map[string]any{"type": "tailings_storage", "commodity": "copper, molybdenum, gold, lead, zinc"})
	if !tl.Filter.Match(&gold) {
		t.Error("a copper, molybdenum and gold mine is hidden when gold is chosen")
	}
}

func TestFacets(t *testing.T) {
	e := engine(t)
	facets, err := e.Facets("tailings", "ru")
	if err != nil {
		t.Fatal(err)
	}
	var fields []string
	for _, f := range facets {
		fields = append(fields, f.Field)
	}
	if want := []string{"type", "status", "country", "commodity", "hazard"}; !reflect.DeepEqual(fields, want) {
		t.Fatalf("facets %v, want %v", fields, want)
	}
	types := facets[0]
	if types.Label != "Тип" {
		t.Errorf("label %q, want Тип", types.Label)
	}
	total := 0
	for i, v := range types.Values {
		total += v.Count
		if i > 0 && v.Count > types.Values[i-1].Count {
			t.Errorf("facet values out of order: %v", types.Values)
		}
	}
	// The tailings layer draws tailings storage facilities and uranium
	// legacy sites: 12 and 9 in the file.
	if total != 21 || len(types.Values) != 2 || types.Values[0] != (query.FacetValue{Value: "tailings_storage", Text: "Хвостохранилище", Count: 12}) {
		t.Errorf("types %+v, want 12 tailings storage facilities and 9 uranium legacy sites", types.Values)
	}
	for _, v := range facets[3].Values {
		if v.Value == "gold" && v.Count != 5 {
			t.Errorf("gold is a commodity of %d tailings sites, want 5", v.Count)
		}
	}
	if _, err := e.Facets("no_such_layer", "en"); err == nil {
		t.Error("Facets of an unknown layer gave no error")
	}
}
