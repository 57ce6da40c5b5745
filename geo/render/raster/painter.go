package raster

import (
	"image"
	"image/color"
	"math"
)

// painter rasterizes fills and strokes onto images of one size.
type painter struct {
	raster  rasterizer
	stroker stroker
}

// fill fills a path onto dst and returns the pixels it may have changed,
// or ok false if it drew nothing.
func (pt *painter) fill(dst *image.RGBA, p *Path, col color.NRGBA, rule FillRule) (area image.Rectangle, ok bool) {
	if col.A == 0 || p.Len() < 3 {
		return image.Rectangle{}, false
	}
	area, clip, ok := visibleArea(dst.Rect, p.bounds, 0)
	if !ok {
		return image.Rectangle{}, false
	}
	pt.raster.begin(area, dst.Rect.Min, clip)
	for i := range p.simplified() {
		if ring, _ := p.simplifiedSubpath(i); len(ring) >= 3 {
			pt.raster.polygon(ring, false)
		}
	}
	paint := newPaint(col)
	pt.raster.composite(dst, &paint, rule)
	return area, true
}

// stroke strokes a path onto dst and returns the pixels it may have
// changed, or ok false if it drew nothing.
func (pt *painter) stroke(dst *image.RGBA, p *Path, s Stroke) (area image.Rectangle, ok bool) {
	col, width := s.Color, s.Width
	if col.A == 0 || !(width > 0) || math.IsInf(width, 0) || p.Len() == 0 {
		return image.Rectangle{}, false
	}
	if width < 1 {
		col.A = scaleAlpha(col.A, width)
		width = 1
	}
	st := &pt.stroker
	col.A = scaleAlpha(col.A, st.setDash(s.Dash, s.DashOffset))
	if col.A == 0 {
		return image.Rectangle{}, false
	}
	if len(st.pattern) == 0 && width <= thinWidth && s.Join == JoinRound && s.Cap != CapSquare {
		return pt.thinStroke(dst, p, col, width/2, s.Cap == CapButt)
	}
	return pt.outlineStroke(dst, p, col, width, s.Cap, s.Join)
}

// outlineStroke strokes a path by filling its outline (see stroker) onto
// dst, once the dash pattern is set, and returns the pixels it may have
// changed, or ok false if it drew nothing.
func (pt *painter) outlineStroke(dst *image.RGBA, p *Path, col color.NRGBA, width float64, cap Cap, join Join) (area image.Rectangle, ok bool) {
	st := &pt.stroker
	st.halfWidth = width / 2
	step := arcStep(st.halfWidth)
	st.arcStepSin, st.arcStepCos = math.Sincos(step)
	st.arcSteps = int(math.Ceil(math.Pi/step)) + 1
	st.cap, st.join = cap, join
	// reach is how far from the path the stroke can paint, plus a pixel.
	reach := st.halfWidth * math.Sqrt2
	if join == JoinMiter {
		reach = st.halfWidth * miterLimit
	}
	reach++
	area, clip, ok := visibleArea(dst.Rect, p.bounds, reach)
	if !ok {
		return image.Rectangle{}, false
	}
	pt.raster.begin(area, dst.Rect.Min, clip)
	st.raster = &pt.raster
	st.clipRect = Rect{
		MinX: float64(dst.Rect.Min.X) - reach, MinY: float64(dst.Rect.Min.Y) - reach,
		MaxX: float64(dst.Rect.Max.X) + reach, MaxY: float64(dst.Rect.Max.Y) + reach,
	}
	st.needClip = clip && !inside(p.bounds, st.clipRect)
	for i := range p.simplified() {
		st.subpath(p.simplifiedSubpath(i))
	}
	paint := newPaint(col)
	pt.raster.composite(dst, &paint, NonZero)
	return area, true
}

// visibleArea returns the pixels of an image with bounds img that a shape
// with bounds b, grown by margin, can touch, whether its edges need
// clipping to the image, and ok false if it cannot touch any.
func visibleArea(img image.Rectangle, b Rect, margin float64) (area image.Rectangle, clip, ok bool) {
	grown := Rect{MinX: b.MinX - margin, MinY: b.MinY - margin, MaxX: b.MaxX + margin, MaxY: b.MaxY + margin}
	bounds := Rect{MinX: float64(img.Min.X), MinY: float64(img.Min.Y), MaxX: float64(img.Max.X), MaxY: float64(img.Max.Y)}
	if !(grown.MaxX > bounds.MinX && grown.MinX < bounds.MaxX && grown.MaxY > bounds.MinY && grown.MinY < bounds.MaxY) {
		return image.Rectangle{}, false, false
	}
	// Clamp before converting, so that far-away coordinates cannot
	// overflow int.
	area = image.Rect(
		int(math.Floor(max(grown.MinX, bounds.MinX))), int(math.Floor(max(grown.MinY, bounds.MinY))),
		int(math.Ceil(min(grown.MaxX, bounds.MaxX))), int(math.Ceil(min(grown.MaxY, bounds.MaxY))),
	)
	return area, !inside(grown, bounds), true
}

// inside reports whether a lies within b.
func inside(a, b Rect) bool {
	return a.MinX >= b.MinX && a.MinY >= b.MinY && a.MaxX <= b.MaxX && a.MaxY <= b.MaxY
}

// scaleAlpha returns alpha multiplied by f in [0, 1], rounded.
func scaleAlpha(alpha uint8, f float64) uint8 {
	if f >= 1 {
		return alpha
	}
	return uint8(float64(alpha)*f + 0.5)
}
