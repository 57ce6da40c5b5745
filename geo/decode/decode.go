// Package decode reads vector data files into layers. This version reads
// GeoJSON: RFC 7946 plus the "crs" member of the 2008 format, in WGS 84
// longitude/latitude.
//
// A file is read from a reader in blocks, never whole: a scan that follows
// only strings and brackets, in time linear in the input whatever it
// holds, cuts the "features" array into features, which are decoded on
// all cores while the next blocks are read. Coordinates are parsed
// straight into orb geometries whose points, rings and polygons are cut
// from large shared blocks, and each feature keeps a copy of its
// "properties" object as raw JSON, decoded only when a value is asked for
// (see [layer.Properties]); nothing refers to the input afterwards. So
// memory beyond the decoded features stays within a few megabytes and the
// largest feature, and [Limits] bound what one feature may hold.
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
//   - Text in UTF-16 or UTF-32, with or without a byte-order mark, is read
//     as such; a UTF-8 byte-order mark is skipped.
//   - An object that gives a member the decoder reads ("type",
//     "geometry", "coordinates" and so on) twice is refused: which value
//     counts would be a guess.
//
// A fault in a file is reported as an [*Error] naming the file, the
// feature (numbered from 1), the line and column and the member at
// fault, down to the ring and position of a bad vertex; decoding stops at
// the first fault rather than drop features silently.
package decode

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
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
// It formats as "decode: FILE: feature N: line L, column C: MESSAGE",
// without the feature part for a fault outside any feature and without
// the line part when the fault has no place in the text. The message
// names the member at fault, such as "geometry: Polygon ring 1 has 3
// positions, a ring needs at least 4".
type Error struct {
	// File is the name the file was decoded under: the path as given to
	// [File].
	File string
	// Feature is the number of the feature at fault, counting from 1, or
	// 0 for a fault outside any feature.
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
	if e.Feature > 0 {
		fmt.Fprintf(&b, ": feature %d", e.Feature)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, ": line %d, column %d", e.Line, e.Column)
	}
	b.WriteString(": ")
	if se, ok := errors.AsType[*jsonscan.SyntaxError](e.Err); ok {
		b.WriteString(se.Msg)
	} else {
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
// (.geojson or .json, in any case), within the limits. It reads regular
// files only: a named pipe, a device such as /dev/zero or a directory is
// refused before any byte is read (see [ErrNotRegular]). Errors name the
// file by path, as given. It stops when ctx is done.
func File(ctx context.Context, path string, lim Limits) (*layer.Vector, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".geojson", ".json":
	default:
		msg := fmt.Sprintf("unsupported format %q: this version reads GeoJSON (.geojson, .json) only", ext)
		if ext == "" {
			msg = "unsupported format: the file name has no extension; this version reads GeoJSON (.geojson, .json) only"
		}
		return nil, &Error{File: path, Err: &messageError{msg, ErrUnsupportedFormat}}
	}
	f, size, err := OpenRegular(path)
	if err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	defer f.Close()
	return read(ctx, f, nil, path, lim, defaultConfig(), size)
}

// ErrNotRegular is a path that names something other than a regular
// file: a named pipe, which could block for ever, a device, which could
// be endless, or a directory.
var ErrNotRegular = errors.New("not a regular file")

// OpenRegular opens a regular file for reading and returns its size. It
// refuses anything else with an *fs.PathError wrapping [ErrNotRegular],
// without blocking on a named pipe no one writes to.
func OpenRegular(path string) (*os.File, int64, error) {
	f, err := openNoBlock(path)
	if err != nil {
		return nil, 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, 0, &fs.PathError{Op: "open", Path: path, Err: &messageError{"not a regular file: it is " + describeMode(fi.Mode()), ErrNotRegular}}
	}
	return f, fi.Size(), nil
}

// describeMode names the kind of file of a mode that is not regular.
func describeMode(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	default:
		return "not a plain file"
	}
}
