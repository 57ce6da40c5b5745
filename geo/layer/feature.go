package layer

import (
	"iter"

	"github.com/paulmach/orb"
)

// FID identifies a feature within its source.
type FID int64

// Feature is one geographic object: a geometry in WGS 84 lon/lat and its
// attributes.
type Feature struct {
	ID         FID
	Geometry   orb.Geometry
	Properties Properties
}

// FeatureSource is the read side every feature provider offers the
// renderer and the UI.
type FeatureSource interface {
	// Extent returns the lon/lat bound of all features (the zero bound if empty).
	Extent() orb.Bound
	// Len returns the number of features.
	Len() int
	// Search yields every feature whose extent intersects the lon/lat bound b.
	Search(b orb.Bound) iter.Seq[*Feature]
}

// GeometryKind is the broad class of a geometry, which decides how a
// default style draws it.
type GeometryKind int

// Geometry kinds.
const (
	KindUnknown GeometryKind = iota
	KindPoint
	KindLine
	KindPolygon
)

// String returns the kind's lower-case name.
func (k GeometryKind) String() string {
	switch k {
	case KindPoint:
		return "point"
	case KindLine:
		return "line"
	case KindPolygon:
		return "polygon"
	default:
		return "unknown"
	}
}

// KindOf returns the kind of a geometry; a collection has the kind of its
// highest-dimension member.
func KindOf(g orb.Geometry) GeometryKind {
	switch g := g.(type) {
	case orb.Point, orb.MultiPoint:
		return KindPoint
	case orb.LineString, orb.MultiLineString:
		return KindLine
	case orb.Polygon, orb.MultiPolygon, orb.Ring, orb.Bound:
		return KindPolygon
	case orb.Collection:
		k := KindUnknown
		for _, m := range g {
			k = max(k, KindOf(m))
		}
		return k
	default:
		return KindUnknown
	}
}
