package mapview

import (
	"context"
	"image"
	"math"

	"github.com/ecoatlas/ecoatlas/geo/mercator"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/render/label"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// labelMargin is how far beyond each edge of the view, in logical pixels,
// labels are placed.
const labelMargin = 192

// labelPlacement is the labels placed for an area larger than the view by
// labelMargin on every side. Frames of the same scene, zoom, scale and
// size reuse it, moved, for as long as the view stays inside that area: a
// pan then costs drawing the labels, not placing them again, and labels
// do not come and go as they cross the view's edges. Labels straddling
// an edge are cut by it, as on web maps.
type labelPlacement struct {
	scene  *render.Scene
	zoom   float64
	scale  float64
	size   image.Point // the view's size in device pixels
	origin image.Point // the placed area's top-left device pixel in the world grid
	placed []label.Placed
}

// draw draws the labels of sc for the view vp, the view of dst, placing
// them again if the current placement does not cover vp.
func (lp *labelPlacement) draw(dst *image.RGBA, sc *render.Scene, vp viewport.Viewport) {
	origin := deviceOrigin(vp)
	if !lp.covers(sc, vp, origin) {
		lp.place(sc, vp, origin)
	}
	// A view of dst's pixels whose coordinates are those of the placed area.
	moved := &image.RGBA{Pix: dst.Pix, Stride: dst.Stride, Rect: dst.Rect.Add(origin.Sub(lp.origin))}
	render.DrawLabels(moved, lp.placed)
}

// covers reports whether the placement can serve the view vp whose
// top-left device pixel is origin.
func (lp *labelPlacement) covers(sc *render.Scene, vp viewport.Viewport, origin image.Point) bool {
	if lp.scene != sc || lp.zoom != vp.Zoom || lp.scale != vp.Scale || lp.size != deviceSize(vp) {
		return false
	}
	margin := deviceMargin(vp.Scale)
	d := origin.Sub(lp.origin)
	return d.X >= 0 && d.Y >= 0 && d.X <= 2*margin && d.Y <= 2*margin
}

// place places the labels for the area around vp, whose top-left device
// pixel is origin.
func (lp *labelPlacement) place(sc *render.Scene, vp viewport.Viewport, origin image.Point) {
	margin := deviceMargin(vp.Scale)
	area := vp.WithSize(vp.Width+2*float64(margin)/vp.Scale, vp.Height+2*float64(margin)/vp.Scale)
	// The in-memory sources of the scene cannot fail and the context
	// is never cancelled, so there is no error to handle.
	placed, _ := render.Labels(context.Background(), sc, area)
	*lp = labelPlacement{
		scene:  sc,
		zoom:   vp.Zoom,
		scale:  vp.Scale,
		size:   deviceSize(vp),
		origin: origin.Sub(image.Pt(margin, margin)),
		placed: placed,
	}
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
