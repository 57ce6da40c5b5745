package raster

import (
	"image"
	"math/bits"
)

// FillRule decides which parts of a self-overlapping path are inside.
type FillRule uint8

const (
	// EvenOdd counts a point as inside when a ray from it crosses the path
	// an odd number of times. Holes come out as holes whatever the
	// orientation of the rings, which makes it the rule for polygons read
	// from files.
	EvenOdd FillRule = iota
	// NonZero counts a point as inside when the path winds around it at
	// least once in either direction, so overlaps never exceed full
	// coverage. Rings of a polygon must have opposite orientations for
	// holes to show.
	NonZero
)

// chunkShift is log2 of the width of the chunks in which the rasterizer
// tracks which parts of a row hold deposits.
const chunkShift = 3

// chunkSize is the width in pixels of a dirty-tracking chunk.
const chunkSize = 1 << chunkShift

// rasterizer accumulates the exact area coverage of closed polygons over a
// grid of pixels and composites it onto an image.
//
// Each edge adds, to the cells of every row it crosses, the signed area it
// contributes to the pixels at and to the right of it; a running sum along
// a row is then the winding-weighted coverage of each pixel. Cells that
// receive deposits are flagged per chunk of chunkSize pixels, and
// composite visits, and zeroes, only the flagged chunks: the cell and flag
// buffers are all zero between shapes without ever being cleared in full.
//
// The grid covers only the pixels a shape can touch, with the row stride
// of that area, so a small shape works in a few hot cache lines at the
// start of the buffers whatever its position in the image. A large shape
// is rasterized in bands of bandHeight rows instead: its edges are
// recorded, cut at band boundaries and sorted by band, and each band is
// accumulated and composited in turn in a buffer that stays in cache.
type rasterizer struct {
	// gridX and gridY are the grid's top-left pixel, relative to the
	// image's top-left pixel; width and height are its size in pixels.
	gridX, gridY  int
	width, height int
	// originX and originY are the image coordinates of the grid's
	// top-left corner.
	originX, originY float64
	// clip is set when edges may leave the grid and must be clipped.
	clip bool

	// cells holds height rows of stride cells; a row has two cells more
	// than the grid is wide, for deposits just right of the last pixel.
	cells  []float32
	stride int
	// dirty holds, per row, wordsPerRow words of chunk flags.
	dirty       []uint64
	wordsPerRow int
	// minRow and maxRow bound the rows that hold deposits; minRow >
	// maxRow when there are none.
	minRow, maxRow int

	// banded is set for a shape rasterized band by band; the cells then
	// hold the band whose first row is bandTop.
	banded  bool
	bandTop int
	// pieces holds the recorded edges, cut at band boundaries, and
	// perBand how many fall in each band; sorted is pieces ordered by band.
	pieces  []piece
	perBand []int32
	sorted  []piece

	// thin is set while the grid holds a thin stroke: coverage of
	// capsules within thinReach of their segments, not area (see
	// thinWidth).
	thin      bool
	thinReach float64
}

// bandHeight is the height in rows of the bands of a large shape.
const bandHeight = 16

// maxDirectCells is the largest grid, in cells, accumulated in one piece;
// larger grids are rasterized in bands.
const maxDirectCells = 1 << 16

// piece is an edge, or the part of one, within one band; or a segment of
// a thin stroke that reaches the band, with its caps.
type piece struct {
	x0, y0, x1, y1 float32
	band           int32
	caps           uint8
}

// begin prepares the grid for a shape that can touch only the pixels in
// area, of an image whose top-left pixel is min. With clip false, every
// edge added must lie within area.
func (r *rasterizer) begin(area image.Rectangle, min image.Point, clip bool) {
	r.gridX, r.gridY = area.Min.X-min.X, area.Min.Y-min.Y
	r.width, r.height = area.Dx(), area.Dy()
	r.originX, r.originY = float64(area.Min.X), float64(area.Min.Y)
	r.clip = clip
	r.stride = r.width + 2
	r.wordsPerRow = (r.stride + chunkSize*64 - 1) / (chunkSize * 64)
	rows := r.height
	r.banded = r.stride*r.height > maxDirectCells && r.height > 2*bandHeight
	if r.banded {
		rows = bandHeight
		r.perBand = resize(r.perBand, (r.height+bandHeight-1)/bandHeight)
	}
	if n := r.stride * rows; n > len(r.cells) {
		r.cells = make([]float32, n)
	}
	if n := r.wordsPerRow * rows; n > len(r.dirty) {
		r.dirty = make([]uint64, n)
	}
	r.bandTop = 0
	r.minRow, r.maxRow = r.height, -1
}

// resize returns s with length n and all elements zero.
func resize[E any](s []E, n int) []E {
	if cap(s) < n {
		return make([]E, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// polygon adds the edges of a closed polygon, in image coordinates, its
// points taken in order or reversed.
func (r *rasterizer) polygon(pts []Point, reversed bool) {
	n := len(pts)
	if n < 2 {
		return
	}
	ox, oy := r.originX, r.originY
	prev, step, i := pts[n-1], 1, 0
	if reversed {
		prev, step, i = pts[0], -1, n-1
	}
	for range n {
		p := pts[i]
		x0, y0, x1, y1 := prev.X-ox, prev.Y-oy, p.X-ox, p.Y-oy
		switch {
		case r.clip:
			r.clippedEdge(x0, y0, x1, y1)
		case r.banded:
			r.add(x0, y0, x1, y1)
		default:
			r.deposit(x0, y0, x1, y1)
		}
		prev = p
		i += step
	}
}

// add adds an edge lying inside the grid: at once, or recorded for its
// bands.
func (r *rasterizer) add(x0, y0, x1, y1 float64) {
	if !r.banded {
		r.deposit(x0, y0, x1, y1)
		return
	}
	if y0 == y1 {
		return
	}
	top, bottom := min(y0, y1), max(y0, y1)
	first := int(top) / bandHeight
	last := (ceil(bottom) - 1) / bandHeight
	if first == last {
		r.pieces = append(r.pieces, piece{float32(x0), float32(y0), float32(x1), float32(y1), int32(first), 0})
		r.perBand[first]++
		return
	}
	// Cut at the band boundaries, keeping the edge's direction.
	dxdy := (x1 - x0) / (y1 - y0)
	for b := first; b <= last; b++ {
		ya := clampFloat(float64(b*bandHeight), top, bottom)
		yb := clampFloat(float64((b+1)*bandHeight), top, bottom)
		if y0 > y1 {
			ya, yb = yb, ya
		}
		xa, xb := x0+(ya-y0)*dxdy, x0+(yb-y0)*dxdy
		r.pieces = append(r.pieces, piece{float32(xa), float32(ya), float32(xb), float32(yb), int32(b), 0})
		r.perBand[b]++
	}
}

// clippedEdge adds an edge in grid coordinates that may leave the grid.
// Parts above or below the grid are dropped. Parts left of it are moved
// onto its left border, where they still carry their winding into the
// row; parts right of it affect no pixel and are dropped.
func (r *rasterizer) clippedEdge(x0, y0, x1, y1 float64) {
	h, w := float64(r.height), float64(r.width)
	if y0 == y1 || (y0 <= 0 && y1 <= 0) || (y0 >= h && y1 >= h) || (x0 >= w && x1 >= w) {
		return
	}
	// Clip to 0 ≤ y ≤ h: first the start point, then the end point, both
	// moved along the same supporting line.
	if y0 < 0 || y0 > h {
		ey := clampFloat(y0, 0, h)
		x0 += (x1 - x0) * (ey - y0) / (y1 - y0)
		y0 = ey
	}
	if y1 < 0 || y1 > h {
		ey := clampFloat(y1, 0, h)
		x1 = x0 + (x1-x0)*(ey-y0)/(y1-y0)
		y1 = ey
	}
	if x0 >= 0 && x1 >= 0 && x0 <= w && x1 <= w {
		r.add(x0, y0, x1, y1)
		return
	}
	// Split where the edge crosses x = 0 and x = w; there are at most two
	// such points, and t orders them along the edge.
	var ts [4]float64
	n := 0
	ts[n] = 0
	n++
	for _, bx := range [2]float64{0, w} {
		if (x0 < bx) != (x1 < bx) {
			ts[n] = (bx - x0) / (x1 - x0)
			n++
		}
	}
	if n == 3 && ts[2] < ts[1] {
		ts[1], ts[2] = ts[2], ts[1]
	}
	ts[n] = 1
	n++
	dx, dy := x1-x0, y1-y0
	for i := 1; i < n; i++ {
		ta, tb := ts[i-1], ts[i]
		ya, yb := y0+dy*ta, y0+dy*tb
		switch xm := x0 + dx*(ta+tb)/2; {
		case xm <= 0:
			r.add(0, ya, 0, yb)
		case xm < w:
			r.add(clampFloat(x0+dx*ta, 0, w), ya, clampFloat(x0+dx*tb, 0, w), yb)
		}
	}
}

// deposit adds the coverage of an edge lying inside the grid
// (0 ≤ x ≤ width, 0 ≤ y ≤ height).
func (r *rasterizer) deposit(x0, y0, x1, y1 float64) {
	if y0 == y1 {
		return
	}
	dir := 1.0
	if y0 > y1 {
		dir = -1
		x0, y0, x1, y1 = x1, y1, x0, y0
	}
	// Locals, so that the stores into the cells do not force reloads.
	cells, stride, top := r.cells, r.stride, r.bandTop
	dirty, words := r.dirty, r.wordsPerRow
	w := float64(r.width)
	firstRow := int(y0)
	lastRow := ceil(y1) - 1
	if lastRow >= r.height {
		lastRow = r.height - 1
	}
	// Most edges of detailed shapes lie within one row, and need no slope.
	var dxdy float64
	if lastRow > firstRow {
		dxdy = (x1 - x0) / (y1 - y0)
	}
	if firstRow < r.minRow {
		r.minRow = firstRow
	}
	if lastRow > r.maxRow {
		r.maxRow = lastRow
	}
	x := x0
	for y := firstRow; y <= lastRow; y++ {
		// The part of the edge in this row runs from x to xNext.
		fy := float64(y)
		dy := 1.0
		if fy < y0 {
			dy -= y0 - fy
		}
		if fy+1 > y1 {
			dy -= fy + 1 - y1
		}
		xNext := x1
		if y < lastRow {
			xNext = x + dxdy*dy
		}
		d := dy * dir
		xa, xb := x, xNext
		if xa > xb {
			xa, xb = xb, xa
		}
		// Rounding may push an end a hair outside the grid.
		if xa < 0 {
			xa = 0
		}
		if xb > w {
			xb = w
		}
		cy := y - top
		row := cells[cy*stride : (cy+1)*stride]
		ia := int(xa)
		fa := float64(ia)
		ib := ceil(xb)
		if ib <= ia+1 {
			// The edge stays within one pixel column in this row: split
			// its trapezoid between that pixel and the next.
			xm := 0.5*(xa+xb) - fa
			row[ia] += float32(d - d*xm)
			row[ia+1] += float32(d * xm)
			ib = ia + 1
		} else {
			s := 1 / (xb - xa)
			fracA := xa - fa
			areaA := 0.5 * s * (1 - fracA) * (1 - fracA)
			fracB := xb - float64(ib) + 1
			areaB := 0.5 * s * fracB * fracB
			row[ia] += float32(d * areaA)
			if ib == ia+2 {
				row[ia+1] += float32(d * (1 - areaA - areaB))
			} else {
				area1 := s * (1.5 - fracA)
				row[ia+1] += float32(d * (area1 - areaA))
				step := float32(d * s)
				for i := ia + 2; i < ib-1; i++ {
					row[i] += step
				}
				area2 := area1 + s*float64(ib-ia-3)
				row[ib-1] += float32(d * (1 - area2 - areaB))
			}
			row[ib] += float32(d * areaB)
		}
		// Flag the chunks holding cells ia to ib.
		flags := dirty[cy*words : (cy+1)*words]
		if ca, cb := ia>>chunkShift, ib>>chunkShift; ca>>6 == cb>>6 {
			flags[ca>>6] |= (2<<(cb&63) - 1) &^ (1<<(ca&63) - 1)
		} else {
			for c := ca; c <= cb; c++ {
				flags[c>>6] |= 1 << (c & 63)
			}
		}
		x = xNext
	}
}

// composite blends p, weighted by the accumulated coverage under rule,
// source-over onto dst, and leaves the grid clean for the next shape.
func (r *rasterizer) composite(dst *image.RGBA, p *paint, rule FillRule) {
	if !r.banded {
		r.compositeBand(dst, p, rule)
		return
	}
	// Sort the pieces by band (a counting sort), then accumulate and
	// composite one band at a time.
	start := int32(0)
	for b, n := range r.perBand {
		r.perBand[b] = start
		start += n
	}
	r.sorted = resize(r.sorted, len(r.pieces))
	for _, pc := range r.pieces {
		r.sorted[r.perBand[pc.band]] = pc
		r.perBand[pc.band]++
	}
	from := 0
	for b, end := range r.perBand {
		if int(end) == from {
			continue
		}
		r.bandTop = b * bandHeight
		for _, pc := range r.sorted[from:end] {
			if r.thin {
				r.coverSegment(float64(pc.x0), float64(pc.y0), float64(pc.x1), float64(pc.y1), pc.caps)
			} else {
				r.deposit(float64(pc.x0), float64(pc.y0), float64(pc.x1), float64(pc.y1))
			}
		}
		from = int(end)
		r.compositeBand(dst, p, rule)
	}
	r.pieces = r.pieces[:0]
	clear(r.perBand)
	r.bandTop = 0
	r.minRow, r.maxRow = r.height, -1
}

// compositeBand composites the rows holding deposits, of the grid or of
// the current band, and clears them.
func (r *rasterizer) compositeBand(dst *image.RGBA, p *paint, rule FillRule) {
	if r.thin {
		r.compositeCoverageRows(dst, p, r.minRow, r.maxRow)
	} else {
		r.compositeRows(dst, p, rule, r.minRow, r.maxRow)
	}
	r.minRow, r.maxRow = r.height, -1
}

// compositeRows composites grid rows first to last, which must be in the
// cells, and clears them.
func (r *rasterizer) compositeRows(dst *image.RGBA, p *paint, rule FillRule, first, last int) {
	for y := first; y <= last; y++ {
		cy := y - r.bandTop
		cells := r.cells[cy*r.stride : (cy+1)*r.stride]
		rowStart := (r.gridY+y)*dst.Stride + 4*r.gridX
		pix := dst.Pix[rowStart : rowStart+4*r.width]
		words := r.dirty[cy*r.wordsPerRow : (cy+1)*r.wordsPerRow]
		var acc float32
		// next is the first pixel of the row not yet composited.
		next := 0
		for wi, word := range words {
			if word == 0 {
				continue
			}
			words[wi] = 0
			for word != 0 {
				x0 := (wi<<6 + bits.TrailingZeros64(word)) << chunkShift
				word &= word - 1
				if x0 > next {
					// No edge crosses the run from next to x0: the
					// coverage is constant there.
					blendSpan(pix[4*next:4*min(x0, r.width)], coverage(acc, rule), p)
				}
				x1 := min(x0+chunkSize, r.stride)
				next = x1
				if x1 > r.width {
					// The cells right of the last pixel only need clearing.
					clear(cells[max(x0, r.width):x1])
					x1 = r.width
				}
				if x0 >= x1 {
					continue
				}
				// Most cells of a chunk are empty: the coverage changes,
				// and the cell needs clearing, only where one is not.
				c := coverage(acc, rule)
				chunk := cells[x0:x1]
				for x, cell := range chunk {
					if cell != 0 {
						acc += cell
						c = coverage(acc, rule)
						chunk[x] = 0
					}
					switch c {
					case 0:
					case 255:
						blendFull(pix[4*(x0+x):], p)
					default:
						blendPartial(pix[4*(x0+x):], c, p)
					}
				}
			}
		}
		if next < r.width {
			blendSpan(pix[4*next:], coverage(acc, rule), p)
		}
	}
}

// coverage converts an accumulated signed area into an 8-bit coverage.
// The float32 residue that a closed outline leaves in the running sum
// rounds to zero.
func coverage(acc float32, rule FillRule) uint32 {
	a := acc
	if a < 0 {
		a = -a
	}
	if a > 1 {
		if rule == NonZero {
			return 255
		}
		// Even-odd: a triangle wave, full at odd windings, empty at even.
		a -= 2 * float32(int(a/2))
		if a > 1 {
			a = 2 - a
		}
	}
	return uint32(a*255 + 0.5)
}

// ceil returns the smallest integer not below v ≥ 0; it is cheaper than
// math.Ceil, which is not inlined.
func ceil(v float64) int {
	i := int(v)
	if float64(i) < v {
		i++
	}
	return i
}

// clampFloat returns v limited to [lo, hi].
func clampFloat(v, lo, hi float64) float64 {
	return max(lo, min(v, hi))
}
