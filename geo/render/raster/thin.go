package raster

import (
	"image"
	"image/color"
	"math"
	"math/bits"
)

// thinWidth is the widest stroke drawn by the thin-stroke path (see the
// package documentation): solid strokes up to this width with round joins
// skip the outline polygon.
//
// Such a stroke is the union of capsules, the points within half the
// width of a segment, so a pixel's coverage follows from its distance d
// to the nearest segment: clamp(halfWidth + ½ − d, 0, 1). Every segment
// raises the coverage of the pixels near it to that value, keeping the
// largest. A butt cap cuts the end capsule square, the coverage beyond it
// scaled by the part of the pixel before the end.
const thinWidth = 1.5

// Caps of a thin-stroke segment.
const (
	// capStart cuts the segment square at its first point, capEnd at its
	// last; an uncapped end is round.
	capStart uint8 = 1 << iota
	capEnd
)

// thinStroke strokes a path as a thin stroke (see thinWidth) onto dst and
// returns the pixels it may have changed, or ok false if it drew nothing.
func (pt *painter) thinStroke(dst *image.RGBA, p *Path, col color.NRGBA, halfWidth float64, butt bool) (area image.Rectangle, ok bool) {
	r := &pt.raster
	reach := halfWidth + 0.5
	area, clip, ok := visibleArea(dst.Rect, p.bounds, reach)
	if !ok {
		return image.Rectangle{}, false
	}
	r.begin(area, dst.Rect.Min, clip)
	r.thin, r.thinReach = true, reach
	for i := range p.simplified() {
		pts, closed := p.simplifiedSubpath(i)
		pt.thinLine(pts, closed, butt)
	}
	paint := newPaint(col)
	r.composite(dst, &paint, NonZero)
	r.thin = false
	return area, true
}

// thinLine adds the segments of a subpath to a thin stroke. Like the
// outline of the general path, a ring needs three distinct points, and a
// subpath without length is a dot for round caps and nothing for butt
// caps.
func (pt *painter) thinLine(pts []Point, closed, butt bool) {
	st := &pt.stroker
	st.vertices = st.vertices[:0]
	for _, p := range pts {
		if n := len(st.vertices); n == 0 || p != st.vertices[n-1] {
			st.vertices = append(st.vertices, p)
		}
	}
	v := st.vertices
	n := len(v)
	if closed && n > 1 && v[n-1] == v[0] {
		n--
		v = v[:n]
	}
	r := &pt.raster
	switch {
	case n == 0:
	case n == 1:
		if !butt {
			r.thinSegment(v[0], v[0], 0)
		}
	case closed && n >= 3:
		for k := range n {
			r.thinSegment(v[k], v[(k+1)%n], 0)
		}
	default:
		for k := 1; k < n; k++ {
			var caps uint8
			if butt && k == 1 {
				caps |= capStart
			}
			if butt && k == n-1 {
				caps |= capEnd
			}
			r.thinSegment(v[k-1], v[k], caps)
		}
	}
}

// thinSegment adds a segment of a thin stroke, in image coordinates: at
// once, or recorded for the bands it reaches.
func (r *rasterizer) thinSegment(a, b Point, caps uint8) {
	x0, y0, x1, y1 := a.X-r.originX, a.Y-r.originY, b.X-r.originX, b.Y-r.originY
	if !r.banded {
		r.coverSegment(x0, y0, x1, y1, caps)
		return
	}
	top := max(min(y0, y1)-r.thinReach, 0)
	bottom := min(max(y0, y1)+r.thinReach, float64(r.height))
	if top >= bottom {
		return
	}
	for band := int(top) / bandHeight; band <= (ceil(bottom)-1)/bandHeight; band++ {
		r.pieces = append(r.pieces, piece{float32(x0), float32(y0), float32(x1), float32(y1), int32(band), caps})
		r.perBand[band]++
	}
}

// coverSegment raises the coverage in the cells of the pixels near a
// segment of a thin stroke, in grid coordinates, to that of the segment's
// capsule (see thinWidth). Only the rows of the current band are visited.
// Coverage above 1, within a thicker stroke, is clipped when composited.
func (r *rasterizer) coverSegment(ax, ay, bx, by float64, caps uint8) {
	reach := r.thinReach
	rowLo, rowHi := 0, r.height
	if r.banded {
		rowLo, rowHi = r.bandTop, min(r.bandTop+bandHeight, r.height)
	}
	// The rows whose centres lie within reach of the segment, and the
	// columns of its box: most segments of a line crossing a tile miss it.
	top := max(min(ay, by)-reach-0.5, float64(rowLo))
	bottom := min(max(ay, by)+reach-0.5, float64(rowHi-1))
	left, right := -0.5, float64(r.width)-0.5
	boxLo := max(min(ax, bx)-reach-0.5, left)
	boxHi := min(max(ax, bx)+reach-0.5, right)
	if !(top <= bottom && boxLo <= boxHi) {
		return
	}
	firstRow, lastRow := int(math.Ceil(top)), int(bottom)
	if firstRow > lastRow {
		return
	}
	r.minRow, r.maxRow = min(r.minRow, firstRow), max(r.maxRow, lastRow)
	dx, dy := bx-ax, by-ay
	length := math.Sqrt(dx*dx + dy*dy)
	ux, uy := 1.0, 0.0
	if length > 0 {
		ux, uy = dx/length, dy/length
	}
	// A pixel centre at (ax, ay) + (px, py) is t = px·ux + py·uy along the
	// segment and n = py·ux − px·uy across it. Its distance to the
	// segment is that to the nearest point, t clamped to [0, length].
	// The pixels visited on a row are those whose centres lie within
	// reach of the segment's line and, along it, within reach of the
	// segment: for a short segment, simply those of the box around it.
	var alongLo, alongHi, acrossLo, acrossHi [2]float64
	// A long segment is neither horizontal nor vertical, and the
	// intervals of its rows have ends linear in py, [a + b·py, c + d·py].
	long := length > 4 && ux != 0 && uy != 0
	if long {
		k := 1 / ux
		lo, hi := -reach*k, (length+reach)*k
		if ux < 0 {
			lo, hi = hi, lo
		}
		alongLo, alongHi = [2]float64{lo, -uy * k}, [2]float64{hi, -uy * k}
		k = 1 / uy
		lo, hi = -reach*k, reach*k
		if uy < 0 {
			lo, hi = hi, lo
		}
		acrossLo, acrossHi = [2]float64{lo, ux * k}, [2]float64{hi, ux * k}
	}
	cells, stride, words := r.cells, r.stride, r.wordsPerRow
	for y := firstRow; y <= lastRow; y++ {
		py := float64(y) + 0.5 - ay
		lo, hi := boxLo, boxHi
		if long {
			lo = max(lo, max(alongLo[0]+alongLo[1]*py, acrossLo[0]+acrossLo[1]*py)+ax-0.5)
			hi = min(hi, min(alongHi[0]+alongHi[1]*py, acrossHi[0]+acrossHi[1]*py)+ax-0.5)
		}
		// Pixel i has its centre at px = i + ½ − ax.
		if !(lo <= hi) {
			continue
		}
		first, last := int(math.Ceil(lo)), int(hi)
		if first > last {
			continue
		}
		cy := y - r.bandTop
		row := cells[cy*stride+first : cy*stride+last+1]
		px := float64(first) + 0.5 - ax
		t, n := px*ux+py*uy, py*ux-px*uy
		if caps == 0 {
			coverCapsule(row, t, n, ux, uy, length, reach)
		} else {
			coverCapped(row, t, n, ux, uy, length, reach, caps)
		}
		flags := r.dirty[cy*words : (cy+1)*words]
		if ca, cb := first>>chunkShift, last>>chunkShift; ca>>6 == cb>>6 {
			flags[ca>>6] |= (2<<(cb&63) - 1) &^ (1<<(ca&63) - 1)
		} else {
			for c := ca; c <= cb; c++ {
				flags[c>>6] |= 1 << (c & 63)
			}
		}
	}
}

// coverCapsule raises the coverage of a run of pixels to that of a
// capsule: the first is at t along the segment and n across it, and each
// next one ux further along and uy less across.
//
// It has no data-dependent branch, which would mispredict on every other
// pixel of a wandering line: how far t lies beyond [0, length] is
// min(t, 0) + max(t − length, 0), written with absolute values, which
// compile to a bit mask (the min and max built-ins cost four instructions
// each, for their handling of NaN and signed zeros).
func coverCapsule(row []float32, t, n, ux, uy, length, reach float64) {
	for i, cell := range row {
		beyond := (t - math.Abs(t) + (t - length) + math.Abs(t-length)) / 2
		c := float32(reach - math.Sqrt(beyond*beyond+n*n))
		row[i] = max(cell, c)
		t += ux
		n -= uy
	}
}

// coverCapped is coverCapsule for a segment with a square end: beyond it
// the coverage fades out within half a pixel instead of rounding off.
func coverCapped(row []float32, t, n, ux, uy, length, reach float64, caps uint8) {
	for i, cell := range row {
		d, along := math.Abs(n), 1.0
		if t < 0.5 && caps&capStart != 0 {
			along = t + 0.5
		} else if t < 0 {
			d = math.Sqrt(t*t + n*n)
		}
		if t > length-0.5 && caps&capEnd != 0 {
			along -= t - (length - 0.5)
		} else if t > length {
			e := t - length
			d = math.Sqrt(e*e + n*n)
		}
		if c := min(reach-d, 1) * max(along, 0); c > 0 {
			row[i] = max(cell, float32(c))
		}
		t += ux
		n -= uy
	}
}

// compositeCoverageRows composites grid rows first to last of a thin
// stroke, whose cells hold coverage rather than area, and clears them.
func (r *rasterizer) compositeCoverageRows(dst *image.RGBA, p *paint, first, last int) {
	for y := first; y <= last; y++ {
		cy := y - r.bandTop
		cells := r.cells[cy*r.stride : cy*r.stride+r.width]
		rowStart := (r.gridY+y)*dst.Stride + 4*r.gridX
		pix := dst.Pix[rowStart : rowStart+4*r.width]
		words := r.dirty[cy*r.wordsPerRow : (cy+1)*r.wordsPerRow]
		for wi, word := range words {
			if word == 0 {
				continue
			}
			words[wi] = 0
			for word != 0 {
				x0 := (wi<<6 + bits.TrailingZeros64(word)) << chunkShift
				word &= word - 1
				x1 := min(x0+chunkSize, r.width)
				chunk, px := cells[x0:x1], pix[4*x0:4*x1]
				for i, c := range chunk {
					if c <= 0 {
						continue
					}
					chunk[i] = 0
					if cov := uint32(min(c, 1)*255 + 0.5); cov == 255 {
						blendFull(px[4*i:], p)
					} else if cov > 0 {
						blendPartial(px[4*i:], cov, p)
					}
				}
			}
		}
	}
}
