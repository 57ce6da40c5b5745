// Package measure is the map's measuring tool: the distance along a line,
// the area of a polygon, and the radius and area of a circle the user
// clicks on the map, geodesic on the WGS 84 ellipsoid (geo/geodesic,
// PROJ's geod), shown live while drawing in a card over the map: the
// total, and each segment's length and azimuth. A double click or Enter
// finishes (a circle finishes at its second click), Escape cancels; a
// finished measurement stays on the map until cleared or another starts.
//
// Tools › Measure distance (Ctrl+M), Measure area and Measure a circle,
// or the toolbar's ruler, start it; the tool borrows the map from
// identify and gives it back when the measurement is finished or
// cancelled.
package measure

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/app/sketch"
	"github.com/ecoatlas/ecoatlas/geo/geodesic"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// Mode is what is measured.
type Mode int

// The modes of measuring.
const (
	// Distance measures the length of a line through the points.
	Distance Mode = iota
	// Area measures the area of the polygon through the points.
	Area
	// Circle measures the geodesic circle with its centre at the first
	// point through the second: its radius and area.
	Circle
)

// circleSegments is how many sides the drawn and measured circle has:
// its area falls short of the true circle's by 0.04 %.
const circleSegments = 128

// rulerIcon is the toolbar button's icon: a ruler, in the theme's
// foreground colour.
var rulerIcon = theme.NewThemedResource(fyne.NewStaticResource("ruler.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">`+
	`<path fill="#000" d="M2.3 16.5 16.5 2.3a1 1 0 0 1 1.4 0l3.8 3.8a1 1 0 0 1 0 1.4L7.5 21.7a1 1 0 0 1-1.4 0l-3.8-3.8a1 1 0 0 1 0-1.4Zm2.1.7 2.4 2.4L19.6 6.8l-2.4-2.4-1.6 1.6 1.5 1.5-1 1-1.5-1.5-1.4 1.4 2.2 2.2-1 1-2.2-2.2-1.4 1.4 1.5 1.5-1 1-1.5-1.5-1.4 1.4 2.2 2.2-1 1-2.2-2.2Z"/></svg>`)))

// overlayName is the measurement's overlay on the map.
const overlayName = "measure"

// shownSegments is how many segments, the last ones, the card lists.
const shownSegments = 6

// drawnSegment is the longest straight piece, in metres, a geodesic edge
// is drawn with: short enough that a line across the region bends as
// the geodesic does on the map's projection.
const drawnSegment = 5000

// cardOffset is where the card sits over the map, in logical pixels from
// its top left corner.
var cardOffset = fyne.NewPos(12, 12)

// Feature is the measuring tool. Create it with [New] and pass it to
// shell.WithFeatures; its methods are called on the UI goroutine.
type Feature struct {
	shell *shell.Shell
	tool  *tool

	mode     Mode
	points   []orb.Point // the placed points, lon/lat
	pointer  *orb.Point  // where the pointer is while measuring
	active   bool        // the tool is in use: points are being placed
	finished bool        // a finished measurement is on show
	drawn    orb.LineString

	card  *fyne.Container // floating over the map's top left corner
	clear *widget.Button
	lines *widget.Label
	title *widget.Label
}

// New returns the measuring tool, idle.
func New() *Feature {
	f := &Feature{}
	f.tool = &tool{f: f}
	return f
}

// Install adds the Tools menu items, Ctrl+M, the toolbar button and the
// card over the map, showing the measurement under way, if any.
func (f *Feature) Install(s *shell.Shell) {
	f.shell = s
	tools := s.Menu("menu.tools")
	tools.Items = append(tools.Items, fyne.NewMenuItemSeparator(),
		&fyne.MenuItem{Label: i18n.T("measure.distance"), Action: func() { f.Start(Distance) },
			Shortcut: &desktop.CustomShortcut{KeyName: fyne.KeyM, Modifier: fyne.KeyModifierShortcutDefault}},
		fyne.NewMenuItem(i18n.T("measure.area"), func() { f.Start(Area) }),
		fyne.NewMenuItem(i18n.T("measure.circle"), func() { f.Start(Circle) }))
	s.AddShortcut(fyne.KeyM, func() { f.Start(Distance) })

	var button *widget.Button
	button = widget.NewButtonWithIcon("", rulerIcon, func() { // an icon: the toolbar is full
		menu := fyne.NewMenu("",
			fyne.NewMenuItem(i18n.T("measure.distance"), func() { f.Start(Distance) }),
			fyne.NewMenuItem(i18n.T("measure.area"), func() { f.Start(Area) }),
			fyne.NewMenuItem(i18n.T("measure.circle"), func() { f.Start(Circle) }))
		c := fyne.CurrentApp().Driver().CanvasForObject(button)
		at := fyne.CurrentApp().Driver().AbsolutePositionForObject(button).Add(fyne.NewPos(0, button.Size().Height))
		widget.ShowPopUpMenuAtPosition(menu, c, at)
	})
	button.Importance = widget.LowImportance
	s.AddToolbarItem(button)

	f.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.lines = widget.NewLabel("")
	f.clear = widget.NewButtonWithIcon("", theme.CancelIcon(), f.Clear)
	f.clear.Importance = widget.LowImportance
	body := container.NewBorder(container.NewBorder(nil, nil, nil, f.clear, f.title), nil, nil, nil, f.lines)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	bg.StrokeColor = theme.Color(theme.ColorNameShadow)
	bg.StrokeWidth = 1
	f.card = container.NewStack(bg, container.New(layout.NewCustomPaddedLayout(0, 0, 4, 4), body))
	s.AddMapObject(container.NewWithoutLayout(f.card))
	f.update()
}

// Mode returns what is, or was last, measured.
func (f *Feature) Mode() Mode { return f.mode }

// Points returns the placed points, lon/lat.
func (f *Feature) Points() []orb.Point { return append([]orb.Point(nil), f.points...) }

// Measuring reports whether points are being placed.
func (f *Feature) Measuring() bool { return f.active }

// Start begins a new measurement of a kind, dropping the last one, and
// takes the map's pointer.
func (f *Feature) Start(m Mode) {
	f.mode, f.points, f.pointer, f.finished, f.active = m, nil, nil, false, true
	f.shell.UseTool(f.tool)
	f.update()
}

// Add places a point, lon/lat, as a click does.
func (f *Feature) Add(p orb.Point) {
	if !f.active {
		return
	}
	if n := len(f.points); n > 0 && f.points[n-1] == p {
		return
	}
	f.points = append(f.points, p)
	f.update()
	if f.mode == Circle && len(f.points) == 2 {
		f.Finish() // the centre and a point on the circle are all it takes
	}
}

// Finish ends the measurement, as Enter or a double click does: it stays
// on the map with its result, and the map's pointer goes back to
// identifying. Too few points (two for a distance or a circle, three for
// an area) cancel instead.
func (f *Feature) Finish() {
	if !f.active {
		return
	}
	if len(f.points) < f.minPoints() {
		f.Cancel()
		return
	}
	f.active, f.finished, f.pointer = false, true, nil
	f.shell.ReleaseTool(f.tool)
	f.update()
	f.shell.Notify(i18n.T("measure.done", map[string]any{"Result": f.result()}))
}

// Cancel drops the measurement under way, as Escape does, and gives the
// map's pointer back.
func (f *Feature) Cancel() {
	if !f.active {
		return
	}
	f.active = false
	f.shell.ReleaseTool(f.tool)
	f.Clear()
}

// Clear takes the measurement off the map.
func (f *Feature) Clear() {
	if f.active {
		f.Cancel()
		return
	}
	f.points, f.pointer, f.finished = nil, nil, false
	f.update()
}

// Length returns the geodesic length in metres of the line through the
// points (the pointer's position included while measuring), closed for
// an area: its perimeter; for a circle, its radius.
func (f *Feature) Length() float64 {
	return geodesic.Length(orb.LineString(f.path(f.mode == Area)))
}

// circle returns the ring of the circle being measured, nil without a
// radius.
func (f *Feature) circle() orb.Ring {
	pts := f.path(false)
	if f.mode != Circle || len(pts) < 2 {
		return nil
	}
	ring, err := geodesic.Circle(pts[0], geodesic.Distance(pts[0], pts[1]), circleSegments)
	if err != nil {
		return nil
	}
	return ring
}

// EnclosedArea returns the geodesic area in square metres of the polygon
// through the points (the pointer's position included while measuring),
// or of the circle, 0 for a distance.
func (f *Feature) EnclosedArea() float64 {
	if f.mode == Circle {
		return geodesic.Area(f.circle())
	}
	pts := f.path(false)
	if f.mode != Area || len(pts) < 3 {
		return 0
	}
	return geodesic.Area(orb.Polygon{append(orb.Ring(pts), pts[0])})
}

// path returns the points, the pointer's position after them while
// measuring, and the first again if closed.
func (f *Feature) path(closed bool) []orb.Point {
	pts := append([]orb.Point(nil), f.points...)
	if f.active && f.pointer != nil && (len(pts) == 0 || pts[len(pts)-1] != *f.pointer) {
		pts = append(pts, *f.pointer)
	}
	if closed && len(pts) >= 3 {
		pts = append(pts, pts[0])
	}
	return pts
}

// minPoints is how many points a measurement needs.
func (f *Feature) minPoints() int {
	if f.mode == Area {
		return 3
	}
	return 2
}

// result is the measurement's headline: the length, the area, or the
// circle's radius.
func (f *Feature) result() string {
	if f.mode == Circle {
		return i18n.T("measure.radius", map[string]any{"Length": Length(f.Length())})
	}
	if f.mode == Area {
		return AreaText(f.EnclosedArea())
	}
	return Length(f.Length())
}

// Readout returns the card's lines: the total (and the perimeter of an
// area), the last segments with length and azimuth, and a hint while
// measuring.
func (f *Feature) Readout() string {
	pts := f.path(false)
	var lines []string
	switch {
	case f.mode == Area && len(pts) >= 3:
		lines = append(lines, i18n.T("measure.enclosed", map[string]any{"Area": AreaText(f.EnclosedArea())}),
			i18n.T("measure.perimeter", map[string]any{"Length": Length(f.Length())}))
	case f.mode == Distance && len(pts) >= 2:
		lines = append(lines, i18n.T("measure.total", map[string]any{"Length": Length(f.Length())}))
	case f.mode == Circle && len(pts) >= 2:
		lines = append(lines, i18n.T("measure.radius", map[string]any{"Length": Length(f.Length())}),
			i18n.T("measure.enclosed", map[string]any{"Area": AreaText(f.EnclosedArea())}))
	}
	if f.mode == Area && len(pts) >= 3 {
		pts = append(pts, pts[0]) // the closing side
	}
	segments := len(pts) - 1
	if first := segments - shownSegments; first > 0 {
		lines = append(lines, i18n.N("measure.more", first))
	}
	for i := max(0, segments-shownSegments); i < segments; i++ {
		metres, azimuth, _ := geodesic.Inverse(pts[i], pts[i+1])
		lines = append(lines, i18n.T("measure.segment", map[string]any{"N": i18n.Int(i + 1), "Length": Length(metres), "Azimuth": Azimuth(azimuth)}))
	}
	if f.active {
		switch {
		case f.mode == Circle:
			lines = append(lines, i18n.T("measure.hint.circle"))
		case len(f.points) == 0:
			lines = append(lines, i18n.T("measure.hint.start"))
		case f.mode == Area:
			lines = append(lines, i18n.T("measure.hint.area"))
		default:
			lines = append(lines, i18n.T("measure.hint.distance"))
		}
	}
	text := ""
	for i, l := range lines {
		if i > 0 {
			text += "\n"
		}
		text += l
	}
	return text
}

// update shows the measurement: the card and the overlay.
func (f *Feature) update() {
	if f.shell == nil {
		return
	}
	shown := f.active || f.finished
	if !shown {
		f.card.Hide()
		f.shell.Map().SetOverlay(overlayName, nil)
		return
	}
	switch f.mode {
	case Area:
		f.title.SetText(i18n.T("measure.title.area"))
	case Circle:
		f.title.SetText(i18n.T("measure.title.circle"))
	default:
		f.title.SetText(i18n.T("measure.title.distance"))
	}
	f.lines.SetText(f.Readout())
	f.card.Move(cardOffset)
	f.card.Resize(f.card.MinSize())
	f.card.Show()
	drawn, err := geodesic.Densify(orb.LineString(f.path(f.mode == Area)), drawnSegment)
	if err != nil {
		drawn = orb.LineString(f.path(f.mode == Area))
	}
	f.drawn = drawn.(orb.LineString)
	f.shell.Map().SetOverlay(overlayName, f)
}

// Draw draws the measurement onto a frame of the map: the area's wash,
// the line, the points and the result beside the last point.
func (f *Feature) Draw(dst *image.RGBA, vp viewport.Viewport) {
	s := sketch.New(dst, vp)
	if ring := f.circle(); ring != nil {
		s.Area(ring, sketch.Wash)
		s.Line(ring, true, 2.5, sketch.Ink, false)
	}
	if f.mode == Area && len(f.drawn) >= 4 {
		s.Area(f.drawn, sketch.Wash)
	}
	s.Line(f.drawn, false, 2.5, sketch.Ink, f.active)
	for _, p := range f.points {
		s.Dot(p, 8, sketch.Ink)
	}
	if pts := f.path(false); len(pts) >= f.minPoints() {
		s.Label(pts[len(pts)-1], f.result(), 10, -22)
	}
}

// tool places the points: a click adds one, a double click adds it and
// finishes, the pointer's position draws the next segment live.
type tool struct{ f *Feature }

func (t *tool) Tapped(vp viewport.Viewport, p orb.Point) { t.f.Add(vp.FromPixel(p)) }

func (t *tool) DoubleTapped(vp viewport.Viewport, p orb.Point) bool {
	t.f.Add(vp.FromPixel(p))
	t.f.Finish()
	return true
}

func (t *tool) Dragged(viewport.Viewport, orb.Point, orb.Point) bool { return false }
func (t *tool) DragEnd(viewport.Viewport, orb.Point)                 {}

func (t *tool) Hovered(vp viewport.Viewport, p orb.Point, inside bool) {
	if !t.f.active {
		return
	}
	if inside {
		q := vp.FromPixel(p)
		t.f.pointer = &q
	} else {
		t.f.pointer = nil
	}
	t.f.update()
}

// Cancelled is Escape, or another feature taking the map.
func (t *tool) Cancelled() { t.f.Cancel() }

// Finish is Enter.
func (t *tool) Finish() { t.f.Finish() }
