package shell

import (
	"fmt"
	"math"

	"fyne.io/fyne/v2"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/geo/coord"
)

// CoordinateFormats are the notations the status bar can show the
// pointer's position in, in the order its chooser lists them.
var CoordinateFormats = []coord.Kind{coord.KindDecimal, coord.KindDMS, coord.KindUTM, coord.KindMGRS}

// coordinateFormatPreference is the preference that keeps the readout's
// notation from one session to the next.
const coordinateFormatPreference = "coordinateFormat"

// CoordinateFormat returns the notation the status bar shows the
// pointer's position in.
func (s *Shell) CoordinateFormat() coord.Kind { return s.coordinates }

// SetCoordinateFormat makes the status bar show the pointer's position in
// a notation of [CoordinateFormats], remembered for the next session, and
// tells the OnCoordinateFormatChanged listeners.
func (s *Shell) SetCoordinateFormat(k coord.Kind) {
	if k == s.coordinates || !validFormat(k) {
		return
	}
	s.coordinates = k
	s.app.Preferences().SetString(coordinateFormatPreference, string(k))
	s.status.setFormat(k)
	s.coordinateMenu()
	s.RefreshMenu()
	for _, f := range s.formatListeners {
		f(k)
	}
}

// OnCoordinateFormatChanged adds a function called with the new notation
// whenever the status bar's changes.
func (s *Shell) OnCoordinateFormatChanged(f func(coord.Kind)) {
	s.formatListeners = append(s.formatListeners, f)
}

// FormatCoordinate writes a lon/lat point in the status bar's notation,
// as the status bar shows it.
func (s *Shell) FormatCoordinate(p orb.Point) string { return formatPosition(p, s.coordinates) }

// validFormat reports whether k is one of CoordinateFormats.
func validFormat(k coord.Kind) bool {
	for _, f := range CoordinateFormats {
		if f == k {
			return true
		}
	}
	return false
}

// savedFormat returns the notation of the last session, decimal degrees
// at first.
func savedFormat(a fyne.App) coord.Kind {
	k := coord.Kind(a.Preferences().StringWithFallback(coordinateFormatPreference, string(coord.KindDecimal)))
	if !validFormat(k) {
		return coord.KindDecimal
	}
	return k
}

// formatName returns the name of a notation, as the chooser shows it.
func formatName(k coord.Kind) string { return i18n.T("coords.format." + string(k)) }

// coordinateMenu fills the View menu's Coordinates submenu, the current
// notation checked.
func (s *Shell) coordinateMenu() {
	if s.formatItem == nil {
		return
	}
	s.formatItem.ChildMenu.Items = nil
	for _, k := range CoordinateFormats {
		item := fyne.NewMenuItem(formatName(k), func() { s.SetCoordinateFormat(k) })
		item.Checked = k == s.coordinates
		s.formatItem.ChildMenu.Items = append(s.formatItem.ChildMenu.Items, item)
	}
}

// formatPosition returns a lon/lat point in a notation, latitude first:
// "42.4567° N 77.1234° E", "42°27′24″ N 77°07′24″ E", "43T 500000
// 4700000" or "43T GH 12345 67890". Degrees are written to about 10 m,
// UTM and MGRS to the metre; a point off the UTM grid (beyond 84° N or
// 80° S) is written in decimal degrees.
func formatPosition(p orb.Point, k coord.Kind) string {
	lon, lat := p[0], p[1]
	switch k {
	case coord.KindDMS:
		return dms(lat, "coords.north", "coords.south") + " " + dms(lon, "coords.east", "coords.west")
	case coord.KindUTM, coord.KindMGRS:
		if text, err := coord.Format(p, k); err == nil {
			return text
		}
	}
	return decimal(lat, "coords.north", "coords.south") + " " + decimal(lon, "coords.east", "coords.west")
}

// decimal formats an angle with four decimals (about 10 m) and the
// hemisphere letter: the key positive for values that round to zero or
// more, negative for the others.
func decimal(deg float64, positive, negative string) string {
	tenThousandths := math.Round(math.Abs(deg) * 1e4)
	return fmt.Sprintf("%.4f° %s", tenThousandths/1e4, hemisphere(deg < 0 && tenThousandths > 0, positive, negative))
}

// dms formats an angle as whole degrees, minutes and seconds, rounded to
// the second before splitting, so 59.9999° is 60°00′00″, not 59°59′60″.
func dms(deg float64, positive, negative string) string {
	seconds := int64(math.Round(math.Abs(deg) * 3600))
	return fmt.Sprintf("%d°%02d′%02d″ %s", seconds/3600, seconds/60%60, seconds%60,
		hemisphere(deg < 0 && seconds > 0, positive, negative))
}

func hemisphere(isNegative bool, positive, negative string) string {
	if isNegative {
		return i18n.T(negative)
	}
	return i18n.T(positive)
}
