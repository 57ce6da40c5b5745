package inspect

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/geo/coord"
	"github.com/ecoatlas/ecoatlas/geo/edit"
	"github.com/ecoatlas/ecoatlas/geo/sites"
)

// positionField is the form's key of the site's position.
const positionField = "position"

// form is the state of the site form: what the user typed, valid or not,
// and the errors shown next to the fields. The panel's widgets are built
// from it, again after a change of interface language.
type form struct {
	isNew    bool
	uuid     string // of the site edited; "" for a new site
	name     string // the site's name as stored, for the title
	position orb.Point
	values   map[string]string // by field name, positionField included
	errs     map[string]string // the message next to each refused field
	restored time.Time         // when the draft it was restored from was kept; zero if none

	inspections []sites.Inspection // of the site edited, once read
	inspection  *inspectionForm    // the form of a new inspection, nil when none is open
}

// newSiteForm returns the form of a new site at p, with the fields'
// defaults.
func newSiteForm(p orb.Point) *form {
	site := sites.NewSite(p)
	fm := &form{isNew: true, position: p, values: site.Values, errs: map[string]string{}}
	fm.values[positionField] = formatPosition(p)
	return fm
}

// siteForm returns the form of a stored site.
func siteForm(site sites.Site) *form {
	values := make(map[string]string, len(site.Values)+1)
	for k, v := range site.Values {
		values[k] = v
	}
	values[positionField] = formatPosition(site.Position)
	return &form{uuid: site.UUID, name: site.Values["name"], position: site.Position, values: values, errs: map[string]string{}}
}

// formFromDraft returns the form a draft kept; site is the stored site a
// draft of an edit completes.
func formFromDraft(d sites.Draft, site sites.Site) *form {
	fm := newSiteForm(orb.Point{})
	if d.Subject != "" {
		fm = siteForm(site)
	}
	for k, v := range d.Values {
		fm.values[k] = v
	}
	if d.Position != nil {
		fm.position = *d.Position
		if _, typed := d.Values[positionField]; !typed {
			fm.values[positionField] = formatPosition(fm.position)
		}
	}
	fm.restored = d.SavedAt
	return fm
}

// draftKey is the key of the form's draft in the store.
func (fm *form) draftKey() string {
	return sites.DraftKey(sites.SiteDraft, fm.uuid, fm.isNew)
}

// formatPosition writes a position as the form shows it and coord.Parse
// reads it back: latitude, longitude in decimal degrees.
func formatPosition(p orb.Point) string {
	return fmt.Sprintf("%.6f, %.6f", p[1], p[0])
}

// formPanel is the site panel's widgets.
type formPanel struct {
	f       *Feature
	body    *fyne.Container
	content fyne.CanvasObject

	entries map[string]*widget.Entry
	selects map[string]*widget.Select
	errors  map[string]*widget.Label
	save    *widget.Button

	inspectionEntries map[string]*widget.Entry
	inspectionErrors  map[string]*widget.Label
	saveInspection    *widget.Button
}

func newFormPanel(f *Feature) *formPanel {
	p := &formPanel{f: f, body: container.NewVBox()}
	p.content = container.NewVScroll(container.NewPadded(p.body))
	return p
}

// show builds the panel afresh from the form's state.
func (p *formPanel) show() {
	fm := p.f.form
	p.entries, p.selects, p.errors = map[string]*widget.Entry{}, map[string]*widget.Select{}, map[string]*widget.Label{}
	if fm == nil {
		p.body.Objects = []fyne.CanvasObject{wrapped(i18n.T("inspect.form.none"))}
		p.body.Refresh()
		return
	}
	title := i18n.T("inspect.form.new")
	if !fm.isNew {
		title = i18n.T("inspect.form.edit", map[string]any{"Name": fm.name})
	}
	objects := []fyne.CanvasObject{widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	if !fm.restored.IsZero() {
		note := wrapped(i18n.T("inspect.form.restored", map[string]any{"Date": i18n.Date(fm.restored.Local()), "Time": fm.restored.Local().Format("15:04")}))
		note.Importance = widget.WarningImportance
		objects = append(objects, note)
	}
	grid := container.New(layout.NewFormLayout())
	grid.Add(fieldLabel(i18n.T("sites.field.position"), true))
	grid.Add(p.fieldBox(positionField, p.entry(positionField, false)))
	for i := range sites.SiteFields {
		fd := &sites.SiteFields[i]
		label := i18n.T("sites.field." + fd.Name)
		if fd.Unit != "" {
			label += ", " + unitText(fd.Unit)
		}
		grid.Add(fieldLabel(label, fd.Required))
		var w fyne.CanvasObject
		switch fd.Kind {
		case sites.Choice:
			w = p.choice(fd)
		default:
			w = p.entry(fd.Name, fd.Kind == sites.LongText)
		}
		grid.Add(p.fieldBox(fd.Name, w))
	}
	objects = append(objects, grid)
	p.save = widget.NewButtonWithIcon(i18n.T("inspect.form.save"), theme.DocumentSaveIcon(), p.f.saveForm)
	p.save.Importance = widget.HighImportance
	buttons := []fyne.CanvasObject{p.save, widget.NewButtonWithIcon(i18n.T("inspect.form.cancel"), theme.CancelIcon(), p.f.cancelForm)}
	if !fm.isNew {
		buttons = append(buttons, widget.NewButtonWithIcon(i18n.T("inspect.form.delete"), theme.DeleteIcon(), p.f.confirmDelete))
	}
	objects = append(objects, container.NewHBox(buttons...), wrapped(i18n.T("inspect.form.hint")))
	if !fm.isNew {
		objects = append(objects, p.inspectionsSection())
	}
	p.body.Objects = objects
	p.body.Refresh()
}

// entry returns the text entry of a field.
func (p *formPanel) entry(name string, multiline bool) *widget.Entry {
	e := widget.NewEntry()
	if multiline {
		e = widget.NewMultiLineEntry()
		e.Wrapping = fyne.TextWrapWord
		e.SetMinRowsVisible(3)
	}
	e.SetText(p.f.form.values[name])
	e.OnChanged = func(text string) { p.f.typed(name, text) }
	p.entries[name] = e
	return e
}

// choice returns the list of a Choice field, with an empty first entry
// for a field that may stay empty.
func (p *formPanel) choice(fd *sites.Field) *widget.Select {
	var labels []string
	codes := map[string]string{}
	if !fd.Required {
		labels = append(labels, i18n.T("inspect.form.unset"))
		codes[labels[0]] = ""
	}
	for _, o := range fd.Options {
		l := i18n.T("sites.option." + fd.Name + "." + o.Code)
		labels = append(labels, l)
		codes[l] = o.Code
	}
	s := widget.NewSelect(labels, nil)
	for l, c := range codes {
		if c == p.f.form.values[fd.Name] && (c != "" || !fd.Required) {
			s.Selected = l
		}
	}
	s.OnChanged = func(label string) { p.f.typed(fd.Name, codes[label]) }
	p.selects[fd.Name] = s
	return s
}

// fieldBox puts a field's widget above the label of its error.
func (p *formPanel) fieldBox(name string, w fyne.CanvasObject) fyne.CanvasObject {
	l := wrapped(p.f.form.errs[name])
	l.Importance = widget.DangerImportance
	if l.Text == "" {
		l.Hide()
	}
	p.errors[name] = l
	return container.NewVBox(w, l)
}

// showErrors shows the form's errors next to their fields.
func (p *formPanel) showErrors() {
	for name, l := range p.errors {
		l.SetText(p.f.form.errs[name])
		if l.Text == "" {
			l.Hide()
		} else {
			l.Show()
		}
	}
}

// unitKeys are the catalogue keys of the units of the site fields.
var unitKeys = map[string]string{"m³": "sites.unit.m3", "ha": "sites.unit.ha", "m": "sites.unit.m"}

// unitText writes a unit of a field in the interface's language.
func unitText(unit string) string {
	if key, ok := unitKeys[unit]; ok {
		return i18n.T(key)
	}
	return unit
}

// fieldLabel is a field's label, marked when the field is required.
func fieldLabel(text string, required bool) *widget.Label {
	if required {
		text += " *"
	}
	return widget.NewLabel(text)
}

// wrapped is a label that wraps its words.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// openForm opens the site panel on a form, replacing the one open.
func (f *Feature) openForm(fm *form) {
	f.form = fm
	f.formPanel.show()
	f.shell.ShowPanel(SitePanelID)
	f.setMarker()
	if !fm.isNew {
		f.loadInspections(fm)
	}
}

// closeForm closes the form and its panel. The focus leaves the form's
// fields, so that Ctrl+Z undoes the last edit, not the typing of a field
// no longer shown.
func (f *Feature) closeForm() {
	f.shell.Window().Canvas().Unfocus()
	f.form = nil
	f.formPanel.show()
	f.shell.ClosePanel(SitePanelID)
	f.shell.ReleaseTool(f.pick)
	f.setMarker()
}

// typed records a change of a field and keeps the form as a draft.
func (f *Feature) typed(name, text string) {
	fm := f.form
	if fm == nil || fm.values[name] == text {
		return
	}
	fm.values[name] = text
	if name == positionField {
		if pos, err := coord.Parse(text); err == nil {
			fm.position = pos.Point
			f.setMarker()
		}
	}
	f.keepDraft()
}

// keepDraft writes the form to the store as a draft, off the UI
// goroutine, so that a crash loses none of it.
func (f *Feature) keepDraft() {
	fm := f.form
	d := sites.Draft{Key: fm.draftKey(), Kind: sites.SiteDraft, Subject: fm.uuid, Values: make(map[string]string, len(fm.values))}
	for k, v := range fm.values {
		d.Values[k] = v
	}
	pos := fm.position
	d.Position = &pos
	f.writes.run(func(ctx context.Context) func() {
		if err := f.store.SaveDraft(ctx, d); err != nil {
			return func() { f.shell.Notify(i18n.T("inspect.draft_failed", map[string]any{"Error": err.Error()})) }
		}
		return nil
	})
}

// site returns the site the form describes, or the errors of the fields
// it refuses, each in the interface's language.
func (f *Feature) site() (sites.Site, map[string]string) {
	fm := f.form
	errs := map[string]string{}
	site := sites.Site{UUID: fm.uuid, Values: map[string]string{}}
	if fm.isNew {
		site.UUID = sites.NewUUID()
	}
	if pos, err := coord.Parse(fm.values[positionField]); err != nil {
		errs[positionField] = i18n.T("inspect.error.position")
	} else {
		site.Position = pos.Point
	}
	for _, fd := range sites.SiteFields {
		if v := strings.TrimSpace(fm.values[fd.Name]); v != "" {
			site.Values[fd.Name] = v
		}
	}
	var ve *sites.ValidationError
	if err := site.Validate(); errors.As(err, &ve) {
		for _, fe := range ve.Fields {
			if _, ok := errs[fe.Field]; !ok {
				errs[fe.Field] = fieldMessage(fe)
			}
		}
	}
	return site, errs
}

// fieldMessage says, in the interface's language, why a field refuses
// its value.
func fieldMessage(fe sites.FieldError) string {
	code := sites.ReasonCode(fe.Reason)
	data := map[string]any{}
	if fd, ok := sites.SiteField(fe.Field); ok {
		data["Min"], data["Max"], data["Unit"], data["MaxLen"] = i18n.Number(fd.Min, 0), i18n.Number(fd.Max, 0), unitText(fd.Unit), i18n.Int(fd.MaxLen)
	}
	if code == "" {
		return fe.Error()
	}
	return i18n.T("sites.error."+code, data)
}

// saveForm checks the form and, when every field is right, saves the
// site in one transaction that also deletes its draft; else it shows
// what is wrong next to each field and names the fields in the status
// bar.
func (f *Feature) saveForm() {
	fm := f.form
	if fm == nil {
		return
	}
	site, errs := f.site()
	fm.errs = errs
	f.formPanel.showErrors()
	if len(errs) > 0 {
		var names []string
		for _, name := range append([]string{positionField}, fieldNames()...) {
			if _, bad := errs[name]; bad {
				names = append(names, i18n.T("sites.field."+name))
			}
		}
		f.shell.Notify(i18n.T("inspect.form.fix", map[string]any{"Fields": strings.Join(names, ", ")}))
		return
	}
	o := sites.EditOptions{By: f.by, Draft: fm.draftKey()}
	f.writes.run(func(ctx context.Context) func() {
		var res edit.Result
		var err error
		if fm.isNew {
			res, err = f.store.AddSite(ctx, site, o)
		} else {
			res, err = f.store.UpdateSite(ctx, site, o)
		}
		return func() {
			if err != nil {
				f.shell.ShowError(err)
				return
			}
			if f.form == fm {
				f.closeForm()
			}
			f.changed(res)
			f.shell.Notify(i18n.T("inspect.saved", map[string]any{"Name": site.Values["name"]}))
		}
	})
}

// fieldNames are the names of the site fields, in form order.
func fieldNames() []string {
	names := make([]string, len(sites.SiteFields))
	for i, fd := range sites.SiteFields {
		names[i] = fd.Name
	}
	return names
}

// cancelForm closes the form and drops its draft.
func (f *Feature) cancelForm() {
	fm := f.form
	if fm == nil {
		return
	}
	f.closeForm()
	f.writes.run(func(ctx context.Context) func() {
		if err := f.store.DiscardDraft(ctx, fm.draftKey()); err != nil {
			return func() { f.shell.ShowError(err) }
		}
		return nil
	})
}

// confirmDelete asks whether to delete the form's site, and does.
func (f *Feature) confirmDelete() {
	fm := f.form
	if fm == nil || fm.isNew {
		return
	}
	dialog.ShowConfirm(i18n.T("inspect.delete.title"), i18n.T("inspect.delete.question", map[string]any{"Name": fm.name}), func(yes bool) {
		if yes {
			f.deleteSite(fm)
		}
	}, f.shell.Window())
}

// deleteSite deletes the form's site, with its inspections and photos,
// as one edit that an undo brings back whole.
func (f *Feature) deleteSite(fm *form) {
	o := sites.EditOptions{By: f.by}
	f.writes.run(func(ctx context.Context) func() {
		res, err := f.store.DeleteSite(ctx, fm.uuid, o)
		if err == nil {
			err = f.store.DiscardDraft(ctx, fm.draftKey())
		}
		return func() {
			if err != nil {
				f.shell.ShowError(err)
				return
			}
			if f.form == fm {
				f.closeForm()
			}
			f.changed(res)
			f.shell.Notify(i18n.T("inspect.deleted", map[string]any{"Name": fm.name}))
		}
	})
}

// moveSite moves the form's site to p at once, as one edit.
func (f *Feature) moveSite(fm *form, p orb.Point) {
	o := sites.EditOptions{By: f.by}
	f.writes.run(func(ctx context.Context) func() {
		res, err := f.store.MoveSite(ctx, fm.uuid, p, o)
		return func() {
			if err != nil {
				f.shell.ShowError(err)
				return
			}
			if f.form == fm {
				fm.position = p
				fm.values[positionField] = formatPosition(p)
				if e := f.formPanel.entries[positionField]; e != nil {
					e.SetText(fm.values[positionField])
				}
				f.setMarker()
			}
			f.changed(res)
			f.shell.Notify(i18n.T("inspect.moved", map[string]any{"Name": fm.name}))
		}
	})
}
