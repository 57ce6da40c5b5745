// Package coordinate is "Go to coordinate" (Tools menu, Ctrl+G): a dialog
// that reads a position in decimal degrees, degrees-minutes-seconds, UTM
// or MGRS (geo/coord), says while the user types what is wrong with it,
// and flies the map there, to a zoom that fits the precision typed, with
// a pin and the position written in the status bar's notation beside it.
// Tools › Copy the coordinates of a point puts the position of the next
// click on the map on the clipboard, in that notation.
package coordinate

import (
	"errors"
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/app/sketch"
	"github.com/ecoatlas/ecoatlas/geo/coord"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// overlayName is the pin's overlay on the map.
const overlayName = "coordinate-pin"

// dialogWidth is the dialog's width in logical pixels: room for a long
// DMS pair and the error under it.
const dialogWidth = 460

// Feature is "Go to coordinate". Create it with [New] and pass it to
// shell.WithFeatures; its methods are called on the UI goroutine.
type Feature struct {
	shell *shell.Shell
	pick  *pickTool
	text  string     // what was last typed in the dialog
	pin   *orb.Point // the position gone to, if any
	clear *fyne.MenuItem
}

// New returns the feature, with no pin on the map.
func New() *Feature {
	f := &Feature{}
	f.pick = &pickTool{f: f}
	return f
}

// Install adds Tools › Go to coordinate… (Ctrl+G), Tools › Remove the
// coordinate pin and Tools › Copy the coordinates of a point, and shows
// the pin again if there is one.
func (f *Feature) Install(s *shell.Shell) {
	f.shell = s
	f.clear = fyne.NewMenuItem(i18n.T("coordinate.clear"), f.ClearPin)
	f.clear.Disabled = f.pin == nil
	tools := s.Menu("menu.tools")
	tools.Items = append(tools.Items, fyne.NewMenuItemSeparator(),
		&fyne.MenuItem{Label: i18n.T("coordinate.menu"), Action: f.Ask,
			Shortcut: &desktop.CustomShortcut{KeyName: fyne.KeyG, Modifier: fyne.KeyModifierShortcutDefault}},
		f.clear,
		fyne.NewMenuItem(i18n.T("coordinate.copy"), f.PickToCopy))
	s.AddShortcut(fyne.KeyG, f.Ask)
	f.showPin()
}

// Pin returns the position last gone to, if its pin is on the map.
func (f *Feature) Pin() (orb.Point, bool) {
	if f.pin == nil {
		return orb.Point{}, false
	}
	return *f.pin, true
}

// Check reads text as a coordinate; the error says, in the interface
// language, that it is not one and, in the engine's words, what is wrong.
func Check(text string) (coord.Position, error) {
	pos, err := coord.Parse(text)
	if err == nil {
		return pos, nil
	}
	detail := err.Error()
	for _, sentinel := range []error{coord.ErrSyntax, coord.ErrRange} {
		if errors.Is(err, sentinel) {
			if rest, ok := cutPrefix(detail, sentinel.Error()+": "); ok {
				detail = rest
			}
		}
	}
	if errors.Is(err, coord.ErrRange) {
		return pos, &Error{Text: text, Message: i18n.T("coordinate.range", map[string]any{"Detail": detail}), Err: err}
	}
	return pos, &Error{Text: text, Message: i18n.T("coordinate.syntax", map[string]any{"Detail": detail}), Err: err}
}

// cutPrefix is strings.CutPrefix, kept here to read the engine's message.
func cutPrefix(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):], true
	}
	return s, false
}

// Error is a text that is not a usable coordinate.
type Error struct {
	Text    string // what was typed
	Message string // what is wrong, for the user
	Err     error  // the engine's error, wrapping coord.ErrSyntax or coord.ErrRange
}

func (e *Error) Error() string { return e.Message }

// Unwrap returns the engine's error.
func (e *Error) Unwrap() error { return e.Err }

// Ask opens the dialog, the last text typed in its box.
func (f *Feature) Ask() {
	entry := widget.NewEntry()
	entry.SetPlaceHolder(i18n.T("coordinate.placeholder"))
	problem := widget.NewLabel("")
	problem.Wrapping = fyne.TextWrapWord
	problem.Importance = widget.DangerImportance
	examples := widget.NewLabel(i18n.T("coordinate.examples"))
	examples.Wrapping = fyne.TextWrapWord
	examples.Importance = widget.LowImportance
	var d *dialog.FormDialog
	entry.OnChanged = func(text string) {
		f.text = text
		if _, err := Check(text); err != nil && text != "" {
			problem.SetText(err.Error())
		} else {
			problem.SetText("")
		}
	}
	entry.OnSubmitted = func(string) { d.Submit() }
	entry.Validator = func(text string) error {
		_, err := Check(text)
		return err
	}
	items := []*widget.FormItem{
		{Text: i18n.T("coordinate.label"), Widget: entry},
		{Widget: problem},
		{Widget: examples},
	}
	d = dialog.NewForm(i18n.T("coordinate.title"), i18n.T("coordinate.go"), i18n.T("coordinate.cancel"), items, func(ok bool) {
		if ok {
			if err := f.GoTo(f.text); err != nil {
				f.shell.ShowError(err)
			}
		}
	}, f.shell.Window())
	entry.SetText(f.text)
	d.Resize(fyne.NewSize(dialogWidth, d.MinSize().Height))
	d.Show()
	f.shell.Window().Canvas().Focus(entry)
}

// GoTo flies the map to a coordinate typed in any notation Check reads,
// to a zoom that shows the precision typed, and puts the pin there.
func (f *Feature) GoTo(text string) error {
	pos, err := Check(text)
	if err != nil {
		return err
	}
	p := pos.Point
	f.pin = &p
	f.clear.Disabled = false
	f.shell.RefreshMenu()
	vp := f.shell.Map().Viewport()
	f.shell.Map().AnimateTo(viewport.New(p, zoomFor(pos.Precision), vp.Width, vp.Height, vp.Scale))
	f.showPin()
	return nil
}

// ClearPin takes the pin off the map.
func (f *Feature) ClearPin() {
	f.pin = nil
	f.clear.Disabled = true
	f.shell.RefreshMenu()
	f.showPin()
}

// zoomFor returns the zoom that shows a position typed to a precision in
// metres: a street's width for a metre, a town for a kilometre, a region
// for an MGRS square without digits.
func zoomFor(precision float64) float64 {
	switch {
	case precision <= 10:
		return 15
	case precision <= 100:
		return 13
	case precision <= 2000:
		return 11
	case precision <= 20000:
		return 9
	}
	return 7
}

// showPin sets the pin's overlay, or takes it away.
func (f *Feature) showPin() {
	if f.pin == nil {
		f.shell.Map().SetOverlay(overlayName, nil)
		return
	}
	p := *f.pin
	label, err := coord.Format(p, f.shell.CoordinateFormat())
	if err != nil {
		label, _ = coord.FormatDecimal(p, 5)
	}
	f.shell.Map().SetOverlay(overlayName, pinOverlay{at: p, label: label})
}

// pinOverlay draws the pin and its label.
type pinOverlay struct {
	at    orb.Point
	label string
}

func (o pinOverlay) Draw(dst *image.RGBA, vp viewport.Viewport) {
	s := sketch.New(dst, vp)
	s.Pin(o.at)
	s.Label(o.at, o.label, 12, -30)
}

// PickToCopy lends the map a tool whose next click copies the clicked
// position to the clipboard, in the status bar's notation; Escape gives
// the map back without copying.
func (f *Feature) PickToCopy() {
	f.pick.active = true
	f.shell.UseTool(f.pick)
	f.shell.Notify(i18n.T("coordinate.pick"))
}

// Copy puts a position on the clipboard in the status bar's notation and
// says so.
func (f *Feature) Copy(p orb.Point) {
	text, err := coord.Format(p, f.shell.CoordinateFormat())
	if err != nil {
		f.shell.ShowError(err)
		return
	}
	fyne.CurrentApp().Clipboard().SetContent(text)
	f.shell.Notify(i18n.T("coordinate.copied", map[string]any{"Text": text}))
}

// pickTool copies the position of one click, then gives the map back.
type pickTool struct {
	f      *Feature
	active bool // lent the map and not yet used
}

func (t *pickTool) Tapped(vp viewport.Viewport, p orb.Point) {
	if t.release() {
		t.f.Copy(vp.FromPixel(p))
	}
}

// release gives the map back, once, and reports whether the tool had it.
func (t *pickTool) release() bool {
	if !t.active {
		return false
	}
	t.active = false
	t.f.shell.ReleaseTool(t)
	return true
}

func (t *pickTool) DoubleTapped(viewport.Viewport, orb.Point) bool       { return false }
func (t *pickTool) Dragged(viewport.Viewport, orb.Point, orb.Point) bool { return false }
func (t *pickTool) DragEnd(viewport.Viewport, orb.Point)                 {}
func (t *pickTool) Hovered(viewport.Viewport, orb.Point, bool)           {}
func (t *pickTool) Cancelled()                                           { t.release() }
