package tilepacks_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/app/tilepacks"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/tilepack"
	"github.com/ecoatlas/ecoatlas/geo/tilepack/fetch"
	"github.com/ecoatlas/ecoatlas/geo/tilepack/tiletest"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// testdata is the folder of the engine's sample packages.
const testdata = "../../geo/tilepack/testdata"

// newShell returns a shell with the tile package feature, its map over
// the samples' area (58–80° E, 38–47° N) at zoom 5, on an atlas of its
// own since opening a package adds to it.
func newShell(t *testing.T) (*shell.Shell, fyne.Window, *tilepacks.Feature) {
	t.Helper()
	a := test.NewTempApp(t)
	at, err := atlas.LoadDefault(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { at.Close() })
	w := test.NewTempWindow(t, nil)
	f := tilepacks.New()
	f.FetchOptions = fetch.Options{RequestsPerSecond: 1000, Concurrency: 4, Retries: -1}
	s := shell.New(a, w, at, at.Style.Clone(), shell.WithMapOptions(mapview.WithImmediateRendering()), shell.WithFeatures(f))
	t.Cleanup(s.Close)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1000, 600))
	s.Map().SetViewport(viewport.New(orb.Point{69, 42.5}, 5, 0, 0, 1))
	return s, w, f
}

// labels returns the texts of the labels in the window and its overlays.
func labels(w fyne.Window) []string {
	var texts []string
	objs := test.LaidOutObjects(w.Content())
	for _, o := range w.Canvas().Overlays().List() {
		objs = append(objs, test.LaidOutObjects(o)...)
	}
	for _, o := range objs {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	}
	return texts
}

// hasLabel reports whether a label of the window contains text.
func hasLabel(w fyne.Window, text string) bool {
	return slices.ContainsFunc(labels(w), func(l string) bool { return strings.Contains(l, text) })
}

func TestOpen_rasterPackageUnderTheThematicLayers(t *testing.T) {
	s, w, f := newShell(t)
	before := w.Canvas().Capture()
	f.Open(filepath.Join(testdata, "raster.mbtiles"))
	opened := f.Opened()
	if len(opened) != 1 || len(opened[0].Layers) != 1 {
		t.Fatalf("opened %+v, want one package with one layer", opened)
	}
	ids := make([]string, 0, len(s.Style().Layers))
	for _, l := range s.Style().Layers {
		ids = append(ids, l.ID)
	}
	at := slices.Index(ids, opened[0].Layers[0])
	if at < 0 || ids[at-1] != "hillshade" {
		t.Errorf("the package's layer is at %d of %v, want just above the relief", at, ids)
	}
	if !hasLabel(w, "Opened Graticule: PNG imagery, zooms 3–6") {
		t.Errorf("no notice says what was opened: %q", labels(w))
	}
	if s.Map().MaxZoom() < 9 {
		t.Errorf("the map goes to zoom %v, want at least the package's 6 + 3", s.Map().MaxZoom())
	}
	src := s.Style().Sources[s.Style().Layers[at].Source]
	if src.Attribution != "© Graticule makers" {
		t.Errorf("the package's credit is %q", src.Attribution)
	}
	after := w.Canvas().Capture()
	changed := 0
	for y := 0; y < after.Bounds().Dy(); y += 4 {
		for x := 0; x < after.Bounds().Dx(); x += 4 {
			if after.At(x, y) != before.At(x, y) {
				changed++
			}
		}
	}
	if changed < 1000 {
		t.Errorf("the map changed at %d sampled pixels after opening the package", changed)
	}
}

func TestOpen_vectorPMTiles(t *testing.T) {
	s, _, f := newShell(t)
	f.Open(filepath.Join(testdata, "vector_protomaps.pmtiles"))
	opened := f.Opened()
	if len(opened) != 1 || len(opened[0].Layers) < 3 || !opened[0].Metadata.Format.IsVector() {
		t.Fatalf("opened %+v, want a vector package with its schema's layers", opened)
	}
	for _, id := range opened[0].Layers {
		if _, ok := s.Style().Layer(id); !ok {
			t.Errorf("layer %s is not in the map's style", id)
		}
	}
}

func TestOpen_aBadFileIsSaidAndChangesNothing(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "notes.mbtiles")
	if err := os.WriteFile(garbage, []byte("these are my notes, not tiles"), 0o644); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.mbtiles")
	if err := os.WriteFile(broken, append([]byte("SQLite format 3\x00"), make([]byte, 200)...), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{garbage, broken, filepath.Join(dir, "missing.pmtiles")} {
		s, w, f := newShell(t)
		layers := len(s.Style().Layers)
		f.Open(path)
		if len(f.Opened()) != 0 || len(s.Style().Layers) != layers {
			t.Errorf("%s: the map changed", filepath.Base(path))
		}
		top := w.Canvas().Overlays().Top()
		if top == nil {
			t.Errorf("%s: no dialog", filepath.Base(path))
			continue
		}
		said := false
		for _, o := range test.LaidOutObjects(top) {
			if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "Could not open the tile package "+filepath.Base(path)) {
				said = true
			}
		}
		if !said {
			t.Errorf("%s: the dialog does not name the file", filepath.Base(path))
		}
	}
}

// tileServer serves graticule PNG tiles; tiles for which fail returns a
// status answer with it, and every request is counted.
type tileServer struct {
	mu       sync.Mutex
	requests map[string]int
	fail     func(z, x, y int) int // a status other than 200, or 0
	stall    chan struct{}         // if set, requests wait for it
	*httptest.Server
}

func newTileServer(t *testing.T) *tileServer {
	ts := &tileServer{requests: map[string]int{}}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		parts := strings.Split(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), ".png"), "/")
		z, _ := strconv.Atoi(parts[0])
		x, _ := strconv.Atoi(parts[1])
		y, _ := strconv.Atoi(parts[2])
		ts.mu.Lock()
		ts.requests[r.URL.Path]++
		fail, stall := ts.fail, ts.stall
		ts.mu.Unlock()
		if stall != nil {
			select {
			case <-stall:
			case <-r.Context().Done():
				return
			}
		}
		if fail != nil {
			switch code := fail(z, x, y); code {
			case 0:
			case -1:
				w.Header().Set("Content-Type", "image/png")
				w.Write([]byte("<html>not a tile</html>"))
				return
			default:
				http.Error(w, "no", code)
				return
			}
		}
		w.Header().Set("Content-Type", "image/png")
		w.Write(tiletest.Waves(tilepack.ID{Z: z, X: x, Y: y}))
	}))
	t.Cleanup(ts.Close)
	return ts
}

func (ts *tileServer) count() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	n := 0
	for _, c := range ts.requests {
		n += c
	}
	return n
}

// prepare fills in the download panel: the server's template, zooms 5–6
// of the view, a file.
func prepare(t *testing.T, s *shell.Shell, w fyne.Window, ts *tileServer) (path string) {
	t.Helper()
	s.Map().SetViewport(viewport.New(orb.Point{69, 42.5}, 6.5, 0, 0, 1))
	s.ShowPanel(tilepacks.DownloadPanelID)
	var entry *widget.Entry
	var selects []*widget.Select
	for _, o := range test.LaidOutObjects(w.Content()) {
		switch o := o.(type) {
		case *widget.Entry:
			if strings.Contains(o.PlaceHolder, "{z}") {
				entry = o
			}
		case *widget.Select:
			if len(o.Options) > 10 {
				selects = append(selects, o)
			}
		}
	}
	if entry == nil || len(selects) != 2 {
		t.Fatal("the download panel has no template entry and zoom choosers")
	}
	entry.SetText(ts.URL + "/{z}/{x}/{y}.png")
	selects[0].SetSelected("5")
	selects[1].SetSelected("6")
	return filepath.Join(t.TempDir(), "area.mbtiles")
}

// button returns the one button with a text.
func button(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	for _, o := range test.LaidOutObjects(w.Content()) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("no button %q", text)
	return nil
}

func TestDownload_failuresListedAndResumed(t *testing.T) {
	s, w, f := newShell(t)
	ts := newTileServer(t)
	path := prepare(t, s, w, ts)
	if !hasLabel(w, "Choose the MBTiles file") || !button(t, w, "Download").Disabled() {
		t.Fatal("the download can start without a file")
	}
	// The save dialog creates the file empty.
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	f.SetDownloadFile(path)
	if !hasLabel(w, " tiles, about ") || button(t, w, "Download").Disabled() {
		t.Fatalf("no estimate, or the download cannot start: %q", labels(w))
	}
	ts.fail = func(z, x, y int) int {
		switch {
		case z == 6 && x%3 == 0:
			return http.StatusNotFound
		case z == 6 && y%4 == 0:
			return -1 // garbage
		}
		return 0
	}
	test.Tap(button(t, w, "Download"))
	f.WaitDownload()
	res, err := f.DownloadResult()
	if err != nil || res == nil {
		t.Fatalf("the download ended with %v", err)
	}
	if res.Stored+res.Failed != res.Total || res.Failed == 0 || len(res.Failures) != res.Failed {
		t.Fatalf("%d stored, %d failed of %d, %d listed: want every tile stored or listed", res.Stored, res.Failed, res.Total, len(res.Failures))
	}
	if !hasLabel(w, "tiles failed:") || !hasLabel(w, res.Failures[0].Tile.String()+": ") || !hasLabel(w, "Finished: ") {
		t.Errorf("the panel does not list the failed tiles: %q", labels(w))
	}
	failed := res.Failed

	// The server mends; downloading again fetches only what failed.
	ts.mu.Lock()
	ts.fail, ts.requests = nil, map[string]int{}
	ts.mu.Unlock()
	test.Tap(button(t, w, "Download"))
	f.WaitDownload()
	res, err = f.DownloadResult()
	if err != nil || res.Stored != failed || res.Skipped != res.Total-failed || ts.count() != failed {
		t.Errorf("the resumed download stored %d, skipped %d of %d with %d requests (%v); want %d fetched", res.Stored, res.Skipped, res.Total, ts.count(), err, failed)
	}
	test.Tap(button(t, w, "Show on map"))
	if len(f.Opened()) != 1 || f.Opened()[0].Path != path {
		t.Errorf("Show on map opened %+v", f.Opened())
	}
}

func TestDownload_cancelLeavesAValidFile(t *testing.T) {
	s, w, f := newShell(t)
	ts := newTileServer(t)
	path := prepare(t, s, w, ts)
	f.SetDownloadFile(path)
	var served atomic.Int32
	ts.stall = make(chan struct{})
	ts.fail = func(int, int, int) int { served.Add(1); return 0 }
	if err := f.StartDownload(); err != nil {
		t.Fatal(err)
	}
	if button(t, w, "Cancel").Disabled() {
		t.Error("the Cancel button is disabled while downloading")
	}
	f.CancelDownload()
	f.WaitDownload()
	close(ts.stall)
	if _, err := f.DownloadResult(); !errors.Is(err, context.Canceled) {
		t.Errorf("the cancelled download ended with %v", err)
	}
	if !hasLabel(w, "Cancelled after ") {
		t.Errorf("the panel does not say it was cancelled: %q", labels(w))
	}
	a, err := tilepack.Open(path)
	if err != nil {
		t.Fatalf("the cancelled download left no valid package: %v", err)
	}
	a.Close()
}

func TestDownload_tooBigAnAreaIsRefused(t *testing.T) {
	s, w, f := newShell(t)
	ts := newTileServer(t)
	prepare(t, s, w, ts)
	f.SetDownloadFile(filepath.Join(t.TempDir(), "x.mbtiles"))
	for _, o := range test.LaidOutObjects(w.Content()) {
		if sel, ok := o.(*widget.Select); ok && sel.Selected == "6" {
			sel.SetSelected("16")
		}
	}
	if !hasLabel(w, "more than the 50,000 a download may have") || !button(t, w, "Download").Disabled() {
		t.Errorf("an area of millions of tiles can be downloaded: %q", labels(w))
	}
	if err := f.StartDownload(); err == nil {
		t.Error("StartDownload accepted millions of tiles")
	}
}
