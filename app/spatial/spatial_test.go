package spatial_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ecoatlas/ecoatlas/app/identify"
	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/app/spatial"
	"github.com/ecoatlas/ecoatlas/geo/query"
)

var loadEngine = sync.OnceValues(func() (*query.Engine, error) {
	return query.Default(context.Background())
})

// newApp returns the shell with identify and the questions in a
// 1200×800 test window, rendering synchronously.
func newApp(t *testing.T) (*shell.Shell, *identify.Feature, *spatial.Feature, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	e, err := loadEngine()
	if err != nil {
		t.Fatal(err)
	}
	id := identify.New(e)
	sp := spatial.New(e, id)
	w := test.NewTempWindow(t, nil)
	at := e.Atlas()
	s := shell.New(a, w, at, at.Style.Clone(),
		shell.WithMapOptions(mapview.WithImmediateRendering()), shell.WithFeatures(id, sp))
	t.Cleanup(s.Close)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1200, 800))
	return s, id, sp, w
}

// tap taps the button or list line with a text in the window.
func tap(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	for _, o := range test.LaidOutObjects(w.Content()) {
		switch x := o.(type) {
		case *widget.Button:
			if x.Text == text && x.Visible() {
				test.Tap(x)
				return
			}
		case *identify.Line:
			if x.Text() == text && x.Visible() {
				test.Tap(x)
				return
			}
		}
	}
	t.Fatalf("nothing called %q to click", text)
}

// members returns the ids of an answer's members.
func members(a *query.Answer) []string {
	var ids []string
	for _, m := range a.Members {
		ids = append(ids, m.Ref.ID)
	}
	return ids
}

func TestSpatial_whatLiesInsideTheIssykKulBasin(t *testing.T) {
	s, id, sp, w := newApp(t)
	basin := query.Ref{Layer: "basins", ID: "issyk-kul-basin-approx"}
	id.Select(basin)
	id.Wait()

	tap(t, w, "What lies inside")
	sp.Wait()

	if !s.PanelShown(spatial.PanelID) {
		t.Error("the questions panel did not open")
	}
	var tailings *query.Answer
	for _, a := range sp.Answers() {
		if a.Layer == "tailings" {
			tailings = a
		}
	}
	if tailings == nil {
		t.Fatalf("no answer for the tailings among %d", len(sp.Answers()))
	}
	ids := members(tailings)
	if !slices.ContainsFunc(ids, func(id string) bool { return strings.Contains(id, "kadji-sai") }) {
		t.Errorf("the Kadji-Sai site is not inside the Issyk-Kul basin: %v", ids)
	}
	if slices.ContainsFunc(ids, func(id string) bool { return strings.Contains(id, "kumtor") }) {
		t.Errorf("the Kumtor site is inside the Issyk-Kul basin: %v", ids)
	}
	// A line of the answer flies to its feature and selects it.
	tap(t, w, tailings.Members[0].Name)
	id.Wait()
	if ref, ok := id.Selected(); !ok || ref != tailings.Members[0].Ref {
		t.Errorf("clicking %q selected %v", tailings.Members[0].Name, ref)
	}
}

func TestSpatial_withinADistanceEqualsTheEngine(t *testing.T) {
	s, _, sp, w := newApp(t)
	s.ShowPanel(spatial.PanelID)
	tap(t, w, "Find")
	sp.Wait()

	e, _ := loadEngine()
	want, err := e.Near(context.Background(), s.Style(), "tailings", "rivers", 10_000, "en")
	if err != nil {
		t.Fatal(err)
	}
	got := sp.Answers()
	if len(got) != 1 || !slices.Equal(members(got[0]), members(want)) {
		t.Fatalf("the panel's answer %v, want the engine's %v", got, members(want))
	}
	if len(want.Members) == 0 {
		t.Fatal("no site within 10 km of a river; the test asks nothing")
	}
	found := false
	for _, o := range test.LaidOutObjects(w.Content()) {
		if l, ok := o.(*identify.Line); ok && l.Text() == want.Members[0].Name {
			found = true
		}
	}
	if !found {
		t.Errorf("the answer does not list %q", want.Members[0].Name)
	}
}

func TestSpatial_aBadDistanceIsSaid(t *testing.T) {
	s, _, sp, w := newApp(t)
	s.ShowPanel(spatial.PanelID)
	for _, o := range test.LaidOutObjects(w.Content()) {
		if e, ok := o.(*widget.Entry); ok && e.Text == "10" {
			e.SetText("ten")
		}
	}
	tap(t, w, "Find")
	sp.Wait()
	if w.Canvas().Overlays().Top() == nil {
		t.Error("no dialog says the distance is bad")
	}
	if len(sp.Answers()) != 0 {
		t.Error("a bad distance was asked about")
	}
}
