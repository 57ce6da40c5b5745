package text

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"sync"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/vector"
)

var rasterizers = sync.Pool{New: func() any { return vector.NewRasterizer(0, 0) }}

// renderGlyphs rasterises placed glyphs, grows a halo around them and
// composes both into a bitmap whose pixel coordinates are those of the
// glyph positions.
func renderGlyphs(glyphs []placedGlyph, ppem float64, st Style, scale float64) *Bitmap {
	ink, ok := inkBounds(glyphs, ppem)
	if !ok {
		return &Bitmap{}
	}
	haloPx := st.HaloReach(scale)
	r := ink.Inset(-(int(math.Ceil(haloPx+haloSoftness)) + 1))
	coverage := rasterize(glyphs, ppem, r)
	var halo *image.Alpha
	if haloPx > 0 {
		halo = dilate(coverage, haloPx)
	}
	return compose(coverage, halo, st.Color, st.Halo, r)
}

// inkBounds returns the pixels the glyph outlines touch, and false if no
// glyph has an outline.
func inkBounds(glyphs []placedGlyph, ppem float64) (image.Rectangle, bool) {
	lo := point{math.Inf(1), math.Inf(1)}
	hi := point{math.Inf(-1), math.Inf(-1)}
	for _, pg := range glyphs {
		if len(pg.g.outline) == 0 {
			continue
		}
		for _, c := range [4]point{
			{pg.g.inkMin.x, pg.g.inkMin.y}, {pg.g.inkMax.x, pg.g.inkMin.y},
			{pg.g.inkMin.x, pg.g.inkMax.y}, {pg.g.inkMax.x, pg.g.inkMax.y},
		} {
			p := pg.transform(c, ppem)
			lo = point{min(lo.x, p.x), min(lo.y, p.y)}
			hi = point{max(hi.x, p.x), max(hi.y, p.y)}
		}
	}
	if lo.x > hi.x {
		return image.Rectangle{}, false
	}
	return image.Rect(
		int(math.Floor(lo.x)), int(math.Floor(lo.y)),
		int(math.Ceil(hi.x)), int(math.Ceil(hi.y)),
	), true
}

// transform maps a point of the glyph's outline (ems, y down) to pixels.
func (pg placedGlyph) transform(p point, ppem float64) point {
	c, s := pg.dir.x*ppem, pg.dir.y*ppem
	return point{pg.origin.x + c*p.x - s*p.y, pg.origin.y + s*p.x + c*p.y}
}

// rasterize returns the anti-aliased coverage of the glyph outlines over
// the pixel rectangle r, as a mask whose origin is r.Min.
func rasterize(glyphs []placedGlyph, ppem float64, r image.Rectangle) *image.Alpha {
	z := rasterizers.Get().(*vector.Rasterizer)
	defer rasterizers.Put(z)
	z.Reset(r.Dx(), r.Dy())
	z.DrawOp = draw.Src
	shift := point{float64(r.Min.X), float64(r.Min.Y)}
	at := func(pg placedGlyph, p point) (float32, float32) {
		q := pg.transform(p, ppem)
		return float32(q.x - shift.x), float32(q.y - shift.y)
	}
	for _, pg := range glyphs {
		for i, s := range pg.g.outline {
			switch s.op {
			case sfnt.SegmentOpMoveTo:
				if i > 0 {
					z.ClosePath()
				}
				z.MoveTo(at(pg, s.args[0]))
			case sfnt.SegmentOpLineTo:
				z.LineTo(at(pg, s.args[0]))
			case sfnt.SegmentOpQuadTo:
				bx, by := at(pg, s.args[0])
				cx, cy := at(pg, s.args[1])
				z.QuadTo(bx, by, cx, cy)
			case sfnt.SegmentOpCubeTo:
				bx, by := at(pg, s.args[0])
				cx, cy := at(pg, s.args[1])
				dx, dy := at(pg, s.args[2])
				z.CubeTo(bx, by, cx, cy, dx, dy)
			}
		}
		if len(pg.g.outline) > 0 {
			z.ClosePath()
		}
	}
	mask := image.NewAlpha(image.Rect(0, 0, r.Dx(), r.Dy()))
	z.Draw(mask, mask.Rect, image.Opaque, image.Point{})
	return mask
}

// haloSoftness is the width in pixels of the halo's anti-aliased outer edge.
const haloSoftness = 1.0

// dilate grows coverage by radius pixels into a halo mask: every pixel
// takes the largest coverage within the radius, weighted by a disc whose
// rim fades out over haloSoftness pixels. This is a grey-scale morphological
// dilation, so the halo keeps the glyphs' anti-aliasing and has a smooth,
// round outline at any radius.
//
// The coverage must have an empty border at least radius+haloSoftness wide.
func dilate(coverage *image.Alpha, radius float64) *image.Alpha {
	w, h := coverage.Rect.Dx(), coverage.Rect.Dy()
	halo := image.NewAlpha(coverage.Rect)
	src, dst := coverage.Pix, halo.Pix

	// A fully covered neighbour is closer than the pixel itself to every
	// point on its side, so it dominates the pixel's taps there. The taps
	// are therefore kept in 16 lists, one for each combination of fully
	// covered neighbours (bits: left, right, up, down), holding only the
	// taps no such neighbour dominates.
	type tap struct {
		offset int
		weight uint32 // 0..255
	}
	var taps [16][]tap
	reach := int(math.Ceil(radius + haloSoftness/2))
	disc := (2*reach + 1) * (2*reach + 1)
	backing := make([]tap, 16*disc)
	for covered := range taps {
		taps[covered] = backing[covered*disc : covered*disc : (covered+1)*disc]
	}
	for dy := -reach; dy <= reach; dy++ {
		for dx := -reach; dx <= reach; dx++ {
			d := math.Hypot(float64(dx), float64(dy))
			weight := min(max((radius+haloSoftness/2-d)/haloSoftness, 0), 1)
			if weight == 0 {
				continue
			}
			t := tap{dy*w + dx, uint32(math.Round(weight * 255))}
			for covered := range taps {
				if (dx < 0 && covered&1 != 0) || (dx > 0 && covered&2 != 0) ||
					(dy < 0 && covered&4 != 0) || (dy > 0 && covered&8 != 0) {
					continue
				}
				taps[covered] = append(taps[covered], t)
			}
		}
	}

	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			i := y*w + x
			c := uint32(src[i])
			if c == 0 {
				continue
			}
			var covered int
			if src[i-1] == 255 {
				covered |= 1
			}
			if src[i+1] == 255 {
				covered |= 2
			}
			if src[i-w] == 255 {
				covered |= 4
			}
			if src[i+w] == 255 {
				covered |= 8
			}
			for _, t := range taps[covered] {
				if v := uint8((c*t.weight + 127) / 255); v > dst[i+t.offset] {
					dst[i+t.offset] = v
				}
			}
		}
	}
	return halo
}

// textContrast maps glyph coverage to opacity with a mild gamma (exponent
// 0.75): blended in sRGB, linear coverage makes the anti-aliased edges of
// small text look thin and washed out.
var textContrast = func() (t [256]uint8) {
	for i := range t {
		t[i] = uint8(math.Round(255 * math.Pow(float64(i)/255, 0.75)))
	}
	return t
}()

// compose returns the bitmap, placed at r, of the fill colour through the
// coverage mask over the halo colour through the halo mask (which may be
// nil).
func compose(coverage, halo *image.Alpha, fill, haloColor color.NRGBA, r image.Rectangle) *Bitmap {
	opaque := 0 // pixels that may show, for sizing the pixel store
	for i, c := range coverage.Pix {
		if c != 0 || (halo != nil && halo.Pix[i] != 0) {
			opaque++
		}
	}
	b := &Bitmap{bounds: r, rowStart: make([]int, r.Dy()+1), pix: make([]byte, 0, 4*opaque)}
	fa := float32(fill.A) / (255 * 255)
	ha := float32(haloColor.A) / (255 * 255)
	w := r.Dx()
	for y := range r.Dy() {
		inRun := false
		for x := range w {
			i := y*w + x
			var h uint8
			if halo != nil {
				h = halo.Pix[i]
			}
			textAlpha := float32(textContrast[coverage.Pix[i]]) * fa
			haloAlpha := float32(h) * ha * (1 - textAlpha)
			a := uint8(255*(textAlpha+haloAlpha) + 0.5)
			if a == 0 {
				inRun = false
				continue
			}
			if !inRun {
				b.runs = append(b.runs, run{from: r.Min.X + x, offset: len(b.pix)})
				inRun = true
			}
			b.runs[len(b.runs)-1].to = r.Min.X + x + 1
			b.pix = append(b.pix,
				uint8(float32(fill.R)*textAlpha+float32(haloColor.R)*haloAlpha+0.5),
				uint8(float32(fill.G)*textAlpha+float32(haloColor.G)*haloAlpha+0.5),
				uint8(float32(fill.B)*textAlpha+float32(haloColor.B)*haloAlpha+0.5),
				a,
			)
		}
		b.rowStart[y+1] = len(b.runs)
	}
	return b
}
