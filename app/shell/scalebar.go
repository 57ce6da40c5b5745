package shell

import (
	"math"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// scaleBarMaxWidth is the longest the scale bar gets, in logical pixels;
// it shows the longest round distance that fits.
const scaleBarMaxWidth = 100

// scaleBar shows a round ground distance as a bar and its length, true at
// the centre latitude of the view (Web Mercator stretches distances away
// from the equator, so the bar is only right along that parallel).
type scaleBar struct {
	widget.BaseWidget

	length float32 // bar length, logical pixels
	text   string
}

func newScaleBar() *scaleBar {
	s := &scaleBar{}
	s.ExtendBaseWidget(s)
	return s
}

// setViewport updates the bar for a view.
func (s *scaleBar) setViewport(vp viewport.Viewport) {
	mpp := vp.MetersPerPixel()
	meters := roundDistance(mpp * scaleBarMaxWidth)
	if meters <= 0 {
		s.length, s.text = 0, ""
	} else {
		s.length, s.text = float32(meters/mpp), distanceLabel(meters)
	}
	s.Refresh()
}

// roundDistance returns the longest distance of the form {1, 2, 5}×10ⁿ
// metres that is not longer than max metres, or 0 if max is not a
// positive finite number.
func roundDistance(max float64) float64 {
	if !(max > 0) || math.IsInf(max, 1) {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(max)))
	if 10*p <= max { // Log10 of an exact power of ten may round down
		p *= 10
	}
	for _, m := range [...]float64{5, 2, 1} {
		if m*p <= max {
			return m * p
		}
	}
	return p
}

// distanceLabel formats a round distance in kilometres from 1 km up and in
// metres below.
func distanceLabel(meters float64) string {
	if meters >= 1000 {
		return i18n.T("scale.km", map[string]any{"N": strconv.FormatFloat(meters/1000, 'f', -1, 64)})
	}
	return i18n.T("scale.m", map[string]any{"N": strconv.FormatFloat(meters, 'f', -1, 64)})
}

// CreateRenderer is a private method to Fyne which links this widget to
// its renderer.
func (s *scaleBar) CreateRenderer() fyne.WidgetRenderer {
	r := &scaleBarRenderer{
		line:   canvas.NewRectangle(nil),
		left:   canvas.NewRectangle(nil),
		right:  canvas.NewRectangle(nil),
		text:   canvas.NewText("", nil),
		widget: s,
	}
	r.text.TextSize = theme.CaptionTextSize()
	r.Refresh()
	return r
}

// scaleBarRenderer draws the bar as ├────┤ with the distance after it.
type scaleBarRenderer struct {
	widget            *scaleBar
	line, left, right *canvas.Rectangle
	text              *canvas.Text
}

const (
	scaleBarStroke = 2 // line width, logical pixels
	scaleBarTick   = 8 // end tick height, logical pixels
)

func (r *scaleBarRenderer) Layout(size fyne.Size) {
	length := r.widget.length
	y := size.Height/2 + scaleBarTick/2
	r.line.Move(fyne.NewPos(0, y-scaleBarStroke))
	r.line.Resize(fyne.NewSize(length, scaleBarStroke))
	r.left.Move(fyne.NewPos(0, y-scaleBarTick))
	r.left.Resize(fyne.NewSize(scaleBarStroke, scaleBarTick))
	r.right.Move(fyne.NewPos(length-scaleBarStroke, y-scaleBarTick))
	r.right.Resize(fyne.NewSize(scaleBarStroke, scaleBarTick))
	ts := r.text.MinSize()
	r.text.Move(fyne.NewPos(length+theme.Padding(), (size.Height-ts.Height)/2))
	r.text.Resize(ts)
}

func (r *scaleBarRenderer) MinSize() fyne.Size {
	ts := fyne.MeasureText("0000 km", r.text.TextSize, r.text.TextStyle)
	return fyne.NewSize(scaleBarMaxWidth+theme.Padding()+ts.Width, max(ts.Height, scaleBarTick))
}

func (r *scaleBarRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.line, r.left, r.right, r.text}
}

func (r *scaleBarRenderer) Refresh() {
	fg := theme.Color(theme.ColorNameForeground)
	for _, o := range []*canvas.Rectangle{r.line, r.left, r.right} {
		o.FillColor = fg
		o.Hidden = r.widget.length <= 0
		o.Refresh()
	}
	r.text.Color = fg
	r.text.Text = r.widget.text
	r.text.Refresh()
	r.Layout(r.widget.Size())
}

func (r *scaleBarRenderer) Destroy() {}
