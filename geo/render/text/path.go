package text

import (
	"encoding/binary"
	"image"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/paulmach/orb"
)

// MaxBend is the largest change of direction between neighbouring glyphs
// of text along a line, in radians; LayoutAlong refuses sharper bends,
// where the letters would crowd on the inside of the curve.
const MaxBend = 30 * math.Pi / 180

var cosMaxBend = math.Cos(MaxBend)

// PathLayout is a single line of text laid out along a polyline, each glyph
// rotated to follow it. It is cheap to make, so label placement can try
// several positions before rendering the one it keeps.
type PathLayout struct {
	// Origin is the whole pixel the glyph positions (and the rendered
	// bitmap) are relative to.
	Origin image.Point
	// Boxes are the axis-aligned bounding boxes of the rotated glyph cells
	// (advance × ascent+descent) grown by the halo, in device pixels, for
	// collision tests.
	Boxes []image.Rectangle
	// Bounds is the union of Boxes.
	Bounds image.Rectangle

	text   string
	style  Style
	scale  float64
	ppem   float64
	glyphs []placedGlyph // relative to Origin
}

// Along says where LayoutAlong puts text.
type Along struct {
	// Path is the line to follow, in device pixels.
	Path []orb.Point
	// Offset 0 runs the path through the middle of the letters (for a
	// name on a lake's centre line). A positive offset puts the text above
	// the path, its baseline Offset pixels from it; a negative one puts it
	// below, the top of its capitals -Offset pixels from it (for a name
	// beside a river: half the stroke width plus a little air).
	Offset float64
	// Fits, if not nil, is asked about every glyph box as it is laid out;
	// the first box it rejects ends the layout. Label placement uses it to
	// stop at the first collision instead of laying out the whole text.
	Fits func(box image.Rectangle) bool
}

// LayoutAlong lays s out in one line along a path, centred on the middle of
// the path's length. The text reads left to right whichever way the path
// runs, so it is never upside down. It reports false when the path is
// shorter than the text, bends by more than MaxBend between neighbouring
// glyphs, or along.Fits rejects a glyph box.
func LayoutAlong(s string, st Style, scale float64, along Along) (*PathLayout, bool) {
	s = strings.ReplaceAll(shortened(s), "\n", " ")
	st.MaxWidth = 0
	scratch := alongScratches.Get().(*alongScratch)
	defer alongScratches.Put(scratch)
	// Label placement lays the same text out at several places in a row:
	// remembering the last layout saves looking it up in the shared cache.
	if key := (layoutKey{text: s, style: st.layoutKey(scale)}); scratch.layout == nil || key != scratch.layoutKey {
		scratch.layoutKey, scratch.layout = key, layoutOf(s, st, scale)
	}
	l := scratch.layout
	if l.metrics.Lines != 1 {
		return nil, false
	}
	line := newPolyline(along.Path, scratch.along[:0])
	scratch.along = line.along
	width := l.metrics.Width
	if line.length < width {
		return nil, false
	}
	start := (line.length - width) / 2
	if line.at(start+width).x < line.at(start).x {
		line.backwards = true
	}

	// drop is the distance of the baseline below the path. Centred text
	// puts the path midway between the middles of the lower-case letters
	// and of the capitals.
	var drop float64
	switch {
	case along.Offset > 0:
		drop = -along.Offset
	case along.Offset < 0:
		drop = l.face.capHeight*l.ppem - along.Offset
	default:
		drop = (l.face.xHeight + l.face.capHeight) / 4 * l.ppem
	}
	pad := int(math.Ceil(st.HaloReach(scale)))
	ascent, descent := l.metrics.Ascent, l.metrics.Height-l.metrics.Ascent

	// Glyphs and boxes go to scratch space until the whole text fits: most
	// layouts tried by label placement are rejected.
	glyphs, boxes := scratch.glyphs[:0], scratch.boxes[:0]
	defer func() { scratch.glyphs, scratch.boxes = glyphs, boxes }()
	var origin image.Point
	var first point // the first glyph's origin before snapping
	for i, pg := range l.glyphs {
		from := start + pg.origin.x
		a, b := line.at(from), line.at(from+max(pg.advance, 1))
		length := math.Sqrt((b.x-a.x)*(b.x-a.x) + (b.y-a.y)*(b.y-a.y))
		if length == 0 {
			return nil, false
		}
		dir := point{(b.x - a.x) / length, (b.y - a.y) / length}
		if i > 0 && dir.x*glyphs[i-1].dir.x+dir.y*glyphs[i-1].dir.y < cosMaxBend {
			return nil, false
		}
		mid := line.at(from + pg.advance/2)
		pg.origin = point{
			mid.x - dir.x*pg.advance/2 - dir.y*drop,
			mid.y - dir.y*pg.advance/2 + dir.x*drop,
		}
		pg.dir = dir
		if i == 0 {
			// Snap the first glyph to a whole pixel, moving the text by at
			// most half a pixel, so that the same label panned by any
			// amount has the same geometry relative to Origin and reuses
			// its bitmap.
			first = pg.origin
			origin = image.Pt(int(math.Round(first.x)), int(math.Round(first.y)))
		}
		pg.origin = point{pg.origin.x - first.x, pg.origin.y - first.y}
		box := pg.cellBounds(ascent, descent).Inset(-pad).Add(origin)
		if along.Fits != nil && !along.Fits(box) {
			return nil, false
		}
		glyphs, boxes = append(glyphs, pg), append(boxes, box)
	}

	pl := &PathLayout{
		Origin: origin, Boxes: slices.Clone(boxes),
		text: s, style: st, scale: scale, ppem: l.ppem, glyphs: slices.Clone(glyphs),
	}
	for _, box := range boxes {
		pl.Bounds = pl.Bounds.Union(box)
	}
	return pl, true
}

// alongScratch is reusable working space for LayoutAlong.
type alongScratch struct {
	layoutKey layoutKey
	layout    *layout
	along     []float64
	glyphs    []placedGlyph
	boxes     []image.Rectangle
}

var alongScratches = sync.Pool{New: func() any { return new(alongScratch) }}

// cellBounds returns the pixels covered by the glyph's rotated cell: its
// advance along the baseline, ascent above and descent below it.
func (pg placedGlyph) cellBounds(ascent, descent float64) image.Rectangle {
	// A corner is origin + c.x·dir + c.y·down with down = (-dir.y, dir.x),
	// c.x ∈ {0, advance} and c.y ∈ {-ascent, descent}; each extreme takes
	// the extreme term of each sum.
	ax, ay := pg.dir.x*pg.advance, pg.dir.y*pg.advance
	minX := pg.origin.x + min(0, ax) + min(pg.dir.y*ascent, -pg.dir.y*descent)
	maxX := pg.origin.x + max(0, ax) + max(pg.dir.y*ascent, -pg.dir.y*descent)
	minY := pg.origin.y + min(0, ay) + min(-pg.dir.x*ascent, pg.dir.x*descent)
	maxY := pg.origin.y + max(0, ay) + max(-pg.dir.x*ascent, pg.dir.x*descent)
	return image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX)), int(math.Ceil(maxY)))
}

// Render returns the bitmap of the laid-out text, relative to Origin. It is
// cached by text, style and glyph geometry relative to Origin.
func (pl *PathLayout) Render() *Bitmap {
	key := bitmapKey{text: pl.text, style: pl.style.key(pl.scale), path: pl.geometryKey()}
	if b, ok := bitmaps.get(key); ok {
		return b
	}
	return bitmaps.add(key, renderGlyphs(pl.glyphs, pl.ppem, pl.style, pl.scale))
}

// Draw renders the text (or takes it from the cache) and composites it
// over dst.
func (pl *PathLayout) Draw(dst *image.RGBA) {
	pl.Render().Draw(dst, pl.Origin)
}

// geometryKey encodes the glyph positions (to 1/64 px) and directions (to
// about 1/4096 rad), which with the text and style determine the bitmap.
func (pl *PathLayout) geometryKey() string {
	buf := make([]byte, 0, 16*len(pl.glyphs))
	for _, pg := range pl.glyphs {
		for _, v := range [4]float64{pg.origin.x * 64, pg.origin.y * 64, pg.dir.x * 4096, pg.dir.y * 4096} {
			buf = binary.LittleEndian.AppendUint32(buf, uint32(int32(math.Round(v))))
		}
	}
	return string(buf)
}

// polyline is a path with the cumulative length at each vertex, for
// finding the point at a given distance along it.
type polyline struct {
	points []orb.Point
	// along[i] is the length of the path up to points[i].
	along  []float64
	length float64
	// backwards measures distances from the last point.
	backwards bool
	// hint is the segment (by its end vertex) of the last point found.
	hint int
}

// newPolyline measures the points, appending the distances to buf.
func newPolyline(points []orb.Point, buf []float64) polyline {
	pl := polyline{points: points, along: append(buf, 0)}
	for i := 1; i < len(points); i++ {
		dx, dy := points[i][0]-points[i-1][0], points[i][1]-points[i-1][1]
		pl.length += math.Sqrt(dx*dx + dy*dy)
		pl.along = append(pl.along, pl.length)
	}
	return pl
}

// at returns the point at distance d along the path, clamped to its ends.
// Successive calls with nearby distances, as in laying out a text, take
// constant time: the search starts from the previous call's segment.
func (pl *polyline) at(d float64) point {
	n := len(pl.points)
	if n == 0 {
		return point{}
	}
	if pl.backwards {
		d = pl.length - d
	}
	// Find i, the first vertex at or beyond d.
	i := min(max(pl.hint, 1), n-1)
	for i < n-1 && pl.along[i] < d {
		i++
	}
	for i > 1 && pl.along[i-1] >= d {
		i--
	}
	pl.hint = i
	switch {
	case d <= 0:
		return point{pl.points[0][0], pl.points[0][1]}
	case d >= pl.length:
		return point{pl.points[n-1][0], pl.points[n-1][1]}
	}
	a, b := pl.points[i-1], pl.points[i]
	t := (d - pl.along[i-1]) / (pl.along[i] - pl.along[i-1])
	return point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
}
