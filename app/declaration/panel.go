package declaration

import (
	"image/color"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/seeds"
)

// panelUI is the declaration panel of one install: the search field, the
// switch of all badges, the list of clauses (or of search hits) and the
// card.
type panelUI struct {
	f       *Feature
	content fyne.CanvasObject
	search  *widget.Entry
	badges  *widget.Check
	count   *widget.Label
	list    *fyne.Container
	rows    []*row
	card    *fyne.Container
	cardBox *container.Scroll
}

// newPanel builds the declaration panel from the feature's state.
func (f *Feature) newPanel() *panelUI {
	u := &panelUI{f: f}
	u.search = widget.NewEntry()
	u.search.SetPlaceHolder(i18n.T("declaration.search.placeholder"))
	u.search.SetText(f.query)
	u.search.OnChanged = func(q string) {
		f.query = q
		u.fill()
	}
	u.badges = widget.NewCheck(i18n.T("declaration.badges.all"), func(on bool) {
		if on != f.allBadges {
			f.setAllBadges(on)
		}
	})
	u.badges.Checked = f.allBadges
	tour := widget.NewButtonWithIcon(i18n.T("declaration.tour.start"), theme.MediaPlayIcon(), f.startTour)
	belts := widget.NewButtonWithIcon(i18n.T("declaration.belts.open"), theme.StorageIcon(), func() { f.shell.ShowPanel(BeltsPanelID) })
	u.count = widget.NewLabel("")
	u.count.SizeName = theme.SizeNameCaptionText
	top := container.NewVBox(u.search, u.badges, container.NewGridWithColumns(2, tour, belts), u.count)

	u.list = container.NewVBox()
	u.card = container.NewVBox()
	u.cardBox = container.NewVScroll(container.NewPadded(u.card))
	split := container.NewVSplit(container.NewVScroll(u.list), u.cardBox)
	split.Offset = 0.45
	u.content = container.NewBorder(top, nil, nil, nil, split)
	u.fill()
	u.showCard()
	return u
}

// hits returns what the list shows: every clause for an empty query, else
// the clauses and recitals that match it.
func (f *Feature) hits() []seeds.Hit {
	if strings.TrimSpace(f.query) == "" {
		out := make([]seeds.Hit, len(f.decl.Clauses))
		for i, c := range f.decl.Clauses {
			out[i] = seeds.Hit{Part: seeds.PartClause, Number: c.Number, Text: c.Text}
		}
		return out
	}
	return f.index.Search(f.query)
}

// fill lists the hits of the current query.
func (u *panelUI) fill() {
	f := u.f
	hits := f.hits()
	clauses, recitals := 0, 0
	u.rows = u.rows[:0]
	objects := make([]fyne.CanvasObject, 0, len(hits))
	for _, h := range hits {
		var r *row
		if h.Part == seeds.PartClause {
			clauses++
			r = newRow(u.clauseRow(h), cardRef{seeds.PartClause, h.Number}, func() { f.SelectClause(h.Number) })
		} else {
			recitals++
			r = newRow(u.recitalRow(h), cardRef{seeds.PartRecital, h.Number}, func() { f.showRecital(h.Number) })
		}
		u.rows = append(u.rows, r)
		objects = append(objects, r)
	}
	switch {
	case strings.TrimSpace(f.query) == "":
		u.count.SetText(i18n.N("declaration.count.clauses", clauses))
	case len(hits) == 0:
		u.count.SetText(i18n.T("declaration.search.none"))
	default:
		u.count.SetText(i18n.T("declaration.search.found", map[string]any{
			"Clauses": i18n.N("declaration.count.clauses", clauses), "Recitals": i18n.N("declaration.count.recitals", recitals),
		}))
	}
	u.list.Objects = objects
	u.list.Refresh()
	u.markSelected()
}

// clauseRow returns a clause's line: its number, title and themes, and
// the other texts of the clause the query matched (a place's name).
func (u *panelUI) clauseRow(h seeds.Hit) fyne.CanvasObject {
	c, _ := u.f.links.Clause(h.Number)
	number := widget.NewLabelWithStyle("§"+strconv.Itoa(h.Number), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	title := widget.NewLabel(i18n.T(c.TitleKey()))
	title.Wrapping = fyne.TextWrapWord
	lines := []fyne.CanvasObject{title, chips(c.Themes)}
	if len(h.Also) > 0 {
		also := h.Also
		if len(also) > maxAlso {
			also = append(slices.Clone(also[:maxAlso]), i18n.N("declaration.card.more", len(h.Also)-maxAlso))
		}
		lines = append(lines, caption(i18n.T("declaration.search.also", map[string]any{"Texts": strings.Join(also, " · ")})))
	}
	if len(h.Spans) > 0 {
		lines = append(lines, caption(snippet(h)))
	}
	return container.NewBorder(nil, nil, number, nil, container.NewVBox(lines...))
}

// maxAlso is how many of a clause's other texts that match a search
// (place names, titles) its line lists.
const maxAlso = 3

// recitalRow returns a recital's line: its number and the words around
// the first match.
func (u *panelUI) recitalRow(h seeds.Hit) fyne.CanvasObject {
	number := widget.NewLabelWithStyle(i18n.T("declaration.recital", map[string]any{"N": h.Number}), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	return container.NewVBox(number, caption(snippet(h)))
}

// snippetRunes is how many letters around the first match a hit's
// snippet shows.
const snippetRunes = 60

// snippet returns the text around a hit's first match, cut at word
// boundaries, with ellipses where it is cut.
func snippet(h seeds.Hit) string {
	if len(h.Spans) == 0 {
		return ""
	}
	start, end := h.Spans[0].Start, h.Spans[0].End
	for n := 0; start > 0 && n < snippetRunes; n++ {
		_, size := utf8.DecodeLastRuneInString(h.Text[:start])
		start -= size
	}
	for n := 0; end < len(h.Text) && n < snippetRunes; n++ {
		_, size := utf8.DecodeRuneInString(h.Text[end:])
		end += size
	}
	s := h.Text[start:end]
	if start > 0 {
		if i := strings.IndexByte(s, ' '); i >= 0 && i < len(s)/2 {
			s = s[i+1:]
		}
		s = "…" + s
	}
	if end < len(h.Text) {
		if i := strings.LastIndexByte(s, ' '); i > len(s)/2 {
			s = s[:i]
		}
		s += "…"
	}
	return strings.ReplaceAll(s, "\n", " ")
}

// markSelected shows which line the card shows.
func (u *panelUI) markSelected() {
	for _, r := range u.rows {
		r.setSelected(r.ref == u.f.card)
	}
}

// refresh shows the feature's state: the selected line, the card and the
// switch of all badges.
func (u *panelUI) refresh() {
	u.markSelected()
	u.showCard()
	if u.badges.Checked != u.f.allBadges {
		u.badges.SetChecked(u.f.allBadges)
	}
}

// showRecital shows a recital in the card; the map keeps what it shows.
func (f *Feature) showRecital(n int) {
	f.card = cardRef{seeds.PartRecital, n}
	f.refresh()
}

// showCard fills the card with the clause or recital it shows.
func (u *panelUI) showCard() {
	f := u.f
	var objects []fyne.CanvasObject
	switch ref := f.card; {
	case ref.n == 0:
		hint := widget.NewLabel(i18n.T("declaration.card.empty"))
		hint.Wrapping = fyne.TextWrapWord
		hint.Importance = widget.LowImportance
		objects = append(objects, hint)
	case ref.part == seeds.PartRecital:
		objects = append(objects,
			heading(i18n.T("declaration.recital", map[string]any{"N": ref.n})),
			verbatim(f.decl.Recitals[ref.n-1], f.spans(ref)))
	default:
		c, _ := f.decl.Clause(ref.n)
		links, _ := f.links.Clause(ref.n)
		objects = append(objects,
			heading("§"+strconv.Itoa(ref.n)+" "+i18n.T(links.TitleKey())),
			chips(links.Themes),
			caption(f.focusText(links)),
			verbatim(c.Text, f.spans(ref)))
		objects = append(objects, u.cardButtons(ref.n, links))
	}
	u.card.Objects = objects
	u.card.Refresh()
	u.cardBox.ScrollToTop()
}

// cardButtons returns the actions under a clause's text: fly to its
// places again and clear it from the map, or show it there if another
// clause is; plan the green belts for clause 17.
func (u *panelUI) cardButtons(n int, links seeds.ClauseLinks) fyne.CanvasObject {
	f := u.f
	var buttons []fyne.CanvasObject
	sel, err := f.m.Clause(n)
	if err == nil && !sel.Empty() {
		if f.selected == n {
			buttons = append(buttons,
				widget.NewButtonWithIcon(i18n.T("declaration.card.flyto"), theme.ZoomFitIcon(), func() { f.shell.Map().FlyTo(sel.View(minClauseSpan)) }),
				widget.NewButtonWithIcon(i18n.T("declaration.card.clear"), theme.CancelIcon(), f.ClearSelection))
		} else {
			buttons = append(buttons, widget.NewButtonWithIcon(i18n.T("declaration.card.show"), theme.VisibilityIcon(), func() { f.SelectClause(n) }))
		}
	}
	if links.Number == beltClause {
		buttons = append(buttons, widget.NewButtonWithIcon(i18n.T("declaration.belts.open"), theme.StorageIcon(), func() { f.shell.ShowPanel(BeltsPanelID) }))
	}
	return container.NewGridWithColumns(2, buttons...)
}

// spans returns the matches of the current query in the card's text.
func (f *Feature) spans(ref cardRef) []seeds.Span {
	if strings.TrimSpace(f.query) == "" {
		return nil
	}
	for _, h := range f.index.Search(f.query) {
		if h.Part == ref.part && h.Number == ref.n {
			return h.Spans
		}
	}
	return nil
}

// maxPlaceNames is how many place names the card's focus line lists.
const maxPlaceNames = 6

// focusText returns how a clause is tied to the map, in words: its
// places, the layers it concerns in full, or no geographic focus.
func (f *Feature) focusText(c seeds.ClauseLinks) string {
	focus := i18n.T(c.Focus.Key())
	sel, err := f.m.Clause(c.Number)
	if err != nil || sel.Empty() {
		return focus
	}
	var names []string
	for _, p := range sel.Places {
		if name := f.m.Name(p, i18n.Current()); name != "" && !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		st := f.shell.Style()
		for _, id := range sel.Whole {
			if l, ok := st.Layer(id); ok && l.Title != "" && !slices.Contains(names, i18n.Style(l.Title)) {
				names = append(names, i18n.Style(l.Title))
			}
		}
	}
	if len(names) > maxPlaceNames {
		names = append(names[:maxPlaceNames], i18n.N("declaration.card.more", len(names)-maxPlaceNames))
	}
	return focus + ": " + strings.Join(names, ", ")
}

// heading returns a card's title.
func heading(text string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// caption returns a line of small text that wraps.
func caption(text string) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// verbatim returns a clause's or recital's text as written, the matches
// of the search in bold in the primary colour.
func verbatim(text string, spans []seeds.Span) fyne.CanvasObject {
	plain := widget.RichTextStyleInline
	match := widget.RichTextStyle{Inline: true, ColorName: theme.ColorNamePrimary, TextStyle: fyne.TextStyle{Bold: true}}
	var segs []widget.RichTextSegment
	at := 0
	for _, s := range spans {
		if s.Start > at {
			segs = append(segs, &widget.TextSegment{Text: text[at:s.Start], Style: plain})
		}
		segs = append(segs, &widget.TextSegment{Text: text[s.Start:s.End], Style: match})
		at = s.End
	}
	if at < len(text) {
		segs = append(segs, &widget.TextSegment{Text: text[at:], Style: plain})
	}
	rt := widget.NewRichText(segs...)
	rt.Wrapping = fyne.TextWrapWord
	return rt
}

// chips returns a clause's themes as small rounded tags that wrap.
func chips(themes []seeds.Theme) fyne.CanvasObject {
	objects := make([]fyne.CanvasObject, len(themes))
	for i, th := range themes {
		objects[i] = chip(i18n.T(th.Key()))
	}
	return container.New(layout.NewRowWrapLayoutWithCustomPadding(theme.Padding(), theme.Padding()), objects...)
}

// chip returns one tag.
func chip(text string) fyne.CanvasObject {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.StrokeColor = theme.Color(theme.ColorNameSeparator)
	bg.StrokeWidth = 1
	bg.CornerRadius = theme.TextSize() * 0.6
	label := canvas.NewText(text, theme.Color(theme.ColorNameForeground))
	label.TextSize = theme.CaptionTextSize()
	return container.NewStack(bg, container.New(layout.NewCustomPaddedLayout(2, 2, 7, 7), label))
}

// row is a line of the list that the user taps: a clause or a recital.
type row struct {
	widget.BaseWidget
	ref      cardRef
	content  fyne.CanvasObject
	onTap    func()
	bg       *canvas.Rectangle
	selected bool
	hovered  bool
}

// Declare conformity with the interfaces of the input a row handles.
var (
	_ fyne.Tappable      = (*row)(nil)
	_ desktop.Hoverable  = (*row)(nil)
	_ desktop.Cursorable = (*row)(nil)
)

func newRow(content fyne.CanvasObject, ref cardRef, onTap func()) *row {
	r := &row{ref: ref, content: content, onTap: onTap, bg: canvas.NewRectangle(color.Transparent)}
	r.bg.CornerRadius = theme.InputRadiusSize()
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer is a private method to Fyne which links this widget to
// its renderer.
func (r *row) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(r.bg, container.New(layout.NewCustomPaddedLayout(0, 0, 2, 4), r.content)))
}

// Tapped opens the line's clause or recital.
func (r *row) Tapped(*fyne.PointEvent) { r.onTap() }

// MouseIn shows that the line can be tapped.
func (r *row) MouseIn(*desktop.MouseEvent) { r.hovered = true; r.paint() }

// MouseMoved does nothing more.
func (r *row) MouseMoved(*desktop.MouseEvent) {}

// MouseOut ends the hover.
func (r *row) MouseOut() { r.hovered = false; r.paint() }

// Cursor is the pointing hand.
func (r *row) Cursor() desktop.Cursor { return desktop.PointerCursor }

// setSelected marks the line as the one the card shows.
func (r *row) setSelected(on bool) {
	if r.selected != on {
		r.selected = on
		r.paint()
	}
}

// paint colours the line's background for its state.
func (r *row) paint() {
	var c color.Color = color.Transparent
	switch {
	case r.selected:
		c = theme.Color(theme.ColorNameSelection)
	case r.hovered:
		c = theme.Color(theme.ColorNameHover)
	}
	r.bg.FillColor = c
	r.bg.Refresh()
}
