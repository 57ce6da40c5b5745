// Package present is the presenter's side of the app: stories played full
// screen, edited in a side panel, and maps exported for print.
//
// Presentation mode (F11, the toolbar's Present, or View ▸ Present full
// screen) fills the screen with the map alone: the toolbar, the menus,
// the layer panel, the dock and the status bar go, and a caption bar
// shows the story's title, the step's heading and its caption. Labels,
// symbols and lines are drawn larger for a projector (the user's style
// magnified, not another style). → or PageDown (a clicker's keys) and
// Space go to the next step, ← or PageUp back, Home and End to the first
// and last, P switches a highlighted pointer on and off, Esc (or F11
// again) leaves and gives the window back as it was. Between steps the
// map flies, easing in and out over the zoom and the position; a step's
// highlight (its clause's places and badges, or its features) is drawn
// over the map once it arrives, off the UI goroutine. A step with a
// duration moves on by itself when it is up.
//
// The story panel lists the built-in stories (the declaration tour and the
// water bodies) and any opened from a file; it adds the current view as a
// step, moves and deletes steps, edits a step's title and caption, saves
// and opens story files, and presents from the selected step.
//
// File ▸ Export… prints the current view, the selected step or the whole
// story (a PDF handout) to PDF, PNG or SVG in the background.
package present

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/clausemap"
	"github.com/ecoatlas/ecoatlas/geo/query"
	"github.com/ecoatlas/ecoatlas/geo/story"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/seeds"
)

// PanelID is the id of the story panel in the shell's dock.
const PanelID = "stories"

// Timing and look of a presentation.
const (
	// FlightDuration is how long the map takes to fly from one step to
	// the next.
	FlightDuration = 1600 * time.Millisecond
	// ProjectorScale is how much larger labels and symbols are drawn in
	// presentation mode (lines grow by half as much).
	ProjectorScale = 1.4
)

// Feature is the presentation feature: the stories, the one being shown
// and where, presentation mode and exports. Its state outlives the
// widgets, which Install builds afresh.
type Feature struct {
	engine  *query.Engine
	stories []story.Story
	// current is the index of the story the panel and presentation show;
	// step the index of its selected (or shown) step.
	current, step int
	// pointer is whether presentation mode highlights the pointer.
	pointer bool
	// immediate prepares highlights on the calling goroutine (tests).
	immediate bool
	// exportSettings are the Export dialog's last choices.
	exportSettings Settings

	s     *shell.Shell
	panel *panel
	mode  *mode

	// clauses is the declaration bound to the map, for the steps'
	// highlights and the exports' citations, made once off the UI
	// goroutine.
	clauses func() (*clausemap.Map, error)
}

// Option configures a [Feature] made by [New].
type Option func(*Feature)

// WithImmediateDrawing makes the feature prepare a step's highlight on
// the goroutine that draws the map, as tests need.
func WithImmediateDrawing() Option { return func(f *Feature) { f.immediate = true } }

// New returns the presentation feature with the built-in stories. The
// query engine applies the steps' filters and lays out the exports.
func New(e *query.Engine, opts ...Option) *Feature {
	f := &Feature{engine: e, exportSettings: DefaultSettings()}
	if builtin, err := story.Builtin(); err == nil {
		f.stories = builtin
	}
	for _, o := range opts {
		o(f)
	}
	return f
}

// Declare conformity with the shell's Feature interface.
var _ shell.Feature = (*Feature)(nil)

// Install adds the story panel, the View and File menus' entries, the
// toolbar's Present button and the keys of presentation mode. It runs
// again when the interface language changes, leaving presentation mode,
// whose window content the shell has just replaced.
func (f *Feature) Install(s *shell.Shell) {
	if f.mode != nil {
		f.mode.abandon()
		f.mode = nil
	}
	if f.s != s {
		f.s = s
		at := s.Atlas()
		f.clauses = sync.OnceValues(func() (*clausemap.Map, error) {
			links, err := seeds.EmbeddedLinks()
			if err != nil {
				return nil, err
			}
			return clausemap.New(at, seeds.Embedded(), links)
		})
		go f.clauses() // ready before the first presentation
	}
	f.panel = newPanel(f)
	s.AddPanel(shell.Panel{ID: PanelID, Title: i18n.T("present.panel.title"), Icon: theme.MediaPlayIcon(), Content: f.panel.content})
	view := s.Menu("menu.view")
	view.Items = append(view.Items,
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(i18n.T("present.menu.present"), f.Toggle),
		fyne.NewMenuItem(i18n.T("present.menu.stories"), func() { s.ShowPanel(PanelID) }),
		&fyne.MenuItem{Label: i18n.T("present.menu.pointer"), Action: f.TogglePointer, Checked: f.pointer},
	)
	file := s.Menu("menu.file")
	file.Items = append(file.Items, &fyne.MenuItem{Label: i18n.T("present.menu.export"), Action: f.ShowExport,
		Shortcut: &desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: fyne.KeyModifierShortcutDefault}})
	s.AddShortcut(fyne.KeyE, f.ShowExport)
	present := widget.NewButtonWithIcon(i18n.T("present.toolbar.present"), theme.MediaPlayIcon(), f.Toggle)
	present.Importance = widget.LowImportance
	s.AddToolbarItem(present)

	c := s.Window().Canvas()
	shellKeys := c.OnTypedKey()
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		if !f.typedKey(e) && shellKeys != nil {
			shellKeys(e)
		}
	})
	shellRunes := c.OnTypedRune()
	c.SetOnTypedRune(func(r rune) {
		if f.mode != nil {
			if r == 'p' || r == 'P' {
				f.TogglePointer()
			}
			return
		}
		if shellRunes != nil {
			shellRunes(r)
		}
	})
}

// Stories returns the stories the panel lists, the built-in ones first.
func (f *Feature) Stories() []story.Story { return f.stories }

// Current returns the index of the story shown and of its step.
func (f *Feature) Current() (storyIndex, step int) { return f.current, f.step }

// Presenting reports whether presentation mode is on.
func (f *Feature) Presenting() bool { return f.mode != nil }

// Select makes a story and one of its steps the selection.
func (f *Feature) Select(storyIndex, step int) {
	if storyIndex < 0 || storyIndex >= len(f.stories) {
		return
	}
	f.current = storyIndex
	f.step = min(max(step, 0), max(len(f.stories[storyIndex].Steps)-1, 0))
	if f.panel != nil {
		f.panel.refresh()
	}
}

// AddStory adds a story to the list and selects it.
func (f *Feature) AddStory(s story.Story) {
	f.stories = append(f.stories, s)
	f.Select(len(f.stories)-1, 0)
}

// Toggle enters presentation mode at the selected step of the selected
// story, or leaves it.
func (f *Feature) Toggle() {
	if f.mode != nil {
		f.Leave()
		return
	}
	f.Present()
}

// Present enters presentation mode at the selected step. A story without
// steps has nothing to present, which the status bar says.
func (f *Feature) Present() {
	if f.mode != nil || f.s == nil {
		return
	}
	if f.current >= len(f.stories) || len(f.stories[f.current].Steps) == 0 {
		f.s.Notify(i18n.T("present.empty"))
		return
	}
	f.mode = enter(f)
	f.mode.show(f.step)
}

// Leave leaves presentation mode, giving the window back as it was.
func (f *Feature) Leave() {
	if f.mode == nil {
		return
	}
	f.mode.leave()
	f.mode = nil
	if f.panel != nil {
		f.panel.refresh()
	}
}

// Next shows the next step in presentation mode.
func (f *Feature) Next() { f.goTo(f.step + 1) }

// Previous shows the step before in presentation mode.
func (f *Feature) Previous() { f.goTo(f.step - 1) }

// goTo shows step i in presentation mode, if the story has it.
func (f *Feature) goTo(i int) {
	if f.mode == nil || i < 0 || i >= len(f.stories[f.current].Steps) || i == f.step {
		return
	}
	f.mode.show(i)
}

// TogglePointer switches the highlighted pointer of presentation mode.
func (f *Feature) TogglePointer() {
	f.pointer = !f.pointer
	if f.mode != nil {
		f.s.Map().Refresh()
	}
	label := i18n.T("present.menu.pointer")
	for _, item := range f.s.Menu("menu.view").Items {
		if item.Label == label {
			item.Checked = f.pointer
		}
	}
	f.s.RefreshMenu()
}

// typedKey handles the keys of presentation mode, and F11 at any time,
// and reports whether it did.
func (f *Feature) typedKey(e *fyne.KeyEvent) bool {
	if e.Name == fyne.KeyF11 {
		f.Toggle()
		return true
	}
	if f.mode == nil {
		return false
	}
	switch e.Name {
	case fyne.KeyRight, fyne.KeyPageDown, fyne.KeySpace, fyne.KeyDown:
		f.Next()
	case fyne.KeyLeft, fyne.KeyPageUp, fyne.KeyBackspace, fyne.KeyUp:
		f.Previous()
	case fyne.KeyHome:
		f.goTo(0)
	case fyne.KeyEnd:
		f.goTo(len(f.stories[f.current].Steps) - 1)
	case fyne.KeyEscape:
		f.Leave()
	}
	// Every other key is swallowed: the map stays where the story put it.
	return true
}

// stepStyle returns the style a step draws with: base with the step's
// layers switched and its filter applied.
func (f *Feature) stepStyle(base *style.Style, step story.Step) *style.Style {
	st := step.Apply(base)
	if len(step.Filter) > 0 && f.engine != nil {
		var q query.Filter
		for _, c := range step.Filter {
			q = q.With(c.Layer, c.Field, c.Values...)
		}
		st = f.engine.Apply(st, q)
	}
	return st
}
