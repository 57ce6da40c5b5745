package present

import (
	"context"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/assets"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/export"
	"github.com/ecoatlas/ecoatlas/geo/query"
	"github.com/ecoatlas/ecoatlas/geo/story"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/ecoatlas/ecoatlas/seeds"
)

var loadEngine = sync.OnceValues(func() (*query.Engine, error) {
	at, err := atlas.LoadDefault(context.Background())
	if err != nil {
		return nil, err
	}
	d, err := query.ParseDictionary(assets.Dictionary)
	if err != nil {
		return nil, err
	}
	return query.New(at, d)
})

// newShell returns the shell with the presentation feature in a 1000×700
// test window, rendering tiles and preparing highlights synchronously.
func newShell(t *testing.T) (*shell.Shell, *Feature, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	e, err := loadEngine()
	if err != nil {
		t.Fatal(err)
	}
	at := e.Atlas()
	f := New(e, WithImmediateDrawing())
	w := test.NewTempWindow(t, nil)
	s := shell.New(a, w, at, at.Style.Clone(), shell.WithMapOptions(mapview.WithImmediateRendering()), shell.WithFeatures(f))
	t.Cleanup(s.Close)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1000, 700))
	return s, f, w
}

// press types a key on the window as a user would with no widget focused.
func press(w fyne.Window, key fyne.KeyName) {
	w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: key})
}

// shows reports whether o is in the window's laid-out tree.
func shows(w fyne.Window, o fyne.CanvasObject) bool {
	for _, obj := range test.LaidOutObjects(w.Content()) {
		if obj == o {
			return true
		}
	}
	return false
}

// captionTexts returns the texts of the window's labels.
func captionTexts(w fyne.Window) string {
	var b strings.Builder
	for _, obj := range test.LaidOutObjects(w.Content()) {
		if l, ok := obj.(*widget.Label); ok {
			b.WriteString(l.Text)
			b.WriteString("\n")
		}
	}
	return b.String()
}

func TestPresentationMode_hidesPanelsStepsAndLeaves(t *testing.T) {
	s, f, w := newShell(t)
	s.ShowPanel(PanelID)
	water := 1
	if got := f.Stories()[water].Title; got != "Water bodies" {
		t.Fatalf("story %d is %q, want the water bodies", water, got)
	}
	f.Select(water, 0)
	steps := f.Stories()[water].Steps
	if !shows(w, s.Layers()) || !s.PanelShown(PanelID) {
		t.Fatal("before presenting, the layer panel or the story panel is not shown")
	}

	press(w, fyne.KeyF11)

	if !f.Presenting() || !w.FullScreen() || w.MainMenu() != nil {
		t.Fatalf("after F11: presenting %v, full screen %v, menu %v", f.Presenting(), w.FullScreen(), w.MainMenu())
	}
	if shows(w, s.Layers()) || shows(w, f.panel.content) {
		t.Error("the layer panel or the story panel still shows in presentation mode")
	}
	if !shows(w, s.Map()) {
		t.Fatal("the map does not show in presentation mode")
	}
	if got := captionTexts(w); !strings.Contains(got, steps[0].Title) || !strings.Contains(got, steps[0].Caption) {
		t.Errorf("the caption bar reads %q, want step 1's title and caption", got)
	}
	fitted := func(i int) bool {
		want := s.Map().Viewport().Fit(steps[i].Bound(), mapview.FitPadding)
		return s.Map().Viewport() == want
	}
	if !fitted(0) {
		t.Errorf("the map shows %+v, not step 1's view", s.Map().Viewport())
	}

	var passed int
	s.OnViewportChanged(func(viewport.Viewport) { passed++ })
	press(w, fyne.KeyRight)

	if _, step := f.Current(); step != 1 {
		t.Fatalf("→ went to step %d, want 2", step+1)
	}
	if !fitted(1) || s.Map().Animating() || passed == 0 {
		t.Errorf("after →: view %+v (step 2's: %v), still flying %v, %d views reported", s.Map().Viewport(), fitted(1), s.Map().Animating(), passed)
	}
	if got := captionTexts(w); !strings.Contains(got, steps[1].Title) {
		t.Errorf("the caption bar reads %q, want step 2's title", got)
	}
	if s.Map().Style() == s.Style() {
		t.Error("the map draws the user's style, not the step's magnified one")
	}

	press(w, fyne.KeyLeft)
	if _, step := f.Current(); step != 0 || !fitted(0) {
		t.Errorf("← went to step %d, want 1", step+1)
	}

	press(w, fyne.KeyEscape)

	if f.Presenting() || w.FullScreen() || w.MainMenu() == nil {
		t.Fatalf("after Esc: presenting %v, full screen %v, menu %v", f.Presenting(), w.FullScreen(), w.MainMenu())
	}
	if !shows(w, s.Layers()) || !s.PanelShown(PanelID) {
		t.Error("after Esc, the layer panel or the story panel is gone")
	}
	if s.Map().Style() != s.Style() {
		t.Error("after Esc, the map does not draw the user's style")
	}
}

func TestPresentationMode_clauseStepIsHighlighted(t *testing.T) {
	_, f, w := newShell(t)
	f.Select(0, 0) // the declaration tour
	step := f.Stories()[0].Steps[0]
	if step.Highlight.Clause == 0 {
		t.Fatal("the tour's first step highlights no clause")
	}
	f.Present()
	w.Canvas().Capture() // a frame, which prepares the highlight
	o := f.mode.over
	o.mu.Lock()
	shown, img := o.shown != nil, o.img != nil
	o.mu.Unlock()
	if !shown || !img {
		t.Errorf("the step of clause %d shows no highlight (selection %v, image %v)", step.Highlight.Clause, shown, img)
	}
	f.Leave()
}

func TestBuiltinStories_loadAndEveryViewIsValid(t *testing.T) {
	s, f, _ := newShell(t)
	stories := f.Stories()
	if len(stories) != 2 {
		t.Fatalf("%d built-in stories, want the declaration tour and the water bodies", len(stories))
	}
	for i, st := range stories {
		if len(st.Steps) == 0 {
			t.Errorf("story %q has no steps", st.Title)
		}
		if err := st.Check(s.Style(), seeds.Embedded()); err != nil {
			t.Errorf("story %q: %v", st.Title, err)
		}
		for j, step := range st.Steps {
			b := step.Bound()
			if !(b.Max[0]-b.Min[0] >= story.MinViewSpan && b.Max[1]-b.Min[1] >= story.MinViewSpan) || b.Min[0] < -180 || b.Max[0] > 180 || b.Min[1] < -85.06 || b.Max[1] > 85.06 {
				t.Errorf("story %q step %d: view %v is not a valid box", st.Title, j+1, b)
			}
			if !atlas.Region.Intersects(b) {
				t.Errorf("story %q step %d: view %v lies outside the region", st.Title, j+1, b)
			}
			f.Select(i, j)
			f.Present()
			vp := s.Map().Viewport()
			if vp.Zoom <= 0 || !vp.Bound().Intersects(b) {
				t.Errorf("story %q step %d: the map shows %+v, away from %v", st.Title, j+1, vp, b)
			}
			f.Leave()
		}
	}
}

func TestOpenStory_badFileNamesFileStepAndField(t *testing.T) {
	s, _, _ := newShell(t)
	bad := `{"title": "Mine", "steps": [{"view": [60, 40, 70, 45]}, {"view": [60, 40, 70, 45], "layers": {"no_such_layer": true}}]}`
	_, err := readStory(strings.NewReader(bad), "/tmp/mine.json", s.Style())
	if !errors.Is(err, story.ErrStory) || !strings.Contains(err.Error(), "mine.json") || !strings.Contains(err.Error(), "step 2") || !strings.Contains(err.Error(), "no_such_layer") {
		t.Errorf("error %v, want one naming the file, step 2 and the layer", err)
	}
	typo := `{"title": "Mine", "steps": [{"view": [60, 40, 70, 45], "captoin": "x"}]}`
	_, err = readStory(strings.NewReader(typo), "/tmp/typo.json", s.Style())
	if !errors.Is(err, story.ErrStory) || !strings.Contains(err.Error(), "typo.json") || !strings.Contains(err.Error(), "captoin") {
		t.Errorf("error %v, want one naming the file and the unknown field", err)
	}
}

func TestStoryPanel_editsAndSavesAStoryThatReadsBack(t *testing.T) {
	s, f, _ := newShell(t)
	f.AddStory(story.Story{Title: "My talk"})
	p := f.panel
	p.addView()
	p.addView()
	p.title.SetText("Start")
	p.caption.SetText("Where we are.")
	p.move(-1)
	cur, step := f.Current()
	st := f.Stories()[cur]
	if len(st.Steps) != 2 || step != 0 || st.Steps[0].Title != "Start" || st.Steps[0].Caption != "Where we are." {
		t.Fatalf("after adding two views, titling the second and moving it up: step %d of %+v", step+1, st.Steps)
	}
	path := filepath.Join(t.TempDir(), "talk.json")
	if err := saveStory(path, st); err != nil {
		t.Fatal(err)
	}
	r, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	back, err := readStory(r, path, s.Style())
	if err != nil {
		t.Fatal(err)
	}
	if back.Steps[0].Title != "Start" || len(back.Steps) != 2 || back.Steps[1].View != st.Steps[1].View {
		t.Errorf("read back %+v, want %+v", back, st)
	}
	p.remove()
	if got := len(f.Stories()[cur].Steps); got != 1 {
		t.Errorf("%d steps after deleting one of two", got)
	}
}

func TestStartExport_writesThePNGAndCancelLeavesNoFile(t *testing.T) {
	_, f, _ := newShell(t)
	dir := t.TempDir()
	set := DefaultSettings()
	set.Format, set.DPI, set.Title = PNG, export.MinDPI, "Test"
	path := filepath.Join(dir, "view.png")
	var last float64
	var mu sync.Mutex
	_, done := f.StartExport(set, path, func(p float64) { mu.Lock(); last = p; mu.Unlock() })
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	r, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cfg, err := png.DecodeConfig(r)
	if err != nil {
		t.Fatal(err)
	}
	// A4 landscape at 72 dpi: 842 × 595 pixels.
	if cfg.Width != 842 || cfg.Height != 595 {
		t.Errorf("the PNG is %d×%d, want A4 landscape at 72 dpi, 842×595", cfg.Width, cfg.Height)
	}
	mu.Lock()
	if last != 1 {
		t.Errorf("progress ended at %v, want 1", last)
	}
	mu.Unlock()

	set.Format = PDF
	cancelled := filepath.Join(dir, "cancelled.pdf")
	cancel, done := f.StartExport(set, cancelled, nil)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled export returned %v", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "view.png" {
			t.Errorf("a cancelled export left %s behind", e.Name())
		}
	}
}

func TestExportOfTheViewWhilePresentingCitesTheClause(t *testing.T) {
	s, f, _ := newShell(t)
	f.Select(0, 0) // the declaration tour
	f.Present()
	defer f.Leave()
	pages, err := f.pageSource(Settings{Subject: SubjectView})()
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 1 || pages[0].Highlight == nil || !strings.Contains(pages[0].Highlight.Citation, "clause 4") {
		t.Fatalf("the page of the view while presenting clause 4: %+v", pages)
	}
	if pages[0].View != s.Map().Viewport().Bound() {
		t.Errorf("the page shows %v, not the view %v", pages[0].View, s.Map().Viewport().Bound())
	}
}
