package present

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/geo/story"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/seeds"
)

// panel is the story panel of one install: the story chooser, its steps,
// the selected step's title and caption, and the buttons that edit,
// open, save and present.
type panel struct {
	f       *Feature
	content fyne.CanvasObject
	stories *widget.Select
	steps   *widget.List
	title   *widget.Entry
	caption *widget.Entry
	edits   []fyne.Disableable // what needs a selected step
	// refreshing is set while the widgets are set from the feature's
	// state, so that their callbacks do not write it back.
	refreshing bool
}

// newPanel builds the story panel from the feature's state.
func newPanel(f *Feature) *panel {
	p := &panel{f: f}
	p.stories = widget.NewSelect(nil, func(title string) {
		if p.refreshing {
			return
		}
		if i := slices.Index(p.stories.Options, title); i >= 0 {
			f.Select(i, 0)
		}
		p.releaseKeys()
	})
	p.steps = widget.NewList(
		func() int {
			if f.current >= len(f.stories) {
				return 0
			}
			return len(f.stories[f.current].Steps)
		},
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			st := f.stories[f.current]
			if id >= len(st.Steps) {
				return
			}
			o.(*widget.Label).SetText(stepLine(id, st.Steps[id]))
		},
	)
	p.steps.OnSelected = func(id widget.ListItemID) {
		if !p.refreshing {
			f.Select(f.current, id)
			p.releaseKeys()
		}
	}
	p.title = widget.NewEntry()
	p.title.SetPlaceHolder(i18n.T("present.step.title"))
	p.title.OnChanged = func(s string) { p.edit(func(st *story.Step) { st.Title = s }) }
	p.caption = widget.NewMultiLineEntry()
	p.caption.SetPlaceHolder(i18n.T("present.step.caption"))
	p.caption.Wrapping = fyne.TextWrapWord
	p.caption.SetMinRowsVisible(4)
	p.caption.OnChanged = func(s string) { p.edit(func(st *story.Step) { st.Caption = s }) }

	present := widget.NewButtonWithIcon(i18n.T("present.present"), theme.MediaPlayIcon(), f.Present)
	present.Importance = widget.HighImportance
	open := widget.NewButtonWithIcon(i18n.T("present.open"), theme.FolderOpenIcon(), p.open)
	save := widget.NewButtonWithIcon(i18n.T("present.save"), theme.DocumentSaveIcon(), p.save)
	add := widget.NewButtonWithIcon(i18n.T("present.add"), theme.ContentAddIcon(), p.addView)
	up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { p.move(-1) })
	down := widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { p.move(1) })
	remove := widget.NewButtonWithIcon(i18n.T("present.delete"), theme.DeleteIcon(), p.remove)
	p.edits = []fyne.Disableable{up, down, remove, p.title, p.caption, present, save}

	top := container.NewVBox(
		p.stories,
		container.NewGridWithColumns(2, open, save),
		present,
		widget.NewSeparator(),
	)
	editor := container.NewVBox(
		widget.NewSeparator(),
		container.NewBorder(nil, nil, nil, container.NewHBox(up, down), add),
		p.title,
		p.caption,
		remove,
	)
	p.content = container.NewBorder(top, editor, nil, nil, p.steps)
	p.refresh()
	return p
}

// releaseKeys takes the keyboard focus from the panel's chooser and
// list once a story or step is chosen, so that F11 presents at once.
func (p *panel) releaseKeys() {
	if f := p.f; f.s != nil {
		f.s.Window().Canvas().Unfocus()
	}
}

// stepLine is a step's line in the list: its number and heading.
func stepLine(i int, s story.Step) string {
	h := heading(s)
	if h == "" {
		h = i18n.T("present.step.untitled")
	}
	return strconv.Itoa(i+1) + ". " + h
}

// refresh shows the feature's state: its stories, the selected one's
// steps and the selected step.
func (p *panel) refresh() {
	f := p.f
	p.refreshing = true
	defer func() { p.refreshing = false }()
	titles := make([]string, len(f.stories))
	for i, s := range f.stories {
		titles[i] = s.Title
	}
	p.stories.Options = titles
	if f.current < len(titles) {
		p.stories.SetSelected(titles[f.current])
	}
	p.steps.Refresh()
	has := f.current < len(f.stories) && f.step < len(f.stories[f.current].Steps)
	if has {
		p.steps.Select(f.step)
		st := f.stories[f.current].Steps[f.step]
		p.title.SetText(st.Title)
		p.caption.SetText(st.Caption)
	} else {
		p.steps.UnselectAll()
		p.title.SetText("")
		p.caption.SetText("")
	}
	for _, e := range p.edits {
		if has {
			e.Enable()
		} else {
			e.Disable()
		}
	}
}

// edit changes the selected step, as the user types.
func (p *panel) edit(change func(*story.Step)) {
	f := p.f
	if p.refreshing || f.current >= len(f.stories) || f.step >= len(f.stories[f.current].Steps) {
		return
	}
	change(&f.stories[f.current].Steps[f.step])
	p.steps.RefreshItem(f.step)
}

// addView adds the map's current view, with its layers, as a step after
// the selected one.
func (p *panel) addView() {
	f := p.f
	if f.current >= len(f.stories) {
		return
	}
	st := &f.stories[f.current]
	step := story.Capture(f.s.Map().Viewport().Bound(), f.s.Style())
	at := min(f.step+1, len(st.Steps))
	st.Steps = slices.Insert(st.Steps, at, step)
	f.Select(f.current, at)
}

// move moves the selected step by d places.
func (p *panel) move(d int) {
	f := p.f
	st := &f.stories[f.current]
	to := f.step + d
	if to < 0 || to >= len(st.Steps) {
		return
	}
	st.Steps[f.step], st.Steps[to] = st.Steps[to], st.Steps[f.step]
	f.Select(f.current, to)
}

// remove deletes the selected step.
func (p *panel) remove() {
	f := p.f
	st := &f.stories[f.current]
	if f.step >= len(st.Steps) {
		return
	}
	st.Steps = slices.Delete(st.Steps, f.step, f.step+1)
	f.Select(f.current, f.step)
}

// storyFilter lets the file dialogs show story files.
var storyFilter = storage.NewExtensionFileFilter([]string{".json"})

// open asks for a story file and adds it; a file that is not a story, or
// names what the map does not have, is refused with an error naming the
// file, the step and the field.
func (p *panel) open() {
	f := p.f
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			f.s.ShowError(err)
			return
		}
		if r == nil {
			return
		}
		name := r.URI().Path()
		st := f.s.Style()
		go func() {
			defer r.Close()
			s, err := readStory(r, name, st)
			fyne.Do(func() {
				if err != nil {
					f.s.ShowError(err)
					return
				}
				f.AddStory(s)
				f.s.Notify(i18n.T("present.opened", map[string]any{"Title": s.Title, "File": filepath.Base(name)}))
			})
		}()
	}, f.s.Window())
	d.SetFilter(storyFilter)
	d.Show()
}

// readStory reads a story file and checks it against the map's style and
// the declaration; errors name the file, the step and the field.
func readStory(r io.Reader, name string, st *style.Style) (story.Story, error) {
	s, err := story.Parse(r, name)
	if err != nil {
		return story.Story{}, err
	}
	if err := s.Check(st, seeds.Embedded()); err != nil {
		return story.Story{}, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

// save asks where to save the selected story, and saves it there.
func (p *panel) save() {
	f := p.f
	if f.current >= len(f.stories) {
		return
	}
	s := f.stories[f.current].Clone()
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			f.s.ShowError(err)
			return
		}
		if w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		go func() {
			err := saveStory(path, s)
			fyne.Do(func() {
				if err != nil {
					f.s.ShowError(err)
					return
				}
				f.s.Notify(i18n.T("present.saved", map[string]any{"File": filepath.Base(path)}))
			})
		}()
	}, f.s.Window())
	d.SetFilter(storyFilter)
	d.SetFileName(fileName(s.Title) + ".json")
	d.Show()
}

// saveStory writes a story to path, through a file beside it renamed into
// place, so that a failed save leaves the old file whole.
func saveStory(path string, s story.Story) error {
	data, err := s.Marshal()
	if err != nil {
		return err
	}
	return writeAtomically(path, func(w io.Writer) error {
		_, err := io.Copy(w, bytes.NewReader(data))
		return err
	})
}

// writeAtomically writes a file through write next to its destination
// and renames it into place.
func writeAtomically(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".ecoatlas-*"+filepath.Ext(path))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := errors.Join(tmp.Chmod(0o644), tmp.Close()); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// fileName returns a title as a file name: its letters and digits, words
// joined by hyphens.
func fileName(title string) string {
	var out []rune
	dash := false
	for _, r := range title {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r > 0x7f && r != 0xa0:
			if dash && len(out) > 0 {
				out = append(out, '-')
			}
			out, dash = append(out, r), false
		default:
			dash = true
		}
	}
	if len(out) == 0 {
		return "story"
	}
	return string(out)
}
