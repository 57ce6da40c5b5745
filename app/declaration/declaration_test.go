package declaration

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/clausemap"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/ecoatlas/ecoatlas/seeds"
)

var loadAtlas = sync.OnceValues(func() (*atlas.Atlas, error) {
	return atlas.LoadDefault(context.Background())
})

// newShell returns the shell with the declaration feature in a 1000×700
// test window, rendering tiles and preparing the highlight synchronously.
// The atlas is shared by the tests unless fresh is set.
func newShell(t testing.TB, fresh bool) (*shell.Shell, *Feature, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	at, err := loadAtlas()
	if fresh {
		at, err = atlas.LoadDefault(context.Background())
	}
	if err != nil {
		t.Fatal(err)
	}
	f := New(WithImmediateDrawing())
	w := test.NewTempWindow(t, nil)
	s := shell.New(a, w, at, at.Style.Clone(), shell.WithMapOptions(mapview.WithImmediateRendering()), shell.WithFeatures(f))
	t.Cleanup(s.Close)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1000, 700))
	return s, f, w
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

// clauseRow returns the list's line of clause n.
func clauseRow(t *testing.T, w fyne.Window, n int) *row {
	t.Helper()
	rows := find(w.Content(), func(r *row) bool { return r.ref == cardRef{seeds.PartClause, n} })
	if len(rows) != 1 {
		t.Fatalf("found %d lines of clause %d, want 1", len(rows), n)
	}
	return rows[0]
}

// mapPixel returns the colour of the window's capture at a lon/lat
// point of the map.
func mapPixel(s *shell.Shell, img image.Image, p orb.Point) color.RGBA {
	q := s.Map().Viewport().ToPixel(p)
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(s.Map())
	return color.RGBAModel.Convert(img.At(int(float32(q[0])+at.X), int(float32(q[1])+at.Y))).(color.RGBA)
}

// brightness returns the sum of a colour's channels.
func brightness(c color.RGBA) int { return int(c.R) + int(c.G) + int(c.B) }

// TestSelectClause12_highlightsTheAral is the must-show: tapping
// clause 12 in the list flies the map over the Aral Sea, outlines the
// Aral's features in the highlight's colour and dims the rest of the map.
func TestSelectClause12_highlightsTheAral(t *testing.T) {
	s, f, w := newShell(t, false)
	s.ShowPanel(PanelID)
	before := w.Canvas().Capture()
	tashkentBefore := mapPixel(s, before, orb.Point{69.3, 41.3})
	zoomBefore := s.Map().Viewport().Zoom

	test.Tap(clauseRow(t, w, 12))

	if f.Selected() != 12 {
		t.Fatalf("selected clause %d, want 12", f.Selected())
	}
	aral := orb.Bound{Min: orb.Point{58, 43.3}, Max: orb.Point{62, 46.8}} // the lake of the 1950s
	vp := s.Map().Viewport()
	if !vp.Bound().Contains(aral.Min) || !vp.Bound().Contains(aral.Max) || !aral.Pad(4).Contains(vp.Center) {
		t.Errorf("the view %v (centre %v) is not over the Aral %v", vp.Bound(), vp.Center, aral)
	}
	if vp.Zoom < zoomBefore+0.5 {
		t.Errorf("zoom %v from %v: the view did not close in on the Aral", vp.Zoom, zoomBefore)
	}
	after := w.Canvas().Capture()
	// The Aral's outlines, in the highlight's yellow, around the lake.
	line := clausemap.DefaultLook.Highlight.Line
	outline := 0
	centre := vp.ToPixel(orb.Point{60, 45})
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(s.Map())
	for y := int(centre[1]) - 150; y < int(centre[1])+150; y++ {
		for x := int(centre[0]) - 150; x < int(centre[0])+150; x++ {
			c := color.RGBAModel.Convert(after.At(x+int(pos.X), y+int(pos.Y))).(color.RGBA)
			if c.R == line.R && c.G == line.G && c.B == line.B {
				outline++
			}
		}
	}
	if outline < 200 {
		t.Errorf("%d outline pixels around the Aral, want its features outlined", outline)
	}
	// Tashkent, no place of the clause, is dimmed: darker than before (the
	// view moved, so compare with the map there in the same frame: the
	// Aral's tint is lighter than the dimmed land far from it).
	s.Map().SetViewport(viewport.New(orb.Point{66, 43}, 5, 0, 0, 1))
	dimmed := w.Canvas().Capture()
	if got := mapPixel(s, dimmed, orb.Point{69.3, 41.3}); brightness(got) >= brightness(tashkentBefore)-30 {
		t.Errorf("Tashkent %v after selecting clause 12, %v before: want it dimmed", got, tashkentBefore)
	}
	// The card shows the clause's text, verbatim.
	c, _ := seeds.Embedded().Clause(12)
	if len(find(w.Content(), func(r *widget.RichText) bool { return r.String() == c.Text })) != 1 {
		t.Error("the card does not show clause 12's text")
	}
}

// TestSelectClause_switchesLayersOnAndBack selects a clause whose layer
// the user hid: it is switched on, and off again when the selection is
// cleared; the other layers stay as the user set them.
func TestSelectClause_switchesLayersOnAndBack(t *testing.T) {
	s, f, w := newShell(t, false)
	st := s.Style().Clone()
	setHidden(st, "regions", true)
	setHidden(st, "rivers", true)
	s.SetStyle(st)
	s.ShowPanel(PanelID)

	test.Tap(clauseRow(t, w, 12))
	if l, _ := s.Style().Layer("regions"); l.Hidden {
		t.Error("clause 12 did not switch its regions layer on")
	}
	buttons := find(w.Content(), func(b *widget.Button) bool { return b.Text == i18n.T("declaration.card.clear") })
	if len(buttons) != 1 {
		t.Fatalf("found %d clear buttons on the card", len(buttons))
	}
	test.Tap(buttons[0])

	if f.Selected() != 0 {
		t.Errorf("clause %d still selected", f.Selected())
	}
	for id, hidden := range map[string]bool{"regions": true, "rivers": true, "lakes": false} {
		if l, _ := s.Style().Layer(id); l.Hidden != hidden {
			t.Errorf("layer %s hidden %v after clearing, want %v as before", id, l.Hidden, hidden)
		}
	}
	// The card still shows the clause, to read on or to show again.
	if len(find(w.Content(), func(b *widget.Button) bool { return b.Text == i18n.T("declaration.card.show") })) != 1 {
		t.Error("the card does not offer to show the clause again")
	}
}

// TestSelectClause_keepsTheTiles selects clauses whose layers all show:
// the map keeps its style, so its tiles are not drawn again; only the
// overlay changes.
func TestSelectClause_keepsTheTiles(t *testing.T) {
	s, f, w := newShell(t, false)
	st := s.Map().Style()
	for _, n := range []int{4, 5, 14, 1} {
		f.SelectClause(n)
		w.Canvas().Capture()
		if s.Map().Style() != st {
			t.Errorf("selecting clause %d gave the map a new style, whose tiles it must draw", n)
		}
	}
}

// TestIdentifySection_caspian is the must-show for identify: the
// Caspian Sea lists clause 4 (and 20, whose conference it hosts), each
// opening its card; a feature no clause concerns gets no section.
func TestIdentifySection_caspian(t *testing.T) {
	s, f, w := newShell(t, false)
	section := f.IdentifySection("lakes", "lakes.caspian-sea")
	if section == nil {
		t.Fatal("no section for the Caspian Sea")
	}
	var texts []string
	buttons := find(section, func(*widget.Button) bool { return true })
	for _, b := range buttons {
		texts = append(texts, b.Text)
	}
	if want := []string{"§4 " + i18n.T("declaration.clause.4.title"), "§20 " + i18n.T("declaration.clause.20.title")}; !slices.Equal(texts, want) {
		t.Errorf("the Caspian's clauses %q, want %q", texts, want)
	}
	if len(find(section, func(l *widget.Label) bool { return l.Text == i18n.T("declaration.identify.title") })) != 1 {
		t.Error("the section has no heading")
	}

	test.Tap(buttons[0])

	if !s.PanelShown(PanelID) || f.Selected() != 4 {
		t.Errorf("tapping §4: panel shown %v, clause %d selected", s.PanelShown(PanelID), f.Selected())
	}
	c, _ := seeds.Embedded().Clause(4)
	if len(find(w.Content(), func(r *widget.RichText) bool { return r.String() == c.Text })) != 1 {
		t.Error("the card does not show clause 4's text")
	}
	if f.IdentifySection("rivers", "rivers.amu-darya") != nil || f.IdentifySection("no_layer", "x") != nil {
		t.Error("a section for a feature no clause concerns")
	}
}

// TestAllBadges_oncePerPlaceWithoutOverlaps is the must-show for
// the layer of all badges, switched on in the panel: each place has one
// badge, no two badges overlap, and the map shows them.
func TestAllBadges_oncePerPlaceWithoutOverlaps(t *testing.T) {
	s, f, w := newShell(t, false)
	w.Resize(fyne.NewSize(1600, 1000))
	s.Map().Home()
	s.ShowPanel(PanelID)
	checks := find(w.Content(), func(c *widget.Check) bool { return c.Text == i18n.T("declaration.badges.all") })
	if len(checks) != 1 {
		t.Fatalf("found %d switches of all badges", len(checks))
	}
	test.Tap(checks[0])
	if !f.AllBadges() {
		t.Fatal("the switch did not show all badges")
	}
	img := w.Canvas().Capture()
	vp := s.Map().Viewport()
	badges := f.painter.badgesIn(vp)
	if len(badges) < 20 {
		t.Fatalf("%d badges over the region, want every clause's", len(badges))
	}
	view := image.Rect(0, 0, vp.DeviceWidth(), vp.DeviceHeight())
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(s.Map())
	places := map[string]bool{}
	shown := 0
	for i, b := range badges {
		for _, o := range badges[:i] {
			if b.Box.Overlaps(o.Box) {
				t.Errorf("badges %v and %v overlap", b, o)
			}
		}
		for _, p := range b.Places {
			if places[p.String()] {
				t.Errorf("%s has two badges", p)
			}
			places[p.String()] = true
		}
		if !b.Box.In(view) {
			continue
		}
		// The badge's fill shows in the round left end of its box.
		c := color.RGBAModel.Convert(img.At(b.Box.Min.X+b.Box.Dy()/2+int(math.Round(float64(pos.X))), (b.Box.Min.Y+b.Box.Max.Y)/2+int(math.Round(float64(pos.Y))))).(color.RGBA)
		if want := clausemap.DefaultLook.Badge; absDiff(c.R, want.R) < 12 && absDiff(c.G, want.G) < 12 && absDiff(c.B, want.B) < 12 {
			shown++
		}
	}
	if shown < len(badges)/2 {
		t.Errorf("%d of %d badges show their colour on the map", shown, len(badges))
	}
	test.Tap(checks[0])
	if f.AllBadges() || f.painter.shown != nil {
		t.Error("switching off left the badges on the map")
	}
}

func absDiff(a, b uint8) uint8 {
	if a > b {
		return a - b
	}
	return b - a
}

// TestSearch finds clauses and recitals in either script and any case,
// and by their places' names.
func TestSearch(t *testing.T) {
	s, _, w := newShell(t, false)
	s.ShowPanel(PanelID)
	entries := find(w.Content(), func(e *widget.Entry) bool { return e.PlaceHolder == i18n.T("declaration.search.placeholder") })
	if len(entries) != 1 {
		t.Fatalf("found %d search fields", len(entries))
	}
	for _, tt := range []struct {
		query    string
		clauses  []int
		recitals bool
	}{
		{"TAILINGS", []int{14}, false},
		{"Иссык-Куль", []int{5}, false},
		{"glacier", []int{6}, true},
		{"regional сentres", []int{23, 24}, true}, // a Cyrillic "с", as in the source's clause 24; recital 13 has "regional … centres"
	} {
		entries[0].SetText("")
		test.Type(entries[0], tt.query)
		var clauses []int
		recitals := 0
		for _, r := range find(w.Content(), func(*row) bool { return true }) {
			if r.ref.part == seeds.PartClause {
				clauses = append(clauses, r.ref.n)
			} else {
				recitals++
			}
		}
		for _, n := range tt.clauses {
			if !slices.Contains(clauses, n) {
				t.Errorf("%q lists clauses %v, want %d among them", tt.query, clauses, n)
			}
		}
		if tt.recitals != (recitals > 0) {
			t.Errorf("%q lists %d recitals", tt.query, recitals)
		}
	}
	entries[0].SetText("no such words anywhere")
	if len(find(w.Content(), func(l *widget.Label) bool { return l.Text == i18n.T("declaration.search.none") })) != 1 {
		t.Error("a search that finds nothing does not say so")
	}
	// A recital's line opens it in the card, its match in bold.
	entries[0].SetText("glacier")
	recital := find(w.Content(), func(r *row) bool { return r.ref.part == seeds.PartRecital })[0]
	test.Tap(recital)
	text := seeds.Embedded().Recitals[recital.ref.n-1]
	cards := find(w.Content(), func(r *widget.RichText) bool { return r.String() == text })
	if len(cards) != 1 {
		t.Fatal("the card does not show the recital")
	}
	bold := 0
	for _, seg := range cards[0].Segments {
		if ts, ok := seg.(*widget.TextSegment); ok && ts.Style.TextStyle.Bold && strings.EqualFold(ts.Text[:min(len(ts.Text), 7)], "glacier") {
			bold++
		}
	}
	if bold == 0 {
		t.Error("the recital's match is not in bold")
	}
}

// TestTour steps through the tour with the player's buttons and the
// arrow keys: each step fits its view and highlights its features;
// Escape ends it and takes the highlight off the map.
func TestTour(t *testing.T) {
	s, f, w := newShell(t, false)
	tour, err := seeds.EmbeddedTour()
	if err != nil {
		t.Fatal(err)
	}
	s.ShowPanel(PanelID)
	starts := find(w.Content(), func(b *widget.Button) bool { return b.Text == i18n.T("declaration.tour.start") })
	test.Tap(starts[0])
	if f.Step() != 0 || !s.PanelShown(TourPanelID) {
		t.Fatalf("step %d, player shown %v after starting", f.Step(), s.PanelShown(TourPanelID))
	}
	fits := func(i int) {
		t.Helper()
		v := tour.Steps[i].View
		want := s.Map().Viewport().Fit(orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}, mapview.FitPadding)
		if got := s.Map().Viewport(); math.Abs(got.Center[0]-want.Center[0]) > 1e-6 || math.Abs(got.Center[1]-want.Center[1]) > 1e-6 || got.Zoom != want.Zoom {
			t.Errorf("step %d: view %v, want %v", i+1, got, want)
		}
		if f.highlight == nil || len(f.highlight.Places) != len(tour.Steps[i].Features) {
			t.Errorf("step %d: highlight %v", i+1, f.highlight)
		}
	}
	fits(0)
	focused, ok := w.Canvas().Focused().(*player)
	if !ok {
		t.Fatalf("the player does not have the keyboard: %T", w.Canvas().Focused())
	}
	focused.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	focused.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	if f.Step() != 2 {
		t.Fatalf("step %d after → →, want 3", f.Step()+1)
	}
	fits(2)
	focused.TypedKey(&fyne.KeyEvent{Name: fyne.KeyLeft})
	next := find(w.Content(), func(b *widget.Button) bool { return b.Text == i18n.T("declaration.tour.next") })
	test.Tap(next[0])
	if f.Step() != 2 {
		t.Errorf("step %d after ← and Next, want 3", f.Step()+1)
	}
	if got := find(w.Content(), func(l *widget.Label) bool { return l.Text == tour.Steps[2].Caption }); len(got) != 1 {
		t.Error("the player does not show the step's caption")
	}
	focused.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnd})
	if f.Step() != len(tour.Steps)-1 || !next[0].Disabled() {
		t.Errorf("End: step %d of %d, Next enabled %v", f.Step()+1, len(tour.Steps), !next[0].Disabled())
	}
	focused.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if f.Step() != -1 || f.highlight != nil || f.painter.shown != nil {
		t.Errorf("Escape: step %d, highlight %v", f.Step(), f.highlight)
	}
}

// TestBelts switches the green-belt layer on, as the layer panel does:
// the belts are planned and drawn, each city's area listed; a narrower
// ring plans smaller belts; a threshold that is no number is refused,
// naming its field.
func TestBelts(t *testing.T) {
	s, f, w := newShell(t, true)
	l, ok := s.Style().Layer(BeltLayerID)
	if !ok || !l.Hidden || l.Group != "Declaration" || l.Title != i18n.T("declaration.belts.layer") {
		t.Fatalf("the belt layer %+v, want it hidden in the Declaration group", l)
	}
	st := s.Style().Clone()
	setHidden(st, BeltLayerID, false)
	s.SetStyle(st)

	belts := f.Belts()
	if len(belts) < 20 {
		t.Fatalf("%d belts at the defaults", len(belts))
	}
	l, _ = s.Style().Layer(BeltLayerID)
	src := s.Atlas().Sources[l.Source]
	if l.Hidden || src == nil || src.Vector.Len() != len(belts) {
		t.Fatalf("the belt layer draws %q (%v), hidden %v", l.Source, src, l.Hidden)
	}
	if f, _ := src.Vector.Lookup("belt.places.tashkent"); f == nil || f.Properties.String("name") != "Tashkent" {
		t.Error("no belt around Tashkent with its name")
	} else if a, ok := f.Properties.Number("area_km2"); !ok || a < 500 {
		t.Errorf("Tashkent's belt has area_km2 %v", a)
	}
	s.ShowPanel(BeltsPanelID)
	first := fmt.Sprintf("%s people · %s km²", i18n.Int(int(belts[0].City.Population)), i18n.Number(belts[0].AreaKm2, 1))
	if len(find(w.Content(), func(l *widget.Label) bool { return l.Text == first })) != 1 {
		t.Errorf("the list lacks the line %q", first)
	}
	largest := belts[0].AreaKm2

	entries := find(w.Content(), func(*widget.Entry) bool { return true })
	population, width := entries[len(entries)-2], entries[len(entries)-1]
	// Planned from the planner, the belts show even if their layer was off.
	st = s.Style().Clone()
	setHidden(st, BeltLayerID, true)
	s.SetStyle(st)
	width.SetText("5")
	plan := find(w.Content(), func(b *widget.Button) bool { return b.Text == i18n.T("declaration.belts.plan") })[0]
	test.Tap(plan)
	if l, _ := s.Style().Layer(BeltLayerID); l.Hidden {
		t.Error("the belts planned from the planner are hidden")
	}
	if got := f.Belts(); len(got) != len(belts) || got[0].AreaKm2 >= largest*0.7 {
		t.Errorf("5 km belts: %d, the largest %v km² (10 km: %v)", len(got), got[0].AreaKm2, largest)
	}
	if l2, _ := s.Style().Layer(BeltLayerID); l2.Source == l.Source || s.Atlas().Sources[l.Source] != nil {
		t.Error("the new belts are drawn from the old source")
	}

	population.SetText("a lot")
	test.Tap(plan)
	if top := w.Canvas().Overlays().Top(); top == nil {
		t.Error("no error shown for a threshold that is not a number")
	} else if labels := find(top, func(l *widget.Label) bool {
		return strings.Contains(l.Text, i18n.T("declaration.belts.population"))
	}); len(labels) == 0 {
		t.Error("the error does not name the field")
	}
	if _, err := parseNumber("a lot", "x"); !errors.Is(err, ErrBeltOption) {
		t.Errorf("parseNumber: %v", err)
	}
	for _, tt := range []struct {
		lang, text string
		want       float64
	}{
		{"en", "100,000", 1e5}, {"en", "100 000", 1e5}, {"en", "2.5", 2.5}, {"en", "1'000'000", 1e6},
		{"ru", "100 000", 1e5}, {"ru", "100\u00a0000", 1e5}, {"ru", "100\u202f000", 1e5}, {"ru", "2,5", 2.5}, {"ru", "2.5", 2.5},
	} {
		i18n.SetLanguage(tt.lang)
		if got, err := parseNumber(tt.text, "x"); err != nil || got != tt.want {
			t.Errorf("%s: parseNumber(%q) = %v, %v, want %v", tt.lang, tt.text, got, err, tt.want)
		}
	}
	i18n.SetLanguage("en")
}

// TestInterfaceLanguage switches the interface to Russian and back: the
// feature installs itself again in the new language and keeps what it
// showed.
func TestInterfaceLanguage(t *testing.T) {
	t.Cleanup(func() { i18n.SetLanguage("en") })
	s, f, w := newShell(t, false)
	s.ShowPanel(PanelID)
	test.Tap(clauseRow(t, w, 12))
	f.setAllBadges(true)

	s.SetInterfaceLanguage("ru")

	if f.Selected() != 12 || !f.AllBadges() || !s.PanelShown(PanelID) {
		t.Errorf("after the switch: clause %d, all badges %v, panel shown %v", f.Selected(), f.AllBadges(), s.PanelShown(PanelID))
	}
	title := "§12 " + i18n.T("declaration.clause.12.title")
	if !strings.Contains(title, "Приаралье") || len(find(w.Content(), func(l *widget.Label) bool { return l.Text == title })) != 1 {
		t.Errorf("the card does not read %q", title)
	}
	if l, _ := s.Style().Layer(BeltLayerID); l.Title != i18n.T("declaration.belts.layer") || !strings.Contains(l.Title, "пояса") {
		t.Errorf("the belt layer's title %q", l.Title)
	}
	if n := len(find(w.Content(), func(r *row) bool { return r.ref.n == 12 })); n != 1 {
		t.Errorf("%d lines of clause 12 after the switch", n)
	}
	s.SetInterfaceLanguage("en")
	if l, _ := s.Style().Layer(BeltLayerID); l.Title != "Green belts (clause 17, planned)" {
		t.Errorf("the belt layer's title %q back in English", l.Title)
	}
}

// TestOverlay_inTheBackground draws the highlight the way the app does,
// prepared on another goroutine (run it with -race): the frames show it
// once it is ready, and a pan shows it moved, not prepared again.
func TestOverlay_inTheBackground(t *testing.T) {
	test.NewTempApp(t)
	at, err := loadAtlas()
	if err != nil {
		t.Fatal(err)
	}
	links, err := seeds.EmbeddedLinks()
	if err != nil {
		t.Fatal(err)
	}
	m, err := clausemap.New(at, seeds.Embedded(), links)
	if err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{}, 16)
	st := at.Style
	p := &painter{m: m, look: clausemap.DefaultLook,
		drawn:  func() (*style.Style, string) { return st, "en" },
		labels: func(viewport.Viewport) ([]image.Rectangle, bool) { return nil, true },
		ready:  func() { ready <- struct{}{} }}
	sel, _ := m.Clause(14)
	p.show(&shown{highlight: &sel, badges: &sel})
	vp := viewport.New(orb.Point{72, 41}, 6, 600, 400, 1)
	frame := image.NewRGBA(image.Rect(0, 0, 600, 400))
	// The first frame at a zoom, as in a fly-to, prepares nothing but asks
	// for another frame.
	p.Draw(frame, vp)
	if p.pending != nil || p.done != nil || len(ready) != 1 {
		t.Fatalf("the first frame at a zoom: pending %v, done %v, %d frames asked for", p.pending, p.done, len(ready))
	}
	deadline := time.After(30 * time.Second)
	for p.badgesIn(vp) == nil {
		select {
		case <-ready:
		case <-deadline:
			t.Fatal("no overlay after 30 s")
		}
		p.Draw(frame, vp)
	}
	want := p.newest()
	moved := vp.Pan(40, 25)
	p.Draw(frame, moved)
	if p.newest() != want || p.pending != nil {
		t.Error("a pan within the margin prepared the overlay again")
	}
	a, b := p.badgesIn(vp)[0], p.badgesIn(moved)[0]
	from, to := vp.ToPixel(a.Anchor), moved.ToPixel(a.Anchor)
	if shift := image.Pt(int(math.Round(to[0]-from[0])), int(math.Round(to[1]-from[1]))); b.Box.Min.Sub(a.Box.Min) != shift {
		t.Errorf("a badge at %v moved to %v by a pan that moved the map by %v", a.Box, b.Box, shift)
	}
}

// BenchmarkSelectClause_frame measures what selecting a clause costs the
// app until its highlighted frame: the selection, its layers and the
// overlay prepared and composed over a full-HD map frame (its tiles
// cached, so not drawn again), for a clause of few areas (5), of many
// points (14) and of whole layers (10, 6). The target is 50 ms.
func BenchmarkSelectClause_frame(b *testing.B) {
	s, f, w := newShell(b, false)
	w.Resize(fyne.NewSize(1920, 1080))
	w.Canvas().Capture()
	frame := image.NewRGBA(image.Rect(0, 0, 1920, 1080))
	for _, n := range []int{5, 14, 10, 6} {
		f.SelectClause(n)
		vp := s.Map().Viewport()
		b.Run(fmt.Sprintf("clause%d", n), func(b *testing.B) {
			for b.Loop() {
				f.SelectClause(n)
				f.painter.Draw(frame, vp)
			}
		})
	}
}

// badgesIn returns the badges of the newest overlay prepared, with their
// boxes in device pixels of the view vp: what the map shows; nil if none
// is prepared for vp's zoom and scale.
func (p *painter) badgesIn(vp viewport.Viewport) []clausemap.Badge {
	p.mu.Lock()
	defer p.mu.Unlock()
	done := p.done
	if done == nil || done.shown != p.shown || done.zoom != vp.Zoom || done.scale != vp.Scale {
		return nil
	}
	shift := done.origin.Sub(deviceOrigin(vp))
	out := make([]clausemap.Badge, len(done.badges))
	for i, b := range done.badges {
		b.Box = b.Box.Add(shift)
		out[i] = b
	}
	return out
}
