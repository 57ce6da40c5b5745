package inspect

import (
	"context"
	"image"
	"image/color"
	"math"

	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// hitRadius is how far, in logical pixels, a click or a drag may start
// from a site and still take it.
const hitRadius = 8

// addTool is the "Add site" tool: a click on the map opens the form of
// a new site there, and the map goes back to its default tool.
type addTool struct{ f *Feature }

// Tapped opens the form of a new site at p.
func (t *addTool) Tapped(vp viewport.Viewport, p orb.Point) {
	t.f.openForm(newSiteForm(vp.FromPixel(p)))
	t.f.keepDraft()
	t.f.shell.ReleaseTool(t)
}

// DoubleTapped leaves double clicks to the map.
func (t *addTool) DoubleTapped(viewport.Viewport, orb.Point) bool { return false }

// Dragged leaves drags to the map, which pans.
func (t *addTool) Dragged(viewport.Viewport, orb.Point, orb.Point) bool { return false }

// DragEnd has no drag to end.
func (t *addTool) DragEnd(viewport.Viewport, orb.Point) {}

// Hovered does nothing: the crosshair says where the site goes.
func (t *addTool) Hovered(viewport.Viewport, orb.Point, bool) {}

// Cancelled gives the map back to the default tool.
func (t *addTool) Cancelled() {}

// pickTool picks a site of the store to edit: a click on one opens its
// form; the site the form shows can be dragged to a new position, which
// is saved, as one edit, when the drag ends.
type pickTool struct {
	f        *Feature
	dragging bool
}

// Tapped opens the form of the site nearest p within hitRadius.
func (t *pickTool) Tapped(vp viewport.Viewport, p orb.Point) {
	f := t.f
	at := vp.FromPixel(p)
	reach := vp.FromPixel(orb.Point{p[0] + hitRadius, p[1] + hitRadius})
	box := orb.Bound{Min: orb.Point{2*at[0] - reach[0], reach[1]}, Max: orb.Point{reach[0], 2*at[1] - reach[1]}}
	f.reads.Run(func(ctx context.Context) func() {
		var nearest string
		best := math.Inf(1)
		for feat, err := range f.store.Source().Search(ctx, box) {
			if err != nil {
				return nil
			}
			q, ok := feat.Geometry.(orb.Point)
			if !ok {
				continue
			}
			if d := math.Hypot(q[0]-at[0], q[1]-at[1]); d < best {
				best, nearest = d, feat.ID
			}
		}
		if nearest == "" {
			return func() { f.shell.Notify(i18n.T("inspect.pick.none")) }
		}
		site, err := f.store.Site(ctx, nearest)
		return func() {
			if err != nil {
				f.shell.ShowError(err)
				return
			}
			f.openForm(siteForm(site))
		}
	})
}

// DoubleTapped leaves double clicks to the map.
func (t *pickTool) DoubleTapped(viewport.Viewport, orb.Point) bool { return false }

// Dragged takes a drag that starts on the site the form shows, and moves
// its marker with the pointer.
func (t *pickTool) Dragged(vp viewport.Viewport, start, p orb.Point) bool {
	fm := t.f.form
	if fm == nil || fm.isNew {
		return false
	}
	if !t.dragging {
		s := vp.ToPixel(fm.position)
		if math.Hypot(s[0]-start[0], s[1]-start[1]) > hitRadius {
			return false
		}
		t.dragging = true
	}
	t.f.setMarkerAt(vp.FromPixel(p))
	return true
}

// DragEnd saves the dragged site's new position.
func (t *pickTool) DragEnd(vp viewport.Viewport, p orb.Point) {
	if !t.dragging {
		return
	}
	t.dragging = false
	if fm := t.f.form; fm != nil {
		t.f.moveSite(fm, vp.FromPixel(p))
	}
}

// Hovered does nothing.
func (t *pickTool) Hovered(viewport.Viewport, orb.Point, bool) {}

// Cancelled drops a drag under way.
func (t *pickTool) Cancelled() {
	if t.dragging {
		t.dragging = false
		t.f.setMarker()
	}
}

// Colours of the marker of the site the form edits.
var (
	markerRing = color.RGBA{0x1e, 0x88, 0xe5, 0xff}
	markerHalo = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// setMarker marks the position of the form's site on the map, or removes
// the mark when no form is open.
func (f *Feature) setMarker() {
	if f.form == nil {
		f.shell.Map().SetOverlay(markerOverlay, nil)
		return
	}
	f.setMarkerAt(f.form.position)
}

// setMarkerAt marks a position on the map.
func (f *Feature) setMarkerAt(p orb.Point) {
	if !markable(p) {
		f.shell.Map().SetOverlay(markerOverlay, nil)
		return
	}
	f.shell.Map().SetOverlay(markerOverlay, mapview.OverlayFunc(func(dst *image.RGBA, vp viewport.Viewport) {
		c := vp.ToPixel(p)
		drawRing(dst, c[0]*vp.Scale, c[1]*vp.Scale, 11*vp.Scale, 3.5*vp.Scale, markerHalo)
		drawRing(dst, c[0]*vp.Scale, c[1]*vp.Scale, 11*vp.Scale, 2*vp.Scale, markerRing)
	}))
}

// markable reports whether p is a lon/lat position a site may have;
// the zero point is the position of a form restored without one.
func markable(p orb.Point) bool {
	return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90 && (p != orb.Point{})
}

// drawRing draws a ring of radius r and width w (device pixels) centred
// on (cx, cy).
func drawRing(dst *image.RGBA, cx, cy, r, w float64, c color.RGBA) {
	reach := int(math.Ceil(r + w))
	for y := int(cy) - reach; y <= int(cy)+reach; y++ {
		for x := int(cx) - reach; x <= int(cx)+reach; x++ {
			if !(image.Point{x, y}.In(dst.Rect)) {
				continue
			}
			d := math.Abs(math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy) - r)
			if d <= w/2 {
				dst.SetRGBA(x, y, c)
			}
		}
	}
}
