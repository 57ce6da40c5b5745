// Package compare shows one thing outlined at two times, as the data
// dictionary pairs them (query.Engine.Compare): the Aral Sea of the late
// 1950s against today's. A dock panel gives both outlines' geodesic
// areas in km² and what was lost in %, and a slider fades the earlier
// water in over the map (1 shows it as it was, 0 the map as it is), drawn
// as an overlay so that no tile is rendered again.
package compare

import (
	"context"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/async"
	"github.com/ecoatlas/ecoatlas/app/highlight"
	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/query"
	"github.com/ecoatlas/ecoatlas/geo/render"
)

// PanelID returns the panel's id in the shell's dock for a comparison.
func PanelID(name string) string { return "compare-" + name }

// overlayName is the earlier outline's name on the map.
const overlayName = "compare"

// Water and shore colours of the earlier outline, at full strength: the
// map's own lake colours.
var (
	water = color.NRGBA{0xa9, 0xd0, 0xee, 0xff}
	shore = color.NRGBA{0x2f, 0x6f, 0xab, 0xff}
)

// Feature is the panel of one comparison. Create it with [New] and pass
// it to shell.WithFeatures; its methods are called on the UI goroutine.
type Feature struct {
	engine *query.Engine
	name   string
	shell  *shell.Shell

	change  *query.Change // worked out on Install, in the interface's language
	failure error
	then    float64 // how strongly the earlier outline shows, 0..1
	shown   bool    // whether it shows on the map

	worker  async.Latest
	overlay *highlight.Overlay
	body    *fyne.Container
}

// New returns the panel of the dictionary's comparison name ("aral").
func New(e *query.Engine, name string) *Feature {
	return &Feature{engine: e, name: name, then: 1}
}

// Install adds the panel and its menu and toolbar items.
func (f *Feature) Install(s *shell.Shell) {
	f.shell = s
	f.worker.Immediate = s.Map().Immediate()
	f.body = container.NewVBox()
	title := f.title()
	s.AddPanel(shell.Panel{ID: PanelID(f.name), Title: title, Icon: theme.HistoryIcon(), Content: container.NewVScroll(container.NewPadded(f.body))})
	tools := s.Menu("menu.tools")
	tools.Items = append(tools.Items, fyne.NewMenuItem(title, f.Open))
	s.RefreshMenu()
	b := widget.NewButtonWithIcon(title, theme.HistoryIcon(), f.Open)
	b.Importance = widget.LowImportance
	s.AddToolbarItem(b)
	lang := i18n.Current()
	f.worker.Run(func(context.Context) func() {
		c, err := f.engine.Compare(f.name, lang)
		return func() {
			f.change, f.failure = c, err
			f.show()
			if f.shown {
				f.setOverlay()
			}
		}
	})
	f.show()
}

// title returns the comparison's title in the interface's language, else
// in the first language of its fallback chain that the dictionary has
// (Kazakh → Russian → English, as the engine's own texts), else the
// dictionary's first.
func (f *Feature) title() string {
	c, ok := f.engine.Dictionary().Comparisons[f.name]
	if !ok {
		return f.name
	}
	lang := i18n.Current()
	for _, tag := range append([]string{lang}, f.engine.Atlas().Style.NameChain(lang)...) {
		if t, ok := c.Title[tag]; ok {
			return t
		}
	}
	if langs := f.engine.Dictionary().Languages; len(langs) > 0 {
		return c.Title[langs[0]]
	}
	return f.name
}

// Open opens the panel, shows the earlier outline on the map and flies
// to both outlines.
func (f *Feature) Open() {
	f.shell.ShowPanel(PanelID(f.name))
	f.setShown(true)
	if f.change == nil {
		return
	}
	var b orb.Bound
	for i, o := range []query.Outline{f.change.Then, f.change.Now} {
		if feat, ok := f.engine.Lookup(o.Ref); ok && feat.Geometry != nil {
			if i == 0 {
				b = feat.Geometry.Bound()
			} else {
				b = b.Union(feat.Geometry.Bound())
			}
		}
	}
	if !b.IsEmpty() {
		f.shell.Map().FlyTo(b)
	}
}

// Change returns the comparison worked out, nil before it is.
func (f *Feature) Change() *query.Change { return f.change }

// Wait blocks until the comparison is worked out and its outline drawn;
// tests call it.
func (f *Feature) Wait() {
	f.worker.Wait()
	if f.overlay != nil {
		f.overlay.Wait()
	}
}

// setShown shows or hides the earlier outline on the map.
func (f *Feature) setShown(on bool) {
	f.shown = on
	if on {
		f.setOverlay()
	} else {
		f.removeOverlay()
	}
	f.show()
}

// setThen sets how strongly the earlier outline shows.
func (f *Feature) setThen(v float64) {
	f.then = v
	if f.shown {
		f.setOverlay()
	}
}

// setOverlay draws the earlier outline at its strength.
func (f *Feature) setOverlay() {
	f.removeOverlay()
	if f.change == nil {
		return
	}
	feat, ok := f.engine.Lookup(f.change.Then.Ref)
	if !ok || feat.Geometry == nil {
		return
	}
	g := feat.Geometry
	hs := render.HighlightStyle{Fill: faded(water, 0.85*f.then), Line: faded(shore, f.then), Width: 1.5}
	f.overlay = highlight.New(f.shell.Map(), hs, func(float64) []render.Mark { return []render.Mark{{Geometry: g}} })
	f.shell.Map().SetOverlay(overlayName, f.overlay)
}

// removeOverlay takes the earlier outline off the map.
func (f *Feature) removeOverlay() {
	if f.overlay != nil {
		f.overlay.Close()
		f.overlay = nil
	}
	f.shell.Map().SetOverlay(overlayName, nil)
}

// faded returns c with its opacity scaled by a, 0..1.
func faded(c color.NRGBA, a float64) color.NRGBA {
	c.A = uint8(math.Round(float64(c.A) * max(0, min(1, a))))
	return c
}

// show builds the panel afresh.
func (f *Feature) show() {
	switch {
	case f.failure != nil:
		l := wrapped(f.failure.Error())
		l.Importance = widget.DangerImportance
		f.body.Objects = []fyne.CanvasObject{l}
	case f.change == nil:
		f.body.Objects = []fyne.CanvasObject{wrapped(i18n.T("compare.working")), widget.NewProgressBarInfinite()}
	default:
		f.body.Objects = f.changeView(f.change)
	}
	f.body.Refresh()
}

// changeView returns the lines of a comparison: its title, both areas,
// the loss, and the slider between the two times.
func (f *Feature) changeView(c *query.Change) []fyne.CanvasObject {
	title := widget.NewLabelWithStyle(c.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	title.Wrapping = fyne.TextWrapWord
	loss := wrapped(c.LostText)
	loss.TextStyle = fyne.TextStyle{Bold: true}
	loss.Importance = widget.WarningImportance
	check := widget.NewCheck(i18n.T("compare.show"), f.setShown)
	check.Checked = f.shown
	slider := widget.NewSlider(0, 1)
	slider.Step = 0.05
	slider.Value = f.then
	slider.OnChanged = f.setThen
	if !f.shown {
		slider.Disable()
	}
	return []fyne.CanvasObject{
		title,
		area(c.Then), area(c.Now),
		loss,
		caption(i18n.T("compare.areas")),
		widget.NewSeparator(),
		check,
		slider,
		container.NewGridWithColumns(2, ends(c.Now.Label, fyne.TextAlignLeading), ends(c.Then.Label, fyne.TextAlignTrailing)),
		caption(i18n.T("compare.slider")),
	}
}

// area returns an outline's label over its area.
func area(o query.Outline) fyne.CanvasObject {
	v := widget.NewLabel(o.AreaText)
	v.TextStyle = fyne.TextStyle{Bold: true}
	return container.NewVBox(caption(o.Label), v)
}

// ends returns the label of one end of the slider.
func ends(text string, align fyne.TextAlign) *widget.Label {
	l := caption(text)
	l.Alignment = align
	return l
}

// caption returns small italic wrapping text.
func caption(text string) *widget.Label {
	l := wrapped(text)
	l.SizeName = theme.SizeNameCaptionText
	l.TextStyle = fyne.TextStyle{Italic: true}
	return l
}

// wrapped returns a wrapping label.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}
