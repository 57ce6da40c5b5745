package declaration

import (
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/seeds"
)

// tourUI is the tour player of one install: where the tour is, the
// step's clause and caption, and the buttons to step. The player takes
// the keyboard while it has the focus: ← and → (or Page Up and Page
// Down, Space) step, Home and End go to the first and last step, Escape
// ends the tour.
type tourUI struct {
	f       *Feature
	content fyne.CanvasObject
	player  *player
	counter *widget.Label
	title   *widget.Label
	text    *widget.Label
	prev    *widget.Button
	next    *widget.Button
	end     *widget.Button
	start   *widget.Button
}

// newTourPanel builds the tour player from the feature's state.
func (f *Feature) newTourPanel() *tourUI {
	u := &tourUI{f: f}
	u.counter = widget.NewLabel("")
	u.counter.SizeName = theme.SizeNameCaptionText
	u.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	u.title.Wrapping = fyne.TextWrapWord
	u.title.SizeName = theme.SizeNameSubHeadingText
	u.text = widget.NewLabel("")
	u.text.Wrapping = fyne.TextWrapWord
	u.prev = widget.NewButtonWithIcon(i18n.T("declaration.tour.previous"), theme.NavigateBackIcon(), func() { f.stepBy(-1) })
	u.next = widget.NewButtonWithIcon(i18n.T("declaration.tour.next"), theme.NavigateNextIcon(), func() { f.stepBy(1) })
	u.next.IconPlacement = widget.ButtonIconTrailingText
	u.end = widget.NewButtonWithIcon(i18n.T("declaration.tour.end"), theme.MediaStopIcon(), f.endTour)
	u.start = widget.NewButtonWithIcon(i18n.T("declaration.tour.start"), theme.MediaPlayIcon(), f.startTour)
	keys := widget.NewLabel(i18n.T("declaration.tour.keys"))
	keys.SizeName = theme.SizeNameCaptionText
	keys.Wrapping = fyne.TextWrapWord
	buttons := container.NewVBox(container.NewGridWithColumns(2, u.prev, u.next), container.NewGridWithColumns(2, u.start, u.end), keys)
	body := container.NewBorder(container.NewVBox(u.counter, u.title), buttons, nil, nil, container.NewVScroll(u.text))
	u.player = newPlayer(container.NewPadded(body), u.key)
	u.content = u.player
	u.refresh()
	return u
}

// refresh shows the step the tour is at, or how to start it.
func (u *tourUI) refresh() {
	f := u.f
	n := len(f.tour.Steps)
	if f.step < 0 {
		u.counter.SetText(i18n.N("declaration.tour.steps", n))
		u.title.SetText(i18n.T("declaration.tour.idle"))
		u.text.SetText("")
		u.prev.Disable()
		u.next.Disable()
		u.end.Disable()
		u.start.Enable()
		return
	}
	st := f.tour.Steps[f.step]
	u.counter.SetText(i18n.T("declaration.tour.counter", map[string]any{"Step": f.step + 1, "Steps": n}))
	title := ""
	if c, ok := f.links.Clause(st.Clause); ok {
		title = "§" + strconv.Itoa(st.Clause) + " " + i18n.T(c.TitleKey())
	}
	u.title.SetText(title)
	u.text.SetText(st.Caption)
	setEnabled(u.prev, f.step > 0)
	setEnabled(u.next, f.step < n-1)
	u.end.Enable()
	u.start.Disable()
}

// key handles a key typed while the player has the focus.
func (u *tourUI) key(k fyne.KeyName) {
	f := u.f
	if f.step < 0 {
		if k == fyne.KeyReturn || k == fyne.KeySpace || k == fyne.KeyRight {
			f.startTour()
		}
		return
	}
	switch k {
	case fyne.KeyLeft, fyne.KeyUp, fyne.KeyPageUp, fyne.KeyBackspace:
		f.stepBy(-1)
	case fyne.KeyRight, fyne.KeyDown, fyne.KeyPageDown, fyne.KeySpace:
		f.stepBy(1)
	case fyne.KeyHome:
		f.ShowStep(0)
	case fyne.KeyEnd:
		f.ShowStep(len(f.tour.Steps) - 1)
	case fyne.KeyEscape:
		f.endTour()
	}
}

// startTour opens the player at the step the tour is at, or its first,
// and gives it the keyboard.
func (f *Feature) startTour() {
	f.shell.ShowPanel(TourPanelID)
	f.ShowStep(max(f.step, 0))
	if f.tourUI != nil {
		f.shell.Window().Canvas().Focus(f.tourUI.player)
	}
}

// stepBy moves the tour by d steps, staying within it.
func (f *Feature) stepBy(d int) {
	if i := f.step + d; i >= 0 && i < len(f.tour.Steps) {
		f.ShowStep(i)
	}
}

// Step returns the tour step shown, from 0, or −1 when the tour is not
// running.
func (f *Feature) Step() int { return f.step }

// ShowStep shows step i of the declaration tour (from 0): its layers
// switched on, its features highlighted with the step's clause badge,
// the view flown to the step's view, its caption in the player. It
// replaces the selected clause.
func (f *Feature) ShowStep(i int) {
	sel, err := f.m.Step(f.tour.Steps[i])
	if err != nil {
		f.shell.ShowError(err)
		return
	}
	f.selected, f.step = 0, i
	if c := f.tour.Steps[i].Clause; c != 0 {
		f.card = cardRef{seeds.PartClause, c}
	}
	f.show(&sel)
	f.shell.Map().FlyTo(sel.Extent)
	f.refresh()
}

// endTour ends the tour and takes its step off the map.
func (f *Feature) endTour() {
	if f.step >= 0 {
		f.ClearSelection()
	}
}

// setEnabled enables or disables a button.
func setEnabled(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// player holds the tour's widgets and takes the keyboard for them: it is
// focused when the tour starts or when it is tapped, and passes the keys
// it gets to a function. A frame in the primary colour shows that it has
// the focus.
type player struct {
	widget.BaseWidget
	content fyne.CanvasObject
	onKey   func(fyne.KeyName)
	frame   *canvas.Rectangle
	focused bool
}

// Declare conformity with the interfaces of the input the player handles.
var (
	_ fyne.Focusable = (*player)(nil)
	_ fyne.Tappable  = (*player)(nil)
)

func newPlayer(content fyne.CanvasObject, onKey func(fyne.KeyName)) *player {
	p := &player{content: content, onKey: onKey, frame: canvas.NewRectangle(color.Transparent)}
	p.frame.StrokeColor = color.Transparent
	p.frame.StrokeWidth = 2
	p.frame.CornerRadius = theme.InputRadiusSize()
	p.ExtendBaseWidget(p)
	return p
}

// CreateRenderer is a private method to Fyne which links this widget to
// its renderer.
func (p *player) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(p.content, p.frame))
}

// Tapped gives the player the keyboard.
func (p *player) Tapped(*fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(p); c != nil {
		c.Focus(p)
	}
}

// FocusGained shows the frame.
func (p *player) FocusGained() {
	p.focused = true
	p.frame.StrokeColor = theme.Color(theme.ColorNamePrimary)
	p.frame.Refresh()
}

// FocusLost hides the frame.
func (p *player) FocusLost() {
	p.focused = false
	p.frame.StrokeColor = color.Transparent
	p.frame.Refresh()
}

// TypedRune ignores letters.
func (p *player) TypedRune(rune) {}

// TypedKey steps the tour.
func (p *player) TypedKey(e *fyne.KeyEvent) { p.onKey(e.Name) }
