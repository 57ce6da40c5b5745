// Package label chooses where map labels go so that none overlaps another,
// and draws them.
//
// The renderer collects a Candidate for every labelled feature of a frame:
// a point feature (a city) is labelled beside its symbol, an area (a region,
// a lake) at its anchor, and a line (a river) along the line itself. Place
// visits the candidates from the highest priority down and keeps each at
// the first position where it fits inside the frame without touching a
// label kept before it, a reserved box (the renderer reserves every point
// symbol it draws) or the symbol of any point candidate. Collisions are
// found with a uniform grid, so placement time grows linearly with the
// candidates.
//
// All coordinates are device pixels with the origin at the top-left of the
// frame; text styles are in logical pixels, converted by the scale.
package label

import (
	"cmp"
	"image"
	"math"
	"slices"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/render/text"
	"github.com/paulmach/orb"
)

// Spacing, in logical pixels (multiplied by the scale).
const (
	// Padding is the least free space between two labels.
	Padding = 2.0
	// SymbolGap is the space between a point symbol (or a line's stroke)
	// and its label.
	SymbolGap = 3.0
)

// MaxLinePositions is how many positions along its line a line label tries
// at most, from the middle of the line's visible part outwards.
const MaxLinePositions = 5

// RepeatDistance is the least distance, in logical pixels, between the
// centres of two line labels with the same text: a river split into many
// features gets its name repeated at a readable interval, not on every
// piece.
const RepeatDistance = 250.0

// Candidate is a label that a feature would like to show.
type Candidate struct {
	// Text is the label; "\n" breaks lines (except along a line).
	Text string
	// Style is how the text looks.
	Style text.Style
	// Priority orders the candidates: higher priorities are placed first
	// and so win conflicts.
	Priority float64
	// Anchor is the point feature's position, or where an area's label is
	// centred, in device pixels. It is ignored for line labels.
	Anchor orb.Point
	// Offset is the radius in device pixels of the symbol drawn at Anchor,
	// which makes this a point label placed beside it; for a line label it
	// is half the width of the line's stroke, which puts the text beside
	// the line rather than on it. Zero centres an area label on the anchor
	// and a line label on the line (a lake's centre line).
	Offset float64
	// Line, when it has two or more points, makes this a line label set
	// along it (device pixels).
	Line []orb.Point
	// Elsewhere, if set, lists other places an area label may be centred
	// on, in order of preference, when the room at Anchor is taken. It is
	// called at most once, and only then.
	Elsewhere func() []orb.Point
	// Smaller, if set, is a smaller style an area label tries, at Anchor
	// and then Elsewhere, when it finds no room in its own.
	Smaller *text.Style
	// Key is a stable identifier (such as layer and feature id) that breaks
	// ties between equal priorities, so that placement is deterministic.
	Key string
}

// Position says where a placed label is relative to its feature.
type Position uint8

// The positions a label can take.
const (
	Right      Position = iota // right of the point symbol
	Left                       // left of the point symbol
	Above                      // above the point symbol
	Below                      // below the point symbol
	Centre                     // centred on the anchor
	Along                      // along the line, centred on it
	AlongAbove                 // along the line, above it
	AlongBelow                 // along the line, below it
)

// Placed is a candidate that found room.
type Placed struct {
	// Index is the candidate's index in the slice given to Place.
	Index int
	// Position is where the label went.
	Position Position
	// Boxes are the device pixels the label occupies, halo included: one
	// box for straight text, one per glyph along a line.
	Boxes []image.Rectangle
	// Symbol is the box of a point label's symbol, which no label covers;
	// empty for other labels.
	Symbol image.Rectangle

	text   string
	style  text.Style
	scale  float64
	origin image.Point      // top-left of the layout box of straight text
	path   *text.PathLayout // text along a line, or nil
}

// Place chooses positions for the candidates inside bounds (device pixels)
// and returns the labels that fit, in placement order.
//
// Candidates are taken by descending Priority, then ascending Key, then
// their order in cands. A point label tries right, left, above and below its
// symbol; an area label is centred on its anchor, or failing that on the
// places Elsewhere lists, then the same in its Smaller style; a line label
// tries up to MaxLinePositions places along the line (on it, or above then
// below it when Offset is set), keeping
// RepeatDistance from line labels of the same text. A position is taken
// when its boxes lie inside bounds and keep Padding away from every
// reserved box, every label already placed and the symbol of every point
// candidate, placed or not; a candidate that fits nowhere is dropped. The
// scale is the device scale (> 0). The result depends only on the
// arguments.
func Place(cands []Candidate, scale float64, bounds image.Rectangle, reserved []image.Rectangle) []Placed {
	// Sorting compact (priority, index) pairs reads far less memory than
	// sorting indices into the candidates.
	type rank struct {
		priority float64
		index    int
	}
	order := make([]rank, len(cands))
	for i := range cands {
		order[i] = rank{cands[i].Priority, i}
	}
	slices.SortFunc(order, func(a, b rank) int {
		if c := cmp.Compare(b.priority, a.priority); c != 0 {
			return c
		}
		if c := strings.Compare(cands[a.index].Key, cands[b.index].Key); c != 0 {
			return c
		}
		return cmp.Compare(a.index, b.index)
	})

	pad := int(math.Round(Padding * scale))
	p := placer{
		scale:  scale,
		bounds: bounds,
		pad:    pad,
		gap:    SymbolGap * scale,
		taken:  newGrid(bounds.Inset(-pad)),
	}
	defer p.taken.release()
	p.fitsFunc = p.fits
	for _, r := range reserved {
		p.taken.insert(r)
	}
	// Every point candidate's symbol is taken from the start, so that no
	// label covers it, not even one placed before its own; a point label
	// only keeps clear of the symbols of others.
	p.symbols = slices.Grow(p.symbols[:0], len(cands))[:len(cands)]
	for i := range cands {
		p.symbols[i] = -1
		if c := &cands[i]; len(c.Line) < 2 && c.Offset > 0 {
			p.symbols[i] = p.taken.insert(symbolBox(c))
		}
	}
	// Dense frames keep about one candidate in five; sizing for one in four
	// avoids growing the result, whose elements are large, several times.
	placed := make([]Placed, 0, len(cands)/4+8)
	for _, r := range order {
		i := r.index
		c := &cands[i]
		var pl Placed
		var ok bool
		switch {
		case len(c.Line) >= 2:
			pl, ok = p.placeAlong(c)
		case c.Offset > 0:
			pl, ok = p.placeBeside(c, p.symbols[i])
		default:
			pl, ok = p.placeOver(c)
		}
		if ok {
			pl.Index, pl.text, pl.scale = i, c.Text, scale
			placed = append(placed, pl)
		}
	}
	return placed
}

// Draw draws the placed labels onto dst. Bitmaps come from the text
// package's cache, so drawing a frame again is only blitting.
func Draw(dst *image.RGBA, placed []Placed) {
	for i := range placed {
		b, at := placed[i].Run().Bitmap()
		b.Draw(dst, at)
	}
}

// Run returns the placed label as a run of text in the device pixels of
// the frame it was placed in, for a painter to draw.
func (p *Placed) Run() text.Run {
	if p.path != nil {
		return p.path.Run()
	}
	return text.Straight(p.text, p.style, p.scale, p.origin)
}

// placer holds the state of one Place call.
type placer struct {
	scale  float64
	bounds image.Rectangle
	pad    int     // device pixels between labels
	gap    float64 // device pixels between a symbol and its label
	taken  *grid
	// fitsFunc is p.fits as a function value, made once: a method value
	// made per call would be allocated each time.
	fitsFunc func(image.Rectangle) bool
	// repeats holds the centres of the line labels placed so far, by text.
	repeats map[string][]orb.Point
	// along and line are reused working space for line labels.
	along []float64
	line  []orb.Point
	// symbols are the grid numbers of the candidates' symbols, -1 for a
	// candidate without one.
	symbols []int32
}

// fits reports whether a box lies inside the frame and keeps the padding
// from everything taken.
func (p *placer) fits(r image.Rectangle) bool {
	return r.In(p.bounds) && p.taken.free(r.Inset(-p.pad))
}

// measure returns the size of a straight label in a style, and the reach
// of its halo, in whole device pixels.
func (p *placer) measure(t string, st text.Style) (w, h float64, halo int, ok bool) {
	m := text.Measure(t, st, p.scale)
	return m.Width, m.Height, int(math.Ceil(st.HaloReach(p.scale))), m.Lines > 0
}

// box returns the box of straight text of a size with its layout box's
// top-left corner at (x, y), snapped to whole pixels, and the halo around;
// and the snapped corner.
func box(x, y, w, h float64, halo int) (image.Rectangle, image.Point) {
	at := image.Pt(int(math.Round(x)), int(math.Round(y)))
	return image.Rect(at.X, at.Y, at.X+int(math.Ceil(w)), at.Y+int(math.Ceil(h))).Inset(-halo), at
}

// placeOver places an area label centred on its anchor or on one of the
// places Elsewhere lists, in its style or else in its smaller one.
func (p *placer) placeOver(c *Candidate) (Placed, bool) {
	var more []orb.Point
	asked := false
	for _, st := range []*text.Style{&c.Style, c.Smaller} {
		if st == nil {
			continue
		}
		w, h, halo, ok := p.measure(c.Text, *st)
		if !ok {
			return Placed{}, false
		}
		try := func(q orb.Point) (Placed, bool) {
			r, at := box(q[0]-w/2, q[1]-h/2, w, h, halo)
			if !p.fits(r) {
				return Placed{}, false
			}
			p.taken.insert(r)
			return Placed{Position: Centre, Boxes: []image.Rectangle{r}, style: *st, origin: at}, true
		}
		if pl, ok := try(c.Anchor); ok {
			return pl, true
		}
		if !asked && c.Elsewhere != nil {
			more, asked = c.Elsewhere(), true
		}
		for _, q := range more {
			if pl, ok := try(q); ok {
				return pl, true
			}
		}
	}
	return Placed{}, false
}

// placeBeside places a point label beside its symbol, numbered symbol in
// the grid.
func (p *placer) placeBeside(c *Candidate, symbol int32) (Placed, bool) {
	w, h, halo, ok := p.measure(c.Text, c.Style)
	if !ok {
		return Placed{}, false
	}
	ax, ay := c.Anchor[0], c.Anchor[1]
	// The halo, drawn over the map, must not veil the symbol either.
	d := c.Offset + p.gap + float64(halo)
	for _, try := range [...]struct {
		pos  Position
		x, y float64
	}{
		{Right, ax + d, ay - h/2},
		{Left, ax - d - w, ay - h/2},
		{Above, ax - w/2, ay - d - h},
		{Below, ax - w/2, ay + d},
	} {
		r, at := box(try.x, try.y, w, h, halo)
		if r.In(p.bounds) && p.taken.freeBut(r.Inset(-p.pad), symbol) {
			p.taken.insert(r)
			return Placed{Position: try.pos, Boxes: []image.Rectangle{r}, Symbol: symbolBox(c), style: c.Style, origin: at}, true
		}
	}
	return Placed{}, false
}

// symbolBox returns the pixels of a point candidate's symbol.
func symbolBox(c *Candidate) image.Rectangle {
	ax, ay := c.Anchor[0], c.Anchor[1]
	return image.Rect(
		int(math.Floor(ax-c.Offset)), int(math.Floor(ay-c.Offset)),
		int(math.Ceil(ax+c.Offset)), int(math.Ceil(ay+c.Offset)),
	)
}

// placeAlong places a line label along its line, trying positions from the
// middle of the line's part inside the frame outwards.
func (p *placer) placeAlong(c *Candidate) (Placed, bool) {
	flat := c.Style
	flat.MaxWidth = 0
	width := text.Measure(strings.ReplaceAll(c.Text, "\n", " "), flat, p.scale).Width
	line := measureLine(c.Line, p.along[:0])
	p.along = line.along
	// slack keeps sub-lines a little longer than the text, so rounding
	// never makes them too short.
	const slack = 1.0
	half := width/2 + slack
	if width == 0 || line.length < 2*half {
		return Placed{}, false
	}
	visibleFrom, visibleTo, ok := line.within(p.bounds)
	if !ok {
		return Placed{}, false
	}
	// Positions lie on a grid of steps along the line, so that panning the
	// map does not make the label slide along the line (and need a new
	// bitmap) with every frame: it stays put until another grid position
	// becomes the middle of the visible part.
	step := max(width, 16*p.scale)
	middle := math.Round((visibleFrom+visibleTo)/2/step) * step
	middle = min(max(middle, half), line.length-half)

	type side struct {
		pos    Position
		offset float64
	}
	sides := []side{{Along, 0}}
	if c.Offset > 0 {
		d := c.Offset + p.gap
		sides = []side{{AlongAbove, d}, {AlongBelow, -d}}
	}
	for k := 0; k < MaxLinePositions; k++ {
		// 0, -1, +1, -2, +2, … steps from the middle.
		centre := middle + float64((k+1)/2)*step*float64(1-2*(k%2))
		if centre < half || centre > line.length-half || p.repeated(c.Text, line.point(centre)) {
			continue
		}
		sub := line.cut(centre-half, centre+half, p.line[:0])
		p.line = sub
		for _, s := range sides {
			l, ok := text.LayoutAlong(c.Text, c.Style, p.scale, text.Along{Path: sub, Offset: s.offset, Fits: p.fitsFunc})
			if !ok {
				continue
			}
			for _, r := range l.Boxes {
				p.taken.insert(r)
			}
			if p.repeats == nil {
				p.repeats = make(map[string][]orb.Point)
			}
			p.repeats[c.Text] = append(p.repeats[c.Text], line.point(centre))
			return Placed{Position: s.pos, Boxes: l.Boxes, style: c.Style, path: l}, true
		}
	}
	return Placed{}, false
}

// repeated reports whether a line label with the same text has been placed
// within RepeatDistance of centre.
func (p *placer) repeated(s string, centre orb.Point) bool {
	limit := RepeatDistance * p.scale
	for _, q := range p.repeats[s] {
		if dx, dy := q[0]-centre[0], q[1]-centre[1]; dx*dx+dy*dy < limit*limit {
			return true
		}
	}
	return false
}
