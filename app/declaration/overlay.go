package declaration

import (
	"context"
	"image"
	"image/color"
	"image/draw"
	"math"
	"sync"

	"github.com/ecoatlas/ecoatlas/geo/clausemap"
	"github.com/ecoatlas/ecoatlas/geo/mercator"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// overlayMargin is how far beyond each edge of the view, in logical
// pixels, the highlight is prepared, so that a pan shows it moved rather
// than missing: as far as the map places its labels (mapview's
// labelMargin), which the badges keep off.
const overlayMargin = 192

// shown is what the map shows of the declaration: the features of a
// selection highlighted (a clause or a tour step), the badges of a
// selection (the same one, or every clause's), or both. It is never
// changed once made; a new choice is a new value.
type shown struct {
	// highlight is the selection whose features are marked, the rest of
	// the map dimmed; nil for none.
	highlight *clausemap.Selection
	// badges is the selection whose badges are set; nil for none.
	badges *clausemap.Selection
}

// prepared is the overlay of what is shown for an area larger than the
// view by overlayMargin on every side, at one zoom and scale, over the
// map drawn in one style and label language.
type prepared struct {
	shown  *shown
	style  *style.Style
	lang   string
	zoom   float64
	scale  float64
	origin image.Point // the area's top-left device pixel in the world grid
	// labelled is whether the badges were set clear of the map's labels,
	// which may not have been placed yet for a new zoom.
	labelled bool
	img      *image.RGBA
	badges   []clausemap.Badge
}

// painter is the map overlay of the declaration ([mapview.Overlay]). The
// highlight and the badges take longer than a frame to draw (the marks
// are rasterised, the badges placed), so the painter prepares them on a
// goroutine of its own for an area around the view, and each frame only
// copies the prepared image, moved, as the map's labels are: a pan costs
// a copy, a zoom a new preparation, during which the frames show no
// highlight rather than a misplaced one. While the zoom changes from frame
// to frame (a fly-to, a pinch) it prepares nothing; once it settles, it
// prepares the overlay at once, with the badges clear of the map's labels
// if these are placed, and again when they are.
type painter struct {
	m    *clausemap.Map
	look clausemap.Look
	// drawn returns the style and the label language of the map the
	// overlay goes over, and labels the boxes of the labels it placed for
	// a view, in device pixels of that view (see
	// mapview.View.LabelBoxes). Both are called on the UI goroutine only.
	drawn  func() (*style.Style, string)
	labels func(viewport.Viewport) ([]image.Rectangle, bool)
	// ready, if set, asks from any goroutine for another frame: when an
	// overlay is ready, or the view was still moving. In immediate mode
	// overlays are prepared on the caller's goroutine instead, for tests.
	ready     func()
	immediate bool

	// lastZoom and lastScale are those of the frame before (UI goroutine
	// only).
	lastZoom, lastScale float64

	mu      sync.Mutex
	shown   *shown
	done    *prepared // the newest finished preparation
	pending *prepared // the preparation under way, its image not yet made
	cancel  context.CancelFunc
}

// show makes the painter draw s from the next frame on, nil for nothing.
func (p *painter) show(s *shown) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.shown = s
	if p.cancel != nil {
		p.cancel()
	}
	p.pending, p.cancel = nil, nil
}

// Draw draws onto dst, the frame of view vp, the newest overlay prepared
// for what is shown at the view's zoom and scale, moved into place; and
// unless that covers the view, it asks for one that does. The part of the
// view it does not cover is dimmed as the highlight dims the map.
func (p *painter) Draw(dst *image.RGBA, vp viewport.Viewport) {
	p.mu.Lock()
	s := p.shown
	p.mu.Unlock()
	steady := vp.Zoom == p.lastZoom && vp.Scale == p.lastScale
	p.lastZoom, p.lastScale = vp.Zoom, vp.Scale
	if s == nil {
		return
	}
	st, lang := p.drawn()
	origin := deviceOrigin(vp)
	done := p.newest()
	stale := done == nil || !done.covers(s, st, lang, vp, origin)
	if !stale && !done.labelled {
		_, stale = p.labels(vp)
	}
	switch {
	case stale && (steady || p.immediate):
		done = p.request(s, st, lang, vp, origin)
	case stale && p.ready != nil:
		p.ready()
	}
	if done == nil || !done.frames(s, st, lang, vp) {
		return
	}
	// dst's rectangle in the coordinates of the prepared image.
	at := dst.Rect.Add(origin.Sub(done.origin))
	covered := at.Intersect(done.img.Rect)
	if !covered.Empty() {
		clausemap.Compose(dst.SubImage(covered.Sub(at.Min).Add(dst.Rect.Min)).(*image.RGBA), done.img.SubImage(covered).(*image.RGBA))
	}
	if s.highlight != nil && p.look.Highlight.Dim.A != 0 {
		dimOutside(dst, covered.Sub(at.Min).Add(dst.Rect.Min), p.look.Highlight.Dim)
	}
}

// newest returns the newest finished preparation, or nil.
func (p *painter) newest() *prepared {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.done
}

// request starts preparing the overlay of s for the area around vp,
// whose top-left device pixel is origin, over the map drawn in st with
// labels in lang, unless that is under way; it cancels a preparation for
// another view. It returns the newest finished preparation: the new one
// in immediate mode.
func (p *painter) request(s *shown, st *style.Style, lang string, vp viewport.Viewport, origin image.Point) *prepared {
	margin := deviceMargin(vp.Scale)
	boxes, labelled := p.labels(vp)
	for i := range boxes {
		boxes[i] = boxes[i].Add(image.Pt(margin, margin))
	}
	p.mu.Lock()
	if q := p.pending; q != nil && q.covers(s, st, lang, vp, origin) && q.labelled == labelled {
		p.mu.Unlock()
		return p.newest()
	}
	if p.cancel != nil {
		p.cancel()
	}
	q := &prepared{shown: s, style: st, lang: lang, zoom: vp.Zoom, scale: vp.Scale, origin: origin.Sub(image.Pt(margin, margin)), labelled: labelled}
	area := vp.WithSize(vp.Width+2*float64(margin)/vp.Scale, vp.Height+2*float64(margin)/vp.Scale)
	ctx, cancel := context.WithCancel(context.Background())
	p.pending, p.cancel = q, cancel
	p.mu.Unlock()

	prepare := func() {
		img, badges, err := p.draw(ctx, area, s, boxes)
		p.mu.Lock()
		if p.pending == q {
			p.pending, p.cancel = nil, nil
		}
		if err == nil { // else cancelled for a newer view or choice, which has its own
			q.img, q.badges = img, badges
			p.done = q
		}
		p.mu.Unlock()
		cancel()
		if err == nil && p.ready != nil {
			p.ready()
		}
	}
	if p.immediate {
		prepare()
	} else {
		go prepare()
	}
	return p.newest()
}

// draw draws the overlay of s for a view: the highlight, then the badges,
// which keep off the boxes of the map's labels where they can.
func (p *painter) draw(ctx context.Context, vp viewport.Viewport, s *shown, labels []image.Rectangle) (*image.RGBA, []clausemap.Badge, error) {
	img := image.NewRGBA(image.Rect(0, 0, vp.DeviceWidth(), vp.DeviceHeight()))
	if s.highlight != nil {
		marks, err := p.m.Marks(ctx, vp, *s.highlight)
		if err != nil {
			return nil, nil, err
		}
		if err := render.DrawHighlight(ctx, img, vp, marks, p.look.Highlight); err != nil {
			return nil, nil, err
		}
	}
	var badges []clausemap.Badge
	if s.badges != nil {
		badges = clausemap.Badges(vp, *s.badges, p.look, labels)
		clausemap.DrawBadges(img, badges, p.look)
	}
	return img, badges, ctx.Err()
}

// covers reports whether the preparation can serve the view vp whose
// top-left device pixel is origin, showing s over the map drawn in st
// with labels in lang.
func (q *prepared) covers(s *shown, st *style.Style, lang string, vp viewport.Viewport, origin image.Point) bool {
	if !q.frames(s, st, lang, vp) {
		return false
	}
	margin := deviceMargin(vp.Scale)
	d := origin.Sub(q.origin)
	return d.X >= 0 && d.Y >= 0 && d.X <= 2*margin && d.Y <= 2*margin
}

// frames reports whether the preparation is of s, over the map drawn in
// st with labels in lang, at the view's zoom and scale, so that, moved, it
// is in its place.
func (q *prepared) frames(s *shown, st *style.Style, lang string, vp viewport.Viewport) bool {
	return q.shown == s && q.style == st && q.lang == lang && q.zoom == vp.Zoom && q.scale == vp.Scale
}

// dimOutside dims dst outside the rectangle r with the colour dim.
func dimOutside(dst *image.RGBA, r image.Rectangle, dim color.NRGBA) {
	veil := image.NewUniform(dim)
	b := dst.Rect
	if r.Empty() {
		draw.Draw(dst, b, veil, image.Point{}, draw.Over)
		return
	}
	for _, strip := range []image.Rectangle{
		image.Rect(b.Min.X, b.Min.Y, b.Max.X, r.Min.Y),
		image.Rect(b.Min.X, r.Max.Y, b.Max.X, b.Max.Y),
		image.Rect(b.Min.X, r.Min.Y, r.Min.X, r.Max.Y),
		image.Rect(r.Max.X, r.Min.Y, b.Max.X, r.Max.Y),
	} {
		if strip = strip.Intersect(b); !strip.Empty() {
			draw.Draw(dst, strip, veil, image.Point{}, draw.Over)
		}
	}
}

// deviceMargin returns overlayMargin in whole device pixels.
func deviceMargin(scale float64) int { return int(math.Round(overlayMargin * scale)) }

// deviceOrigin returns the view's top-left device pixel in the grid of
// the whole world at the view's zoom and scale, rounded as the map's tile
// compositor rounds it, so that the overlay stays on the map's pixels.
func deviceOrigin(vp viewport.Viewport) image.Point {
	pixels := viewport.TileSize * math.Exp2(vp.Zoom) * vp.Scale
	c := mercator.Project(vp.Center)
	return image.Pt(
		int(math.Round(c[0]*pixels-vp.Width*vp.Scale/2)),
		int(math.Round(c[1]*pixels-vp.Height*vp.Scale/2)),
	)
}
