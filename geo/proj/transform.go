package proj

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"
	goproj "github.com/twpayne/go-proj/v11"
)

// Errors of transforms; a VertexError wraps one of these.
var (
	// ErrTransform means PROJ could not transform a coordinate, or gave a
	// result that is not a finite number.
	ErrTransform = errors.New("proj: cannot transform")
	// ErrNotFinite means a coordinate given to a transform is NaN or infinite.
	ErrNotFinite = errors.New("proj: coordinate is not a finite number")
	// ErrNoTransform means PROJ found no way between two CRSs.
	ErrNoTransform = errors.New("proj: no transformation between the CRSs")
)

// VertexError names the vertex a transform failed on. Its numbers count
// from 1; a number that does not apply to the geometry's type is 0
// (Member for geometries outside a collection, Part for single-part
// geometries, Ring for points and lines).
type VertexError struct {
	Member int // the member of an orb.Collection
	Part   int // the part of a multi-geometry
	Ring   int // the ring of a polygon
	Vertex int // the vertex of a line, ring or multipoint
	X, Y   float64
	Err    error
}

// Error says where and what, e.g. "part 2, ring 1, vertex 5 (1.2e+07,
// 4.7e+06): proj: cannot transform: Invalid coordinate".
func (e *VertexError) Error() string {
	var where []string
	for _, level := range []struct {
		name string
		n    int
	}{{"member", e.Member}, {"part", e.Part}, {"ring", e.Ring}, {"vertex", e.Vertex}} {
		if level.n > 0 {
			where = append(where, fmt.Sprintf("%s %d", level.name, level.n))
		}
	}
	return fmt.Sprintf("%s (%v, %v): %v", strings.Join(where, ", "), e.X, e.Y, e.Err)
}

// Unwrap returns the cause, which wraps ErrTransform or is ErrNotFinite.
func (e *VertexError) Unwrap() error { return e.Err }

// Transform converts coordinates from one CRS to another and back, with
// axis order normalised (x = easting or longitude). It is safe for
// concurrent use; see the package documentation.
type Transform struct {
	from, to CRS
	pj       *goproj.PJ
}

// NewTransform returns the transform from one CRS to another. Where several
// operations exist (e.g. Pulkovo 1942 to WGS 84 differs by country), PROJ
// picks for each coordinate the most accurate one whose area of use
// contains it, as cs2cs does.
func NewTransform(from, to CRS) (*Transform, error) {
	if from.kind == 0 || to.kind == 0 {
		return nil, fmt.Errorf("%w: a CRS was not made by Parse", ErrNoTransform)
	}
	ctx := goproj.NewContext()
	pj, err := ctx.NewCRSToCRS(from.definition, to.definition, nil)
	if err != nil {
		return nil, fmt.Errorf("%w from %s to %s: %v", ErrNoTransform, from, to, err)
	}
	normalised, err := pj.NormalizeForVisualization()
	if err != nil {
		return nil, fmt.Errorf("%w from %s to %s: %v", ErrNoTransform, from, to, err)
	}
	return &Transform{from: from, to: to, pj: normalised}, nil
}

// ToWGS84 returns the transform from a CRS to WGS 84 longitude/latitude.
func ToWGS84(from CRS) (*Transform, error) {
	return NewTransform(from, WGS84)
}

// AzimuthalEquidistant returns a transform from WGS 84 longitude/latitude
// to an azimuthal equidistant projection on the WGS 84 ellipsoid centred on
// centre, in metres. Distances and azimuths from the centre are exact
// (geodesic); elsewhere the scale across the radial direction grows by
// about d²/(6R²) at distance d (0.1 % at 500 km, 0.4 % at 1000 km). It is
// built as a PROJ pipeline without a database look-up, so making one per
// call is cheap.
func AzimuthalEquidistant(centre orb.Point) (*Transform, error) {
	if !finite(centre) || centre[1] < -90 || centre[1] > 90 {
		return nil, fmt.Errorf("%w: azimuthal equidistant centre (%v, %v) is not a longitude/latitude",
			ErrNoTransform, centre[0], centre[1])
	}
	aeqd := fmt.Sprintf("+proj=aeqd +lat_0=%.12g +lon_0=%.12g +ellps=WGS84 +units=m", centre[1], centre[0])
	ctx := goproj.NewContext()
	pj, err := ctx.New("+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step " + aeqd)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNoTransform, aeqd, err)
	}
	to := CRS{
		definition: aeqd + " +type=crs",
		name:       fmt.Sprintf("Azimuthal equidistant centred on %.6f, %.6f", centre[0], centre[1]),
		kind:       Projected,
	}
	return &Transform{from: WGS84, to: to, pj: pj}, nil
}

// From returns the CRS that Forward transforms from.
func (t *Transform) From() CRS { return t.from }

// To returns the CRS that Forward transforms to.
func (t *Transform) To() CRS { return t.to }

// Forward transforms a point from the From CRS to the To CRS.
func (t *Transform) Forward(p orb.Point) (orb.Point, error) {
	return t.point(goproj.DirectionFwd, p)
}

// Inverse transforms a point from the To CRS back to the From CRS.
func (t *Transform) Inverse(p orb.Point) (orb.Point, error) {
	return t.point(goproj.DirectionInv, p)
}

// ForwardGeometry returns a transformed copy of g (any orb geometry; a
// Bound becomes the bound of its densified edges). An error is a
// *VertexError naming the first vertex that failed; nothing partial is
// returned.
func (t *Transform) ForwardGeometry(g orb.Geometry) (orb.Geometry, error) {
	return t.geometry(goproj.DirectionFwd, g)
}

// InverseGeometry is ForwardGeometry from the To CRS back to the From CRS.
func (t *Transform) InverseGeometry(g orb.Geometry) (orb.Geometry, error) {
	return t.geometry(goproj.DirectionInv, g)
}

func (t *Transform) point(dir goproj.Direction, p orb.Point) (orb.Point, error) {
	if err := t.check(dir, p); err != nil {
		return orb.Point{}, &VertexError{Vertex: 1, X: p[0], Y: p[1], Err: err}
	}
	out, err := t.pj.Trans(dir, coord(p))
	if err == nil && !(isFinite(out[0]) && isFinite(out[1])) {
		err = errors.New("the result is not a finite number")
	}
	if err != nil {
		return orb.Point{}, &VertexError{Vertex: 1, X: p[0], Y: p[1], Err: fmt.Errorf("%w: %v", ErrTransform, err)}
	}
	return orb.Point{out[0], out[1]}, nil
}

// check rejects a coordinate no transform in direction dir can take: one
// that is not finite, or a latitude outside −90…90 in a geographic CRS
// (which PROJ would pass through unchanged between two geographic CRSs).
func (t *Transform) check(dir goproj.Direction, p orb.Point) error {
	if !finite(p) {
		return ErrNotFinite
	}
	source := t.from
	if dir == goproj.DirectionInv {
		source = t.to
	}
	if source.kind == Geographic && (p[1] < -90 || p[1] > 90) {
		return fmt.Errorf("%w: latitude %v is outside −90…90", ErrTransform, p[1])
	}
	return nil
}

// coord is an orb point as a PROJ coordinate with no height and no time.
func coord(p orb.Point) goproj.Coord {
	return goproj.Coord{p[0], p[1], 0, math.Inf(1)}
}

func (t *Transform) geometry(dir goproj.Direction, g orb.Geometry) (orb.Geometry, error) {
	if b, ok := g.(orb.Bound); ok {
		return t.bound(dir, b)
	}
	var coords []goproj.Coord
	walk(g, vertexPath{}, func(p orb.Point, _ vertexPath) {
		coords = append(coords, coord(p))
	})
	for i, c := range coords {
		if err := t.check(dir, orb.Point{c[0], c[1]}); err != nil {
			p, at := locate(g, i)
			return nil, at.error(p, err)
		}
	}
	if len(coords) > 0 {
		// A failed coordinate comes back as HUGE_VAL whatever the error
		// code says, so the scan below finds every failure.
		_ = t.pj.TransArray(dir, coords)
	}
	for i, c := range coords {
		if !(isFinite(c[0]) && isFinite(c[1])) {
			p, at := locate(g, i)
			_, err := t.point(dir, p)
			var ve *VertexError
			if errors.As(err, &ve) {
				return nil, at.error(p, ve.Err)
			}
			return nil, at.error(p, fmt.Errorf("%w: the result is not a finite number", ErrTransform))
		}
	}
	i := 0
	return rebuild(g, func() orb.Point {
		c := coords[i]
		i++
		return orb.Point{c[0], c[1]}
	}), nil
}

func (t *Transform) bound(dir goproj.Direction, b orb.Bound) (orb.Geometry, error) {
	for i, p := range []orb.Point{b.Min, b.Max} {
		if !finite(p) {
			return nil, &VertexError{Vertex: i + 1, X: p[0], Y: p[1], Err: ErrNotFinite}
		}
	}
	out, err := t.pj.TransBounds(dir, goproj.Bounds{XMin: b.Min[0], YMin: b.Min[1], XMax: b.Max[0], YMax: b.Max[1]}, 21)
	if err == nil && !(isFinite(out.XMin) && isFinite(out.YMin) && isFinite(out.XMax) && isFinite(out.YMax)) {
		err = errors.New("the result is not a finite number")
	}
	if err != nil {
		return nil, &VertexError{Vertex: 1, X: b.Min[0], Y: b.Min[1], Err: fmt.Errorf("%w: bound: %v", ErrTransform, err)}
	}
	return orb.Bound{Min: orb.Point{out.XMin, out.YMin}, Max: orb.Point{out.XMax, out.YMax}}, nil
}

// vertexPath is where a vertex sits in a geometry, numbered from 1.
type vertexPath struct{ member, part, ring, vertex int }

func (v vertexPath) error(p orb.Point, err error) *VertexError {
	return &VertexError{Member: v.member, Part: v.part, Ring: v.ring, Vertex: v.vertex, X: p[0], Y: p[1], Err: err}
}

// walk calls visit for every vertex of g in order.
func walk(g orb.Geometry, at vertexPath, visit func(orb.Point, vertexPath)) {
	path := func(ps []orb.Point, at vertexPath) {
		for i, p := range ps {
			at.vertex = i + 1
			visit(p, at)
		}
	}
	rings := func(poly orb.Polygon, at vertexPath) {
		for i, r := range poly {
			at.ring = i + 1
			path(r, at)
		}
	}
	switch g := g.(type) {
	case orb.Point:
		at.vertex = 1
		visit(g, at)
	case orb.MultiPoint:
		path(g, at)
	case orb.LineString:
		path(g, at)
	case orb.Ring:
		path(g, at)
	case orb.MultiLineString:
		for i, ls := range g {
			at.part = i + 1
			path(ls, at)
		}
	case orb.Polygon:
		rings(g, at)
	case orb.MultiPolygon:
		for i, poly := range g {
			at.part = i + 1
			rings(poly, at)
		}
	case orb.Collection:
		for i, member := range g {
			walk(member, vertexPath{member: i + 1}, visit)
		}
	}
}

// locate returns the i-th vertex (from 0) of g in walk's order, and where
// it sits.
func locate(g orb.Geometry, i int) (orb.Point, vertexPath) {
	var found orb.Point
	var foundAt vertexPath
	n := 0
	walk(g, vertexPath{}, func(p orb.Point, at vertexPath) {
		if n == i {
			found, foundAt = p, at
		}
		n++
	})
	return found, foundAt
}

// rebuild returns a copy of g's structure with every vertex taken in walk's
// order from next.
func rebuild(g orb.Geometry, next func() orb.Point) orb.Geometry {
	path := func(ps []orb.Point) []orb.Point {
		if ps == nil {
			return nil
		}
		out := make([]orb.Point, len(ps))
		for i := range out {
			out[i] = next()
		}
		return out
	}
	polygon := func(poly orb.Polygon) orb.Polygon {
		if poly == nil {
			return nil
		}
		out := make(orb.Polygon, len(poly))
		for i, r := range poly {
			out[i] = path(r)
		}
		return out
	}
	switch g := g.(type) {
	case orb.Point:
		return next()
	case orb.MultiPoint:
		return orb.MultiPoint(path(g))
	case orb.LineString:
		return orb.LineString(path(g))
	case orb.Ring:
		return orb.Ring(path(g))
	case orb.MultiLineString:
		out := make(orb.MultiLineString, len(g))
		for i, ls := range g {
			out[i] = path(ls)
		}
		return out
	case orb.Polygon:
		return polygon(g)
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(g))
		for i, poly := range g {
			out[i] = polygon(poly)
		}
		return out
	case orb.Collection:
		out := make(orb.Collection, len(g))
		for i, member := range g {
			out[i] = rebuild(member, next)
		}
		return out
	}
	return g
}

func finite(p orb.Point) bool { return isFinite(p[0]) && isFinite(p[1]) }

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
