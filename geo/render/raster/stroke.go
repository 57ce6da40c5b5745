package raster

import (
	"image/color"
	"math"
)

// Cap is the shape of the ends of an open stroke and of every dash.
type Cap uint8

const (
	// CapButt ends the stroke square at its end point.
	CapButt Cap = iota
	// CapRound ends the stroke with a half disc centred on its end point.
	CapRound
	// CapSquare ends the stroke with a square, extending it by half its
	// width beyond its end point.
	CapSquare
)

// Join is the shape of the corner where two segments of a stroke meet.
type Join uint8

const (
	// JoinMiter extends the outer edges of the two segments until they
	// meet, falling back to JoinBevel where the miter would be longer than
	// 4 times the stroke width (SVG's default limit, reached at corners
	// sharper than about 29°).
	JoinMiter Join = iota
	// JoinRound rounds the corner with a circular arc.
	JoinRound
	// JoinBevel cuts the corner with a straight line.
	JoinBevel
)

// miterLimit is the longest miter, as a multiple of the stroke width, drawn
// before a miter join is bevelled: the SVG default.
const miterLimit = 4.0

// arcTolerance is the largest distance, in pixels, between a circular arc
// and the polygon that approximates it.
const arcTolerance = 0.1

// joinTolerance is the distance, in pixels, from a vertex to where the
// offset edges cross below which a join is drawn as a miter whatever its
// type: the join types then differ by a few hundredths of a pixel at most.
const joinTolerance = 0.1

// Stroke describes how to draw a path's outline.
//
// A Width below 1 px is drawn 1 px wide with its alpha scaled by the width,
// so hairlines stay visible and evenly toned at any position; a Width of
// zero or less draws nothing.
type Stroke struct {
	// Color is the colour of the line.
	Color color.NRGBA
	// Width is the line's width in pixels.
	Width float64
	// Dash alternates the lengths, in pixels, of dashes and gaps; nil
	// draws a solid line. An odd count is repeated to make it even, as in
	// SVG. A pattern with a negative or non-finite length, or with no
	// positive length, draws a solid line; one shorter than a pixel in
	// total draws a solid line whose alpha is scaled by its dash fraction.
	Dash []float64
	// DashOffset is how far into the pattern, in pixels, each subpath
	// starts; a NaN or infinite offset counts as zero.
	DashOffset float64
	// Cap is the shape of the ends of open subpaths and of dashes.
	Cap Cap
	// Join is the shape of corners.
	Join Join
}

// stroker turns polylines into stroke outline polygons and adds them to a
// rasterizer. It keeps its scratch slices between strokes.
type stroker struct {
	raster    *rasterizer
	halfWidth float64
	// arcStepCos and arcStepSin are the cosine and sine of
	// arcStep(halfWidth), and arcSteps bounds the steps of a join's arc.
	arcStepCos, arcStepSin float64
	arcSteps               int
	cap                    Cap
	join                   Join
	// clipRect is the part of the plane where a stroke can touch the
	// image; needClip is set when a stroke reaches outside it.
	clipRect Rect
	needClip bool

	// pattern is the dash pattern with an even number of lengths, empty
	// for a solid line; patternLength is its total. dashStart and
	// dashStartLeft give the pattern entry and the length left in it at
	// the start of every subpath.
	pattern       []float64
	patternLength float64
	dashStart     int
	dashStartLeft float64

	// dotUX and dotUY orient the square cap of a subpath or dash without
	// length.
	dotUX, dotUY float64

	dash      []Point
	firstDash []Point
	holdFirst bool
	runs      []Point
	runEnds   []int
	merged    []Point
	vertices  []Point
	segments  []segment
	left      []Point
	right     []Point
}

// setDash prepares the dash pattern and returns the factor by which the
// stroke's alpha must be scaled (1 unless the pattern is below a pixel).
func (s *stroker) setDash(dash []float64, offset float64) float64 {
	s.pattern = s.pattern[:0]
	on, total := 0.0, 0.0
	for i, length := range dash {
		if length < 0 || !finite(length, 0) {
			return 1
		}
		if i%2 == 0 {
			on += length
		}
		total += length
	}
	if total <= 0 || !finite(total, 0) {
		return 1
	}
	if !finite(offset, 0) {
		offset = 0
	}
	if len(dash)%2 == 1 {
		// The repeated pattern swaps dashes and gaps on its second pass.
		on, total = total, 2*total
	}
	if total < 1 {
		return on / total
	}
	s.pattern = append(s.pattern, dash...)
	if len(dash)%2 == 1 {
		s.pattern = append(s.pattern, dash...)
	}
	s.patternLength = total
	s.dashStart, s.dashStartLeft = s.advanceDash(0, s.pattern[0], math.Mod(offset, total)+total)
	return 1
}

// advanceDash moves distance along the pattern from entry i with left
// remaining in it, and returns the new entry and remainder. Entries end
// where the next begins, except that a position at the start of a
// zero-length dash is in it, so that such dashes draw dots.
func (s *stroker) advanceDash(i int, left, distance float64) (int, float64) {
	distance = math.Mod(distance, s.patternLength)
	for distance > left || (distance == left && left > 0) {
		distance -= left
		i++
		if i == len(s.pattern) {
			i = 0
		}
		left = s.pattern[i]
	}
	return i, left - distance
}

// subpath strokes one simplified subpath of a path.
func (s *stroker) subpath(line []Point, closed bool) {
	if len(line) < 3 {
		// A ring needs three distinct points; fewer trace a line.
		closed = false
	}
	// A subpath without length has no direction: its square cap is
	// axis-aligned, as in SVG.
	s.dotUX, s.dotUY = 1, 0
	if len(s.pattern) > 0 {
		s.dashed(line, closed)
		return
	}
	s.clipped(line, closed)
}

// dashed splits a polyline into dashes and strokes each one. Stretches
// outside the clip rectangle only advance the pattern.
func (s *stroker) dashed(pts []Point, closed bool) {
	i, left := s.dashStart, s.dashStartLeft
	on := i%2 == 0
	// On a ring, a dash running through the start point is drawn as one
	// piece: its first part is held back until the last part is known.
	s.holdFirst = closed && on
	s.firstDash = s.firstDash[:0]
	s.dash = s.dash[:0]
	if on {
		s.dash = append(s.dash, pts[0])
	}
	n := len(pts)
	segments := n - 1
	if closed {
		segments = n
	}
	for k := range segments {
		a, b := pts[k], pts[(k+1)%n]
		dx, dy := b.X-a.X, b.Y-a.Y
		length := math.Sqrt(dx*dx + dy*dy)
		if length == 0 {
			continue
		}
		at := func(t float64) Point { return Point{a.X + dx*t/length, a.Y + dy*t/length} }
		// Dashes of zero length on this segment are square to it.
		s.dotUX, s.dotUY = dx/length, dy/length
		// Only [t0, t1] of the segment, in pixels from a, can be seen.
		t0, t1 := 0.0, length
		if s.needClip {
			v0, v1, visible := clipSegment(a, b, s.clipRect)
			if !visible {
				v0, v1 = 1, 1
			}
			t0, t1 = v0*length, v1*length
		}
		if t0 > 0 {
			if on {
				s.endDash(a)
			}
			i, left = s.advanceDash(i, left, t0)
			if on = i%2 == 0; on {
				s.dash = append(s.dash, at(t0))
			}
		}
		t := t0
		for t1-t > left {
			t += left
			if on {
				s.endDash(at(t))
			} else {
				s.dash = append(s.dash, at(t))
			}
			on = !on
			if i++; i == len(s.pattern) {
				i = 0
			}
			left = s.pattern[i]
		}
		left -= t1 - t
		if t1 < length {
			if on {
				s.endDash(at(t1))
			}
			i, left = s.advanceDash(i, left, length-t1)
			on = i%2 == 0
		}
		if on {
			s.dash = append(s.dash, b)
		}
	}
	switch {
	case on && s.holdFirst:
		// The ring never left its first dash.
		s.clipped(pts, true)
	case on && len(s.firstDash) > 0:
		s.dash = append(s.dash, s.firstDash[1:]...)
		s.clipped(s.dash, false)
	case on:
		s.clipped(s.dash, false)
	case len(s.firstDash) > 0:
		s.clipped(s.firstDash, false)
	}
}

// endDash ends the current dash at p and strokes it, or holds it back if
// it is the first dash of a ring.
func (s *stroker) endDash(p Point) {
	s.dash = append(s.dash, p)
	if s.holdFirst {
		s.firstDash = append(s.firstDash, s.dash...)
		s.holdFirst = false
	} else {
		s.clipped(s.dash, false)
	}
	s.dash = s.dash[:0]
}

// clipped strokes the parts of a polyline inside the clip rectangle. The
// cut ends lie outside the image by more than the stroke reaches, so the
// caps drawn there are invisible.
func (s *stroker) clipped(pts []Point, closed bool) {
	if !s.needClip {
		s.outline(pts, closed)
		return
	}
	n := len(pts)
	if n == 1 {
		if _, _, visible := clipSegment(pts[0], pts[0], s.clipRect); visible {
			s.outline(pts, false)
		}
		return
	}
	segments := n - 1
	if closed {
		segments = n
	}
	s.runs, s.runEnds = s.runs[:0], s.runEnds[:0]
	runStart := 0
	endRun := func() {
		if len(s.runs) > runStart {
			s.runEnds = append(s.runEnds, len(s.runs))
			runStart = len(s.runs)
		}
	}
	whole := true
	startsAtFirst, endsAtFirst := false, false
	for k := range segments {
		a, b := pts[k], pts[(k+1)%n]
		t0, t1, visible := clipSegment(a, b, s.clipRect)
		if !visible {
			whole = false
			endRun()
			continue
		}
		if k == 0 {
			startsAtFirst = t0 == 0
		}
		if k == segments-1 {
			endsAtFirst = t1 == 1
		}
		if t0 > 0 {
			whole = false
			endRun()
		}
		if len(s.runs) == runStart {
			s.runs = append(s.runs, lerp(a, b, t0))
		}
		s.runs = append(s.runs, lerp(a, b, t1))
		if t1 < 1 {
			whole = false
			endRun()
		}
	}
	endRun()
	if whole {
		s.outline(pts, closed)
		return
	}
	first := 0
	if closed && startsAtFirst && endsAtFirst && len(s.runEnds) > 1 {
		// The first and last runs meet at the ring's start point: draw
		// them as one line so that vertex gets its join.
		last := s.runEnds[len(s.runEnds)-2]
		s.merged = append(s.merged[:0], s.runs[last:]...)
		s.merged = append(s.merged, s.runs[1:s.runEnds[0]]...)
		s.outline(s.merged, false)
		first = 1
		s.runEnds = s.runEnds[:len(s.runEnds)-1]
	}
	for k := first; k < len(s.runEnds); k++ {
		start := 0
		if k > 0 {
			start = s.runEnds[k-1]
		}
		s.outline(s.runs[start:s.runEnds[k]], false)
	}
}

// clipSegment returns the part [t0, t1] of the segment a + t·(b − a),
// 0 ≤ t ≤ 1, inside r, or visible false if there is none (Liang–Barsky).
func clipSegment(a, b Point, r Rect) (t0, t1 float64, visible bool) {
	t0, t1 = 0, 1
	dx, dy := b.X-a.X, b.Y-a.Y
	for _, edge := range [4][2]float64{
		{-dx, a.X - r.MinX},
		{dx, r.MaxX - a.X},
		{-dy, a.Y - r.MinY},
		{dy, r.MaxY - a.Y},
	} {
		p, q := edge[0], edge[1]
		if p == 0 {
			if q < 0 {
				return 0, 0, false
			}
			continue
		}
		t := q / p
		if p < 0 {
			if t > t1 {
				return 0, 0, false
			}
			t0 = max(t0, t)
		} else {
			if t < t0 {
				return 0, 0, false
			}
			t1 = min(t1, t)
		}
	}
	return t0, t1, true
}

func lerp(a, b Point, t float64) Point {
	return Point{a.X + (b.X-a.X)*t, a.Y + (b.Y-a.Y)*t}
}

// outline adds the outline of a polyline to the rasterizer.
//
// The outline is traced as one contour (two for a ring): along the left
// side of the line, round the end cap, back along the right side and
// round the start cap. At a vertex, the side on the outside of the turn
// gets the join (miter point, bevel or arc); the side on the inside goes
// through the point where the two offset edges cross or, when the
// segments are too short for that point to lie on them, dips to the
// vertex itself. The contour then winds exactly like the union of one
// rectangle per segment and one wedge per join, all with the same
// orientation, so the non-zero rule fills the stroke once wherever its
// pieces overlap. A straight or gently curving line costs two edges per
// segment.
func (s *stroker) outline(pts []Point, closed bool) {
	// Keep distinct vertices only, with each segment's direction and
	// length.
	s.vertices, s.segments = s.vertices[:0], s.segments[:0]
	for _, p := range pts {
		if n := len(s.vertices); n == 0 || p != s.vertices[n-1] {
			s.vertices = append(s.vertices, p)
		}
	}
	n := len(s.vertices)
	if closed && n > 1 && s.vertices[n-1] == s.vertices[0] {
		n--
		s.vertices = s.vertices[:n]
	}
	if n == 1 {
		s.dot(s.vertices[0])
		return
	}
	if n < 3 {
		closed = false
	}
	count := n - 1
	if closed {
		count = n
	}
	for k := range count {
		a, b := s.vertices[k], s.vertices[(k+1)%n]
		dx, dy := b.X-a.X, b.Y-a.Y
		length := math.Sqrt(dx*dx + dy*dy)
		s.segments = append(s.segments, segment{dx / length, dy / length, length})
	}
	s.left, s.right = s.left[:0], s.right[:0]
	if closed {
		prev := s.segments[count-1]
		for k, next := range s.segments {
			s.addJoin(s.vertices[k], prev, next)
			prev = next
		}
		s.raster.polygon(s.left, false)
		s.raster.polygon(s.right, true)
		return
	}
	hw := s.halfWidth
	first, last := s.segments[0], s.segments[count-1]
	a, b := s.vertices[0], s.vertices[n-1]
	if s.cap == CapSquare {
		a = Point{a.X - first.ux*hw, a.Y - first.uy*hw}
		b = Point{b.X + last.ux*hw, b.Y + last.uy*hw}
	}
	s.left = append(s.left, Point{a.X - first.uy*hw, a.Y + first.ux*hw})
	s.right = append(s.right, Point{a.X + first.uy*hw, a.Y - first.ux*hw})
	for k := 1; k < n-1; k++ {
		s.addJoin(s.vertices[k], s.segments[k-1], s.segments[k])
	}
	s.left = append(s.left, Point{b.X - last.uy*hw, b.Y + last.ux*hw})
	s.right = append(s.right, Point{b.X + last.uy*hw, b.Y - last.ux*hw})
	// One contour: left side, end cap, right side backwards, start cap.
	// The arcs run from one side to the other; their last points repeat
	// the next side's first.
	contour := s.left
	if s.cap == CapRound {
		contour = appendArc(contour, b, -last.uy*hw, last.ux*hw, -math.Pi)
		contour = contour[:len(contour)-1]
	}
	for k := len(s.right) - 1; k >= 0; k-- {
		contour = append(contour, s.right[k])
	}
	if s.cap == CapRound {
		contour = appendArc(contour, a, first.uy*hw, -first.ux*hw, -math.Pi)
		contour = contour[:len(contour)-1]
	}
	s.left = contour
	s.raster.polygon(contour, false)
}

// segment is the unit direction and the length of a segment.
type segment struct {
	ux, uy, length float64
}

// addJoin appends to the left and right sides of the outline the points
// at vertex v, between segments in and out.
func (s *stroker) addJoin(v Point, in, out segment) {
	hw := s.halfWidth
	cross := in.ux*out.uy - in.uy*out.ux
	dot := in.ux*out.ux + in.uy*out.uy
	// Left normals of the two segments, half a width long.
	n1x, n1y := -in.uy*hw, in.ux*hw
	n2x, n2y := -out.uy*hw, out.ux*hw
	// The offset edges on either side cross at v ± (mx, my), at distance
	// reach = hw·tan(turn/2) beyond v along the segments.
	onePlusDot := 1 + dot
	var mx, my float64
	reach := math.Inf(1)
	if onePlusDot > 1e-9 {
		mx, my = (n1x+n2x)/onePlusDot, (n1y+n2y)/onePlusDot
		reach = hw * math.Abs(cross) / onePlusDot
	}
	// side is +1 when the outside of the turn is on the left.
	side := 1.0
	outer, inner := &s.left, &s.right
	if cross > 0 {
		side = -1
		outer, inner = inner, outer
	}
	if reach <= min(in.length, out.length)/2 {
		*inner = append(*inner, Point{v.X - side*mx, v.Y - side*my})
	} else {
		*inner = append(*inner, Point{v.X - side*n1x, v.Y - side*n1y}, v, Point{v.X - side*n2x, v.Y - side*n2y})
	}
	switch {
	case reach < joinTolerance:
		// So gentle a turn that all join types coincide.
		*outer = append(*outer, Point{v.X + side*mx, v.Y + side*my})
	case s.join == JoinMiter && onePlusDot/2 >= 1/(miterLimit*miterLimit):
		// Within the miter limit: the miter is hw/cos(turn/2) long, and
		// 1 + dot is 2·cos²(turn/2).
		*outer = append(*outer, Point{v.X + side*mx, v.Y + side*my})
	case s.join == JoinRound:
		// The arc turns away from the outside, also at a full reversal,
		// where it goes round the end of the first segment.
		*outer = append(*outer, Point{v.X + side*n1x, v.Y + side*n1y})
		*outer = s.appendJoinArc(*outer, v, side*n1x, side*n1y, side*n2x, side*n2y, -side)
	default:
		*outer = append(*outer, Point{v.X + side*n1x, v.Y + side*n1y}, Point{v.X + side*n2x, v.Y + side*n2y})
	}
}

// dot draws a subpath or dash without length: a disc for round caps, a
// square along (dotUX, dotUY) for square caps, nothing for butt caps. It
// winds like the outlines.
func (s *stroker) dot(c Point) {
	hw := s.halfWidth
	switch s.cap {
	case CapRound:
		s.left = appendArc(s.left[:0], c, hw, 0, -2*math.Pi)
		s.raster.polygon(s.left, false)
	case CapSquare:
		ux, uy := s.dotUX*hw, s.dotUY*hw
		s.left = append(s.left[:0],
			Point{c.X - ux + uy, c.Y - uy - ux}, Point{c.X - ux - uy, c.Y - uy + ux},
			Point{c.X + ux - uy, c.Y + uy + ux}, Point{c.X + ux + uy, c.Y + uy - ux})
		s.raster.polygon(s.left, false)
	}
}

// appendJoinArc appends the points of the arc of a round join around v
// from v + (ux, uy), excluded, to v + (wx, wy), both half a width from v,
// turning counter-clockwise (from +x towards +y) if sign is positive. It
// does without trigonometry: it rotates by arcStep until the end is
// within a step.
func (s *stroker) appendJoinArc(dst []Point, v Point, ux, uy, wx, wy, sign float64) []Point {
	cos, sin := s.arcStepCos, sign*s.arcStepSin
	within := s.arcStepCos * s.halfWidth * s.halfWidth
	// The bound only guards against rounding.
	for range s.arcSteps {
		if ux*wx+uy*wy >= within {
			break
		}
		ux, uy = ux*cos-uy*sin, ux*sin+uy*cos
		dst = append(dst, Point{v.X + ux, v.Y + uy})
	}
	return append(dst, Point{v.X + wx, v.Y + wy})
}

// appendArc appends the points of a circular arc around c that starts at
// c + (vx, vy), excluded, and turns by angle radians, positive from +x
// towards +y.
func appendArc(dst []Point, c Point, vx, vy, angle float64) []Point {
	steps := int(math.Ceil(math.Abs(angle) / arcStep(math.Hypot(vx, vy))))
	sin, cos := math.Sincos(angle / float64(steps))
	for range steps {
		vx, vy = vx*cos-vy*sin, vx*sin+vy*cos
		dst = append(dst, Point{c.X + vx, c.Y + vy})
	}
	return dst
}

// arcStep returns the largest angle step that keeps a polygon within
// arcTolerance of a circle of the given radius.
func arcStep(radius float64) float64 {
	if radius <= 2*arcTolerance {
		return math.Pi / 4
	}
	return min(2*math.Acos(1-arcTolerance/radius), math.Pi/4)
}
