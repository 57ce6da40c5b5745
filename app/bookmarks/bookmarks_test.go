package bookmarks_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/bookmarks"
	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/bookmark"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

var loadAtlas = sync.OnceValues(func() (*atlas.Atlas, error) {
	return atlas.LoadDefault(context.Background())
})

// newShell returns a shell with the bookmark feature keeping its list at
// path, in a 1000×700 test window, its panel open.
func newShell(t *testing.T, path string) (*shell.Shell, fyne.Window, *bookmarks.Feature) {
	t.Helper()
	a := test.NewTempApp(t)
	at, err := loadAtlas()
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	f := bookmarks.New(path)
	t.Cleanup(f.Wait)
	s := shell.New(a, w, at, at.Style.Clone(), shell.WithMapOptions(mapview.WithImmediateRendering()), shell.WithFeatures(f))
	t.Cleanup(s.Close)
	if !s.ShowPanel(bookmarks.PanelID) {
		t.Fatal("no bookmark panel")
	}
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1000, 700)) // lays the map out beside the open dock
	return s, w, f
}

// find returns the objects of type T in the tree of o that pass keep.
func find[T fyne.CanvasObject](o fyne.CanvasObject, keep func(T) bool) []T {
	var found []T
	for _, obj := range test.LaidOutObjects(o) {
		if t, ok := obj.(T); ok && keep(t) {
			found = append(found, t)
		}
	}
	return found
}

// button returns the one visible button with a text.
func button(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	b := find(w.Content(), func(b *widget.Button) bool { return b.Text == text && b.Visible() })
	if len(b) != 1 {
		t.Fatalf("found %d buttons %q, want 1", len(b), text)
	}
	return b[0]
}

// rowButtons returns the icon buttons of a bookmark's row, by icon name.
func rowButtons(t *testing.T, w fyne.Window, name string) map[string]*widget.Button {
	t.Helper()
	jump := button(t, w, name)
	for _, row := range find(w.Content(), func(c *fyne.Container) bool { return true }) {
		if len(find(row, func(b *widget.Button) bool { return b == jump })) == 0 {
			continue
		}
		icons := find(row, func(b *widget.Button) bool { return b.Text == "" && b.Icon != nil })
		if len(icons) == 4 {
			out := map[string]*widget.Button{}
			for _, b := range icons {
				out[b.Icon.Name()] = b
			}
			return out
		}
	}
	t.Fatalf("no row with the buttons of %q", name)
	return nil
}

func names(l bookmark.List) string {
	var s []string
	for _, b := range l {
		s = append(s, b.Name)
	}
	return strings.Join(s, ", ")
}

func TestBookmarks_saveJumpAndKeep(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bookmarks.json")
	s, w, f := newShell(t, path)
	aral := viewport.New(orb.Point{59.6, 44.9}, 7.25, 0, 0, 1)
	s.Map().SetViewport(aral)
	st := s.Style().Clone()
	tailings, _ := st.Layer("tailings")
	tailings.Hidden = true
	s.SetStyle(st)

	entry := find(w.Content(), func(e *widget.Entry) bool { return e.PlaceHolder == i18n.T("bookmarks.name") })[0]
	test.Type(entry, "Aral south shore")
	test.Tap(button(t, w, i18n.T("bookmarks.add")))

	if l := f.List(); len(l) != 1 || l[0].Name != "Aral south shore" {
		t.Fatalf("the list is %q, want the bookmark saved", names(l))
	}
	// Elsewhere, with every layer on, the bookmark brings both back.
	s.Map().SetViewport(viewport.New(orb.Point{77, 42}, 5, 0, 0, 1))
	s.SetStyle(s.Atlas().Style.Clone())
	test.Tap(button(t, w, "Aral south shore"))

	// The dock grew with the new row, so the map is narrower than when
	// the view was saved: it shows the same area, a little zoomed out.
	got, view := s.Map().Viewport(), f.List()[0].View
	if want := view.Viewport(got.Width, got.Height, got.Scale); got.Center != view.Center || got.Zoom != want.Zoom {
		t.Errorf("the jump ended at %v z%v, want %v z%v", got.Center, got.Zoom, want.Center, want.Zoom)
	}
	if view.Center != (orb.Point{59.6, 44.9}) || view.Zoom != 7.25 {
		t.Errorf("the bookmark saved %+v, want the view shown", view)
	}
	if l, _ := s.Style().Layer("tailings"); !l.Hidden {
		t.Error("the jump did not hide the tailings layer again")
	}

	// The list is on disk, and a new session reads it.
	f.Wait()
	saved, err := bookmark.Load(path)
	if err != nil || names(saved) != "Aral south shore" {
		t.Errorf("the file holds %q (%v), want the bookmark", names(saved), err)
	}
	if again := bookmarks.New(path); names(again.List()) != "Aral south shore" {
		t.Errorf("a new session reads %q", names(again.List()))
	}
}

func TestBookmarks_reorderRenameDelete(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bookmarks.json")
	_, w, f := newShell(t, path)
	for _, n := range []string{"one", "two", "three"} {
		f.Add(n)
	}
	if got := names(f.List()); got != "one, two, three" {
		t.Fatalf("added %q", got)
	}
	test.Tap(rowButtons(t, w, "three")[theme.MoveUpIcon().Name()])
	test.Tap(rowButtons(t, w, "one")[theme.MoveDownIcon().Name()])
	if got := names(f.List()); got != "three, one, two" {
		t.Errorf("after moving three up and one down the order is %q", got)
	}
	if !rowButtons(t, w, "three")[theme.MoveUpIcon().Name()].Disabled() {
		t.Error("the first bookmark can move up")
	}

	test.Tap(rowButtons(t, w, "one")[theme.DocumentCreateIcon().Name()])
	form := w.Canvas().Overlays().Top()
	name := find(form, func(e *widget.Entry) bool { return e.Text == "one" })
	if len(name) != 1 {
		t.Fatal("the rename dialog shows no entry with the name")
	}
	name[0].SetText("first")
	test.Tap(find(form, func(b *widget.Button) bool { return b.Text == i18n.T("bookmarks.rename") })[0])

	test.Tap(rowButtons(t, w, "two")[theme.DeleteIcon().Name()])
	confirm := w.Canvas().Overlays().Top()
	yes := find(confirm, func(b *widget.Button) bool { return b.Importance == widget.HighImportance })
	if len(yes) != 1 {
		t.Fatal("deleting asks no confirmation")
	}
	test.Tap(yes[0])

	if got := names(f.List()); got != "three, first" {
		t.Errorf("after renaming and deleting the list is %q, want \"three, first\"", got)
	}
	f.Wait()
	if saved, _ := bookmark.Load(path); names(saved) != "three, first" {
		t.Errorf("the file holds %q", names(saved))
	}
}

func TestBookmarks_exportImportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s, _, f := newShell(t, filepath.Join(dir, "a.json"))
	s.Map().SetViewport(viewport.New(orb.Point{77.3, 42.4}, 8, 0, 0, 1))
	f.Add("Issyk-Kul")
	s.Map().SetViewport(viewport.New(orb.Point{51, 42}, 6, 0, 0, 1))
	f.Add("Каспий")
	exported := filepath.Join(dir, "shared.json")
	f.Export(exported)
	waitFor(t, func() bool { _, err := os.Stat(exported); return err == nil })

	_, w2, g := newShell(t, filepath.Join(dir, "b.json"))
	g.Import(exported)
	waitFor(t, func() bool { return len(g.List()) == 2 })
	if got, want := g.List(), f.List(); got[0].ID != want[0].ID || got[1].Name != "Каспий" || got[1].View != want[1].View {
		t.Errorf("imported %+v, want %+v", got, want)
	}
	if len(find(w2.Content(), func(l *widget.Label) bool { return l.Text == i18n.N("bookmarks.imported", 2) && l.Visible() })) != 1 {
		t.Error("the import is not announced in the status bar")
	}
	g.Import(exported)
	waitFor(t, func() bool {
		return len(find(w2.Content(), func(l *widget.Label) bool { return l.Text == i18n.N("bookmarks.imported", 0) })) == 1
	})
	if len(g.List()) != 2 {
		t.Errorf("importing the file again made %d bookmarks, want 2", len(g.List()))
	}
}

func TestBookmarks_anUnreadableFileIsSetAside(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bookmarks.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, w, f := newShell(t, path)
	if top := w.Canvas().Overlays().Top(); top == nil ||
		len(find(top, func(l *widget.Label) bool { return strings.Contains(l.Text, path+".unreadable") })) == 0 {
		t.Error("no message says where the unreadable file was kept")
	}
	f.Add("new")
	f.Wait()
	if data, err := os.ReadFile(path + ".unreadable"); err != nil || string(data) != "{not json" {
		t.Errorf("the unreadable file was not kept as it was: %q, %v", data, err)
	}
}

func TestBookmarks_emptyListSaysWhatToDo(t *testing.T) {
	_, w, _ := newShell(t, filepath.Join(t.TempDir(), "none.json"))
	if len(find(w.Content(), func(l *widget.Label) bool { return l.Text == i18n.T("bookmarks.empty") })) != 1 {
		t.Error("an empty list shows no hint")
	}
}

// waitFor waits for work done off the UI goroutine, which Fyne's test
// driver applies as it comes.
func waitFor(t *testing.T, done func() bool) {
	t.Helper()
	for range 500 {
		if done() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("timed out")
}
