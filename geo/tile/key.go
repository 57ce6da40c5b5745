package tile

import (
	"cmp"
	"fmt"
	"image"
	"math"
	"slices"
	"strconv"

	"github.com/ecoatlas/ecoatlas/geo/mercator"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// Key identifies a rendered tile: tile (X, Y) of the grid at a possibly
// fractional Zoom, rendered at Scale device pixels per logical pixel, with
// the map content of generation Gen.
//
// The tile covers the logical world pixels [X·256, (X+1)·256) ×
// [Y·256, (Y+1)·256) of a world 256·2^Zoom logical pixels wide, clipped to
// the world; at an integer zoom it is the standard slippy-map tile
// Zoom/X/Y. Its image has the size of [Key.PixelRect]: 256·Scale device
// pixels square when that is a whole number, except at the world's edge
// at a fractional zoom.
type Key struct {
	// Gen is the generation of the map content (layers, visibility,
	// style); the application bumps it on every change, so tiles of older
	// content stop matching.
	Gen uint64
	// Zoom is the zoom level of the tile grid, equal to the view's zoom.
	Zoom float64
	// X and Y are the tile's column (from the west) and row (from the north).
	X, Y int
	// Scale is the number of device pixels per logical pixel.
	Scale float64
}

// Bound returns the part of the world the tile covers, in world
// coordinates (the unit square, y growing south).
func (k Key) Bound() orb.Bound {
	n := math.Exp2(k.Zoom)
	return orb.Bound{
		Min: orb.Point{float64(k.X) / n, float64(k.Y) / n},
		Max: orb.Point{math.Min(float64(k.X+1)/n, 1), math.Min(float64(k.Y+1)/n, 1)},
	}
}

// LonLatBound returns the part of the world the tile covers, in lon/lat.
func (k Key) LonLatBound() orb.Bound { return mercator.UnprojectBound(k.Bound()) }

// PixelRect returns the tile's pixels in the device-pixel grid of its zoom
// and scale (see the package documentation). A rendered tile image has
// the rectangle's size; its top-left pixel is the rectangle's Min.
func (k Key) PixelRect() image.Rectangle {
	g := newGrid(k.Zoom, k.Scale)
	return image.Rect(g.edge(k.X), g.edge(k.Y), g.edge(k.X+1), g.edge(k.Y+1))
}

// Viewport returns the view that shows exactly the tile's pixels: a
// renderer that draws a viewport draws the tile by drawing this one into
// an image of v.DeviceWidth() × v.DeviceHeight() pixels.
func (k Key) Viewport() viewport.Viewport {
	g := newGrid(k.Zoom, k.Scale)
	r := k.PixelRect()
	centre := orb.Point{
		float64(r.Min.X+r.Max.X) / 2 / g.pixels,
		float64(r.Min.Y+r.Max.Y) / 2 / g.pixels,
	}
	return viewport.Viewport{
		Center: mercator.Unproject(centre),
		Zoom:   k.Zoom,
		Width:  float64(r.Dx()) / k.Scale,
		Height: float64(r.Dy()) / k.Scale,
		Scale:  k.Scale,
	}
}

// valid reports whether the key's zoom and scale are finite numbers and
// the scale positive, as every view's are.
func (k Key) valid() bool {
	return !math.IsNaN(k.Zoom) && !math.IsInf(k.Zoom, 0) && k.Scale > 0 && !math.IsInf(k.Scale, 0)
}

// String returns the key as zoom/x/y, scale and generation, in the form
// "8/182/94@2x gen 3".
func (k Key) String() string {
	return fmt.Sprintf("%s/%d/%d@%sx gen %d",
		strconv.FormatFloat(k.Zoom, 'f', -1, 64), k.X, k.Y,
		strconv.FormatFloat(k.Scale, 'f', -1, 64), k.Gen)
}

// Covering returns the keys of the tiles a view shows, at the view's zoom
// and scale, nearest to the view's centre first, so that rendering them in
// order fills the screen from the middle out. Tiles beyond the world's
// edge are left out; the world does not wrap.
func Covering(v viewport.Viewport, gen uint64) []Key {
	g := newGrid(v.Zoom, v.Scale)
	frame := frameRect(v, g)
	x0, y0, x1, y1, ok := g.tilesIn(frame)
	if !ok {
		return nil
	}
	keys := make([]Key, 0, (x1-x0+1)*(y1-y0+1))
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			keys = append(keys, Key{Gen: gen, Zoom: v.Zoom, X: x, Y: y, Scale: v.Scale})
		}
	}
	// Distances are compared doubled to stay in integers.
	cx, cy := frame.Min.X+frame.Max.X, frame.Min.Y+frame.Max.Y
	distance := func(k Key) int {
		dx := g.edge(k.X) + g.edge(k.X+1) - cx
		dy := g.edge(k.Y) + g.edge(k.Y+1) - cy
		return dx*dx + dy*dy
	}
	slices.SortStableFunc(keys, func(a, b Key) int { return cmp.Compare(distance(a), distance(b)) })
	return keys
}

// grid is the device-pixel layout of the tiles at one zoom and scale: the
// world spans [0, world) on both axes and tile i spans [edge(i), edge(i+1)).
type grid struct {
	pixels   float64 // device pixels per world unit, unrounded
	tileSize float64 // device pixels per tile, unrounded
	world    int     // the world's size in device pixels
	tiles    int     // tiles per axis
}

func newGrid(zoom, scale float64) grid {
	g := grid{
		pixels:   viewport.TileSize * math.Exp2(zoom) * scale,
		tileSize: viewport.TileSize * scale,
		tiles:    int(math.Ceil(math.Exp2(zoom))),
	}
	g.world = int(math.Round(g.pixels))
	// At a fractional zoom the last tile can round away to nothing.
	for g.tiles > 1 && g.edge(g.tiles-1) >= g.world {
		g.tiles--
	}
	return g
}

// edge returns the device pixel where tile i starts, clamped to the world.
func (g grid) edge(i int) int {
	return min(max(int(math.Round(float64(i)*g.tileSize)), 0), g.world)
}

// index returns the tile holding device pixel p, clamped to the grid.
func (g grid) index(p int) int {
	i := min(max(int(math.Floor(float64(p)/g.tileSize)), 0), g.tiles-1)
	for i > 0 && g.edge(i) > p {
		i--
	}
	for i < g.tiles-1 && g.edge(i+1) <= p {
		i++
	}
	return i
}

// tilesIn returns the inclusive range of tiles meeting a device-pixel
// rectangle, and false if the rectangle misses the world.
func (g grid) tilesIn(r image.Rectangle) (x0, y0, x1, y1 int, ok bool) {
	r = r.Intersect(image.Rect(0, 0, g.world, g.world))
	if r.Empty() {
		return 0, 0, 0, 0, false
	}
	return g.index(r.Min.X), g.index(r.Min.Y), g.index(r.Max.X - 1), g.index(r.Max.Y - 1), true
}

// frameRect returns the device pixels a view shows, in the grid g of its
// zoom and scale. The view's offset is rounded to whole device pixels, so
// tiles land on pixel boundaries.
func frameRect(v viewport.Viewport, g grid) image.Rectangle {
	c := mercator.Project(v.Center)
	x := int(math.Round(c[0]*g.pixels - v.Width*v.Scale/2))
	y := int(math.Round(c[1]*g.pixels - v.Height*v.Scale/2))
	return image.Rect(x, y, x+v.DeviceWidth(), y+v.DeviceHeight())
}
