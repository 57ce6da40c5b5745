package layerpanel

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/style"
)

// Legend sample size in logical pixels, and the device scale it is drawn
// at: twice the logical size keeps it sharp on HiDPI screens, and the
// canvas scales it down smoothly on others.
const (
	swatchWidth  = 28
	swatchHeight = 16
	swatchScale  = 2
)

// layerRow is the controls of one layer: a header line (expand button,
// visibility check, title, move buttons) over the details (opacity,
// legend, note), which the expand button shows and hides.
type layerRow struct {
	check    *widget.Check
	title    *widget.Label
	expand   *widget.Button
	up, down *widget.Button
	opacity  *widget.Slider
	percent  *widget.Label
	details  *fyne.Container
	box      *fyne.Container
	expanded bool
}

func newLayerRow(p *Panel, l *style.Layer, expanded bool) *layerRow {
	id := l.ID
	r := &layerRow{expanded: expanded}

	r.check = widget.NewCheck("", nil)
	r.check.Checked = !l.Hidden
	r.check.OnChanged = func(on bool) {
		p.edit(id, func(l *style.Layer) { l.Hidden = !on })
	}

	r.title = widget.NewLabel(i18n.Style(l.Title))
	r.title.Wrapping = fyne.TextWrapWord

	r.expand = widget.NewButtonWithIcon("", nil, func() {
		r.setExpanded(!r.expanded)
		r.expand.Refresh()
		p.relayout()
	})
	r.expand.Importance = widget.LowImportance
	r.up = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { p.move(id, true) })
	r.up.Importance = widget.LowImportance
	r.down = widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { p.move(id, false) })
	r.down.Importance = widget.LowImportance

	r.percent = widget.NewLabel(percent(l.Opacity))
	r.percent.SizeName = theme.SizeNameCaptionText
	r.opacity = widget.NewSlider(0, 1)
	r.opacity.Step = 0.05
	r.opacity.Value = l.Opacity
	r.opacity.OnChanged = func(v float64) { r.percent.SetText(percent(v)) }
	r.opacity.OnChangeEnded = func(v float64) {
		p.edit(id, func(l *style.Layer) { l.Opacity = v })
	}
	caption := widget.NewLabel(i18n.T("layers.opacity"))
	caption.SizeName = theme.SizeNameCaptionText

	details := []fyne.CanvasObject{container.NewBorder(nil, nil, caption, r.percent, r.opacity)}
	details = append(details, legend(l, p.kind(l))...)
	for _, part := range p.style.Parts(l.ID) {
		details = append(details, legend(part, p.kind(part))...)
	}
	if l.Note != "" {
		details = append(details, note(i18n.Style(l.Note)))
	}
	r.details = container.NewVBox(details...)

	header := container.NewBorder(nil, nil,
		container.NewHBox(r.expand, r.check),
		container.NewHBox(r.up, r.down),
		r.title)
	indent := canvas.NewRectangle(color.Transparent)
	indent.SetMinSize(fyne.NewSize(theme.IconInlineSize()+theme.Padding(), 0))
	r.setExpanded(expanded)
	r.box = container.NewVBox(header, container.NewBorder(nil, nil, indent, nil, r.details))
	return r
}

// setExpanded shows or hides the details; the caller refreshes the row.
func (r *layerRow) setExpanded(on bool) {
	r.expanded = on
	r.details.Hidden = !on
	if on {
		r.expand.Icon = theme.MenuDropDownIcon()
	} else {
		r.expand.Icon = theme.MenuExpandIcon()
	}
}

// legend returns one line per rule that has a legend text: the rule's
// sample and its text.
func legend(l *style.Layer, kind layer.GeometryKind) []fyne.CanvasObject {
	var lines []fyne.CanvasObject
	for i := range l.Rules {
		if rule := &l.Rules[i]; rule.Legend != "" {
			lines = append(lines, legendLine(rule, kind))
		}
	}
	if c := l.Cluster; c != nil && c.Legend != "" {
		lines = append(lines, legendLine(&style.Rule{Legend: c.Legend, Symbol: &c.Symbol}, layer.KindPoint))
	}
	return lines
}

// legendLine returns a rule's legend line: its sample beside its text.
func legendLine(rule *style.Rule, kind layer.GeometryKind) fyne.CanvasObject {
	sample := canvas.NewImageFromImage(render.Swatch(rule, kind, swatchWidth, swatchHeight, swatchScale))
	sample.FillMode = canvas.ImageFillContain
	sample.SetMinSize(fyne.NewSize(swatchWidth, swatchHeight))
	text := widget.NewLabel(i18n.Style(rule.Legend))
	text.SizeName = theme.SizeNameCaptionText
	text.Wrapping = fyne.TextWrapWord
	return container.NewBorder(nil, nil, container.NewCenter(sample), nil, text)
}

// note returns a layer's caveat in small italic text.
func note(text string) fyne.CanvasObject {
	rt := widget.NewRichText(&widget.TextSegment{
		Text: text,
		Style: widget.RichTextStyle{
			ColorName: theme.ColorNamePlaceHolder,
			SizeName:  theme.SizeNameCaptionText,
			TextStyle: fyne.TextStyle{Italic: true},
			Inline:    true,
		},
	})
	rt.Wrapping = fyne.TextWrapWord
	return rt
}

// percent formats an opacity as a whole percentage.
func percent(opacity float64) string {
	return i18n.T("layers.percent", map[string]any{"Percent": int(math.Round(opacity * 100))})
}
