package identify

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"
)

// tipOffset is how far right of and below the pointer the tip sits, in
// logical pixels: clear of the arrow.
var tipOffset = fyne.NewPos(14, 16)

// tip is the name under the pointer, in a small box beside it, floating
// over the map. It takes no input, so clicks and drags go through to
// the map.
type tip struct {
	label *widget.Label
	box   *fyne.Container
	layer *fyne.Container // the map-sized layer the box moves on
}

func newTip() *tip {
	t := &tip{label: widget.NewLabel("")}
	t.label.SizeName = theme.SizeNameCaptionText
	t.label.TextStyle = fyne.TextStyle{Bold: true}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	bg.StrokeColor = theme.Color(theme.ColorNameShadow)
	bg.StrokeWidth = 1
	t.box = container.NewStack(bg, container.New(layout.NewCustomPaddedLayout(-4, -4, 0, 0), t.label))
	t.box.Hide()
	t.layer = container.NewWithoutLayout(t.box)
	return t
}

// show shows text beside the pointer at p, in logical pixels of the map,
// kept inside the map: left of the pointer near the right edge, above it
// near the bottom.
func (t *tip) show(text string, p orb.Point) {
	if t.label.Text != text {
		t.label.SetText(text)
	}
	size := t.box.MinSize()
	t.box.Resize(size)
	area := t.layer.Size()
	pos := fyne.NewPos(float32(p[0])+tipOffset.X, float32(p[1])+tipOffset.Y)
	if pos.X+size.Width > area.Width {
		pos.X = float32(p[0]) - tipOffset.X/2 - size.Width
	}
	if pos.Y+size.Height > area.Height {
		pos.Y = float32(p[1]) - tipOffset.Y/2 - size.Height
	}
	t.box.Move(pos)
	t.box.Show()
}

// hide hides the tip.
func (t *tip) hide() {
	if t.box.Visible() {
		t.box.Hide()
	}
}
