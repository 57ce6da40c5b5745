// Package decode reads vector data files into layers. This version reads
// GeoJSON: RFC 7946 plus the "crs" member of the 2008 format, in WGS 84
// longitude/latitude.
//
// GeoJSON is decoded in place. Coordinates are parsed straight from the
// input into orb geometries whose points, rings and polygons are cut from
// large shared blocks, and each feature keeps its "properties" object as
// a sub-slice of the input that is decoded only when a value is asked for
// (see [layer.Properties]); so the input must not be modified once
// decoded. A large FeatureCollection is split at feature boundaries and
// decoded on all cores.
//
// What is read, and how:
//
//   - The top level may be a FeatureCollection, a single Feature or a bare
//     geometry, which becomes a layer of one feature.
//   - A feature's ID is its "id" member (a string, or a number kept as
//     written), else its "id" property; features without one, or with
//     the ID of an earlier feature, are numbered "#N" by position from 1
//     (see [layer.NewVector]).
//   - A null geometry is kept as a feature with a nil Geometry; so is a
//     geometry with empty coordinates, which RFC 7946 allows. A missing
//     "geometry" member counts as null.
//   - A GeometryCollection becomes an orb.Collection, with empty members
//     left out.
//   - Ordinates after longitude and latitude (altitude, measures) are
//     read and dropped.
//   - Unclosed polygon rings are closed; ring orientation is kept as it
//     is, since the renderer normalises it.
//   - Every position must be within longitude ±180 and latitude ±90.
//   - "bbox" and foreign members are validated as JSON and ignored.
//   - A "crs" member must name WGS 84 lon/lat (EPSG:4326 or OGC CRS84, in
//     any of their usual spellings); any other CRS is refused, because
//     this version does not reproject.
//
// A fault in a file is reported as an [*Error] naming the file, the
// feature and, for malformed JSON, the line and column; decoding stops at
// the first fault rather than drop features silently.
package decode

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/internal/jsonscan"
	"github.com/ecoatlas/ecoatlas/geo/layer"
)

// Errors that an [*Error] can wrap, for errors.Is.
var (
	// ErrUnsupportedFormat is a file whose extension names no format this
	// version reads.
	ErrUnsupportedFormat = errors.New("decode: unsupported format")
	// ErrUnsupportedCRS is a file whose "crs" member names a coordinate
	// reference system other than WGS 84 lon/lat.
	ErrUnsupportedCRS = errors.New("decode: unsupported CRS")
	// ErrNotLonLat is a position outside longitude ±180 or latitude ±90,
	// usually the sign of projected coordinates in a file without a "crs".
	ErrNotLonLat = errors.New("decode: position is not lon/lat")
)

// Error is a fault in a file being decoded.
//
// It formats as "decode: FILE: feature N: MESSAGE", without the feature
// part for a fault outside any feature. For malformed JSON the message
// starts with "line L, column C", since the place is all there is to say
// about it; other messages name the member at fault, such as
// "geometry: Polygon ring 0 has 3 positions, a ring needs at least 4".
type Error struct {
	// File is the name the file was decoded under, usually its base name.
	File string
	// Feature is the index of the feature at fault, or -1.
	Feature int
	// Line and Column locate the fault, counting from 1, columns in
	// characters; for a fault in a value, they point at or just after it.
	// They are 0 when the fault is not in the file's text.
	Line, Column int
	// Err is the fault.
	Err error
}

// Error returns the message.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("decode: ")
	b.WriteString(e.File)
	if e.Feature >= 0 {
		fmt.Fprintf(&b, ": feature %d", e.Feature)
	}
	if se, ok := errors.AsType[*jsonscan.SyntaxError](e.Err); ok {
		fmt.Fprintf(&b, ": line %d, column %d: %s", e.Line, e.Column, se.Msg)
	} else {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the fault.
func (e *Error) Unwrap() error { return e.Err }

// messageError is an error with a message of its own that still matches
// the error it wraps, such as a sentinel, with errors.Is and errors.As.
type messageError struct {
	msg string
	err error
}

// Error returns the message.
func (e *messageError) Error() string { return e.msg }

// Unwrap returns the wrapped error.
func (e *messageError) Unwrap() error { return e.err }

// File decodes the file at path, choosing the format by its extension
// (.geojson or .json, in any case). Errors name the file by its base name.
func File(path string) (*layer.Vector, error) {
	name := filepath.Base(path)
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".geojson", ".json":
	default:
		msg := fmt.Sprintf("unsupported format %q: this version reads GeoJSON (.geojson, .json) only", ext)
		if ext == "" {
			msg = "unsupported format: the file name has no extension; this version reads GeoJSON (.geojson, .json) only"
		}
		return nil, &Error{File: name, Feature: -1, Err: &messageError{msg, ErrUnsupportedFormat}}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	return GeoJSON(data, name)
}
