package mapview

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/mercator"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/tile"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// FitPadding is the margin, in logical pixels, that [View.FlyTo] and
// [View.Home] leave around the bound they fit.
const FitPadding = 16

// DefaultCacheBytes is the initial tile cache budget of a view: about
// four views of tiles for a 1400×900 window, so that panning back and
// toggling a layer back on redraw from memory. A view that needs more,
// on a large or HiDPI screen, grows its cache to cacheViews views.
const DefaultCacheBytes = 16 << 20

// cacheViews is how many views' worth of tiles a view's cache holds at
// least: the view, the one before the last pan or zoom, and one more.
const cacheViews = 2

// errUnknownGeneration is what a tile render returns for a key of a
// content generation the view never had, which would be a bug.
var errUnknownGeneration = errors.New("mapview: tile of an unknown content generation")

// View is the map widget. Create it with [New]; its methods must be called
// on the UI goroutine (in a fyne.Do from other goroutines).
type View struct {
	widget.BaseWidget

	// OnViewportChanged, if set, is called on the UI goroutine after every
	// change of the view: pan, zoom, resize, each step of an animation.
	OnViewportChanged func(viewport.Viewport)
	// OnCursor, if set, is called as the pointer moves over the map with
	// the lon/lat under it and inside true, and with inside false when the
	// pointer leaves the map.
	OnCursor func(lonlat orb.Point, inside bool)
	// OnFirstFrame, if set, is called once on the UI goroutine, just after
	// the first frame made entirely of rendered tiles has been handed to
	// the canvas.
	OnFirstFrame func()

	atlas *atlas.Atlas
	style *style.Style
	lang  string
	home  orb.Bound
	// bounds is where the data are: the view stays inside it. maxZoom is
	// the deepest zoom the data can show.
	bounds  orb.Bound
	maxZoom float64

	vp viewport.Viewport
	// fit is the bound the view keeps fitted as it resizes, until the
	// user or SetViewport moves it: home at first, then FlyTo's bound.
	fit *orb.Bound

	gens    map[string]uint64 // content generation of each style fingerprint kept
	recent  []string          // the fingerprints kept, most recently shown last
	nextGen uint64
	content atomic.Pointer[content] // what the tile workers draw

	cache          *tile.Cache
	cacheBytes     int64 // the cache's budget
	scheduler      *tile.Scheduler
	workers        int // the scheduler's, 0 for synchronous rendering
	immediate      bool
	do             func(func())  // hands work to the UI goroutine: fyne.Do
	rendered       atomic.Uint64 // tiles rendered so far
	refreshQueued  atomic.Bool
	firstFrameDone bool
	labels         *labeller

	tool        Tool
	overlays    []namedOverlay
	dragging    bool      // a drag is under way
	dragFrom    orb.Point // where it started
	toolDrag    bool      // the tool took it
	lastPointer orb.Point // the pointer's last position, logical pixels

	animation   *fyne.Animation
	animating   bool
	destination viewport.Viewport // where the running animation ends
	scrollDebt  float64           // zoom change scrolled but not yet applied, see Scrolled
}

// content is what the tile workers draw, published atomically: the
// current generation and the scene of every generation seen. A tile of an
// older generation, still wanted until the next frame asks for the new
// ones, is then drawn right instead of failing, and a failure would be
// remembered until the style changes.
type content struct {
	gen    uint64
	scenes map[uint64]*render.Scene // by generation, never changed once published
}

// scene returns the scene of the current generation.
func (c *content) scene() *render.Scene { return c.scenes[c.gen] }

// publish makes gen, drawn as sc, the current content, keeping the scenes
// of the generations still kept.
func (v *View) publish(gen uint64, sc *render.Scene) {
	scenes := map[uint64]*render.Scene{gen: sc}
	if old := v.content.Load(); old != nil {
		for _, g := range v.gens {
			if s, ok := old.scenes[g]; ok && g != gen {
				scenes[g] = s
			}
		}
	}
	v.content.Store(&content{gen: gen, scenes: scenes})
}

// Declare conformity with the interfaces of the input the view handles.
var (
	_ fyne.Widget         = (*View)(nil)
	_ fyne.Draggable      = (*View)(nil)
	_ fyne.Scrollable     = (*View)(nil)
	_ fyne.Tappable       = (*View)(nil)
	_ fyne.DoubleTappable = (*View)(nil)
	_ fyne.Focusable      = (*View)(nil)
	_ desktop.Hoverable   = (*View)(nil)
)

// Option configures a [View] made by [New].
type Option func(*options)

type options struct {
	lang       string
	home       orb.Bound
	cacheBytes int64
	immediate  bool
	workers    int
	do         func(func())
}

// WithLanguage sets the label language (default ["en"]).
func WithLanguage(lang string) Option {
	return func(o *options) { o.lang = lang }
}

// WithHome sets the lon/lat bound the view first shows and returns to on
// Home (default the style's home).
func WithHome(b orb.Bound) Option {
	return func(o *options) { o.home = b }
}

// WithCacheBytes sets the initial tile cache budget (default
// [DefaultCacheBytes]); the view grows it if one view needs more.
func WithCacheBytes(n int64) Option {
	return func(o *options) { o.cacheBytes = n }
}

// WithUIQueue sets how the view hands work from its background goroutines
// to the UI goroutine (default fyne.Do). Fyne's test driver runs fyne.Do
// in place, on the calling goroutine; a test of background rendering
// passes a queue that it drains on its own goroutine between frames, so
// that refreshes and captures never run at once, as in the app.
func WithUIQueue(do func(func())) Option {
	return func(o *options) { o.do = do }
}

// WithWorkers sets the number of background tile renderers (default
// runtime.NumCPU()).
func WithWorkers(n int) Option {
	return func(o *options) { o.workers = n }
}

// WithImmediateRendering makes the view render missing tiles
// synchronously while it draws a frame, so every frame is complete: for
// tests and for headless captures, never for an interactive window.
func WithImmediateRendering() Option {
	return func(o *options) { o.immediate = true }
}

// New returns a map view of at drawn with st, which the view keeps and
// does not modify. The view renders tiles on background goroutines until
// [View.Close].
func New(at *atlas.Atlas, st *style.Style, opts ...Option) *View {
	o := options{lang: "en", home: at.Style.HomeBound(), cacheBytes: DefaultCacheBytes, workers: runtime.NumCPU(), do: fyne.Do}
	for _, opt := range opts {
		opt(&o)
	}
	v := &View{
		atlas:   at,
		lang:    o.lang,
		home:    o.home,
		bounds:  at.Style.DataBound(),
		maxZoom: viewport.MaxZoom,
		gens:    make(map[string]uint64),
		workers: o.workers,
		do:      o.do,
		vp:      viewport.New(o.home.Center(), viewport.MinZoom, 0, 0, 1),
	}
	if z := at.Style.MaxZoom; z > 0 {
		v.maxZoom = min(z, viewport.MaxZoom)
	}
	if o.immediate {
		v.workers, v.immediate = 0, true
	}
	v.fit = &v.home
	v.labels = &labeller{ready: v.requestRefresh, immediate: o.immediate}
	v.newCache(o.cacheBytes)
	v.setStyle(st)
	v.ExtendBaseWidget(v)
	return v
}

// CreateRenderer is a private method to Fyne which links this widget to
// its renderer.
func (v *View) CreateRenderer() fyne.WidgetRenderer {
	r := &viewRenderer{view: v}
	r.raster = canvas.NewRaster(r.draw)
	r.raster.ScaleMode = canvas.ImageScalePixels
	return r
}

// MinSize returns the smallest useful size of a map.
func (v *View) MinSize() fyne.Size { return fyne.NewSize(64, 64) }

// Immediate reports whether the view renders synchronously
// ([WithImmediateRendering]): in tests and headless captures. Features
// that draw over the map or answer questions about it in the background
// then work synchronously too, so that every picture is complete.
func (v *View) Immediate() bool { return v.immediate }

// TilesRendered returns how many tiles the view has rendered since it was
// made: a selection, a highlight or a label language change must leave it
// unchanged, which tests and diagnostics check.
func (v *View) TilesRendered() uint64 { return v.rendered.Load() }

// Close stops the background tile rendering; the view shows only cached
// tiles afterwards.
func (v *View) Close() { v.scheduler.Close() }

// newCache makes an empty tile cache of a budget and a scheduler filling it.
func (v *View) newCache(budget int64) {
	v.cache, v.cacheBytes = tile.NewCache(budget), budget
	if v.workers == 0 {
		v.scheduler = tile.NewImmediate(v.renderTile, v.cache)
	} else {
		v.scheduler = tile.NewScheduler(v.renderTile, v.cache, v.workers)
	}
}

// growCache makes room in the cache for cacheViews views of the tiles
// keys, if it has less. A cache smaller than one view would evict the
// view's own tiles while it renders them, for ever. The cache is replaced,
// so its tiles are lost: this happens on the first frame on a large
// screen, or when the window grows a lot, not while panning. The old
// scheduler is closed on a goroutine of its own: Close waits for the
// renders under way, and a tile of one huge feature can take seconds,
// which the UI goroutine must not wait for.
func (v *View) growCache(keys []tile.Key) {
	var need int64
	for _, k := range keys {
		size := k.PixelRect().Size()
		need += cacheViews * 4 * int64(size.X) * int64(size.Y)
	}
	if need <= v.cacheBytes {
		return
	}
	go v.scheduler.Close()
	v.newCache(need)
}

// Style returns the style the view draws.
func (v *View) Style() *style.Style { return v.style }

// SetStyle makes the view draw st, a style of the view's atlas (usually a
// modified [style.Style.Clone]). The old picture stays up until the new
// tiles land.
func (v *View) SetStyle(st *style.Style) {
	v.setStyle(st)
	v.Refresh()
}

// keptStyles is how many styles shown last keep their scene (and their
// tiles a generation): enough to toggle a few layers back and forth, or to
// return to an opacity, without rendering again.
const keptStyles = 8

func (v *View) setStyle(st *style.Style) {
	v.style = st
	key := fingerprint(st)
	gen, seen := v.gens[key]
	if !seen {
		v.nextGen++
		gen = v.nextGen
		v.gens[key] = gen
	}
	v.recent = append(slices.DeleteFunc(v.recent, func(k string) bool { return k == key }), key)
	if len(v.recent) > keptStyles {
		delete(v.gens, v.recent[0])
		v.recent = v.recent[1:]
	}
	v.publish(gen, v.atlas.Scene(st, v.lang))
	// Failures are remembered per key; a new style deserves a fresh try.
	v.scheduler.ClearErrors()
}

// Language returns the label language.
func (v *View) Language() string { return v.lang }

// SetLanguage switches the label language. Tiles carry no labels, so the
// switch costs one label placement.
func (v *View) SetLanguage(lang string) {
	if lang == v.lang {
		return
	}
	v.lang = lang
	v.publish(v.content.Load().gen, v.atlas.Scene(v.style, lang))
	v.Refresh()
}

// Viewport returns the current view: centre, zoom, logical size and the
// device scale of the last frame.
func (v *View) Viewport() viewport.Viewport { return v.vp }

// SetViewport moves the view to the centre and zoom of vp, keeping the
// widget's own size and scale, and stops any animation.
func (v *View) SetViewport(vp viewport.Viewport) { v.moveTo(vp) }

// moveTo is a move the user or the caller made: it stops any animation
// and ends the fitting of a bound on resize.
func (v *View) moveTo(vp viewport.Viewport) {
	v.stopAnimation()
	v.fit = nil
	v.setViewport(vp)
}

// setViewport shows vp and reports the change.
func (v *View) setViewport(vp viewport.Viewport) {
	v.vp = v.bounded(viewport.New(vp.Center, vp.Zoom, v.vp.Width, v.vp.Height, v.vp.Scale))
	v.Refresh()
	if v.OnViewportChanged != nil {
		v.OnViewportChanged(v.vp)
	}
}

// MaxZoom returns the deepest zoom the view goes to.
func (v *View) MaxZoom() float64 { return v.maxZoom }

// SetMaxZoom sets the deepest zoom the view goes to (at most
// [viewport.MaxZoom]): the style's max_zoom at first, deeper while a
// layer with more detail is shown, such as a tile package of deeper zooms.
// A view deeper than z zooms out to it.
func (v *View) SetMaxZoom(z float64) {
	z = min(z, viewport.MaxZoom)
	if z == v.maxZoom {
		return
	}
	v.maxZoom = z
	if v.vp.Zoom > z {
		v.moveTo(v.vp)
	}
}

// zoomOutLevels is how far the view zooms out beyond showing the whole
// home bound: far enough to see the region among its neighbours, not so
// far that it shrinks to a speck.
const zoomOutLevels = 1

// bounded returns vp kept on the data: its zoom between zoomOutLevels
// below the zoom that fits the home bound and the deepest zoom the data
// can show, and panned back inside the data's bound (centred on it when
// larger), so that the map cannot be lost off screen, shrunk to a speck or
// blown up beyond its detail.
func (v *View) bounded(vp viewport.Viewport) viewport.Viewport {
	vp.Zoom = math.Min(math.Max(vp.Zoom, v.minZoom(vp)), v.maxZoom)
	if vp.Width <= 0 || vp.Height <= 0 {
		return vp
	}
	return vp.Within(v.bounds)
}

// minZoom returns the lowest zoom of a view of vp's size.
func (v *View) minZoom(vp viewport.Viewport) float64 {
	if vp.Width <= 0 || vp.Height <= 0 {
		return viewport.MinZoom
	}
	return vp.Fit(v.home, FitPadding).Zoom - zoomOutLevels
}

// zoomedAt returns base zoomed by dz levels at the logical pixel p, the
// map point under p staying there, zooming out no further than minZoom
// and in no further than the data's deepest zoom.
func (v *View) zoomedAt(base viewport.Viewport, p orb.Point, dz float64) viewport.Viewport {
	if floor := v.minZoom(base); dz < 0 && base.Zoom+dz < floor {
		dz = math.Min(0, floor-base.Zoom)
	}
	if dz > 0 && base.Zoom+dz > v.maxZoom {
		dz = math.Max(0, v.maxZoom-base.Zoom)
	}
	return v.bounded(base.ZoomAt(p, dz))
}

// fitted returns the view, at the current size, that shows b.
func (v *View) fitted(b orb.Bound) viewport.Viewport {
	return v.vp.Fit(b, FitPadding)
}

// resized is called by the renderer's Layout with the widget's new size.
func (v *View) resized(size fyne.Size) {
	w, h := float64(size.Width), float64(size.Height)
	if w == v.vp.Width && h == v.vp.Height {
		return
	}
	v.vp = v.vp.WithSize(w, h)
	if v.fit != nil && w > 0 && h > 0 {
		v.vp = v.fitted(*v.fit)
	}
	if v.OnViewportChanged != nil {
		v.OnViewportChanged(v.vp)
	}
}

// renderTile is the scheduler's render function: the geometry of one
// tile, on a worker goroutine.
func (v *View) renderTile(ctx context.Context, k tile.Key) (*image.RGBA, error) {
	sc := v.content.Load().scenes[k.Gen]
	if sc == nil {
		return nil, fmt.Errorf("%w: %v", errUnknownGeneration, k)
	}
	v.rendered.Add(1)
	tv := k.Viewport()
	img := image.NewRGBA(image.Rect(0, 0, tv.DeviceWidth(), tv.DeviceHeight()))
	if err := render.Geometry(ctx, sc, tv, img); err != nil {
		return nil, fmt.Errorf("mapview: %w", err)
	}
	return img, nil
}

// tileReady is the scheduler's callback, on a worker goroutine: it asks
// for one refresh however many tiles land before the UI gets to it.
func (v *View) tileReady(tile.Key) { v.requestRefresh() }

// requestRefresh asks, from any goroutine, for one refresh of the view on
// the UI goroutine, however many requests come before it runs.
func (v *View) requestRefresh() {
	if v.refreshQueued.CompareAndSwap(false, true) {
		v.do(func() {
			v.refreshQueued.Store(false)
			v.Refresh()
		})
	}
}

// fingerprint identifies what a style draws, as far as the app changes it:
// the layers' order, visibility, opacity and zoom range, and the identity
// of their rules and filters, which [style.Style.Clone] shares. Styles
// with equal fingerprints draw equal tiles.
func fingerprint(st *style.Style) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v", st.Background)
	for i := range st.Layers {
		l := &st.Layers[i]
		var rules *style.Rule
		if len(l.Rules) > 0 {
			rules = &l.Rules[0]
		}
		fmt.Fprintf(&b, "|%s %s %t %g %g %g %p %d %p",
			l.ID, l.Source, l.Hidden, l.Opacity, l.MinZoom, l.MaxZoom, rules, len(l.Rules), l.Filter)
	}
	return b.String()
}

// invalidatePad is how far, in logical pixels, a changed feature's
// symbol may reach beyond its extent: the tiles that far around it are
// drawn again too.
const invalidatePad = 32

// Invalidate draws again the part of the map within the lon/lat bound b,
// whose data changed in place (an edit of a live source, see
// atlas.UseLive): only the tiles that b, widened by a symbol's reach,
// touches are rendered anew, and the labels are placed again. The old
// picture stays up until the new tiles land.
func (v *View) Invalidate(b orb.Bound) {
	world := mercator.ProjectBound(b)
	v.cache.RemoveIf(func(k tile.Key) bool {
		pad := invalidatePad / (viewport.TileSize * math.Exp2(k.Zoom))
		return k.Bound().Intersects(orb.Bound{
			Min: orb.Point{world.Min[0] - pad, world.Min[1] - pad},
			Max: orb.Point{world.Max[0] + pad, world.Max[1] + pad},
		})
	})
	v.labels.placeAgain()
	v.Refresh()
}
