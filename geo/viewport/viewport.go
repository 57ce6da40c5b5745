// Package viewport is the map's camera: which part of the Web Mercator
// world is shown, at what zoom, on how many pixels.
//
// A [Viewport] is a small value. Every operation (Pan, ZoomAt, Fit)
// returns a new one, so the UI can keep the previous view for animation or
// for reusing old tiles, and a renderer working on one view is never
// surprised by a change.
//
// Units: lon/lat are WGS 84 degrees; "world" coordinates are Web Mercator
// normalised to the unit square (see package mercator); pixels are logical
// pixels with the origin at the top-left corner of the view. Scale is the
// number of device pixels per logical pixel (2 on a HiDPI screen), so an
// image for the view has Width×Scale by Height×Scale pixels.
package viewport

import (
	"math"

	"github.com/ecoatlas/ecoatlas/geo/mercator"
	"github.com/paulmach/orb"
)

// TileSize is the logical size of a tile of the standard tile pyramid: at
// zoom z the world is TileSize × 2^z logical pixels wide.
const TileSize = 256

// Zoom limits of the viewer.
const (
	MinZoom = 2.0
	MaxZoom = 18.0
)

// Viewport is a view of the map: a centre, a fractional zoom and a size.
type Viewport struct {
	// Center is the lon/lat at the middle of the view.
	Center orb.Point
	// Zoom is the fractional zoom level of the standard tile pyramid.
	Zoom float64
	// Width and Height are the view's size in logical pixels.
	Width, Height float64
	// Scale is the number of device pixels per logical pixel (≥ 1 in practice).
	Scale float64
}

// New returns a viewport centred on a lon/lat point, with its zoom clamped
// to [MinZoom, MaxZoom] and a scale of at least a tiny positive value.
func New(center orb.Point, zoom, width, height, scale float64) Viewport {
	if scale <= 0 {
		scale = 1
	}
	v := Viewport{Center: center, Zoom: zoom, Width: width, Height: height, Scale: scale}
	return v.clamped()
}

func (v Viewport) clamped() Viewport {
	v.Zoom = math.Min(math.Max(v.Zoom, MinZoom), MaxZoom)
	v.Center[1] = math.Min(math.Max(v.Center[1], -mercator.MaxLatitude), mercator.MaxLatitude)
	v.Center[0] = math.Remainder(v.Center[0], 360)
	return v
}

// WorldSize returns the width of the whole world in logical pixels.
func (v Viewport) WorldSize() float64 { return TileSize * math.Exp2(v.Zoom) }

// centerWorld returns the view's centre in world coordinates.
func (v Viewport) centerWorld() orb.Point { return mercator.Project(v.Center) }

// WorldToPixel converts world coordinates to logical view pixels.
func (v Viewport) WorldToPixel(w orb.Point) orb.Point {
	c, s := v.centerWorld(), v.WorldSize()
	return orb.Point{(w[0]-c[0])*s + v.Width/2, (w[1]-c[1])*s + v.Height/2}
}

// PixelToWorld converts logical view pixels to world coordinates.
func (v Viewport) PixelToWorld(p orb.Point) orb.Point {
	c, s := v.centerWorld(), v.WorldSize()
	return orb.Point{c[0] + (p[0]-v.Width/2)/s, c[1] + (p[1]-v.Height/2)/s}
}

// ToPixel converts a lon/lat point to logical view pixels.
func (v Viewport) ToPixel(lonlat orb.Point) orb.Point {
	return v.WorldToPixel(mercator.Project(lonlat))
}

// FromPixel converts logical view pixels to lon/lat.
func (v Viewport) FromPixel(p orb.Point) orb.Point {
	return mercator.Unproject(v.PixelToWorld(p))
}

// Pan moves the map content by (dx, dy) logical pixels, as a drag does:
// the point under the pointer stays under it.
func (v Viewport) Pan(dx, dy float64) Viewport {
	v.Center = v.FromPixel(orb.Point{v.Width/2 - dx, v.Height/2 - dy})
	return v.clamped()
}

// ZoomAt changes the zoom by dz levels while keeping the map point under
// the logical pixel p fixed on screen (zooming at the cursor).
func (v Viewport) ZoomAt(p orb.Point, dz float64) Viewport {
	anchor := v.PixelToWorld(p)
	n := v
	n.Zoom = v.Zoom + dz
	n = n.clamped()
	s := n.WorldSize()
	c := orb.Point{anchor[0] - (p[0]-n.Width/2)/s, anchor[1] - (p[1]-n.Height/2)/s}
	n.Center = mercator.Unproject(c)
	return n.clamped()
}

// Fit returns the viewport, with its size kept, that shows the lon/lat
// bound as large as possible with at least padding logical pixels on every
// side, centred.
func (v Viewport) Fit(b orb.Bound, padding float64) Viewport {
	wb := mercator.ProjectBound(b)
	w := math.Max(v.Width-2*padding, 1)
	h := math.Max(v.Height-2*padding, 1)
	dx, dy := wb.Max[0]-wb.Min[0], wb.Max[1]-wb.Min[1]
	zoom := MaxZoom
	if dx > 0 || dy > 0 {
		world := math.Min(w/math.Max(dx, 1e-12), h/math.Max(dy, 1e-12))
		zoom = math.Log2(world / TileSize)
	}
	v.Zoom = zoom
	v.Center = mercator.Unproject(wb.Center())
	return v.clamped()
}

// WithSize returns the viewport with a new logical size, keeping its centre.
func (v Viewport) WithSize(width, height float64) Viewport {
	v.Width, v.Height = width, height
	return v
}

// WorldBound returns the part of the world the view shows, in world coordinates.
func (v Viewport) WorldBound() orb.Bound {
	return orb.Bound{
		Min: v.PixelToWorld(orb.Point{0, 0}),
		Max: v.PixelToWorld(orb.Point{v.Width, v.Height}),
	}
}

// Bound returns the lon/lat bound the view shows.
func (v Viewport) Bound() orb.Bound { return mercator.UnprojectBound(v.WorldBound()) }

// MetersPerPixel returns the true ground distance of one logical pixel at
// the view's centre latitude (not the Mercator-inflated one).
func (v Viewport) MetersPerPixel() float64 {
	return mercator.GroundResolution(v.Center[1]) / v.WorldSize()
}

// DeviceWidth and DeviceHeight return the view's size in device pixels,
// the size of an image rendered for it.
func (v Viewport) DeviceWidth() int { return int(math.Round(v.Width * v.Scale)) }

// DeviceHeight returns the view's height in device pixels.
func (v Viewport) DeviceHeight() int { return int(math.Round(v.Height * v.Scale)) }

// ForTile returns the viewport that shows exactly tile (x, y) of the grid
// at a (possibly fractional) zoom: TileSize logical pixels square, centred
// on the tile, at a device scale.
func ForTile(zoom float64, x, y int, scale float64) Viewport {
	n := math.Exp2(zoom)
	c := orb.Point{(float64(x) + 0.5) / n, (float64(y) + 0.5) / n}
	return Viewport{Center: mercator.Unproject(c), Zoom: zoom, Width: TileSize, Height: TileSize, Scale: scale}
}

// Within returns the view moved as little as needed to show only what lies
// inside the lon/lat bound b: along each axis where the view is larger
// than b, it is centred on b instead. Its zoom and size do not change.
func (v Viewport) Within(b orb.Bound) Viewport {
	wb := mercator.ProjectBound(b)
	c := v.centerWorld()
	moved := c
	half := orb.Point{v.Width / 2 / v.WorldSize(), v.Height / 2 / v.WorldSize()}
	for axis := range 2 {
		lo, hi := wb.Min[axis]+half[axis], wb.Max[axis]-half[axis]
		if lo > hi {
			moved[axis] = (wb.Min[axis] + wb.Max[axis]) / 2
		} else {
			moved[axis] = math.Min(math.Max(c[axis], lo), hi)
		}
	}
	if moved != c {
		v.Center = mercator.Unproject(moved)
	}
	return v
}
