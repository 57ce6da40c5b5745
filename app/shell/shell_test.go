package shell_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/assets"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/coord"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

var loadAtlas = sync.OnceValues(func() (*atlas.Atlas, error) {
	return atlas.LoadDefault(context.Background())
})

// newShell returns the shell in a 1000×700 test window, rendering tiles
// synchronously.
func newShell(t testing.TB, opts ...shell.Option) (*shell.Shell, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	at, err := loadAtlas()
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	opts = append([]shell.Option{shell.WithMapOptions(mapview.WithImmediateRendering())}, opts...)
	s := shell.New(a, w, at, at.Style.Clone(), opts...)
	t.Cleanup(s.Close)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1000, 700))
	return s, w
}

// find returns the objects of type T in the tree of o, widgets' renderers
// included, which pass keep.
func find[T fyne.CanvasObject](o fyne.CanvasObject, keep func(T) bool) []T {
	var found []T
	for _, obj := range test.LaidOutObjects(o) {
		if t, ok := obj.(T); ok && keep(t) {
			found = append(found, t)
		}
	}
	return found
}

func button(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	b := find(w.Content(), func(b *widget.Button) bool { return b.Text == text })
	if len(b) != 1 {
		t.Fatalf("found %d buttons %q, want 1", len(b), text)
	}
	return b[0]
}

func TestShell_everyPlaceHasAName(t *testing.T) {
	s, _ := newShell(t)
	for _, p := range s.Places() {
		if name := i18n.T(p.Key); name == p.Key {
			t.Errorf("the style's place %q has no name in the catalogue", p.Key)
		}
	}
}

func TestShell_flyToPlaces(t *testing.T) {
	s, _ := newShell(t)
	if len(s.Places()) < 4 {
		t.Fatalf("%d places, want the style's four", len(s.Places()))
	}
	for i, p := range s.Places() {
		t.Run(p.Key, func(t *testing.T) {
			s, w := newShell(t)
			s.Map().SetViewport(viewport.New(orb.Point{10, 10}, 4, 0, 0, 1))

			test.Tap(button(t, w, i18n.T("toolbar.places")))
			overlay := w.Canvas().Overlays().Top()
			if overlay == nil {
				t.Fatal("the places button opened no menu")
			}
			menus := find(overlay, func(*widget.PopUpMenu) bool { return true })
			if len(menus) != 1 {
				t.Fatalf("found %d pop-up menus, want 1", len(menus))
			}
			menu := menus[0]
			if n := len(find(menu, func(c *canvas.Text) bool { return c.Text == i18n.T(p.Key) })); n != 1 {
				t.Fatalf("found %d menu items %q, want 1", n, i18n.T(p.Key))
			}
			for range i + 1 {
				menu.ActivateNext()
			}
			menu.TriggerLast()

			got := s.Map().Viewport()
			if want := got.Fit(p.Bound, mapview.FitPadding); got != want {
				t.Errorf("view %+v, want %+v", got, want)
			}
		})
	}
}

func TestShell_scaleBarText(t *testing.T) {
	s, w := newShell(t)
	s.Map().SetViewport(viewport.New(orb.Point{60, 45}, 5, 0, 0, 1))
	// At zoom 5 a pixel is 4892 m at the equator, 3459 m at 45° N: 100 px
	// are 346 km, and the longest round distance that fits is 200 km.
	if texts := find(w.Content(), func(c *canvas.Text) bool { return c.Text == "200 km" }); len(texts) != 1 {
		t.Errorf("found %d texts \"200 km\", want the scale bar's", len(texts))
	}
}

func TestShell_cursorCoordinates(t *testing.T) {
	s, w := newShell(t)
	s.Map().SetViewport(viewport.New(orb.Point{77.1234, 42.4567}, 8, 0, 0, 1))
	vp := s.Map().Viewport()
	centre := fyne.NewPos(float32(vp.Width/2), float32(vp.Height/2))

	s.Map().MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: centre}})

	shows := func(want string) bool {
		return len(find(w.Content(), func(l *widget.Label) bool { return l.Text == want })) == 1
	}
	if want := "42.4567° N 77.1234° E"; s.CoordinateFormat() != coord.KindDecimal || !shows(want) {
		t.Errorf("at first the readout is in %s and no label reads %q", s.CoordinateFormat(), want)
	}
	var heard []coord.Kind
	s.OnCoordinateFormatChanged(func(k coord.Kind) { heard = append(heard, k) })
	for _, tt := range []struct {
		kind coord.Kind
		want string
	}{
		{coord.KindDMS, "42°27′24″ N 77°07′24″ E"},
		{coord.KindUTM, "43T 674596 4702670"},
		{coord.KindMGRS, "43T FH 74595 02669"},
	} {
		s.SetCoordinateFormat(tt.kind)
		if !shows(tt.want) {
			t.Errorf("%s: no label reads %q", tt.kind, tt.want)
		}
		if got := s.FormatCoordinate(orb.Point{77.1234, 42.4567}); got != tt.want {
			t.Errorf("%s: FormatCoordinate gives %q, want %q", tt.kind, got, tt.want)
		}
	}
	if len(heard) != 3 {
		t.Errorf("the listener heard %v, want three changes", heard)
	}
	if got := fyne.CurrentApp().Preferences().String("coordinateFormat"); got != string(coord.KindMGRS) {
		t.Errorf("the notation kept for the next session is %q, want mgrs", got)
	}

	// The chooser beside the readout lists the notations.
	test.Tap(button(t, w, i18n.T("coords.format.mgrs")))
	menu := w.Canvas().Overlays().Top()
	if menu == nil {
		t.Fatal("the chooser shows no menu")
	}
	tapMenuItem(t, menu, i18n.T("coords.format.dms"))
	if s.CoordinateFormat() != coord.KindDMS || !shows("42°27′24″ N 77°07′24″ E") {
		t.Errorf("after choosing DMS in the menu the readout is in %s", s.CoordinateFormat())
	}
}

func TestShell_aboutShowsTheProvenance(t *testing.T) {
	_, w := newShell(t)

	test.Tap(button(t, w, i18n.T("toolbar.about")))

	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog is shown")
	}
	firstHeading := strings.TrimPrefix(strings.SplitN(assets.Provenance(), "\n", 2)[0], "# ")
	texts := find(top, func(r *widget.RichText) bool { return strings.Contains(r.String(), firstHeading) })
	if len(texts) == 0 {
		t.Errorf("the About dialog does not show the provenance (%q)", firstHeading)
	}
	for _, want := range []string{i18n.T("about.title"), i18n.T("about.licences")} {
		if len(find(top, func(l *widget.Label) bool { return l.Text == want })) == 0 &&
			len(find(top, func(c *canvas.Text) bool { return c.Text == want })) == 0 {
			t.Errorf("the About dialog does not show %q", want)
		}
	}
}

func TestShell_languageChooser(t *testing.T) {
	s, w := newShell(t)
	choosers := find(w.Content(), func(*widget.Select) bool { return true })
	if len(choosers) != 1 || choosers[0].Selected != "English" || len(choosers[0].Options) != 7 {
		t.Fatalf("want one chooser of 7 languages showing English, found %d", len(choosers))
	}

	choosers[0].SetSelected("Қазақша")

	if s.Map().Language() != "kk" {
		t.Errorf("label language %q, want %q", s.Map().Language(), "kk")
	}
}

func TestShell_layersButtonTogglesThePanel(t *testing.T) {
	s, w := newShell(t)
	withPanel := s.Map().Size().Width

	test.Tap(button(t, w, i18n.T("toolbar.layers")))
	if got := s.Map().Size().Width; got <= withPanel {
		t.Errorf("the map is %v wide without the panel, %v with it: want wider", got, withPanel)
	}
	test.Tap(button(t, w, i18n.T("toolbar.layers")))
	if got := s.Map().Size().Width; got != withPanel {
		t.Errorf("the map is %v wide with the panel back, want %v", got, withPanel)
	}
}

func BenchmarkShellCreate(b *testing.B) {
	a := test.NewTempApp(b)
	at, err := loadAtlas()
	if err != nil {
		b.Fatal(err)
	}
	w := test.NewTempWindow(b, nil)
	b.ReportAllocs()
	for b.Loop() {
		shell.New(a, w, at, at.Style.Clone()).Close()
	}
}

// tapMenuItem taps the item of a pop-up menu that shows text: the
// innermost tappable object holding the text, not the pop-up around it.
func tapMenuItem(t *testing.T, menu fyne.CanvasObject, text string) {
	t.Helper()
	var item fyne.Tappable
	for _, o := range test.LaidOutObjects(menu) {
		if tap, ok := o.(fyne.Tappable); ok && len(find(o, func(c *canvas.Text) bool { return c.Text == text })) == 1 {
			item = tap
		}
	}
	if item == nil {
		t.Fatalf("the menu has no item %q", text)
	}
	item.Tapped(&fyne.PointEvent{})
}
