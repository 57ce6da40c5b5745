package query_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/geodesic"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/query"
	"github.com/paulmach/orb"
)

// layerFeatures returns, by brute force, the features of a source that a
// layer's filter lets through.
func layerFeatures(t *testing.T, e *query.Engine, layerID string) []*layer.Feature {
	t.Helper()
	l, ok := e.Atlas().Style.Layer(layerID)
	if !ok {
		t.Fatalf("no layer %q", layerID)
	}
	var out []*layer.Feature
	for f := range e.Atlas().Sources[l.Source].Vector.All() {
		if l.Filter.Match(&f.Properties) {
			out = append(out, f)
		}
	}
	return out
}

// inRings is the even-odd point-in-polygon test on lon/lat edges, as
// GEOS sees them.
func inRings(p orb.Point, g orb.Geometry) bool {
	var rings []orb.Ring
	switch g := g.(type) {
	case orb.Polygon:
		rings = g
	case orb.MultiPolygon:
		for _, poly := range g {
			rings = append(rings, poly...)
		}
	}
	in := false
	for _, r := range rings {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			if (r[i][1] > p[1]) != (r[j][1] > p[1]) && p[0] < (r[j][0]-r[i][0])*(p[1]-r[i][1])/(r[j][1]-r[i][1])+r[i][0] {
				in = !in
			}
		}
	}
	return in
}

func memberIDs(a *query.Answer) []string {
	var ids []string
	for _, m := range a.Members {
		ids = append(ids, m.Ref.ID)
	}
	return ids
}

// TestWithin_equalsBruteForce asks for the sites and protected areas in
// every basin and checks the answers against a plain point-in-polygon
// test of every feature.
func TestWithin_equalsBruteForce(t *testing.T) {
	e := engine(t)
	for _, basin := range layerFeatures(t, e, "basins") {
		for _, layerID := range []string{"tailings", "pollution", "protected_areas"} {
			a, err := e.WithinFeature(context.Background(), nil, layerID, query.Ref{Layer: "basins", ID: basin.ID}, "en")
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, f := range layerFeatures(t, e, layerID) {
				if inRings(f.Geometry.(orb.Point), basin.Geometry) {
					want = append(want, f.ID)
				}
			}
			if got := memberIDs(a); !slices.Equal(got, want) {
				t.Errorf("%s in %s: %v, brute force %v", layerID, basin.ID, got, want)
			}
			total := 0
			if len(a.Counts) > 0 {
				for _, v := range a.Counts[0].Values {
					total += v.Count
				}
			}
			if total != len(want) {
				t.Errorf("%s in %s: counts by %s add up to %d, want %d", layerID, basin.ID, a.Counts[0].Field, total, len(want))
			}
		}
	}
}

func TestWithin_kadjiSaiNotKumtor(t *testing.T) {
	e := engine(t)
	basin, err := e.FindIn("basins", "Issyk-Kul")
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.WithinFeature(context.Background(), nil, "tailings", basin, "en")
	if err != nil {
		t.Fatal(err)
	}
	ids := memberIDs(a)
	if !slices.Contains(ids, "kg-kadji-sai") || slices.Contains(ids, "kg-kumtor") {
		t.Errorf("tailings in the Issyk-Kul basin: %v, want Kadji-Sai and not Kumtor", ids)
	}
	if len(a.Counts) == 0 || a.Counts[0].Field != "type" {
		t.Fatalf("counts %v, want them by type first", a.Counts)
	}
}

func TestWithin_honoursTheFilter(t *testing.T) {
	e := engine(t)
	st := e.Apply(nil, query.Filter{}.With("tailings", "country", "KAZ"))
	basin, err := e.FindIn("basins", "Syr Darya")
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.WithinFeature(context.Background(), st, "tailings", basin, "en")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range a.Members {
		if c := m.Feature.Properties.String("country"); c != "KAZ" {
			t.Errorf("with only Kazakh sites shown, %s (%s) is in the answer", m.Ref.ID, c)
		}
	}
}

func TestWithin_linesAndPolygonsPartly(t *testing.T) {
	e := engine(t)
	a, err := e.WithinFeature(context.Background(), nil, "rivers", query.Ref{Layer: "basins", ID: "issyk-kul-basin-approx"}, "en")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range a.Members {
		if m.Ref.ID == "rivers.naryn" {
			t.Errorf("the Naryn is in the Issyk-Kul basin")
		}
	}
	b, err := e.WithinFeature(context.Background(), nil, "rivers", query.Ref{Layer: "basins", ID: "syr-darya-basin-hydroatlas"}, "en")
	if err != nil {
		t.Fatal(err)
	}
	var syr *query.Member
	for i := range b.Members {
		if b.Members[i].Ref.ID == "rivers.syr-darya" {
			syr = &b.Members[i]
		}
	}
	if syr == nil {
		t.Fatalf("the Syr Darya is not in its basin: %v", memberIDs(b))
	}
}

// TestNear_equalsBruteForce asks for the sites within 10 km of a river,
// and of a town, and checks the answers against the geodesic distance to
// every vertex of the other layer's features, densified every 100 m:
// sites that brute force puts within 150 m of the 10 km line are not
// judged, and the distances reported agree within 150 m.
func TestNear_equalsBruteForce(t *testing.T) {
	e := engine(t)
	const km10, slack = 10_000.0, 150.0
	for _, tc := range []struct{ layer, near string }{{"tailings", "rivers"}, {"pollution", "rivers"}, {"tailings", "places"}} {
		a, err := e.Near(context.Background(), nil, tc.layer, tc.near, km10, "en")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]query.Member{}
		for _, m := range a.Members {
			got[m.Ref.ID] = m
		}
		var nearFeatures []orb.Geometry
		for _, f := range layerFeatures(t, e, tc.near) {
			dense, err := geodesic.Densify(f.Geometry, 100)
			if err != nil {
				t.Fatal(err)
			}
			nearFeatures = append(nearFeatures, dense)
		}
		judged := 0
		for _, f := range layerFeatures(t, e, tc.layer) {
			p := f.Geometry.(orb.Point)
			d := math.Inf(1)
			// 0.5° is more than 20 km in the region, in any direction.
			around := orb.Bound{Min: orb.Point{p[0] - 0.5, p[1] - 0.5}, Max: orb.Point{p[0] + 0.5, p[1] + 0.5}}
			for _, g := range nearFeatures {
				if g.Bound().Intersects(around) {
					d = min(d, vertexDistance(p, g))
				}
			}
			m, in := got[f.ID]
			if in && (m.Nearest == nil || math.Abs(m.Nearest.Distance-d) > slack) {
				t.Errorf("%s near %s: %s is %+v away, brute force %.0f m", tc.layer, tc.near, f.ID, m.Nearest, d)
			}
			if math.Abs(d-km10) < slack {
				continue
			}
			judged++
			if want := d < km10; in != want {
				t.Errorf("%s near %s: %s in the answer: %v, but it is %.0f m away", tc.layer, tc.near, f.ID, in, d)
			}
		}
		t.Logf("%s within 10 km of %s: %d of %d judged, %d found", tc.layer, tc.near, judged, len(layerFeatures(t, e, tc.layer)), len(a.Members))
		if len(a.Members) == 0 {
			t.Errorf("%s near %s: no member at all", tc.layer, tc.near)
		}
	}
}

// vertexDistance returns the geodesic distance from p to the nearest
// vertex of g.
func vertexDistance(p orb.Point, g orb.Geometry) float64 {
	d := math.Inf(1)
	visit := func(pts []orb.Point) {
		for _, q := range pts {
			d = min(d, geodesic.Distance(p, q))
		}
	}
	switch g := g.(type) {
	case orb.Point:
		visit([]orb.Point{g})
	case orb.LineString:
		visit(g)
	case orb.MultiLineString:
		for _, ls := range g {
			visit(ls)
		}
	}
	return d
}

func TestNear_rejects(t *testing.T) {
	e := engine(t)
	if _, err := e.Near(context.Background(), nil, "tailings", "rivers", math.NaN(), "en"); err == nil {
		t.Error("a NaN distance was accepted")
	}
	if _, err := e.Near(context.Background(), nil, "tailings", "canals", 10, "en"); err == nil {
		t.Error("an unknown layer was accepted")
	}
}
