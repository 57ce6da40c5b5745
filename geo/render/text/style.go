package text

import (
	"errors"
	"fmt"
	"image/color"
	"math"
)

// ErrUnknownWeight is returned (wrapped) when a Weight is unmarshalled from
// a name other than "regular" or "bold".
var ErrUnknownWeight = errors.New("text: unknown weight")

// Weight is the stroke weight of a label's font. Its JSON form is the string
// "regular" or "bold".
type Weight uint8

// The weights of the Go fonts used for labels.
const (
	Regular Weight = iota
	Bold
)

// String returns "regular" or "bold".
func (w Weight) String() string {
	if w == Bold {
		return "bold"
	}
	return "regular"
}

// MarshalText encodes the weight as "regular" or "bold".
func (w Weight) MarshalText() ([]byte, error) {
	return []byte(w.String()), nil
}

// UnmarshalText decodes "regular" or "bold" (an empty string means regular).
func (w *Weight) UnmarshalText(b []byte) error {
	switch string(b) {
	case "", "regular":
		*w = Regular
	case "bold":
		*w = Bold
	default:
		return fmt.Errorf("%w %q", ErrUnknownWeight, b)
	}
	return nil
}

// DefaultLineHeight is the distance between the baselines of wrapped lines,
// in ems, when Style.LineHeight is zero.
const DefaultLineHeight = 1.2

// Style describes how a label looks. Lengths are logical pixels (at scale 1)
// unless said otherwise; Render and Measure multiply them by the device
// scale. Style is comparable, so it can be part of a cache key.
type Style struct {
	// Size is the font size (the em) in pixels. Text with Size ≤ 0 is empty.
	Size float64 `json:"size"`
	// Color is the fill colour of the glyphs.
	Color color.NRGBA `json:"color"`
	// Halo is the colour of the soft outline drawn under the glyphs.
	Halo color.NRGBA `json:"halo"`
	// HaloWidth is how far, in pixels, the halo reaches beyond the glyphs;
	// 0 draws no halo.
	HaloWidth float64 `json:"halo_width"`
	// Weight selects the regular or bold Go font.
	Weight Weight `json:"weight"`
	// Italic selects the italic Go font.
	Italic bool `json:"italic"`
	// Uppercase draws the text in capitals (Unicode-aware, so Cyrillic too).
	Uppercase bool `json:"uppercase"`
	// LetterSpacing is extra space between letters, in ems.
	LetterSpacing float64 `json:"letter_spacing"`
	// MaxWidth wraps the text at spaces into lines no wider than this many
	// pixels where possible, balancing the line lengths; 0 never wraps.
	MaxWidth float64 `json:"max_width"`
	// LineHeight is the distance between baselines of wrapped lines in ems;
	// 0 means DefaultLineHeight.
	LineHeight float64 `json:"line_height"`
}

// styleKey is a style and a device scale as plain integers: the cache key
// part of a label, which hashes several times faster than the Style's
// floating-point fields.
type styleKey struct {
	size, haloWidth, letterSpacing, maxWidth, lineHeight, scale uint64
	color, halo                                                 color.NRGBA
	weight                                                      Weight
	italic, uppercase                                           bool
}

// key returns the style's cache key at the given scale.
func (st Style) key(scale float64) styleKey {
	return styleKey{
		size: math.Float64bits(st.Size), haloWidth: math.Float64bits(st.HaloWidth),
		letterSpacing: math.Float64bits(st.LetterSpacing), maxWidth: math.Float64bits(st.MaxWidth),
		lineHeight: math.Float64bits(st.LineHeight), scale: math.Float64bits(scale),
		color: st.Color, halo: st.Halo, weight: st.Weight, italic: st.Italic, uppercase: st.Uppercase,
	}
}

// layoutKey returns the key of the style's layout at the given scale: only
// the fields that move glyphs count, so that labels differing only in
// colour share a layout.
func (st Style) layoutKey(scale float64) styleKey {
	st.Color, st.Halo, st.HaloWidth = color.NRGBA{}, color.NRGBA{}, 0
	return st.key(scale)
}

// HaloReach returns how far the halo reaches beyond the glyphs, in device
// pixels at the given scale: 0 when no halo is drawn.
func (st Style) HaloReach(scale float64) float64 {
	if st.Halo.A == 0 || st.HaloWidth <= 0 {
		return 0
	}
	return st.HaloWidth * scale
}
