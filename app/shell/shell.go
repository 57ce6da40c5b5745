// Package shell assembles the main window of the desktop app: the map
// filling most of it, the layer panel in a collapsible split on the left,
// a toolbar (fly-to places, the map's label language, About), a status bar
// (scale bar, coordinates under the pointer, data credits and a button to
// their sources), the menu and the keyboard shortcuts. Fly-to places come
// from the style.
//
// The shell receives its app, window, atlas and style from the caller
// ([New]), so tests run it on Fyne's test app and window, and only the
// program's main package knows the real driver.
package shell

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/layerpanel"
	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/coord"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// Place is a destination of the fly-to buttons.
type Place struct {
	// Key is the catalogue key of the place's name.
	Key string
	// Bound is the lon/lat bound the map fits.
	Bound orb.Bound
	// Shortcut is the key that, with Ctrl (⌘ on macOS), flies there.
	Shortcut fyne.KeyName
}

// placesOf returns the fly-to destinations of a style, in its order: the
// place showing the home view flies there with Ctrl+0, the others with
// Ctrl+1 onwards.
func placesOf(st *style.Style) []Place {
	var places []Place
	next := 1
	for _, p := range st.Places {
		pl := Place{Key: "place." + p.ID, Bound: p.Box.Bound(), Shortcut: fyne.Key0}
		if pl.Bound != st.HomeBound() && next <= 9 {
			pl.Shortcut = fyne.KeyName(string(rune('0' + next)))
			next++
		}
		places = append(places, pl)
	}
	return places
}

// layerPanelOffset is the share of the window's width the layer panel
// starts with.
const layerPanelOffset = 0.26

// Shell is the assembled main window.
type Shell struct {
	app      fyne.App
	window   fyne.Window
	atlas    *atlas.Atlas
	view     *mapview.View
	layers   *layerpanel.Panel
	split    *container.Split // the layer panel | the map and the dock
	mapSplit *container.Split // the map | the dock
	status   *statusBar
	about    func()
	places   []Place
	language *widget.Select

	panels         []Panel
	dock           *container.DocTabs
	dockArea       fyne.CanvasObject
	toolbarItems   *fyne.Container   // the toolbar's line
	toolbarEnd     fyne.CanvasObject // the spacer before its right end
	mainMenu       *fyne.MainMenu
	styleListeners []func(*style.Style)
	viewListeners  []func(viewport.Viewport)
	langListeners  []func(string)
	defaultTool    mapview.Tool
	mapObjects     *fyne.Container // the objects floating over the map

	coordinates     coord.Kind     // the notation of the pointer readout
	formatItem      *fyne.MenuItem // View > Coordinates
	formatListeners []func(coord.Kind)

	features          []Feature
	uiLanguage        string
	languageListeners []func(string)
}

// Option configures a [Shell] made by [New].
type Option func(*config)

type config struct {
	lang     string
	mapOpts  []mapview.Option
	features []Feature
}

// WithLanguage sets the initial label language of the map (default
// ["en"]).
func WithLanguage(lang string) Option {
	return func(c *config) { c.lang = lang }
}

// WithMapOptions passes options to the map view, such as
// [mapview.WithImmediateRendering] in tests.
func WithMapOptions(opts ...mapview.Option) Option {
	return func(c *config) { c.mapOpts = append(c.mapOpts, opts...) }
}

// New builds the main window's content for the atlas drawn with st and
// puts it, the menu and the shortcuts into w. The map starts rendering
// in the background at once; call [Shell.Close] when the window goes.
func New(a fyne.App, w fyne.Window, at *atlas.Atlas, st *style.Style, opts ...Option) *Shell {
	c := config{lang: "en"}
	for _, opt := range opts {
		opt(&c)
	}
	s := &Shell{app: a, window: w, atlas: at, places: placesOf(at.Style), features: c.features, coordinates: savedFormat(a), uiLanguage: i18n.Current()}
	useWidgetLanguage(s.uiLanguage)
	s.view = mapview.New(at, st, append([]mapview.Option{mapview.WithLanguage(c.lang)}, c.mapOpts...)...)
	s.build(st)
	return s
}

// build makes the window's content, menu and shortcuts around the map
// view, in the current interface language, and installs the features.
func (s *Shell) build(st *style.Style) {
	w := s.window
	s.about = func() { newAbout(w, s.app.Metadata().Version).Show() }
	s.status = newStatusBar(s.coordinates, s.about, s.SetCoordinateFormat)
	s.view.OnViewportChanged = s.viewportChanged
	s.view.OnCursor = s.status.setCursor
	s.layers = layerpanel.New(s.atlas, st)
	s.layers.OnChanged = s.styleChanged
	s.status.setStyle(st)
	s.status.setViewport(s.view.Viewport())

	s.panels = nil
	s.newDock()
	s.mapSplit = container.NewHSplit(s.mapArea(), s.dockArea)
	s.mapSplit.Offset = dockOffset
	s.split = container.NewHSplit(s.layers, s.mapSplit)
	s.split.Offset = layerPanelOffset
	w.SetTitle(i18n.T("app.title"))
	s.mainMenu = s.menu()
	w.SetMainMenu(s.mainMenu)
	w.SetContent(container.NewBorder(s.toolbar(), s.status.content, nil, nil, s.split))
	s.addShortcuts(w.Canvas())
	s.setLanguage(s.view.Language())
	for _, f := range s.features {
		f.Install(s)
	}
	s.RefreshMenu()
}

// SetInterfaceLanguage switches every text of the window, and the map's
// labels, to a language of [i18n.Languages], without a restart: the
// window's content is built again and every feature installed again, in
// the new language (shortcuts registered again replace the old ones). The
// map view with its view and style, the features' state and the dock's
// open panels are kept. The map's labels can then be set to another
// language with the toolbar's chooser.
func (s *Shell) SetInterfaceLanguage(tag string) {
	if i18n.SetLanguage(tag) == s.uiLanguage && s.uiLanguage != "" {
		return
	}
	s.uiLanguage = i18n.Current()
	useWidgetLanguage(s.uiLanguage)
	var open []string
	for _, p := range s.panels {
		for _, tab := range s.dock.Items {
			if tab.Content == p.Content && s.dockArea.Visible() {
				open = append(open, p.ID)
			}
		}
	}
	s.view.SetLanguage(s.uiLanguage)
	s.build(s.layers.Style())
	for _, id := range open {
		s.ShowPanel(id)
	}
	for _, f := range s.languageListeners {
		f(s.uiLanguage)
	}
}

// OnInterfaceLanguage adds a function called with the new tag after the
// interface language changed and the window was built again.
func (s *Shell) OnInterfaceLanguage(f func(tag string)) {
	s.languageListeners = append(s.languageListeners, f)
}

// Places returns the fly-to destinations, in toolbar order.
func (s *Shell) Places() []Place { return s.places }

// Map returns the map view.
func (s *Shell) Map() *mapview.View { return s.view }

// Close stops the map's background rendering and the timer of a notice.
func (s *Shell) Close() {
	s.status.stop()
	s.view.Close()
}

// mapArea returns the map with the zoom buttons over its top-right corner.
func (s *Shell) mapArea() fyne.CanvasObject {
	zoomIn := widget.NewButtonWithIcon("", theme.ZoomInIcon(), s.view.ZoomIn)
	zoomOut := widget.NewButtonWithIcon("", theme.ZoomOutIcon(), s.view.ZoomOut)
	home := widget.NewButtonWithIcon("", theme.ZoomFitIcon(), s.view.Home)
	controls := container.NewVBox(zoomIn, zoomOut, home)
	s.mapObjects = container.NewStack(s.view, container.NewPadded(container.NewBorder(nil, nil, nil, controls)))
	return s.mapObjects
}

// toolbar returns the line over the map: the layer panel switch, the
// fly-to places, the features' items, the label language and About. It
// scrolls sideways rather than make the window wider than the user asked
// when its texts in a language are wider than the window.
func (s *Shell) toolbar() fyne.CanvasObject {
	layers := widget.NewButtonWithIcon(i18n.T("toolbar.layers"), theme.ListIcon(), s.toggleLayers)
	layers.Importance = widget.LowImportance
	items := []fyne.CanvasObject{layers, widget.NewSeparator(), s.placesButton()}
	names := make([]string, len(i18n.Languages))
	for i, l := range i18n.Languages {
		names[i] = l.Name
	}
	s.language = widget.NewSelect(names, func(name string) {
		for _, l := range i18n.Languages {
			if l.Name == name {
				s.setLanguage(l.Tag)
			}
		}
	})
	about := widget.NewButtonWithIcon(i18n.T("toolbar.about"), theme.InfoIcon(), s.about)
	about.Importance = widget.LowImportance
	labels := widget.NewLabel(i18n.T("toolbar.labels"))
	s.toolbarEnd = layout.NewSpacer()
	items = append(items, s.toolbarEnd, labels, s.language, widget.NewSeparator(), about)
	s.toolbarItems = container.NewHBox(items...)
	return container.NewVBox(container.NewHScroll(s.toolbarItems), widget.NewSeparator())
}

// placesButton returns the toolbar's button that lists the fly-to places
// (also in the View menu, with their shortcuts) in a pop-up menu: one
// button, as wide in any language, rather than one per place.
func (s *Shell) placesButton() *widget.Button {
	b := widget.NewButtonWithIcon(i18n.T("toolbar.places"), theme.MenuDropDownIcon(), nil)
	b.Importance = widget.LowImportance
	b.IconPlacement = widget.ButtonIconTrailingText
	b.OnTapped = func() {
		menu := fyne.NewMenu("")
		for _, p := range s.places {
			menu.Items = append(menu.Items, &fyne.MenuItem{
				Label: i18n.T(p.Key), Action: func() { s.view.FlyTo(p.Bound) }, Shortcut: shortcut(p.Shortcut),
			})
		}
		widget.ShowPopUpMenuAtRelativePosition(menu, s.window.Canvas(), fyne.NewPos(0, b.Size().Height), b)
	}
	return b
}

// menu returns the main menu. Fyne adds Quit to the first menu.
func (s *Shell) menu() *fyne.MainMenu {
	view := fyne.NewMenu(i18n.T("menu.view"),
		&fyne.MenuItem{Label: i18n.T("menu.layers"), Action: s.toggleLayers, Shortcut: shortcut(fyne.KeyL)},
		fyne.NewMenuItemSeparator(),
	)
	for _, p := range s.places {
		view.Items = append(view.Items, &fyne.MenuItem{
			Label: i18n.T(p.Key), Action: func() { s.view.FlyTo(p.Bound) }, Shortcut: shortcut(p.Shortcut),
		})
	}
	ui := fyne.NewMenuItem(i18n.T("menu.interface"), nil)
	ui.ChildMenu = fyne.NewMenu("")
	for _, l := range i18n.Languages {
		item := fyne.NewMenuItem(l.Name, func() { s.SetInterfaceLanguage(l.Tag) })
		item.Checked = l.Tag == i18n.Current()
		ui.ChildMenu.Items = append(ui.ChildMenu.Items, item)
	}
	s.formatItem = fyne.NewMenuItem(i18n.T("menu.coordinates"), nil)
	s.formatItem.ChildMenu = fyne.NewMenu("")
	s.coordinateMenu()
	labels := fyne.NewMenuItem(i18n.T("menu.labels"), nil)
	labels.ChildMenu = fyne.NewMenu("")
	for _, l := range i18n.Languages {
		labels.ChildMenu.Items = append(labels.ChildMenu.Items, fyne.NewMenuItem(l.Name, func() { s.setLanguage(l.Tag) }))
	}
	view.Items = append(view.Items,
		fyne.NewMenuItemSeparator(),
		&fyne.MenuItem{Label: i18n.T("menu.zoomin"), Action: s.view.ZoomIn, Shortcut: shortcut(fyne.KeyEqual)},
		&fyne.MenuItem{Label: i18n.T("menu.zoomout"), Action: s.view.ZoomOut, Shortcut: shortcut(fyne.KeyMinus)},
		fyne.NewMenuItemSeparator(),
		ui,
		labels,
		s.formatItem,
	)
	help := fyne.NewMenu(i18n.T("menu.help"),
		&fyne.MenuItem{Label: i18n.T("menu.about"), Action: s.about},
	)
	return fyne.NewMainMenu(fyne.NewMenu(i18n.T("menu.file")), view, help)
}

// shortcut returns Ctrl (⌘ on macOS) plus a key.
func shortcut(key fyne.KeyName) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
}

// addShortcuts registers the menu's shortcuts on the window (Linux and
// Windows menus only show them) and sends the keys typed while no widget
// has the focus to the map, so + − and the arrows work at once.
func (s *Shell) addShortcuts(c fyne.Canvas) {
	c.AddShortcut(shortcut(fyne.KeyL), func(fyne.Shortcut) { s.toggleLayers() })
	c.AddShortcut(shortcut(fyne.KeyEqual), func(fyne.Shortcut) { s.view.ZoomIn() })
	c.AddShortcut(shortcut(fyne.KeyMinus), func(fyne.Shortcut) { s.view.ZoomOut() })
	for _, p := range s.places {
		c.AddShortcut(shortcut(p.Shortcut), func(fyne.Shortcut) { s.view.FlyTo(p.Bound) })
	}
	c.SetOnTypedRune(s.view.TypedRune)
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		if e.Name == fyne.KeyF1 {
			s.about()
			return
		}
		s.view.TypedKey(e)
	})
}

// toggleLayers shows or hides the layer panel.
func (s *Shell) toggleLayers() {
	if s.layers.Visible() {
		s.layers.Hide()
	} else {
		s.layers.Show()
	}
	s.split.Refresh()
}

// setLanguage switches the map's label language, shows it in the
// chooser and tells the listeners.
func (s *Shell) setLanguage(lang string) {
	changed := lang != s.view.Language()
	s.view.SetLanguage(lang)
	for _, l := range i18n.Languages {
		if l.Tag == lang && s.language.Selected != l.Name {
			s.language.SetSelected(l.Name)
		}
	}
	if changed {
		for _, f := range s.langListeners {
			f(lang)
		}
	}
}
