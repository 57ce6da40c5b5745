package text

import (
	"image"
	"math"
	"strings"
)

// Run is text laid out and put in place, ready to draw: straight text
// whose layout box has its top-left corner at a pixel ([Straight]), or
// text along a line ([PathLayout.Run]). A pixel back end composites its
// [Run.Bitmap]; a vector back end (PDF, SVG) sets its [Run.Spans] as real
// text in the same font, so the words stay searchable. A Run is a small
// value; the layout it draws is shared through the caches.
type Run struct {
	text   string
	style  Style
	scale  float64
	origin image.Point
	path   *PathLayout
}

// Straight returns the run of s in style st at a device scale with the
// top-left corner of its layout box at origin (device pixels): what
// [Render] draws there.
func Straight(s string, st Style, scale float64, origin image.Point) Run {
	return Run{text: s, style: st, scale: scale, origin: origin}
}

// Run returns the run of the text laid out along the line.
func (pl *PathLayout) Run() Run {
	return Run{text: pl.text, style: pl.style, scale: pl.scale, origin: pl.Origin, path: pl}
}

// Text returns the run's text as given (before Style.Uppercase).
func (r Run) Text() string { return r.text }

// Style returns the run's style.
func (r Run) Style() Style { return r.style }

// Scale returns the device scale the run is laid out at.
func (r Run) Scale() float64 { return r.scale }

// Origin returns the pixel the run's glyph positions are relative to: the
// top-left corner of straight text's layout box, or PathLayout.Origin.
func (r Run) Origin() image.Point { return r.origin }

// Moved returns the run shifted by d device pixels.
func (r Run) Moved(d image.Point) Run {
	r.origin = r.origin.Add(d)
	return r
}

// Bitmap returns the rendered run (from the bitmap cache) and the pixel
// its origin goes to.
func (r Run) Bitmap() (*Bitmap, image.Point) {
	if r.path != nil {
		return r.path.Render(), r.origin
	}
	return Render(r.text, r.style, r.scale), r.origin
}

// Size returns the font size (the em) in device pixels.
func (r Run) Size() float64 { return r.style.Size * r.scale }

// Span is a stretch of a run that a vector back end sets as one piece of
// text with the font's own advances: a line of straight text, or one glyph
// of text along a line.
type Span struct {
	// Text is what the span says, in capitals if the style asks for them.
	Text string
	// X and Y are the start of the span's baseline, in device pixels.
	X, Y float64
	// Angle is the direction of the baseline in radians, clockwise from
	// the x axis (device y points down): 0 for straight text.
	Angle float64
	// LetterSpacing is the space added after every character but the
	// last, in device pixels.
	LetterSpacing float64
}

// Spans returns the run as spans of text in device pixels, in reading
// order.
func (r Run) Spans() []Span {
	var glyphs []placedGlyph
	if r.path != nil {
		glyphs = r.path.glyphs
	} else {
		glyphs = layoutOf(r.text, r.style, r.scale).glyphs
	}
	ox, oy := float64(r.origin.X), float64(r.origin.Y)
	if r.path != nil {
		spans := make([]Span, 0, len(glyphs))
		for _, pg := range glyphs {
			if pg.r == ' ' {
				continue
			}
			spans = append(spans, Span{
				Text: string(pg.r), X: ox + pg.origin.x, Y: oy + pg.origin.y,
				Angle: math.Atan2(pg.dir.y, pg.dir.x),
			})
		}
		return spans
	}
	spacing := r.style.LetterSpacing * r.style.Size * r.scale
	var spans []Span
	var line strings.Builder
	for i, pg := range glyphs {
		if i == 0 || pg.origin.y != glyphs[i-1].origin.y {
			if line.Len() > 0 {
				spans[len(spans)-1].Text = line.String()
				line.Reset()
			}
			spans = append(spans, Span{X: ox + pg.origin.x, Y: oy + pg.origin.y, LetterSpacing: spacing})
		}
		line.WriteRune(pg.r)
	}
	if line.Len() > 0 {
		spans[len(spans)-1].Text = line.String()
	}
	return spans
}
