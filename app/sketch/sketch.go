// Package sketch draws what features put over the map while the user
// works (a line being measured, a box being drawn, a marker at a typed
// coordinate) onto a frame of the map view, with the map's own painter
// and label font, so that it looks like the map. A sketch draws a handful
// of shapes: well within what a mapview.Overlay may spend on a frame.
//
// Geometry is given in lon/lat and projected with the frame's viewport;
// widths and sizes are in logical pixels and drawn at the frame's device
// scale.
package sketch

import (
	"image"
	"image/color"

	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/geo/render/raster"
	"github.com/ecoatlas/ecoatlas/geo/render/text"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// Colours of the app's sketches: a warm orange that stands out on the
// relief, the lakes and the thematic layers alike, with dark halos.
var (
	Ink   = color.NRGBA{0xff, 0x6d, 0x00, 0xff}
	Halo  = color.NRGBA{0x1a, 0x1a, 0x1a, 0xb4}
	Wash  = color.NRGBA{0xff, 0x6d, 0x00, 0x38}
	White = color.NRGBA{0xff, 0xff, 0xff, 0xff}
)

// Sketch draws onto one frame.
type Sketch struct {
	canvas *raster.Canvas
	vp     viewport.Viewport
	path   raster.Path
}

// New returns a sketch drawing onto dst, the frame of view vp (device
// pixels, vp.Scale per logical pixel).
func New(dst *image.RGBA, vp viewport.Viewport) *Sketch {
	return &Sketch{canvas: raster.New(dst), vp: vp}
}

// device returns the device pixel of a lon/lat point.
func (s *Sketch) device(p orb.Point) raster.Point {
	q := s.vp.ToPixel(p)
	return raster.Point{X: q[0] * s.vp.Scale, Y: q[1] * s.vp.Scale}
}

// trace sets the path to the points, closed or not.
func (s *Sketch) trace(pts []orb.Point, closed bool) {
	s.path.Reset()
	for i, p := range pts {
		d := s.device(p)
		if i == 0 {
			s.path.MoveTo(d.X, d.Y)
		} else {
			s.path.LineTo(d.X, d.Y)
		}
	}
	if closed {
		s.path.Close()
	}
}

// Line draws a line through lon/lat points, width logical pixels wide in
// ink over a halo, dashed when dash is set; closed joins the last point
// to the first.
func (s *Sketch) Line(pts []orb.Point, closed bool, width float64, ink color.NRGBA, dash bool) {
	if len(pts) < 2 {
		return
	}
	s.trace(pts, closed)
	k := s.vp.Scale
	s.canvas.Stroke(&s.path, raster.Stroke{Color: Halo, Width: (width + 2.5) * k, Cap: raster.CapRound, Join: raster.JoinRound})
	line := raster.Stroke{Color: ink, Width: width * k, Cap: raster.CapRound, Join: raster.JoinRound}
	if dash {
		line.Dash = []float64{6 * k, 4 * k}
	}
	s.canvas.Stroke(&s.path, line)
}

// Area fills the ring through lon/lat points.
func (s *Sketch) Area(ring []orb.Point, fill color.NRGBA) {
	if len(ring) < 3 {
		return
	}
	s.trace(ring, true)
	s.canvas.Fill(&s.path, fill, raster.NonZero)
}

// Dot draws a disc of a diameter, in logical pixels, at a lon/lat point,
// filled and outlined in white.
func (s *Sketch) Dot(p orb.Point, size float64, fill color.NRGBA) {
	d := s.device(p)
	k := s.vp.Scale
	s.canvas.Symbol(d.X, d.Y, raster.Symbol{Shape: raster.Circle, Size: size * k, Fill: fill, Stroke: White, StrokeWidth: 1.5 * k})
}

// Pin draws a marker whose point is at a lon/lat point: a disc on a short
// stem above it.
func (s *Sketch) Pin(p orb.Point) {
	d := s.device(p)
	k := s.vp.Scale
	s.path.Reset()
	s.path.MoveTo(d.X, d.Y)
	s.path.LineTo(d.X, d.Y-14*k)
	s.canvas.Stroke(&s.path, raster.Stroke{Color: Halo, Width: 4 * k, Cap: raster.CapRound})
	s.canvas.Stroke(&s.path, raster.Stroke{Color: White, Width: 2 * k, Cap: raster.CapRound})
	s.canvas.Symbol(d.X, d.Y-16*k, raster.Symbol{Shape: raster.Circle, Size: 13 * k, Fill: Ink, Stroke: White, StrokeWidth: 2 * k})
	s.canvas.Symbol(d.X, d.Y, raster.Symbol{Shape: raster.Circle, Size: 4 * k, Fill: Halo})
}

// labelStyle is the look of a sketch's labels: the map's label font, dark
// on a white halo.
var labelStyle = text.Style{Size: 13, Color: color.NRGBA{0x1a, 0x1a, 0x1a, 0xff}, Halo: color.NRGBA{0xff, 0xff, 0xff, 0xe6}, HaloWidth: 2.5, Weight: text.Bold}

// Label writes text beside a lon/lat point, its top-left corner offset by
// (dx, dy) logical pixels from the point.
func (s *Sketch) Label(p orb.Point, label string, dx, dy float64) {
	if label == "" {
		return
	}
	d := s.device(p)
	k := s.vp.Scale
	b := text.Render(label, labelStyle, k)
	s.canvas.DrawBitmap(b, image.Point{X: int(d.X + dx*k), Y: int(d.Y + dy*k)})
}
