// Package tilepacks brings tile packages into the app for planners who
// work offline: File › Open tile package… (Ctrl+O) adds an MBTiles or
// PMTiles file, raster or vector, as layers under the map's thematic
// layers, its credit in the status bar and its zooms open to the map; File
// › Download tiles… prepares such a package from a tile server for the
// area in view (see [Feature.AskDownload]).
//
// Files are read off the UI goroutine; a file that is not a package, or is
// broken, is said in a dialog naming it, and changes nothing.
package tilepacks

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/ecoatlas/ecoatlas/app/filedialog"
	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/tilepack"
	"github.com/ecoatlas/ecoatlas/geo/tilepack/fetch"
)

// overzoom is how many levels past a package's deepest zoom the map may
// go once it shows the package: its tiles magnified, still readable.
const overzoom = 3

// Extensions are the file name endings the open dialog offers.
var Extensions = []string{".mbtiles", ".pmtiles"}

// Feature opens and downloads tile packages. Create it with [New] and
// pass it to shell.WithFeatures; its methods are called on the UI
// goroutine.
type Feature struct {
	shell   *shell.Shell
	opening string   // the file being opened, if any
	opened  []Opened // the packages shown, in the order opened

	download *download // the download panel's state and the download under way or last done

	// FetchOptions tune downloads (rate, concurrency, retries, client);
	// the zero value uses geo/tilepack/fetch's polite defaults.
	FetchOptions fetch.Options
}

// Opened is a package the map shows.
type Opened struct {
	// Path is the package's file.
	Path string
	// Metadata is what the package says about itself.
	Metadata tilepack.Metadata
	// Layers are the ids of the map layers drawing it, bottom first.
	Layers []string
}

// New returns the feature, with no package open.
func New() *Feature { return &Feature{} }

// Install adds File › Open tile package… (Ctrl+O), File › Download
// tiles… and the download panel.
func (f *Feature) Install(s *shell.Shell) {
	first := f.shell != s // listeners outlive the widgets: once per shell
	f.shell = s
	file := s.Menu("menu.file")
	file.Items = append(file.Items,
		&fyne.MenuItem{Label: i18n.T("tilepacks.open"), Action: f.AskOpen,
			Shortcut: &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault}},
		fyne.NewMenuItem(i18n.T("tilepacks.download"), f.AskDownload))
	s.AddShortcut(fyne.KeyO, f.AskOpen)
	f.installDownload(s, first)
}

// Opened returns the packages the map shows, in the order opened.
func (f *Feature) Opened() []Opened { return slices.Clone(f.opened) }

// AskOpen asks for a package file and opens it.
func (f *Feature) AskOpen() {
	filedialog.Open(f.shell.Window(), Extensions, f.Open, f.shell.ShowError)
}

// Open reads the package at path in the background and then shows it on
// the map, under the thematic layers: the credit joins the status bar,
// the map may zoom to a few levels past the package's deepest, and flies
// to the package's area if it is not in view. A file that cannot be
// opened is said in a dialog naming it.
func (f *Feature) Open(path string) {
	if f.opening != "" {
		f.shell.Notify(i18n.T("tilepacks.busy", map[string]any{"File": filepath.Base(f.opening)}))
		return
	}
	f.opening = path
	// The package's layers are made on a copy of the map's style and
	// sources, so the open map is not touched from the background.
	at := f.shell.Atlas()
	scratch := &atlas.Atlas{Style: f.shell.Style().Clone(), Sources: maps.Clone(at.Sources)}
	scratch.Style.Sources = maps.Clone(scratch.Style.Sources)
	below := f.thematicBottom()
	work := func() {
		ids, md, err := addPackage(context.Background(), scratch, path, below)
		done := func() { f.showOpened(path, scratch, ids, md, below, err) }
		if f.shell.Map().Immediate() {
			done()
		} else {
			fyne.Do(done)
		}
	}
	if f.shell.Map().Immediate() {
		work()
	} else {
		go work()
	}
}

// addPackage opens the package at path and adds it to at, under the
// layer below (on top if empty).
func addPackage(ctx context.Context, at *atlas.Atlas, path, below string) ([]string, tilepack.Metadata, error) {
	archive, err := tilepack.Open(path)
	if err != nil {
		return nil, tilepack.Metadata{}, err
	}
	tiles := tilepack.NewTiles(archive, 0)
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	ids, err := at.AddTiles(ctx, sourceName(name), tiles, atlas.TileOptions{Below: below})
	if err != nil {
		archive.Close()
		return nil, tilepack.Metadata{}, fmt.Errorf("%s: %w", path, err)
	}
	return ids, tiles.Metadata(), nil
}

// sourceName makes a file's name a source id: letters, digits and
// underscores.
func sourceName(name string) string {
	id := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		}
		return '_'
	}, name)
	if id == "" {
		return "tiles"
	}
	return "tiles_" + id
}

// showOpened shows a package opened in the background, or says why it could
// not be.
func (f *Feature) showOpened(path string, scratch *atlas.Atlas, ids []string, md tilepack.Metadata, below string, err error) {
	f.opening = ""
	if err != nil {
		f.shell.ShowError(fmt.Errorf("%s %w", i18n.T("tilepacks.openFailed", map[string]any{"File": filepath.Base(path)}), err))
		return
	}
	at := f.shell.Atlas()
	// The style as it is now, with the user's changes made meanwhile,
	// gains the package's layers where they were placed on the copy.
	st := f.shell.Style().Clone()
	var layers []style.Layer
	for _, l := range scratch.Style.Layers {
		if slices.Contains(ids, l.ID) {
			layers = append(layers, l)
		}
	}
	source := layers[0].Source
	at.Sources[source] = scratch.Sources[source]
	st.Sources = maps.Clone(st.Sources) // shared by the styles' clones
	if st.Sources == nil {
		st.Sources = map[string]style.Source{}
	}
	st.Sources[source] = scratch.Style.Sources[source]
	insert := len(st.Layers)
	if i := slices.IndexFunc(st.Layers, func(l style.Layer) bool { return l.ID == below }); i >= 0 {
		insert = i
	}
	st.Layers = slices.Insert(st.Layers, insert, layers...)
	f.shell.SetStyle(st)
	f.opened = append(f.opened, Opened{Path: path, Metadata: md, Layers: ids})

	m := f.shell.Map()
	m.SetMaxZoom(max(m.MaxZoom(), float64(md.MaxZoom+overzoom)))
	if vp := m.Viewport(); !vp.Bound().Intersects(md.Bounds) {
		m.FlyTo(md.Bounds)
	}
	f.shell.Notify(describe(filepath.Base(path), md))
}

// describe says what a package is: its name, kind and zooms.
func describe(file string, md tilepack.Metadata) string {
	name := md.Name
	if name == "" {
		name = file
	}
	kind := i18n.T("tilepacks.raster", map[string]any{"Format": strings.ToUpper(string(md.Format))})
	if md.Format.IsVector() {
		kind = i18n.T("tilepacks.vector")
	}
	return i18n.T("tilepacks.opened", map[string]any{"Name": name, "Kind": kind, "Min": i18n.Int(md.MinZoom), "Max": i18n.Int(md.MaxZoom)})
}

// thematicBottom returns the id of the layer a package goes under: the
// one above the map's last relief or tile layer, so imagery covers the
// base relief and the thematic layers draw over it; "" (on top) if no
// layer is above that.
func (f *Feature) thematicBottom() string {
	st, at := f.shell.Style(), f.shell.Atlas()
	last := -1
	for i, l := range st.Layers {
		if src := at.Sources[l.Source]; src != nil && (src.Relief != nil || src.Tiles != nil) {
			last = i
		}
	}
	if last+1 < len(st.Layers) {
		return st.Layers[last+1].ID
	}
	return ""
}
