package search_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/identify"
	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/app/search"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/query"
)

var loadEngine = sync.OnceValues(func() (*query.Engine, error) {
	return query.Default(context.Background())
})

// fixedFilter is a filter that does not change.
type fixedFilter query.Filter

func (f fixedFilter) Filter() query.Filter { return query.Filter(f) }

// app is the shell with identify and search in a test window.
type app struct {
	s   *shell.Shell
	id  *identify.Feature
	sr  *search.Feature
	w   fyne.Window
	box fyne.Focusable
}

// newApp returns the shell with identify and search in a 1200×800 test
// window, rendering synchronously, the cursor in the search box (put
// there by Ctrl+F, as a user would).
func newApp(t *testing.T, filter search.Filterer) *app {
	t.Helper()
	a := test.NewTempApp(t)
	e, err := loadEngine()
	if err != nil {
		t.Fatal(err)
	}
	id := identify.New(e)
	sr := search.New(e, id, filter)
	w := test.NewTempWindow(t, nil)
	at := e.Atlas()
	s := shell.New(a, w, at, at.Style.Clone(),
		shell.WithMapOptions(mapview.WithImmediateRendering()), shell.WithFeatures(id, sr))
	t.Cleanup(s.Close)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1200, 800))
	w.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault})
	box := w.Canvas().Focused()
	if box == nil || !strings.Contains(fmt.Sprintf("%T", box), "search") {
		t.Fatalf("Ctrl+F focused %T, want the search box", box)
	}
	return &app{s: s, id: id, sr: sr, w: w, box: box}
}

// typ types text into the search box and waits for the results.
func (a *app) typ(text string) {
	test.Type(a.box, text)
	a.sr.Wait()
}

// key presses a key in the search box and waits for what it does.
func (a *app) key(name fyne.KeyName) {
	a.box.TypedKey(&fyne.KeyEvent{Name: name})
	a.sr.Wait()
	a.id.Wait()
}

// listed returns the texts of the result lines shown.
func (a *app) listed() []string {
	var out []string
	for _, o := range test.LaidOutObjects(a.w.Content()) {
		if l, ok := o.(*identify.Line); ok && isShown(a.w, l) {
			out = append(out, l.Text())
		}
	}
	return out
}

// isShown reports whether o and every container holding it are visible.
func isShown(w fyne.Window, o fyne.CanvasObject) bool {
	var shown func(parent fyne.CanvasObject) bool
	shown = func(parent fyne.CanvasObject) bool {
		if parent == o {
			return o.Visible()
		}
		if !parent.Visible() {
			return false
		}
		var children []fyne.CanvasObject
		switch x := parent.(type) {
		case *fyne.Container:
			children = x.Objects
		case fyne.Widget:
			children = test.WidgetRenderer(x).Objects()
		}
		for _, c := range children {
			if shown(c) {
				return true
			}
		}
		return false
	}
	return shown(w.Content())
}

// near reports whether the map's centre is within eps degrees of p.
func near(a *app, p orb.Point, eps float64) bool {
	c := a.s.Map().Viewport().Center
	return math.Abs(c[0]-p[0]) <= eps && math.Abs(c[1]-p[1]) <= eps
}

var issykKul = query.Ref{Layer: "lakes", ID: "lakes.issyk-kul"}

func TestSearch_typingListsAndEnterFliesAndSelects(t *testing.T) {
	a := newApp(t, nil)
	a.typ("иссык")
	got := a.listed()
	if len(got) == 0 || !strings.HasPrefix(got[0], "Issyk-Kul") {
		t.Fatalf("typing иссык lists %q, want Lake Issyk-Kul first", got)
	}
	a.key(fyne.KeyReturn)
	if ref, ok := a.id.Selected(); !ok || ref != issykKul {
		t.Errorf("Enter selected %v (%t), want %v", ref, ok, issykKul)
	}
	if !near(a, orb.Point{77.3, 42.45}, 0.5) {
		t.Errorf("Enter flew to %v, want the lake", a.s.Map().Viewport().Center)
	}
	if len(a.listed()) != 0 {
		t.Error("the results still show after Enter")
	}
}

func TestSearch_keysMoveThroughTheResults(t *testing.T) {
	a := newApp(t, nil)
	a.typ("Mailuu")
	results := a.sr.Results()
	if len(results) < 2 {
		t.Fatalf("%d results for Mailuu, want several", len(results))
	}
	a.key(fyne.KeyDown)
	a.key(fyne.KeyReturn)
	if ref, ok := a.id.Selected(); !ok || ref != results[1].Ref {
		t.Errorf("Down then Enter selected %v, want the second result %v", ref, results[1].Ref)
	}
	a.typ("-")
	a.key(fyne.KeyEscape)
	if len(a.listed()) != 0 {
		t.Error("Escape did not close the results")
	}
}

func TestSearch_clickingAResult(t *testing.T) {
	a := newApp(t, nil)
	a.typ("Almaty")
	for _, o := range test.LaidOutObjects(a.w.Content()) {
		if l, ok := o.(*identify.Line); ok && strings.HasPrefix(l.Text(), "Almaty") && isShown(a.w, l) {
			test.Tap(l)
			a.id.Wait()
			ref, ok := a.id.Selected()
			if !ok || ref.Layer != "places" {
				t.Errorf("clicking Almaty selected %v (%t), want the city", ref, ok)
			}
			return
		}
	}
	t.Fatalf("Almaty is not listed: %q", a.listed())
}

func TestSearch_coordinatesDropAMarker(t *testing.T) {
	for _, typed := range []string{"42.45 77.3", "42°27'N 77°18'E"} {
		t.Run(typed, func(t *testing.T) {
			a := newApp(t, nil)
			a.typ(typed)
			a.key(fyne.KeyReturn)
			at, ok := a.sr.Marker()
			if !ok || math.Abs(at[0]-77.3) > 1e-9 || math.Abs(at[1]-42.45) > 1e-9 {
				t.Fatalf("the marker is at %v (%t), want 77.3 E 42.45 N", at, ok)
			}
			if !near(a, at, 1e-3) {
				t.Errorf("the map flew to %v, want the coordinate", a.s.Map().Viewport().Center)
			}
		})
	}
}

func TestSearch_honoursTheFilter(t *testing.T) {
	a := newApp(t, fixedFilter(query.Filter{}.With("tailings", "country", "UZB")))
	a.typ("Mailuu")
	for _, r := range a.sr.Results() {
		if r.Ref.Layer == "tailings" {
			t.Errorf("with only Uzbek sites shown, search found %v", r)
		}
	}
}
