package mapview

import (
	"image"
	"slices"

	"fyne.io/fyne/v2/driver/desktop"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// Tool is what the map does with the pointer besides panning and zooming:
// identify what was clicked, measure, draw a box, add or move a site. The
// view passes it the pointer's events in logical pixels of the view, with
// the view itself, so a tool converts them to lon/lat with
// [viewport.Viewport.FromPixel] and hit-tests with the query engine; it
// holds no Fyne state, which keeps it testable.
//
// A tool that draws something (a line being measured, a box) does it
// through an [Overlay] it sets on the view.
type Tool interface {
	// Tapped is a click (a press and release without moving) at p.
	Tapped(vp viewport.Viewport, p orb.Point)
	// DoubleTapped is a double click at p. It reports whether the tool
	// used it; if not, the map zooms in there.
	DoubleTapped(vp viewport.Viewport, p orb.Point) bool
	// Dragged is a drag by the pointer, now at p, that started at start.
	// It reports whether the tool takes the drag; if not, the map pans.
	// A tool that takes a drag gets every move of it and then DragEnd.
	Dragged(vp viewport.Viewport, start, p orb.Point) bool
	// DragEnd ends a drag the tool took.
	DragEnd(vp viewport.Viewport, p orb.Point)
	// Hovered is the pointer at p, or out of the map when inside is false.
	Hovered(vp viewport.Viewport, p orb.Point, inside bool)
	// Cancelled is Escape: the tool drops what it was doing.
	Cancelled()
}

// Finisher is a [Tool] that has work to finish on Enter, such as a line
// being measured: the view calls Finish when Enter or Return is typed.
type Finisher interface {
	Finish()
}

// Overlay draws above the map's tiles and labels, on every frame: a
// selection, a measured line, a clause's badges. Draw runs on the UI
// goroutine as a frame is composed, so it must take a few milliseconds at
// most; an overlay that takes longer prepares its image in the background
// and only copies it here.
type Overlay interface {
	// Draw draws onto dst, the frame of view vp (dst's pixels are device
	// pixels: vp.Scale per logical pixel).
	Draw(dst *image.RGBA, vp viewport.Viewport)
}

// OverlayFunc is a function that is an [Overlay].
type OverlayFunc func(dst *image.RGBA, vp viewport.Viewport)

// Draw calls f.
func (f OverlayFunc) Draw(dst *image.RGBA, vp viewport.Viewport) { f(dst, vp) }

// namedOverlay is an overlay the view draws, by name.
type namedOverlay struct {
	name string
	o    Overlay
}

// SetTool makes t the map's tool, nil for none (the map only pans and
// zooms). It cancels the tool it replaces.
func (v *View) SetTool(t Tool) {
	if v.tool != nil && v.tool != t {
		v.tool.Cancelled()
	}
	v.tool, v.toolDrag = t, false
}

// Tool returns the map's tool, or nil.
func (v *View) Tool() Tool { return v.tool }

// SetOverlay draws o above the map under a name, replacing the overlay of
// that name if there is one, or removes it when o is nil. Overlays are
// drawn in the order they were first set.
func (v *View) SetOverlay(name string, o Overlay) {
	i := slices.IndexFunc(v.overlays, func(n namedOverlay) bool { return n.name == name })
	switch {
	case o == nil && i >= 0:
		v.overlays = slices.Delete(v.overlays, i, i+1)
	case o == nil:
		return
	case i >= 0:
		v.overlays[i].o = o
	default:
		v.overlays = append(v.overlays, namedOverlay{name, o})
	}
	v.Refresh()
}

// drawOverlays draws the overlays onto a frame of the view vp.
func (v *View) drawOverlays(dst *image.RGBA, vp viewport.Viewport) {
	for _, n := range v.overlays {
		n.o.Draw(dst, vp)
	}
}

// Cursor shows a crosshair while a tool is set, the arrow otherwise.
func (v *View) Cursor() desktop.Cursor {
	if v.tool != nil {
		return desktop.CrosshairCursor
	}
	return desktop.DefaultCursor
}

// Declare conformity with the cursor interface.
var _ desktop.Cursorable = (*View)(nil)
