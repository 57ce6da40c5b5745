// Package declaration puts the declaration "Environmental solidarity of
// Central Asia" on the desktop app's map (issue 8), as a feature of the
// shell ([Feature]):
//
//   - the declaration panel: the 27 clauses (number, title, themes as
//     chips), a search across recitals and clauses in Latin and Cyrillic
//     script alike, and a card with the clause's verbatim text. Selecting a
//     clause switches its layers on, highlights its features in the app's
//     one highlight look (the rest dimmed), sets its numbered badges (§4,
//     §14) at its places and flies to them; clearing the selection
//     switches off again the layers it switched on;
//   - the badges of every clause at once, as a map layer one switches on;
//   - the section "What the declaration says here" of the identify panel
//     ([Feature.IdentifySection]);
//   - the green belts of clause 17: a planning layer in the layer panel,
//     with the population threshold and the ring width set in a panel of
//     their own, computed with GEOS off the UI goroutine, the belt area of
//     every city listed;
//   - the declaration tour (seeds/tour.json), stepped with the arrow keys
//     or buttons.
//
// The clauses' links to the map are data (seeds), bound to the loaded map
// by geo/clausemap; this package only shows them. The highlight and the
// badges are drawn above the map's tiles (see [painter]), so a selection
// never renders the map again unless it switches a layer on.
package declaration

import (
	"fmt"
	"image"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/identify"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/clausemap"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/ecoatlas/ecoatlas/seeds"
)

// Dock panels of the feature, for shell.ShowPanel.
const (
	// PanelID is the declaration panel: clauses, search and card.
	PanelID = "declaration"
	// TourPanelID is the tour player.
	TourPanelID = "tour"
	// BeltsPanelID is the green-belt planner.
	BeltsPanelID = "belts"
)

// overlayName is the name of the feature's overlay on the map.
const overlayName = "declaration"

// minClauseSpan is the least width and height, in degrees, of the view a
// clause flies to: a single city shows with its surroundings (as
// "atlas render --clause" frames it).
const minClauseSpan = 2.0

// Feature is the declaration in the app. Create it with [New] and pass it
// to shell.WithFeatures. Its state (the clause selected, the search, the
// tour step, the green belts) lives here, outside its widgets, which each
// Install builds afresh.
type Feature struct {
	immediate bool

	shell *shell.Shell
	m     *clausemap.Map
	decl  seeds.Declaration
	links seeds.Links
	tour  seeds.Tour

	// index searches the declaration with the titles and themes in
	// indexLang, the language it was built in.
	index     *seeds.Index
	indexLang string

	query string
	// card is what the clause card shows: a clause or a recital.
	card cardRef
	// selected is the clause shown on the map, 0 for none; step the tour
	// step shown, −1 for none. At most one of them is set.
	selected int
	step     int
	// highlight is what the map highlights: the selected clause's or the
	// tour step's selection, nil for none.
	highlight *clausemap.Selection
	// all is every clause's places, for the layer of all badges, shown
	// while allBadges is set.
	all       clausemap.Selection
	allBadges bool
	// switchedOn are the layers the selection switched on, which go off
	// again when it is cleared.
	switchedOn []string

	painter *painter
	belts   beltPlan
	ui      *panelUI
	tourUI  *tourUI
}

// cardRef names what the card shows: clause or recital number n, or
// nothing (n = 0).
type cardRef struct {
	part seeds.Part
	n    int
}

// Option configures a [Feature] made by [New].
type Option func(*Feature)

// WithImmediateDrawing makes the feature prepare the map's highlight and
// plan the green belts on the calling goroutine, so that every frame is
// complete at once: for tests, as mapview.WithImmediateRendering, never
// for an interactive window.
func WithImmediateDrawing() Option {
	return func(f *Feature) { f.immediate = true }
}

// WithIdentify adds the section "What the declaration says here"
// ([Feature.IdentifySection]) to the identify panel of ident.
func WithIdentify(ident *identify.Feature) Option {
	return func(f *Feature) {
		ident.AddSection(identify.Section{ID: "declaration", Build: func(sub identify.Subject) fyne.CanvasObject {
			return f.IdentifySection(sub.Ref.Layer, sub.Ref.ID)
		}})
	}
}

// New returns the declaration feature.
func New(opts ...Option) *Feature {
	f := &Feature{step: -1, belts: newBeltPlan()}
	for _, o := range opts {
		o(f)
	}
	return f
}

// Install binds the declaration to the shell's map (the first time) and
// adds the declaration panel, the tour player, the green-belt planner,
// their toolbar button and menu items, the green-belt layer and the
// map's overlay. If the declaration's links do not resolve on the map
// (data out of step with the style), it says so and installs nothing.
func (f *Feature) Install(s *shell.Shell) {
	if f.shell != s { // listeners outlive the widgets: once per shell
		s.OnStyleChanged(f.styleChanged)
	}
	f.shell = s
	if f.m == nil {
		if err := f.bind(s); err != nil {
			s.ShowError(fmt.Errorf("%s: %w", i18n.T("declaration.error.bind"), err))
			return
		}
	}
	if f.indexLang != i18n.Current() {
		f.index, f.indexLang = f.newIndex(), i18n.Current()
	}
	f.painter.ready = func() { fyne.Do(s.Map().Refresh) }
	f.painter.drawn = func() (*style.Style, string) { return s.Map().Style(), s.Map().Language() }
	f.painter.labels = func(vp viewport.Viewport) ([]image.Rectangle, bool) { return s.Map().LabelBoxes(vp) }

	f.ui = f.newPanel()
	s.AddPanel(shell.Panel{ID: PanelID, Title: i18n.T("declaration.panel.title"), Icon: theme.DocumentIcon(), Content: f.ui.content})
	f.tourUI = f.newTourPanel()
	s.AddPanel(shell.Panel{ID: TourPanelID, Title: i18n.T("declaration.tour.title"), Icon: theme.MediaPlayIcon(), Content: f.tourUI.content})
	s.AddPanel(shell.Panel{ID: BeltsPanelID, Title: i18n.T("declaration.belts.title"), Icon: theme.StorageIcon(), Content: f.newBeltsPanel()})

	open := widget.NewButtonWithIcon(i18n.T("declaration.toolbar"), theme.DocumentIcon(), func() { s.ShowPanel(PanelID) })
	open.Importance = widget.LowImportance
	s.AddToolbarItem(open)
	view := s.Menu("menu.view")
	view.Items = append(view.Items,
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(i18n.T("declaration.menu.panel"), func() { s.ShowPanel(PanelID) }),
		fyne.NewMenuItem(i18n.T("declaration.menu.badges"), func() { f.setAllBadges(!f.allBadges) }),
		fyne.NewMenuItem(i18n.T("declaration.menu.tour"), f.startTour),
		fyne.NewMenuItem(i18n.T("declaration.menu.belts"), func() { s.ShowPanel(BeltsPanelID) }),
	)
	s.RefreshMenu()

	f.installBeltLayer()
	f.updateOverlay()
}

// bind binds the embedded declaration, its links and its tour to the
// shell's map.
func (f *Feature) bind(s *shell.Shell) error {
	links, err := seeds.EmbeddedLinks()
	if err != nil {
		return err
	}
	tour, err := seeds.EmbeddedTour()
	if err != nil {
		return err
	}
	m, err := clausemap.New(s.Atlas(), seeds.Embedded(), links)
	if err != nil {
		return err
	}
	for i, st := range tour.Steps {
		if _, err := m.Step(st); err != nil {
			return fmt.Errorf("%s: step %d: %w", seeds.TourFileName, i+1, err)
		}
	}
	f.m, f.decl, f.links, f.tour = m, seeds.Embedded(), links, tour
	f.all = m.All()
	f.painter = &painter{m: m, look: clausemap.DefaultLook, immediate: f.immediate}
	return nil
}

// newIndex returns the search index of the declaration in which each
// clause is also found by its title and themes in the interface's
// language and in English, and by the names of its places.
func (f *Feature) newIndex() *seeds.Index {
	extra := map[int][]string{}
	for _, c := range f.links.Clauses {
		texts := []string{i18n.T(c.TitleKey()), c.Title}
		for _, th := range c.Themes {
			texts = append(texts, i18n.T(th.Key()), th.Title())
		}
		extra[c.Number] = texts
	}
	return f.m.Index(extra)
}

// Selected returns the number of the clause shown on the map, 0 for none.
func (f *Feature) Selected() int { return f.selected }

// SelectClause shows clause n: its card, and on the map its layers
// switched on, its features highlighted with the rest dimmed, its badges
// at its places, and the view flown to them. A clause with no geographic
// focus shows its card and says so in the status bar. It ends the tour.
func (f *Feature) SelectClause(n int) {
	sel, err := f.m.Clause(n)
	if err != nil {
		f.shell.ShowError(err)
		return
	}
	f.step = -1
	f.selected, f.card = n, cardRef{seeds.PartClause, n}
	f.show(&sel)
	if sel.Empty() {
		f.shell.Notify(i18n.T("declaration.nofocus", map[string]any{"N": n}))
	} else {
		f.shell.Map().FlyTo(sel.View(minClauseSpan))
	}
	f.refresh()
}

// ClearSelection takes the selected clause or tour step off the map and
// switches off again the layers it switched on.
func (f *Feature) ClearSelection() {
	f.selected, f.step = 0, -1
	f.show(nil)
	f.refresh()
}

// show highlights a selection on the map (nil for none), with its layers
// switched on.
func (f *Feature) show(sel *clausemap.Selection) {
	f.highlight = sel
	var layers []string
	if sel != nil {
		layers = sel.Layers
	}
	f.showLayers(layers)
	f.updateOverlay()
}

// showLayers switches on the layers ids that are hidden, and off again
// those it switched on before that are not among ids; the layer a part
// belongs to stands for the part, as in the layer panel.
func (f *Feature) showLayers(ids []string) {
	var changed *style.Style
	edit := func() *style.Style {
		if changed == nil {
			changed = f.shell.Style().Clone()
		}
		return changed
	}
	st := f.shell.Style()
	var wanted []string
	for _, id := range ids {
		if l, ok := st.Layer(id); ok {
			if l.PartOf != "" {
				id = l.PartOf
			}
			if !slices.Contains(wanted, id) {
				wanted = append(wanted, id)
			}
		}
	}
	var kept []string
	for _, id := range f.switchedOn {
		if slices.Contains(wanted, id) {
			kept = append(kept, id)
			continue
		}
		setHidden(edit(), id, true)
	}
	f.switchedOn = kept
	for _, id := range wanted {
		if l, ok := st.Layer(id); ok && l.Hidden && !slices.Contains(f.switchedOn, id) {
			setHidden(edit(), id, false)
			f.switchedOn = append(f.switchedOn, id)
		}
	}
	if changed != nil {
		f.shell.SetStyle(changed)
	}
}

// setHidden hides or shows a layer of st and its parts.
func setHidden(st *style.Style, id string, hidden bool) {
	if l, ok := st.Layer(id); ok {
		l.Hidden = hidden
	}
	for _, part := range st.Parts(id) {
		part.Hidden = hidden
	}
}

// setAllBadges shows or hides the layer of every clause's badges.
func (f *Feature) setAllBadges(on bool) {
	f.allBadges = on
	f.updateOverlay()
	f.refresh()
}

// AllBadges reports whether the badges of every clause are shown.
func (f *Feature) AllBadges() bool { return f.allBadges }

// updateOverlay makes the map's overlay show the highlight and the badges
// the state asks for, or takes it away.
func (f *Feature) updateOverlay() {
	s := &shown{}
	if f.highlight != nil && !f.highlight.Empty() {
		s.highlight, s.badges = f.highlight, f.highlight
	}
	if f.allBadges {
		s.badges = &f.all
	}
	if s.highlight == nil && s.badges == nil {
		f.painter.show(nil)
		f.shell.Map().SetOverlay(overlayName, nil)
		return
	}
	f.painter.show(s)
	f.shell.Map().SetOverlay(overlayName, f.painter)
}

// styleChanged follows the user's changes to the layers: the green-belt
// layer switched on is planned.
func (f *Feature) styleChanged(st *style.Style) {
	f.planIfShown(st)
}

// refresh shows the state in the widgets of the current install.
func (f *Feature) refresh() {
	if f.ui != nil {
		f.ui.refresh()
	}
	if f.tourUI != nil {
		f.tourUI.refresh()
	}
}
