// Package mercator converts between WGS 84 longitude/latitude and Web
// Mercator (EPSG:3857) in two units: "world" coordinates, where the whole
// projected world is the unit square with x growing east and y growing
// south (the slippy-map tile convention), and metres.
//
// World coordinates are what the renderer and the viewport work in: a
// point's pixel position at zoom z is simply world × 256 × 2^z, so tile
// maths never needs the Earth's radius.
package mercator

import (
	"math"

	"github.com/paulmach/orb"
)

// EarthRadius is the radius of the sphere EPSG:3857 projects, in metres.
const EarthRadius = 6378137.0

// MaxLatitude is the latitude at which Web Mercator's square world ends.
const MaxLatitude = 85.05112877980659

// WorldMetres is the width of the projected world in metres.
const WorldMetres = 2 * math.Pi * EarthRadius

// X returns the world x of a longitude.
func X(lon float64) float64 { return lon/360 + 0.5 }

// Y returns the world y of a latitude, clamped to [MaxLatitude, -MaxLatitude].
func Y(lat float64) float64 {
	if lat > MaxLatitude {
		lat = MaxLatitude
	} else if lat < -MaxLatitude {
		lat = -MaxLatitude
	}
	s := math.Sin(lat * math.Pi / 180)
	return 0.5 - math.Log((1+s)/(1-s))/(4*math.Pi)
}

// Lon returns the longitude of a world x.
func Lon(x float64) float64 { return (x - 0.5) * 360 }

// Lat returns the latitude of a world y.
func Lat(y float64) float64 {
	return 90 - 360*math.Atan(math.Exp((y-0.5)*2*math.Pi))/math.Pi
}

// Project returns the world coordinates of a lon/lat point.
func Project(p orb.Point) orb.Point { return orb.Point{X(p[0]), Y(p[1])} }

// Unproject returns the lon/lat of a point in world coordinates.
func Unproject(w orb.Point) orb.Point { return orb.Point{Lon(w[0]), Lat(w[1])} }

// ProjectBound returns the world bound of a lon/lat bound. World y grows
// southwards, so the bound's north edge becomes its minimum y.
func ProjectBound(b orb.Bound) orb.Bound {
	return orb.Bound{
		Min: orb.Point{X(b.Min[0]), Y(b.Max[1])},
		Max: orb.Point{X(b.Max[0]), Y(b.Min[1])},
	}
}

// UnprojectBound returns the lon/lat bound of a world bound.
func UnprojectBound(b orb.Bound) orb.Bound {
	return orb.Bound{
		Min: orb.Point{Lon(b.Min[0]), Lat(b.Max[1])},
		Max: orb.Point{Lon(b.Max[0]), Lat(b.Min[1])},
	}
}

// ToMetres converts world coordinates to EPSG:3857 metres (y north).
func ToMetres(w orb.Point) orb.Point {
	return orb.Point{(w[0] - 0.5) * WorldMetres, (0.5 - w[1]) * WorldMetres}
}

// FromMetres converts EPSG:3857 metres to world coordinates.
func FromMetres(m orb.Point) orb.Point {
	return orb.Point{m[0]/WorldMetres + 0.5, 0.5 - m[1]/WorldMetres}
}

// GroundResolution returns the true ground distance, in metres, covered by
// one world unit at the given latitude: Mercator stretches distances by
// 1/cos(lat), so a scale bar must shrink by cos(lat) to stay true.
func GroundResolution(lat float64) float64 {
	return WorldMetres * math.Cos(lat*math.Pi/180)
}
