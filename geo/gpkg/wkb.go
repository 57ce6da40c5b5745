package gpkg

import (
	"encoding/binary"
	"fmt"
	"math"
	"unsafe"

	"github.com/paulmach/orb"
)

// WKB geometry type codes (ISO 13249-3 and OGC 06-103r4).
const (
	wkbPoint              = 1
	wkbLineString         = 2
	wkbPolygon            = 3
	wkbMultiPoint         = 4
	wkbMultiLineString    = 5
	wkbMultiPolygon       = 6
	wkbGeometryCollection = 7
)

// Flags of the extended WKB of PostGIS (EWKB), which some writers put in
// GeoPackages although the standard asks for ISO WKB.
const (
	ewkbZ    = 0x80000000
	ewkbM    = 0x40000000
	ewkbSRID = 0x20000000
)

// maxNesting is how deep collections may nest; real data nests one or
// two levels, and a bound keeps a hostile blob from exhausting the stack.
const maxNesting = 32

// wkbReader reads ISO WKB (and EWKB) into orb geometries, keeping x and y
// and dropping z and m.
//
// It is written here rather than taken from a library for two reasons.
// go-geom's decoder allocates whatever element count a blob claims before
// checking that the bytes are there, so a 20-byte blob claiming four
// billion points asks for 64 GB; and both go-geom's and orb's decoders
// allocate per ring and point, which made reading the polygons of a big
// GeoPackage three times slower than rendering them. This reader checks
// every count against the bytes left before allocating and cuts points
// from shared blocks; its fuzz test compares it with go-geom's decoder on
// every input both accept.
type wkbReader struct {
	data  []byte
	pos   int
	pts   *pointBlocks
	depth int
}

// readWKB decodes one WKB geometry that must fill data exactly. An empty
// geometry decodes to nil.
func readWKB(data []byte, pts *pointBlocks) (orb.Geometry, error) {
	r := wkbReader{data: data, pts: pts}
	g, err := r.geometry(0)
	if err != nil {
		return nil, err
	}
	if r.pos != len(data) {
		return nil, fmt.Errorf("%w: %d bytes after the geometry", ErrGeometryBlob, len(data)-r.pos)
	}
	if isEmpty(g) {
		return nil, nil
	}
	return g, nil
}

// wkbHeader is what precedes every WKB geometry.
type wkbHeader struct {
	little bool
	kind   uint32 // 1..7
	dims   int    // ordinates per position: 2, 3 or 4
}

func (r *wkbReader) fail(format string, args ...any) error {
	return fmt.Errorf("%w: at byte %d: %s", ErrGeometryBlob, r.pos, fmt.Sprintf(format, args...))
}

func (r *wkbReader) header() (wkbHeader, error) {
	var h wkbHeader
	if len(r.data)-r.pos < 5 {
		return h, r.fail("truncated geometry header")
	}
	switch r.data[r.pos] {
	case 0:
	case 1:
		h.little = true
	default:
		return h, r.fail("byte order %d is neither 0 nor 1", r.data[r.pos])
	}
	r.pos++
	code := r.uint32(h.little)
	h.dims = 2
	if code&ewkbZ != 0 {
		h.dims++
	}
	if code&ewkbM != 0 {
		h.dims++
	}
	if code&ewkbSRID != 0 {
		if len(r.data)-r.pos < 4 {
			return h, r.fail("truncated SRID")
		}
		r.pos += 4
	}
	code &^= ewkbZ | ewkbM | ewkbSRID
	switch code / 1000 {
	case 0:
	case 1, 2:
		h.dims++
	case 3:
		h.dims += 2
	default:
		return h, r.fail("unknown geometry type %d", code)
	}
	h.kind = code % 1000
	if h.kind < wkbPoint || h.kind > wkbGeometryCollection || h.dims > 4 {
		return h, r.fail("unsupported geometry type %d", code)
	}
	return h, nil
}

// uint32 reads 4 bytes the caller has checked are there.
func (r *wkbReader) uint32(little bool) uint32 {
	b := r.data[r.pos : r.pos+4]
	r.pos += 4
	if little {
		return binary.LittleEndian.Uint32(b)
	}
	return binary.BigEndian.Uint32(b)
}

// count reads an element count and checks that at least min bytes per
// element are left, so that no count can make the reader allocate more
// than the blob could fill.
func (r *wkbReader) count(little bool, what string, min int) (int, error) {
	if len(r.data)-r.pos < 4 {
		return 0, r.fail("truncated %s count", what)
	}
	n := int(r.uint32(little))
	if left := len(r.data) - r.pos; n > left/min {
		return 0, r.fail("%d %s claimed, the %d bytes left hold at most %d", n, what, left, left/min)
	}
	return n, nil
}

// positions reads n positions of dims ordinates into a slice of points.
func (r *wkbReader) positions(little bool, n, dims int) []orb.Point {
	pts := r.pts.take(n)
	step := 8 * dims
	b := r.data[r.pos : r.pos+n*step]
	r.pos += n * step
	if little && dims == 2 && littleEndianHost && n > 0 {
		// Little-endian x, y pairs are laid out as orb.Points are in
		// memory on a little-endian machine: one copy takes them all,
		// ten times faster than decoding each ordinate.
		copy(unsafe.Slice((*byte)(unsafe.Pointer(&pts[0])), len(b)), b)
		return pts
	}
	for i := range pts {
		p := b[i*step:]
		if little {
			pts[i] = orb.Point{
				math.Float64frombits(binary.LittleEndian.Uint64(p)),
				math.Float64frombits(binary.LittleEndian.Uint64(p[8:])),
			}
		} else {
			pts[i] = orb.Point{
				math.Float64frombits(binary.BigEndian.Uint64(p)),
				math.Float64frombits(binary.BigEndian.Uint64(p[8:])),
			}
		}
	}
	return pts
}

func (r *wkbReader) geometry(depth int) (orb.Geometry, error) {
	if depth > maxNesting {
		return nil, r.fail("collections nested more than %d deep", maxNesting)
	}
	h, err := r.header()
	if err != nil {
		return nil, err
	}
	switch h.kind {
	case wkbPoint:
		if len(r.data)-r.pos < 8*h.dims {
			return nil, r.fail("truncated point")
		}
		b := r.data[r.pos:]
		r.pos += 8 * h.dims
		if h.little {
			return orb.Point{
				math.Float64frombits(binary.LittleEndian.Uint64(b)),
				math.Float64frombits(binary.LittleEndian.Uint64(b[8:])),
			}, nil
		}
		return orb.Point{
			math.Float64frombits(binary.BigEndian.Uint64(b)),
			math.Float64frombits(binary.BigEndian.Uint64(b[8:])),
		}, nil
	case wkbLineString:
		n, err := r.count(h.little, "positions", 8*h.dims)
		if err != nil {
			return nil, err
		}
		return orb.LineString(r.positions(h.little, n, h.dims)), nil
	case wkbPolygon:
		return r.polygon(h)
	case wkbMultiPoint:
		n, err := r.count(h.little, "points", 5)
		if err != nil {
			return nil, err
		}
		mp := make(orb.MultiPoint, 0, n)
		for range n {
			g, err := r.member(depth, wkbPoint)
			if err != nil {
				return nil, err
			}
			if p := g.(orb.Point); !math.IsNaN(p[0]) && !math.IsNaN(p[1]) {
				mp = append(mp, p)
			}
		}
		return mp, nil
	case wkbMultiLineString:
		n, err := r.count(h.little, "line strings", 9)
		if err != nil {
			return nil, err
		}
		mls := make(orb.MultiLineString, n)
		for i := range mls {
			g, err := r.member(depth, wkbLineString)
			if err != nil {
				return nil, err
			}
			mls[i] = g.(orb.LineString)
		}
		return mls, nil
	case wkbMultiPolygon:
		n, err := r.count(h.little, "polygons", 9)
		if err != nil {
			return nil, err
		}
		mp := make(orb.MultiPolygon, n)
		for i := range mp {
			g, err := r.member(depth, wkbPolygon)
			if err != nil {
				return nil, err
			}
			mp[i] = g.(orb.Polygon)
		}
		return mp, nil
	default: // wkbGeometryCollection
		n, err := r.count(h.little, "geometries", 9)
		if err != nil {
			return nil, err
		}
		c := make(orb.Collection, 0, n)
		for range n {
			g, err := r.geometry(depth + 1)
			if err != nil {
				return nil, err
			}
			if !isEmpty(g) {
				c = append(c, g)
			}
		}
		return c, nil
	}
}

// member reads a member of a multi-geometry, which must be of one kind.
func (r *wkbReader) member(depth int, kind uint32) (orb.Geometry, error) {
	at := r.pos
	g, err := r.geometry(depth + 1)
	if err != nil {
		return nil, err
	}
	var ok bool
	switch kind {
	case wkbPoint:
		_, ok = g.(orb.Point)
	case wkbLineString:
		_, ok = g.(orb.LineString)
	case wkbPolygon:
		_, ok = g.(orb.Polygon)
	}
	if !ok {
		r.pos = at
		return nil, r.fail("a %s holds a %T", wkbTypeName(kind+3), g)
	}
	return g, nil
}

func (r *wkbReader) polygon(h wkbHeader) (orb.Polygon, error) {
	n, err := r.count(h.little, "rings", 4)
	if err != nil {
		return nil, err
	}
	p := make(orb.Polygon, n)
	for i := range p {
		m, err := r.count(h.little, "positions", 8*h.dims)
		if err != nil {
			return nil, err
		}
		p[i] = orb.Ring(r.positions(h.little, m, h.dims))
	}
	return p, nil
}

func wkbTypeName(kind uint32) string {
	switch kind {
	case wkbMultiPoint:
		return "MultiPoint"
	case wkbMultiLineString:
		return "MultiLineString"
	default:
		return "MultiPolygon"
	}
}

// isEmpty reports whether a decoded geometry has no position: a NaN
// point (WKB's empty point) or a geometry without points.
func isEmpty(g orb.Geometry) bool {
	switch g := g.(type) {
	case nil:
		return true
	case orb.Point:
		return math.IsNaN(g[0]) || math.IsNaN(g[1])
	case orb.MultiPoint:
		return len(g) == 0
	case orb.LineString:
		return len(g) == 0
	case orb.Polygon:
		return len(g) == 0 || len(g[0]) == 0
	case orb.MultiLineString:
		for _, ls := range g {
			if len(ls) > 0 {
				return false
			}
		}
		return true
	case orb.MultiPolygon:
		for _, p := range g {
			if !isEmpty(p) {
				return false
			}
		}
		return true
	case orb.Collection:
		return len(g) == 0
	default:
		return false
	}
}

// littleEndianHost reports whether this machine stores a float64 as
// little-endian WKB does.
var littleEndianHost = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// pointBlocks hands out runs of points cut from large blocks, so that a
// table of a million rings costs a few dozen allocations. A nil
// *pointBlocks allocates each run on its own.
type pointBlocks struct {
	block []orb.Point
}

// blockLen is the size of a block of points; a run longer than half of
// it gets an allocation of its own.
const blockLen = 1 << 14

func (b *pointBlocks) take(n int) []orb.Point {
	if b == nil || n > blockLen/2 {
		return make([]orb.Point, n)
	}
	if cap(b.block)-len(b.block) < n {
		b.block = make([]orb.Point, 0, blockLen)
	}
	start := len(b.block)
	b.block = b.block[:start+n]
	return b.block[start : start+n : start+n]
}
