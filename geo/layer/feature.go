package layer

import (
	"context"
	"iter"

	"github.com/paulmach/orb"
)

// Feature is one geographic object: a geometry in WGS 84 lon/lat and its
// attributes.
type Feature struct {
	// ID identifies the feature within its source, the same across
	// reloads of the same data and across edits: the data's own
	// identifier where it has one (a GeoJSON "id" member or "id"
	// property, a GeoPackage row's uuid), otherwise "#N", N being the
	// feature's position in the source counting from 1. IDs are unique
	// within a source.
	ID         string
	Geometry   orb.Geometry
	Properties Properties
}

// FeatureSource is the read side every feature provider offers the
// renderer, the query engine and the UI.
type FeatureSource interface {
	// Extent returns the lon/lat bound of all features (the zero bound if empty).
	Extent() orb.Bound
	// Len returns the number of features.
	Len() int
	// Schema returns the attributes the features carry, in the order
	// they first occur.
	Schema() []Field
	// Search yields every feature whose extent intersects the lon/lat
	// bound b, in drawing order. It stops early, yielding the context's
	// error, when ctx is done, and yields a non-nil error when reading
	// fails (a file or database source); the feature is then nil.
	Search(ctx context.Context, b orb.Bound) iter.Seq2[*Feature, error]
	// Lookup returns the feature with an ID.
	Lookup(id string) (*Feature, bool)
}

// Field is one attribute of a source's schema.
type Field struct {
	Name string
	Type FieldType
}

// FieldType is the kind of values an attribute holds.
type FieldType int

// Field types. A field whose values are of several kinds (numbers in some
// features, text in others) is FieldMixed.
const (
	FieldNull FieldType = iota
	FieldString
	FieldNumber
	FieldBool
	FieldArray
	FieldObject
	FieldMixed
)

// String returns the type's lower-case name.
func (t FieldType) String() string {
	switch t {
	case FieldString:
		return "string"
	case FieldNumber:
		return "number"
	case FieldBool:
		return "bool"
	case FieldArray:
		return "array"
	case FieldObject:
		return "object"
	case FieldMixed:
		return "mixed"
	default:
		return "null"
	}
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
