// Package filter lets the user choose which features of the thematic
// layers the map shows (by country, designation, type, hazard, status,
// commodity: the data dictionary's facets of each layer, several values
// at once), and counts beside each legend line of the layer panel the
// features the map draws in the view.
//
// A choice goes into the style the map draws (query.Engine.Apply, then
// shell.SetStyle), so the map, the legend counts, identify and the
// spatial answers honour it; search reads it through [Feature.Filter].
// The counts (query.Engine.LegendCounts) are worked out off the UI
// goroutine whenever the view or the style changes, a burst of changes
// costing one count.
package filter

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ecoatlas/ecoatlas/app/async"
	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/layerpanel"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/query"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// PanelID is the filter panel's id in the shell's dock.
const PanelID = "filter"

// countDelay is how long the counts wait for the view to settle before
// counting: an animation's frames or a drag's moves cost one count.
const countDelay = 80 * time.Millisecond

// Feature is the filter panel and the legend counts. Create it with
// [New] and pass it to shell.WithFeatures; its methods are called on the
// UI goroutine.
type Feature struct {
	engine *query.Engine
	shell  *shell.Shell

	filter    query.Filter
	applied   map[string]applied // by layer id
	listeners []func(query.Filter)
	changed   func() // tells the workspace

	counts async.Latest
	button *widget.Button
	panel  *fyne.Container
}

// applied is a layer's filter before and after the feature set it, so
// that a new choice replaces the old one instead of adding to it.
type applied struct{ base, mine *style.Filter }

// New returns the filter feature, filtering with e.
func New(e *query.Engine) *Feature {
	return &Feature{engine: e, applied: map[string]applied{}}
}

// Install adds the filter panel, its toolbar button and menu item, and
// starts counting the legend lines.
func (f *Feature) Install(s *shell.Shell) {
	if f.shell != s { // listeners outlive the widgets: once per shell
		s.OnViewportChanged(func(viewport.Viewport) { f.count() })
		s.OnStyleChanged(func(*style.Style) { f.count() })
	}
	f.shell = s
	f.counts.Immediate = s.Map().Immediate()
	f.panel = container.NewVBox()
	f.buildPanel()
	s.AddPanel(shell.Panel{ID: PanelID, Title: i18n.T("filter.title"), Icon: theme.ListIcon(), Content: container.NewVScroll(container.NewPadded(f.panel))})
	f.button = widget.NewButton("", f.open)
	f.button.Importance = widget.LowImportance
	f.showChoices()
	s.AddToolbarItem(f.button)
	view := s.Menu("menu.view")
	view.Items = append(view.Items, fyne.NewMenuItem(i18n.T("filter.menu"), f.open))
	s.RefreshMenu()
	f.count()
}

// open shows the filter panel.
func (f *Feature) open() { f.shell.ShowPanel(PanelID) }

// Filter returns what the user has chosen.
func (f *Feature) Filter() query.Filter { return f.filter }

// SetFilter makes q the filter the map, the counts and the answers
// honour, and shows it in the panel.
func (f *Feature) SetFilter(q query.Filter) {
	f.filter = q
	f.apply()
	f.buildPanel()
}

// OnFilterChanged adds a function called with the new filter whenever
// it changes.
func (f *Feature) OnFilterChanged(fn func(query.Filter)) {
	f.listeners = append(f.listeners, fn)
}

// choose sets the values chosen for a property of a layer.
func (f *Feature) choose(layerID, field string, values []any) {
	f.filter = f.filter.With(layerID, field, values...)
	f.apply()
}

// apply puts the filter into the map's style and tells the listeners.
func (f *Feature) apply() {
	st := f.shell.Style().Clone()
	for i := range st.Layers {
		l := &st.Layers[i]
		if a, ok := f.applied[l.ID]; ok && l.Filter == a.mine {
			l.Filter = a.base
		}
	}
	out := f.engine.Apply(st, f.filter)
	f.applied = map[string]applied{}
	for i := range out.Layers {
		if mine := out.Layers[i].Filter; mine != st.Layers[i].Filter {
			f.applied[out.Layers[i].ID] = applied{base: st.Layers[i].Filter, mine: mine}
		}
	}
	f.shell.SetStyle(out)
	f.showChoices()
	for _, fn := range f.listeners {
		fn(f.filter)
	}
	if f.changed != nil {
		f.changed()
	}
}

// showChoices writes on the toolbar button how many values are chosen.
func (f *Feature) showChoices() {
	n := 0
	for _, c := range f.filter.Choices {
		n += len(c.Values)
	}
	text := i18n.T("filter.button")
	if n > 0 {
		text = i18n.T("filter.button.chosen", map[string]any{"N": i18n.Int(n)})
	}
	f.button.SetText(text)
}

// buildPanel lists, for each layer the dictionary offers facets of, the
// facets' values with their counts, those chosen checked.
func (f *Feature) buildPanel() {
	lang := i18n.Current()
	objects := []fyne.CanvasObject{wrapped(i18n.T("filter.hint"))}
	clear := widget.NewButtonWithIcon(i18n.T("filter.clear"), theme.ContentClearIcon(), func() { f.SetFilter(query.Filter{}) })
	objects = append(objects, container.NewHBox(clear))
	for _, l := range f.engine.Atlas().Style.Layers {
		if _, offered := f.engine.Dictionary().Layers[l.ID]; !offered {
			continue
		}
		facets, err := f.engine.Facets(l.ID, lang)
		if err != nil {
			objects = append(objects, wrapped(fmt.Sprintf("%s: %v", i18n.Style(l.Title), err)))
			continue
		}
		objects = append(objects, widget.NewSeparator(), heading(i18n.Style(l.Title)))
		for _, fc := range facets {
			if len(fc.Values) < 2 {
				continue // nothing to choose between
			}
			objects = append(objects, caption(fc.Label), f.facetChecks(l.ID, fc))
		}
	}
	f.panel.Objects = objects
	f.panel.Refresh()
}

// facetChecks returns the check boxes of a facet's values.
func (f *Feature) facetChecks(layerID string, fc query.Facet) fyne.CanvasObject {
	options := make([]string, len(fc.Values))
	byOption := map[string]any{}
	var chosen []string
	for i, v := range fc.Values {
		options[i] = i18n.T("filter.value", map[string]any{"Text": v.Text, "N": i18n.Int(v.Count)})
		byOption[options[i]] = v.Value
		for _, c := range f.filter.Values(layerID, fc.Field) {
			if c == v.Value {
				chosen = append(chosen, options[i])
			}
		}
	}
	g := widget.NewCheckGroup(options, nil)
	g.Selected = chosen
	g.OnChanged = func(selected []string) {
		values := make([]any, 0, len(selected))
		for _, o := range options { // in the panel's order, not the clicks'
			for _, s := range selected {
				if s == o {
					values = append(values, byOption[o])
				}
			}
		}
		f.choose(layerID, fc.Field, values)
	}
	return g
}

// count works out the legend counts of the view in the background and
// shows them in the layer panel.
func (f *Feature) count() {
	if f.shell == nil {
		return
	}
	st, vp, immediate := f.shell.Style(), f.shell.Map().Viewport(), f.counts.Immediate
	if vp.Width <= 0 || vp.Height <= 0 {
		return
	}
	f.counts.Run(func(ctx context.Context) func() {
		if !immediate {
			select {
			case <-time.After(countDelay):
			case <-ctx.Done():
				return nil
			}
		}
		counts, err := f.engine.LegendCounts(ctx, st, vp)
		if err != nil {
			return nil
		}
		shown := make(map[string]layerpanel.Counts, len(counts))
		for _, c := range counts {
			shown[c.Layer] = layerpanel.Counts{Rules: c.Rules, Clusters: c.Clusters}
		}
		return func() { f.shell.Layers().SetCounts(shown) }
	})
}

// Wait blocks until the counts under way are shown; tests call it.
func (f *Feature) Wait() { f.counts.Wait() }

// WorkspaceKey names the filter in the workspace file.
func (f *Feature) WorkspaceKey() string { return "filter" }

// SaveWorkspace returns the filter as JSON.
func (f *Feature) SaveWorkspace() (json.RawMessage, error) { return json.Marshal(f.filter) }

// RestoreWorkspace applies a saved filter, without its choices of layers
// the map no longer has.
func (f *Feature) RestoreWorkspace(data json.RawMessage) error {
	var q query.Filter
	if err := json.Unmarshal(data, &q); err != nil {
		return fmt.Errorf("filter: %w", err)
	}
	var kept query.Filter
	for _, c := range q.Choices {
		if _, ok := f.engine.Dictionary().Layers[c.Layer]; ok {
			kept = kept.With(c.Layer, c.Field, c.Values...)
		}
	}
	f.SetFilter(kept)
	return nil
}

// WatchWorkspace makes changed be called whenever the filter changes.
func (f *Feature) WatchWorkspace(changed func()) { f.changed = changed }

// heading returns a layer's title over its facets.
func heading(text string) fyne.CanvasObject {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// caption returns small italic text.
func caption(text string) *widget.Label {
	l := widget.NewLabel(text)
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
