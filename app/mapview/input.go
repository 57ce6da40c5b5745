package mapview

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"github.com/paulmach/orb"
)

const (
	// stepZoom is the zoom change of a + or − key press and of a double tap.
	stepZoom = 1.0
	// scrollPerZoom is the scroll distance, in Fyne scroll units, that
	// zooms by one level: a mouse wheel notch scrolls 25 units on Linux
	// and Windows, so a notch zooms by half a level, and a trackpad's
	// small deltas zoom smoothly.
	scrollPerZoom = 50.0
	// maxScrollZoom caps the zoom change of one scroll event, against the
	// huge deltas some drivers report for a fast flick.
	maxScrollZoom = 1.0
	// zoomQuantum is the grid scroll zooms land on, so that scrolling in
	// and back out returns to zooms whose tiles are still cached.
	zoomQuantum = 1.0 / 16
	// keyPanFraction is how far an arrow key pans, as a fraction of the
	// view's width or height.
	keyPanFraction = 0.2
)

// Dragged gives the drag to the tool if it takes it, and otherwise pans
// the map with the pointer: the map point under the pointer when the drag
// started stays under it. The tool is asked once, at the first move.
func (v *View) Dragged(e *fyne.DragEvent) {
	p := point(e.Position)
	if !v.dragging {
		v.dragging = true
		v.dragFrom = point(e.Position.SubtractXY(e.Dragged.DX, e.Dragged.DY))
		v.toolDrag = v.tool != nil && v.tool.Dragged(v.vp, v.dragFrom, p)
	} else if v.toolDrag {
		v.tool.Dragged(v.vp, v.dragFrom, p)
	}
	if !v.toolDrag {
		v.moveTo(v.vp.Pan(float64(e.Dragged.DX), float64(e.Dragged.DY)))
	}
	v.reportCursor(e.Position)
}

// DragEnd ends a pan, or the tool's drag.
func (v *View) DragEnd() {
	if v.toolDrag && v.tool != nil {
		v.tool.DragEnd(v.vp, v.lastPointer)
	}
	v.dragging, v.toolDrag = false, false
}

// Scrolled zooms at the pointer by an amount proportional to the vertical
// scroll (up zooms in). Zooms land on a grid of 1/16 level, the remainder
// is kept for the next event, so a slow trackpad gesture still zooms.
func (v *View) Scrolled(e *fyne.ScrollEvent) {
	step := math.Max(-maxScrollZoom, math.Min(maxScrollZoom, float64(e.Scrolled.DY)/scrollPerZoom))
	want := v.vp.Zoom + v.scrollDebt + step
	target := math.Round(want/zoomQuantum) * zoomQuantum
	if target == v.vp.Zoom {
		v.scrollDebt = want - target
		return
	}
	next := v.zoomedAt(v.vp, point(e.Position), target-v.vp.Zoom)
	v.scrollDebt = want - target
	if next.Zoom != target { // stopped at a zoom limit
		v.scrollDebt = 0
	}
	v.moveTo(next)
}

// Tapped gives the map the keyboard focus and the click to the tool.
func (v *View) Tapped(e *fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(v); c != nil {
		c.Focus(v)
	}
	if v.tool != nil {
		v.tool.Tapped(v.vp, point(e.Position))
	}
}

// DoubleTapped gives the double click to the tool, and unless it uses it
// zooms in by one level at the tapped point.
func (v *View) DoubleTapped(e *fyne.PointEvent) {
	if v.tool != nil && v.tool.DoubleTapped(v.vp, point(e.Position)) {
		return
	}
	v.ZoomAt(point(e.Position), stepZoom)
}

// ZoomAt zooms by dz levels, animated, keeping the map point under the
// logical pixel p fixed.
func (v *View) ZoomAt(p orb.Point, dz float64) {
	v.animateTo(v.zoomedAt(v.settled(), p, dz), zoomDuration, nil)
}

// ZoomIn zooms in by one level at the centre, animated.
func (v *View) ZoomIn() { v.ZoomAt(v.centre(), stepZoom) }

// ZoomOut zooms out by one level at the centre, animated.
func (v *View) ZoomOut() { v.ZoomAt(v.centre(), -stepZoom) }

// Home shows the whole home bound (the style's home by default), animated.
func (v *View) Home() { v.FlyTo(v.home) }

func (v *View) centre() orb.Point { return orb.Point{v.vp.Width / 2, v.vp.Height / 2} }

// FocusGained is called when the map gets the keyboard focus.
func (v *View) FocusGained() {}

// FocusLost is called when the map loses the keyboard focus.
func (v *View) FocusLost() {}

// TypedRune zooms: + and = zoom in, − and _ zoom out.
func (v *View) TypedRune(r rune) {
	switch r {
	case '+', '=':
		v.ZoomIn()
	case '-', '_', '−':
		v.ZoomOut()
	}
}

// TypedKey pans with the arrow keys, by a fifth of the view, shows the
// whole region on Home, cancels the tool's work on Escape and finishes it
// on Enter (see [Finisher]).
func (v *View) TypedKey(e *fyne.KeyEvent) {
	dx, dy := keyPanFraction*v.vp.Width, keyPanFraction*v.vp.Height
	switch e.Name {
	case fyne.KeyLeft:
		v.pan(dx, 0)
	case fyne.KeyRight:
		v.pan(-dx, 0)
	case fyne.KeyUp:
		v.pan(0, dy)
	case fyne.KeyDown:
		v.pan(0, -dy)
	case fyne.KeyHome:
		v.Home()
	case fyne.KeyEscape:
		if v.tool != nil {
			v.tool.Cancelled()
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		if f, ok := v.tool.(Finisher); ok {
			f.Finish()
		}
	}
}

// pan moves the map content by (dx, dy) logical pixels at once.
func (v *View) pan(dx, dy float64) {
	v.moveTo(v.settled().Pan(dx, dy))
}

// MouseIn reports the cursor position as the pointer enters the map.
func (v *View) MouseIn(e *desktop.MouseEvent) { v.reportCursor(e.Position) }

// MouseMoved reports the cursor position.
func (v *View) MouseMoved(e *desktop.MouseEvent) { v.reportCursor(e.Position) }

// MouseOut reports that the pointer left the map.
func (v *View) MouseOut() {
	if v.OnCursor != nil {
		v.OnCursor(orb.Point{}, false)
	}
	if v.tool != nil {
		v.tool.Hovered(v.vp, v.lastPointer, false)
	}
}

// reportCursor tells the cursor callback and the tool where the pointer is.
func (v *View) reportCursor(p fyne.Position) {
	v.lastPointer = point(p)
	if v.OnCursor != nil {
		v.OnCursor(v.vp.FromPixel(point(p)), true)
	}
	if v.tool != nil {
		v.tool.Hovered(v.vp, point(p), true)
	}
}

// point converts a Fyne position to a logical pixel of the viewport.
func point(p fyne.Position) orb.Point { return orb.Point{float64(p.X), float64(p.Y)} }
