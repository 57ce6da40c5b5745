// Package mapview is the map widget of the desktop app: a Fyne widget that
// shows an [atlas.Atlas] drawn with a style, and turns pointer, wheel and
// keyboard input into [viewport.Viewport] changes.
//
// The widget never draws map geometry nor places labels on the UI
// goroutine. Its canvas.Raster generator only composes tiles that are
// already in the cache (see package tile) and draws over the composed
// frame the labels already placed; a scheduler renders missing tiles on
// background workers, a labeller places the labels of a new view on a
// goroutine of its own (cancelling a placement the view has moved away
// from), and each tile or placement that lands asks, through fyne.Do, for
// one coalesced refresh. While tiles are missing the compositor stands the
// previous frame in for them, so panning and zooming stay smooth; labels
// vanish while the zoom changes and come back when it stops.
//
// Tiles are keyed by a content generation: changing the style (layer
// visibility, order, opacity) moves to a new generation, and a style seen
// before gets its old generation back, so toggling a layer off and on
// again redraws from the cache. The label language is not part of the
// tiles: switching it only re-places the labels. Labels are placed for an
// area a little larger than the view and moved with it while it pans, so
// a pan frame costs copying tiles and drawing labels, not placing them.
// Scenes are kept for the last few styles shown, so that their tiles can
// be drawn again from the cache, and dropped after.
//
// The view stays on the data: it cannot be panned off the style's bounds
// (it is centred on them when larger), it zooms out at most a level beyond
// showing all of its home bound, and in no further than the style's
// max_zoom, past which the embedded data would only be magnified (a
// feature showing deeper data, such as a tile package, raises the limit
// with [View.SetMaxZoom]).
//
// Input handled by [View]:
//
//   - drag: pan, the map point under the pointer stays under it;
//   - wheel or trackpad scroll: zoom at the pointer, in steps proportional
//     to the scroll;
//   - double tap: zoom in one level at the pointer;
//   - keys (when focused; the shell forwards unfocused keys too): + and =
//     zoom in, − zooms out, the arrow keys pan, Home shows the whole region;
//   - pointer moves: reported through [View.OnCursor].
package mapview
