package layer

import "github.com/paulmach/orb"

// boundOf is orb.Geometry.Bound without its per-point math.Min/Max calls,
// which made computing the bounds of a big layer cost as much as decoding
// it. A geometry without points gets the empty bound, which intersects
// nothing.
func boundOf(g orb.Geometry) orb.Bound {
	b := emptyBound
	switch g := g.(type) {
	case orb.Point:
		return orb.Bound{Min: g, Max: g}
	case orb.MultiPoint:
		extend(&b, g)
	case orb.LineString:
		extend(&b, g)
	case orb.MultiLineString:
		for _, ls := range g {
			extend(&b, ls)
		}
	case orb.Ring:
		extend(&b, g)
	case orb.Polygon:
		if len(g) > 0 {
			extend(&b, g[0]) // holes lie inside the shell
		}
	case orb.MultiPolygon:
		for _, p := range g {
			if len(p) > 0 {
				extend(&b, p[0])
			}
		}
	case orb.Collection:
		for _, m := range g {
			if mb := boundOf(m); mb.Min[0] <= mb.Max[0] {
				extend(&b, []orb.Point{mb.Min, mb.Max})
			}
		}
	case orb.Bound:
		return g
	}
	return b
}

// emptyBound is inverted so that extending it by any point gives that point.
var emptyBound = orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{-1, -1}}

func extend(b *orb.Bound, pts []orb.Point) {
	if len(pts) == 0 {
		return
	}
	if b.Min[0] > b.Max[0] {
		*b = orb.Bound{Min: pts[0], Max: pts[0]}
	}
	minX, minY, maxX, maxY := b.Min[0], b.Min[1], b.Max[0], b.Max[1]
	for _, p := range pts {
		if p[0] < minX {
			minX = p[0]
		} else if p[0] > maxX {
			maxX = p[0]
		}
		if p[1] < minY {
			minY = p[1]
		} else if p[1] > maxY {
			maxY = p[1]
		}
	}
	*b = orb.Bound{Min: orb.Point{minX, minY}, Max: orb.Point{maxX, maxY}}
}
