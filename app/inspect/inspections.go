package inspect

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/geo/sites"
)

// inspectionForm is the state of the form of a new inspection of the
// site the site form shows.
type inspectionForm struct {
	values   map[string]string
	errs     map[string]string
	restored time.Time
}

// newInspectionForm returns the form of an inspection made today by
// who.
func newInspectionForm(who string) *inspectionForm {
	in := sites.NewInspection(sites.NewUUID(), time.Now())
	in.Values["inspector"] = who
	return &inspectionForm{values: in.Values, errs: map[string]string{}}
}

// inspectionDraftKey is the key of the draft of a new inspection of a
// site.
func inspectionDraftKey(siteUUID string) string {
	return sites.DraftKey(sites.InspectionDraft, siteUUID, true)
}

// inspectionsSection returns the part of the site form about the site's
// inspections: those made, then the form of a new one or the button that
// opens it.
func (p *formPanel) inspectionsSection() fyne.CanvasObject {
	f, fm := p.f, p.f.form
	objects := []fyne.CanvasObject{widget.NewSeparator(), widget.NewLabelWithStyle(i18n.T("inspect.inspections"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	if len(fm.inspections) == 0 {
		objects = append(objects, wrapped(i18n.T("inspect.inspections.none")))
	}
	for _, in := range fm.inspections {
		date := in.Values["date"]
		if t, err := time.Parse(time.DateOnly, date); err == nil {
			date = i18n.Date(t)
		}
		line := i18n.T("inspect.inspections.line", map[string]any{
			"Date": date, "Inspector": in.Values["inspector"],
			"Condition": i18n.T("sites.option.condition." + in.Values["condition"]),
		})
		if findings := strings.TrimSpace(in.Values["findings"]); findings != "" {
			line += " — " + findings
		}
		objects = append(objects, wrapped(line))
	}
	if fm.inspection == nil {
		objects = append(objects, widget.NewButtonWithIcon(i18n.T("inspect.inspections.add"), theme.ContentAddIcon(), f.startInspection))
		return container.NewVBox(objects...)
	}
	if !fm.inspection.restored.IsZero() {
		note := wrapped(i18n.T("inspect.form.restored", map[string]any{"Date": i18n.Date(fm.inspection.restored.Local()), "Time": fm.inspection.restored.Local().Format("15:04")}))
		note.Importance = widget.WarningImportance
		objects = append(objects, note)
	}
	grid := container.New(layout.NewFormLayout())
	p.inspectionEntries, p.inspectionErrors = map[string]*widget.Entry{}, map[string]*widget.Label{}
	for i := range sites.InspectionFields {
		fd := &sites.InspectionFields[i]
		grid.Add(fieldLabel(i18n.T("sites.field."+fd.Name), fd.Required))
		var w fyne.CanvasObject
		if fd.Kind == sites.Choice {
			w = p.inspectionChoice(fd)
		} else {
			e := widget.NewEntry()
			if fd.Kind == sites.LongText {
				e = widget.NewMultiLineEntry()
				e.Wrapping = fyne.TextWrapWord
				e.SetMinRowsVisible(2)
			}
			e.SetText(fm.inspection.values[fd.Name])
			e.OnChanged = func(text string) { f.typedInspection(fd.Name, text) }
			p.inspectionEntries[fd.Name] = e
			w = e
		}
		l := wrapped(fm.inspection.errs[fd.Name])
		l.Importance = widget.DangerImportance
		if l.Text == "" {
			l.Hide()
		}
		p.inspectionErrors[fd.Name] = l
		grid.Add(container.NewVBox(w, l))
	}
	p.saveInspection = widget.NewButtonWithIcon(i18n.T("inspect.inspections.save"), theme.DocumentSaveIcon(), f.saveInspection)
	p.saveInspection.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon(i18n.T("inspect.form.cancel"), theme.CancelIcon(), f.cancelInspection)
	objects = append(objects, grid, container.NewHBox(p.saveInspection, cancel))
	return container.NewVBox(objects...)
}

// inspectionChoice returns the list of a Choice field of the inspection
// form.
func (p *formPanel) inspectionChoice(fd *sites.Field) *widget.Select {
	codes := map[string]string{}
	var labels []string
	for _, o := range fd.Options {
		l := i18n.T("sites.option." + fd.Name + "." + o.Code)
		labels = append(labels, l)
		codes[l] = o.Code
	}
	s := widget.NewSelect(labels, nil)
	for l, c := range codes {
		if c == p.f.form.inspection.values[fd.Name] {
			s.Selected = l
		}
	}
	s.OnChanged = func(label string) { p.f.typedInspection(fd.Name, codes[label]) }
	return s
}

// loadInspections reads the inspections of the form's site and shows
// them.
func (f *Feature) loadInspections(fm *form) {
	f.reads.Run(func(ctx context.Context) func() {
		list, err := f.store.Inspections(ctx, fm.uuid)
		return func() {
			if err != nil {
				f.shell.ShowError(err)
				return
			}
			fm.inspections = list
			if f.form == fm {
				f.formPanel.show()
			}
		}
	})
}

// startInspection opens the form of a new inspection of the form's site.
func (f *Feature) startInspection() {
	if f.form == nil || f.form.isNew {
		return
	}
	f.form.inspection = newInspectionForm(f.by)
	f.formPanel.show()
	f.keepInspectionDraft()
}

// typedInspection records a change of a field of the inspection form and
// keeps the form as a draft.
func (f *Feature) typedInspection(name, text string) {
	if f.form == nil || f.form.inspection == nil || f.form.inspection.values[name] == text {
		return
	}
	f.form.inspection.values[name] = text
	f.keepInspectionDraft()
}

// keepInspectionDraft writes the inspection form to the store as a
// draft, off the UI goroutine.
func (f *Feature) keepInspectionDraft() {
	fm := f.form
	d := sites.Draft{Key: inspectionDraftKey(fm.uuid), Kind: sites.InspectionDraft, Subject: fm.uuid, Values: make(map[string]string, len(fm.inspection.values))}
	for k, v := range fm.inspection.values {
		d.Values[k] = v
	}
	f.writes.run(func(ctx context.Context) func() {
		if err := f.store.SaveDraft(ctx, d); err != nil {
			return func() { f.shell.Notify(i18n.T("inspect.draft_failed", map[string]any{"Error": err.Error()})) }
		}
		return nil
	})
}

// saveInspection checks the inspection form and, when every field is
// right, adds the inspection in one transaction that drops its draft.
func (f *Feature) saveInspection() {
	fm := f.form
	if fm == nil || fm.inspection == nil {
		return
	}
	in := sites.NewInspection(fm.uuid, time.Now())
	in.Values = map[string]string{}
	for k, v := range fm.inspection.values {
		if v = strings.TrimSpace(v); v != "" {
			in.Values[k] = v
		}
	}
	errs := map[string]string{}
	var ve *sites.ValidationError
	if err := in.Validate(); errors.As(err, &ve) {
		for _, fe := range ve.Fields {
			errs[fe.Field] = fieldMessage(fe)
		}
	}
	fm.inspection.errs = errs
	for name, l := range f.formPanel.inspectionErrors {
		l.SetText(errs[name])
		if l.Text == "" {
			l.Hide()
		} else {
			l.Show()
		}
	}
	if len(errs) > 0 {
		var names []string
		for _, fd := range sites.InspectionFields {
			if _, bad := errs[fd.Name]; bad {
				names = append(names, i18n.T("sites.field."+fd.Name))
			}
		}
		f.shell.Notify(i18n.T("inspect.form.fix", map[string]any{"Fields": strings.Join(names, ", ")}))
		return
	}
	o := sites.EditOptions{By: f.by, Draft: inspectionDraftKey(fm.uuid)}
	f.writes.run(func(ctx context.Context) func() {
		_, err := f.store.AddInspection(ctx, in, o)
		return func() {
			if err != nil {
				f.shell.ShowError(err)
				return
			}
			fm.inspection = nil
			if f.form == fm {
				f.shell.Window().Canvas().Unfocus()
				f.formPanel.show()
			}
			f.loadInspections(fm)
			f.shell.Notify(i18n.T("inspect.inspections.saved", map[string]any{"Name": fm.name}))
		}
	})
}

// cancelInspection closes the inspection form and drops its draft.
func (f *Feature) cancelInspection() {
	fm := f.form
	if fm == nil || fm.inspection == nil {
		return
	}
	fm.inspection = nil
	f.shell.Window().Canvas().Unfocus()
	f.formPanel.show()
	f.writes.run(func(ctx context.Context) func() {
		if err := f.store.DiscardDraft(ctx, inspectionDraftKey(fm.uuid)); err != nil {
			return func() { f.shell.ShowError(err) }
		}
		return nil
	})
}
