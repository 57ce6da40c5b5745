// Package spatial answers the map's spatial questions in a dock panel:
// what lies inside a basin or any other area (the sites and protected
// areas in it, counted by type), and what lies within a distance of a
// layer's features (the sites within 10 km of a river, a lake or a
// town), in true kilometres. The answers are listed, each line flying to
// its feature, and highlighted on the map, the rest dimmed
// (render.AnswerHighlight).
//
// An area is asked about from the identify panel ("What lies inside",
// a section it adds for every area) or by choosing a basin in the panel.
// The questions go through GEOS (query.Engine.WithinFeature and Near) off
// the UI goroutine, with a progress bar and a Cancel button.
package spatial

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ecoatlas/ecoatlas/app/async"
	"github.com/ecoatlas/ecoatlas/app/highlight"
	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/identify"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/query"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/style"
)

// PanelID is the questions panel's id in the shell's dock.
const PanelID = "questions"

// overlayName is the answer highlight's name on the map.
const overlayName = "answer"

// sectionID is the identify panel section this feature adds.
const sectionID = "inside-question"

// defaultKm is the distance the panel starts with.
const defaultKm = 10

// maxKm is the largest distance the panel takes: the region's width.
const maxKm = 3000

// Feature is the questions panel. Create it with [New] and pass it to
// shell.WithFeatures after the identify feature; its methods are called
// on the UI goroutine.
type Feature struct {
	engine   *query.Engine
	identify *identify.Feature
	shell    *shell.Shell

	// The question asked last and its answer, kept across Installs.
	question string          // in words
	answers  []*query.Answer // one per layer asked about
	region   *query.Ref      // the area asked about, if any
	failure  error
	asked    string  // the layer asked about in "within a distance"
	near     string  // the layer it is near
	km       float64 // how near

	worker    async.Latest
	busy      bool
	highlight *highlight.Overlay
	body      *fyne.Container
}

// New returns the questions feature, answering with e and showing
// features through id.
func New(e *query.Engine, id *identify.Feature) *Feature {
	f := &Feature{engine: e, identify: id, km: defaultKm}
	if layers := f.askable(); len(layers) > 0 {
		f.asked = layers[0]
	}
	if _, ok := e.Atlas().Style.Layer("rivers"); ok {
		f.near = "rivers"
	}
	return f
}

// Install adds the questions panel, its menu item and the identify
// section "What lies inside".
func (f *Feature) Install(s *shell.Shell) {
	f.shell = s
	f.worker.Immediate = s.Map().Immediate()
	f.body = container.NewVBox()
	s.AddPanel(shell.Panel{ID: PanelID, Title: i18n.T("spatial.title"), Icon: theme.QuestionIcon(), Content: container.NewVScroll(container.NewPadded(f.body))})
	tools := s.Menu("menu.tools")
	tools.Items = append(tools.Items, fyne.NewMenuItem(i18n.T("spatial.menu"), f.open))
	s.RefreshMenu()
	questions := widget.NewButtonWithIcon(i18n.T("spatial.button"), theme.QuestionIcon(), f.open)
	questions.Importance = widget.LowImportance
	s.AddToolbarItem(questions)
	f.identify.AddSection(identify.Section{ID: sectionID, Build: f.insideSection})
	f.show()
	if len(f.answers) > 0 {
		f.setHighlight()
	}
}

// open shows the questions panel.
func (f *Feature) open() { f.shell.ShowPanel(PanelID) }

// insideSection is the identify panel's section for an area: a button
// that asks what lies inside it.
func (f *Feature) insideSection(sub identify.Subject) fyne.CanvasObject {
	if sub.Feature == nil || layer.KindOf(sub.Feature.Geometry) != layer.KindPolygon {
		return nil
	}
	ref := sub.Ref
	b := widget.NewButtonWithIcon(i18n.T("spatial.inside.button"), theme.SearchIcon(), func() { f.AskInside(ref) })
	return container.NewVBox(identify.Heading(i18n.T("spatial.title")), container.NewHBox(b))
}

// askable returns the layers questions can be asked about: those the
// dictionary counts by facets, in the style's order, top first.
func (f *Feature) askable() []string {
	var out []string
	layers := f.engine.Atlas().Style.Layers
	for i := len(layers) - 1; i >= 0; i-- {
		if _, ok := f.engine.Dictionary().Layers[layers[i].ID]; ok {
			out = append(out, layers[i].ID)
		}
	}
	return out
}

// nearable returns the layers an answer can be near: the vector layers
// with a row of their own and a legend, top first.
func (f *Feature) nearable() []string {
	var out []string
	st := f.engine.Atlas().Style
	for i := len(st.Layers) - 1; i >= 0; i-- {
		l := &st.Layers[i]
		src := f.engine.Atlas().Sources[l.Source]
		if l.PartOf != "" || src == nil || src.Vector == nil || !slices.ContainsFunc(l.Rules, func(r style.Rule) bool { return r.Legend != "" }) {
			continue
		}
		out = append(out, l.ID)
	}
	return out
}

// title returns a layer's title in the style, in the interface language.
func (f *Feature) title(id string) string {
	if l, ok := f.engine.Atlas().Style.Layer(id); ok && l.Title != "" {
		return i18n.Style(l.Title)
	}
	return id
}

// AskInside asks what lies inside an area, a feature's polygon, and
// shows the answer in the panel, which it opens.
func (f *Feature) AskInside(region query.Ref) {
	feat, ok := f.engine.Lookup(region)
	if !ok {
		return
	}
	lang := i18n.Current()
	name := f.engine.Name(feat, lang)
	f.region = &region
	f.ask(i18n.T("spatial.inside.question", map[string]any{"Name": name}), func(ctx context.Context, st *style.Style) ([]*query.Answer, error) {
		var answers []*query.Answer
		for _, id := range f.askable() {
			a, err := f.engine.WithinFeature(ctx, st, id, region, lang)
			if err != nil {
				return nil, err
			}
			answers = append(answers, a)
		}
		return answers, nil
	})
}

// AskNear asks which features of a layer lie within km kilometres of
// another layer's features, and shows the answer in the panel, which it
// opens.
func (f *Feature) AskNear(layerID, nearID string, km float64) {
	f.asked, f.near, f.km = layerID, nearID, km
	f.region = nil
	lang := i18n.Current()
	question := i18n.T("spatial.near.question", map[string]any{
		"Layer": f.title(layerID), "Km": i18n.Number(km, 2), "Near": f.title(nearID),
	})
	f.ask(question, func(ctx context.Context, st *style.Style) ([]*query.Answer, error) {
		a, err := f.engine.Near(ctx, st, layerID, nearID, km*1000, lang)
		if err != nil {
			return nil, err
		}
		return []*query.Answer{a}, nil
	})
}

// ask runs a question in the background, showing that it is under way,
// then its answer.
func (f *Feature) ask(question string, answer func(context.Context, *style.Style) ([]*query.Answer, error)) {
	st := f.shell.Style()
	f.question, f.answers, f.failure, f.busy = question, nil, nil, true
	f.removeHighlight()
	f.show()
	f.open()
	f.worker.Run(func(ctx context.Context) func() {
		answers, err := answer(ctx, st)
		if errors.Is(err, context.Canceled) {
			return nil
		}
		return func() {
			f.answers, f.failure, f.busy = answers, err, false
			f.show()
			if err == nil {
				f.setHighlight()
			}
		}
	})
}

// cancel stops the question under way.
func (f *Feature) cancel() {
	f.worker.Stop()
	f.busy = false
	f.question = ""
	f.show()
}

// Clear drops the answer and its highlight.
func (f *Feature) Clear() {
	f.worker.Stop()
	f.question, f.answers, f.failure, f.region, f.busy = "", nil, nil, nil, false
	f.removeHighlight()
	f.show()
}

// Answers returns the answer shown, one per layer asked about.
func (f *Feature) Answers() []*query.Answer { return f.answers }

// Wait blocks until the question under way is answered and its
// highlight drawn; tests call it.
func (f *Feature) Wait() {
	f.worker.Wait()
	if f.highlight != nil {
		f.highlight.Wait()
	}
}

// setHighlight marks the answer's features and the area asked about on
// the map, the rest dimmed.
func (f *Feature) setHighlight() {
	f.removeHighlight()
	var refs []query.Ref
	if f.region != nil {
		refs = append(refs, *f.region)
	}
	for _, a := range f.answers {
		for _, m := range a.Members {
			refs = append(refs, m.Ref)
		}
	}
	e, st := f.engine, f.shell.Style()
	f.highlight = highlight.New(f.shell.Map(), render.AnswerHighlight, func(zoom float64) []render.Mark {
		return e.Marks(st, zoom, refs...)
	})
	f.shell.Map().SetOverlay(overlayName, f.highlight)
}

// removeHighlight takes the answer's highlight off the map.
func (f *Feature) removeHighlight() {
	if f.highlight != nil {
		f.highlight.Close()
		f.highlight = nil
	}
	f.shell.Map().SetOverlay(overlayName, nil)
}

// show builds the panel afresh: the two questions, then the answer.
func (f *Feature) show() {
	objects := []fyne.CanvasObject{identify.Heading(i18n.T("spatial.inside.title")), wrapped(i18n.T("spatial.inside.hint"))}
	if basins := f.basinChooser(); basins != nil {
		objects = append(objects, basins)
	}
	objects = append(objects, widget.NewSeparator(), identify.Heading(i18n.T("spatial.near.title")))
	objects = append(objects, f.nearForm()...)
	objects = append(objects, widget.NewSeparator())
	objects = append(objects, f.answerView()...)
	f.body.Objects = objects
	f.body.Refresh()
}

// basinChooser returns a list of the basins to ask about, nil if the
// dictionary names no basin layer.
func (f *Feature) basinChooser() fyne.CanvasObject {
	layerID := ""
	for _, c := range f.engine.Dictionary().Context {
		if c.Term == "basin" {
			layerID = c.Layer
		}
	}
	l, ok := f.engine.Atlas().Style.Layer(layerID)
	if !ok {
		return nil
	}
	src := f.engine.Atlas().Sources[l.Source]
	if src == nil || src.Vector == nil {
		return nil
	}
	lang := i18n.Current()
	var names []string
	refs := map[string]query.Ref{}
	for feat := range src.Vector.All() {
		if !l.Filter.Match(&feat.Properties) {
			continue
		}
		name := f.engine.Name(feat, lang)
		names = append(names, name)
		refs[name] = query.Ref{Layer: layerID, ID: feat.ID}
	}
	slices.Sort(names)
	sel := widget.NewSelect(names, func(name string) {
		if ref, ok := refs[name]; ok {
			f.AskInside(ref)
		}
	})
	sel.PlaceHolder = i18n.T("spatial.inside.basin")
	return sel
}

// nearForm returns the lines of "within a distance": the layer asked
// about, the distance, the layer near, and the button that asks.
func (f *Feature) nearForm() []fyne.CanvasObject {
	asked := f.layerSelect(f.askable(), f.asked, func(id string) { f.asked = id })
	near := f.layerSelect(f.nearable(), f.near, func(id string) { f.near = id })
	km := widget.NewEntry()
	km.SetText(strconv.FormatFloat(f.km, 'f', -1, 64))
	km.Validator = func(s string) error {
		_, err := parseKm(s)
		return err
	}
	find := widget.NewButtonWithIcon(i18n.T("spatial.near.find"), theme.SearchIcon(), nil)
	find.Importance = widget.HighImportance
	run := func() {
		v, err := parseKm(km.Text)
		if err != nil {
			f.shell.ShowError(err)
			return
		}
		f.AskNear(f.asked, f.near, v)
	}
	find.OnTapped = run
	km.OnSubmitted = func(string) { run() }
	kmLine := container.NewBorder(nil, nil, nil, widget.NewLabel(i18n.T("spatial.near.km")), km)
	return []fyne.CanvasObject{
		caption(i18n.T("spatial.near.which")), asked,
		caption(i18n.T("spatial.near.within")), kmLine,
		caption(i18n.T("spatial.near.of")), near,
		container.NewHBox(find),
	}
}

// layerSelect returns a choice among layers, by title.
func (f *Feature) layerSelect(ids []string, chosen string, set func(string)) *widget.Select {
	titles := make([]string, len(ids))
	for i, id := range ids {
		titles[i] = f.title(id)
	}
	sel := widget.NewSelect(titles, func(title string) {
		if i := slices.Index(titles, title); i >= 0 {
			set(ids[i])
		}
	})
	if i := slices.Index(ids, chosen); i >= 0 {
		sel.Selected = titles[i]
	}
	return sel
}

// errKm is a distance the panel does not take.
var errKm = errors.New("spatial: bad distance")

// parseKm reads a distance in kilometres, with a point or a comma.
func parseKm(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(s), ",", "."), 64)
	if err != nil || !(v > 0 && v <= maxKm) {
		return 0, fmt.Errorf("%w: %s", errKm, i18n.T("spatial.near.bad", map[string]any{"Text": s, "Max": i18n.Int(maxKm)}))
	}
	return v, nil
}

// answerView returns the lines of the answer: the question, then per
// layer the count, the counts by type and the members.
func (f *Feature) answerView() []fyne.CanvasObject {
	if f.question == "" {
		return []fyne.CanvasObject{wrapped(i18n.T("spatial.none"))}
	}
	objects := []fyne.CanvasObject{bold(f.question)}
	switch {
	case f.busy:
		cancel := widget.NewButtonWithIcon(i18n.T("spatial.cancel"), theme.CancelIcon(), f.cancel)
		return append(objects, wrapped(i18n.T("spatial.working")), widget.NewProgressBarInfinite(), container.NewHBox(cancel))
	case f.failure != nil:
		l := wrapped(f.failure.Error())
		l.Importance = widget.DangerImportance
		return append(objects, l)
	}
	clear := widget.NewButtonWithIcon(i18n.T("spatial.clear"), theme.ContentClearIcon(), f.Clear)
	clear.Importance = widget.LowImportance
	objects = append(objects, container.NewHBox(clear))
	for _, a := range f.answers {
		objects = append(objects, widget.NewSeparator(),
			bold(i18n.T("spatial.answer.layer", map[string]any{"Layer": f.title(a.Layer), "N": i18n.Int(len(a.Members))})))
		if len(a.Counts) > 0 {
			var parts []string
			for _, v := range a.Counts[0].Values {
				parts = append(parts, i18n.T("spatial.answer.count", map[string]any{"Text": v.Text, "N": i18n.Int(v.Count)}))
			}
			if len(parts) > 0 {
				objects = append(objects, caption(strings.Join(parts, " · ")))
			}
		}
		for _, m := range a.Members {
			objects = append(objects, identify.NewLine(m.Name, f.memberDetail(m), func() { f.identify.Show(m.Ref) }))
		}
	}
	return objects
}

// memberDetail returns what a member's line says beside its name: how
// far it is from the nearest feature, or that it is only partly inside.
func (f *Feature) memberDetail(m query.Member) string {
	switch {
	case m.Nearest != nil:
		return i18n.T("spatial.answer.nearest", map[string]any{"Km": i18n.Number(m.Nearest.Distance/1000, 1), "Name": m.Nearest.Name})
	case m.Partly:
		return i18n.T("spatial.answer.partly")
	}
	return ""
}

// bold returns wrapping bold text.
func bold(text string) *widget.Label {
	l := wrapped(text)
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}

// caption returns small italic text.
func caption(text string) *widget.Label {
	l := wrapped(text)
	l.SizeName = theme.SizeNameCaptionText
	l.TextStyle = fyne.TextStyle{Italic: true}
	return l
}

// wrapped returns a wrapping label.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}
