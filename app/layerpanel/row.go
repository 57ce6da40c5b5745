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
	counts   []*lineCount // the counts of its legend lines, its parts' included
}

// lineCount is the number beside a legend line: the features a layer
// draws under some of its rules, or its cluster symbols.
type lineCount struct {
	layer   string
	rules   []int // the indices of the rules the line counts
	cluster bool  // the line counts the cluster symbols instead
	label   *widget.Label
}

// show writes the line's number from a layer's counts, or nothing.
func (c *lineCount) show(counts map[string]Counts) {
	text := ""
	if n, ok := counts[c.layer]; ok {
		sum := 0
		if c.cluster {
			sum = n.Clusters
		}
		for _, i := range c.rules {
			if i < len(n.Rules) {
				sum += n.Rules[i]
			}
		}
		text = i18n.Int(sum)
	}
	if c.label.Text != text {
		c.label.SetText(text)
	}
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
	for _, ll := range append([]*style.Layer{l}, p.style.Parts(l.ID)...) {
		lines, counts := legend(ll, p.kind(ll))
		details = append(details, lines...)
		r.counts = append(r.counts, counts...)
	}
	for _, c := range r.counts {
		c.show(p.counts)
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

// legend returns one line per rule that has a legend text (the rule's
// sample, its text and its count) and the lines' counts.
func legend(l *style.Layer, kind layer.GeometryKind) ([]fyne.CanvasObject, []*lineCount) {
	var lines []fyne.CanvasObject
	var counts []*lineCount
	for i, rules := range legendRules(l) {
		if rules == nil {
			continue
		}
		c := &lineCount{layer: l.ID, rules: rules, label: countLabel()}
		lines = append(lines, legendLine(&l.Rules[i], kind, c.label))
		counts = append(counts, c)
	}
	if cl := l.Cluster; cl != nil && cl.Legend != "" {
		c := &lineCount{layer: l.ID, cluster: true, label: countLabel()}
		lines = append(lines, legendLine(&style.Rule{Legend: cl.Legend, Symbol: &cl.Symbol}, layer.KindPoint, c.label))
		counts = append(counts, c)
	}
	return lines, counts
}

// legendRules returns, by the index of each rule with a legend line, the
// rules that line counts: its own, and those of the rules without a line
// that precede it (the style writes a variant of a line, such as the same
// symbol with a ring, just before it); rules without a line after the
// last line count on the last. Rules without a line of their own are nil.
func legendRules(l *style.Layer) [][]int {
	out := make([][]int, len(l.Rules))
	var waiting []int
	last := -1
	for i := range l.Rules {
		if l.Rules[i].Legend == "" {
			waiting = append(waiting, i)
			continue
		}
		out[i] = append(waiting, i)
		waiting, last = nil, i
	}
	if last >= 0 {
		out[last] = append(out[last], waiting...)
	}
	return out
}

// countLabel returns the label of a legend line's count, empty until
// counts come.
func countLabel() *widget.Label {
	l := widget.NewLabel("")
	l.SizeName = theme.SizeNameCaptionText
	l.Alignment = fyne.TextAlignTrailing
	return l
}

// legendLine returns a rule's legend line: its sample beside its text,
// and its count at the end.
func legendLine(rule *style.Rule, kind layer.GeometryKind, count *widget.Label) fyne.CanvasObject {
	sample := canvas.NewImageFromImage(render.Swatch(rule, kind, swatchWidth, swatchHeight, swatchScale))
	sample.FillMode = canvas.ImageFillContain
	sample.SetMinSize(fyne.NewSize(swatchWidth, swatchHeight))
	text := widget.NewLabel(i18n.Style(rule.Legend))
	text.SizeName = theme.SizeNameCaptionText
	text.Wrapping = fyne.TextWrapWord
	return container.NewBorder(nil, nil, container.NewCenter(sample), count, text)
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
