package overlay

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	geos "github.com/twpayne/go-geos"
)

// Prepared is a geometry indexed once for many containment tests, e.g.
// which of a million sites lie in a basin. It is safe for concurrent use;
// its calls run one at a time.
type Prepared struct {
	bound orb.Bound
	ctx   *geos.Context
	prep  *geos.PrepGeom
}

// Prepare checks g as Contains does and indexes it.
func Prepare(g orb.Geometry) (*Prepared, error) {
	if err := checkInput(g, "the geometry"); err != nil {
		return nil, err
	}
	p := &Prepared{bound: g.Bound(), ctx: geos.NewContext()}
	err := guard(func() error {
		gg, err := toGEOS(p.ctx, g, "the geometry")
		if err != nil {
			return err
		}
		p.prep = gg.Prepare()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// ContainsPoint reports whether pt lies in the prepared geometry's
// interior, as Contains does (not in a hole, not on the boundary). A point
// with a NaN or infinite coordinate is an ErrInvalid error.
func (p *Prepared) ContainsPoint(pt orb.Point) (bool, error) {
	if math.IsNaN(pt[0]) || math.IsNaN(pt[1]) || math.IsInf(pt[0], 0) || math.IsInf(pt[1], 0) {
		return false, fmt.Errorf("%w: the point (%v, %v) is not a finite number", ErrInvalid, pt[0], pt[1])
	}
	if !p.bound.Contains(pt) {
		return false, nil
	}
	// go-geos's PrepGeom.ContainsXY needs GEOS 3.12 and always answers
	// false on Debian 12's GEOS 3.11, so the point is built as a geometry.
	contains := false
	err := guard(func() error {
		contains = p.prep.Contains(p.ctx.NewPointFromXY(pt[0], pt[1]))
		return nil
	})
	return contains, err
}
