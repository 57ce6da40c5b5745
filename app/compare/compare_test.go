package compare_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/compare"
	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/query"
)

var loadEngine = sync.OnceValues(func() (*query.Engine, error) {
	return query.Default(context.Background())
})

func TestCompare_theAralThenAndNow(t *testing.T) {
	a := test.NewTempApp(t)
	e, err := loadEngine()
	if err != nil {
		t.Fatal(err)
	}
	f := compare.New(e, "aral")
	w := test.NewTempWindow(t, nil)
	s := shell.New(a, w, e.Atlas(), e.Atlas().Style.Clone(),
		shell.WithMapOptions(mapview.WithImmediateRendering()), shell.WithFeatures(f))
	t.Cleanup(s.Close)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1200, 800))

	f.Open()
	f.Wait()
	c := f.Change()
	if c == nil {
		t.Fatal("the comparison was not worked out")
	}
	if math.Abs(c.Then.Area/1e6-67_644) > 50 || math.Abs(c.LostPercent-72.7) > 0.1 {
		t.Errorf("the Aral covered %.0f km² and lost %.1f %%, want about 67 644 km² and 72.7 %%", c.Then.Area/1e6, c.LostPercent)
	}
	var shown []string
	for _, o := range test.LaidOutObjects(w.Content()) {
		if l, ok := o.(*widget.Label); ok && l.Visible() {
			shown = append(shown, l.Text)
		}
	}
	all := strings.Join(shown, "\n")
	for _, want := range []string{"The Aral Sea then and now", "67 644 km²", "18 435 km²", "72.7 % smaller"} {
		if !strings.Contains(strings.ReplaceAll(all, "\u00a0", " "), want) {
			t.Errorf("the panel does not show %q", want)
		}
	}

	// A point of the old sea bed, dry today: water-blue with the earlier
	// outline at full strength, the map's own colour at none; no tile is
	// rendered for either.
	seabed := orb.Point{61.0, 44.9}
	w.Canvas().Capture() // the map takes its size beside the panel
	f.Wait()
	at := s.Map().Viewport().ToPixel(seabed)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(s.Map()).AddXY(float32(at[0]), float32(at[1]))
	px := func() (r, g, b uint32) {
		img := w.Canvas().Capture()
		r, g, b, _ = img.At(int(pos.X), int(pos.Y)).RGBA()
		return r >> 8, g >> 8, b >> 8
	}
	rendered := s.Map().TilesRendered()
	if r, g, b := px(); !(b > r+30 && b > g) {
		t.Errorf("the old sea bed at full strength is rgb(%d,%d,%d), want water blue", r, g, b)
	}
	// The panel's slider, right of the map (the layer panel's are left).
	right := fyne.CurrentApp().Driver().AbsolutePositionForObject(s.Map()).X + s.Map().Size().Width
	for _, o := range test.LaidOutObjects(w.Content()) {
		if sl, ok := o.(*widget.Slider); ok && fyne.CurrentApp().Driver().AbsolutePositionForObject(sl).X > right {
			sl.SetValue(0)
		}
	}
	f.Wait()
	if r, g, b := px(); b > r+30 {
		t.Errorf("the old sea bed with the slider at today is rgb(%d,%d,%d), still blue", r, g, b)
	}
	if got := s.Map().TilesRendered(); got != rendered {
		t.Errorf("the slider rendered %d tiles", got-rendered)
	}
}

// TestCompare_titleInTheInterfaceLanguage shows the toolbar's title in
// the interface language, Kazakh here, from the data dictionary.
func TestCompare_titleInTheInterfaceLanguage(t *testing.T) {
	t.Cleanup(func() { i18n.SetLanguage("en") })
	i18n.SetLanguage("kk")
	a := test.NewTempApp(t)
	e, err := loadEngine()
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	s := shell.New(a, w, e.Atlas(), e.Atlas().Style.Clone(),
		shell.WithMapOptions(mapview.WithImmediateRendering()), shell.WithFeatures(compare.New(e, "aral")))
	t.Cleanup(s.Close)
	var titles []string
	for _, o := range test.LaidOutObjects(w.Content()) {
		if b, ok := o.(*widget.Button); ok {
			titles = append(titles, b.Text)
		}
	}
	if !slices.Contains(titles, "Арал теңізі: бұрын және қазір") {
		t.Errorf("toolbar buttons %q, want the comparison's Kazakh title", titles)
	}
}
