package shell_test

import (
	"image"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/imgtest"
)

// labelTexts returns the texts of every label, button and rich text in
// the window, hidden ones (a collapsed legend) included.
func labelTexts(w fyne.Window) []string {
	var texts []string
	for _, rt := range find(w.Content(), func(*widget.RichText) bool { return true }) {
		texts = append(texts, rt.String())
	}
	for _, l := range find(w.Content(), func(*widget.Label) bool { return true }) {
		texts = append(texts, l.Text)
	}
	for _, b := range find(w.Content(), func(*widget.Button) bool { return true }) {
		texts = append(texts, b.Text)
	}
	return texts
}

// menuLabels returns the labels of the main menu and of its items.
func menuLabels(w fyne.Window) []string {
	var labels []string
	for _, m := range w.MainMenu().Items {
		labels = append(labels, m.Label)
		for _, item := range m.Items {
			labels = append(labels, item.Label)
		}
	}
	return labels
}

// mapImage returns the map's part of a capture of the window.
func mapImage(s *shell.Shell, w fyne.Window) image.Image {
	img := w.Canvas().Capture()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(s.Map())
	size := s.Map().Size()
	r := image.Rect(int(pos.X), int(pos.Y), int(pos.X+size.Width), int(pos.Y+size.Height))
	return img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(r)
}

// TestShell_switchingLanguageRelabelsEverything switches a running
// window from English to Kazakh, as View › Interface language does, and
// finds Kazakh in the title, the menus, the toolbar, the layer panel and
// its legend, a feature's dock panel, Fyne's own dialog texts and the
// map's labels; then back to English.
func TestShell_switchingLanguageRelabelsEverything(t *testing.T) {
	t.Cleanup(func() { i18n.SetLanguage("en") })
	s, w := newShell(t, shell.WithFeatures(&countingFeature{}))
	t.Cleanup(func() { s.SetInterfaceLanguage("en") }) // Fyne's texts are global: English for the next tests
	s.ShowPanel("counting")
	englishMap := imageCopy(mapImage(s, w))

	s.SetInterfaceLanguage("kk")

	if got := w.Title(); got != "Экоатлас — Орталық Азия" {
		t.Errorf("title %q in Kazakh", got)
	}
	menus := menuLabels(w)
	for _, want := range []string{"Файл", "Көрініс", "Анықтама", "Интерфейс тілі", "Үлкейту", "Экоатлас туралы"} {
		if !slices.Contains(menus, want) {
			t.Errorf("no menu %q in %q", want, menus)
		}
	}
	texts := labelTexts(w)
	for what, want := range map[string]string{
		"toolbar button":      "Қабаттар",
		"layer panel":         "Ерекше қорғалатын табиғи аумақтар",
		"legend line":         "Қалдық қоймасы",
		"layer note":          "Көбіне ең жақын елді мекен көрсетілген; сақина нысан жатқан 10 км аймақты көрсетеді.",
		"a feature's panel":   "Интерфейс тілі",
		"the place fly-to's ": "Арал теңізі",
	} {
		if !slices.Contains(texts, want) && !slices.Contains(menus, want) {
			t.Errorf("%s: no %q in the window", what, want)
		}
	}
	if got := lang.L("Cancel"); got != "Болдырмау" {
		t.Errorf("Fyne's Cancel is %q in Kazakh, want Болдырмау", got)
	}
	if s.Map().Language() != "kk" {
		t.Errorf("map labels in %q, want kk", s.Map().Language())
	}
	if imgtest.Diff(imageCopy(mapImage(s, w)), englishMap) == "" {
		t.Error("the map's labels look the same in Kazakh as in English")
	}

	s.SetInterfaceLanguage("en")
	if got := lang.L("Cancel"); got != "Cancel" {
		t.Errorf("Fyne's Cancel is %q back in English", got)
	}
	if !slices.Contains(labelTexts(w), "Protected areas") || !slices.Contains(menuLabels(w), "Interface language") {
		t.Error("the window did not return to English")
	}
}

// imageCopy copies an image into a fresh RGBA image.
func imageCopy(img image.Image) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := range b.Dy() {
		for x := range b.Dx() {
			out.Set(x, y, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return out
}

// BenchmarkShell_switchInterfaceLanguage measures a switch of the
// interface language up to the next frame: the window's content, menus
// and features built again, Fyne's texts registered, the map told the
// new label language, and the window drawn by Fyne's software painter.
// In "next_frame" the map renders in the background as in the app, so the
// frame shows the tiles and labels at hand and the new labels follow from
// other goroutines; in "map_relabelled" the map renders synchronously,
// so the frame already has every label in the new language. The target
// is 100 ms per switch to the next frame.
func BenchmarkShell_switchInterfaceLanguage(b *testing.B) {
	for _, bc := range []struct {
		name string
		opt  mapview.Option
	}{
		{"next_frame", mapview.WithWorkers(2)},
		{"map_relabelled", mapview.WithImmediateRendering()},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.Cleanup(func() { i18n.SetLanguage("en") })
			a := test.NewTempApp(b)
			at, err := loadAtlas()
			if err != nil {
				b.Fatal(err)
			}
			w := test.NewTempWindow(b, nil)
			s := shell.New(a, w, at, at.Style.Clone(), shell.WithMapOptions(bc.opt), shell.WithFeatures(&countingFeature{}))
			b.Cleanup(s.Close)
			b.Cleanup(func() { s.SetInterfaceLanguage("en") })
			w.SetPadded(false)
			w.Resize(fyne.NewSize(1000, 700))
			framed := make(chan struct{})
			s.Map().OnFirstFrame = func() { close(framed) }
			for done := false; !done; {
				w.Canvas().Capture()
				select {
				case <-framed:
					done = true
				case <-time.After(20 * time.Millisecond):
				}
			}
			tags := []string{"kk", "ru"}
			n := 0
			for b.Loop() {
				s.SetInterfaceLanguage(tags[n%len(tags)])
				n++
				w.Canvas().Capture()
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(n), "ms/switch")
		})
	}
}
