package coordinate_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/coordinate"
	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/coord"
)

var loadAtlas = sync.OnceValues(func() (*atlas.Atlas, error) {
	return atlas.LoadDefault(context.Background())
})

func newShell(t *testing.T) (*shell.Shell, fyne.Window, *coordinate.Feature) {
	t.Helper()
	a := test.NewTempApp(t)
	at, err := loadAtlas()
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	f := coordinate.New()
	s := shell.New(a, w, at, at.Style.Clone(), shell.WithMapOptions(mapview.WithImmediateRendering()), shell.WithFeatures(f))
	t.Cleanup(s.Close)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(900, 600))
	return s, w, f
}

// find returns the objects of type T in the window's overlays and content
// that pass keep.
func find[T fyne.CanvasObject](w fyne.Window, keep func(T) bool) []T {
	var found []T
	objs := test.LaidOutObjects(w.Content())
	for _, o := range w.Canvas().Overlays().List() {
		objs = append(objs, test.LaidOutObjects(o)...)
	}
	for _, obj := range objs {
		if t, ok := obj.(T); ok && keep(t) {
			found = append(found, t)
		}
	}
	return found
}

func TestCheck_readsEveryNotation(t *testing.T) {
	for _, c := range []struct {
		text string
		kind coord.Kind
		want orb.Point
	}{
		{"42.45 77.3", coord.KindDecimal, orb.Point{77.3, 42.45}},
		{"42°27′N 77°18′E", coord.KindDMS, orb.Point{77.3, 42.45}},
		{"38S 500000 4400000", coord.KindUTM, orb.Point{45, 39.7499}},
		{"43TGH 12345 67890", coord.KindMGRS, orb.Point{77.6066, 43.0340}},
	} {
		pos, err := coordinate.Check(c.text)
		if err != nil || pos.Kind != c.kind || math.Abs(pos.Point[0]-c.want[0]) > 1e-4 || math.Abs(pos.Point[1]-c.want[1]) > 1e-4 {
			t.Errorf("%q: %v %v (%v), want %v %v", c.text, pos.Point, pos.Kind, err, c.want, c.kind)
		}
	}
}

func TestCheck_saysWhatIsWrong(t *testing.T) {
	t.Cleanup(func() { i18n.SetLanguage("en") })
	for _, c := range []struct {
		text     string
		sentinel error
		says     string
	}{
		{"hello", coord.ErrSyntax, `Not a coordinate: "hello" at character 1`},
		{"42.45", coord.ErrSyntax, "give a latitude and a longitude"},
		{"42°75′N 77°18′E", coord.ErrRange, "Out of range: "},
	} {
		_, err := coordinate.Check(c.text)
		var ce *coordinate.Error
		if !errors.As(err, &ce) || !errors.Is(err, c.sentinel) || !strings.Contains(err.Error(), c.says) || strings.Contains(err.Error(), "coord:") {
			t.Errorf("%q: %v, want a *coordinate.Error wrapping %v that says %q", c.text, err, c.sentinel, c.says)
		}
	}
	i18n.SetLanguage("ru")
	if _, err := coordinate.Check("hello"); err == nil || !strings.HasPrefix(err.Error(), "Это не координаты: ") {
		t.Errorf("in Russian the error reads %v", err)
	}
}

func TestGoTo_fliesThereWithAPin(t *testing.T) {
	s, w, f := newShell(t)
	blank := w.Canvas().Capture()
	if err := f.GoTo("43T 500000 4700000"); err != nil {
		t.Fatal(err)
	}
	centre := s.Map().Viewport().Center
	if math.Abs(centre[0]-75) > 1e-6 || math.Abs(centre[1]-42.4523) > 1e-3 {
		t.Errorf("the map is at %v, want 75 42.4523", centre)
	}
	if p, ok := f.Pin(); !ok || math.Abs(p[0]-75) > 1e-6 {
		t.Errorf("the pin is at %v (%v)", p, ok)
	}
	// The pin's head is drawn above the map's centre.
	mapAt := fyne.CurrentApp().Driver().AbsolutePositionForObject(s.Map())
	size := s.Map().Size()
	x, y := int(mapAt.X+size.Width/2), int(mapAt.Y+size.Height/2)-16
	if got := w.Canvas().Capture().At(x, y); got == blank.At(x, y) {
		t.Errorf("no pin drawn above the centre: %v", got)
	}
	var clear *fyne.MenuItem
	for _, it := range s.Menu("menu.tools").Items {
		if it.Label == "Remove the coordinate pin" {
			clear = it
		}
	}
	if clear == nil || clear.Disabled {
		t.Fatal("no enabled menu item to remove the pin")
	}
	clear.Action()
	if _, ok := f.Pin(); ok || !clear.Disabled {
		t.Error("the pin stayed, or its menu item stayed enabled")
	}
	if err := f.GoTo("hello"); !errors.Is(err, coord.ErrSyntax) {
		t.Errorf("GoTo(hello) = %v, want a syntax error", err)
	}
}

func TestAsk_theDialogChecksWhileTyping(t *testing.T) {
	s, w, f := newShell(t)
	f.Ask()
	entries := find(w, func(e *widget.Entry) bool { return true })
	if len(entries) != 1 {
		t.Fatalf("%d entries in the dialog, want 1", len(entries))
	}
	test.Type(entries[0], "42°75′N 77°18′E")
	problems := find(w, func(l *widget.Label) bool { return strings.HasPrefix(l.Text, "Out of range: ") })
	if len(problems) != 1 {
		t.Error("the dialog does not say the minutes are out of range")
	}
	goButtons := find(w, func(b *widget.Button) bool { return b.Text == "Go" })
	if len(goButtons) != 1 || !goButtons[0].Disabled() {
		t.Fatal("the Go button is not disabled for a wrong coordinate")
	}
	entries[0].SetText("")
	test.Type(entries[0], "42.45 77.3")
	if goButtons[0].Disabled() || len(find(w, func(l *widget.Label) bool { return strings.HasPrefix(l.Text, "Out of range") })) != 0 {
		t.Fatal("a good coordinate still shows as wrong")
	}
	test.Tap(goButtons[0])
	if c := s.Map().Viewport().Center; math.Abs(c[0]-77.3) > 1e-6 || math.Abs(c[1]-42.45) > 1e-6 {
		t.Errorf("after Go the map is at %v, want 77.3 42.45", c)
	}
}

func TestPickToCopy_copiesTheClickedPoint(t *testing.T) {
	s, w, _ := newShell(t)
	s.SetCoordinateFormat(coord.KindMGRS)
	var copyItem *fyne.MenuItem
	for _, it := range s.Menu("menu.tools").Items {
		if it.Label == "Copy the coordinates of a point" {
			copyItem = it
		}
	}
	if copyItem == nil {
		t.Fatal("no Tools menu item to copy coordinates")
	}
	copyItem.Action()
	if s.Map().Tool() == nil {
		t.Fatal("the map has no tool to pick the point with")
	}
	vp := s.Map().Viewport()
	s.Map().Tapped(&fyne.PointEvent{Position: fyne.NewPos(200, 150)})
	want, _ := coord.Format(vp.FromPixel(orb.Point{200, 150}), coord.KindMGRS)
	if got := fyne.CurrentApp().Clipboard().Content(); got != want {
		t.Errorf("the clipboard holds %q, want %q", got, want)
	}
	if s.Map().Tool() != nil {
		t.Error("the tool kept the map after its click")
	}
	found := false
	for _, o := range test.LaidOutObjects(w.Content()) {
		if l, ok := o.(*widget.Label); ok && l.Text == "Copied "+want {
			found = true
		}
	}
	if !found {
		t.Error("no notice says what was copied")
	}

	// Escape gives the map back without copying.
	fyne.CurrentApp().Clipboard().SetContent("")
	copyItem.Action()
	s.Map().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if s.Map().Tool() != nil || fyne.CurrentApp().Clipboard().Content() != "" {
		t.Error("Escape did not give the map back, or copied")
	}
}
