package inspect

import (
	"context"
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/geo/edit"
	"github.com/ecoatlas/ecoatlas/geo/sites"
)

// conflictsPanel lists the merge conflicts still open: for each record
// edited both here and in a merged file, both versions of every field
// that differs, and buttons that keep one.
type conflictsPanel struct {
	f       *Feature
	body    *fyne.Container
	content fyne.CanvasObject
}

func newConflictsPanel(f *Feature) *conflictsPanel {
	p := &conflictsPanel{f: f, body: container.NewVBox()}
	p.content = container.NewVScroll(container.NewPadded(p.body))
	return p
}

// show builds the panel afresh from the feature's conflicts.
func (p *conflictsPanel) show() {
	if len(p.f.conflicts) == 0 {
		p.body.Objects = []fyne.CanvasObject{wrapped(i18n.T("inspect.conflicts.none"))}
		p.body.Refresh()
		return
	}
	objects := []fyne.CanvasObject{wrapped(i18n.N("inspect.conflicts.intro", len(p.f.conflicts)))}
	for _, c := range p.f.conflicts {
		objects = append(objects, widget.NewSeparator(), p.conflict(c))
	}
	p.body.Objects = objects
	p.body.Refresh()
}

// conflict shows one conflict.
func (p *conflictsPanel) conflict(c sites.Conflict) fyne.CanvasObject {
	name := c.UUID
	if c.Theirs != nil {
		name = fmt.Sprint(c.Theirs.Properties["name"])
	}
	kind := i18n.T("inspect.conflicts.table." + c.Table)
	title := widget.NewLabelWithStyle(i18n.T("inspect.conflicts.title", map[string]any{"Kind": kind, "Name": name, "File": filepath.Base(c.Source)}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	grid := container.New(layout.NewGridLayout(3),
		bold(i18n.T("inspect.conflicts.field")), bold(i18n.T("inspect.conflicts.ours")), bold(i18n.T("inspect.conflicts.theirs")))
	for _, field := range c.Differences() {
		ours, theirs := versions(c, field)
		grid.Add(wrapped(fieldTitle(field)))
		grid.Add(wrapped(ours))
		grid.Add(wrapped(theirs))
	}
	keep := widget.NewButton(i18n.T("inspect.conflicts.keep_ours"), func() { p.f.resolve(c, sites.KeepOurs) })
	take := widget.NewButton(i18n.T("inspect.conflicts.take_theirs"), func() { p.f.resolve(c, sites.TakeTheirs) })
	return container.NewVBox(title, grid, container.NewHBox(keep, take))
}

// bold is a label in bold.
func bold(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// fieldTitle is the name a field shows under.
func fieldTitle(field string) string {
	if _, ok := sites.SiteField(field); ok || field == positionField {
		return i18n.T("sites.field." + field)
	}
	if field == deletedField {
		return i18n.T("inspect.conflicts.record")
	}
	if fd, ok := sites.InspectionField(field); ok {
		return fd.Label
	}
	return field
}

// deletedField is what Conflict.Differences lists for a record deleted
// here since.
const deletedField = "deleted"

// versions returns both versions of a field of a conflict, as text.
func versions(c sites.Conflict, field string) (ours, theirs string) {
	text := func(r *edit.Record) string {
		switch {
		case r == nil:
			return i18n.T("inspect.conflicts.deleted")
		case field == deletedField:
			return i18n.T("inspect.conflicts.kept")
		case field == positionField:
			if p, ok := r.Geometry.(orb.Point); ok {
				return formatPosition(p)
			}
			return ""
		}
		v, ok := r.Properties[field]
		if !ok || v == nil {
			return ""
		}
		text := fmt.Sprint(v)
		if fd, ok := sites.SiteField(field); ok && fd.Kind == sites.Choice && c.Table == sites.SitesTable {
			return i18n.T("sites.option." + field + "." + text)
		}
		return text
	}
	return text(c.Ours), text(c.Theirs)
}

// resolve resolves a conflict by keeping one version, and shows the
// conflicts left.
func (f *Feature) resolve(c sites.Conflict, how sites.Resolution) {
	o := sites.EditOptions{By: f.by}
	f.writes.run(func(ctx context.Context) func() {
		res, err := f.store.Resolve(ctx, c.ID, how, o)
		conflicts, cerr := f.store.Conflicts(ctx)
		return func() {
			if err != nil {
				f.shell.ShowError(err)
				return
			}
			if cerr == nil {
				f.conflicts = conflicts
			}
			f.conflictsP.show()
			f.changed(res)
			f.shell.Notify(i18n.T("inspect.conflicts.resolved"))
		}
	})
}

// ShowConflicts opens the panel of the merge conflicts still open, read
// afresh from the store.
func (f *Feature) ShowConflicts() {
	f.shell.ShowPanel(ConflictsPanelID)
	f.reads.Run(func(ctx context.Context) func() {
		conflicts, err := f.store.Conflicts(ctx)
		return func() {
			if err != nil {
				f.shell.ShowError(err)
				return
			}
			f.conflicts = conflicts
			f.conflictsP.show()
		}
	})
}
