// Package tile is the machinery between the map renderer and the map
// widget: it cuts a view into tiles, renders them in the background,
// keeps them in a memory-bounded cache and composes each frame from them.
//
// The pipeline for one view v is:
//
//	keys := tile.Covering(v, gen)          // tiles of the view, centre-out
//	scheduler.Request(keys, refresh)       // render the missing ones
//	frame, complete := compositor.Compose(v, gen, cache)
//
// Tiles are rendered at the view's exact, possibly fractional, zoom and
// device scale, so composing a frame is copying whole tiles, never
// resampling them. While tiles are missing, the [Compositor] fills their
// place from the last complete frame, moved and scaled to the new view, so
// panning and zooming stay smooth; a new [Scheduler.Request] cancels work
// on tiles that left the view, so a frame never waits for invisible tiles.
//
// # Pixel grid
//
// At zoom z and scale s the world is 256·2^z·s device pixels wide, with
// device pixel (0, 0) at the world's north-west corner. Tile (x, y) covers
// the device pixels from round(256·s·x) to round(256·s·(x+1)) across,
// likewise down, clipped to the world: rounding the edges rather than the
// tile size keeps tiles seamless at any scale, and at a scale such as 1 or
// 2 every tile is exactly 256·s pixels square. [Key.PixelRect] gives a
// tile's pixels, [Key.Viewport] the view that renders exactly them.
package tile
