package identify

import (
	"image/color"
	"net/url"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/geo/query"
)

// panel is the identify panel's content: the pick list of the last click,
// then the selected feature in words, then the other features' sections.
type panel struct {
	f       *Feature
	body    *fyne.Container
	content fyne.CanvasObject
}

func newPanel(f *Feature) *panel {
	p := &panel{f: f, body: container.NewVBox()}
	p.content = container.NewVScroll(container.NewPadded(p.body))
	return p
}

// show builds the panel afresh from the feature's state.
func (p *panel) show() {
	f := p.f
	var objects []fyne.CanvasObject
	if pick := p.pickList(); pick != nil {
		objects = append(objects, pick, widget.NewSeparator())
	}
	switch {
	case !f.hasSelected && len(f.hits) > 0:
		objects = append(objects, wrapped(i18n.T("identify.choose")))
	case !f.hasSelected:
		objects = append(objects, wrapped(i18n.T("identify.hint")))
	case f.failure != nil:
		l := wrapped(f.failure.Error())
		l.Importance = widget.DangerImportance
		objects = append(objects, l)
	case f.description == nil:
		bar := widget.NewProgressBarInfinite()
		objects = append(objects, wrapped(i18n.T("identify.reading")), bar)
	default:
		objects = append(objects, p.described(f.description)...)
	}
	p.body.Objects = objects
	p.body.Refresh()
}

// pickList returns the list of what the last click hit, when that is
// more than one feature: each feature by name and layer, each cluster by
// its count with its members under it; the selected one marked. It
// returns nil when there is nothing to choose from.
func (p *panel) pickList() fyne.CanvasObject {
	f := p.f
	if len(f.hits) == 0 || (len(f.hits) == 1 && f.hits[0].Feature != nil) {
		return nil
	}
	lang := f.shell.LabelLanguage()
	rows := []fyne.CanvasObject{Heading(i18n.N("identify.here", len(f.hits)))}
	for _, h := range f.hits {
		if h.Feature != nil {
			rows = append(rows, p.pickEntry(h.Ref, f.engine.Title(h, lang), 0))
			continue
		}
		rows = append(rows, caption(f.engine.Title(h, lang)))
		for _, m := range h.Members {
			if feat, ok := f.engine.Lookup(m); ok {
				rows = append(rows, p.pickEntry(m, f.engine.Name(feat, lang), 1))
			}
		}
	}
	return container.NewVBox(rows...)
}

// pickEntry returns the pick list's line of a feature, indented by
// depth levels.
func (p *panel) pickEntry(ref query.Ref, name string, depth int) fyne.CanvasObject {
	f := p.f
	text := name
	if l, ok := f.shell.Style().Layer(ref.Layer); ok && l.Title != "" {
		text = i18n.T("identify.entry", map[string]any{"Name": name, "Layer": i18n.Style(l.Title)})
	}
	e := NewLine(text, "", func() { f.selectRef(ref) })
	e.SetSelected(f.hasSelected && f.selected == ref)
	if depth == 0 {
		return e
	}
	indent := canvas.NewRectangle(color.Transparent)
	indent.SetMinSize(fyne.NewSize(float32(depth)*theme.IconInlineSize(), 0))
	return container.NewBorder(nil, nil, indent, nil, e)
}

// described returns the lines of a description: its name and layer, the
// approximate flag, the actions, the facts (coordinates, area, basin,
// country) and other names, the sections, then the attributes.
func (p *panel) described(d *query.Description) []fyne.CanvasObject {
	f := p.f
	title := widget.NewLabelWithStyle(d.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	title.Wrapping = fyne.TextWrapWord
	title.Selectable = true
	objects := []fyne.CanvasObject{title, caption(i18n.Style(d.Layer))}
	if d.Approximate {
		objects = append(objects, warning(i18n.T("identify.approximate")))
	}
	zoom := widget.NewButtonWithIcon(i18n.T("identify.zoomto"), theme.ZoomFitIcon(), func() {
		f.shell.Map().FlyTo(Around(d.Bound.Bound()))
	})
	clear := widget.NewButtonWithIcon(i18n.T("identify.clear"), theme.CancelIcon(), f.Clear)
	clear.Importance = widget.LowImportance
	objects = append(objects, container.NewHBox(zoom, clear))
	for _, r := range d.Facts {
		objects = append(objects, p.row(r))
	}
	if len(d.Names) > 1 {
		names := make([]string, len(d.Names))
		for i, n := range d.Names {
			names[i] = n.Text
		}
		objects = append(objects, field(i18n.T("identify.names"), value(strings.Join(names, " · "))))
	}
	feat, _ := f.engine.Lookup(d.Ref)
	subject := Subject{Ref: d.Ref, Feature: feat, Description: d, Language: i18n.Current()}
	for _, s := range f.sections {
		if o := s.Build(subject); o != nil {
			objects = append(objects, widget.NewSeparator(), o)
		}
	}
	if len(d.Attributes) > 0 && len(objects) > 0 {
		objects = append(objects, widget.NewSeparator())
	}
	for _, r := range d.Attributes {
		objects = append(objects, p.row(r))
	}
	return objects
}

// row returns one line of a description: its label over its value, in
// the form that suits it.
func (p *panel) row(r query.Row) fyne.CanvasObject {
	var v fyne.CanvasObject
	switch {
	case r.Key == "coordinates":
		v = p.coordinates(r)
	case len(r.Refs) > 0:
		v = p.links(r)
	case len(r.URLs) > 0:
		v = p.source(r)
	default:
		v = value(r.Value)
	}
	if r.Approximate {
		v = container.NewVBox(v, warning(i18n.T("identify.approximate.value")))
	}
	return field(r.Label, v)
}

// coordinates returns the coordinates with a button that copies them as
// "lat, lon" in decimal degrees, which other tools read.
func (p *panel) coordinates(r query.Row) fyne.CanvasObject {
	lonlat, ok := r.Raw.([]float64)
	if !ok || len(lonlat) != 2 {
		return value(r.Value)
	}
	plain := strconv.FormatFloat(lonlat[1], 'f', -1, 64) + ", " + strconv.FormatFloat(lonlat[0], 'f', -1, 64)
	return container.NewBorder(nil, nil, nil, p.copyButton(plain), value(r.Value))
}

// links returns the features a value names (a basin, the countries), each
// a link that selects it.
func (p *panel) links(r query.Row) fyne.CanvasObject {
	f := p.f
	lang := i18n.Current()
	box := container.NewVBox()
	for _, ref := range r.Refs {
		feat, ok := f.engine.Lookup(ref)
		if !ok {
			continue
		}
		link := widget.NewHyperlink(f.engine.Name(feat, lang), nil)
		link.Wrapping = fyne.TextWrapWord
		link.OnTapped = func() { f.Select(ref) }
		box.Add(link)
	}
	if len(box.Objects) == 0 {
		return value(r.Value)
	}
	return box
}

// source returns a value holding web addresses (a source): the text,
// selectable and with a copy button, then each address as a link.
func (p *panel) source(r query.Row) fyne.CanvasObject {
	box := container.NewVBox(container.NewBorder(nil, nil, nil, p.copyButton(r.Value), value(r.Value)))
	for _, u := range r.URLs {
		parsed, err := url.Parse(u)
		if err != nil {
			continue
		}
		link := widget.NewHyperlink(u, parsed)
		link.Wrapping = fyne.TextWrapBreak
		box.Add(link)
	}
	return box
}

// copyButton returns a button that copies text to the clipboard and says
// so in the status bar.
func (p *panel) copyButton(text string) *widget.Button {
	b := widget.NewButtonWithIcon("", theme.ContentCopyIcon(), func() {
		fyne.CurrentApp().Clipboard().SetContent(text)
		p.f.shell.Notify(i18n.T("identify.copied"))
	})
	b.Importance = widget.LowImportance
	return b
}

// Heading returns a section's title, styled as the identify panel's own
// headings.
func Heading(text string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Wrapping = fyne.TextWrapWord
	return l
}

// field returns a label in small bold text over its value.
func field(label string, v fyne.CanvasObject) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameCaptionText
	l.Wrapping = fyne.TextWrapWord
	return container.NewVBox(l, v)
}

// caption returns small italic text.
func caption(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.SizeName = theme.SizeNameCaptionText
	l.TextStyle = fyne.TextStyle{Italic: true}
	l.Wrapping = fyne.TextWrapWord
	return l
}

// value returns a value's text, selectable so that it can be copied.
func value(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Selectable = true
	return l
}

// wrapped returns a wrapping label.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// warning returns text flagged with a warning icon.
func warning(text string) fyne.CanvasObject {
	l := wrapped(text)
	l.Importance = widget.WarningImportance
	l.TextStyle = fyne.TextStyle{Bold: true}
	icon := widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon()))
	return container.NewBorder(nil, nil, container.NewCenter(icon), nil, l)
}

// Line is a line of a list to choose from (the pick list, search
// results): a text, with an optional detail in small letters at its end,
// that does something when clicked; its background marks the line
// chosen. It takes no keyboard focus, so an entry typed in keeps it.
type Line struct {
	widget.BaseWidget
	label, detail *widget.Label
	selected      bool
	hovered       bool
	onTapped      func()
}

// NewLine returns a line of text and detail that calls onTapped when
// clicked.
func NewLine(text, detail string, onTapped func()) *Line {
	l := &Line{label: widget.NewLabel(text), detail: widget.NewLabel(detail), onTapped: onTapped}
	l.label.Truncation = fyne.TextTruncateEllipsis
	l.detail.SizeName = theme.SizeNameCaptionText
	l.detail.TextStyle = fyne.TextStyle{Italic: true}
	l.ExtendBaseWidget(l)
	return l
}

// Text returns the line's text.
func (l *Line) Text() string { return l.label.Text }

// SetSelected marks the line as chosen, or not.
func (l *Line) SetSelected(on bool) {
	if l.selected == on {
		return
	}
	l.selected = on
	l.label.TextStyle = fyne.TextStyle{Bold: on}
	l.Refresh()
}

// Declare conformity with the interfaces of the input a line handles.
var (
	_ fyne.Tappable      = (*Line)(nil)
	_ desktop.Hoverable  = (*Line)(nil)
	_ desktop.Cursorable = (*Line)(nil)
)

// CreateRenderer is a private method to Fyne which links this widget to
// its renderer.
func (l *Line) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(color.Transparent)
	bg.CornerRadius = theme.SelectionRadiusSize()
	r := &lineRenderer{l: l, bg: bg}
	r.Refresh()
	return r
}

// Tapped calls the line's action.
func (l *Line) Tapped(*fyne.PointEvent) { l.onTapped() }

// MouseIn shows that the line can be clicked.
func (l *Line) MouseIn(*desktop.MouseEvent) { l.hovered = true; l.Refresh() }

// MouseMoved does nothing.
func (l *Line) MouseMoved(*desktop.MouseEvent) {}

// MouseOut ends MouseIn's mark.
func (l *Line) MouseOut() { l.hovered = false; l.Refresh() }

// Cursor is the pointing hand.
func (l *Line) Cursor() desktop.Cursor { return desktop.PointerCursor }

type lineRenderer struct {
	l  *Line
	bg *canvas.Rectangle
}

func (r *lineRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	d := r.l.detail.MinSize()
	if r.l.detail.Text == "" {
		d.Width = 0
	}
	r.l.label.Resize(fyne.NewSize(size.Width-d.Width, size.Height))
	r.l.detail.Move(fyne.NewPos(size.Width-d.Width, (size.Height-d.Height)/2))
	r.l.detail.Resize(d)
}

func (r *lineRenderer) MinSize() fyne.Size {
	m := r.l.label.MinSize()
	if r.l.detail.Text != "" {
		d := r.l.detail.MinSize()
		m = fyne.NewSize(m.Width+d.Width, max(m.Height, d.Height))
	}
	return m
}

func (r *lineRenderer) Refresh() {
	switch {
	case r.l.selected:
		r.bg.FillColor = theme.Color(theme.ColorNameSelection)
	case r.l.hovered:
		r.bg.FillColor = theme.Color(theme.ColorNameHover)
	default:
		r.bg.FillColor = color.Transparent
	}
	r.bg.Refresh()
	r.l.label.Refresh()
	r.l.detail.Refresh()
}

func (r *lineRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.l.label, r.l.detail}
}

func (r *lineRenderer) Destroy() {}
