package present

import (
	"context"
	"image"
	"image/color"
	"strconv"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/clausemap"
	"github.com/ecoatlas/ecoatlas/geo/render/raster"
	"github.com/ecoatlas/ecoatlas/geo/story"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// overlayName is the name of presentation mode's overlay on the map.
const overlayName = "present"

// mode is presentation mode while it is on: what it took from the window
// to give back, and what it shows.
type mode struct {
	f *Feature
	s *shell.Shell
	w fyne.Window

	// content, menu and fullScreen are the window's before.
	content    fyne.CanvasObject
	menu       *fyne.MainMenu
	fullScreen bool
	// base is the style the map drew before, which each step switches
	// and filters, and which it draws again after.
	base *style.Style

	caption *captionBar
	over    *stepOverlay
	tool    *pointerTool
	// timer moves on from a step with a duration; gen tells a stale
	// timer's step from the one shown.
	timer *time.Timer
	gen   int
}

// enter takes the window over for presentation mode: the map alone, full
// screen, with the caption bar along its foot.
func enter(f *Feature) *mode {
	s := f.s
	w := s.Window()
	m := &mode{
		f: f, s: s, w: w,
		content: w.Content(), menu: w.MainMenu(), fullScreen: w.FullScreen(),
		base:    s.Map().Style(),
		caption: newCaptionBar(),
	}
	m.over = &stepOverlay{m: m}
	m.tool = &pointerTool{m: m}
	s.Map().SetOverlay(overlayName, m.over)
	s.UseTool(m.tool)
	w.SetMainMenu(nil)
	// The map ends above the caption bar, so that a step's view is
	// fitted where it shows.
	w.SetContent(container.NewBorder(nil, m.caption.content, nil, nil, s.Map()))
	w.SetFullScreen(true)
	w.Canvas().Unfocus()
	return m
}

// show flies to step i and shows its caption; its highlight follows once
// the map arrives.
func (m *mode) show(i int) {
	f := m.f
	st := f.stories[f.current]
	f.step = i
	step := st.Steps[i]
	m.gen++
	if m.timer != nil {
		m.timer.Stop()
		m.timer = nil
	}
	v := m.s.Map()
	v.SetStyle(f.stepStyle(m.base, step).Magnified(ProjectorScale))
	m.over.set(nil)
	v.FlyToIn(step.Bound(), FlightDuration)
	m.caption.set(st.Title, heading(step), step.Caption, i+1, len(st.Steps))
	if !step.Highlight.IsZero() {
		m.highlight(step, m.gen)
	}
	if step.Duration > 0 && i+1 < len(st.Steps) {
		gen := m.gen
		m.timer = time.AfterFunc(FlightDuration+time.Duration(step.Duration*float64(time.Second)), func() {
			fyne.Do(func() {
				if f.mode == m && m.gen == gen {
					f.Next()
				}
			})
		})
	}
}

// highlight finds what a step highlights off the UI goroutine and gives
// it to the overlay, unless another step is shown by then.
func (m *mode) highlight(step story.Step, gen int) {
	find := func() (*clausemap.Map, clausemap.Selection, bool) {
		cm, err := m.f.clauses()
		if err != nil {
			return nil, clausemap.Selection{}, false
		}
		sel, err := cm.Step(step.TourStep())
		if err != nil || sel.Empty() {
			return nil, clausemap.Selection{}, false
		}
		return cm, sel, true
	}
	if m.f.immediate {
		if cm, sel, ok := find(); ok {
			m.over.set(&shownStep{cm: cm, sel: sel})
		}
		return
	}
	go func() {
		cm, sel, ok := find()
		fyne.Do(func() {
			if ok && m.f.mode == m && m.gen == gen {
				m.over.set(&shownStep{cm: cm, sel: sel})
			}
		})
	}()
}

// heading returns a step's heading: its title, or its clause.
func heading(step story.Step) string {
	if step.Title != "" {
		return step.Title
	}
	if n := step.Highlight.Clause; n != 0 {
		return i18n.T("present.clause", map[string]any{"N": strconv.Itoa(n)})
	}
	return ""
}

// stop ends what the mode runs by itself: the timer, the overlay, the
// pointer tool; and gives the map its style back.
func (m *mode) stop() {
	m.gen++
	if m.timer != nil {
		m.timer.Stop()
	}
	m.over.set(nil)
	v := m.s.Map()
	v.SetOverlay(overlayName, nil)
	m.s.ReleaseTool(m.tool)
	v.SetStyle(m.base)
	m.w.SetFullScreen(m.fullScreen)
}

// leave gives the window back as it was: its content with the panels,
// the menu and its size.
func (m *mode) leave() {
	m.stop()
	m.w.SetMainMenu(m.menu)
	m.w.SetContent(m.content)
	m.s.Map().Refresh()
}

// abandon ends the mode after the shell has built the window's content
// and menu again (a change of interface language), which stay.
func (m *mode) abandon() { m.stop() }

// captionBar is the band along the foot of the screen in presentation
// mode: the story's title and where in it, the step's heading, and its
// caption, in large light text on a dark ground.
type captionBar struct {
	content fyne.CanvasObject
	story   *canvas.Text
	count   *canvas.Text
	heading *widget.Label
	caption *widget.Label
}

// Sizes of the caption bar's text, in logical pixels: large enough to
// read on a projector from the back of a room.
const (
	captionStorySize   = 18
	captionHeadingSize = 34
	captionTextSize    = 24
)

func newCaptionBar() *captionBar {
	light := color.NRGBA{0xf4, 0xf4, 0xf0, 0xff}
	dim := color.NRGBA{0xc8, 0xd8, 0xe8, 0xff}
	b := &captionBar{
		story:   canvas.NewText("", dim),
		count:   canvas.NewText("", dim),
		heading: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		caption: widget.NewLabel(""),
	}
	b.story.TextSize, b.count.TextSize = captionStorySize, captionStorySize
	b.heading.Wrapping, b.caption.Wrapping = fyne.TextWrapWord, fyne.TextWrapWord
	bg := canvas.NewRectangle(color.NRGBA{0x10, 0x16, 0x1c, 0xff})
	top := container.NewBorder(nil, nil, b.story, b.count)
	text := container.NewVBox(top,
		container.NewThemeOverride(b.heading, projectorTheme{light: light, text: captionHeadingSize}),
		container.NewThemeOverride(b.caption, projectorTheme{light: light, text: captionTextSize}))
	b.content = container.NewStack(bg, container.NewPadded(container.NewPadded(text)))
	return b
}

// set shows a step: the story's title, the step's heading and caption, and
// "n / total".
func (b *captionBar) set(title, heading, caption string, n, total int) {
	b.story.Text = title
	b.count.Text = i18n.T("present.step_of", map[string]any{"N": strconv.Itoa(n), "Total": strconv.Itoa(total)})
	b.heading.SetText(heading)
	b.caption.SetText(caption)
	b.heading.Hidden = heading == ""
	b.caption.Hidden = caption == ""
	b.story.Refresh()
	b.count.Refresh()
	b.content.Refresh()
}

// projectorTheme is the app's theme with light text of one size, for the
// caption bar.
type projectorTheme struct {
	light color.Color
	text  float32
}

func (t projectorTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameForeground {
		return t.light
	}
	return theme.DefaultTheme().Color(n, v)
}

func (projectorTheme) Font(s fyne.TextStyle) fyne.Resource { return theme.DefaultTheme().Font(s) }

func (projectorTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (t projectorTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameText {
		return t.text
	}
	return theme.DefaultTheme().Size(n)
}

// shownStep is a step's highlight: a selection of the declaration's map.
type shownStep struct {
	cm  *clausemap.Map
	sel clausemap.Selection
}

// stepOverlay draws presentation mode over the map: the step's highlight,
// prepared off the UI goroutine once the flight has arrived (a frame only
// composes it), and the pointer.
type stepOverlay struct {
	m *mode

	mu       sync.Mutex
	shown    *shownStep
	vp       viewport.Viewport // the view img was prepared for
	img      *image.RGBA
	pending  viewport.Viewport // the view being prepared
	cancel   context.CancelFunc
	hasPoint bool
	point    orb.Point // the pointer, in logical pixels of the view
}

// set makes the overlay show a step's highlight, nil for none.
func (o *stepOverlay) set(s *shownStep) {
	o.mu.Lock()
	if o.cancel != nil {
		o.cancel()
	}
	o.shown, o.img, o.cancel, o.pending = s, nil, nil, viewport.Viewport{}
	o.mu.Unlock()
	o.m.s.Map().Refresh()
}

// Draw composes the highlight prepared for vp, or, once the map is
// still, asks for it; and draws the pointer.
func (o *stepOverlay) Draw(dst *image.RGBA, vp viewport.Viewport) {
	s, img := o.prepared(vp)
	if s != nil && img == nil && !o.m.s.Map().Animating() {
		o.prepare(s, vp)
		s, img = o.prepared(vp)
	}
	if img != nil {
		clausemap.Compose(dst, img)
	}
	if o.m.f.pointer && o.hasPoint {
		drawPointer(dst, vp, o.point)
	}
}

// prepared returns the highlight shown and its image for vp, nil if it
// is not ready for vp.
func (o *stepOverlay) prepared(vp viewport.Viewport) (*shownStep, *image.RGBA) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.img == nil || o.vp != vp {
		return o.shown, nil
	}
	return o.shown, o.img
}

// prepare draws the highlight of s for vp off the UI goroutine (on it in
// immediate mode), its badges clear of the map's labels.
func (o *stepOverlay) prepare(s *shownStep, vp viewport.Viewport) {
	labels, _ := o.m.s.Map().LabelBoxes(vp)
	ctx, cancel := context.WithCancel(context.Background())
	o.mu.Lock()
	if o.pending == vp {
		o.mu.Unlock()
		cancel()
		return
	}
	if o.cancel != nil {
		o.cancel()
	}
	o.pending, o.cancel = vp, cancel
	o.mu.Unlock()
	run := func() {
		img, _, err := s.cm.Overlay(ctx, vp, s.sel, clausemap.DefaultLook, labels)
		o.mu.Lock()
		defer o.mu.Unlock()
		if err != nil || o.shown != s || o.pending != vp {
			return
		}
		o.img, o.vp = img, vp
	}
	if o.m.f.immediate {
		run()
		return
	}
	go func() {
		run()
		fyne.Do(o.m.s.Map().Refresh)
	}()
}

// pointerRadius is the radius of the highlighted pointer, in logical
// pixels.
const pointerRadius = 18

// drawPointer draws the highlighted pointer at p: a translucent red disc
// with a white rim, seen from the back of a room.
func drawPointer(dst *image.RGBA, vp viewport.Viewport, p orb.Point) {
	c := raster.New(dst)
	k := vp.Scale
	c.Symbol(p[0]*k+float64(dst.Rect.Min.X), p[1]*k+float64(dst.Rect.Min.Y), raster.Symbol{
		Shape: raster.Circle, Size: 2 * pointerRadius * k,
		Fill:   color.NRGBA{0xe8, 0x20, 0x20, 0x70},
		Stroke: color.NRGBA{0xff, 0xff, 0xff, 0xe0}, StrokeWidth: 2 * k,
	})
}

// pointerTool is the map's tool in presentation mode: it follows the
// pointer for the highlighted pointer, and clicks identify nothing.
type pointerTool struct{ m *mode }

func (t *pointerTool) Tapped(viewport.Viewport, orb.Point) {}

func (t *pointerTool) DoubleTapped(viewport.Viewport, orb.Point) bool { return false }

func (t *pointerTool) Dragged(viewport.Viewport, orb.Point, orb.Point) bool { return false }

func (t *pointerTool) DragEnd(viewport.Viewport, orb.Point) {}

func (t *pointerTool) Hovered(_ viewport.Viewport, p orb.Point, inside bool) {
	o := t.m.over
	o.hasPoint, o.point = inside, p
	if t.m.f.pointer {
		t.m.s.Map().Refresh()
	}
}

func (t *pointerTool) Cancelled() {}
