// Package geomconv is the one place where the engine's orb geometries and
// go-geom's meet: go-geom is what WKB and WKT codecs speak where data
// enters or leaves, orb is what the engine works with. Going to orb, Z and
// M are dropped (orb is two-dimensional) and empty members of collections
// are left out.
package geomconv

import (
	"errors"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom"
)

// ErrUnsupported is a geometry type the other side has no counterpart for.
var ErrUnsupported = errors.New("geomconv: unsupported geometry type")

// ToGeom converts an orb geometry to a two-dimensional go-geom geometry.
// A Ring becomes a Polygon and a Bound its rectangle.
func ToGeom(g orb.Geometry) (geom.T, error) {
	switch g := g.(type) {
	case orb.Point:
		return geom.NewPointFlat(geom.XY, []float64{g[0], g[1]}), nil
	case orb.MultiPoint:
		return geom.NewMultiPointFlat(geom.XY, flatten(nil, g)), nil
	case orb.LineString:
		return geom.NewLineStringFlat(geom.XY, flatten(nil, g)), nil
	case orb.MultiLineString:
		var flat []float64
		ends := make([]int, len(g))
		for i, ls := range g {
			flat = flatten(flat, ls)
			ends[i] = len(flat)
		}
		return geom.NewMultiLineStringFlat(geom.XY, flat, ends), nil
	case orb.Ring:
		return ToGeom(orb.Polygon{g})
	case orb.Bound:
		return ToGeom(g.ToPolygon())
	case orb.Polygon:
		flat, ends := flattenPolygon(nil, g)
		return geom.NewPolygonFlat(geom.XY, flat, ends), nil
	case orb.MultiPolygon:
		var flat []float64
		endss := make([][]int, len(g))
		for i, p := range g {
			flat, endss[i] = flattenPolygon(flat, p)
		}
		return geom.NewMultiPolygonFlat(geom.XY, flat, endss), nil
	case orb.Collection:
		c := geom.NewGeometryCollection()
		for _, m := range g {
			mg, err := ToGeom(m)
			if err != nil {
				return nil, err
			}
			if err := c.Push(mg); err != nil {
				return nil, fmt.Errorf("geomconv: %w", err)
			}
		}
		return c, nil
	default:
		return nil, fmt.Errorf("%w: %T", ErrUnsupported, g)
	}
}

func flatten(flat []float64, pts []orb.Point) []float64 {
	for _, p := range pts {
		flat = append(flat, p[0], p[1])
	}
	return flat
}

func flattenPolygon(flat []float64, p orb.Polygon) ([]float64, []int) {
	ends := make([]int, len(p))
	for i, r := range p {
		flat = flatten(flat, r)
		ends[i] = len(flat)
	}
	return flat, ends
}

// FromGeom converts a go-geom geometry to orb, keeping x and y. An empty
// geometry converts to nil.
func FromGeom(g geom.T) (orb.Geometry, error) {
	if g == nil || g.Empty() {
		return nil, nil
	}
	switch g := g.(type) {
	case *geom.Point:
		return orb.Point{g.X(), g.Y()}, nil
	case *geom.MultiPoint:
		return orb.MultiPoint(points(g.FlatCoords(), g.Stride())), nil
	case *geom.LineString:
		return orb.LineString(points(g.FlatCoords(), g.Stride())), nil
	case *geom.LinearRing:
		return orb.Polygon{orb.Ring(points(g.FlatCoords(), g.Stride()))}, nil
	case *geom.MultiLineString:
		out := make(orb.MultiLineString, g.NumLineStrings())
		for i := range out {
			out[i] = orb.LineString(points(g.LineString(i).FlatCoords(), g.Stride()))
		}
		return out, nil
	case *geom.Polygon:
		return polygon(g), nil
	case *geom.MultiPolygon:
		out := make(orb.MultiPolygon, g.NumPolygons())
		for i := range out {
			out[i] = polygon(g.Polygon(i))
		}
		return out, nil
	case *geom.GeometryCollection:
		out := make(orb.Collection, 0, g.NumGeoms())
		for _, m := range g.Geoms() {
			og, err := FromGeom(m)
			if err != nil {
				return nil, err
			}
			if og != nil {
				out = append(out, og)
			}
		}
		return out, nil
	default:
		return nil, fmt.Errorf("%w: %T", ErrUnsupported, g)
	}
}

func points(flat []float64, stride int) []orb.Point {
	pts := make([]orb.Point, len(flat)/stride)
	for i := range pts {
		pts[i] = orb.Point{flat[i*stride], flat[i*stride+1]}
	}
	return pts
}

func polygon(p *geom.Polygon) orb.Polygon {
	out := make(orb.Polygon, p.NumLinearRings())
	for i := range out {
		out[i] = orb.Ring(points(p.LinearRing(i).FlatCoords(), p.Stride()))
	}
	return out
}
