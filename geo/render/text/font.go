package text

import (
	"fmt"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/ecoatlas/ecoatlas/assets"
)

// Labels are set in Noto Sans (embedded by package assets), which has every
// letter of the region's alphabets: Kazakh, Kyrgyz and Tajik Cyrillic,
// Turkmen and Uzbek Latin. Glyphs are drawn unhinted and without kerning
// (sfnt reads neither GPOS nor hints), so a glyph's outline and advance
// scale linearly with the size. Each typeface therefore keeps one
// size-independent glyph cache in ems, shared by every size and device
// scale, instead of one cache per sized face.

// typeface is one of the four faces of the label font with a
// concurrency-safe cache of the glyphs used so far. All lengths are in ems
// with the y axis pointing down.
type typeface struct {
	font *sfnt.Font
	// ascent and descent (both positive) bound the line box; capHeight and
	// xHeight are the heights of the capitals and the lower-case letters.
	ascent, descent, capHeight, xHeight float64

	mu     sync.RWMutex
	buf    sfnt.Buffer // guarded by mu (write-locked)
	glyphs map[rune]*glyph
}

// glyph is the shape of one character.
type glyph struct {
	advance float64
	// ink bounds the outline; it is empty (zero) for blank glyphs.
	inkMin, inkMax point
	outline        []segment
}

// point is a 2-D point in ems or pixels, depending on context.
type point struct{ x, y float64 }

// segment is one drawing command of a glyph outline, as in sfnt.Segment.
type segment struct {
	op   sfnt.SegmentOp
	args [3]point
}

var typefaces = [4]func() *typeface{
	sync.OnceValue(func() *typeface { return mustParse("Noto Sans", assets.FontRegular) }),
	sync.OnceValue(func() *typeface { return mustParse("Noto Sans Bold", assets.FontBold) }),
	sync.OnceValue(func() *typeface { return mustParse("Noto Sans Italic", assets.FontItalic) }),
	sync.OnceValue(func() *typeface { return mustParse("Noto Sans Bold Italic", assets.FontBoldItalic) }),
}

// typefaceOf returns the face for the style's weight and slant.
func typefaceOf(st Style) *typeface {
	i := 0
	if st.Weight == Bold {
		i++
	}
	if st.Italic {
		i += 2
	}
	return typefaces[i]()
}

// mustParse parses an embedded font; it panics because the fonts are part
// of the binary, so failing here is a build defect, not a runtime condition.
func mustParse(name string, ttf []byte) *typeface {
	f, err := opentype.Parse(ttf)
	if err != nil {
		panic(fmt.Sprintf("text: parsing embedded font %s: %v", name, err))
	}
	t := &typeface{font: f, glyphs: make(map[rune]*glyph)}
	m, err := f.Metrics(&t.buf, t.unitsPerEm(), font.HintingNone)
	if err != nil {
		panic(fmt.Sprintf("text: reading metrics of embedded font %s: %v", name, err))
	}
	t.ascent, t.descent = t.ems(m.Ascent), t.ems(m.Descent)
	t.capHeight, t.xHeight = t.ems(m.CapHeight), t.ems(m.XHeight)
	return t
}

// unitsPerEm is the "pixels per em" at which sfnt returns font units
// unscaled (as 26.6 fixed point).
func (t *typeface) unitsPerEm() fixed.Int26_6 {
	return fixed.I(int(t.font.UnitsPerEm()))
}

// ems converts a 26.6 length loaded at unitsPerEm into ems.
func (t *typeface) ems(v fixed.Int26_6) float64 {
	return float64(v) / 64 / float64(t.font.UnitsPerEm())
}

// glyph returns the glyph for r, loading and caching it on first use.
func (t *typeface) glyph(r rune) *glyph {
	t.mu.RLock()
	g, ok := t.glyphs[r]
	t.mu.RUnlock()
	if ok {
		return g
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if g, ok := t.glyphs[r]; ok {
		return g
	}
	g = t.load(r)
	t.glyphs[r] = g
	return g
}

// load reads the glyph for r from the font. A glyph the font cannot provide
// is drawn as the font's "missing glyph" box; one it cannot decode is blank.
func (t *typeface) load(r rune) *glyph {
	idx, err := t.font.GlyphIndex(&t.buf, r)
	if err != nil {
		return &glyph{}
	}
	adv, err := t.font.GlyphAdvance(&t.buf, idx, t.unitsPerEm(), font.HintingNone)
	if err != nil {
		return &glyph{}
	}
	g := &glyph{advance: t.ems(adv)}
	segs, err := t.font.LoadGlyph(&t.buf, idx, t.unitsPerEm(), nil)
	if err != nil || len(segs) == 0 {
		return g
	}
	g.outline = make([]segment, len(segs))
	for i, s := range segs {
		g.outline[i].op = s.Op
		for j, a := range s.Args {
			g.outline[i].args[j] = point{t.ems(a.X), t.ems(a.Y)}
		}
	}
	b := segs.Bounds()
	g.inkMin = point{t.ems(b.Min.X), t.ems(b.Min.Y)}
	g.inkMax = point{t.ems(b.Max.X), t.ems(b.Max.Y)}
	return g
}
