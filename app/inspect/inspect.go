// Package inspect is the inspectors' editing of tailings sites in the
// app: an "Add site" tool (a click on the map opens the form), a tool
// that picks a site to edit, drag or delete, a form that checks every
// field and says what is wrong next to it, undo and redo (Ctrl+Z,
// Ctrl+Shift+Z or Ctrl+Y, and the Edit menu), drafts of the form kept in the store
// as the user types and offered back after a crash, imports of files
// into the store, merges of another inspector's file with a panel of the
// conflicts to resolve, and "Save a copy".
//
// The sites live in a sites.Store (a GeoPackage) that the map draws live
// (atlas.UseLive): every confirmed edit is one committed transaction, and
// the map draws again only the tiles it touched (mapview.View.Invalidate).
// Every write runs off the UI goroutine, one after another, in the user's
// order; what it did comes back through fyne.Do.
package inspect

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ecoatlas/ecoatlas/app/async"
	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/edit"
	"github.com/ecoatlas/ecoatlas/geo/sites"
)

// Ids of the feature's panels in the shell's dock.
const (
	SitePanelID      = "inspect-site"
	ConflictsPanelID = "inspect-conflicts"
)

// liveSource is the id of the style's source that the store's sites are
// drawn in.
const liveSource = "tailings"

// markerOverlay is the name of the overlay that marks the site the form
// edits.
const markerOverlay = "inspect-marker"

// Feature is the inspectors' editing. Create it with [New] and pass it
// to shell.WithFeatures; its methods are called on the UI goroutine.
type Feature struct {
	store *sites.Store
	left  []*sites.Store // stores edited before the one opened last, closed by Close
	by    string
	shell *shell.Shell

	// The state the widgets are built from, kept across Installs.
	form      *form // the form open, nil when none is
	conflicts []sites.Conflict
	started   bool // the drafts and conflicts of the last session were looked at

	writes     queue
	reads      async.Latest
	add        *addTool
	pick       *pickTool
	formPanel  *formPanel
	conflictsP *conflictsPanel
}

// New returns the editing of the sites of store, recording by as who
// made each edit. The map must draw the store's sites: the atlas's
// "tailings" source reads store.Source() (atlas.UseLive). The feature
// owns the store from then on: Close closes it.
func New(store *sites.Store, by string) *Feature {
	f := &Feature{store: store, by: by}
	f.add = &addTool{f: f}
	f.pick = &pickTool{f: f}
	return f
}

// Store returns the store the feature edits.
func (f *Feature) Store() *sites.Store { return f.store }

// Install adds the feature's panels, toolbar buttons, menu items and
// shortcuts; on the first Install it offers back a form the last session
// left unsaved and says whether merge conflicts wait.
func (f *Feature) Install(s *shell.Shell) {
	f.shell = s
	f.writes.immediate = s.Map().Immediate()
	f.reads.Immediate = s.Map().Immediate()
	f.formPanel = newFormPanel(f)
	f.conflictsP = newConflictsPanel(f)
	s.AddPanel(shell.Panel{ID: SitePanelID, Title: i18n.T("inspect.panel.site"), Icon: theme.DocumentCreateIcon(), Content: f.formPanel.content})
	s.AddPanel(shell.Panel{ID: ConflictsPanelID, Title: i18n.T("inspect.panel.conflicts"), Icon: theme.WarningIcon(), Content: f.conflictsP.content})

	addButton := widget.NewButtonWithIcon(i18n.T("inspect.add"), theme.ContentAddIcon(), f.StartAdding)
	addButton.Importance = widget.LowImportance
	s.AddToolbarItem(addButton)
	pickButton := widget.NewButtonWithIcon(i18n.T("inspect.pick"), theme.DocumentCreateIcon(), f.StartPicking)
	pickButton.Importance = widget.LowImportance
	s.AddToolbarItem(pickButton)

	// The window reports Ctrl+Z and Ctrl+Y as Fyne's own undo and redo
	// shortcuts; Ctrl+Shift+Z is a shortcut of its own.
	undo := &fyne.ShortcutUndo{}
	redo := &desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	editMenu := s.Menu("menu.edit")
	editMenu.Items = append(editMenu.Items,
		&fyne.MenuItem{Label: i18n.T("inspect.undo"), Action: f.Undo, Shortcut: undo},
		&fyne.MenuItem{Label: i18n.T("inspect.redo"), Action: f.Redo, Shortcut: redo},
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(i18n.T("inspect.add"), f.StartAdding),
		fyne.NewMenuItem(i18n.T("inspect.pick"), f.StartPicking),
	)
	file := s.Menu("menu.file")
	file.Items = append(file.Items,
		fyne.NewMenuItem(i18n.T("inspect.open"), f.chooseStore),
		fyne.NewMenuItem(i18n.T("inspect.import"), f.chooseImport),
		fyne.NewMenuItem(i18n.T("inspect.merge"), f.chooseMerge),
		fyne.NewMenuItem(i18n.T("inspect.save_copy"), f.chooseCopy),
	)
	tools := s.Menu("menu.tools")
	tools.Items = append(tools.Items, fyne.NewMenuItem(i18n.T("inspect.panel.conflicts"), f.ShowConflicts))
	s.RefreshMenu()
	canvas := s.Window().Canvas()
	canvas.AddShortcut(undo, func(fyne.Shortcut) { f.Undo() })
	canvas.AddShortcut(redo, func(fyne.Shortcut) { f.Redo() })
	canvas.AddShortcut(&fyne.ShortcutRedo{}, func(fyne.Shortcut) { f.Redo() })

	if f.form != nil {
		f.formPanel.show()
		s.ShowPanel(SitePanelID)
	}
	f.conflictsP.show()
	f.setMarker()
	if !f.started {
		f.started = true
		f.lookBack()
	}
}

// lookBack offers back the form of a new or edited site that the last
// session left unsaved (the app crashed, or was killed, while it was
// being typed), and says whether merge conflicts wait.
func (f *Feature) lookBack() {
	f.writes.run(func(ctx context.Context) func() {
		drafts, err := f.store.Drafts(ctx)
		if err != nil {
			return func() { f.shell.ShowError(err) }
		}
		conflicts, cerr := f.store.Conflicts(ctx)
		var draft, inspection *sites.Draft
		for i := range drafts {
			switch drafts[i].Kind {
			case sites.SiteDraft:
				draft = &drafts[i] // the newest
			case sites.InspectionDraft:
				inspection = &drafts[i]
			}
		}
		if draft == nil && inspection != nil {
			// A new inspection's form shows in its site's form.
			draft = &sites.Draft{Kind: sites.SiteDraft, Subject: inspection.Subject}
		}
		var site sites.Site
		if draft != nil && draft.Subject != "" {
			if site, err = f.store.Site(ctx, draft.Subject); err != nil {
				draft = nil // the site is gone: the draft has nothing to complete
			}
		}
		return func() {
			if cerr == nil && len(conflicts) > 0 {
				f.conflicts = conflicts
				f.conflictsP.show()
				f.shell.Notify(i18n.N("inspect.conflicts.waiting", len(conflicts)))
			}
			if draft == nil || f.form != nil {
				return
			}
			fm := formFromDraft(*draft, site)
			if inspection != nil && inspection.Subject == fm.uuid {
				fm.inspection = &inspectionForm{values: inspection.Values, errs: map[string]string{}, restored: inspection.SavedAt}
			}
			f.openForm(fm)
		}
	})
}

// StartAdding puts the "Add site" tool to use: the next click on the map
// opens the form of a new site there.
func (f *Feature) StartAdding() {
	f.shell.UseTool(f.add)
	f.shell.Notify(i18n.T("inspect.add.hint"))
}

// StartPicking puts the site tool to use: a click on a site opens its
// form; the site the form shows can then be dragged to a new position.
func (f *Feature) StartPicking() {
	f.shell.UseTool(f.pick)
	f.shell.Notify(i18n.T("inspect.pick.hint"))
}

// Undo undoes the last edit still done, whoever made it.
func (f *Feature) Undo() {
	f.step(f.store.Undo, edit.ErrNothingToUndo, "inspect.undone", "inspect.nothing_to_undo")
}

// Redo does again the last edit undone.
func (f *Feature) Redo() {
	f.step(f.store.Redo, edit.ErrNothingToRedo, "inspect.redone", "inspect.nothing_to_redo")
}

// step runs an undo or a redo and says what it did.
func (f *Feature) step(do func(context.Context) (edit.Result, error), none error, doneKey, noneKey string) {
	f.writes.run(func(ctx context.Context) func() {
		res, err := do(ctx)
		return func() {
			switch {
			case errors.Is(err, none):
				f.shell.Notify(i18n.T(noneKey))
			case err != nil:
				f.shell.ShowError(err)
			default:
				f.changed(res)
				f.shell.Notify(i18n.T(doneKey, map[string]any{"Label": res.Step.Label}))
			}
		}
	})
}

// changed draws again the part of the map an edit touched.
func (f *Feature) changed(res edit.Result) {
	if res.HasBound {
		f.shell.Map().Invalidate(res.Bound)
	}
}

// Wait blocks until the writes and reads asked for are done and shown;
// tests call it.
func (f *Feature) Wait() {
	f.writes.wait()
	f.reads.Wait()
}
