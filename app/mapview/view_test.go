package mapview_test

import (
	"context"
	"image"
	"image/color"
	"image/draw"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/imgtest"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// loadAtlas loads the embedded atlas once for all tests.
var loadAtlas = sync.OnceValues(func() (*atlas.Atlas, error) {
	return atlas.LoadDefault(context.Background())
})

// newView returns a view of the default map with synchronous tile
// rendering, in a test window of w×h logical pixels.
func newView(t *testing.T, w, h float32, opts ...mapview.Option) (*mapview.View, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	at, err := loadAtlas()
	if err != nil {
		t.Fatal(err)
	}
	v := mapview.New(at, at.Style.Clone(), append([]mapview.Option{mapview.WithImmediateRendering()}, opts...)...)
	t.Cleanup(v.Close)
	win := test.NewTempWindow(t, v)
	win.SetPadded(false)
	win.Resize(fyne.NewSize(w, h))
	return v, win
}

// near reports whether two points are within eps on both axes.
func near(a, b orb.Point, eps float64) bool {
	return math.Abs(a[0]-b[0]) <= eps && math.Abs(a[1]-b[1]) <= eps
}

func TestView_startsFittedToRegion(t *testing.T) {
	v, _ := newView(t, 320, 200)
	got := v.Viewport()
	want := viewport.New(orb.Point{}, 0, 320, 200, 1).Fit(atlas.Region, mapview.FitPadding)
	if !near(got.Center, want.Center, 1e-9) || got.Zoom != want.Zoom {
		t.Errorf("initial view = %v z%v, want %v z%v", got.Center, got.Zoom, want.Center, want.Zoom)
	}
}

func TestView_dragPansByTheDrag(t *testing.T) {
	v, win := newView(t, 320, 200)
	var changes int
	v.OnViewportChanged = func(viewport.Viewport) { changes++ }
	start := orb.Point{100, 80}
	grabbed := v.Viewport().FromPixel(start)

	test.Drag(win.Canvas(), fyne.NewPos(100, 80), 37, -21)

	if got, want := v.Viewport().ToPixel(grabbed), (orb.Point{137, 59}); !near(got, want, 1e-6) {
		t.Errorf("the grabbed point is at %v after the drag, want %v", got, want)
	}
	if changes != 1 {
		t.Errorf("OnViewportChanged was called %d times, want 1", changes)
	}
}

func TestView_panMovesThePictureRigidly(t *testing.T) {
	v, win := newView(t, 320, 200)
	v.SetViewport(viewport.New(orb.Point{70, 43}, 6, 0, 0, 1))
	before := capture(win)

	test.Drag(win.Canvas(), fyne.NewPos(100, 100), 40, 30)
	after := capture(win)

	// Tiles and labels both move by the drag: the overlap is unchanged.
	var moved int
	for y := 0; y < 200-30; y++ {
		for x := 0; x < 320-40; x++ {
			if before.At(x, y) != after.At(x+40, y+30) {
				moved++
			}
		}
	}
	if moved != 0 {
		t.Errorf("%d pixels of the overlap changed, want the picture moved as a whole", moved)
	}
}

func TestView_scrollZoomsAtTheCursor(t *testing.T) {
	for name, tt := range map[string]struct {
		dy       float32
		zoomSign float64
	}{
		"wheel up zooms in":    {dy: 10, zoomSign: 1},
		"wheel down zooms out": {dy: -25, zoomSign: -1},
	} {
		t.Run(name, func(t *testing.T) {
			v, _ := newView(t, 320, 200)
			before := v.Viewport()
			cursor := orb.Point{250, 40}
			under := before.FromPixel(cursor)

			v.Scrolled(&fyne.ScrollEvent{
				PointEvent: fyne.PointEvent{Position: fyne.NewPos(250, 40)},
				Scrolled:   fyne.Delta{DY: tt.dy},
			})

			after := v.Viewport()
			if dz := after.Zoom - before.Zoom; dz*tt.zoomSign <= 0 {
				t.Fatalf("zoom changed by %v, want a change of sign %v", dz, tt.zoomSign)
			}
			if got := after.FromPixel(cursor); !near(got, under, 1e-9) {
				t.Errorf("lon/lat under the cursor moved from %v to %v", under, got)
			}
		})
	}
}

func TestView_scrollZoomIsProportional(t *testing.T) {
	for name, tt := range map[string]struct {
		deltas []float32
		want   float64
	}{
		"one wheel notch":      {deltas: []float32{25}, want: 0.5},
		"two wheel notches":    {deltas: []float32{25, 25}, want: 1},
		"a long scroll":        {deltas: []float32{50}, want: 1},
		"small trackpad steps": {deltas: []float32{2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5}, want: 0.5},
		"back and forth":       {deltas: []float32{25, -25}, want: 0},
		"a flick is capped":    {deltas: []float32{5000}, want: 1},
	} {
		t.Run(name, func(t *testing.T) {
			v, _ := newView(t, 320, 200)
			before := v.Viewport().Zoom
			for _, dy := range tt.deltas {
				v.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.Delta{DY: dy}})
			}
			// Zooms land on a grid of 1/16 level, so the start, which
			// fits the region, may be half a step off it.
			if got := v.Viewport().Zoom - before; math.Abs(got-tt.want) > 1.0/32+1e-9 {
				t.Errorf("zoom changed by %v, want %v", got, tt.want)
			}
		})
	}
}

func TestView_staysOnTheData(t *testing.T) {
	v, win := newView(t, 800, 600)
	st := v.Style()
	home := v.Viewport().Zoom
	for range 20 {
		v.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.Delta{DY: -50}})
	}
	if got, want := v.Viewport().Zoom, math.Max(home-1, viewport.MinZoom); math.Abs(got-want) > 1e-9 {
		t.Errorf("zoomed out to %v, want the limit %v", got, want)
	}
	for range 60 {
		v.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.Delta{DY: 50}})
	}
	if got := v.Viewport().Zoom; got != st.MaxZoom {
		t.Errorf("zoomed in to %v, want the data's limit %v", got, st.MaxZoom)
	}
	for _, drag := range []fyne.Position{{X: 5000, Y: -3000}, {X: -9000, Y: 7000}} {
		test.Drag(win.Canvas(), fyne.NewPos(160, 100), drag.X, drag.Y)
		vb, data := v.Viewport().Bound(), st.DataBound()
		if !data.Contains(vb.Min) || !data.Contains(vb.Max) {
			t.Errorf("dragged %v to a view of %v, outside the data %v", drag, vb, data)
		}
	}
}

func TestView_keys(t *testing.T) {
	for name, tt := range map[string]struct {
		press func(v *mapview.View)
		check func(t *testing.T, before, after viewport.Viewport)
	}{
		"plus zooms in one level": {
			press: func(v *mapview.View) { test.Type(v, "+") },
			check: func(t *testing.T, before, after viewport.Viewport) {
				if after.Zoom != before.Zoom+1 || !near(after.Center, before.Center, 1e-9) {
					t.Errorf("zoom %v → %v at %v → %v, want +1 at the same centre", before.Zoom, after.Zoom, before.Center, after.Center)
				}
			},
		},
		"equals zooms in one level": {
			press: func(v *mapview.View) { test.Type(v, "=") },
			check: func(t *testing.T, before, after viewport.Viewport) {
				if after.Zoom != before.Zoom+1 {
					t.Errorf("zoom %v → %v, want +1", before.Zoom, after.Zoom)
				}
			},
		},
		"minus zooms out one level": {
			press: func(v *mapview.View) { test.Type(v, "-") },
			check: func(t *testing.T, before, after viewport.Viewport) {
				if after.Zoom != before.Zoom-1 {
					t.Errorf("zoom %v → %v, want −1", before.Zoom, after.Zoom)
				}
			},
		},
		"left arrow shows what is west": {
			press: func(v *mapview.View) { v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyLeft}) },
			check: func(t *testing.T, before, after viewport.Viewport) {
				want := before.FromPixel(orb.Point{before.Width/2 - 0.2*before.Width, before.Height / 2})
				if !near(after.Center, want, 1e-9) {
					t.Errorf("centre %v, want %v", after.Center, want)
				}
			},
		},
		"down arrow shows what is south": {
			press: func(v *mapview.View) { v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown}) },
			check: func(t *testing.T, before, after viewport.Viewport) {
				want := before.FromPixel(orb.Point{before.Width / 2, before.Height/2 + 0.2*before.Height})
				if !near(after.Center, want, 1e-9) {
					t.Errorf("centre %v, want %v", after.Center, want)
				}
			},
		},
		"home shows the whole region": {
			press: func(v *mapview.View) {
				v.SetViewport(viewport.New(orb.Point{77, 42}, 9, 0, 0, 1))
				v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyHome})
			},
			check: func(t *testing.T, _, after viewport.Viewport) {
				want := after.Fit(atlas.Region, mapview.FitPadding)
				if after != want {
					t.Errorf("view %+v, want %+v", after, want)
				}
			},
		},
	} {
		t.Run(name, func(t *testing.T) {
			v, _ := newView(t, 320, 200)
			v.SetViewport(viewport.New(atlas.Region.Center(), 6, 0, 0, 1))
			before := v.Viewport()
			tt.press(v)
			tt.check(t, before, v.Viewport())
		})
	}
}

func TestView_doubleTapZoomsInAtThePoint(t *testing.T) {
	v, _ := newView(t, 320, 200)
	before := v.Viewport()
	p := orb.Point{60, 150}
	under := before.FromPixel(p)

	v.DoubleTapped(&fyne.PointEvent{Position: fyne.NewPos(60, 150)})

	after := v.Viewport()
	if after.Zoom != before.Zoom+1 {
		t.Errorf("zoom %v → %v, want +1", before.Zoom, after.Zoom)
	}
	if got := after.FromPixel(p); !near(got, under, 1e-9) {
		t.Errorf("lon/lat under the tap moved from %v to %v", under, got)
	}
}

func TestView_flyToEndsAtTheFittedView(t *testing.T) {
	v, _ := newView(t, 320, 200)
	aral := orb.Bound{Min: orb.Point{58, 43.3}, Max: orb.Point{62.5, 46.9}}
	var last viewport.Viewport
	v.OnViewportChanged = func(vp viewport.Viewport) { last = vp }

	v.FlyTo(aral)

	want := v.Viewport().Fit(aral, mapview.FitPadding)
	if got := v.Viewport(); got != want || last != want {
		t.Errorf("view %+v (last reported %+v), want %+v", got, last, want)
	}
}

func TestView_cursor(t *testing.T) {
	v, win := newView(t, 320, 200)
	var (
		got    orb.Point
		inside bool
	)
	v.OnCursor = func(p orb.Point, in bool) { got, inside = p, in }

	test.MoveMouse(win.Canvas(), fyne.NewPos(120, 90))
	if want := v.Viewport().FromPixel(orb.Point{120, 90}); !inside || !near(got, want, 1e-9) {
		t.Errorf("cursor at %v inside=%t, want %v inside", got, inside, want)
	}
	test.MoveMouse(win.Canvas(), fyne.NewPos(400, 400))
	if inside {
		t.Error("cursor still inside after leaving the map")
	}
}

func TestView_firstFrameIsReportedOnce(t *testing.T) {
	v, win := newView(t, 320, 200)
	var calls int
	v.OnFirstFrame = func() { calls++ }
	win.Canvas().Capture()
	v.Refresh()
	win.Canvas().Capture()
	if calls != 1 {
		t.Errorf("OnFirstFrame was called %d times, want 1", calls)
	}
}

func TestView_golden(t *testing.T) {
	for name, scale := range map[string]float32{"map_320x200": 1, "map_320x200@2x": 2} {
		t.Run(name, func(t *testing.T) {
			_, win := newView(t, 320, 200)
			win.Canvas().(test.WindowlessCanvas).SetScale(scale)
			imgtest.Assert(t, name, capture(win))
		})
	}
}

// TestView_backgroundRendering draws the map the way the app does, tiles
// and labels made on other goroutines (run it with -race), and checks that
// the frame it settles on is the one immediate rendering draws.
func TestView_backgroundRendering(t *testing.T) {
	test.NewTempApp(t)
	at, err := loadAtlas()
	if err != nil {
		t.Fatal(err)
	}
	// The test goroutine plays the UI goroutine: what the workers hand
	// to it waits in ui until a capture is over.
	ui := make(chan func(), 1024)
	v := mapview.New(at, at.Style.Clone(), mapview.WithWorkers(2), mapview.WithUIQueue(func(f func()) { ui <- f }))
	t.Cleanup(v.Close)
	runQueued := func() {
		for {
			select {
			case f := <-ui:
				f()
			default:
				return
			}
		}
	}
	win := test.NewTempWindow(t, v)
	win.SetPadded(false)
	win.Resize(fyne.NewSize(320, 200))
	framed := make(chan struct{})
	v.OnFirstFrame = func() { close(framed) }
	deadline := time.After(30 * time.Second)
	for done := false; !done; {
		runQueued()
		win.Canvas().Capture()
		runQueued()
		select {
		case <-framed:
			done = true
		case <-deadline:
			t.Fatal("no complete frame after 30 s")
		case <-time.After(20 * time.Millisecond):
		}
	}
	// Tiles are all there; the labels follow, placed on their own goroutine.
	want, err := imgtest.Read("testdata/map_320x200.png")
	if err != nil {
		t.Fatal(err)
	}
	for start := time.Now(); ; time.Sleep(20 * time.Millisecond) {
		runQueued()
		got := capture(win)
		if imgtest.Diff(toRGBA(got), want) == "" {
			return
		}
		if time.Since(start) > 30*time.Second {
			imgtest.Assert(t, "map_320x200", got)
			return
		}
	}
}

func TestView_languageChangesOnlyTheLabels(t *testing.T) {
	v, win := newView(t, 480, 300)
	english := capture(win)
	v.SetLanguage("ru")
	russian := capture(win)
	if v.Language() != "ru" {
		t.Fatalf("language %q, want %q", v.Language(), "ru")
	}
	if differing(english, russian) == 0 {
		t.Error("the map looks the same with Russian labels")
	}
}

func TestView_setStyleRedraws(t *testing.T) {
	v, win := newView(t, 320, 200)
	before := capture(win)
	original := v.Style()
	st := original.Clone()
	for i := range st.Layers {
		st.Layers[i].Hidden = true
	}
	v.SetStyle(st)
	blank := capture(win)
	bg := st.Background.NRGBA()
	px := blank.At(160, 100)
	if r, g, b, _ := px.RGBA(); r>>8 != uint32(bg.R) || g>>8 != uint32(bg.G) || b>>8 != uint32(bg.B) {
		t.Errorf("with every layer hidden the centre is %v, want the background %v", px, bg)
	}
	if differing(before, blank) == 0 {
		t.Error("hiding every layer changed nothing")
	}
	v.SetStyle(original)
	if n := differing(before, capture(win)); n != 0 {
		t.Errorf("%d pixels differ after showing the layers again", n)
	}
}

func capture(win fyne.Window) image.Image { return win.Canvas().Capture() }

// toRGBA returns an image as *image.RGBA.
func toRGBA(img image.Image) *image.RGBA {
	if rgba, ok := img.(*image.RGBA); ok {
		return rgba
	}
	out := image.NewRGBA(img.Bounds())
	draw.Draw(out, out.Rect, img, img.Bounds().Min, draw.Src)
	return out
}

// differing counts the pixels that differ between two images of one size.
func differing(a, b image.Image) int {
	n := 0
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				n++
			}
		}
	}
	return n
}

// recordingTool records what the map passes it.
type recordingTool struct {
	taps, doubleTaps, hovers int
	takeDrags                bool
	drags                    []orb.Point
	dragStart, dragEnd       orb.Point
	ended, cancelled         bool
}

func (r *recordingTool) Tapped(viewport.Viewport, orb.Point) { r.taps++ }
func (r *recordingTool) DoubleTapped(viewport.Viewport, orb.Point) bool {
	r.doubleTaps++
	return true
}
func (r *recordingTool) Dragged(_ viewport.Viewport, start, p orb.Point) bool {
	r.dragStart = start
	r.drags = append(r.drags, p)
	return r.takeDrags
}
func (r *recordingTool) DragEnd(_ viewport.Viewport, p orb.Point)   { r.ended, r.dragEnd = true, p }
func (r *recordingTool) Hovered(viewport.Viewport, orb.Point, bool) { r.hovers++ }
func (r *recordingTool) Cancelled()                                 { r.cancelled = true }

func TestView_toolTakesTapsAndDrags(t *testing.T) {
	v, win := newView(t, 320, 200)
	tool := &recordingTool{takeDrags: true}
	v.SetTool(tool)
	before := v.Viewport()

	test.TapAt(v, fyne.NewPos(100, 80))
	test.DoubleTap(v)
	// A drag as the desktop driver reports it: the pointer's position and
	// the move since the last event.
	v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(120, 90)}, Dragged: fyne.NewDelta(20, 10)})
	v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(140, 100)}, Dragged: fyne.NewDelta(20, 10)})
	v.DragEnd()
	test.MoveMouse(win.Canvas(), fyne.NewPos(150, 90))
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})

	if tool.taps != 1 || tool.doubleTaps != 1 {
		t.Errorf("taps %d, double taps %d; want 1 each", tool.taps, tool.doubleTaps)
	}
	if len(tool.drags) != 2 || tool.dragStart != (orb.Point{100, 80}) || !tool.ended || tool.dragEnd != (orb.Point{140, 100}) {
		t.Errorf("drag seen from %v, %d moves, ended %t; want from (100, 80), ended", tool.dragStart, len(tool.drags), tool.ended)
	}
	if v.Viewport() != before {
		t.Errorf("the map moved to %+v while the tool took the input", v.Viewport())
	}
	if tool.hovers == 0 || !tool.cancelled {
		t.Errorf("hovers %d, cancelled %t; want hovers and the Escape", tool.hovers, tool.cancelled)
	}
}

func TestView_toolDecliningADragPans(t *testing.T) {
	v, win := newView(t, 320, 200)
	v.SetTool(&recordingTool{})
	before := v.Viewport()
	test.Drag(win.Canvas(), fyne.NewPos(100, 80), 40, 20)
	if v.Viewport().Center == before.Center {
		t.Error("the map did not pan when the tool declined the drag")
	}
}

func TestView_overlaysDrawAboveTheMap(t *testing.T) {
	v, win := newView(t, 320, 200)
	red := color.RGBA{255, 0, 0, 255}
	isRed := func(c color.Color) bool {
		r, g, b, a := c.RGBA()
		return r == 0xffff && g == 0 && b == 0 && a == 0xffff
	}
	capture(win)
	rendered := v.TilesRendered()
	if rendered == 0 {
		t.Fatal("no tile counted as rendered for the first frame")
	}
	v.SetOverlay("mark", mapview.OverlayFunc(func(dst *image.RGBA, vp viewport.Viewport) {
		dst.SetRGBA(int(vp.Width*vp.Scale/2), int(vp.Height*vp.Scale/2), red)
	}))
	if got := capture(win).At(160, 100); !isRed(got) {
		t.Errorf("the overlay's pixel is %v, want red", got)
	}
	if got := v.TilesRendered(); got != rendered {
		t.Errorf("setting an overlay rendered %d tiles, want none", got-rendered)
	}
	v.SetOverlay("mark", nil)
	if got := capture(win).At(160, 100); isRed(got) {
		t.Error("the overlay is still drawn after its removal")
	}
}

func TestView_maxZoomCanBeRaisedAndLowered(t *testing.T) {
	v, _ := newView(t, 320, 200)
	styleMax := v.MaxZoom()
	v.SetMaxZoom(styleMax + 3)
	v.SetViewport(viewport.New(orb.Point{69.3, 41.3}, styleMax+2.5, 0, 0, 1))
	if got := v.Viewport().Zoom; got != styleMax+2.5 {
		t.Errorf("with the limit raised the view went to zoom %v, want %v", got, styleMax+2.5)
	}
	v.SetMaxZoom(styleMax)
	if got := v.Viewport().Zoom; got != styleMax {
		t.Errorf("with the limit lowered again the view is at zoom %v, want %v", got, styleMax)
	}
}

// finishingTool is a tool that counts Enter.
type finishingTool struct {
	recordingTool
	finished int
}

func (f *finishingTool) Finish() { f.finished++ }

func TestView_enterFinishesTheToolsWork(t *testing.T) {
	v, _ := newView(t, 320, 200)
	tool := &finishingTool{}
	v.SetTool(tool)
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnter})
	if tool.finished != 2 {
		t.Errorf("Finish called %d times for Return and Enter, want 2", tool.finished)
	}
	v.SetTool(&recordingTool{}) // a tool that is no Finisher ignores Enter
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

func TestView_animateToEndsAtTheView(t *testing.T) {
	v, _ := newView(t, 320, 200)
	to := viewport.New(orb.Point{77.2, 42.4}, 8.25, 0, 0, 1)
	v.AnimateTo(to)
	got := v.Viewport()
	if !near(got.Center, to.Center, 1e-9) || got.Zoom != to.Zoom {
		t.Errorf("the animation ended at %v z%v, want %v z%v", got.Center, got.Zoom, to.Center, to.Zoom)
	}
}

// TestView_labelBoxes checks the boxes an overlay keeps its marks off:
// switching the labels from English to Russian changes the frame inside
// the boxes of the labels of either language and nowhere else; and a view
// of another zoom has none until labels are placed for it.
func TestView_labelBoxes(t *testing.T) {
	v, win := newView(t, 320, 200)
	english := capture(win)
	vp := v.Viewport()
	enBoxes, ok := v.LabelBoxes(vp)
	if !ok || len(enBoxes) == 0 {
		t.Fatalf("%d label boxes (placed %v) after a frame", len(enBoxes), ok)
	}
	v.SetLanguage("ru")
	russian := capture(win)
	ruBoxes, _ := v.LabelBoxes(vp)
	boxes := append(enBoxes, ruBoxes...)
	inside, outside := 0, 0
	for y := range 200 {
		for x := range 320 {
			if english.At(x, y) == russian.At(x, y) {
				continue
			}
			if slices.ContainsFunc(boxes, func(b image.Rectangle) bool { return image.Pt(x, y).In(b) }) {
				inside++
			} else {
				outside++
			}
		}
	}
	if inside == 0 || outside > 0 {
		t.Errorf("the labels' change shows at %d pixels inside their boxes and %d outside", inside, outside)
	}
	if _, ok := v.LabelBoxes(vp.ZoomAt(orb.Point{160, 100}, 1)); ok {
		t.Error("label boxes for a zoom the view has not drawn")
	}
}
