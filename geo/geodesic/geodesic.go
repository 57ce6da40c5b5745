// Package geodesic measures on the WGS 84 ellipsoid: distances and
// azimuths between points, the point at a distance and azimuth, lengths of
// lines, areas and perimeters of polygons, geodesic circles and geodesic
// densification. It wraps PROJ's geodesic.h (Karney's algorithms, accurate
// to about 15 nm), the same code as PROJ's geod tool.
//
// Units: distances in metres, areas in square metres, azimuths in degrees
// clockwise from north in (−180, 180]. Points are orb points with x the
// longitude and y the latitude, in degrees. Edges between vertices are
// geodesics (the shortest path on the ellipsoid), not rhumb lines or straight
// lines in some projection.
//
// A coordinate that is not finite, or a latitude outside −90…90, gives NaN
// results, as math.Sqrt(−1) does; callers that take coordinates from users
// or files check them first (geo/coord and geo/proj do).
//
// Every function is safe for concurrent use: the ellipsoid is set up once at
// package initialisation and only read afterwards, and per-call state lives
// on the caller's stack.
package geodesic

// #cgo LDFLAGS: -lproj
// #include <geodesic.h>
// #include "geodesic_helpers.h"
import "C"

import (
	"errors"
	"fmt"
	"math"
	"unsafe"

	"github.com/paulmach/orb"
)

// The WGS 84 ellipsoid.
const (
	// EquatorialRadius is WGS 84's semi-major axis in metres.
	EquatorialRadius = 6378137.0
	// Flattening is WGS 84's flattening.
	Flattening = 1 / 298.257223563
)

// ErrInvalid is returned for arguments no geodesic construction can use
// (a radius that is not positive, too few segments, a latitude out of range).
var ErrInvalid = errors.New("geodesic: invalid argument")

func init() {
	C.wgs84_init(C.double(EquatorialRadius), C.double(Flattening))
}

// Inverse solves the inverse geodesic problem: the distance in metres along
// the shortest path from a to b, the azimuth of that path at a
// (azimuth1) and its azimuth at b (azimuth2, the direction of travel on
// arrival, not the back azimuth; PROJ's geod prints the back azimuth,
// azimuth2 ± 180°).
func Inverse(a, b orb.Point) (metres, azimuth1, azimuth2 float64) {
	r := C.wgs84_inverse(C.double(a[1]), C.double(a[0]), C.double(b[1]), C.double(b[0]))
	return float64(r.s12), float64(r.azi1), float64(r.azi2)
}

// Distance returns the geodesic distance in metres between a and b.
func Distance(a, b orb.Point) float64 {
	metres, _, _ := Inverse(a, b)
	return metres
}

// Direct solves the direct geodesic problem: the point reached by going
// metres along the geodesic that leaves from at the given azimuth (degrees
// clockwise from north). The longitude is reduced to [−180, 180).
func Direct(from orb.Point, azimuth, metres float64) orb.Point {
	r := C.wgs84_direct(C.double(from[1]), C.double(from[0]), C.double(azimuth), C.double(metres), 0)
	return orb.Point{float64(r.lon2), float64(r.lat2)}
}

// Length returns the geodesic length in metres of the linework of g: the
// sum of its line strings, and for rings and polygons the length of every
// ring (closed, holes included). Points have no length.
func Length(g orb.Geometry) float64 {
	switch g := g.(type) {
	case orb.LineString:
		return lineLength(g)
	case orb.MultiLineString:
		total := 0.0
		for _, ls := range g {
			total += lineLength(ls)
		}
		return total
	case orb.Ring, orb.Polygon, orb.MultiPolygon, orb.Bound:
		return Perimeter(g)
	case orb.Collection:
		total := 0.0
		for _, part := range g {
			total += Length(part)
		}
		return total
	}
	return 0
}

// Perimeter returns the geodesic perimeter in metres of an areal geometry:
// every ring of every polygon, holes included. Lines and points have none.
func Perimeter(g orb.Geometry) float64 {
	switch g := g.(type) {
	case orb.Ring:
		_, p := ringAreaPerimeter(g)
		return p
	case orb.Polygon:
		total := 0.0
		for _, r := range g {
			_, p := ringAreaPerimeter(r)
			total += p
		}
		return total
	case orb.MultiPolygon:
		total := 0.0
		for _, poly := range g {
			total += Perimeter(poly)
		}
		return total
	case orb.Bound:
		return Perimeter(g.ToRing())
	case orb.Collection:
		total := 0.0
		for _, part := range g {
			total += Perimeter(part)
		}
		return total
	}
	return 0
}

// Area returns the geodesic area in square metres enclosed by an areal
// geometry: for a polygon, its outer ring's area less its holes', whatever
// the orientation of each ring; multipolygons and collections add up their
// parts. Lines and points have no area. A ring is taken to enclose the
// smaller of the two regions it divides the ellipsoid into, so rings larger
// than half the Earth are not supported.
func Area(g orb.Geometry) float64 {
	switch g := g.(type) {
	case orb.Ring:
		a, _ := ringAreaPerimeter(g)
		return math.Abs(a)
	case orb.Polygon:
		if len(g) == 0 {
			return 0
		}
		total := Area(g[0])
		for _, hole := range g[1:] {
			total -= Area(hole)
		}
		return total
	case orb.MultiPolygon:
		total := 0.0
		for _, poly := range g {
			total += Area(poly)
		}
		return total
	case orb.Bound:
		return Area(g.ToRing())
	case orb.Collection:
		total := 0.0
		for _, part := range g {
			total += Area(part)
		}
		return total
	}
	return 0
}

// SignedArea returns the geodesic area in square metres enclosed by ring,
// positive when the ring runs counter-clockwise (as RFC 7946 asks of outer
// rings) and negative when it runs clockwise.
func SignedArea(ring orb.Ring) float64 {
	a, _ := ringAreaPerimeter(ring)
	return a
}

// Circle returns a geodesic circle: the ring of points at radius metres from
// centre, at segments equally spaced azimuths, counter-clockwise and closed
// (its last point repeats the first). Its edges are geodesics between
// vertices, so its area falls short of the true circle's by about
// (2π/segments)²/6: 0.16 % with 64 segments. Longitudes are continuous
// around the ring, so a circle across the antimeridian may go past ±180.
func Circle(centre orb.Point, radius float64, segments int) (orb.Ring, error) {
	if err := checkPoint(centre); err != nil {
		return nil, err
	}
	if !(radius > 0) || math.IsInf(radius, 0) {
		return nil, fmt.Errorf("%w: circle radius %v m must be positive and finite", ErrInvalid, radius)
	}
	if segments < 3 {
		return nil, fmt.Errorf("%w: a circle needs at least 3 segments, not %d", ErrInvalid, segments)
	}
	ring := make(orb.Ring, segments+1)
	for i := range segments {
		// Azimuths run clockwise from north, so decreasing them walks the
		// circle counter-clockwise.
		azimuth := -360 * float64(i) / float64(segments)
		r := C.wgs84_direct(C.double(centre[1]), C.double(centre[0]), C.double(azimuth), C.double(radius), 1)
		ring[i] = orb.Point{float64(r.lon2), float64(r.lat2)}
	}
	ring[segments] = ring[0]
	return ring, nil
}

// Densify returns a copy of g in which every edge longer than maxSegment
// metres is split by points on its geodesic into equal parts no longer than
// maxSegment. Drawn or projected with straight segments between vertices,
// the result follows the geodesics of g. Points are returned unchanged.
func Densify(g orb.Geometry, maxSegment float64) (orb.Geometry, error) {
	if !(maxSegment > 0) || math.IsInf(maxSegment, 0) {
		return nil, fmt.Errorf("%w: densify segment length %v m must be positive and finite", ErrInvalid, maxSegment)
	}
	return densify(g, maxSegment), nil
}

func densify(g orb.Geometry, maxSegment float64) orb.Geometry {
	switch g := g.(type) {
	case orb.LineString:
		return orb.LineString(densifyPath(g, maxSegment))
	case orb.Ring:
		return orb.Ring(densifyPath(g, maxSegment))
	case orb.MultiLineString:
		out := make(orb.MultiLineString, len(g))
		for i, ls := range g {
			out[i] = densifyPath(ls, maxSegment)
		}
		return out
	case orb.Polygon:
		out := make(orb.Polygon, len(g))
		for i, r := range g {
			out[i] = densifyPath(r, maxSegment)
		}
		return out
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(g))
		for i, poly := range g {
			out[i] = densify(poly, maxSegment).(orb.Polygon)
		}
		return out
	case orb.Bound:
		return densify(orb.Polygon{g.ToRing()}, maxSegment)
	case orb.Collection:
		out := make(orb.Collection, len(g))
		for i, part := range g {
			out[i] = densify(part, maxSegment)
		}
		return out
	case orb.MultiPoint:
		return append(orb.MultiPoint(nil), g...)
	}
	return g
}

// densifyPath returns path with points inserted along each geodesic edge
// longer than maxSegment.
func densifyPath(path []orb.Point, maxSegment float64) []orb.Point {
	if len(path) == 0 {
		return nil
	}
	out := make([]orb.Point, 0, len(path))
	out = append(out, path[0])
	for i := 1; i < len(path); i++ {
		a, b := path[i-1], path[i]
		metres := Distance(a, b)
		if parts := math.Ceil(metres / maxSegment); parts > 1 && !math.IsInf(parts, 0) {
			n := int(parts)
			between := make([]orb.Point, n-1)
			C.wgs84_between(C.double(a[1]), C.double(a[0]), C.double(b[1]), C.double(b[0]),
				C.int(n), (*C.double)(unsafe.Pointer(&between[0])))
			out = append(out, between...)
		}
		out = append(out, b)
	}
	return out
}

// lineLength returns the geodesic length of an open path.
func lineLength(path []orb.Point) float64 {
	if len(path) < 2 {
		return 0
	}
	return float64(C.wgs84_line_length((*C.double)(unsafe.Pointer(&path[0])), C.size_t(len(path))))
}

// ringAreaPerimeter returns the signed area (positive counter-clockwise) and
// the perimeter of a ring, closed or not.
func ringAreaPerimeter(ring orb.Ring) (area, perimeter float64) {
	n := len(ring)
	if n > 1 && ring[0] == ring[n-1] {
		n--
	}
	if n < 2 {
		return 0, 0
	}
	r := C.wgs84_ring((*C.double)(unsafe.Pointer(&ring[0])), C.size_t(n))
	return float64(r.area), float64(r.perimeter)
}

// checkPoint reports a point whose coordinates no geodesic can start from.
func checkPoint(p orb.Point) error {
	if math.IsNaN(p[0]) || math.IsInf(p[0], 0) || math.IsNaN(p[1]) || math.IsInf(p[1], 0) {
		return fmt.Errorf("%w: point (%v, %v) is not finite", ErrInvalid, p[0], p[1])
	}
	if p[1] < -90 || p[1] > 90 {
		return fmt.Errorf("%w: latitude %v is outside −90…90", ErrInvalid, p[1])
	}
	return nil
}
