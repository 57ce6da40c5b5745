// Package bookmarks is the bookmark panel of the desktop app: the user
// saves the current view with its layer set under a name, renames,
// reorders and deletes bookmarks, jumps to one with a click, and imports
// and exports them as JSON files. The list is kept in the user's
// configuration folder (see bookmark.DefaultPath) and saved after every
// change, atomically and off the UI goroutine.
//
// The model is package geo/bookmark, free of the UI toolkit; this package
// only shows it. Other features (a presentation's story steps) read the
// list with [Feature.List] and move the map with [Feature.Jump].
package bookmarks

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ecoatlas/ecoatlas/app/filedialog"
	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/bookmark"
)

// PanelID is the id of the bookmark panel in the shell's dock.
const PanelID = "bookmarks"

// Feature is the bookmark panel. Create it with [New].
type Feature struct {
	list    bookmark.List
	loadErr error // the list could not be read; shown once installed
	saver   *saver

	shell *shell.Shell
	name  *widget.Entry
	rows  *fyne.Container
}

// New returns the bookmark feature keeping its list in the file at path,
// read now (a file that does not exist yet is an empty list). A file that
// cannot be read is set aside, renamed with the suffix ".unreadable", so
// that saving bookmarks never overwrites it, and the feature says so when
// installed; if it cannot be set aside, bookmarks are not saved at all.
func New(path string) *Feature {
	f := &Feature{saver: &saver{path: path}}
	list, err := bookmark.Load(path)
	if err == nil {
		f.list = list
		return f
	}
	kept := path + ".unreadable"
	if renameErr := os.Rename(path, kept); renameErr != nil {
		f.saver.path = ""
		f.loadErr = fmt.Errorf("%s %w", i18n.T("bookmarks.unsaved"), err)
	} else {
		f.loadErr = fmt.Errorf("%s %w", i18n.T("bookmarks.unreadable", map[string]any{"Kept": kept}), err)
	}
	return f
}

// Install adds the panel and its View menu item (Ctrl+B) to the shell;
// the toolbar has no room for a button.
func (f *Feature) Install(s *shell.Shell) {
	f.shell = s
	f.saver.failed = func(err error) { s.ShowError(err) }
	s.AddPanel(shell.Panel{ID: PanelID, Title: i18n.T("bookmarks.title"), Icon: theme.StorageIcon(), Content: f.panel()})
	show := func() { s.ShowPanel(PanelID) }
	view := s.Menu("menu.view")
	view.Items = append(view.Items, fyne.NewMenuItemSeparator(),
		&fyne.MenuItem{Label: i18n.T("bookmarks.menu"), Action: show, Shortcut: shortcut(fyne.KeyB)})
	s.AddShortcut(fyne.KeyB, show)
	if f.loadErr != nil {
		s.ShowError(f.loadErr)
		f.loadErr = nil
	}
}

// List returns a copy of the bookmarks, in the user's order.
func (f *Feature) List() bookmark.List { return append(bookmark.List(nil), f.list...) }

// Add saves what the map shows as a bookmark named name (a numbered
// "View N" when blank) at the end of the list, and returns it.
func (f *Feature) Add(name string) bookmark.Bookmark {
	if name == "" {
		name = i18n.T("bookmarks.default", map[string]any{"N": i18n.Int(len(f.list) + 1)})
	}
	b := bookmark.Capture(name, f.shell.Map().Viewport(), f.shell.Style())
	if err := f.list.Add(b); err != nil {
		f.shell.ShowError(err)
		return b
	}
	f.changed()
	return b
}

// Jump shows the bookmark with an ID: the map flies to its view, fitted
// to the map's size, and the layers take its visibility, opacity and
// order.
func (f *Feature) Jump(id string) error {
	b, ok := f.list.Find(id)
	if !ok {
		return fmt.Errorf("%w: %s", bookmark.ErrNotFound, id)
	}
	m := f.shell.Map()
	vp := m.Viewport()
	f.shell.SetStyle(b.Apply(f.shell.Style()))
	m.AnimateTo(b.View.Viewport(vp.Width, vp.Height, vp.Scale))
	return nil
}

// Import adds the bookmarks of a file that the list does not have yet,
// reading it off the UI goroutine, and says how many it added.
func (f *Feature) Import(path string) {
	f.background(func() func() {
		var l bookmark.List
		data, err := os.ReadFile(path)
		if err == nil {
			if l, err = bookmark.Parse(data); err != nil {
				err = fmt.Errorf("%s: %w", path, err)
			}
		}
		return func() {
			if err != nil {
				f.shell.ShowError(err)
				return
			}
			n := f.list.Import(l)
			f.changed()
			f.shell.Notify(i18n.N("bookmarks.imported", n))
		}
	})
}

// Export writes every bookmark to a file, off the UI goroutine.
func (f *Feature) Export(path string) {
	l := f.List()
	f.background(func() func() {
		err := bookmark.Save(path, l)
		return func() {
			if err != nil {
				f.shell.ShowError(err)
				return
			}
			f.shell.Notify(i18n.N("bookmarks.exported", len(l), map[string]any{"N": i18n.Int(len(l)), "File": path}))
		}
	})
}

// background runs work off the UI goroutine and then what it returns on
// it; in place when the map renders immediately (in tests), where Fyne's
// test driver would run the second part on the worker's goroutine.
func (f *Feature) background(work func() (then func())) {
	if f.shell.Map().Immediate() {
		work()()
		return
	}
	go func() {
		then := work()
		fyne.Do(then)
	}()
}

// Wait blocks until the last change is saved; the app calls it before it
// quits.
func (f *Feature) Wait() { f.saver.wait() }

// changed saves the list and shows it again.
func (f *Feature) changed() {
	f.saver.save(f.List())
	f.showRows()
}

// panel returns the panel's content: the name of a new bookmark and the
// button saving it, the bookmarks, and import and export.
func (f *Feature) panel() fyne.CanvasObject {
	f.name = widget.NewEntry()
	f.name.SetPlaceHolder(i18n.T("bookmarks.name"))
	add := widget.NewButtonWithIcon(i18n.T("bookmarks.add"), theme.ContentAddIcon(), func() {
		f.Add(f.name.Text)
		f.name.SetText("")
	})
	add.Importance = widget.HighImportance
	f.name.OnSubmitted = func(string) { add.OnTapped() }
	f.rows = container.NewVBox()
	f.showRows()
	importButton := widget.NewButtonWithIcon(i18n.T("bookmarks.import"), theme.FolderOpenIcon(), func() {
		filedialog.Open(f.shell.Window(), []string{".json"}, f.Import, f.shell.ShowError)
	})
	exportButton := widget.NewButtonWithIcon(i18n.T("bookmarks.export"), theme.DocumentSaveIcon(), func() {
		filedialog.Save(f.shell.Window(), bookmark.FileName, f.Export, f.shell.ShowError)
	})
	top := container.NewBorder(nil, nil, nil, add, f.name)
	bottom := container.NewGridWithColumns(2, importButton, exportButton)
	return container.NewBorder(top, bottom, nil, nil, container.NewVScroll(f.rows))
}

// showRows lists the bookmarks, or says there are none.
func (f *Feature) showRows() {
	if f.rows == nil {
		return
	}
	f.rows.RemoveAll()
	if len(f.list) == 0 {
		empty := widget.NewLabel(i18n.T("bookmarks.empty"))
		empty.Wrapping = fyne.TextWrapWord
		empty.Importance = widget.LowImportance
		f.rows.Add(empty)
	}
	for i, b := range f.list {
		f.rows.Add(f.row(i, b))
	}
	f.rows.Refresh()
}

// row returns a bookmark's line: its name, which jumps there, when it was
// saved, and buttons to move it, rename it and delete it.
func (f *Feature) row(i int, b bookmark.Bookmark) fyne.CanvasObject {
	id := b.ID
	jump := widget.NewButton(b.Name, func() { f.shell.ShowError(f.Jump(id)) })
	jump.Alignment = widget.ButtonAlignLeading
	jump.Importance = widget.LowImportance
	detail := widget.NewLabel(i18n.T("bookmarks.detail", map[string]any{
		"Date": i18n.Date(b.Created.Local()), "Zoom": i18n.Number(b.View.Zoom, 1),
	}))
	detail.SizeName = theme.SizeNameCaptionText
	up := iconButton(theme.MoveUpIcon(), func() { f.move(id, i-1) })
	down := iconButton(theme.MoveDownIcon(), func() { f.move(id, i+1) })
	if i == 0 {
		up.Disable()
	}
	if i == len(f.list)-1 {
		down.Disable()
	}
	rename := iconButton(theme.DocumentCreateIcon(), func() { f.askRename(id) })
	remove := iconButton(theme.DeleteIcon(), func() { f.askDelete(id) })
	buttons := container.NewHBox(up, down, rename, remove)
	return container.NewVBox(container.NewBorder(nil, nil, nil, buttons, container.NewVBox(jump, detail)), widget.NewSeparator())
}

// iconButton returns a low-importance button with only an icon.
func iconButton(icon fyne.Resource, tapped func()) *widget.Button {
	b := widget.NewButtonWithIcon("", icon, tapped)
	b.Importance = widget.LowImportance
	return b
}

// move puts a bookmark at another place in the list.
func (f *Feature) move(id string, to int) {
	if err := f.list.Move(id, to); err != nil {
		f.shell.ShowError(err)
		return
	}
	f.changed()
}

// askRename asks for a bookmark's new name.
func (f *Feature) askRename(id string) {
	b, ok := f.list.Find(id)
	if !ok {
		return
	}
	entry := widget.NewEntry()
	entry.SetText(b.Name)
	items := []*widget.FormItem{widget.NewFormItem(i18n.T("bookmarks.newname"), entry)}
	dialog.ShowForm(i18n.T("bookmarks.rename"), i18n.T("bookmarks.rename"), i18n.T("bookmarks.cancel"), items, func(ok bool) {
		if ok {
			f.Rename(id, entry.Text)
		}
	}, f.shell.Window())
}

// Rename gives a bookmark a new name; a blank one is refused with a
// message.
func (f *Feature) Rename(id, name string) {
	if err := f.list.Rename(id, name); err != nil {
		if errors.Is(err, bookmark.ErrInvalid) {
			err = errors.New(i18n.T("bookmarks.blank"))
		}
		f.shell.ShowError(err)
		return
	}
	f.changed()
}

// askDelete deletes a bookmark once the user confirms.
func (f *Feature) askDelete(id string) {
	b, ok := f.list.Find(id)
	if !ok {
		return
	}
	dialog.ShowConfirm(i18n.T("bookmarks.delete"), i18n.T("bookmarks.delete.ask", map[string]any{"Name": b.Name}), func(ok bool) {
		if ok {
			f.Delete(id)
		}
	}, f.shell.Window())
}

// Delete removes a bookmark.
func (f *Feature) Delete(id string) {
	if err := f.list.Delete(id); err != nil {
		f.shell.ShowError(err)
		return
	}
	f.changed()
}

// shortcut returns Ctrl (⌘ on macOS) plus a key, as menus show it.
func shortcut(key fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
}

// saver writes the list to its file on a goroutine of its own, one save
// at a time, the newest list last: a burst of changes costs at most two
// writes.
type saver struct {
	path   string
	failed func(error) // on the UI goroutine

	mu      sync.Mutex
	pending bookmark.List
	dirty   bool
	busy    bool
	done    sync.WaitGroup
}

// save writes l soon, unless the saver has no file.
func (s *saver) save(l bookmark.List) {
	if s.path == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending, s.dirty = l, true
	if s.busy {
		return
	}
	s.busy = true
	s.done.Add(1)
	go s.run()
}

// run saves until nothing is pending.
func (s *saver) run() {
	defer s.done.Done()
	for {
		s.mu.Lock()
		if !s.dirty {
			s.busy = false
			s.mu.Unlock()
			return
		}
		l := s.pending
		s.dirty = false
		s.mu.Unlock()
		if err := bookmark.Save(s.path, l); err != nil && s.failed != nil {
			fyne.Do(func() { s.failed(err) })
		}
	}
}

// wait blocks until every save has finished.
func (s *saver) wait() { s.done.Wait() }
