package identify_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/identify"
	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/query"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// loadEngine loads the embedded map and its query engine once.
var loadEngine = sync.OnceValues(func() (*query.Engine, error) {
	return query.Default(context.Background())
})

// newApp returns the shell with the identify feature in a 1200×800 test
// window, rendering synchronously.
func newApp(t *testing.T) (*shell.Shell, *identify.Feature, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	e, err := loadEngine()
	if err != nil {
		t.Fatal(err)
	}
	f := identify.New(e)
	w := test.NewTempWindow(t, nil)
	at := e.Atlas()
	s := shell.New(a, w, at, at.Style.Clone(),
		shell.WithMapOptions(mapview.WithImmediateRendering()), shell.WithFeatures(f))
	t.Cleanup(s.Close)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1200, 800))
	return s, f, w
}

// lookAt centres the map on a lon/lat point at a zoom and returns the
// point's pixel in the map.
func lookAt(s *shell.Shell, w fyne.Window, lonlat orb.Point, zoom float64) fyne.Position {
	s.Map().SetViewport(viewport.New(lonlat, zoom, 0, 0, 1))
	w.Canvas().Capture() // draw a frame, as the window would
	p := s.Map().Viewport().ToPixel(lonlat)
	return fyne.NewPos(float32(p[0]), float32(p[1]))
}

// click clicks the map at a pixel and waits for the answer.
func click(f *identify.Feature, s *shell.Shell, at fyne.Position) {
	test.TapAt(s.Map(), at)
	f.Wait()
}

// featureAt returns the point of a feature of the embedded map.
func featureAt(t *testing.T, ref query.Ref) orb.Point {
	t.Helper()
	e, _ := loadEngine()
	feat, ok := e.Lookup(ref)
	if !ok {
		t.Fatalf("the embedded map has no %v", ref)
	}
	return feat.Geometry.Bound().Center()
}

// visible returns the objects of the tree of o that are shown: hidden
// objects and everything inside them left out.
func visible(o fyne.CanvasObject) []fyne.CanvasObject {
	if o == nil || !o.Visible() {
		return nil
	}
	out := []fyne.CanvasObject{o}
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			out = append(out, visible(c)...)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			out = append(out, visible(c)...)
		}
	}
	return out
}

// texts returns the texts of the visible labels and links in the tree of o.
func texts(o fyne.CanvasObject) []string {
	var out []string
	for _, obj := range visible(o) {
		switch x := obj.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *widget.Hyperlink:
			out = append(out, x.Text)
		case *widget.Button:
			out = append(out, x.Text)
		}
	}
	return out
}

// shows reports whether some visible label or link of the window holds s.
func shows(w fyne.Window, s string) bool {
	return slices.ContainsFunc(texts(w.Content()), func(t string) bool { return strings.Contains(t, s) })
}

var mailuuSuu = query.Ref{Layer: "tailings", ID: "kg-mailuu-suu-uranium-legacy"}

func TestIdentify_clickingMailuuSuuShowsItsAttributesAndSource(t *testing.T) {
	s, f, w := newApp(t)
	at := lookAt(s, w, featureAt(t, mailuuSuu), 10)

	click(f, s, at)

	if ref, ok := f.Selected(); !ok || ref != mailuuSuu {
		t.Fatalf("the click selected %v (%t), want %v", ref, ok, mailuuSuu)
	}
	if !s.PanelShown(identify.PanelID) {
		t.Fatal("the identify panel did not open")
	}
	for _, want := range []string{
		"Mailuu-Suu uranium tailings and waste rock dumps (complex)",
		"Source", "Coordinates", "Basin", "Syr Darya basin", "Uranium legacy site",
	} {
		if !shows(w, want) {
			t.Errorf("the panel does not show %q; it shows %q", want, texts(w.Content()))
		}
	}
	links := 0
	for _, o := range visible(w.Content()) {
		if h, ok := o.(*widget.Hyperlink); ok && h.URL != nil && strings.HasPrefix(h.URL.String(), "http") {
			links++
		}
	}
	if links == 0 {
		t.Error("the source's web address is not a link")
	}
}

func TestIdentify_clickingALakeShowsItsNameAndGeodesicArea(t *testing.T) {
	s, f, w := newApp(t)
	// Lake Balkhash, inside the Balkhash basin that is drawn over it: the
	// click selects the lake.
	at := lookAt(s, w, orb.Point{74.5, 46.3}, 7)

	click(f, s, at)

	ref, ok := f.Selected()
	if !ok || ref.Layer != "lakes" {
		t.Fatalf("the click selected %v (%t), want the lake", ref, ok)
	}
	for _, want := range []string{"Lake Balkhash", "Area (geodesic, WGS 84)", "km²"} {
		if !shows(w, want) {
			t.Errorf("the panel does not show %q; it shows %q", want, texts(w.Content()))
		}
	}
	// The pick list offers the basin and the country under the lake too.
	for _, want := range []string{"Ili-Balkhash-Alakol basin", "Kazakhstan"} {
		if !shows(w, want) {
			t.Errorf("the pick list does not offer %q", want)
		}
	}
}

// mapPosition returns the window position of a pixel of the map.
func mapPosition(s *shell.Shell, p fyne.Position) fyne.Position {
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(s.Map()).Add(p)
}

// tapText taps the visible label or button whose text starts with
// prefix, as a user clicks a line of a list or a button.
func tapText(t *testing.T, w fyne.Window, prefix string) {
	t.Helper()
	for _, o := range visible(w.Content()) {
		text := ""
		switch x := o.(type) {
		case *widget.Label:
			text = x.Text
		case *widget.Button:
			text = x.Text
		}
		if text != "" && strings.HasPrefix(text, prefix) {
			pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
			test.TapCanvas(w.Canvas(), pos.Add(fyne.NewPos(o.Size().Width/2, o.Size().Height/2)))
			return
		}
	}
	t.Fatalf("no line %q to click; the window shows %q", prefix, texts(w.Content()))
}

func TestIdentify_hoverShowsTheName(t *testing.T) {
	s, f, w := newApp(t)
	at := lookAt(s, w, featureAt(t, mailuuSuu), 10)

	test.MoveMouse(w.Canvas(), mapPosition(s, at))
	f.Wait()
	if !shows(w, "Mailuu-Suu uranium tailings and waste rock dumps (complex)") {
		t.Errorf("hovering the site shows %q, not its name", texts(w.Content()))
	}
	if _, ok := f.Selected(); ok {
		t.Error("hovering selected something")
	}

	// Off the map, the tip goes.
	test.MoveMouse(w.Canvas(), fyne.NewPos(2, 2))
	f.Wait()
	if shows(w, "Mailuu-Suu uranium tailings and waste rock dumps (complex)") {
		t.Errorf("the tip still shows after the pointer left the map: %q", texts(w.Content()))
	}
}

func TestIdentify_pickListChoosesAmongTheFeaturesUnderThePointer(t *testing.T) {
	s, f, w := newApp(t)
	at := lookAt(s, w, featureAt(t, mailuuSuu), 10)
	click(f, s, at)
	if !shows(w, "Here on the map:") {
		t.Fatalf("no pick list after a click on a site inside a basin; the panel shows %q", texts(w.Content()))
	}

	tapText(t, w, "Syr Darya basin")
	f.Wait()

	ref, ok := f.Selected()
	if !ok || ref.Layer != "basins" {
		t.Fatalf("choosing the basin from the list selected %v (%t)", ref, ok)
	}
	if !shows(w, "Area (geodesic, WGS 84)") || !shows(w, "Here on the map:") {
		t.Errorf("after the choice the panel shows %q; want the basin and the list still there", texts(w.Content()))
	}
}

func TestIdentify_clusterListsItsMembers(t *testing.T) {
	s, f, w := newApp(t)
	// At zoom 6 the Mailuu-Suu sites are one cluster.
	at := lookAt(s, w, featureAt(t, mailuuSuu), 6)
	click(f, s, at)
	if _, ok := f.Selected(); ok {
		t.Error("a click on a cluster selected one of its members by itself")
	}
	if !shows(w, "features close together") || !shows(w, "choose one") {
		t.Fatalf("the panel does not offer the cluster's members; it shows %q", texts(w.Content()))
	}
	tapText(t, w, "Mailuu-Suu uranium tailings and waste rock dumps (complex)")
	f.Wait()
	if ref, ok := f.Selected(); !ok || ref != mailuuSuu {
		t.Errorf("choosing a member selected %v (%t), want %v", ref, ok, mailuuSuu)
	}
}

func TestIdentify_selectionDrawsNoTile(t *testing.T) {
	s, f, w := newApp(t)
	s.ShowPanel(identify.PanelID) // the map takes its narrower width at once
	site := featureAt(t, mailuuSuu)
	at := lookAt(s, w, site, 10)
	before := w.Canvas().Capture()
	rendered := s.Map().TilesRendered()

	click(f, s, at)
	after := w.Canvas().Capture()

	if got := s.Map().TilesRendered(); got != rendered {
		t.Errorf("selecting a site rendered %d tiles, want none", got-rendered)
	}
	// The highlight rings the symbol: pixels around it changed.
	p := mapPosition(s, at)
	changed := 0
	for dy := -14; dy <= 14; dy++ {
		for dx := -14; dx <= 14; dx++ {
			x, y := int(p.X)+dx, int(p.Y)+dy
			if before.At(x, y) != after.At(x, y) {
				changed++
			}
		}
	}
	if changed < 20 {
		t.Errorf("%d pixels around the site changed, want its highlight drawn", changed)
	}
}

func TestIdentify_sectionsOfOtherFeatures(t *testing.T) {
	_, f, w := newApp(t)
	var asked []query.Ref
	f.AddSection(identify.Section{ID: "test", Build: func(sub identify.Subject) fyne.CanvasObject {
		asked = append(asked, sub.Ref)
		if sub.Ref.Layer != "tailings" || sub.Description == nil || sub.Feature == nil {
			return nil
		}
		return widget.NewLabel("Clause 14 speaks of " + sub.Description.Name)
	}})
	// A second section of the same ID replaces the first.
	f.AddSection(identify.Section{ID: "test", Build: func(sub identify.Subject) fyne.CanvasObject {
		asked = append(asked, sub.Ref)
		if sub.Ref.Layer != "tailings" {
			return nil
		}
		return widget.NewLabel("Clause 14 speaks of " + sub.Description.Name)
	}})

	f.Select(mailuuSuu)
	f.Wait()
	if !shows(w, "Clause 14 speaks of Mailuu-Suu uranium tailings") {
		t.Errorf("the section is not in the panel; it shows %q", texts(w.Content()))
	}
	f.Select(query.Ref{Layer: "lakes", ID: "lakes.issyk-kul"})
	f.Wait()
	if shows(w, "Clause 14 speaks of") {
		t.Error("a section with nothing to say about a lake still shows")
	}
	if len(asked) != 2 {
		t.Errorf("the sections were built %d times, want 2: once per feature shown, by the newest section", len(asked))
	}
}

func TestIdentify_clear(t *testing.T) {
	_, f, w := newApp(t)
	var changes []bool
	f.OnSelectionChanged(func(_ query.Ref, ok bool) { changes = append(changes, ok) })
	f.Select(mailuuSuu)
	f.Wait()
	tapText(t, w, "Clear")
	if _, ok := f.Selected(); ok {
		t.Error("Clear left the selection")
	}
	if !shows(w, "Click a feature on the map") {
		t.Errorf("after Clear the panel shows %q", texts(w.Content()))
	}
	if !slices.Equal(changes, []bool{true, false}) {
		t.Errorf("the selection listeners heard %v, want [true false]", changes)
	}
}

// TestIdentify_inKazakh shows a feature in a Kazakh interface: its layer's
// title from the style's catalogue and the dictionary's words in Kazakh.
func TestIdentify_inKazakh(t *testing.T) {
	t.Cleanup(func() { i18n.SetLanguage("en") })
	i18n.SetLanguage("kk")
	s, f, w := newApp(t)
	at := lookAt(s, w, featureAt(t, mailuuSuu), 10)

	click(f, s, at)

	for _, want := range []string{"Қалдық қоймалары", "Уран мұрасы нысаны", "Координаттар", "Түрі"} {
		if !shows(w, want) {
			t.Errorf("the panel does not show %q; it shows %q", want, texts(w.Content()))
		}
	}
	if shows(w, "Tailings storage facilities") {
		t.Error("the layer's title is in English")
	}
}
