package measure_test

import (
	"context"
	"math"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/app/measure"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/geodesic"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

var loadAtlas = sync.OnceValues(func() (*atlas.Atlas, error) {
	return atlas.LoadDefault(context.Background())
})

// newShell returns a shell with the measuring tool in an 900×600 test
// window, its map over the Aral Sea at zoom 7.
func newShell(t *testing.T) (*shell.Shell, fyne.Window, *measure.Feature) {
	t.Helper()
	a := test.NewTempApp(t)
	at, err := loadAtlas()
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	f := measure.New()
	s := shell.New(a, w, at, at.Style.Clone(), shell.WithMapOptions(mapview.WithImmediateRendering()), shell.WithFeatures(f))
	t.Cleanup(s.Close)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(900, 600))
	s.Map().SetViewport(viewport.New(orb.Point{60, 45}, 7, 0, 0, 1))
	return s, w, f
}

// menuItem returns the item of the Tools menu with a label.
func menuItem(t *testing.T, s *shell.Shell, label string) *fyne.MenuItem {
	t.Helper()
	for _, it := range s.Menu("menu.tools").Items {
		if it.Label == label {
			return it
		}
	}
	t.Fatalf("no Tools menu item %q", label)
	return nil
}

// cardText returns the card's lines, or "" when it is hidden: the shown
// labels with an azimuth or a hint.
func cardText(w fyne.Window) string {
	var lines []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if !o.Visible() {
			return
		}
		switch o := o.(type) {
		case *widget.Label:
			if strings.Contains(o.Text, "°") || strings.Contains(o.Text, "Esc") {
				lines = append(lines, o.Text)
			}
		case *fyne.Container:
			for _, c := range o.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(o).Objects() {
				walk(c)
			}
		}
	}
	walk(w.Content())
	return strings.Join(lines, "\n")
}

// click taps the map at a logical pixel.
func click(s *shell.Shell, x, y float32) {
	s.Map().Tapped(&fyne.PointEvent{Position: fyne.NewPos(x, y)})
}

// inkPixels counts the frame's pixels in the measuring ink.
func inkPixels(w fyne.Window) int {
	img := w.Canvas().Capture()
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 > 0xf0 && g>>8 > 0x50 && g>>8 < 0x80 && bl>>8 < 0x20 {
				n++
			}
		}
	}
	return n
}

func TestMeasure_distanceAlongALine(t *testing.T) {
	s, w, f := newShell(t)
	before := inkPixels(w)
	menuItem(t, s, "Measure distance").Action()
	if !f.Measuring() || s.Map().Tool() == nil {
		t.Fatal("the menu item did not start measuring")
	}
	vp := s.Map().Viewport()
	click(s, 100, 300)
	click(s, 400, 300)
	s.Map().MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(400, 100)}})
	a, b, c := vp.FromPixel(orb.Point{100, 300}), vp.FromPixel(orb.Point{400, 300}), vp.FromPixel(orb.Point{400, 100})
	live := geodesic.Distance(a, b) + geodesic.Distance(b, c)
	if got := f.Length(); math.Abs(got-live) > 1e-6 {
		t.Errorf("while the pointer is at the third point the length is %v m, want %v", got, live)
	}
	if text := cardText(w); !strings.Contains(text, "Total: "+measure.Length(live)) || !strings.Contains(text, "double-click or Enter") {
		t.Errorf("the card reads %q, want the live total %s and the hint", text, measure.Length(live))
	}
	if inkPixels(w) <= before+100 {
		t.Error("the line is not drawn on the map")
	}

	s.Map().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	want := geodesic.Distance(a, b)
	if f.Measuring() || math.Abs(f.Length()-want) > 1e-6 || len(f.Points()) != 2 {
		t.Errorf("after Enter: measuring %v, %d points, %v m; want finished, 2 points, %v m", f.Measuring(), len(f.Points()), f.Length(), want)
	}
	if s.Map().Tool() != nil {
		t.Error("the measuring tool kept the map after Enter")
	}
	text := cardText(w)
	_, az, _ := geodesic.Inverse(a, b)
	if !strings.Contains(text, "Total: "+measure.Length(want)) || !strings.Contains(text, "1. "+measure.Length(want)+" at "+measure.Azimuth(az)) || strings.Contains(text, "Enter") {
		t.Errorf("the finished card reads %q", text)
	}
	if !strings.HasSuffix(measure.Length(want), " km") {
		t.Errorf("%v m shows as %q, want kilometres", want, measure.Length(want))
	}
}

func TestMeasure_areaFinishedByADoubleClick(t *testing.T) {
	s, w, f := newShell(t)
	f.Start(measure.Area)
	vp := s.Map().Viewport()
	click(s, 100, 100)
	click(s, 500, 100)
	s.Map().DoubleTapped(&fyne.PointEvent{Position: fyne.NewPos(500, 400)})
	ring := orb.Ring{vp.FromPixel(orb.Point{100, 100}), vp.FromPixel(orb.Point{500, 100}), vp.FromPixel(orb.Point{500, 400}), vp.FromPixel(orb.Point{100, 100})}
	want := geodesic.Area(orb.Polygon{ring})
	if f.Measuring() || math.Abs(f.EnclosedArea()-want) > 1e-3*want {
		t.Fatalf("after a double click: measuring %v, area %v m², want finished and %v m²", f.Measuring(), f.EnclosedArea(), want)
	}
	if s.Map().Viewport().Zoom != vp.Zoom {
		t.Error("the double click zoomed the map as well")
	}
	text := cardText(w)
	if !strings.Contains(text, "Area: "+measure.AreaText(want)) || !strings.Contains(text, "Perimeter: ") || !strings.HasSuffix(measure.AreaText(want), " km²") {
		t.Errorf("the card reads %q, want the area %s in km² and the perimeter", text, measure.AreaText(want))
	}
}

func TestMeasure_escapeCancels(t *testing.T) {
	s, w, f := newShell(t)
	blank := inkPixels(w)
	f.Start(measure.Distance)
	click(s, 100, 300)
	click(s, 400, 300)
	s.Map().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if f.Measuring() || len(f.Points()) != 0 || s.Map().Tool() != nil {
		t.Errorf("after Escape: measuring %v with %d points, tool %v", f.Measuring(), len(f.Points()), s.Map().Tool())
	}
	if cardText(w) != "" || inkPixels(w) > blank {
		t.Error("the cancelled measurement is still shown")
	}
	// A click alone cannot make a distance: Enter cancels it too.
	f.Start(measure.Distance)
	click(s, 100, 300)
	f.Finish()
	if f.Measuring() || len(f.Points()) != 0 {
		t.Error("a one-point distance was kept")
	}
}

func TestMeasure_keptAcrossALanguageSwitch(t *testing.T) {
	t.Cleanup(func() { i18n.SetLanguage("en") })
	s, w, f := newShell(t)
	f.Start(measure.Distance)
	click(s, 100, 300)
	click(s, 400, 300)
	s.SetInterfaceLanguage("ru")
	if !f.Measuring() || len(f.Points()) != 2 || s.Map().Tool() == nil {
		t.Fatal("the measurement under way was lost with the language switch")
	}
	if text := cardText(w); !strings.Contains(text, "Всего: ") || !strings.Contains(text, " км") {
		t.Errorf("the card reads %q after switching to Russian", text)
	}
	click(s, 400, 100)
	f.Finish()
	if len(f.Points()) != 3 {
		t.Errorf("%d points after one more click and Enter, want 3", len(f.Points()))
	}
}

func TestUnits(t *testing.T) {
	t.Cleanup(func() { i18n.SetLanguage("en") })
	cases := []struct {
		lang   string
		format func() string
		want   string
	}{
		{"en", func() string { return measure.Length(8.26) }, "8.26 m"},
		{"en", func() string { return measure.Length(640.4) }, "640 m"},
		{"en", func() string { return measure.Length(3254) }, "3.25 km"},
		{"en", func() string { return measure.Length(48_640) }, "48.6 km"},
		{"en", func() string { return measure.Length(1_204_300) }, "1,204 km"},
		{"en", func() string { return measure.AreaText(950) }, "950 m²"},
		{"en", func() string { return measure.AreaText(53_000) }, "5.3 ha"},
		{"en", func() string { return measure.AreaText(450_000) }, "45 ha"},
		{"en", func() string { return measure.AreaText(68_300_000_000) }, "68,300 km²"},
		{"en", func() string { return measure.Azimuth(-90) }, "270°"},
		{"en", func() string { return measure.Azimuth(359.6) }, "0°"},
		{"ru", func() string { return measure.Length(3254) }, "3,25 км"},
		{"ru", func() string { return measure.AreaText(53_000) }, "5,3 га"},
	}
	for _, c := range cases {
		i18n.SetLanguage(c.lang)
		if got := c.format(); got != c.want {
			t.Errorf("%s: got %q, want %q", c.lang, got, c.want)
		}
	}
}

func TestMeasure_circleFromItsCentreAndRim(t *testing.T) {
	s, w, f := newShell(t)
	menuItem(t, s, "Measure a circle").Action()
	if text := cardText(w); !strings.Contains(text, "Click the centre") {
		t.Errorf("the card reads %q, want the circle's hint", text)
	}
	vp := s.Map().Viewport()
	click(s, 300, 300)
	click(s, 450, 300)
	centre, rim := vp.FromPixel(orb.Point{300, 300}), vp.FromPixel(orb.Point{450, 300})
	r := geodesic.Distance(centre, rim)
	if f.Measuring() || s.Map().Tool() != nil {
		t.Fatal("the circle did not finish at its second click")
	}
	if math.Abs(f.Length()-r) > 1e-6 {
		t.Errorf("radius %v m, want %v", f.Length(), r)
	}
	if a, want := f.EnclosedArea(), math.Pi*r*r; math.Abs(a-want) > 1e-3*want {
		t.Errorf("area %v m², want about πr² = %v", a, want)
	}
	text := cardText(w)
	if !strings.Contains(text, "Radius: "+measure.Length(r)) || !strings.Contains(text, "Area: "+measure.AreaText(f.EnclosedArea())) {
		t.Errorf("the card reads %q", text)
	}
}
