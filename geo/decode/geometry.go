package decode

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/ecoatlas/ecoatlas/geo/internal/jsonscan"
	"github.com/paulmach/orb"
)

// geometryType is a GeoJSON geometry type.
type geometryType uint8

// Geometry types.
const (
	noGeometry geometryType = iota
	pointType
	multiPointType
	lineStringType
	multiLineStringType
	polygonType
	multiPolygonType
	collectionType
)

// String returns the type's GeoJSON name.
func (t geometryType) String() string {
	return [...]string{"", "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"}[t]
}

// geometryTypeOf returns the geometry type of a GeoJSON type name, or
// noGeometry.
func geometryTypeOf(name []byte) geometryType {
	switch string(name) {
	case "Point":
		return pointType
	case "MultiPoint":
		return multiPointType
	case "LineString":
		return lineStringType
	case "MultiLineString":
		return multiLineStringType
	case "Polygon":
		return polygonType
	case "MultiPolygon":
		return multiPolygonType
	case "GeometryCollection":
		return collectionType
	default:
		return noGeometry
	}
}

// maxCollectionDepth is how deeply GeometryCollections may nest. RFC 7946
// advises against nesting them at all.
const maxCollectionDepth = 32

// decoder decodes features and geometries. Each goroutine has its own,
// whose slabs hold the coordinates and properties of the features it
// decodes.
type decoder struct {
	lim      Limits
	vertices int64 // positions of the feature being read

	points   slab[orb.Point]
	rings    slab[orb.Ring]       // of Polygons
	lines    slab[orb.LineString] // of MultiLineStrings
	polygons slab[orb.Polygon]    // of MultiPolygons
	text     slab[byte]           // raw properties
}

// keepText returns a copy of b that stays valid when the input goes.
func (d *decoder) keepText(b []byte) []byte {
	d.text.reserve(len(b))
	d.text.block = append(d.text.block, b...)
	return d.text.take()
}

// readGeometry decodes the geometry object at the scanner, which is a
// member of depth GeometryCollections. Empty coordinates give a nil
// geometry.
func (d *decoder) readGeometry(s *jsonscan.Scanner, depth int) (orb.Geometry, error) {
	if err := s.EnterObject(); err != nil {
		return nil, want(err, "a geometry object")
	}
	var (
		typ  geometryType
		g    orb.Geometry
		read bool
		seen members
		// where "coordinates" and "geometries" were met before "type"
		coordinates, geometries = -1, -1
	)
	for {
		key, ok, err := s.NextKey()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		switch string(key) {
		case "type":
			if err := seen.see(1, "type"); err != nil {
				return nil, err
			}
			var name []byte
			at := s.Offset()
			if name, err = readString(s, `"type"`); err != nil {
				return nil, err
			}
			if typ = geometryTypeOf(name); typ == noGeometry {
				return nil, &atError{at, fmt.Errorf("type %q is not a geometry type", name)}
			}
		case "coordinates":
			if err := seen.see(2, "coordinates"); err != nil {
				return nil, err
			}
			switch typ {
			case noGeometry:
				coordinates = s.Offset()
				err = s.Skip()
			case collectionType:
				err = s.Skip()
			default:
				g, err = d.readCoordinates(s, typ)
				read = true
			}
		case "geometries":
			if err := seen.see(4, "geometries"); err != nil {
				return nil, err
			}
			switch typ {
			case noGeometry:
				geometries = s.Offset()
				err = s.Skip()
			case collectionType:
				g, err = d.readCollection(s, depth)
				read = true
			default:
				err = s.Skip()
			}
		case "crs":
			if err = seen.see(8, "crs"); err == nil {
				err = readCRS(s)
			}
		default:
			err = s.Skip()
		}
		if err != nil {
			return nil, err
		}
	}
	if typ == noGeometry {
		return nil, errors.New(`missing "type" member`)
	}
	if read {
		return g, nil
	}
	member, at := "coordinates", coordinates
	if typ == collectionType {
		member, at = "geometries", geometries
	}
	if at < 0 {
		return nil, fmt.Errorf("%s has no %q member", typ, member)
	}
	end := s.Offset()
	s.Seek(at)
	var err error
	if typ == collectionType {
		g, err = d.readCollection(s, depth)
	} else {
		g, err = d.readCoordinates(s, typ)
	}
	s.Seek(end)
	return g, err
}

// readCollection decodes the "geometries" array of a GeometryCollection
// nested in depth others.
func (d *decoder) readCollection(s *jsonscan.Scanner, depth int) (orb.Geometry, error) {
	if depth >= maxCollectionDepth {
		return nil, fmt.Errorf("GeometryCollections nest more than %d deep", maxCollectionDepth)
	}
	if err := s.EnterArray(); err != nil {
		return nil, fmt.Errorf(`GeometryCollection "geometries": %w`, want(err, "an array"))
	}
	var c orb.Collection
	for i := 0; ; i++ {
		more, err := s.NextElement()
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
		g, err := d.readGeometry(s, depth+1)
		if err != nil {
			return nil, fmt.Errorf("GeometryCollection geometry %d: %w", i+1, err)
		}
		if g != nil {
			c = append(c, g)
		}
	}
	if len(c) == 0 {
		return nil, nil
	}
	return c, nil
}

// readCoordinates decodes the "coordinates" of a geometry of type typ,
// returning nil if they are empty.
func (d *decoder) readCoordinates(s *jsonscan.Scanner, typ geometryType) (orb.Geometry, error) {
	g, err := d.readShape(s, typ)
	if err != nil {
		return nil, within(err, typ.String(), -1)
	}
	return g, nil
}

// readShape does the work of readCoordinates.
func (d *decoder) readShape(s *jsonscan.Scanner, typ geometryType) (orb.Geometry, error) {
	switch typ {
	case pointType:
		var p orb.Point
		at := s.Offset()
		n, err := s.ReadFloats(p[:])
		switch {
		case err != nil:
			return nil, err
		case n == 0:
			return nil, nil
		case n == 1:
			return nil, &pathError{msg: " has 1 number, a position needs at least 2", offset: at}
		case !isLonLat(p):
			return nil, notLonLat(p, at)
		}
		if err := d.count(1, at); err != nil {
			return nil, err
		}
		return p, nil
	case multiPointType, lineStringType:
		at := s.Offset()
		n, err := d.readPositions(s)
		switch {
		case err != nil:
			return nil, err
		case n == 0:
			return nil, nil
		case typ == multiPointType:
			return orb.MultiPoint(d.points.take()), nil
		}
		line, err := d.takeLine(n, at)
		if err != nil {
			return nil, err
		}
		return line, nil
	case multiLineStringType:
		n, err := readArray(s, "line", func() error {
			line, err := d.readLine(s)
			if err == nil {
				d.lines.add(line)
			}
			return err
		})
		if err != nil || n == 0 {
			return nil, err
		}
		return orb.MultiLineString(d.lines.take()), nil
	case polygonType:
		polygon, err := d.readPolygon(s)
		if err != nil || polygon == nil {
			return nil, err
		}
		return polygon, nil
	default: // multiPolygonType, the last type with coordinates
		n, err := readArray(s, "polygon", func() error {
			at := s.Offset()
			polygon, err := d.readPolygon(s)
			switch {
			case err != nil:
				return err
			case polygon == nil:
				return &pathError{msg: " has no rings", offset: at}
			}
			d.polygons.add(polygon)
			return nil
		})
		if err != nil || n == 0 {
			return nil, err
		}
		return orb.MultiPolygon(d.polygons.take()), nil
	}
}

// count adds n positions to those of the feature, failing beyond the
// limit; at locates the fault.
func (d *decoder) count(n int, at int) error {
	if d.vertices += int64(n); d.vertices > d.lim.Vertices {
		return &pathError{msg: ": " + (&LimitError{Name: "vertices", Max: d.lim.Vertices}).Error(), offset: at, err: &LimitError{Name: "vertices", Max: d.lim.Vertices}}
	}
	return nil
}

// readArray reads an array whose elements readElement reads, naming each
// element in errors as "name number", numbered from 1, and returns the
// number of elements.
func readArray(s *jsonscan.Scanner, name string, readElement func() error) (int, error) {
	if err := s.EnterArray(); err != nil {
		return 0, err
	}
	for n := 0; ; n++ {
		more, err := s.NextElement()
		if err != nil || !more {
			return n, err
		}
		if err := readElement(); err != nil {
			return n, within(err, name, n)
		}
	}
}

// readPolygon reads the rings of a polygon, returning nil if there are
// none.
func (d *decoder) readPolygon(s *jsonscan.Scanner) (orb.Polygon, error) {
	n, err := readArray(s, "ring", func() error {
		ring, err := d.readRing(s)
		if err == nil {
			d.rings.add(ring)
		}
		return err
	})
	if err != nil || n == 0 {
		return nil, err
	}
	return d.rings.take(), nil
}

// readRing reads a linear ring, closing it if its last position is not
// its first.
func (d *decoder) readRing(s *jsonscan.Scanner) (orb.Ring, error) {
	at := s.Offset()
	n, err := d.readPositions(s)
	if err != nil {
		return nil, err
	}
	if ring := d.points.open(); n > 0 && ring[0] != ring[n-1] {
		d.points.add(ring[0])
	}
	if len(d.points.open()) < 4 {
		return nil, &pathError{msg: " has " + count(n, "position") + ", a ring needs at least 4", offset: at}
	}
	return d.points.take(), nil
}

// readLine reads a line string with at least two positions.
func (d *decoder) readLine(s *jsonscan.Scanner) (orb.LineString, error) {
	at := s.Offset()
	n, err := d.readPositions(s)
	if err != nil {
		return nil, err
	}
	return d.takeLine(n, at)
}

// takeLine takes the n positions just read, from offset at, as a line
// string, which needs at least two.
func (d *decoder) takeLine(n, at int) (orb.LineString, error) {
	if n < 2 {
		return nil, &pathError{msg: " has " + count(n, "position") + ", a line needs at least 2", offset: at}
	}
	return d.points.take(), nil
}

// positionsRoom is the room readPositions makes in the point slab before
// each fast read, enough for most rings; a longer run outgrows it and is
// moved by append.
const positionsRoom = 256

// readPositions reads an array of positions into the open run of the
// point slab and returns how many it read. Compact positions take the
// fast path of jsonscan.AppendPairs; any other is read on its own.
func (d *decoder) readPositions(s *jsonscan.Scanner) (int, error) {
	start := s.Offset()
	if err := s.EnterArray(); err != nil {
		return 0, err
	}
	n := 0
	for {
		d.points.reserve(positionsRoom)
		run, ended := jsonscan.AppendPairs(s, d.points.open())
		d.points.setOpen(run)
		counted := n
		for ; n < len(run); n++ {
			if !isLonLat(run[n]) {
				return n, within(notLonLat(run[n], elementOffset(s.Data(), start, n)), "position", n)
			}
		}
		if err := d.count(n-counted, s.Offset()); err != nil {
			return n, err
		}
		if ended {
			return n, nil
		}
		more, err := s.NextElement()
		if err != nil || !more {
			return n, err
		}
		var p orb.Point
		at := s.Offset()
		switch k, err := s.ReadFloats(p[:]); {
		case err != nil:
			return n, within(err, "position", n)
		case k < 2:
			return n, within(&pathError{msg: " has " + count(k, "number") + ", a position needs at least 2", offset: at}, "position", n)
		case !isLonLat(p):
			return n, within(notLonLat(p, at), "position", n)
		}
		d.points.add(p)
		n++
		if err := d.count(1, at); err != nil {
			return n, err
		}
	}
}

// elementOffset returns the offset of element n (from 0) of the valid
// array at data[start]; the fast path of readPositions does not keep
// them, so an error about one looks it up again.
func elementOffset(data []byte, start, n int) int {
	s := jsonscan.New(data)
	s.Seek(start)
	if s.EnterArray() != nil {
		return start
	}
	for i := 0; ; i++ {
		more, err := s.NextElement()
		if err != nil || !more || i == n {
			return s.Offset()
		}
		if s.Skip() != nil {
			return s.Offset()
		}
	}
}

// isLonLat reports whether p is a longitude and a latitude.
func isLonLat(p orb.Point) bool { return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90 }

// notLonLat returns the error for a position out of lon/lat range, found
// at offset at.
func notLonLat(p orb.Point, at int) error {
	x, y := strconv.FormatFloat(p[0], 'f', -1, 64), strconv.FormatFloat(p[1], 'f', -1, 64)
	return &pathError{msg: ": " + x + "," + y + " is not lon/lat; reproject to EPSG:4326", offset: at, err: ErrNotLonLat}
}

// count formats n and a noun, in the plural unless n is 1.
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// pathError is a fault in a geometry's coordinates at a path like
// "MultiPolygon polygon 2 ring 1", which is the subject of the message:
// msg continues it, either as a predicate (" has 3 positions, a ring
// needs at least 4") or after a colon (": want an array, found a number").
type pathError struct {
	path   string
	msg    string
	offset int   // where the fault is in the input, or -1 if unknown
	err    error // the underlying error, if any
}

// Error returns the message.
func (e *pathError) Error() string { return e.path + e.msg }

// Unwrap returns the wrapped error.
func (e *pathError) Unwrap() error { return e.err }

// within puts a fault in coordinates inside a path component, a name and
// an index from 0 (-1 for none), which the message numbers from 1: "ring",
// 2 turns "position 5: ..." into "ring 3 position 5: ...". A value of the
// wrong kind becomes a pathError here. Syntax errors, which their line and
// column locate, pass through.
func within(err error, name string, index int) error {
	component := name
	if index >= 0 {
		component += " " + strconv.Itoa(index+1)
	}
	switch e := err.(type) {
	case *pathError:
		if e.path == "" {
			e.path = component
		} else {
			e.path = component + " " + e.path
		}
		return e
	case *jsonscan.KindError:
		want := e.Want.String()
		if e.Want == jsonscan.Number {
			want = "numbers"
		}
		return &pathError{path: component, msg: ": want " + want + ", found " + e.Found.String(), offset: e.Offset, err: e}
	default:
		return err
	}
}
