package clausemap_test

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/clausemap"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/ecoatlas/ecoatlas/seeds"
	"github.com/paulmach/orb"
)

var loadAtlas = sync.OnceValues(func() (*atlas.Atlas, error) {
	a, err := atlas.LoadDefault(context.Background())
	if err == nil {
		a.BuildIndexes()
	}
	return a, err
})

// embedded returns the declaration bound to the embedded map.
func embedded(t testing.TB) *clausemap.Map {
	t.Helper()
	a, err := loadAtlas()
	if err != nil {
		t.Fatal(err)
	}
	links, err := seeds.EmbeddedLinks()
	if err != nil {
		t.Fatal(err)
	}
	m, err := clausemap.New(a, seeds.Embedded(), links)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func refs(places []clausemap.Place) []string {
	var out []string
	for _, p := range places {
		out = append(out, p.Ref.String())
	}
	return out
}

func TestNew_everyLinkIsOnTheMap(t *testing.T) {
	m := embedded(t)
	links := m.Links()
	for _, c := range links.Clauses {
		s, err := m.Clause(c.Number)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Places) != len(c.Places) {
			t.Errorf("clause %d: %d places resolved of %d", c.Number, len(s.Places), len(c.Places))
		}
		for _, p := range s.Places {
			if p.Feature == nil || p.Feature.ID != p.Ref.ID || !slices.Equal(p.Clauses, []int{c.Number}) {
				t.Errorf("clause %d: place %s resolved to %v for clauses %v", c.Number, p.Ref, p.Feature, p.Clauses)
			}
		}
	}
}

func TestNew_unresolved(t *testing.T) {
	a, err := loadAtlas()
	if err != nil {
		t.Fatal(err)
	}
	for name, tt := range map[string]struct {
		place seeds.FeatureRef
		says  string
	}{
		"no feature":    {seeds.FeatureRef{Layer: "lakes", ID: "lakes.lake-nowhere"}, `clause 1: places[1]: lakes/lakes.lake-nowhere: layer "lakes"'s source has no feature`},
		"no layer":      {seeds.FeatureRef{Layer: "seas", ID: "x"}, `clause 1: places[1]: the style has no layer "seas"`},
		"filtered out":  {seeds.FeatureRef{Layer: "tailings", ID: "kz-qarmet-temirtau"}, `tailings/kz-qarmet-temirtau: layer "tailings"'s filter leaves the feature out`},
		"outline point": {seeds.FeatureRef{Layer: "protected_areas", ID: "kz-aksu-zhabagly-snr"}, "filter leaves the feature out"},
	} {
		t.Run(name, func(t *testing.T) {
			links := seeds.Links{Clauses: []seeds.ClauseLinks{{Number: 1, Layers: []string{"lakes"}, Places: []seeds.FeatureRef{tt.place}}}}
			_, err := clausemap.New(a, seeds.Embedded(), links)
			if !errors.Is(err, clausemap.ErrUnresolved) || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("err = %v, want ErrUnresolved saying %q", err, tt.says)
			}
		})
	}
}

func TestClause(t *testing.T) {
	m := embedded(t)
	for _, tt := range []struct {
		clause int
		places []string
		within orb.Bound
	}{
		{4, []string{"lakes/lakes.caspian-sea"}, orb.Bound{Min: orb.Point{46, 36}, Max: orb.Point{62, 56}}},
		{5, []string{"lakes/lakes.issyk-kul", "lakes/lakes.lake-balkhash"}, orb.Bound{Min: orb.Point{46, 35}, Max: orb.Point{88, 56}}},
		{12, []string{"lakes/lakes.aral-sea", "aral_shorelines/aral-1950s-ne-historic"}, orb.Bound{Min: orb.Point{52, 39}, Max: orb.Point{69, 49}}},
		{24, []string{"places/places.dushanbe"}, orb.Bound{Min: orb.Point{68, 38}, Max: orb.Point{77.5, 44}}},
	} {
		s, err := m.Clause(tt.clause)
		if err != nil {
			t.Fatal(err)
		}
		got := refs(s.Places)
		for _, w := range tt.places {
			if !slices.Contains(got, w) {
				t.Errorf("clause %d: places %v lack %s", tt.clause, got, w)
			}
		}
		if s.Extent.IsEmpty() || !tt.within.Contains(s.Extent.Min) || !tt.within.Contains(s.Extent.Max) {
			t.Errorf("clause %d: extent %v, want within %v", tt.clause, s.Extent, tt.within)
		}
		if c, _ := seeds.Embedded().Clause(tt.clause); s.Caption != c.Text {
			t.Errorf("clause %d: caption %q", tt.clause, s.Caption)
		}
	}
	// Clause 12 is the Aral Sea region: its view is over the Aral.
	s12, _ := m.Clause(12)
	if v := s12.View(2); !v.Contains(orb.Point{60, 45}) || v.Max[0]-v.Min[0] > 20 {
		t.Errorf("clause 12 view %v is not over the Aral", v)
	}
	// Clause 14 highlights both pollution layers in full.
	s14, _ := m.Clause(14)
	if !slices.Equal(s14.Whole, []string{"tailings", "pollution"}) || len(s14.Places) != 32 {
		t.Errorf("clause 14: whole %v, %d places", s14.Whole, len(s14.Places))
	}
	// Region-wide and unfocused clauses.
	s21, _ := m.Clause(21)
	if s21.Empty() || len(s21.Places) != 0 || s21.Extent.IsEmpty() {
		t.Errorf("clause 21 (every basin): %+v", s21)
	}
	s1, _ := m.Clause(1)
	if !s1.Empty() || s1.Extent != (orb.Bound{}) || s1.Caption == "" {
		t.Errorf("clause 1 (no geographic focus): %+v", s1)
	}
	if _, err := m.Clause(28); !errors.Is(err, clausemap.ErrNoClause) {
		t.Errorf("Clause(28): %v", err)
	}
}

func TestSelection_View(t *testing.T) {
	point := clausemap.Selection{Extent: orb.Bound{Min: orb.Point{68.77, 38.56}, Max: orb.Point{68.77, 38.56}}}
	if v := point.View(2); v.Max[0]-v.Min[0] != 2 || v.Max[1]-v.Min[1] != 2 || v.Center() != (orb.Point{68.77, 38.56}) {
		t.Errorf("a point's view %v, want 2° around it", v)
	}
	wide := clausemap.Selection{Extent: orb.Bound{Min: orb.Point{50, 40}, Max: orb.Point{70, 50}}}
	if v := wide.View(2); v != (orb.Bound{Min: orb.Point{48, 39}, Max: orb.Point{72, 51}}) {
		t.Errorf("a wide view %v, want a tenth more on each side", v)
	}
}

func TestClausesAt(t *testing.T) {
	m := embedded(t)
	for _, tt := range []struct {
		layer, id string
		want      []int
	}{
		{"lakes", "lakes.caspian-sea", []int{4, 20}},
		{"lakes", "lakes.issyk-kul", []int{5}},
		{"lakes", "lakes.aral-sea", []int{5, 12, 26}},
		// The band of a basin is a part of the basins layer, drawn from
		// the same source.
		{"basins_band", "zhaiyk-caspian-watershed", []int{4, 21}},
		{"basins", "issyk-kul-basin-approx", []int{5, 21}},
		// The water-management basins are another layer of the source,
		// which no clause names.
		{"basins_admin", "kz-wmb-aral-syr-darya", nil},
		{"tailings", "kg-kadji-sai", []int{14}},
		{"pollution", "kz-qarmet-temirtau", []int{14}},
		{"protected_areas", "ca-western-tien-shan-whs", []int{10, 11}},
		{"protected_areas_outlines", "kz-aksu-zhabagly-snr", []int{10, 11}},
		{"glaciers", "glaciers.17", []int{6}},
		{"places", "places.astana", []int{17, 26}},
		{"regions", "regions.kaz-4830", []int{26}},
		{"rivers", "rivers.amu-darya", nil},
		{"lakes", "lakes.no-such-lake", nil},
		{"no_such_layer", "x", nil},
	} {
		if got := m.ClausesAt(tt.layer, tt.id); !slices.Equal(got, tt.want) {
			t.Errorf("ClausesAt(%q, %q) = %v, want %v", tt.layer, tt.id, got, tt.want)
		}
	}
}

func TestAll(t *testing.T) {
	m := embedded(t)
	s := m.All()
	seen := map[string]bool{}
	for _, p := range s.Places {
		if seen[p.Ref.Layer+"/"+p.Ref.ID] {
			t.Errorf("%s listed twice", p.Ref)
		}
		seen[p.Ref.Layer+"/"+p.Ref.ID] = true
		if p.Ref.ID == "lakes.aral-sea" && !slices.Equal(p.Clauses, []int{5, 12, 26}) {
			t.Errorf("the Aral Sea is a place of clauses %v, want [5 12 26]", p.Clauses)
		}
	}
	if len(s.Places) < 60 || len(s.Clauses) != 12 || !s.Extent.Contains(orb.Point{60, 45}) {
		t.Errorf("All: %d places, clauses %v, extent %v", len(s.Places), s.Clauses, s.Extent)
	}
}

func TestStep(t *testing.T) {
	m := embedded(t)
	tour, err := seeds.EmbeddedTour()
	if err != nil {
		t.Fatal(err)
	}
	for i, st := range tour.Steps {
		s, err := m.Step(st)
		if err != nil {
			t.Fatalf("step %d: %v", i+1, err)
		}
		if s.Extent != (orb.Bound{Min: orb.Point{st.View[0], st.View[1]}, Max: orb.Point{st.View[2], st.View[3]}}) || s.Caption != st.Caption || len(s.Places) != len(st.Features) {
			t.Errorf("step %d: %+v", i+1, s)
		}
	}
	bad := seeds.Step{Clause: 5, View: [4]float64{70, 40, 80, 45}, Features: []seeds.FeatureRef{{Layer: "lakes", ID: "lakes.nowhere"}}}
	if _, err := m.Step(bad); !errors.Is(err, clausemap.ErrUnresolved) || !strings.Contains(err.Error(), "tour step: features[1]") {
		t.Errorf("a step with an unknown feature: %v", err)
	}
}

func TestIndex_findsClausesByTheirPlacesNames(t *testing.T) {
	m := embedded(t)
	ix := m.Index(map[int][]string{14: {"Картирование источников загрязнения и хвостохранилищ"}})
	for query, want := range map[string]int{
		"Иссык-Куль":     5,
		"каспийское":     4,
		"Ысык-Көл":       5,
		"хвостохранилищ": 14,
		"Kadji-Sai":      14,
		"Душанбе":        17,
	} {
		var got []int
		for _, h := range ix.Search(query) {
			if h.Part == seeds.PartClause {
				got = append(got, h.Number)
			}
		}
		if !slices.Contains(got, want) {
			t.Errorf("Search(%q) finds clauses %v, want %d among them", query, got, want)
		}
	}
}

func TestName(t *testing.T) {
	m := embedded(t)
	s, _ := m.Clause(5)
	if got := m.Name(s.Places[0], "ru"); got != "Иссык-Куль" {
		t.Errorf("Name(ru) = %q", got)
	}
	if got := m.Name(s.Places[0], "en"); got != "Issyk-Kul" {
		t.Errorf("Name(en) = %q", got)
	}
}

// regionView is the whole region in a full-HD view.
func regionView(scale float64) viewport.Viewport {
	return viewport.New(atlas.Region.Center(), 5, 1920, 1080, scale).Fit(atlas.Region, 0)
}

// TestBadges_allClausesOncePerPlaceWithoutOverlaps checks the layer of
// every badge at once, over the whole region at both device scales.
func TestBadges_allClausesOncePerPlaceWithoutOverlaps(t *testing.T) {
	m := embedded(t)
	all := m.All()
	for _, scale := range []float64{1, 2} {
		vp := regionView(scale)
		badges := clausemap.Badges(vp, all, clausemap.DefaultLook, nil)
		if len(badges) < 20 {
			t.Errorf("@%vx: %d badges", scale, len(badges))
		}
		bounds := image.Rect(0, 0, vp.DeviceWidth(), vp.DeviceHeight())
		places := map[string]bool{}
		for i, b := range badges {
			if !b.Box.In(bounds) {
				t.Errorf("@%vx: badge %v leaves the view", scale, b)
			}
			for _, o := range badges[:i] {
				if b.Box.Overlaps(o.Box) {
					t.Errorf("@%vx: badges %v and %v overlap", scale, b, o)
				}
			}
			want := make([]string, len(b.Clauses))
			for k, c := range b.Clauses {
				want[k] = fmt.Sprintf("§%d", c)
			}
			if b.Text != strings.Join(want, " ") || !slices.IsSorted(b.Clauses) || len(slices.Compact(slices.Clone(b.Clauses))) != len(b.Clauses) {
				t.Errorf("@%vx: badge %q for clauses %v", scale, b.Text, b.Clauses)
			}
			for _, p := range b.Places {
				if places[p.String()] {
					t.Errorf("@%vx: %s has two badges", scale, p)
				}
				places[p.String()] = true
			}
		}
	}
}

func TestBadges_avoidReservedBoxesWhereTheyCan(t *testing.T) {
	m := embedded(t)
	s, _ := m.Clause(24)
	vp := viewport.New(orb.Point{72, 41}, 5, 1200, 800, 1).Fit(s.View(2), 0)
	free := clausemap.Badges(vp, s, clausemap.DefaultLook, nil)
	if len(free) != 3 {
		t.Fatalf("clause 24: %d badges, want Dushanbe, Almaty and Tashkent", len(free))
	}
	// A box over every badge's first place: the badges move beside it or,
	// with no room left, cover it; none is lost.
	var reserved []image.Rectangle
	for _, b := range free {
		reserved = append(reserved, b.Box)
	}
	moved := clausemap.Badges(vp, s, clausemap.DefaultLook, reserved)
	if len(moved) != 3 {
		t.Fatalf("with reserved boxes: %d badges", len(moved))
	}
	for _, b := range moved {
		for _, r := range reserved {
			if b.Box == r {
				t.Errorf("badge %v stayed on a reserved box", b)
			}
		}
	}
}

// TestOverlay_drawsOnlyWhatItHighlights checks the overlay's pixels:
// dimmed far from the clause's places, tinted inside them and outlined
// along their shores.
func TestOverlay_drawsOnlyWhatItHighlights(t *testing.T) {
	m := embedded(t)
	s, _ := m.Clause(5)
	vp := regionView(1)
	look := clausemap.DefaultLook
	overlay, badges, err := m.Overlay(context.Background(), vp, s, look, nil)
	if err != nil {
		t.Fatal(err)
	}
	at := func(p orb.Point) color.RGBA {
		q := vp.ToPixel(p)
		return overlay.RGBAAt(int(q[0]), int(q[1]))
	}
	// Lake Issyk-Kul is not dimmed, only tinted by the highlight's fill
	// (that of the lake over that of its basin).
	if c := at(orb.Point{76.6, 42.35}); c.A < look.Highlight.Fill.A || c.A >= 2*look.Highlight.Fill.A || c.R < c.B+20 {
		t.Errorf("Issyk-Kul in the overlay: %v, want the highlight's yellow fill, once or twice", c)
	}
	// The Caspian is not a place of clause 5: it is dimmed.
	if c := at(orb.Point{51, 42}); c.A != look.Highlight.Dim.A {
		t.Errorf("Caspian in the overlay: alpha %d, want the dimming's %d", c.A, look.Highlight.Dim.A)
	}
	// The lake's outline: opaque highlight pixels near its shore.
	if n := outlinePixels(overlay, vp, orb.Point{77.3, 42.45}, 60, look.Highlight.Line); n < 100 {
		t.Errorf("%d outline pixels around Issyk-Kul, want its outline", n)
	}
	texts := map[string]bool{}
	for _, b := range badges {
		texts[b.Text] = true
	}
	if !texts["§5"] || len(texts) != 1 {
		t.Errorf("badges %v, want §5 only", badges)
	}
	// Cancelled, it stops.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := m.Overlay(ctx, vp, s, look, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Overlay: %v", err)
	}
}

// outlinePixels counts the pixels of img within r logical pixels of a
// lon/lat point that are the opaque colour line.
func outlinePixels(img *image.RGBA, vp viewport.Viewport, at orb.Point, r int, line color.NRGBA) int {
	c := vp.ToPixel(at)
	n := 0
	for y := int(c[1]) - r; y <= int(c[1])+r; y++ {
		for x := int(c[0]) - r; x <= int(c[0])+r; x++ {
			if p := img.RGBAAt(x, y); p.A == 0xff && p.R == line.R && p.G == line.G && p.B == line.B {
				n++
			}
		}
	}
	return n
}

// TestMarks_asTheMapDrawsThem checks the marks of clause 14 (every
// tailings site and pollution source): over the region, where the map
// groups nearby sites, each group is marked once, as its cluster symbol;
// zoomed in, where it draws every site, each site is marked on its own.
// Sites up to 32 pixels beyond the view's edges, whose symbols reach in,
// count.
func TestMarks_asTheMapDrawsThem(t *testing.T) {
	m := embedded(t)
	s, _ := m.Clause(14)
	a, _ := loadAtlas()
	drawn := func(vp viewport.Viewport) (singles, clusters int, radius float64) {
		for _, id := range s.Whole {
			l, _ := a.Style.Layer(id)
			reach := vp.WithSize(vp.Width+64, vp.Height+64).Bound()
			f, c, err := render.Drawn(context.Background(), &render.Layer{Style: l, Features: a.Sources[l.Source].Vector}, reach, vp.Zoom)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range f {
				if l.Filter.Match(&f.Properties) {
					singles++
				}
			}
			clusters += len(c)
			if len(c) > 0 {
				radius = l.Cluster.Symbol.Size.Eval(vp.Zoom, nil) / 2
			}
		}
		return singles, clusters, radius
	}
	for _, tt := range []struct {
		name string
		vp   viewport.Viewport
	}{
		{"region", regionView(1)},
		{"Fergana valley at zoom 9", viewport.New(orb.Point{72.2, 41.0}, 9, 1200, 800, 1)},
	} {
		marks, err := m.Marks(context.Background(), tt.vp, s)
		if err != nil {
			t.Fatal(err)
		}
		singles, clusters, radius := drawn(tt.vp)
		if len(marks) != singles+clusters || singles == 0 {
			t.Errorf("%s: %d marks for %d sites drawn alone and %d clusters", tt.name, len(marks), singles, clusters)
		}
		big := 0
		for _, mk := range marks {
			if _, ok := mk.Geometry.(orb.Point); !ok || mk.Radius <= 0 {
				t.Errorf("%s: mark %v of radius %v, want a point with its symbol's radius", tt.name, mk.Geometry, mk.Radius)
			}
			if mk.Radius >= radius && radius > 0 {
				big++
			}
		}
		if tt.name == "region" && (clusters == 0 || big < clusters) {
			t.Errorf("%s: %d clusters, %d marks as large as a cluster's symbol (%v)", tt.name, clusters, big, radius)
		}
		if tt.name != "region" && clusters != 0 {
			t.Errorf("%s: %d clusters at zoom 9", tt.name, clusters)
		}
	}
}

// BenchmarkClauseOverlay_1080p measures a clause's selection, from its
// number to the highlighted frame of a full-HD view of the region (the
// overlay with its badges, composed over the map's frame), for a clause
// of few areas (5), of many points (14) and of whole layers of areas and
// points (10, 6): the issue's target is 50 ms.
func BenchmarkClauseOverlay_1080p(b *testing.B) {
	m := embedded(b)
	vp := regionView(1)
	frame := image.NewRGBA(image.Rect(0, 0, vp.DeviceWidth(), vp.DeviceHeight()))
	for _, n := range []int{5, 14, 10, 6} {
		b.Run(fmt.Sprintf("clause%d", n), func(b *testing.B) {
			for b.Loop() {
				s, err := m.Clause(n)
				if err != nil {
					b.Fatal(err)
				}
				overlay, _, err := m.Overlay(context.Background(), vp, s, clausemap.DefaultLook, nil)
				if err != nil {
					b.Fatal(err)
				}
				clausemap.Compose(frame, overlay)
			}
		})
	}
}

// BenchmarkAllBadges_1080p places every clause's badges over the region.
func BenchmarkAllBadges_1080p(b *testing.B) {
	m := embedded(b)
	vp := regionView(1)
	all := m.All()
	for b.Loop() {
		clausemap.Badges(vp, all, clausemap.DefaultLook, nil)
	}
}

func ExampleMap_ClausesAt() {
	a, err := atlas.LoadDefault(context.Background())
	if err != nil {
		panic(err)
	}
	links, err := seeds.EmbeddedLinks()
	if err != nil {
		panic(err)
	}
	m, err := clausemap.New(a, seeds.Embedded(), links)
	if err != nil {
		panic(err)
	}
	for _, n := range m.ClausesAt("lakes", "lakes.caspian-sea") {
		c, _ := links.Clause(n)
		fmt.Printf("§%d %s\n", n, c.Title)
	}
	// Output:
	// §4 The Caspian Sea programme
	// §20 Conferences and forums 2026–2028
}
