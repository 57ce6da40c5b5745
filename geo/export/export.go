// Package export makes print-quality maps: pages laid out with a title,
// a subtitle, the map, a legend of only what the map draws, a scale bar
// true at the map's centre latitude, a north arrow, an optional grid of
// meridians and parallels, the data sources with their licences and the
// date, and, when a declaration clause is highlighted, its citation.
//
// One layout draws every format through the renderer's painter: a PNG of
// a chosen paper size and resolution (everything drawn at that
// resolution, not scaled up), a PDF whose lines and text are vectors (the
// shaded relief an image) and which takes many pages for a story
// handout, and an SVG of the map alone. Layouts are measured in
// millimetres on paper, text in points; a map's logical pixel is 1/96
// inch, so lines, symbols and labels keep the size they have on a
// screen, and the dots per inch only set how sharp they are.
//
// The engine knows no language: the words of a page (the legend's
// heading, the scale's units, the date line) come from the caller in a
// [Words]; [EnglishWords] are the defaults.
package export

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/geo/clausemap"
	"github.com/ecoatlas/ecoatlas/geo/style"
)

// Errors of the package.
var (
	// ErrOptions is wrapped by the errors for options no page can be made
	// with: an unknown paper, a resolution out of range.
	ErrOptions = errors.New("export: invalid options")
	// ErrPage is wrapped by the errors for a page that cannot be laid out:
	// no view, or a paper too small for it.
	ErrPage = errors.New("export: invalid page")
)

// Paper is a sheet size, in millimetres, upright.
type Paper struct {
	Name          string
	Width, Height float64
}

// The paper sizes of ISO 216 the exports offer.
var (
	A4 = Paper{"A4", 210, 297}
	A3 = Paper{"A3", 297, 420}
)

// Papers are the paper sizes by name.
var Papers = []Paper{A4, A3}

// PaperByName returns the paper of a name, "A4" or "A3" (any case).
func PaperByName(name string) (Paper, bool) {
	for _, p := range Papers {
		if strings.EqualFold(p.Name, name) {
			return p, true
		}
	}
	return Paper{}, false
}

// Resolutions an export may have, in dots per inch.
const (
	MinDPI     = 72
	MaxDPI     = 300
	DefaultDPI = 150
)

// Options say how pages are made.
type Options struct {
	// Paper is the sheet; Landscape turns it.
	Paper     Paper
	Landscape bool
	// DPI is the resolution of a PNG, MinDPI to MaxDPI. A PDF is laid
	// out at the same resolution, so that its labels go where the PNG's
	// do; the PDF itself is vector.
	DPI float64
	// Grid draws meridians and parallels over the map, labelled at its
	// edges.
	Grid bool
	// Lang is the language of the map's labels (a BCP 47 tag).
	Lang string
	// Date is the date the pages say they were made on.
	Date time.Time
	// Words are the page's words in the reader's language.
	Words Words
}

// check returns an error for options no page can be made with.
func (o Options) check() error {
	if o.Paper.Width <= 0 || o.Paper.Height <= 0 {
		return fmt.Errorf("%w: paper %q has no size", ErrOptions, o.Paper.Name)
	}
	if !(o.DPI >= MinDPI && o.DPI <= MaxDPI) {
		return fmt.Errorf("%w: %v dpi is outside %d..%d", ErrOptions, o.DPI, MinDPI, MaxDPI)
	}
	return nil
}

// size returns the sheet's width and height in millimetres as laid out.
func (o Options) size() (w, h float64) {
	w, h = o.Paper.Width, o.Paper.Height
	if o.Landscape != (w > h) {
		w, h = h, w
	}
	return w, h
}

// Page is what one page shows.
type Page struct {
	// Title and Subtitle head the page; the subtitle may be empty.
	Title, Subtitle string
	// Note is a caption under the heading (a story step's text); it may
	// be empty.
	Note string
	// View is the lon/lat box the map fits.
	View orb.Bound
	// Style is the style the map is drawn with, its layers switched on
	// and off and filtered as the user has them.
	Style *style.Style
	// Highlight, if set, veils the map but for a selection of the
	// declaration's map, with its badges.
	Highlight *Highlight
}

// Highlight is a selection of a clause map shown on a page.
type Highlight struct {
	Map       *clausemap.Map
	Selection clausemap.Selection
	// Citation names what is highlighted, printed under the map: the
	// declaration and the clause with its text.
	Citation string
}

// Words are the words a page prints, in the reader's language.
type Words struct {
	// Legend heads the legend; Sources the credits of the data.
	Legend, Sources string
	// North is the letter over the north arrow.
	North string
	// Distance writes a scale bar's length in metres, such as "500 km".
	Distance func(metres float64) string
	// ScaleAt writes where the scale bar is true, from the latitude of
	// the map's centre: "Scale true at 45.4° N".
	ScaleAt func(lat float64) string
	// Made writes the date line: "Made with Ecoatlas on 22 April 2026".
	Made func(t time.Time) string
	// PageOf numbers a page of a handout: "2 / 12".
	PageOf func(n, total int) string
}

// EnglishWords returns the words of a page in English.
func EnglishWords() Words {
	return Words{
		Legend: "Legend", Sources: "Sources", North: "N",
		Distance: func(m float64) string {
			if m >= 1000 {
				return strconv.FormatFloat(m/1000, 'f', -1, 64) + " km"
			}
			return strconv.FormatFloat(m, 'f', -1, 64) + " m"
		},
		ScaleAt: func(lat float64) string {
			hemisphere := "N"
			if lat < 0 {
				hemisphere = "S"
			}
			return fmt.Sprintf("Scale true at %.1f° %s", math.Abs(lat), hemisphere)
		},
		Made:   func(t time.Time) string { return "Made with Ecoatlas on " + t.Format("2 January 2006") },
		PageOf: func(n, total int) string { return fmt.Sprintf("%d / %d", n, total) },
	}
}
