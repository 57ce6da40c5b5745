package inspect

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/geo/formats"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/sites"
)

// ErrNoPoints is a file with no layer of points to import as sites.
var ErrNoPoints = errors.New("inspect: the file has no layer of points")

// chooseFile asks for a file to read and calls then with its path.
func (f *Feature) chooseFile(then func(path string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			f.shell.ShowError(err)
			return
		}
		if r == nil {
			return
		}
		r.Close()
		then(r.URI().Path())
	}, f.shell.Window())
	d.Show()
}

// chooseImport asks for a file and imports its sites.
func (f *Feature) chooseImport() { f.chooseFile(f.Import) }

// chooseMerge asks for another inspector's file and merges it.
func (f *Feature) chooseMerge() { f.chooseFile(f.Merge) }

// chooseCopy asks where to save a copy of the store, and saves it.
func (f *Feature) chooseCopy() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			f.shell.ShowError(err)
			return
		}
		if w == nil {
			return
		}
		w.Close()
		f.SaveCopy(w.URI().Path())
	}, f.shell.Window())
	d.SetFileName("sites-copy.gpkg")
	d.Show()
}

// Import imports the points of a file (GeoJSON, GeoPackage, Shapefile,
// KML/KMZ, GPX, CSV; other CRSs reprojected) as new sites, in one
// transaction and one undoable step: all of them, or, when a feature
// cannot be read or is not a valid site, none, with an error that names
// the file, the row and the field. A dialog shows the progress and can
// cancel the import, which then leaves the store as it was.
func (f *Feature) Import(path string) {
	ctx, cancel := context.WithCancel(context.Background())
	bar := widget.NewProgressBar()
	progress := dialog.NewCustomWithoutButtons(i18n.T("inspect.import.title"), container.NewVBox(
		wrapped(i18n.T("inspect.import.reading", map[string]any{"File": filepath.Base(path)})), bar,
		widget.NewButton(i18n.T("inspect.form.cancel"), cancel),
	), f.shell.Window())
	progress.Show()
	f.writes.run(func(context.Context) func() {
		defer cancel()
		report, err := f.importFile(ctx, path, func(done, total int) {
			fyne.Do(func() { bar.SetValue(float64(done) / float64(max(total, 1))) })
		})
		return func() {
			progress.Hide()
			if errors.Is(err, context.Canceled) {
				f.shell.Notify(i18n.T("inspect.import.cancelled"))
				return
			}
			if err != nil {
				f.shell.ShowError(err)
				return
			}
			f.changed(report.Result)
			f.shell.Notify(i18n.N("inspect.import.done", report.Added, map[string]any{"N": i18n.Int(report.Added), "File": filepath.Base(path)}))
		}
	})
}

// importFile reads a file and imports its first layer of points.
func (f *Feature) importFile(ctx context.Context, path string, progress func(done, total int)) (sites.ImportReport, error) {
	data, err := formats.Read(ctx, path, formats.Options{})
	if err != nil {
		return sites.ImportReport{}, err
	}
	for _, l := range data.Layers {
		if len(data.Layers) > 1 && l.Vector.Kind() != layer.KindPoint {
			continue
		}
		features := make([]layer.Feature, 0, l.Vector.Len())
		for feat := range l.Vector.All() {
			features = append(features, *feat)
		}
		return f.store.Import(ctx, features, sites.ImportOptions{
			Name: path, Noun: l.Noun, Rows: l.Rows, By: f.by, Progress: progress,
		})
	}
	return sites.ImportReport{}, fmt.Errorf("%w: %s", ErrNoPoints, path)
}

// Merge merges another inspector's store into this one, in one
// transaction: new sites are added, sites edited on one side only take
// the newer version, and sites edited on both sides become conflicts,
// which the conflicts panel shows for the user to resolve.
func (f *Feature) Merge(path string) {
	o := sites.EditOptions{By: f.by}
	f.writes.run(func(ctx context.Context) func() {
		report, err := f.store.Merge(ctx, path, o)
		var conflicts []sites.Conflict
		if err == nil {
			conflicts, err = f.store.Conflicts(ctx)
		}
		return func() {
			if err != nil {
				f.shell.ShowError(err)
				return
			}
			f.changed(report.Result)
			f.conflicts = conflicts
			f.conflictsP.show()
			f.shell.Notify(i18n.T("inspect.merge.done", map[string]any{
				"File": filepath.Base(path), "Added": i18n.Int(report.Added), "Updated": i18n.Int(report.Updated),
				"Conflicts": i18n.Int(len(report.Conflicts)),
			}))
			if len(conflicts) > 0 {
				f.shell.ShowPanel(ConflictsPanelID)
			}
		}
	})
}

// SaveCopy writes a consistent copy of the store to path, which QGIS or
// another inspector can open. An empty file at path, as a save dialog
// leaves it, is replaced; any other file is not.
func (f *Feature) SaveCopy(path string) {
	f.writes.run(func(ctx context.Context) func() {
		if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() && st.Size() == 0 {
			os.Remove(path)
		}
		err := f.store.SaveCopy(ctx, path)
		return func() {
			if err != nil {
				f.shell.ShowError(err)
				return
			}
			f.shell.Notify(i18n.T("inspect.copy.done", map[string]any{"File": path}))
		}
	})
}

// chooseStore asks for a sites file to edit instead, and opens it.
func (f *Feature) chooseStore() { f.chooseFile(f.OpenStore) }

// OpenStore makes the feature edit the store at path instead of the one
// it edits, and the map draw it; a path where no file is gets a new
// store made from the embedded tailings layer. A file that is not a
// store is refused, with an error naming it, and nothing changes. The
// store left stays open until Close: tiles being drawn may still read
// it.
func (f *Feature) OpenStore(path string) {
	f.writes.run(func(ctx context.Context) func() {
		s, err := sites.Open(ctx, path)
		return func() {
			if err != nil {
				f.shell.ShowError(err)
				return
			}
			if err := f.shell.Atlas().UseLive(liveSource, s.Source()); err != nil {
				s.Close()
				f.shell.ShowError(err)
				return
			}
			f.left = append(f.left, f.store)
			f.store = s
			if f.form != nil {
				f.closeForm()
			}
			f.conflicts = nil
			f.conflictsP.show()
			// A new scene reads the new store; the cached tiles drew the
			// old one.
			f.shell.SetStyle(f.shell.Style().Clone())
			f.shell.Map().Invalidate(orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}})
			f.shell.Notify(i18n.T("inspect.opened", map[string]any{"File": path}))
			f.lookBack()
		}
	})
}

// Close closes the store the feature edits and those it left, once the
// writes asked for are done; the app calls it as it quits.
func (f *Feature) Close() error {
	f.Wait()
	errs := []error{f.store.Close()}
	for _, s := range f.left {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}
