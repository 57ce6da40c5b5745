// Package search is the toolbar's search box: it finds any named feature
// of any loaded layer while the user types (query.Engine.Search: across
// Latin and Cyrillic spellings and transliterations, ranked by match and
// importance), in the map's label language and honouring the filter,
// and lists the results under the box. Enter, or a click on a result,
// flies the map to it and selects it (identify.Feature.Show). A typed
// coordinate ("42.45 77.3", "42°27'N 77°18'E", UTM, MGRS) flies there and
// drops a marker.
//
// Keys in the box: Down and Up move through the results, Enter goes to
// the one marked (the first unless moved), Escape closes the list. Ctrl+F
// puts the cursor in the box.
package search

import (
	"context"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/async"
	"github.com/ecoatlas/ecoatlas/app/highlight"
	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/identify"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/query"
	"github.com/ecoatlas/ecoatlas/geo/render"
)

// markerName is the coordinate marker's name on the map.
const markerName = "search-marker"

// Limit is the most results the list shows.
const Limit = 8

// boxWidth is the search box's width on the toolbar, in logical pixels.
const boxWidth = 280

// listWidth is the result list's width, in logical pixels, unless the
// box or the map is narrower.
const listWidth = 560

// markerStyle draws the dropped marker: a red ring with a white halo.
var markerStyle = render.HighlightStyle{
	Line: color.NRGBA{0xd0, 0x1c, 0x1c, 0xff}, Width: 2.5,
	Halo: color.NRGBA{0xff, 0xff, 0xff, 0xe0}, HaloWidth: 5.5,
	Fill: color.NRGBA{0xd0, 0x1c, 0x1c, 0x50}, Gap: 0,
}

// Filterer is what the search takes the user's filter from (the filter
// feature).
type Filterer interface {
	Filter() query.Filter
}

// Feature is the search box. Create it with [New] and pass it to
// shell.WithFeatures after the identify feature; its methods are called
// on the UI goroutine.
type Feature struct {
	engine   *query.Engine
	identify *identify.Feature
	filter   Filterer
	shell    *shell.Shell

	text    string         // what the results are for
	results []query.Result // the results of text
	marked  int            // the result Enter goes to
	marker  *orb.Point     // the dropped coordinate, if any

	box      *box
	lines    []*identify.Line
	rows     *fyne.Container // the lines
	list     *fyne.Container // the results, floating over the map
	layer    *fyne.Container // the map-sized layer the list floats on
	overlay  *highlight.Overlay
	searches async.Latest
}

// New returns the search feature: it searches with e, shows results
// through id, and honours the filter of filter (nil for none).
func New(e *query.Engine, id *identify.Feature, filter Filterer) *Feature {
	return &Feature{engine: e, identify: id, filter: filter}
}

// Install puts the search box on the toolbar and Ctrl+F on the window.
func (f *Feature) Install(s *shell.Shell) {
	f.shell = s
	f.searches.Immediate = s.Map().Immediate()
	f.box = newBox(f)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	bg.StrokeColor = theme.Color(theme.ColorNameShadow)
	bg.StrokeWidth = 1
	f.rows = container.NewVBox()
	f.list = container.NewStack(bg, container.NewPadded(f.rows))
	f.list.Hide()
	f.layer = container.NewWithoutLayout(f.list)
	s.AddMapObject(f.layer)
	s.AddToolbarItem(container.NewGridWrap(fyne.NewSize(boxWidth, f.box.MinSize().Height), f.box))
	s.AddShortcut(fyne.KeyF, func() { s.Window().Canvas().Focus(f.box) })
	if f.marker != nil {
		f.setMarker(*f.marker)
	}
}

// changed searches for what the box holds, in the background, and lists
// the results.
func (f *Feature) changed(text string) {
	if text == "" {
		f.searches.Stop()
		f.text, f.results = "", nil
		f.hideList()
		return
	}
	f.search(text, false)
}

// search finds text and lists the results; with goFirst it goes to
// the first at once.
func (f *Feature) search(text string, goFirst bool) {
	opts := query.SearchOptions{Lang: f.shell.LabelLanguage(), Limit: Limit}
	if f.filter != nil {
		opts.Filter = f.filter.Filter()
	}
	f.searches.Run(func(context.Context) func() {
		results := f.engine.Search(text, opts)
		return func() {
			f.text, f.results, f.marked = text, results, 0
			if goFirst {
				f.hideList()
				if len(results) == 0 {
					f.shell.Notify(i18n.T("search.none", map[string]any{"Text": text}))
					return
				}
				f.goTo(results[0])
				return
			}
			f.showList()
		}
	})
}

// submitted goes to the marked result of what the box holds, searching
// first if the results are not of it yet.
func (f *Feature) submitted(text string) {
	if text == "" {
		return
	}
	if text == f.text && f.marked < len(f.results) {
		f.hideList()
		f.goTo(f.results[f.marked])
		return
	}
	f.search(text, true)
}

// goTo flies to a result: it selects a feature, or drops a marker on a
// coordinate.
func (f *Feature) goTo(r query.Result) {
	f.hideList()
	if r.Match == query.MatchCoordinate {
		f.shell.Map().FlyTo(identify.Around(orb.Bound{Min: r.At, Max: r.At}))
		f.setMarker(r.At)
		return
	}
	f.clearMarker()
	f.shell.Map().FlyTo(identify.Around(r.Bound.Bound()))
	f.identify.Select(r.Ref)
}

// setMarker drops the marker on a point.
func (f *Feature) setMarker(at orb.Point) {
	f.marker = &at
	f.overlay = highlight.New(f.shell.Map(), markerStyle, func(float64) []render.Mark {
		return []render.Mark{{Geometry: at, Radius: 5}}
	})
	f.shell.Map().SetOverlay(markerName, f.overlay)
}

// clearMarker takes the marker off the map.
func (f *Feature) clearMarker() {
	f.marker = nil
	if f.overlay != nil {
		f.overlay.Close()
		f.overlay = nil
	}
	f.shell.Map().SetOverlay(markerName, nil)
}

// Marker returns the dropped marker's position, if there is one.
func (f *Feature) Marker() (orb.Point, bool) {
	if f.marker == nil {
		return orb.Point{}, false
	}
	return *f.marker, true
}

// Results returns the results listed for what the box holds.
func (f *Feature) Results() []query.Result { return f.results }

// Wait blocks until the search under way has been shown; tests call it.
func (f *Feature) Wait() {
	f.searches.Wait()
	if f.overlay != nil {
		f.overlay.Wait()
	}
}

// showList shows the results over the map, under the box, the first
// marked, or says in the status bar that there are none.
func (f *Feature) showList() {
	if len(f.results) == 0 {
		f.hideList()
		f.shell.Notify(i18n.T("search.none", map[string]any{"Text": f.text}))
		return
	}
	f.lines = f.lines[:0]
	f.rows.Objects = f.rows.Objects[:0]
	for _, r := range f.results {
		l := identify.NewLine(f.resultName(r), f.resultKind(r), func() { f.goTo(r) })
		f.lines = append(f.lines, l)
		f.rows.Objects = append(f.rows.Objects, l)
	}
	d := fyne.CurrentApp().Driver()
	x := d.AbsolutePositionForObject(f.box).X - d.AbsolutePositionForObject(f.layer).X
	width := min(max(f.box.Size().Width, listWidth), f.layer.Size().Width)
	x = max(0, min(x, f.layer.Size().Width-width))
	f.list.Resize(fyne.NewSize(width, f.list.MinSize().Height))
	f.list.Move(fyne.NewPos(x, 0))
	f.list.Show()
	f.list.Refresh()
	f.mark(0)
}

// hideList hides the results.
func (f *Feature) hideList() {
	if f.list != nil && f.list.Visible() {
		f.list.Hide()
	}
}

// mark moves the mark to result i.
func (f *Feature) mark(i int) {
	if len(f.results) == 0 {
		return
	}
	f.marked = max(0, min(i, len(f.results)-1))
	for j, l := range f.lines {
		l.SetSelected(j == f.marked)
	}
}

// resultName returns what the list shows of a result: its name, and the
// name that matched when it is another (the Cyrillic name typed, the
// Latin shown).
func (f *Feature) resultName(r query.Result) string {
	if r.Matched != "" && r.Matched != r.Name {
		return i18n.T("search.matched", map[string]any{"Name": r.Name, "Matched": r.Matched})
	}
	return r.Name
}

// resultKind returns the kind of a result: its layer's title, or
// "coordinate".
func (f *Feature) resultKind(r query.Result) string {
	if r.Match == query.MatchCoordinate {
		return i18n.T("search.coordinate")
	}
	if l, ok := f.shell.Style().Layer(r.Ref.Layer); ok {
		return i18n.Style(l.Title)
	}
	return r.Ref.Layer
}

// box is the search box: an entry that passes Down, Up and Escape to the
// result list.
type box struct {
	widget.Entry
	f *Feature
}

func newBox(f *Feature) *box {
	b := &box{f: f}
	b.ExtendBaseWidget(b)
	b.PlaceHolder = i18n.T("search.placeholder")
	b.ActionItem = widget.NewIcon(theme.SearchIcon())
	b.OnChanged = f.changed
	b.OnSubmitted = f.submitted
	return b
}

// TypedKey moves through the results, closes them, or edits the text.
func (b *box) TypedKey(e *fyne.KeyEvent) {
	f := b.f
	switch e.Name {
	case fyne.KeyDown:
		if f.list.Visible() {
			f.mark(f.marked + 1)
		} else if len(f.results) > 0 && f.text == b.Text {
			f.showList()
		}
	case fyne.KeyUp:
		if f.list.Visible() {
			f.mark(f.marked - 1)
		}
	case fyne.KeyEscape:
		f.hideList()
	default:
		b.Entry.TypedKey(e)
	}
}

// FocusLost closes the results when the user goes elsewhere (clicks the
// map); clicking a result keeps the focus in the box.
func (b *box) FocusLost() {
	b.Entry.FocusLost()
	b.f.hideList()
}
