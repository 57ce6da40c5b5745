package mapview

import (
	"context"
	"image"
	"math"
	"sync"

	"github.com/ecoatlas/ecoatlas/geo/mercator"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/render/label"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// labelMargin is how far beyond each edge of the view, in logical pixels,
// labels are placed.
const labelMargin = 192

// placement is the labels placed for an area larger than the view by
// labelMargin on every side. Frames of the same scene, zoom, scale and
// size reuse it, moved, for as long as the view stays inside that area: a
// pan then costs drawing the labels, not placing them again, and labels
// do not come and go as they cross the view's edges. Labels straddling
// an edge are cut by it, as on web maps.
type placement struct {
	scene  *render.Scene
	zoom   float64
	scale  float64
	size   image.Point // the view's size in device pixels
	origin image.Point // the placed area's top-left device pixel in the world grid
	placed []label.Placed
}

// labeller places the labels of the view's frames on a goroutine of its
// own, since placing a frame's labels can take longer than a frame
// (design-next §4): the UI goroutine asks for the labels of a view and
// draws the newest placement that fits it, moved, while a new one is made.
// A request for another view cancels the placement under way.
type labeller struct {
	// ready, if set, is called on the placing goroutine when a placement
	// is done. In immediate mode placements are made on the caller's
	// goroutine instead, for tests.
	ready     func()
	immediate bool

	mu      sync.Mutex
	done    *placement         // the newest finished placement
	pending *placement         // the placement being made, placed empty
	cancel  context.CancelFunc // stops the pending placement
}

// draw draws onto dst, the frame of view vp, the labels of sc: the newest
// placement, moved, if it is of the same scene, zoom, scale and size; and
// unless it covers vp, it asks for one that does (see request). It draws
// nothing while only placements for another zoom, scale, size or scene
// exist, rather than misplaced labels.
func (l *labeller) draw(dst *image.RGBA, sc *render.Scene, vp viewport.Viewport, request bool) {
	origin := deviceOrigin(vp)
	done := l.newest()
	if request && (done == nil || !done.covers(sc, vp, origin)) {
		done = l.request(sc, vp, origin)
	}
	if done == nil || !done.frames(sc, vp) {
		return
	}
	// A view of dst's pixels whose coordinates are those of the placed area.
	moved := &image.RGBA{Pix: dst.Pix, Stride: dst.Stride, Rect: dst.Rect.Add(origin.Sub(done.origin))}
	render.DrawLabels(moved, done.placed)
}

// newest returns the newest finished placement, or nil.
func (l *labeller) newest() *placement {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.done
}

// request starts placing the labels for the area around vp, whose
// top-left device pixel is origin, unless that is under way; it cancels
// a placement for another view. It returns the newest finished placement:
// the new one in immediate mode, where it places on the caller's goroutine.
func (l *labeller) request(sc *render.Scene, vp viewport.Viewport, origin image.Point) *placement {
	l.mu.Lock()
	if p := l.pending; p != nil && p.covers(sc, vp, origin) {
		l.mu.Unlock()
		return l.newest()
	}
	if l.cancel != nil {
		l.cancel()
	}
	margin := deviceMargin(vp.Scale)
	p := &placement{
		scene:  sc,
		zoom:   vp.Zoom,
		scale:  vp.Scale,
		size:   deviceSize(vp),
		origin: origin.Sub(image.Pt(margin, margin)),
	}
	area := vp.WithSize(vp.Width+2*float64(margin)/vp.Scale, vp.Height+2*float64(margin)/vp.Scale)
	ctx, cancel := context.WithCancel(context.Background())
	l.pending, l.cancel = p, cancel
	l.mu.Unlock()

	place := func() {
		placed, err := render.Labels(ctx, sc, area)
		l.mu.Lock()
		if l.pending == p {
			l.pending, l.cancel = nil, nil
		}
		if err == nil { // else cancelled for a newer view, which has its own placement
			p.placed = placed
			l.done = p
		}
		l.mu.Unlock()
		cancel()
		if err == nil && l.ready != nil {
			l.ready()
		}
	}
	if l.immediate {
		place()
	} else {
		go place()
	}
	return l.newest()
}

// covers reports whether the placement can serve the view vp whose
// top-left device pixel is origin.
func (p *placement) covers(sc *render.Scene, vp viewport.Viewport, origin image.Point) bool {
	if !p.frames(sc, vp) {
		return false
	}
	margin := deviceMargin(vp.Scale)
	d := origin.Sub(p.origin)
	return d.X >= 0 && d.Y >= 0 && d.X <= 2*margin && d.Y <= 2*margin
}

// frames reports whether the placement is of the scene at the view's zoom,
// scale and size, so that its labels, moved, are in their places.
func (p *placement) frames(sc *render.Scene, vp viewport.Viewport) bool {
	return p.scene == sc && p.zoom == vp.Zoom && p.scale == vp.Scale && p.size == deviceSize(vp)
}

// deviceMargin returns labelMargin in whole device pixels.
func deviceMargin(scale float64) int { return int(math.Round(labelMargin * scale)) }

func deviceSize(vp viewport.Viewport) image.Point {
	return image.Pt(vp.DeviceWidth(), vp.DeviceHeight())
}

// deviceOrigin returns the view's top-left device pixel in the grid of
// the whole world at the view's zoom and scale, rounded as the tile
// compositor rounds it, so that labels stay on the pixels of the tiles.
func deviceOrigin(vp viewport.Viewport) image.Point {
	pixels := viewport.TileSize * math.Exp2(vp.Zoom) * vp.Scale
	c := mercator.Project(vp.Center)
	return image.Pt(
		int(math.Round(c[0]*pixels-vp.Width*vp.Scale/2)),
		int(math.Round(c[1]*pixels-vp.Height*vp.Scale/2)),
	)
}

// LabelBoxes returns the boxes, in device pixels of the frame of view vp,
// that the labels the view has placed for vp's zoom, scale and size
// occupy (their text and, for a labelled point, its symbol), as far
// beyond the view's edges as they are placed; and whether the view has
// placed labels for such a view yet. An overlay that sets marks of its
// own, such as clause badges, keeps them off the map's labels with it.
func (v *View) LabelBoxes(vp viewport.Viewport) ([]image.Rectangle, bool) {
	done := v.labels.newest()
	if done == nil || !done.frames(v.content.Load().scene(), vp) {
		return nil, false
	}
	shift := done.origin.Sub(deviceOrigin(vp))
	var boxes []image.Rectangle
	for _, p := range done.placed {
		for _, b := range p.Boxes {
			boxes = append(boxes, b.Add(shift))
		}
		if !p.Symbol.Empty() {
			boxes = append(boxes, p.Symbol.Add(shift))
		}
	}
	return boxes, true
}
