package filter_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/filter"
	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/query"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

var loadEngine = sync.OnceValues(func() (*query.Engine, error) {
	return query.Default(context.Background())
})

// newApp returns the shell with the filter feature in a 1200×800 test
// window, rendering synchronously, its panel open.
func newApp(t *testing.T) (*shell.Shell, *filter.Feature, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	e, err := loadEngine()
	if err != nil {
		t.Fatal(err)
	}
	f := filter.New(e)
	w := test.NewTempWindow(t, nil)
	at := e.Atlas()
	s := shell.New(a, w, at, at.Style.Clone(),
		shell.WithMapOptions(mapview.WithImmediateRendering()), shell.WithFeatures(f))
	t.Cleanup(s.Close)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1200, 800))
	s.ShowPanel(filter.PanelID)
	return s, f, w
}

// check returns the check box with a text in the window, failing unless
// there is exactly one.
func check(t *testing.T, w fyne.Window, text string) *widget.Check {
	t.Helper()
	var found []*widget.Check
	for _, o := range test.LaidOutObjects(w.Content()) {
		if c, ok := o.(*widget.Check); ok && c.Text == text {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		t.Fatalf("found %d check boxes %q, want 1", len(found), text)
	}
	return found[0]
}

// legendCounts returns the numbers the layer panel shows beside the
// legend lines of a layer, by their texts: -1 for a line showing none.
func legendCounts(t *testing.T, w fyne.Window, layerTitle string, lines ...string) []int {
	t.Helper()
	objects := test.LaidOutObjects(w.Content())
	start := slices.IndexFunc(objects, func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && l.Text == layerTitle
	})
	if start < 0 {
		t.Fatalf("the layer panel has no layer %q", layerTitle)
	}
	out := make([]int, len(lines))
	for i, line := range lines {
		j := slices.IndexFunc(objects[start:], func(o fyne.CanvasObject) bool {
			c, ok := o.(*fyne.Container)
			if !ok || len(c.Objects) != 3 {
				return false
			}
			text, ok := c.Objects[0].(*widget.Label)
			_, ok2 := c.Objects[2].(*widget.Label)
			return ok && ok2 && text.Text == line
		})
		if j < 0 {
			t.Fatalf("the layer %q has no legend line %q", layerTitle, line)
		}
		count := objects[start+j].(*fyne.Container).Objects[2].(*widget.Label).Text
		out[i] = -1
		if count != "" {
			n, err := strconv.Atoi(strings.ReplaceAll(count, "\u00a0", ""))
			if err != nil {
				t.Fatalf("the line %q shows %q, not a number", line, count)
			}
			out[i] = n
		}
	}
	return out
}

// drawnTailings counts, by brute force, the tailings sites the map draws
// in a view at a zoom where none is clustered, of the countries given
// (all if none).
func drawnTailings(t *testing.T, s *shell.Shell, countries ...string) int {
	t.Helper()
	e, _ := loadEngine()
	l, _ := e.Atlas().Style.Layer("tailings")
	vp := s.Map().Viewport()
	if l.Cluster != nil && vp.Zoom < l.Cluster.MaxZoom {
		t.Fatalf("the view at zoom %v clusters the sites", vp.Zoom)
	}
	n := 0
	for f := range e.Atlas().Sources["tailings"].Vector.All() {
		country, _ := f.Properties.Get("country")
		if len(countries) > 0 && !slices.Contains(countries, country.(string)) {
			continue
		}
		if l.RuleFor(vp.Zoom, &f.Properties) != nil && vp.Bound().Contains(f.Geometry.(orb.Point)) {
			n++
		}
	}
	return n
}

var tailingsLines = []string{
	"Position known only to about 10 km: ring of 10 km on the ground",
	"Uranium legacy tailings",
	"Tailings storage facility",
}

func TestFilter_legendCountsEqualTheFeaturesDrawn(t *testing.T) {
	s, f, w := newApp(t)
	// The Fergana valley's sites, split at zoom 9.
	s.Map().SetViewport(viewport.New(orb.Point{72.0, 41.0}, 9.2, 0, 0, 1))
	f.Wait()
	all := drawnTailings(t, s)
	if all < 3 {
		t.Fatalf("the view draws %d sites; choose one with more", all)
	}
	if got := sum(legendCounts(t, w, "Tailings storage facilities", tailingsLines...)); got != all {
		t.Errorf("the tailings' legend lines add up to %d, want the %d sites drawn", got, all)
	}

	test.Tap(check(t, w, "Uzbekistan (3)"))
	f.Wait()

	want := drawnTailings(t, s, "UZB")
	if want == all {
		t.Fatal("the filter changes nothing in the view; choose another country")
	}
	if got := sum(legendCounts(t, w, "Tailings storage facilities", tailingsLines...)); got != want {
		t.Errorf("after filtering to Uzbekistan the lines add up to %d, want the %d Uzbek sites drawn", got, want)
	}
	if got := f.Filter().Values("tailings", "country"); !slices.Equal(got, []any{"UZB"}) {
		t.Errorf("the filter holds %v for the tailings' countries, want [UZB]", got)
	}
	if !strings.Contains(texts(w), "Filter (1)") {
		t.Error("the toolbar does not say that a value is chosen")
	}
}

func TestFilter_aHiddenLayerShowsNoCounts(t *testing.T) {
	s, f, w := newApp(t)
	s.Map().SetViewport(viewport.New(orb.Point{72.0, 41.0}, 9.2, 0, 0, 1))
	st := s.Style().Clone()
	l, _ := st.Layer("tailings")
	l.Hidden = true
	s.SetStyle(st)
	f.Wait()
	if got := legendCounts(t, w, "Tailings storage facilities", tailingsLines...); !slices.Equal(got, []int{-1, -1, -1}) {
		t.Errorf("the hidden layer's lines show %v, want nothing", got)
	}
}

func TestFilter_showAllAndSetFilter(t *testing.T) {
	s, f, w := newApp(t)
	var heard []query.Filter
	f.OnFilterChanged(func(q query.Filter) { heard = append(heard, q) })
	f.SetFilter(query.Filter{}.With("protected_areas", "designation", "national_park"))
	if !check(t, w, "National park ("+npCount(t)+")").Checked {
		t.Error("the panel does not tick the value SetFilter chose")
	}
	l, _ := s.Style().Layer("protected_areas")
	if l.Filter == nil {
		t.Fatal("the map's style does not filter the protected areas")
	}
	test.Tap(button(t, w, "Show all"))
	if !f.Filter().IsZero() {
		t.Errorf("Show all left %v", f.Filter())
	}
	l, _ = s.Style().Layer("protected_areas")
	base, _ := s.Atlas().Style.Layer("protected_areas")
	if l.Filter != base.Filter {
		t.Error("after Show all the protected areas keep a filter of the panel")
	}
	if len(heard) != 2 {
		t.Errorf("the listeners heard %d changes, want 2", len(heard))
	}
}

// npCount returns how many national parks the embedded map has.
func npCount(t *testing.T) string {
	e, _ := loadEngine()
	facets, err := e.Facets("protected_areas", "en")
	if err != nil {
		t.Fatal(err)
	}
	for _, fc := range facets {
		for _, v := range fc.Values {
			if v.Value == "national_park" {
				return strconv.Itoa(v.Count)
			}
		}
	}
	t.Fatal("no national parks")
	return ""
}

func button(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	for _, o := range test.LaidOutObjects(w.Content()) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("no button %q", text)
	return nil
}

func texts(w fyne.Window) string {
	var b strings.Builder
	for _, o := range test.LaidOutObjects(w.Content()) {
		if x, ok := o.(*widget.Button); ok {
			b.WriteString(x.Text + "\n")
		}
	}
	return b.String()
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += max(x, 0)
	}
	return n
}
