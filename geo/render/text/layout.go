package text

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Metrics is the layout box of a label in device pixels: as wide as its
// widest line (the sum of the advances, letter spacing included) and as high
// as from the font's ascent above the first baseline to its descent below
// the last one. Baselines fall on whole pixels.
type Metrics struct {
	// Width and Height are the size of the layout box.
	Width, Height float64
	// Ascent is the distance from the top of the box to the first baseline.
	Ascent float64
	// Lines is the number of lines; 0 for a label with nothing to draw.
	Lines int
}

// layoutCacheBytes bounds the layout cache. Layouts are small (a few
// hundred bytes), and label placement measures many more strings than it
// draws.
const layoutCacheBytes = 3 << 20

// layoutKey identifies a layout.
type layoutKey struct {
	text  string
	style styleKey // Style.layoutKey
}

var layouts = newLRU(layoutCacheBytes, func(k layoutKey, l *layout) int64 {
	return int64(len(k.text)) + int64(cap(l.glyphs))*56 + 128
})

// layout is a label's glyphs positioned in device pixels.
type layout struct {
	metrics Metrics
	face    *typeface
	ppem    float64 // device pixels per em
	glyphs  []placedGlyph
}

// placedGlyph is a glyph with the pen position and direction of its
// baseline, in device pixels.
type placedGlyph struct {
	g *glyph
	// r is the character the glyph draws.
	r rune
	// origin is the pen position on the baseline.
	origin point
	// dir is the unit vector along the baseline: {1, 0} for straight text.
	dir point
	// advance is the glyph's own advance, letter spacing excluded.
	advance float64
}

// Measure returns the layout box of s drawn in style st at the given device
// scale. It is cached and cheap to call again with the same arguments.
func Measure(s string, st Style, scale float64) Metrics {
	return layoutOf(s, st, scale).metrics
}

// MaxLabel is the number of characters a label shows at most: a longer
// one is cut at a word, if one ends near the limit, and ends with an
// ellipsis. No map label is that long; one that is would cover the map,
// and lay out in time and memory that grow with its length.
const MaxLabel = 200

// shortened returns s cut to MaxLabel characters, ellipsis included.
func shortened(s string) string {
	if len(s) <= MaxLabel {
		return s
	}
	// cut is where the first MaxLabel-1 characters end, end where the
	// first MaxLabel do.
	cut, end := 0, 0
	for n := 0; n < MaxLabel; n++ {
		if end >= len(s) {
			return s
		}
		if n == MaxLabel-1 {
			cut = end
		}
		_, size := utf8.DecodeRuneInString(s[end:])
		end += size
	}
	if end >= len(s) {
		return s
	}
	// Back to the last space within the last fifth, so that no word is
	// cut in two where the label has short words.
	if space := strings.LastIndexFunc(s[:cut], unicode.IsSpace); space > cut*4/5 {
		cut = space
	}
	return strings.TrimRightFunc(s[:cut], unicode.IsSpace) + "…"
}

// layoutOf returns the cached layout of s, laying it out on first use.
func layoutOf(s string, st Style, scale float64) *layout {
	s = shortened(s)
	key := layoutKey{text: s, style: st.layoutKey(scale)}
	if l, ok := layouts.get(key); ok {
		return l
	}
	return layouts.add(key, newLayout(s, st, scale))
}

// newLayout breaks s into lines and positions its glyphs: lines are
// centred on each other and their baselines are whole pixels apart. Runs of
// white space collapse into one space; "\n" forces a line break.
func newLayout(s string, st Style, scale float64) *layout {
	t := typefaceOf(st)
	ppem := st.Size * scale
	l := &layout{face: t, ppem: ppem}
	if !(ppem > 0) {
		return l
	}
	if st.Uppercase {
		s = strings.ToUpper(s)
	}
	spacing := st.LetterSpacing * ppem
	lines := t.wrap(s, ppem, spacing, st.MaxWidth*scale)
	if len(lines) == 0 {
		return l
	}

	widths := make([]float64, len(lines))
	for i, ln := range lines {
		widths[i] = t.width(ln, ppem, spacing)
		l.metrics.Width = max(l.metrics.Width, widths[i])
	}
	ascent, descent := math.Round(t.ascent*ppem), math.Round(t.descent*ppem)
	lineHeight := st.LineHeight
	if lineHeight <= 0 {
		lineHeight = DefaultLineHeight
	}
	step := math.Round(lineHeight * ppem)
	l.metrics.Ascent = ascent
	l.metrics.Height = ascent + descent + float64(len(lines)-1)*step
	l.metrics.Lines = len(lines)

	for i, ln := range lines {
		pen := point{(l.metrics.Width - widths[i]) / 2, ascent + float64(i)*step}
		for _, r := range ln {
			g := t.glyph(r)
			adv := g.advance * ppem
			l.glyphs = append(l.glyphs, placedGlyph{g: g, r: r, origin: pen, dir: point{1, 0}, advance: adv})
			pen.x += adv + spacing
		}
	}
	return l
}

// width returns the advance width of a line of text in pixels, with the
// letter spacing between (not after) its letters.
func (t *typeface) width(s string, ppem, spacing float64) float64 {
	w, n := 0.0, 0
	for _, r := range s {
		w += t.glyph(r).advance * ppem
		n++
	}
	if n > 1 {
		w += float64(n-1) * spacing
	}
	return w
}

// wrap splits s into lines: at every "\n", and, when limit > 0, between
// words so that lines are at most limit pixels wide where the words allow.
// Empty lines are dropped.
func (t *typeface) wrap(s string, ppem, spacing, limit float64) []string {
	var lines []string
	for paragraph := range strings.SplitSeq(s, "\n") {
		words := strings.Fields(paragraph)
		if len(words) == 0 {
			continue
		}
		if limit <= 0 || len(words) == 1 {
			lines = append(lines, strings.Join(words, " "))
			continue
		}
		widths := make([]float64, len(words))
		for i, w := range words {
			widths[i] = t.width(w, ppem, spacing)
		}
		join := t.glyph(' ').advance*ppem + 2*spacing
		starts := balancedBreaks(widths, join, limit)
		for i, start := range starts {
			end := len(words)
			if i+1 < len(starts) {
				end = starts[i+1]
			}
			lines = append(lines, strings.Join(words[start:end], " "))
		}
	}
	return lines
}

// balancedBreaks splits words of the given widths, joined by join pixels,
// into as few lines as filling each up to limit needs, then places the
// breaks so that the widest line of several words is as narrow as
// possible: a label reads best as a compact block, not a full line over a
// lone word. A word wider than limit has a line of its own. On ties the
// upper lines are the shorter ones. It returns the index of the first
// word of every line.
//
// It takes time linear in the number of words: the narrowest width is
// found by bisection, each step a greedy fill.
func balancedBreaks(widths []float64, join, limit float64) []int {
	lines := 1
	for width, i := widths[0], 1; i < len(widths); i++ {
		if width += join + widths[i]; width > limit {
			lines++
			width = widths[i]
		}
	}
	if lines == 1 {
		return []int{0}
	}
	// The narrowest width that the words fill from the bottom up in as
	// many lines: every width between it and limit does too.
	lo, hi := 0.0, limit
	for range bisections {
		mid := (lo + hi) / 2
		if fillUp(widths, join, mid, nil) <= lines {
			hi = mid
		} else {
			lo = mid
		}
	}
	starts := make([]int, lines)
	fillUp(widths, join, hi, starts)
	return starts
}

// bisections is how many halvings narrow the width of a wrapped label
// down: a 1000-pixel limit comes down to a thousandth of a pixel.
const bisections = 20

// fillUp fills lines at most width wide (but for single words wider than
// that) from the last word up, each as full as it can be, and returns
// their number. If starts has room for them all, it receives the index of
// every line's first word, top line first.
func fillUp(widths []float64, join, width float64, starts []int) int {
	lines, line := 1, widths[len(widths)-1]
	for i := len(widths) - 2; i >= 0; i-- {
		if line += join + widths[i]; line > width {
			if lines <= len(starts) {
				starts[len(starts)-lines] = i + 1
			}
			lines++
			line = widths[i]
		}
	}
	if lines <= len(starts) {
		starts[len(starts)-lines] = 0
	}
	return lines
}
