package overlay

import (
	"fmt"
	"math"
	"runtime"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	geos "github.com/twpayne/go-geos"
)

// This file is the one place where orb geometries become GEOS geometries
// and back. They travel as WKB: one cgo call each way, and orb's and GEOS's
// WKB codecs are both complete.

// toGEOS returns g in ctx, checked for validity (GEOS's reason is given
// when it is not valid). What names the argument in errors ("the geometry",
// "the second geometry").
func toGEOS(ctx *geos.Context, g orb.Geometry, what string) (*geos.Geom, error) {
	data, err := wkb.Marshal(g)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, what, err)
	}
	gg, err := ctx.NewGeomFromWKB(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, what, err)
	}
	if !gg.IsValid() {
		return nil, fmt.Errorf("%w: %s: %s", ErrInvalid, what, gg.IsValidReason())
	}
	return gg, nil
}

// fromGEOS returns a GEOS geometry as an orb geometry. An empty result
// (two disjoint polygons' intersection) is an empty orb geometry of the same
// kind, or an empty collection for an empty point.
func fromGEOS(g *geos.Geom) (orb.Geometry, error) {
	if g.TypeID() == geos.TypeIDPoint && g.IsEmpty() {
		return orb.Collection{}, nil
	}
	out, err := wkb.Unmarshal(g.ToWKB())
	if err != nil {
		return nil, fmt.Errorf("%w: reading GEOS's result: %v", ErrGEOS, err)
	}
	return out, nil
}

// guard runs f, turning a GEOS exception (which go-geos raises as a panic)
// into an error wrapping ErrGEOS. Other panics are bugs and go on.
func guard(f func() error) (err error) {
	defer func() {
		switch v := recover().(type) {
		case nil:
		case geos.Error:
			err = fmt.Errorf("%w: %v", ErrGEOS, v)
		case *runtime.PanicNilError:
			err = fmt.Errorf("%w: the operation failed without a message", ErrGEOS)
		default:
			panic(v)
		}
	}()
	return f()
}

// checkLonLat reports the first vertex of g that is not a finite number,
// or whose latitude is outside −90…90.
func checkLonLat(g orb.Geometry) error {
	var bad error
	vertices(g, location{}, func(p orb.Point, at location) bool {
		switch {
		case math.IsNaN(p[0]) || math.IsInf(p[0], 0) || math.IsNaN(p[1]) || math.IsInf(p[1], 0):
			bad = fmt.Errorf("%w: %v (%v, %v) is not a finite number", ErrInvalid, at, p[0], p[1])
		case p[1] < -90 || p[1] > 90:
			bad = fmt.Errorf("%w: %v has latitude %v, outside −90…90", ErrInvalid, at, p[1])
		}
		return bad == nil
	})
	return bad
}

// checkShape reports a line with one vertex, or a polygon ring that is not
// closed or has fewer than four vertices: shapes GEOS cannot even build.
func checkShape(g orb.Geometry, at location) error {
	line := func(ls orb.LineString, at location) error {
		if len(ls) == 1 {
			return fmt.Errorf("%w: %v: a line needs two vertices, not one", ErrInvalid, at)
		}
		return nil
	}
	polygon := func(poly orb.Polygon, at location) error {
		for i, r := range poly {
			at.ring = i + 1
			switch {
			case len(r) == 0:
			case len(r) < 4:
				return fmt.Errorf("%w: %v: a ring needs at least four vertices, not %d", ErrInvalid, at, len(r))
			case r[0] != r[len(r)-1]:
				return fmt.Errorf("%w: %v: the ring is not closed (its last vertex differs from its first)", ErrInvalid, at)
			}
		}
		return nil
	}
	switch g := g.(type) {
	case orb.LineString:
		return line(g, at)
	case orb.MultiLineString:
		for i, ls := range g {
			at.part = i + 1
			if err := line(ls, at); err != nil {
				return err
			}
		}
	case orb.Ring:
		return polygon(orb.Polygon{g}, at)
	case orb.Polygon:
		return polygon(g, at)
	case orb.MultiPolygon:
		for i, poly := range g {
			at.part = i + 1
			if err := polygon(poly, at); err != nil {
				return err
			}
		}
	case orb.Collection:
		for i, member := range g {
			if err := checkShape(member, location{member: i + 1}); err != nil {
				return err
			}
		}
	}
	return nil
}

// location is where a vertex sits in a geometry, numbered from 1; 0 for a
// level that does not apply.
type location struct{ member, part, ring, vertex int }

// String says where, e.g. "part 2, ring 1, vertex 5".
func (l location) String() string {
	var where []string
	for _, level := range []struct {
		name string
		n    int
	}{{"member", l.member}, {"part", l.part}, {"ring", l.ring}, {"vertex", l.vertex}} {
		if level.n > 0 {
			where = append(where, fmt.Sprintf("%s %d", level.name, level.n))
		}
	}
	return strings.Join(where, ", ")
}

// vertices calls visit with every vertex of g and where it is, until visit
// returns false; it reports whether it visited every vertex.
func vertices(g orb.Geometry, at location, visit func(orb.Point, location) bool) bool {
	path := func(ps []orb.Point, at location) bool {
		for i, p := range ps {
			at.vertex = i + 1
			if !visit(p, at) {
				return false
			}
		}
		return true
	}
	polygon := func(poly orb.Polygon, at location) bool {
		for i, r := range poly {
			at.ring = i + 1
			if !path(r, at) {
				return false
			}
		}
		return true
	}
	switch g := g.(type) {
	case orb.Point:
		at.vertex = 1
		return visit(g, at)
	case orb.MultiPoint:
		return path(g, at)
	case orb.LineString:
		return path(g, at)
	case orb.Ring:
		return path(g, at)
	case orb.MultiLineString:
		for i, ls := range g {
			at.part = i + 1
			if !path(ls, at) {
				return false
			}
		}
	case orb.Polygon:
		return polygon(g, at)
	case orb.MultiPolygon:
		for i, poly := range g {
			at.part = i + 1
			if !polygon(poly, at) {
				return false
			}
		}
	case orb.Bound:
		return path([]orb.Point{g.Min, g.Max}, at)
	case orb.Collection:
		for i, member := range g {
			if !vertices(member, location{member: i + 1}, visit) {
				return false
			}
		}
	}
	return true
}

// isEmpty reports whether g has no vertex at all.
func isEmpty(g orb.Geometry) bool {
	return vertices(g, location{}, func(orb.Point, location) bool { return false })
}
