package shell_test

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

func TestShell_panelsOpenAndCloseTheDock(t *testing.T) {
	s, w := newShell(t)
	content := widget.NewLabel("what is here")
	s.AddPanel(shellPanel("identify", content))
	if s.PanelShown("identify") || len(find(w.Content(), func(d *container.DocTabs) bool { return d.Visible() })) != 0 {
		t.Fatal("a panel or the dock shows before ShowPanel")
	}
	if !s.ShowPanel("identify") || !s.PanelShown("identify") {
		t.Fatal("ShowPanel did not open the panel")
	}
	if len(find(w.Content(), func(l *widget.Label) bool { return l == content && l.Visible() })) != 1 {
		t.Error("the panel's content is not in the window")
	}
	if s.ShowPanel("nothing") {
		t.Error("ShowPanel opened a panel that was never added")
	}
	s.ClosePanel("identify")
	if s.PanelShown("identify") {
		t.Error("the panel still shows after ClosePanel")
	}
}

func TestShell_toolbarMenusAndNotices(t *testing.T) {
	s, w := newShell(t)
	b := widget.NewButton("Measure", nil)
	s.AddToolbarItem(b)
	if len(find(w.Content(), func(x *widget.Button) bool { return x == b })) != 1 {
		t.Error("the toolbar item is not in the window")
	}
	tools := s.Menu("menu.tools")
	tools.Items = append(tools.Items, fyne.NewMenuItem("Measure", nil))
	s.RefreshMenu()
	menus := w.MainMenu().Items
	if i := slices.Index(menus, tools); i < 0 || i != len(menus)-2 || menus[i].Label != i18n.T("menu.tools") {
		t.Errorf("the Tools menu is at %d of %d, want just before Help", i, len(menus))
	}
	if s.Menu("menu.tools") != tools {
		t.Error("a second Menu call made a second Tools menu")
	}
	s.Notify("Site saved")
	if len(find(w.Content(), func(l *widget.Label) bool { return l.Text == "Site saved" && l.Visible() })) != 1 {
		t.Error("the notice does not show in the status bar")
	}
}

func TestShell_styleListeners(t *testing.T) {
	s, _ := newShell(t)
	var got *style.Style
	s.OnStyleChanged(func(st *style.Style) { got = st })
	st := s.Style().Clone()
	st.Layers[0].Hidden = true
	s.SetStyle(st)
	if got != st || s.Map().Style() != st || s.Style() != st {
		t.Error("SetStyle did not reach the listener, the map and the layer panel")
	}
}

// shellPanel returns a dock panel.
func shellPanel(id string, content fyne.CanvasObject) shell.Panel {
	return shell.Panel{ID: id, Title: id, Content: content}
}

// nopTool is a tool that does nothing.
type nopTool struct{ name string }

func (nopTool) Tapped(viewport.Viewport, orb.Point)                  {}
func (nopTool) DoubleTapped(viewport.Viewport, orb.Point) bool       { return false }
func (nopTool) Dragged(viewport.Viewport, orb.Point, orb.Point) bool { return false }
func (nopTool) DragEnd(viewport.Viewport, orb.Point)                 {}
func (nopTool) Hovered(viewport.Viewport, orb.Point, bool)           {}
func (nopTool) Cancelled()                                           {}

func TestShell_toolsReturnToTheDefault(t *testing.T) {
	s, _ := newShell(t)
	identify, measure := &nopTool{"identify"}, &nopTool{"measure"}
	s.SetDefaultTool(identify)
	if s.Map().Tool() != identify {
		t.Fatal("the default tool is not in use")
	}
	s.UseTool(measure)
	if s.Map().Tool() != measure {
		t.Fatal("UseTool did not take the map")
	}
	s.ReleaseTool(identify) // not in use: nothing happens
	if s.Map().Tool() != measure {
		t.Error("releasing a tool not in use changed the map's tool")
	}
	s.ReleaseTool(measure)
	if s.Map().Tool() != identify {
		t.Error("the map did not return to the default tool")
	}
}

// countingFeature installs a panel and counts its installs.
type countingFeature struct{ installs int }

func (f *countingFeature) Install(s *shell.Shell) {
	f.installs++
	s.AddPanel(shell.Panel{ID: "counting", Title: i18n.T("menu.interface"), Content: widget.NewLabel("panel")})
}

func TestShell_interfaceLanguageRebuildsTheWindow(t *testing.T) {
	t.Cleanup(func() { i18n.SetLanguage("en") })
	f := &countingFeature{}
	s, w := newShell(t, shell.WithFeatures(f))
	s.ShowPanel("counting")
	view := s.Map().Viewport()

	s.SetInterfaceLanguage("ru")

	if f.installs != 2 {
		t.Errorf("the feature was installed %d times, want again after the switch", f.installs)
	}
	if !s.PanelShown("counting") {
		t.Error("the open panel closed with the switch")
	}
	if s.Map().Language() != "ru" || s.Map().Viewport() != view {
		t.Errorf("map labels in %q at %+v; want Russian, the view kept", s.Map().Language(), s.Map().Viewport())
	}
	var found bool
	for _, m := range w.MainMenu().Items {
		for _, item := range m.Items {
			found = found || item.Label == "Язык интерфейса"
		}
	}
	if !found {
		t.Error("the menus are not in Russian")
	}
}

func TestShell_viewAndLabelLanguageListeners(t *testing.T) {
	s, _ := newShell(t)
	var views []viewport.Viewport
	var langs []string
	s.OnViewportChanged(func(vp viewport.Viewport) { views = append(views, vp) })
	s.OnLabelLanguageChanged(func(lang string) { langs = append(langs, lang) })

	s.Map().SetViewport(viewport.New(orb.Point{60, 45}, 6, 0, 0, 1))
	if len(views) != 1 || views[0].Zoom != 6 {
		t.Errorf("the view listener heard %v, want one view at zoom 6", views)
	}
	s.SetLabelLanguage("ru")
	s.SetLabelLanguage("ru")
	if !slices.Equal(langs, []string{"ru"}) || s.LabelLanguage() != "ru" || s.Map().Language() != "ru" {
		t.Errorf("after switching to ru twice the listener heard %v and the map's labels are in %q", langs, s.Map().Language())
	}
}

func TestShell_objectsFloatOverTheMap(t *testing.T) {
	s, w := newShell(t)
	tip := widget.NewLabel("Lake Balkhash")
	s.AddMapObject(container.NewWithoutLayout(tip))
	if len(find(w.Content(), func(l *widget.Label) bool { return l == tip })) != 1 {
		t.Fatal("the floating object is not in the window")
	}
	// It lets clicks through to the map's tool.
	tool := &countingTool{}
	s.SetDefaultTool(tool)
	tip.Move(fyne.NewPos(100, 100))
	tip.Resize(tip.MinSize())
	mapAt := fyne.CurrentApp().Driver().AbsolutePositionForObject(s.Map())
	test.TapCanvas(w.Canvas(), mapAt.Add(fyne.NewPos(110, 105)))
	if tool.taps != 1 {
		t.Errorf("a click on the floating label reached the map's tool %d times, want 1", tool.taps)
	}
}

// countingTool counts the clicks it gets.
type countingTool struct {
	nopTool
	taps int
}

func (c *countingTool) Tapped(viewport.Viewport, orb.Point) { c.taps++ }
