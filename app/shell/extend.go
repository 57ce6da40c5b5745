package shell

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/layerpanel"
	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// The app's features beyond the map (identify and search, the declaration,
// editing, tile packages, presentation) are packages of their own that
// install themselves into the shell through the methods in this file: a
// panel in the dock right of the map, items on the toolbar and in the
// menus, and notices in the status bar. The shell knows none of them; the
// program's main package passes them to [New] with [WithFeatures].

// Feature is a part of the app that installs its panels, toolbar items,
// menu items, shortcuts and map tools into the shell.
//
// Install may run more than once: when the user switches the language of
// the interface, the shell builds the window's content again and installs
// every feature again, so that every text is in the new language. A
// feature keeps its state (what is selected, the measure under way, the
// story being shown) in its own fields, outside its widgets, and builds
// its widgets afresh from that state on each Install.
type Feature interface {
	Install(s *Shell)
}

// WithFeatures installs features into the shell, in order.
func WithFeatures(fs ...Feature) Option {
	return func(c *config) { c.features = append(c.features, fs...) }
}

// Panel is a side panel of the dock, right of the map. The dock shows one
// panel at a time, as tabs, and hides itself when none is open.
type Panel struct {
	// ID names the panel for ShowPanel.
	ID string
	// Title is the tab's title, already translated.
	Title string
	// Icon is the tab's icon, or nil.
	Icon fyne.Resource
	// Content is what the panel shows.
	Content fyne.CanvasObject
}

// dockOffset is the share of the map area's width the dock starts with.
const dockOffset = 0.72

// AddPanel adds a panel to the dock, closed; ShowPanel opens it.
func (s *Shell) AddPanel(p Panel) {
	s.panels = append(s.panels, p)
}

// ShowPanel opens the dock at the panel with an id, and reports whether
// there is such a panel.
func (s *Shell) ShowPanel(id string) bool {
	i := slices.IndexFunc(s.panels, func(p Panel) bool { return p.ID == id })
	if i < 0 {
		return false
	}
	p := s.panels[i]
	for _, tab := range s.dock.Items {
		if tab.Content == p.Content {
			s.dock.Select(tab)
			s.openDock()
			return true
		}
	}
	s.dock.Append(container.NewTabItemWithIcon(p.Title, p.Icon, p.Content))
	s.dock.SelectIndex(len(s.dock.Items) - 1)
	s.openDock()
	return true
}

// ClosePanel closes the panel with an id, and the dock with its last
// panel.
func (s *Shell) ClosePanel(id string) {
	i := slices.IndexFunc(s.panels, func(p Panel) bool { return p.ID == id })
	if i < 0 {
		return
	}
	for _, tab := range s.dock.Items {
		if tab.Content == s.panels[i].Content {
			s.dock.Remove(tab)
		}
	}
	if len(s.dock.Items) == 0 {
		s.dockArea.Hide()
		s.mapSplit.Refresh()
	}
}

// PanelShown reports whether the panel with an id is the dock's open tab.
func (s *Shell) PanelShown(id string) bool {
	i := slices.IndexFunc(s.panels, func(p Panel) bool { return p.ID == id })
	return i >= 0 && s.dockArea.Visible() && s.dock.Selected() != nil && s.dock.Selected().Content == s.panels[i].Content
}

// openDock shows the dock.
func (s *Shell) openDock() {
	if !s.dockArea.Visible() {
		s.dockArea.Show()
		s.mapSplit.Refresh()
	}
}

// AddToolbarItem puts an object on the toolbar, before the label
// language and About at its right end.
func (s *Shell) AddToolbarItem(o fyne.CanvasObject) {
	bar := s.toolbarItems
	at := slices.Index(bar.Objects, s.toolbarEnd)
	bar.Objects = slices.Insert(bar.Objects, at, o)
	bar.Refresh()
}

// Menu returns the main menu's menu with a catalogue key ("menu.file",
// "menu.view", "menu.tools", "menu.help"), creating it before Help if it
// does not exist. After adding items, call RefreshMenu.
func (s *Shell) Menu(key string) *fyne.Menu {
	label := i18n.T(key)
	for _, m := range s.mainMenu.Items {
		if m.Label == label {
			return m
		}
	}
	m := fyne.NewMenu(label)
	items := s.mainMenu.Items
	s.mainMenu.Items = slices.Insert(items, len(items)-1, m)
	return m
}

// RefreshMenu shows changes made to the menus.
func (s *Shell) RefreshMenu() { s.mainMenu.Refresh() }

// AddShortcut runs an action on Ctrl (⌘ on macOS) plus a key.
func (s *Shell) AddShortcut(key fyne.KeyName, action func()) {
	s.window.Canvas().AddShortcut(shortcut(key), func(fyne.Shortcut) { action() })
}

// Window returns the main window.
func (s *Shell) Window() fyne.Window { return s.window }

// Atlas returns the loaded map: the style and its sources.
func (s *Shell) Atlas() *atlas.Atlas { return s.atlas }

// Style returns the style the map draws now, with the user's changes to
// layers (visibility, order, opacity).
func (s *Shell) Style() *style.Style { return s.layers.Style() }

// SetStyle makes the map and the layer panel show st, a changed copy of
// Style (a layer added or removed, a filter set), and tells the
// OnStyleChanged listeners.
func (s *Shell) SetStyle(st *style.Style) {
	s.layers.SetStyle(st)
	s.styleChanged(st)
}

// OnStyleChanged adds a function called with the new style whenever the
// user or a feature changes it.
func (s *Shell) OnStyleChanged(f func(*style.Style)) {
	s.styleListeners = append(s.styleListeners, f)
}

// styleChanged shows st on the map and in the credits and tells the
// listeners.
func (s *Shell) styleChanged(st *style.Style) {
	s.view.SetStyle(st)
	s.status.setStyle(st)
	for _, f := range s.styleListeners {
		f(st)
	}
}

// Layers returns the layer panel, for features that show something
// beside its layers (the legend counts).
func (s *Shell) Layers() *layerpanel.Panel { return s.layers }

// OnViewportChanged adds a function called on the UI goroutine after every
// change of the map's view: pan, zoom, resize, each step of an animation.
func (s *Shell) OnViewportChanged(f func(viewport.Viewport)) {
	s.viewListeners = append(s.viewListeners, f)
}

// viewportChanged shows the view in the status bar and tells the
// listeners.
func (s *Shell) viewportChanged(vp viewport.Viewport) {
	s.status.setViewport(vp)
	for _, f := range s.viewListeners {
		f(vp)
	}
}

// LabelLanguage returns the language of the map's labels (a BCP 47 tag).
func (s *Shell) LabelLanguage() string { return s.view.Language() }

// SetLabelLanguage switches the language of the map's labels, as the
// toolbar's chooser does.
func (s *Shell) SetLabelLanguage(lang string) { s.setLanguage(lang) }

// OnLabelLanguageChanged adds a function called with the new tag whenever
// the language of the map's labels changes.
func (s *Shell) OnLabelLanguageChanged(f func(string)) {
	s.langListeners = append(s.langListeners, f)
}

// AddMapObject floats an object over the map, above the zoom buttons and
// sized to the map: a container that places its own children (a hover
// tip, a slider in a corner). Objects that take no input let clicks,
// drags and hovering through to the map.
func (s *Shell) AddMapObject(o fyne.CanvasObject) {
	s.mapObjects.Add(o)
}

// Notify shows a short message in the status bar, such as "Site saved".
func (s *Shell) Notify(message string) { s.status.notify(message) }

// ShowError tells the user, in a dialog, what went wrong with something
// they asked for. The error's message should name the file, row or field
// at fault, as the engine's errors do.
func (s *Shell) ShowError(err error) {
	if err != nil {
		dialog.ShowError(err, s.window)
	}
}

// newDock returns the dock: tabs of panels, each closable; closing the
// last hides the dock.
func (s *Shell) newDock() {
	s.dock = container.NewDocTabs()
	s.dock.OnClosed = func(*container.TabItem) {
		if len(s.dock.Items) == 0 {
			s.dockArea.Hide()
			s.mapSplit.Refresh()
		}
	}
	s.dockArea = s.dock
	s.dockArea.Hide()
}

// SetDefaultTool sets the tool the map uses when no feature has taken it
// (identify, in the app), and puts it to use unless another tool is.
func (s *Shell) SetDefaultTool(t mapview.Tool) {
	if cur := s.view.Tool(); cur == nil || cur == s.defaultTool {
		s.view.SetTool(t)
	}
	s.defaultTool = t
}

// UseTool makes t the map's tool, in place of the default or of another
// feature's tool, which is cancelled, until ReleaseTool.
func (s *Shell) UseTool(t mapview.Tool) {
	s.view.SetTool(t)
}

// ReleaseTool gives the map back to the default tool if t is in use.
func (s *Shell) ReleaseTool(t mapview.Tool) {
	if s.view.Tool() == t {
		s.view.SetTool(s.defaultTool)
	}
}
