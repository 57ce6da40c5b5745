package text

import (
	"math"
	"strings"
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

// layoutOf returns the cached layout of s, laying it out on first use.
func layoutOf(s string, st Style, scale float64) *layout {
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
// breaks so that the widest line is as narrow as possible: a label reads
// best as a compact block, not a full line over a lone word. On ties the
// upper lines are the shorter ones. It returns the index of the first word
// of every line.
func balancedBreaks(widths []float64, join, limit float64) []int {
	n := len(widths)
	prefix := make([]float64, n+1)
	for i, w := range widths {
		prefix[i+1] = prefix[i] + w
	}
	span := func(from, to int) float64 { // words[from:to] on one line
		return prefix[to] - prefix[from] + float64(to-from-1)*join
	}

	lines := 1
	for start, i := 0, 1; i < n; i++ {
		if span(start, i+1) > limit {
			lines++
			start = i
		}
	}

	// widest[k][j] is the narrowest widest line achievable when words[:j]
	// fill k+1 lines, and first[k][j] the first word of the last of them.
	widest := make([][]float64, lines)
	first := make([][]int, lines)
	for k := range lines {
		widest[k] = make([]float64, n+1)
		first[k] = make([]int, n+1)
		for j := k + 1; j <= n; j++ {
			if k == 0 {
				widest[k][j] = span(0, j)
				continue
			}
			widest[k][j] = math.Inf(1)
			for i := k; i < j; i++ {
				if w := max(widest[k-1][i], span(i, j)); w < widest[k][j] {
					widest[k][j], first[k][j] = w, i
				}
			}
		}
	}

	starts := make([]int, lines)
	for k, j := lines-1, n; k > 0; k-- {
		starts[k] = first[k][j]
		j = starts[k]
	}
	return starts
}
