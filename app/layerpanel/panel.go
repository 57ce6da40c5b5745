// Package layerpanel is the layer list of the desktop app: the layers of a
// style grouped as the style groups them (Declaration, Basemap, Added),
// each with a visibility check, its title, buttons to move it up or down,
// an opacity slider and a collapsible legend drawn with the map's own
// painting code ([render.Swatch]).
//
// A layer that is part of another (style.Layer.PartOf) has no row of its
// own: the other's row switches and fades both, and lists the part's legend
// lines after its own.
//
// The panel never changes the style it was given: every change makes a
// [style.Style.Clone], edits it and hands it to [Panel.OnChanged], which
// the shell passes on to the map. Within a group the list shows the layer
// drawn on top first, as GIS layer lists do; moving a layer up or down
// swaps it with the next layer of its group in drawing order, so the
// layers of other groups keep their places.
package layerpanel

import (
	"image/color"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/style"
)

// Layer groups of the default style, in the order the panel lists them;
// layers of any other group follow, group by group.
const (
	GroupDeclaration = "Declaration"
	GroupBasemap     = "Basemap"
	GroupAdded       = "Added"
)

// groupTitles maps the known groups to their catalogue keys.
var groupTitles = map[string]string{
	GroupDeclaration: "layers.group.declaration",
	GroupBasemap:     "layers.group.basemap",
	GroupAdded:       "layers.group.added",
}

// Panel is the layer list widget. Create it with [New].
type Panel struct {
	widget.BaseWidget

	// OnChanged, if set, is called with the new style after every change
	// the user makes: a copy of the previous style with one layer's
	// visibility, opacity or place changed.
	OnChanged func(*style.Style)

	atlas  *atlas.Atlas
	style  *style.Style
	rows   map[string]*layerRow // by layer id
	counts map[string]Counts    // by layer id
	list   *fyne.Container
	scroll *container.Scroll
}

// New returns a panel listing the layers of st, a style of at. Layers of
// the Declaration group start with their legend open.
func New(at *atlas.Atlas, st *style.Style) *Panel {
	p := &Panel{atlas: at, list: container.NewVBox()}
	p.scroll = container.NewVScroll(p.list)
	p.ExtendBaseWidget(p)
	p.setStyle(st)
	return p
}

// MinWidth is the narrowest the panel gets, in logical pixels: room for a
// row's buttons and a title of a dozen letters a line, long titles
// wrapping onto more lines. A narrow window shrinks the map instead.
const MinWidth = 250

// CreateRenderer is a private method to Fyne which links this widget to
// its renderer.
func (p *Panel) CreateRenderer() fyne.WidgetRenderer {
	title := widget.NewLabelWithStyle(i18n.T("layers.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	width := canvas.NewRectangle(color.Transparent)
	width.SetMinSize(fyne.NewSize(MinWidth, 0))
	return widget.NewSimpleRenderer(container.NewStack(width, container.NewBorder(title, nil, nil, nil, p.scroll)))
}

// Style returns the style as the panel last changed it.
func (p *Panel) Style() *style.Style { return p.style }

// SetStyle lists the layers of st, for instance after a layer was added,
// keeping the legends that were open. It does not call OnChanged.
func (p *Panel) SetStyle(st *style.Style) {
	p.setStyle(st)
	p.relayout()
}

// setStyle is SetStyle without laying the list out again.
func (p *Panel) setStyle(st *style.Style) {
	old := p.rows
	p.style = st
	p.rows = make(map[string]*layerRow, len(st.Layers))
	for i := range st.Layers {
		l := &st.Layers[i]
		if l.PartOf != "" {
			continue
		}
		expanded := l.Group == GroupDeclaration
		if r, ok := old[l.ID]; ok {
			expanded = r.expanded
		}
		p.rows[l.ID] = newLayerRow(p, l, expanded)
	}
	p.arrange()
}

// Counts are the numbers beside a layer's legend lines: how many
// features the map draws in the view under each of the layer's rules (by
// rule index), and how many cluster symbols.
type Counts struct {
	Rules    []int
	Clusters int
}

// SetCounts shows, beside the legend lines of each layer in counts (by
// layer id), how many features each line stands for in the view; the
// lines of layers not in counts (hidden, or not drawn at the view's
// zoom) show none. A rule without a legend line is counted on the next
// line of its layer, else on the last (see legendRules), so the numbers
// of a layer's lines add up to the features it draws, and the cluster
// line counts the cluster symbols.
func (p *Panel) SetCounts(counts map[string]Counts) {
	p.counts = counts
	for _, r := range p.rows {
		for _, c := range r.counts {
			c.show(counts)
		}
	}
}

// kind returns the geometry kind of a layer's source, which decides how
// its legend samples look.
func (p *Panel) kind(l *style.Layer) layer.GeometryKind {
	if src := p.atlas.Sources[l.Source]; src != nil && src.Vector != nil {
		return src.Vector.Kind()
	}
	return layer.KindUnknown
}

// arrange puts the rows in order, by group, top-drawn layer first, and
// enables the move buttons that can move; the caller lays the list out.
func (p *Panel) arrange() {
	var objects []fyne.CanvasObject
	for _, group := range p.groups() {
		objects = append(objects, groupHeader(group))
		for i := len(p.style.Layers) - 1; i >= 0; i-- {
			l := &p.style.Layers[i]
			if l.Group != group || l.PartOf != "" {
				continue
			}
			r := p.rows[l.ID]
			setEnabled(r.up, p.neighbour(i, true) >= 0)
			setEnabled(r.down, p.neighbour(i, false) >= 0)
			objects = append(objects, r.box)
		}
	}
	p.list.Objects = objects
}

// relayout lays the list out again after rows changed height or order.
func (p *Panel) relayout() { p.scroll.Refresh() }

// groups returns the groups of the style's layers in panel order.
func (p *Panel) groups() []string {
	groups := []string{GroupDeclaration, GroupBasemap, GroupAdded}
	for _, l := range p.style.Layers {
		if !slices.Contains(groups, l.Group) {
			groups = append(groups, l.Group)
		}
	}
	return slices.DeleteFunc(groups, func(g string) bool {
		return !slices.ContainsFunc(p.style.Layers, func(l style.Layer) bool { return l.Group == g })
	})
}

// groupHeader returns the caption over a group's layers.
func groupHeader(group string) fyne.CanvasObject {
	text := group
	if key, ok := groupTitles[group]; ok {
		text = i18n.T(key)
	}
	label := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	label.Importance = widget.MediumImportance
	return container.NewVBox(widget.NewSeparator(), label)
}

// neighbour returns the index of the layer of the same group, with a row
// of its own, drawn next above (up) or below the layer at index i, or −1
// if there is none.
func (p *Panel) neighbour(i int, up bool) int {
	group := p.style.Layers[i].Group
	step := -1
	if up {
		step = 1
	}
	for j := i + step; j >= 0 && j < len(p.style.Layers); j += step {
		if l := &p.style.Layers[j]; l.Group == group && l.PartOf == "" {
			return j
		}
	}
	return -1
}

// index returns the drawing-order index of the layer with an id, or −1.
func (p *Panel) index(id string) int {
	return slices.IndexFunc(p.style.Layers, func(l style.Layer) bool { return l.ID == id })
}

// edit applies a change to a copy of the style's layer id and its parts,
// and reports the new style.
func (p *Panel) edit(id string, change func(l *style.Layer)) {
	st := p.style.Clone()
	l, ok := st.Layer(id)
	if !ok {
		return
	}
	change(l)
	for _, part := range st.Parts(id) {
		change(part)
	}
	p.commit(st)
}

// move swaps the layer id with its group neighbour above (up) or below.
func (p *Panel) move(id string, up bool) {
	i := p.index(id)
	if i < 0 {
		return
	}
	j := p.neighbour(i, up)
	if j < 0 {
		return
	}
	st := p.style.Clone()
	st.Layers[i], st.Layers[j] = st.Layers[j], st.Layers[i]
	p.commit(st)
	p.arrange()
	p.relayout()
}

// commit makes st the panel's style and reports it.
func (p *Panel) commit(st *style.Style) {
	p.style = st
	if p.OnChanged != nil {
		p.OnChanged(st)
	}
}

// setEnabled enables or disables w, refreshing it only if that changes
// anything.
func setEnabled(w fyne.Disableable, enabled bool) {
	switch {
	case enabled && w.Disabled():
		w.Enable()
	case !enabled && !w.Disabled():
		w.Disable()
	}
}
