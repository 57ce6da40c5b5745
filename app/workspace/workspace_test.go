package workspace_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/filter"
	"github.com/ecoatlas/ecoatlas/app/identify"
	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/app/workspace"
	"github.com/ecoatlas/ecoatlas/geo/query"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

var loadEngine = sync.OnceValues(func() (*query.Engine, error) {
	return query.Default(context.Background())
})

// app is the shell with identify, the filter and the workspace.
type app struct {
	s  *shell.Shell
	id *identify.Feature
	fl *filter.Feature
	ws *workspace.Feature
	w  fyne.Window
}

// newApp starts the app on the workspace of dir, in a 1000×700 test
// window rendering synchronously.
func newApp(t *testing.T, dir string) *app {
	t.Helper()
	a := test.NewTempApp(t)
	e, err := loadEngine()
	if err != nil {
		t.Fatal(err)
	}
	id := identify.New(e)
	fl := filter.New(e)
	ws := workspace.New(dir, fl, id)
	w := test.NewTempWindow(t, nil)
	s := shell.New(a, w, e.Atlas(), e.Atlas().Style.Clone(),
		shell.WithMapOptions(mapview.WithImmediateRendering()), shell.WithFeatures(id, fl, ws))
	t.Cleanup(s.Close)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1000, 700))
	return &app{s: s, id: id, fl: fl, ws: ws, w: w}
}

// notice returns the status bar's notice, if one shows.
func (a *app) notice() string {
	for _, o := range test.LaidOutObjects(a.w.Content()) {
		if l, ok := o.(*widget.Label); ok && l.Visible() && l.Importance == widget.HighImportance {
			return l.Text
		}
	}
	return ""
}

var mailuuSuu = query.Ref{Layer: "tailings", ID: "kg-mailuu-suu-uranium-legacy"}

func TestWorkspace_aCorruptFileIsSaidSetAsideAndTheAppWorks(t *testing.T) {
	for _, tc := range []struct {
		name, content string
		err           error
	}{
		{"corrupt", `{"version": 1, "view": {"center": [70, 4`, workspace.ErrCorrupt},
		{"not a workspace", `[1, 2, 3]`, workspace.ErrCorrupt},
		{"no version", `{"view": {"center": [70, 42], "zoom": 6}}`, workspace.ErrCorrupt},
		{"newer", `{"version": 99, "hologram": true}`, workspace.ErrNewer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, workspace.FileName)
			if err := os.WriteFile(path, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := workspace.Load(dir)
			var le *workspace.LoadError
			if !errors.Is(err, tc.err) || !errors.As(err, &le) || le.Path != path {
				t.Fatalf("Load: %v, want a LoadError of %s that wraps %v", err, path, tc.err)
			}

			a := newApp(t, dir)

			if n := a.notice(); !strings.Contains(n, "starting afresh") || !strings.Contains(n, workspace.SetAsideName) {
				t.Errorf("the status bar says %q, want that the app starts afresh and where the file was kept", n)
			}
			kept, err := os.ReadFile(filepath.Join(dir, workspace.SetAsideName))
			if err != nil || string(kept) != tc.content {
				t.Errorf("the unusable file was not kept as it was: %q, %v", kept, err)
			}
			// The app keeps working, and saves a good workspace.
			a.id.Select(mailuuSuu)
			a.id.Wait()
			if ref, ok := a.id.Selected(); !ok || ref != mailuuSuu {
				t.Fatal("after the notice the app does not select")
			}
			if w, err := workspace.Load(dir); err != nil || w == nil || string(w.Parts["selection"]) == "" {
				t.Errorf("the workspace saved after a change reads as %+v, %v", w, err)
			}
		})
	}
}

func TestWorkspace_anUnreadableFileIsSaidAndLeftAlone(t *testing.T) {
	dir := t.TempDir()
	// A directory where the file should be: it cannot be read, nor set
	// aside as a file, and must not be saved over.
	if err := os.Mkdir(filepath.Join(dir, workspace.FileName), 0o755); err != nil {
		t.Fatal(err)
	}
	a := newApp(t, dir)
	if n := a.notice(); !strings.Contains(n, "could not be reopened") {
		t.Errorf("the status bar says %q, want that the workspace could not be reopened", n)
	}
	a.id.Select(mailuuSuu)
	if err := a.ws.Save(); err != nil {
		t.Errorf("Save: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(dir, workspace.FileName)); err != nil || !fi.IsDir() {
		t.Error("what stood in the workspace file's place was replaced")
	}
}

func TestWorkspace_reopensWhereTheUserLeftIt(t *testing.T) {
	dir := t.TempDir()
	a := newApp(t, dir)
	a.s.Map().SetViewport(viewport.New(orb.Point{72.4, 41.2}, 8.5, 0, 0, 1))
	st := a.s.Style().Clone()
	lakes, _ := st.Layer("lakes")
	lakes.Hidden = true
	rivers, _ := st.Layer("rivers")
	rivers.Opacity = 0.4
	i := slices.IndexFunc(st.Layers, func(l style.Layer) bool { return l.ID == "rivers" })
	st.Layers[i], st.Layers[i+1] = st.Layers[i+1], st.Layers[i]
	a.s.SetStyle(st)
	a.fl.SetFilter(query.Filter{}.With("tailings", "country", "KGZ"))
	a.id.Select(mailuuSuu)
	a.s.SetLabelLanguage("ru")
	if err := a.ws.Save(); err != nil {
		t.Fatal(err)
	}
	order := layerIDs(a.s)

	b := newApp(t, dir)

	if n := b.notice(); n != "" {
		t.Errorf("a good workspace brought a notice: %q", n)
	}
	vp := b.s.Map().Viewport()
	if vp.Zoom != 8.5 || vp.Center[0] != 72.4 || vp.Center[1] != 41.2 {
		t.Errorf("the view reopened at %v z%v, want 72.4 41.2 z8.5", vp.Center, vp.Zoom)
	}
	if got := layerIDs(b.s); !slices.Equal(got, order) {
		t.Errorf("the layers reopened in the order %v, want %v", got, order)
	}
	if l, _ := b.s.Style().Layer("lakes"); !l.Hidden {
		t.Error("the hidden lakes reopened shown")
	}
	if l, _ := b.s.Style().Layer("rivers"); l.Opacity != 0.4 {
		t.Errorf("the rivers reopened at opacity %v, want 0.4", l.Opacity)
	}
	if got := b.fl.Filter().Values("tailings", "country"); !slices.Equal(got, []any{"KGZ"}) {
		t.Errorf("the filter reopened as %v", b.fl.Filter())
	}
	if l, _ := b.s.Style().Layer("tailings"); l.Filter == nil {
		t.Error("the map does not draw the reopened filter")
	}
	b.id.Wait()
	if ref, ok := b.id.Selected(); !ok || ref != mailuuSuu {
		t.Errorf("the selection reopened as %v (%t)", ref, ok)
	}
	if b.s.LabelLanguage() != "ru" {
		t.Errorf("the labels reopened in %q, want ru", b.s.LabelLanguage())
	}
}

func TestSave_isAtomicAndLeavesNoTemporaryFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "config", "ecoatlas")
	w := &workspace.File{Version: workspace.Version, LabelLanguage: "kk"}
	for range 3 {
		if err := workspace.Save(dir, w); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != workspace.FileName {
		t.Errorf("the directory holds %v, want only %s", entries, workspace.FileName)
	}
	got, err := workspace.Load(dir)
	if err != nil || got.LabelLanguage != "kk" {
		t.Errorf("Load after Save: %+v, %v", got, err)
	}
	// A directory that cannot be made: an error, and the old file stays.
	blocked := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocked, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := workspace.Save(filepath.Join(blocked, "ecoatlas"), w); err == nil {
		t.Error("saving under a file succeeded")
	}
}

func TestLoad_noFileIsNoWorkspace(t *testing.T) {
	w, err := workspace.Load(t.TempDir())
	if w != nil || err != nil {
		t.Errorf("Load of an empty directory: %+v, %v; want nothing", w, err)
	}
}

func layerIDs(s *shell.Shell) []string {
	var ids []string
	for _, l := range s.Style().Layers {
		ids = append(ids, l.ID)
	}
	return ids
}
