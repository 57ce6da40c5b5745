package present

import (
	"bufio"
	"context"
	"errors"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/ecoatlas/ecoatlas/app/export/words"
	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/geo/export"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/seeds"
)

// Subject is what an export prints.
type Subject int

// The subjects of an export.
const (
	// SubjectView is the map as the window shows it; in presentation
	// mode, with the step's highlight and clause citation.
	SubjectView Subject = iota
	// SubjectStep is the selected step of the selected story.
	SubjectStep
	// SubjectStory is every step of the selected story, a page each: a
	// PDF handout.
	SubjectStory
)

// Format is the file format of an export.
type Format string

// The formats of an export.
const (
	PDF Format = "pdf"
	PNG Format = "png"
	SVG Format = "svg"
)

// Formats are the export formats, in the dialog's order.
var Formats = []Format{PDF, PNG, SVG}

// Settings are the choices of the Export dialog.
type Settings struct {
	Subject Subject
	Format  Format
	// Paper, Landscape, DPI and Grid lay out a PDF or PNG page (see
	// export.Options); an SVG is the map alone, at the window's size.
	Paper     export.Paper
	Landscape bool
	DPI       float64
	Grid      bool
	// Title heads the page; empty, the region's name or the story's
	// title.
	Title string
}

// DefaultSettings are the dialog's first choices: the view as an A4
// landscape PDF at the default resolution.
func DefaultSettings() Settings {
	return Settings{Subject: SubjectView, Format: PDF, Paper: export.A4, Landscape: true, DPI: export.DefaultDPI}
}

// dpiChoices are the resolutions the dialog offers.
var dpiChoices = []float64{export.MinDPI, export.DefaultDPI, 200, export.MaxDPI}

// ShowExport opens the Export dialog: what to print, the format, paper,
// orientation, resolution, grid and title; then where to save it.
func (f *Feature) ShowExport() {
	set := f.exportSettings
	subjects := []string{i18n.T("present.export.view"), i18n.T("present.export.step"), i18n.T("present.export.story")}
	if f.current >= len(f.stories) || len(f.stories[f.current].Steps) == 0 {
		subjects = subjects[:1]
		set.Subject = SubjectView
	}
	subject := widget.NewSelect(subjects, nil)
	formats := []string{"PDF", "PNG", "SVG"}
	format := widget.NewSelect(formats, nil)
	papers := make([]string, len(export.Papers))
	for i, p := range export.Papers {
		papers[i] = p.Name
	}
	paper := widget.NewSelect(papers, nil)
	orientations := []string{i18n.T("present.export.portrait"), i18n.T("present.export.landscape")}
	orientation := widget.NewRadioGroup(orientations, nil)
	orientation.Horizontal = true
	orientation.Required = true
	dpis := make([]string, len(dpiChoices))
	for i, d := range dpiChoices {
		dpis[i] = i18n.Int(int(d))
	}
	dpi := widget.NewSelect(dpis, nil)
	grid := widget.NewCheck(i18n.T("present.export.grid"), nil)
	title := widget.NewEntry()
	title.SetPlaceHolder(f.defaultTitle(set.Subject))

	// The layout's choices mean nothing for an SVG, and a story's
	// handout is a PDF.
	sync := func() {
		if subject.SelectedIndex() == int(SubjectStory) {
			format.SetSelectedIndex(0)
			format.Disable()
		} else {
			format.Enable()
		}
		layoutless := format.SelectedIndex() == 2
		for _, w := range []fyne.Disableable{paper, orientation, dpi, grid} {
			if layoutless {
				w.Disable()
			} else {
				w.Enable()
			}
		}
		title.SetPlaceHolder(f.defaultTitle(Subject(subject.SelectedIndex())))
	}
	subject.SetSelectedIndex(int(set.Subject))
	format.SetSelectedIndex(slices.Index(Formats, set.Format))
	paper.SetSelected(set.Paper.Name)
	orientation.SetSelected(orientations[boolIndex(set.Landscape)])
	dpi.SetSelectedIndex(max(slices.Index(dpiChoices, set.DPI), 0))
	grid.SetChecked(set.Grid)
	title.SetText(set.Title)
	subject.OnChanged = func(string) { sync() }
	format.OnChanged = func(string) { sync() }
	sync()

	form := []*widget.FormItem{
		widget.NewFormItem(i18n.T("present.export.what"), subject),
		widget.NewFormItem(i18n.T("present.export.format"), format),
		widget.NewFormItem(i18n.T("present.export.paper"), paper),
		widget.NewFormItem(i18n.T("present.export.orientation"), orientation),
		widget.NewFormItem(i18n.T("present.export.dpi"), dpi),
		widget.NewFormItem("", grid),
		widget.NewFormItem(i18n.T("present.export.title"), title),
	}
	d := dialog.NewForm(i18n.T("present.export.heading"), i18n.T("present.export.choose"), i18n.T("present.cancel"), form, func(ok bool) {
		if !ok {
			return
		}
		set = Settings{
			Subject:   Subject(subject.SelectedIndex()),
			Format:    Formats[max(format.SelectedIndex(), 0)],
			Paper:     export.Papers[max(paper.SelectedIndex(), 0)],
			Landscape: orientation.Selected == orientations[1],
			DPI:       dpiChoices[max(dpi.SelectedIndex(), 0)],
			Grid:      grid.Checked,
			Title:     strings.TrimSpace(title.Text),
		}
		f.exportSettings = set
		f.askWhere(set)
	}, f.s.Window())
	d.Resize(fyne.NewSize(480, 0))
	d.Show()
}

// boolIndex is 1 for true, 0 for false.
func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

// defaultTitle is the title a page of a subject gets when the user gives
// none.
func (f *Feature) defaultTitle(s Subject) string {
	if s != SubjectView && f.current < len(f.stories) {
		return f.stories[f.current].Title
	}
	return i18n.T("export.page.title")
}

// askWhere asks where to save an export, then runs it.
func (f *Feature) askWhere(set Settings) {
	title := set.Title
	if title == "" {
		title = f.defaultTitle(set.Subject)
	}
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
		f.runExport(set, path)
	}, f.s.Window())
	d.SetFilter(storage.NewExtensionFileFilter([]string{"." + string(set.Format)}))
	d.SetFileName(fileName(title) + "." + string(set.Format))
	d.Show()
}

// runExport runs an export with a progress dialog whose Cancel stops it,
// and says where it saved, or what went wrong.
func (f *Feature) runExport(set Settings, path string) {
	bar := widget.NewProgressBar()
	var cancel context.CancelFunc
	stop := widget.NewButton(i18n.T("present.cancel"), func() { cancel() })
	name := widget.NewLabel(filepath.Base(path))
	d := dialog.NewCustomWithoutButtons(i18n.T("present.export.running"), container.NewVBox(name, bar, stop), f.s.Window())
	d.Resize(fyne.NewSize(420, 0))
	d.Show()
	var done <-chan error
	cancel, done = f.StartExport(set, path, func(p float64) { fyne.Do(func() { bar.SetValue(p) }) })
	go func() {
		err := <-done
		fyne.Do(func() {
			d.Hide()
			switch {
			case errors.Is(err, context.Canceled):
				f.s.Notify(i18n.T("present.export.cancelled"))
			case err != nil:
				f.s.ShowError(err)
			default:
				f.s.Notify(i18n.T("present.export.saved", map[string]any{"File": path}))
			}
		})
	}()
}

// StartExport exports to path off the UI goroutine, telling progress
// (from any goroutine, 0 to 1) how far it has gone. It returns a function
// that cancels it and a channel that receives its outcome once: nil, the
// context's error if cancelled, or an error naming the file. A failed or
// cancelled export leaves no file behind and an older one at path whole.
// Call it on the UI goroutine: the pages are taken from the window as it
// is now.
func (f *Feature) StartExport(set Settings, path string, progress func(float64)) (cancel func(), done <-chan error) {
	ctx, stop := context.WithCancel(context.Background())
	out := make(chan error, 1)
	pages := f.pageSource(set)
	opt := export.Options{Paper: set.Paper, Landscape: set.Landscape, DPI: set.DPI, Grid: set.Grid,
		Lang: f.s.LabelLanguage(), Date: time.Now(), Words: words.Page()}
	vp := f.s.Map().Viewport()
	x := export.New(f.engine)
	go func() {
		defer stop()
		ps, err := pages()
		if err == nil {
			err = writeAtomically(path, func(w io.Writer) error {
				bw := bufio.NewWriterSize(w, 1<<20)
				var err error
				switch set.Format {
				case PNG:
					err = x.WritePNG(ctx, bw, ps[0], opt, progress)
				case SVG:
					err = x.WriteSVG(ctx, bw, ps[0], max(int(vp.Width), 1), max(int(vp.Height), 1), opt)
				default:
					err = x.WritePDF(ctx, bw, ps, opt, progress)
				}
				if err != nil {
					return err
				}
				return bw.Flush()
			})
		}
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		out <- err
	}()
	return stop, out
}

// pageSource returns a function that makes the pages of an export, for
// a goroutine: what the window shows is taken now.
func (f *Feature) pageSource(set Settings) func() ([]export.Page, error) {
	x := export.New(f.engine)
	title := set.Title
	view := f.s.Map().Viewport().Bound()
	if set.Subject == SubjectView && f.mode == nil || f.current >= len(f.stories) || len(f.stories[f.current].Steps) == 0 {
		page := export.Page{Title: title, View: view, Style: f.s.Map().Style()}
		if page.Title == "" {
			page.Title = i18n.T("export.page.title")
		}
		return func() ([]export.Page, error) { return []export.Page{page}, nil }
	}
	s := f.stories[f.current].Clone()
	if set.Subject != SubjectStory {
		s.Steps = s.Steps[f.step : f.step+1]
	}
	if set.Subject == SubjectView {
		// In presentation mode the view is the step's as the presenter
		// has it now, with its highlight and citation.
		s.Steps[0].View = style.Box{view.Min[0], view.Min[1], view.Max[0], view.Max[1]}
	}
	base := f.s.Style()
	d := seeds.Embedded()
	cite := func(n int) string { return export.Citation(d, n) }
	return func() ([]export.Page, error) {
		cm, err := f.clauses()
		if err != nil {
			cm = nil
		}
		pages, err := x.StoryPages(s, base, cm, cite)
		if err != nil {
			return nil, err
		}
		if title != "" {
			for i := range pages {
				pages[i].Title = title
			}
		}
		return pages, nil
	}
}
