package declaration

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/belt"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/overlay"
	"github.com/ecoatlas/ecoatlas/geo/style"
)

// beltClause is the clause that calls for green belts.
const beltClause = 17

// BeltLayerID is the id of the green-belt layer in the style.
const BeltLayerID = "green_belts"

// The embedded data the belts are planned from, as "atlas belts" plans
// them: the places with their population, and the countries whose places
// get belts, the five states of the declaration.
const (
	placesSource     = "places"
	populationField  = "pop_max"
	nameField        = "name"
	countriesSource  = "countries"
	countryCodeField = "adm0_a3"
)

var centralAsia = []string{"KAZ", "KGZ", "TJK", "TKM", "UZB"}

// ErrBeltOption is wrapped by the error for a threshold or width the user
// typed that is not a number.
var ErrBeltOption = errors.New("declaration: not a number")

// beltPlan is the state of the green-belt planning: the options, the
// belts planned with them and the source the layer draws them from.
type beltPlan struct {
	opts belt.Options
	// cities are the places of the five states with a population, found
	// once.
	cities []belt.City
	belts  []belt.Belt
	// source is the atlas source of the belts shown, "" before the first
	// plan. Each plan gets a new one, so that the map draws it afresh.
	source  string
	gen     int // the number of the latest plan
	running bool
	cancel  context.CancelFunc
	ui      *beltsUI
}

func newBeltPlan() beltPlan { return beltPlan{opts: belt.DefaultOptions()} }

// Belts returns the green belts planned last, largest city first.
func (f *Feature) Belts() []belt.Belt { return f.belts.belts }

// BeltOptions returns the options of the green belts.
func (f *Feature) BeltOptions() belt.Options { return f.belts.opts }

// installBeltLayer adds the green-belt layer to the style, hidden until
// the user switches it on, under the declaration's thematic layers; or
// gives it its title in the interface's language.
func (f *Feature) installBeltLayer() {
	st := f.shell.Style()
	title, legend, note := i18n.T("declaration.belts.layer"), i18n.T("declaration.belts.legend"), i18n.T("declaration.belts.note")
	if l, ok := st.Layer(BeltLayerID); ok {
		if l.Title != title {
			c := st.Clone()
			l, _ := c.Layer(BeltLayerID)
			l.Title, l.Note = title, note
			l.Rules = slices.Clone(l.Rules)
			l.Rules[0].Legend = legend
			f.shell.SetStyle(c)
		}
		return
	}
	source := f.belts.source
	if source == "" {
		source = BeltLayerID
	}
	l := belt.StyleLayer(BeltLayerID, title, source)
	l.Note, l.Rules[0].Legend = note, legend
	l.Hidden = f.belts.source == ""
	c := st.Clone()
	at := slices.IndexFunc(c.Layers, func(x style.Layer) bool { return x.Group == l.Group })
	if at < 0 {
		at = len(c.Layers)
	}
	c.Layers = slices.Insert(c.Layers, at, l)
	f.shell.SetStyle(c)
}

// planIfShown plans the belts when their layer is switched on and none
// are planned yet.
func (f *Feature) planIfShown(st *style.Style) {
	if l, ok := st.Layer(BeltLayerID); ok && !l.Hidden && f.belts.source == "" && !f.belts.running {
		f.planBelts(false)
	}
}

// planBelts plans the belts with the current options off the UI
// goroutine, cancelling a plan under way, and shows them on the map: in
// their layer as the user left it, or switched on if reveal is set.
func (f *Feature) planBelts(reveal bool) {
	b := &f.belts
	if err := b.opts.Check(); err != nil {
		f.shell.ShowError(err)
		return
	}
	if b.cancel != nil {
		b.cancel()
	}
	b.gen++
	gen, opts, cities := b.gen, b.opts, b.cities
	at := f.shell.Atlas()
	places, countries := at.Sources[placesSource], at.Sources[countriesSource]
	if places == nil || places.Vector == nil || countries == nil || countries.Vector == nil {
		f.shell.ShowError(fmt.Errorf("%s: the map has no %q or %q data", i18n.T("declaration.belts.title"), placesSource, countriesSource))
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	b.running, b.cancel = true, cancel
	f.refreshBelts()
	run := func() {
		var err error
		if cities == nil {
			cities, err = regionCities(places.Vector, countries.Vector)
		}
		var belts []belt.Belt
		var v *layer.Vector
		if err == nil {
			belts, err = belt.Plan(ctx, cities, opts)
		}
		if err == nil {
			v = layer.NewVector(belt.Features(belts))
			v.BuildIndex()
		}
		done := func() {
			if gen != b.gen {
				return
			}
			b.running, b.cancel = false, nil
			cancel()
			b.cities = cities
			if err != nil {
				f.refreshBelts()
				if !errors.Is(err, context.Canceled) {
					f.shell.ShowError(err)
				}
				return
			}
			f.setBelts(gen, belts, v, reveal)
		}
		if f.immediate {
			done()
		} else {
			fyne.Do(done)
		}
	}
	if f.immediate {
		run()
	} else {
		go run()
	}
}

// setBelts shows planned belts: their features become a new source of
// the atlas, which the belt layer draws, switched on if reveal is set.
func (f *Feature) setBelts(gen int, belts []belt.Belt, v *layer.Vector, reveal bool) {
	b := &f.belts
	at := f.shell.Atlas()
	id := BeltLayerID + "." + strconv.Itoa(gen)
	at.Sources[id] = &atlas.Source{ID: id, Vector: v}
	if b.source != "" {
		delete(at.Sources, b.source)
	}
	b.source, b.belts = id, belts
	st := f.shell.Style().Clone()
	if l, ok := st.Layer(BeltLayerID); ok {
		l.Source = id
		l.Hidden = l.Hidden && !reveal
	}
	f.shell.SetStyle(st)
	f.refreshBelts()
	f.shell.Notify(i18n.N("declaration.belts.planned", len(belts)))
}

// regionCities returns the places of the five states that have a
// population, largest first.
func regionCities(places, countries *layer.Vector) ([]belt.City, error) {
	var areas []*overlay.Prepared
	for c := range countries.All() {
		if !slices.Contains(centralAsia, c.Properties.String(countryCodeField)) {
			continue
		}
		p, err := overlay.Prepare(c.Geometry)
		if err != nil {
			return nil, fmt.Errorf("country %s: %w", c.Properties.String(countryCodeField), err)
		}
		areas = append(areas, p)
	}
	cities := belt.Cities(slices.Collect(places.All()), populationField, nameField)
	cities = slices.DeleteFunc(cities, func(c belt.City) bool {
		return !slices.ContainsFunc(areas, func(a *overlay.Prepared) bool {
			in, err := a.ContainsPoint(c.At)
			return err == nil && in
		})
	})
	slices.SortStableFunc(cities, func(a, b belt.City) int { return cmp.Compare(b.Population, a.Population) })
	return cities, nil
}

// beltsUI is the green-belt planner of one install: the options, the
// button that plans, the state and the list of belts.
type beltsUI struct {
	f          *Feature
	population *widget.Entry
	width      *widget.Entry
	plan       *widget.Button
	status     *widget.Label
	list       *fyne.Container
}

// newBeltsPanel builds the green-belt planner from the feature's state.
func (f *Feature) newBeltsPanel() fyne.CanvasObject {
	u := &beltsUI{f: f}
	f.belts.ui = u
	about := widget.NewLabel(i18n.T("declaration.belts.about", map[string]any{
		"Population": i18n.Int(belt.DefaultMinPopulation),
		"Width":      i18n.Number(belt.DefaultWidthKm, 0),
		"Density":    i18n.Int(int(belt.DefaultDensity)),
	}))
	about.Wrapping = fyne.TextWrapWord
	u.population = widget.NewEntry()
	u.population.SetText(i18n.Int(int(f.belts.opts.MinPopulation)))
	u.width = widget.NewEntry()
	u.width.SetText(strconv.FormatFloat(f.belts.opts.WidthKm, 'f', -1, 64))
	form := widget.NewForm(
		widget.NewFormItem(i18n.T("declaration.belts.population"), u.population),
		widget.NewFormItem(i18n.T("declaration.belts.width"), u.width),
	)
	u.plan = widget.NewButtonWithIcon(i18n.T("declaration.belts.plan"), theme.ViewRefreshIcon(), u.apply)
	u.plan.Importance = widget.HighImportance
	defaults := widget.NewButton(i18n.T("declaration.belts.defaults"), func() {
		d := belt.DefaultOptions()
		u.population.SetText(i18n.Int(int(d.MinPopulation)))
		u.width.SetText(strconv.FormatFloat(d.WidthKm, 'f', -1, 64))
		u.apply()
	})
	u.status = widget.NewLabel("")
	u.status.Wrapping = fyne.TextWrapWord
	u.list = container.NewVBox()
	top := container.NewVBox(about, form, container.NewGridWithColumns(2, u.plan, defaults), u.status)
	u.refresh()
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(u.list))
}

// apply plans the belts with the options typed, or says which is wrong.
func (u *beltsUI) apply() {
	f := u.f
	pop, err := parseNumber(u.population.Text, i18n.T("declaration.belts.population"))
	if err != nil {
		f.shell.ShowError(err)
		return
	}
	width, err := parseNumber(u.width.Text, i18n.T("declaration.belts.width"))
	if err != nil {
		f.shell.ShowError(err)
		return
	}
	o := f.belts.opts
	o.MinPopulation, o.WidthKm = pop, width
	if err := o.Check(); err != nil {
		f.shell.ShowError(err)
		return
	}
	f.belts.opts = o
	f.planBelts(true)
}

// parseNumber reads a number as people type it in the interface's
// language: the language's separators of thousands and of decimals
// ("100,000.5" in English, "100 000,5" in Russian), any kind of space or
// an apostrophe between groups of digits, and a point before the
// decimals in any language. The error names the field.
func parseNumber(text, field string) (float64, error) {
	decimal := strings.Trim(i18n.Number(1.5, 1), "15")
	group := strings.Trim(i18n.Int(1000), "10")
	s := strings.TrimSpace(text)
	if group != "" && group != decimal {
		s = strings.ReplaceAll(s, group, "")
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\'' || r == '’' {
			return -1
		}
		return r
	}, s)
	if decimal != "." {
		s = strings.ReplaceAll(s, decimal, ".")
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %w: %q", field, ErrBeltOption, text)
	}
	return x, nil
}

// refreshBelts shows the planning's state in the planner of the current
// install.
func (f *Feature) refreshBelts() {
	if u := f.belts.ui; u != nil {
		u.refresh()
	}
}

// refresh shows the state: planning, or the belts planned with their
// areas, largest city first; each line flies to its belt.
func (u *beltsUI) refresh() {
	b := &u.f.belts
	switch {
	case b.running:
		u.status.SetText(i18n.T("declaration.belts.running"))
		u.plan.Disable()
	case b.source == "":
		u.status.SetText(i18n.T("declaration.belts.none"))
		u.plan.Enable()
	default:
		total := 0.0
		for _, x := range b.belts {
			total += x.AreaKm2
		}
		u.status.SetText(i18n.T("declaration.belts.total", map[string]any{
			"Belts": i18n.N("declaration.belts.count", len(b.belts)), "Area": i18n.Number(total, 0),
			"Width": i18n.Number(b.opts.WidthKm, 1), "Population": i18n.Int(int(b.opts.MinPopulation)),
		}))
		u.plan.Enable()
	}
	objects := make([]fyne.CanvasObject, 0, len(b.belts))
	for _, x := range b.belts {
		name := widget.NewLabel(x.City.Name)
		name.Truncation = fyne.TextTruncateEllipsis
		figures := widget.NewLabel(i18n.T("declaration.belts.row", map[string]any{
			"Population": i18n.Int(int(x.City.Population)), "Area": i18n.Number(x.AreaKm2, 1),
		}))
		figures.Alignment = fyne.TextAlignTrailing
		bound := x.Geometry.Bound()
		objects = append(objects, newRow(container.NewBorder(nil, nil, nil, figures, name), cardRef{}, func() {
			u.f.shell.Map().FlyTo(pad(bound))
		}))
	}
	u.list.Objects = objects
	u.list.Refresh()
}

// pad returns a bound with a tenth of its size added on every side.
func pad(b orb.Bound) orb.Bound {
	dx, dy := (b.Max[0]-b.Min[0])/10, (b.Max[1]-b.Min[1])/10
	return orb.Bound{Min: orb.Point{b.Min[0] - dx, b.Min[1] - dy}, Max: orb.Point{b.Max[0] + dx, b.Max[1] + dy}}
}
