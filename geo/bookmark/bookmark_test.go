package bookmark_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/assets"
	"github.com/ecoatlas/ecoatlas/geo/bookmark"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

var defaultStyle = sync.OnceValues(func() (*style.Style, error) { return style.Parse(assets.DefaultStyle) })

func loadStyle(t *testing.T) *style.Style {
	t.Helper()
	st, err := defaultStyle()
	if err != nil {
		t.Fatal(err)
	}
	return st.Clone()
}

// states returns the layer states of a style, in drawing order.
func states(st *style.Style) []bookmark.LayerState {
	var out []bookmark.LayerState
	for _, l := range st.Layers {
		out = append(out, bookmark.LayerState{ID: l.ID, Visible: !l.Hidden, Opacity: l.Opacity})
	}
	return out
}

func TestCaptureApply_restoresTheLayerSet(t *testing.T) {
	original := loadStyle(t)
	changed := original.Clone()
	changed.Layers[3].Hidden = true
	changed.Layers[5].Opacity = 0.4
	changed.Layers[8], changed.Layers[9] = changed.Layers[9], changed.Layers[8]
	vp := viewport.New(orb.Point{60, 45}, 6.5, 1200, 800, 1)

	b := bookmark.Capture("  Aral  ", vp, changed)

	if b.Name != "Aral" || b.ID == "" || b.Created.IsZero() {
		t.Errorf("captured %q with id %q at %v; want the name trimmed, an id and a time", b.Name, b.ID, b.Created)
	}
	if got := b.Apply(original); !slices.Equal(states(got), states(changed)) {
		t.Errorf("applied to the original style the layers are\n%v\nwant\n%v", states(got), states(changed))
	}
	if !slices.Equal(states(original), states(loadStyle(t))) {
		t.Error("Apply changed the style it was given")
	}
}

func TestApply_layersItDoesNotKnowKeepTheirPlace(t *testing.T) {
	st := loadStyle(t)
	b := bookmark.Bookmark{Layers: []bookmark.LayerState{
		{ID: st.Layers[2].ID, Visible: true, Opacity: 1},
		{ID: "gone", Visible: true, Opacity: 1},
		{ID: st.Layers[0].ID, Visible: false, Opacity: 0.5},
	}}
	added := style.Plain("package", "A tile package", "package")
	st.Layers = slices.Insert(st.Layers, 1, added)

	got := b.Apply(st)

	ids := []string{got.Layers[0].ID, got.Layers[1].ID, got.Layers[3].ID}
	if want := []string{st.Layers[3].ID, "package", st.Layers[0].ID}; !slices.Equal(ids, want) {
		t.Errorf("layers 0, 1 and 3 are %v, want %v: the two known ones swapped, the new one in place", ids, want)
	}
	if !got.Layers[3].Hidden || got.Layers[3].Opacity != 0.5 {
		t.Errorf("the hidden layer is hidden %t at opacity %v, want hidden at 0.5", got.Layers[3].Hidden, got.Layers[3].Opacity)
	}
}

func TestView_viewportFitsTheSameArea(t *testing.T) {
	v := bookmark.View{Center: orb.Point{60, 45}, Zoom: 7, Width: 1200, Height: 800}
	if got := v.Viewport(1200, 800, 2); got.Zoom != 7 || got.Center != v.Center || got.Scale != 2 {
		t.Errorf("a map of the same size gets %+v, want the saved view", got)
	}
	if got := v.Viewport(600, 800, 1); math.Abs(got.Zoom-6) > 1e-12 {
		t.Errorf("a map half as wide gets zoom %v, want 6", got.Zoom)
	}
	saved, shown := v.Bound(), v.Viewport(700, 300, 1).Bound()
	if !shown.Contains(saved.Min) && !shown.Contains(saved.Max) {
		t.Errorf("a small map shows %v, which does not reach the saved %v", shown, saved)
	}
}

func TestList_edits(t *testing.T) {
	var l bookmark.List
	names := []string{"a", "b", "c", "d"}
	for _, n := range names {
		if err := l.Add(bookmark.Bookmark{ID: "id-" + n, Name: n, View: bookmark.View{Zoom: 5, Width: 10, Height: 10}}); err != nil {
			t.Fatal(err)
		}
	}
	order := func() string {
		var s []string
		for _, b := range l {
			s = append(s, b.Name)
		}
		return strings.Join(s, "")
	}
	steps := []struct {
		name string
		do   func() error
		want string
	}{
		{"move down", func() error { return l.Move("id-a", 2) }, "bcad"},
		{"move up to the top", func() error { return l.Move("id-d", 0) }, "dbca"},
		{"move past the end", func() error { return l.Move("id-d", 99) }, "bcad"},
		{"rename", func() error { return l.Rename("id-c", " C ") }, "bCad"},
		{"delete", func() error { return l.Delete("id-b") }, "Cad"},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := order(); got != s.want {
			t.Fatalf("after %s the order is %s, want %s", s.name, got, s.want)
		}
	}
	if err := l.Delete("id-b"); !errors.Is(err, bookmark.ErrNotFound) {
		t.Errorf("deleting a deleted bookmark: %v, want ErrNotFound", err)
	}
	if err := l.Rename("id-a", "  "); !errors.Is(err, bookmark.ErrInvalid) {
		t.Errorf("a blank name: %v, want ErrInvalid", err)
	}
	if err := l.Add(bookmark.Bookmark{ID: "id-a", Name: "again", View: bookmark.View{Width: 1, Height: 1}}); !errors.Is(err, bookmark.ErrInvalid) {
		t.Errorf("adding an id twice: %v, want ErrInvalid", err)
	}
}

func TestList_importAddsOnlyWhatIsNew(t *testing.T) {
	file, err := bookmark.Load(filepath.Join("testdata", "bookmarks.json"))
	if err != nil {
		t.Fatal(err)
	}
	var l bookmark.List
	if n := l.Import(file); n != 2 {
		t.Errorf("the first import added %d, want 2", n)
	}
	if n := l.Import(file); n != 0 || len(l) != 2 {
		t.Errorf("the second import added %d (list of %d), want none", n, len(l))
	}
}

func TestSaveLoad_roundTrip(t *testing.T) {
	st := loadStyle(t)
	l := bookmark.List{
		bookmark.Capture("Аральское море", viewport.New(orb.Point{59.6, 44.9}, 7.25, 1200, 800, 2), st),
		bookmark.Capture("Issyk-Kul", viewport.New(orb.Point{77.3, 42.4}, 8, 900, 700, 1), st),
	}
	path := filepath.Join(t.TempDir(), "config", "ecoatlas", "bookmarks.json")
	if err := bookmark.Save(path, l); err != nil {
		t.Fatal(err)
	}
	got, err := bookmark.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != l[0].Name || got[1].View != l[1].View || !got[0].Created.Equal(l[0].Created) ||
		!slices.Equal(got[0].Layers, l[0].Layers) {
		t.Errorf("loaded %+v,\nwant %+v", got, l)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the folder holds %d files after saving, want only the bookmarks", len(entries))
	}
}

func TestLoad_aMissingFileIsAnEmptyList(t *testing.T) {
	l, err := bookmark.Load(filepath.Join(t.TempDir(), "none.json"))
	if err != nil || len(l) != 0 {
		t.Errorf("Load of a missing file: %v, %v; want an empty list", l, err)
	}
}

func TestSave_failureKeepsTheOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bookmarks.json")
	old := bookmark.List{{ID: "x", Name: "kept", View: bookmark.View{Zoom: 4, Width: 10, Height: 10}}}
	if err := bookmark.Save(path, old); err != nil {
		t.Fatal(err)
	}
	// A list that cannot be written (a NaN has no JSON) leaves the file.
	bad := bookmark.List{{ID: "y", Name: "bad", View: bookmark.View{Zoom: math.NaN(), Width: 10, Height: 10}}}
	if err := bookmark.Save(path, bad); err == nil {
		t.Fatal("saving a NaN zoom succeeded")
	}
	if got, err := bookmark.Load(path); err != nil || len(got) != 1 || got[0].Name != "kept" {
		t.Errorf("after a failed save the file holds %v (%v), want the old list", got, err)
	}
}

func TestParse_errorsNameTheBookmarkAndField(t *testing.T) {
	valid, err := os.ReadFile(filepath.Join("testdata", "bookmarks.json"))
	if err != nil {
		t.Fatal(err)
	}
	for name, tt := range map[string]struct {
		from, to string
		want     string
	}{
		"another format":   {`"ecoatlas-bookmarks"`, `"geojson"`, `its format is "geojson"`},
		"a newer version":  {`"version": 1`, `"version": 2`, "newer Ecoatlas"},
		"no version":       {`"version": 1`, `"version": 0`, "version 0"},
		"a blank name":     {`"Issyk-Kul"`, `" "`, `bookmark 2 (" "): bookmark: invalid: name is empty`},
		"zoom too deep":    {`"zoom": 8`, `"zoom": 30`, "bookmark 2 (\"Issyk-Kul\"): bookmark: invalid: view.zoom 30"},
		"latitude":         {`[77.3, 42.4]`, `[77.3, 142.4]`, "view.center"},
		"opacity":          {`"opacity": 0.8`, `"opacity": 1.8`, "layers[1] (lakes): opacity 1.8"},
		"no size":          {`"width": 1400`, `"width": 0`, "view.width"},
		"duplicate ids":    {`"04b1d2e3f4a5b6c7"`, `"9f2c4e1a7b3d5c60"`, "bookmark 2 (\"Issyk-Kul\"): id 9f2c4e1a7b3d5c60 is bookmark 1's too"},
		"a misspelt field": {`"zoom": 8`, `"zoom": 8, "zooom": 9`, `unknown field "zooom"`},
		"broken JSON":      {`"name": "Issyk-Kul",`, `"name": "Issyk-Kul"`, "line 20, column 8"},
	} {
		t.Run(name, func(t *testing.T) {
			data := strings.Replace(string(valid), tt.from, tt.to, 1)
			if data == string(valid) {
				t.Fatalf("the test's %q is not in the file", tt.from)
			}
			_, err := bookmark.Parse([]byte(data))
			if !errors.Is(err, bookmark.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want ErrInvalid saying %q", err, tt.want)
			}
		})
	}
}

func TestLoad_errorNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mine.json")
	if err := os.WriteFile(path, []byte(`{"format": "x"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := bookmark.Load(path); err == nil || !strings.HasPrefix(err.Error(), path+": ") {
		t.Errorf("got %v, want an error starting with the file", err)
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/tmp/cfg")
	if p, err := bookmark.DefaultPath(); err != nil || p != "/tmp/cfg/ecoatlas/bookmarks.json" {
		t.Errorf("DefaultPath = %q, %v", p, err)
	}
}

func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range seeds {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := bookmark.Parse(data)
		if err != nil {
			if !errors.Is(err, bookmark.ErrInvalid) {
				t.Fatalf("an error that is not ErrInvalid: %v", err)
			}
			return
		}
		out, err := bookmark.Marshal(l)
		if err != nil {
			t.Fatalf("a parsed list does not marshal: %v", err)
		}
		again, err := bookmark.Parse(out)
		if err != nil || len(again) != len(l) {
			t.Fatalf("a written list does not read back: %v", err)
		}
	})
}
