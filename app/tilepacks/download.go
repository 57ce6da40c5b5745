package tilepacks

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ecoatlas/ecoatlas/app/filedialog"
	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/tilepack/fetch"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// DownloadPanelID is the id of the download panel in the dock.
const DownloadPanelID = "tilepacks.download"

// shownFailures is how many failed tiles the panel lists.
const shownFailures = 50

// progressInterval is how often the progress bar moves while tiles come.
const progressInterval = 150 * time.Millisecond

// deepestZoom is the deepest zoom the panel offers: street level, where
// public tile servers stop.
const deepestZoom = 19

// download is the state of the download panel: what is asked, and the
// download under way or last done.
type download struct {
	template         string
	minZoom, maxZoom int
	path             string

	running  bool
	cancel   context.CancelFunc
	done     chan struct{} // closed when the download under way ends
	progress fetch.Progress
	result   *fetch.Result
	err      error // why the last download stopped, if it did not finish

	ui *downloadPanel
}

// downloadPanel holds the panel's widgets, built afresh on each Install.
type downloadPanel struct {
	area     *widget.Label
	template *widget.Entry
	minZoom  *widget.Select
	maxZoom  *widget.Select
	estimate *widget.Label
	file     *widget.Label
	choose   *widget.Button
	start    *widget.Button
	stop     *widget.Button
	show     *widget.Button
	bar      *widget.ProgressBar
	status   *widget.Label
	failures *widget.Label
	content  fyne.CanvasObject
}

// AskDownload opens the download panel: the tiles of the area in view, at
// a range of zooms, from an XYZ tile server, into an MBTiles file.
func (f *Feature) AskDownload() {
	f.shell.ShowPanel(DownloadPanelID)
}

// installDownload adds the download panel, built from the feature's state,
// and, once per shell, follows the view to update the area and estimate.
func (f *Feature) installDownload(s *shell.Shell, first bool) {
	if f.download == nil {
		z := int(math.Floor(s.Map().Viewport().Zoom))
		f.download = &download{minZoom: max(0, z), maxZoom: min(z+4, deepestZoom)}
	}
	if first {
		s.OnViewportChanged(func(viewport.Viewport) { f.showEstimate() })
	}
	d := f.download
	p := &downloadPanel{}
	d.ui = p
	p.area = widget.NewLabel("")
	p.area.Wrapping = fyne.TextWrapWord
	p.template = widget.NewEntry()
	p.template.SetPlaceHolder(i18n.T("tilepacks.dl.templateExample"))
	p.template.SetText(d.template)
	p.template.OnChanged = func(t string) { d.template = t; f.showEstimate() }
	zooms := make([]string, deepestZoom+1)
	for z := range zooms {
		zooms[z] = strconv.Itoa(z)
	}
	p.minZoom = widget.NewSelect(zooms, nil)
	p.maxZoom = widget.NewSelect(zooms, nil)
	p.minZoom.SetSelectedIndex(d.minZoom)
	p.maxZoom.SetSelectedIndex(d.maxZoom)
	p.minZoom.OnChanged = func(string) { d.minZoom = p.minZoom.SelectedIndex(); f.showEstimate() }
	p.maxZoom.OnChanged = func(string) { d.maxZoom = p.maxZoom.SelectedIndex(); f.showEstimate() }
	p.estimate = widget.NewLabel("")
	p.estimate.Wrapping = fyne.TextWrapWord
	p.file = widget.NewLabel("")
	p.file.Wrapping = fyne.TextWrapBreak
	p.choose = widget.NewButtonWithIcon(i18n.T("tilepacks.dl.choose"), theme.DocumentSaveIcon(), func() {
		filedialog.Save(s.Window(), "area.mbtiles", f.SetDownloadFile, s.ShowError)
	})
	p.start = widget.NewButtonWithIcon(i18n.T("tilepacks.dl.start"), theme.DownloadIcon(), func() {
		if err := f.StartDownload(); err != nil {
			s.ShowError(err)
		}
	})
	p.start.Importance = widget.HighImportance
	p.stop = widget.NewButtonWithIcon(i18n.T("tilepacks.dl.cancel"), theme.CancelIcon(), f.CancelDownload)
	p.show = widget.NewButtonWithIcon(i18n.T("tilepacks.dl.show"), theme.VisibilityIcon(), func() { f.Open(d.path) })
	p.bar = widget.NewProgressBar()
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.failures = widget.NewLabel("")
	p.failures.Wrapping = fyne.TextWrapBreak
	p.failures.SizeName = theme.SizeNameCaptionText

	form := widget.NewForm(
		widget.NewFormItem(i18n.T("tilepacks.dl.area"), p.area),
		widget.NewFormItem(i18n.T("tilepacks.dl.template"), p.template),
		widget.NewFormItem(i18n.T("tilepacks.dl.zooms"), container.NewGridWithColumns(2, p.minZoom, p.maxZoom)),
		widget.NewFormItem(i18n.T("tilepacks.dl.file"), container.NewBorder(nil, nil, nil, p.choose, p.file)),
	)
	buttons := container.NewGridWithColumns(3, p.start, p.stop, p.show)
	note := widget.NewLabel(i18n.T("tilepacks.dl.note"))
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	top := container.NewVBox(form, p.estimate, buttons, p.bar, p.status, note)
	p.content = container.NewBorder(top, nil, nil, nil, container.NewVScroll(p.failures))
	s.AddPanel(shell.Panel{ID: DownloadPanelID, Title: i18n.T("tilepacks.dl.title"), Icon: theme.DownloadIcon(), Content: p.content})
	f.showEstimate()
	f.showProgress()
}

// request returns what the panel asks for, or what is wrong with it.
func (f *Feature) request() (fetch.Area, *fetch.Template, error) {
	d := f.download
	area := fetch.Area{Bound: f.shell.Map().Viewport().Bound(), MinZoom: d.minZoom, MaxZoom: d.maxZoom}
	if d.minZoom > d.maxZoom {
		return area, nil, errors.New(i18n.T("tilepacks.dl.badZooms", map[string]any{"Min": i18n.Int(d.minZoom), "Max": i18n.Int(d.maxZoom)}))
	}
	if strings.TrimSpace(d.template) == "" {
		return area, nil, errors.New(i18n.T("tilepacks.dl.noTemplate"))
	}
	t, err := fetch.ParseTemplate(strings.TrimSpace(d.template))
	if err != nil {
		return area, nil, fmt.Errorf("%s %w", i18n.T("tilepacks.dl.badTemplate"), err)
	}
	if n := area.Count(); n > fetch.DefaultMaxTiles {
		return area, t, errors.New(i18n.T("tilepacks.dl.tooMany", map[string]any{"N": i18n.Int(n), "Max": i18n.Int(fetch.DefaultMaxTiles)}))
	}
	return area, t, nil
}

// showEstimate shows the area in view, the tile count and size, and
// whether the download can start.
func (f *Feature) showEstimate() {
	d := f.download
	p := d.ui
	if p == nil {
		return
	}
	b := f.shell.Map().Viewport().Bound()
	p.area.SetText(i18n.T("tilepacks.dl.view", map[string]any{
		"West": i18n.Number(b.Min[0], 2), "East": i18n.Number(b.Max[0], 2),
		"South": i18n.Number(b.Min[1], 2), "North": i18n.Number(b.Max[1], 2)}))
	if d.path == "" {
		p.file.SetText(i18n.T("tilepacks.dl.noFile"))
	} else {
		p.file.SetText(d.path)
	}
	area, t, err := f.request()
	if err != nil {
		p.estimate.SetText(err.Error())
	} else {
		e := fetch.EstimateOf(area, t)
		p.estimate.SetText(i18n.N("tilepacks.dl.estimate", e.Tiles, map[string]any{"N": i18n.Int(e.Tiles), "Size": megabytes(e.Bytes)}))
	}
	if err != nil || d.path == "" || d.running {
		p.start.Disable()
	} else {
		p.start.Enable()
	}
}

// megabytes writes a size in MB (hundredths below one), or GB from a
// thousand MB.
func megabytes(bytes int64) string {
	mb := float64(bytes) / 1e6
	if mb >= 1000 {
		return i18n.T("tilepacks.gb", map[string]any{"N": i18n.Number(mb/1000, 1)})
	}
	decimals := 1
	if mb < 1 {
		decimals = 2
	}
	return i18n.T("tilepacks.mb", map[string]any{"N": i18n.Number(mb, decimals)})
}

// StartDownload downloads the tiles the panel asks for into its file, in
// the background, the progress in the panel. Tiles already in the file
// are kept, so starting again after a cancel or failures resumes.
func (f *Feature) StartDownload() error {
	d := f.download
	if d.running {
		return nil
	}
	area, t, err := f.request()
	if err != nil {
		return err
	}
	if d.path == "" {
		return errors.New(i18n.T("tilepacks.dl.noFile"))
	}
	ctx, cancel := context.WithCancel(context.Background())
	d.running, d.cancel, d.done = true, cancel, make(chan struct{})
	d.result, d.err, d.progress = nil, nil, fetch.Progress{Total: area.Count()}
	f.showEstimate()
	f.showProgress()
	opt := f.FetchOptions
	if opt.Name == "" {
		opt.Name = strings.TrimSuffix(filepath.Base(d.path), filepath.Ext(d.path))
	}
	var last time.Time
	opt.Progress = func(p fetch.Progress) {
		if time.Since(last) < progressInterval {
			return
		}
		last = time.Now()
		fyne.Do(func() {
			if d.running {
				d.progress = p
				f.showProgress()
			}
		})
	}
	path, done := d.path, d.done
	go func() {
		// The save dialog leaves the file it was asked for empty: that is
		// a new package, not a broken one to add to.
		if st, err := os.Stat(path); err == nil && st.Size() == 0 {
			os.Remove(path)
		}
		res, err := fetch.Download(ctx, area, t, path, opt)
		fyne.Do(func() {
			cancel()
			d.running, d.result, d.err = false, res, err
			if res != nil {
				d.progress = res.Progress
			}
			f.showEstimate()
			f.showProgress()
			close(done)
		})
	}()
	return nil
}

// CancelDownload stops the download under way; the file keeps the tiles
// stored so far, and starting again resumes.
func (f *Feature) CancelDownload() {
	if d := f.download; d != nil && d.running {
		d.cancel()
	}
}

// WaitDownload waits for the download under way, if any, to end and its
// outcome to show.
func (f *Feature) WaitDownload() {
	if d := f.download; d != nil && d.done != nil {
		<-d.done
	}
}

// DownloadResult returns the outcome of the last download, nil before one
// ended, and the error that stopped it, if any.
func (f *Feature) DownloadResult() (*fetch.Result, error) {
	if f.download == nil {
		return nil, nil
	}
	return f.download.result, f.download.err
}

// showProgress shows the progress bar, the counts and the failed tiles.
func (f *Feature) showProgress() {
	d := f.download
	p := d.ui
	if p == nil {
		return
	}
	pr := d.progress
	if pr.Total > 0 {
		p.bar.SetValue(float64(pr.Done()) / float64(pr.Total))
	} else {
		p.bar.SetValue(0)
	}
	if d.running {
		p.stop.Enable()
	} else {
		p.stop.Disable()
	}
	if !d.running && d.result != nil && pr.Stored+pr.Skipped > 0 {
		p.show.Enable()
	} else {
		p.show.Disable()
	}
	counts := map[string]any{"Done": i18n.Int(pr.Done()), "Total": i18n.Int(pr.Total), "Stored": i18n.Int(pr.Stored),
		"Skipped": i18n.Int(pr.Skipped), "Failed": i18n.Int(pr.Failed), "Size": megabytes(pr.Bytes)}
	switch {
	case d.running:
		p.status.SetText(i18n.T("tilepacks.dl.running", counts))
	case d.err != nil && errors.Is(d.err, context.Canceled):
		p.status.SetText(i18n.T("tilepacks.dl.cancelled", counts))
	case d.err != nil:
		p.status.SetText(i18n.T("tilepacks.dl.failed", map[string]any{"Err": d.err.Error()}))
	case d.result != nil:
		p.status.SetText(i18n.T("tilepacks.dl.finished", counts))
	default:
		p.status.SetText("")
	}
	p.failures.SetText(failureList(d.result))
}

// failureList lists the failed tiles with the reason, the first
// shownFailures of them.
func failureList(r *fetch.Result) string {
	if r == nil || len(r.Failures) == 0 {
		return ""
	}
	lines := []string{i18n.N("tilepacks.dl.failures", len(r.Failures))}
	for i, fl := range r.Failures {
		if i == shownFailures {
			lines = append(lines, i18n.N("tilepacks.dl.moreFailures", len(r.Failures)-shownFailures))
			break
		}
		lines = append(lines, fmt.Sprintf("%v: %v", fl.Tile, fl.Err))
	}
	return strings.Join(lines, "\n")
}

// SetDownloadFile sets the MBTiles file the download writes to, as the
// panel's Choose… button does; an existing package is added to.
func (f *Feature) SetDownloadFile(path string) {
	f.download.path = path
	f.showEstimate()
}
