package shell

import (
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/geo/coord"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// statusBar is the line under the map: the scale bar, the coordinates
// under the pointer, the credits of the data on show and a button that
// opens their sources in full, since a narrow window cuts the credits.
type statusBar struct {
	scale       *scaleBar
	cursor      *widget.Label
	format      *widget.Button // the readout's notation, a menu of the others
	kind        coord.Kind
	attribution *widget.Label
	message     *widget.Label // a notice, shown in place of the credits
	shown       int           // notices shown so far, so that only the last one's timer hides it
	last        orb.Point     // the position shown, lon/lat
	hide        *time.Timer   // the last notice's timer, stopped when the window goes
	content     fyne.CanvasObject
}

// newStatusBar returns the status bar showing coordinates in notation
// kind; sources shows the data sources, choose sets the notation.
func newStatusBar(kind coord.Kind, sources func(), choose func(coord.Kind)) *statusBar {
	s := &statusBar{
		kind:        kind,
		scale:       newScaleBar(),
		cursor:      widget.NewLabel(""),
		attribution: widget.NewLabel(""),
		message:     widget.NewLabel(""),
	}
	s.message.Importance = widget.HighImportance
	s.message.Truncation = fyne.TextTruncateEllipsis
	s.message.Hide()
	s.cursor.SizeName = theme.SizeNameCaptionText
	s.attribution.SizeName = theme.SizeNameCaptionText
	s.attribution.Alignment = fyne.TextAlignTrailing
	s.attribution.Truncation = fyne.TextTruncateEllipsis
	// The coordinates get a fixed width, the widest of any notation's, so
	// that the credits beside them do not jitter as the pointer moves or
	// the notation changes.
	var width float32
	for _, k := range CoordinateFormats {
		text := formatPosition(orb.Point{-177.7777, -77.7777}, k)
		width = max(width, fyne.MeasureText(text, theme.CaptionTextSize(), fyne.TextStyle{}).Width)
	}
	width += 4 * theme.Padding()
	cursor := container.New(layout.NewGridWrapLayout(fyne.NewSize(width, s.cursor.MinSize().Height)), s.cursor)
	s.format = widget.NewButtonWithIcon(formatName(kind), theme.MenuDropDownIcon(), nil)
	s.format.Importance = widget.LowImportance
	s.format.IconPlacement = widget.ButtonIconTrailingText
	s.format.OnTapped = func() {
		menu := fyne.NewMenu("")
		for _, k := range CoordinateFormats {
			item := fyne.NewMenuItem(formatName(k), func() { choose(k) })
			item.Checked = k == s.kind
			menu.Items = append(menu.Items, item)
		}
		c := fyne.CurrentApp().Driver().CanvasForObject(s.format)
		widget.ShowPopUpMenuAtRelativePosition(menu, c, fyne.NewPos(0, s.format.Size().Height), s.format)
	}
	left := container.NewHBox(s.scale, widget.NewSeparator(), s.format, cursor)
	more := widget.NewButtonWithIcon(i18n.T("status.sources"), theme.InfoIcon(), sources)
	more.Importance = widget.LowImportance
	s.content = container.NewBorder(widget.NewSeparator(), nil, left, more, container.NewStack(s.attribution, s.message))
	return s
}

// setViewport updates the scale bar.
func (s *statusBar) setViewport(vp viewport.Viewport) { s.scale.setViewport(vp) }

// setCursor shows the coordinates under the pointer, or clears them when
// the pointer is off the map.
func (s *statusBar) setCursor(lonlat orb.Point, inside bool) {
	if !inside {
		s.cursor.SetText("")
		return
	}
	s.cursor.SetText(formatPosition(lonlat, s.kind))
	s.last = lonlat
}

// setFormat shows the coordinates in another notation from now on.
func (s *statusBar) setFormat(k coord.Kind) {
	s.kind = k
	s.format.SetText(formatName(k))
	if s.cursor.Text != "" {
		s.cursor.SetText(formatPosition(s.last, k))
	}
}

// notify shows a message in place of the credits for a few seconds.
func (s *statusBar) notify(message string) {
	s.message.SetText(message)
	s.message.Show()
	s.attribution.Hide()
	s.shown++
	shown := s.shown
	s.stop()
	s.hide = time.AfterFunc(noticeTime, func() {
		fyne.Do(func() {
			if s.shown == shown {
				s.message.Hide()
				s.attribution.Show()
			}
		})
	})
}

// stop stops the timer of the notice shown, which then stays.
func (s *statusBar) stop() {
	if s.hide != nil {
		s.hide.Stop()
	}
}

// noticeTime is how long a notice stays in the status bar.
const noticeTime = 6 * time.Second

// setStyle updates the credits for the layers a style shows.
func (s *statusBar) setStyle(st *style.Style) {
	s.attribution.SetText(i18n.T("status.attribution", map[string]any{"Sources": attribution(st)}))
}

// attribution returns the credit lines of the sources of a style's visible
// layers, without repeats, in drawing order, joined by " · ".
func attribution(st *style.Style) string {
	var credits []string
	for _, l := range st.Layers {
		if l.Hidden {
			continue
		}
		if c := st.Sources[l.Source].Attribution; c != "" && !slices.Contains(credits, c) {
			credits = append(credits, c)
		}
	}
	return strings.Join(credits, " · ")
}
