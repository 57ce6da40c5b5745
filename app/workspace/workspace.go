// Package workspace reopens the app where the user left it: the map's
// view, the layers' order, visibility and opacity, the label language,
// and what features keep (the filter, the selection) through [Part].
//
// The workspace is a JSON file in the user's config directory
// (os.UserConfigDir()/ecoatlas/workspace.json, see [Dir]), written
// atomically (a temporary file, synced, renamed over the old one) a
// moment after each change and when the app quits. A file that cannot be
// used, corrupt or written by a newer Ecoatlas, is set aside under
// SetAsideName, the user is told so in the status bar, and the app starts
// afresh: it never fails to start because of its workspace.
package workspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// saveDelay is how long after a change the workspace is saved: a drag,
// an animation or a burst of clicks costs one write.
const saveDelay = time.Second

// Dir returns the directory the app keeps its workspace in:
// os.UserConfigDir()/ecoatlas.
func Dir() (string, error) {
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("workspace: %w", err)
	}
	return filepath.Join(d, "ecoatlas"), nil
}

// Part is a piece of the app's state that a feature keeps in the
// workspace, such as the filter or the selection.
type Part interface {
	// WorkspaceKey names the part in the file.
	WorkspaceKey() string
	// SaveWorkspace returns the part's state as JSON; it is called on
	// the UI goroutine.
	SaveWorkspace() (json.RawMessage, error)
	// RestoreWorkspace puts a saved state back, once, on the UI
	// goroutine, after every feature is installed and the layers and
	// view are restored. It ignores what no longer applies (a layer
	// the map lost).
	RestoreWorkspace(data json.RawMessage) error
	// WatchWorkspace gives the part the function to call whenever its
	// state changes.
	WatchWorkspace(changed func())
}

// Feature keeps the workspace. Create it with [New] before the shell and
// pass it to shell.WithFeatures last, after the features whose parts it
// keeps; call [Feature.Save] when the app quits.
type Feature struct {
	dir   string
	parts []Part

	loaded   *File
	unusable error  // why the file could not be used
	asideAt  string // where it was set aside

	shell     *shell.Shell
	restored  bool
	immediate bool
	timer     *time.Timer
	writing   sync.Mutex // one write at a time, in order
	failed    bool       // a save failed and the user was told
	readOnly  bool       // the file could be neither used nor set aside: never overwrite it
}

// New reads the workspace of dir (see [Dir]) for parts. A file it cannot
// use is set aside and reported when the feature is installed; one it
// can neither read nor set aside is reported and left alone, and the
// workspace is not saved in this session.
func New(dir string, parts ...Part) *Feature {
	f := &Feature{dir: dir, parts: parts}
	f.loaded, f.unusable = Load(dir)
	var le *LoadError
	if errors.As(f.unusable, &le) {
		aside, err := SetAside(dir)
		if err != nil {
			f.unusable = errors.Join(f.unusable, err)
		}
		f.asideAt = aside
	}
	// A file neither read nor set aside would be overwritten by a save.
	f.readOnly = f.unusable != nil && f.asideAt == ""
	return f
}

// Install restores the workspace, once, or says why it cannot, and
// starts saving it on every change.
func (f *Feature) Install(s *shell.Shell) {
	first := f.shell != s
	f.shell = s
	f.immediate = s.Map().Immediate()
	if !f.restored {
		f.restored = true
		f.restore()
	}
	if first { // listeners outlive the widgets: once per shell
		s.OnStyleChanged(func(*style.Style) { f.changed() })
		s.OnViewportChanged(func(viewport.Viewport) { f.changed() })
		s.OnLabelLanguageChanged(func(string) { f.changed() })
		for _, p := range f.parts {
			p.WatchWorkspace(f.changed)
		}
	}
}

// restore puts the loaded workspace back, or tells why there is none.
func (f *Feature) restore() {
	if f.unusable != nil {
		f.shell.Notify(f.unusableNotice())
		return
	}
	w := f.loaded
	if w == nil {
		return
	}
	s := f.shell
	if len(w.Layers) > 0 {
		if st := arranged(s.Style(), w.Layers); !sameArrangement(st, s.Style()) {
			s.SetStyle(st)
		}
	}
	if lang := w.LabelLanguage; lang != "" && lang != s.LabelLanguage() {
		if _, ok := s.Atlas().Style.Languages[lang]; ok || lang == "en" {
			s.SetLabelLanguage(lang)
		}
	}
	if v := w.View; v != nil && valid(v) {
		s.Map().SetViewport(viewport.New([2]float64{v.Center[0], v.Center[1]}, v.Zoom, 0, 0, 1))
	}
	for _, p := range f.parts {
		data, ok := w.Parts[p.WorkspaceKey()]
		if !ok {
			continue
		}
		if err := p.RestoreWorkspace(data); err != nil {
			s.Notify(i18n.T("reopen.part", map[string]any{"Error": err.Error()}))
		}
	}
}

// unusableNotice says in the user's words why the workspace was not
// reopened and where the file was kept.
func (f *Feature) unusableNotice() string {
	var le *LoadError
	switch {
	case f.asideAt == "":
		return i18n.T("reopen.unreadable", map[string]any{"Error": f.unusable.Error()})
	case errors.As(f.unusable, &le) && errors.Is(le, ErrNewer):
		return i18n.T("reopen.newer", map[string]any{"Version": i18n.Int(le.Version), "Kept": f.asideAt})
	case errors.As(f.unusable, &le):
		return i18n.T("reopen.damaged", map[string]any{"Reason": le.Reason, "Kept": f.asideAt})
	}
	return i18n.T("reopen.unreadable", map[string]any{"Error": f.unusable.Error()})
}

// Problem returns why the workspace could not be reopened, nil if it
// was or there was none; the program's main logs it.
func (f *Feature) Problem() error { return f.unusable }

// valid reports whether a saved view can be shown.
func valid(v *View) bool {
	lon, lat, z := v.Center[0], v.Center[1], v.Zoom
	return lon >= -180 && lon <= 180 && lat >= -85 && lat <= 85 &&
		z >= viewport.MinZoom && z <= viewport.MaxZoom && !math.IsNaN(lon+lat+z)
}

// arranged returns a copy of st with the saved layers' order, visibility
// and opacity; layers the workspace does not know keep their place after
// the layer they followed, and saved layers the style lacks are skipped.
func arranged(st *style.Style, saved []Layer) *style.Style {
	out := st.Clone()
	byID := map[string]Layer{}
	for _, l := range saved {
		byID[l.ID] = l
	}
	var order []style.Layer
	for _, l := range saved {
		if i := slices.IndexFunc(st.Layers, func(x style.Layer) bool { return x.ID == l.ID }); i >= 0 {
			order = append(order, st.Layers[i])
		}
	}
	for i, l := range st.Layers {
		if _, known := byID[l.ID]; known {
			continue
		}
		at := 0
		if i > 0 {
			prev := st.Layers[i-1].ID
			at = slices.IndexFunc(order, func(x style.Layer) bool { return x.ID == prev }) + 1
		}
		order = slices.Insert(order, at, l)
	}
	for i := range order {
		if l, ok := byID[order[i].ID]; ok {
			order[i].Hidden = l.Hidden
			order[i].Opacity = math.Max(0, math.Min(1, l.Opacity))
		}
	}
	out.Layers = order
	return out
}

// sameArrangement reports whether two styles draw the same layers in the
// same order, each as visible and as opaque: restoring a workspace saved
// with the style's own arrangement then skips building the layer panel
// and the map's scene a second time, a tenth of a second of the start.
func sameArrangement(a, b *style.Style) bool {
	return slices.EqualFunc(a.Layers, b.Layers, func(x, y style.Layer) bool {
		return x.ID == y.ID && x.Hidden == y.Hidden && x.Opacity == y.Opacity
	})
}

// snapshot returns the workspace as the app shows it now; it runs on the
// UI goroutine.
func (f *Feature) snapshot() (*File, error) {
	s := f.shell
	vp := s.Map().Viewport()
	w := &File{
		Version:       Version,
		View:          &View{Center: [2]float64{vp.Center[0], vp.Center[1]}, Zoom: vp.Zoom},
		LabelLanguage: s.LabelLanguage(),
		Parts:         map[string]json.RawMessage{},
	}
	for _, l := range s.Style().Layers {
		w.Layers = append(w.Layers, Layer{ID: l.ID, Hidden: l.Hidden, Opacity: l.Opacity})
	}
	for _, p := range f.parts {
		data, err := p.SaveWorkspace()
		if err != nil {
			return nil, err
		}
		w.Parts[p.WorkspaceKey()] = data
	}
	return w, nil
}

// changed saves the workspace a moment after the last of a burst of
// changes; at once in immediate mode.
func (f *Feature) changed() {
	if !f.restored || f.readOnly {
		return
	}
	if f.immediate {
		f.report(f.Save())
		return
	}
	if f.timer != nil {
		f.timer.Stop()
	}
	f.timer = time.AfterFunc(saveDelay, func() {
		fyne.Do(func() {
			w, err := f.snapshot()
			if err != nil {
				f.report(err)
				return
			}
			go func() {
				err := f.write(w)
				fyne.Do(func() { f.report(err) })
			}()
		})
	})
}

// Save writes the workspace now. Call it on the UI goroutine, or once
// the app has stopped (when it quits).
func (f *Feature) Save() error {
	if f.shell == nil || f.readOnly {
		return nil
	}
	if f.timer != nil {
		f.timer.Stop()
	}
	w, err := f.snapshot()
	if err != nil {
		return err
	}
	return f.write(w)
}

// write writes a snapshot, after any write under way.
func (f *Feature) write(w *File) error {
	f.writing.Lock()
	defer f.writing.Unlock()
	return Save(f.dir, w)
}

// report tells the user, once until a save works again, that the
// workspace could not be saved.
func (f *Feature) report(err error) {
	if err == nil {
		f.failed = false
		return
	}
	if !f.failed {
		f.failed = true
		f.shell.Notify(i18n.T("reopen.unsaved", map[string]any{"Error": err.Error()}))
	}
}
