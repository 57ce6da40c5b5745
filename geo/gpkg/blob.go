package gpkg

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/ecoatlas/ecoatlas/geo/internal/geomconv"
	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom/encoding/wkb"
	"github.com/twpayne/go-geom/encoding/wkbcommon"
)

// A geometry value in a GeoPackage feature table is a GeoPackage binary
// blob (GeoPackage 1.3, clause 2.1.3): a header, then the geometry as
// ISO well-known binary (WKB).
//
//	 offset  0    1    2         3        4         8           8+E
//	       +----+----+---------+--------+---------+-----------+----------
//	       | 'G'| 'P'| version | flags  | srs_id  | envelope  | WKB ...
//	       |0x47|0x50|  0 = 1  |        | int32   | E bytes   |
//	       +----+----+---------+--------+---------+-----------+----------
//
//	flags   bit   7   6   5   4   3   2   1   0
//	            +---+---+---+---+---+---+---+---+
//	            | 0 | 0 | X | Y |     E     | B |
//	            +---+---+---+---+---+---+---+---+
//	  X  1 for the extended format of a registered extension (refused here)
//	  Y  1 when the geometry is empty
//	  E  envelope: 0 none, 1 minx maxx miny maxy (32 bytes),
//	     2 adds minz maxz (48), 3 adds minm maxm (48), 4 both (64)
//	  B  byte order of srs_id and envelope: 0 big-endian, 1 little-endian
//
// The envelope is float64s in the order minx, maxx, miny, maxy, then z,
// then m. The WKB carries its own byte order. An empty point is a WKB point
// whose coordinates are NaN.

// Header bits.
const (
	flagLittleEndian = 0x01
	flagEnvelopeMask = 0x0e
	flagEmpty        = 0x10
	flagExtended     = 0x20
	headerFixedSize  = 8
)

// envelopeSizes is the envelope length, in bytes, for each value of the
// E bits; E values 5 to 7 are invalid.
var envelopeSizes = [8]int{0, 32, 48, 48, 64, -1, -1, -1}

// Geometry is a decoded GeoPackage geometry blob.
type Geometry struct {
	// Geometry is the geometry in the table's coordinates, Z and M
	// dropped; nil for an empty geometry.
	Geometry orb.Geometry
	// SRSID is the srs_id the blob declares.
	SRSID int32
	// Envelope is the x/y envelope stored in the header, or the
	// geometry's bound when the header has none; zero when empty.
	Envelope orb.Bound
}

// header is the fixed part of a blob header and its envelope.
type header struct {
	srsID     int32
	empty     bool
	envelope  orb.Bound
	hasBounds bool
	size      int // header length, envelope included: where the WKB starts
}

// readHeader parses and checks a blob's header.
func readHeader(blob []byte) (header, error) {
	var h header
	if len(blob) < headerFixedSize {
		return h, fmt.Errorf("%w: %d bytes, a header needs %d", ErrGeometryBlob, len(blob), headerFixedSize)
	}
	if blob[0] != 'G' || blob[1] != 'P' {
		return h, fmt.Errorf("%w: starts with %#x %#x, not \"GP\"", ErrGeometryBlob, blob[0], blob[1])
	}
	if blob[2] != 0 {
		return h, fmt.Errorf("%w: version %d (only version 1, stored as 0, exists)", ErrGeometryBlob, blob[2])
	}
	flags := blob[3]
	if flags&flagExtended != 0 {
		return h, fmt.Errorf("%w: extended geometry of an unregistered extension", ErrGeometryBlob)
	}
	var order binary.ByteOrder = binary.BigEndian
	if flags&flagLittleEndian != 0 {
		order = binary.LittleEndian
	}
	h.srsID = int32(order.Uint32(blob[4:8]))
	h.empty = flags&flagEmpty != 0
	envSize := envelopeSizes[(flags&flagEnvelopeMask)>>1]
	if envSize < 0 {
		return h, fmt.Errorf("%w: invalid envelope code %d", ErrGeometryBlob, (flags&flagEnvelopeMask)>>1)
	}
	h.size = headerFixedSize + envSize
	if len(blob) < h.size {
		return h, fmt.Errorf("%w: %d bytes, the header with its envelope needs %d", ErrGeometryBlob, len(blob), h.size)
	}
	if envSize > 0 {
		f := func(i int) float64 { return math.Float64frombits(order.Uint64(blob[8+8*i:])) }
		h.envelope = orb.Bound{Min: orb.Point{f(0), f(2)}, Max: orb.Point{f(1), f(3)}}
		h.hasBounds = !math.IsNaN(f(0)) && !math.IsNaN(f(1)) && !math.IsNaN(f(2)) && !math.IsNaN(f(3))
	}
	return h, nil
}

// DecodeGeometry decodes a GeoPackage geometry blob. A nil blob (a NULL
// geometry) decodes to the zero Geometry.
func DecodeGeometry(blob []byte) (Geometry, error) {
	return decodeGeometry(blob, nil)
}

// decodeGeometry decodes a blob, cutting points from pts when it is not nil.
func decodeGeometry(blob []byte, pts *pointBlocks) (Geometry, error) {
	if blob == nil {
		return Geometry{}, nil
	}
	h, err := readHeader(blob)
	if err != nil {
		return Geometry{}, err
	}
	g, err := readWKB(blob[h.size:], pts)
	if err != nil {
		return Geometry{}, err
	}
	out := Geometry{Geometry: g, SRSID: h.srsID}
	switch {
	case g == nil:
	case h.hasBounds:
		out.Envelope = h.envelope
	default:
		out.Envelope = g.Bound()
	}
	return out, nil
}

// EncodeGeometry encodes a geometry as a GeoPackage blob with an srs_id.
// Points are written without an envelope and other geometries with their
// x/y envelope, as GDAL does. A nil geometry encodes to nil (SQL NULL).
func EncodeGeometry(g orb.Geometry, srsID int32) ([]byte, error) {
	if g == nil {
		return nil, nil
	}
	if p, ok := g.(orb.Point); ok && !math.IsNaN(p[0]) && !math.IsNaN(p[1]) {
		// A point, every geometry of a store of sites: its 21 bytes of
		// WKB are written here, saving go-geom's two allocations.
		blob := make([]byte, headerFixedSize+21)
		blob[0], blob[1], blob[2], blob[3] = 'G', 'P', 0, flagLittleEndian
		binary.LittleEndian.PutUint32(blob[4:], uint32(srsID))
		blob[8] = 1 // little-endian WKB
		binary.LittleEndian.PutUint32(blob[9:], wkbPoint)
		binary.LittleEndian.PutUint64(blob[13:], math.Float64bits(p[0]))
		binary.LittleEndian.PutUint64(blob[21:], math.Float64bits(p[1]))
		return blob, nil
	}
	gg, err := geomconv.ToGeom(g)
	if err != nil {
		return nil, err
	}
	body, err := wkb.Marshal(gg, wkb.NDR, wkbcommon.WKBOptionEmptyPointHandling(wkbcommon.EmptyPointHandlingNaN))
	if err != nil {
		return nil, fmt.Errorf("gpkg: encoding %T: %w", g, err)
	}
	flags := byte(flagLittleEndian)
	var envelope []float64
	switch {
	case gg.Empty():
		flags |= flagEmpty
	case !isPoint(g):
		b := g.Bound()
		flags |= 1 << 1
		envelope = []float64{b.Min[0], b.Max[0], b.Min[1], b.Max[1]}
	}
	blob := make([]byte, headerFixedSize+8*len(envelope), headerFixedSize+8*len(envelope)+len(body))
	blob[0], blob[1], blob[2], blob[3] = 'G', 'P', 0, flags
	binary.LittleEndian.PutUint32(blob[4:], uint32(srsID))
	for i, v := range envelope {
		binary.LittleEndian.PutUint64(blob[8+8*i:], math.Float64bits(v))
	}
	return append(blob, body...), nil
}

func isPoint(g orb.Geometry) bool {
	_, ok := g.(orb.Point)
	return ok
}
