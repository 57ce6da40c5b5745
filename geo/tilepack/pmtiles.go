package tilepack

import (
	"container/list"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"sync"

	"github.com/paulmach/orb"
)

// pmHeaderSize is the size of a PMTiles v3 header.
const pmHeaderSize = 127

// pmMaxDepth is the deepest chain of directories followed: the root and
// up to three levels of leaves, more than any writer makes.
const pmMaxDepth = 4

// pmLeafCacheSize is how many leaf directories a reader keeps parsed.
const pmLeafCacheSize = 64

// PMTiles compression codes.
const (
	pmCompressionUnknown = 0
	pmCompressionNone    = 1
	pmCompressionGzip    = 2
	pmCompressionBrotli  = 3
	pmCompressionZstd    = 4
)

// pmHeader is the fixed header of a PMTiles v3 archive.
type pmHeader struct {
	rootOffset, rootLength         uint64
	metadataOffset, metadataLength uint64
	leafOffset, leafLength         uint64
	dataOffset, dataLength         uint64
	addressedTiles                 uint64
	internalCompression            uint8
	tileCompression                uint8
	tileType                       uint8
	minZoom, maxZoom               uint8
	bounds                         orb.Bound
	centerZoom                     uint8
	center                         orb.Point
}

// pmEntry is a directory entry: RunLength tiles from TileID stored at
// Offset (from the tile data section), or, with RunLength 0, a leaf
// directory at Offset from the leaf section.
type pmEntry struct {
	TileID    uint64
	Offset    uint64
	Length    uint32
	RunLength uint32
}

// PMTiles is a PMTiles v3 archive opened for reading. It is safe for
// concurrent use.
type PMTiles struct {
	path   string
	r      io.ReaderAt
	size   int64
	h      pmHeader
	md     Metadata
	root   []pmEntry
	closer io.Closer

	mu     sync.Mutex
	leaves map[uint64]*list.Element // by offset in the file
	lru    list.List                // of *pmLeaf, most recent first
}

// pmLeaf is a parsed leaf directory in the cache.
type pmLeaf struct {
	offset  uint64
	entries []pmEntry
}

// OpenPMTiles opens a PMTiles file for reading.
func OpenPMTiles(path string) (*PMTiles, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	p, err := NewPMTiles(f, st.Size(), path)
	if err != nil {
		f.Close()
		return nil, err
	}
	p.closer = f
	return p, nil
}

// NewPMTiles reads the header, root directory and metadata of a PMTiles
// archive of size bytes from r; name is the file's name for messages.
// Closing the archive does not close r.
func NewPMTiles(r io.ReaderAt, size int64, name string) (*PMTiles, error) {
	p := &PMTiles{path: name, r: r, size: size, leaves: map[uint64]*list.Element{}}
	var buf [pmHeaderSize]byte
	if size < pmHeaderSize {
		return nil, fmt.Errorf("%s: %w: %d bytes is too short for a PMTiles header", name, ErrCorrupt, size)
	}
	if _, err := r.ReadAt(buf[:], 0); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	h, err := parsePMHeader(buf[:])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	p.h = h
	if err := p.checkSection("root directory", h.rootOffset, h.rootLength); err != nil {
		return nil, err
	}
	if err := p.checkSection("metadata", h.metadataOffset, h.metadataLength); err != nil {
		return nil, err
	}
	raw, err := p.read(h.rootOffset, h.rootLength)
	if err != nil {
		return nil, fmt.Errorf("%s: root directory: %w", name, err)
	}
	if p.root, err = p.directory(raw); err != nil {
		return nil, fmt.Errorf("%s: root directory: %w", name, err)
	}
	p.md = Metadata{
		Bounds:     h.bounds,
		Center:     h.center,
		CenterZoom: float64(h.centerZoom),
		HasCenter:  h.center != orb.Point{} || h.centerZoom != 0,
		MinZoom:    int(h.minZoom),
		MaxZoom:    int(h.maxZoom),
	}
	switch h.tileType {
	case 1:
		p.md.Format = FormatMVT
	case 2:
		p.md.Format = FormatPNG
	case 3:
		p.md.Format = FormatJPEG
	case 4:
		p.md.Format = FormatWebP
	case 5:
		return nil, fmt.Errorf("%s: %w: AVIF tiles", name, ErrUnsupported)
	}
	if h.metadataLength > 0 {
		raw, err := p.read(h.metadataOffset, h.metadataLength)
		if err != nil {
			return nil, fmt.Errorf("%s: metadata: %w", name, err)
		}
		if raw, err = decompress(raw, h.internalCompression); err != nil {
			return nil, fmt.Errorf("%s: metadata: %w", name, err)
		}
		var doc struct {
			Name        string `json:"name"`
			Description string `json:"description"`
			Attribution string `json:"attribution"`
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			return nil, fmt.Errorf("%s: metadata: %w: %v", name, ErrCorrupt, err)
		}
		p.md.Name, p.md.Description, p.md.Attribution = doc.Name, doc.Description, plainText(doc.Attribution)
		p.md.VectorLayers = vectorLayers(raw)
	}
	return p, nil
}

// parsePMHeader reads and checks the fixed header.
func parsePMHeader(b []byte) (pmHeader, error) {
	var h pmHeader
	if string(b[:7]) != "PMTiles" {
		return h, ErrNotPackage
	}
	if b[7] != 3 {
		return h, fmt.Errorf("%w: PMTiles version %d (only version 3 is read)", ErrUnsupported, b[7])
	}
	le := binary.LittleEndian
	u64 := func(at int) uint64 { return le.Uint64(b[at:]) }
	e7 := func(at int) float64 { return float64(int32(le.Uint32(b[at:]))) / 1e7 }
	h = pmHeader{
		rootOffset: u64(8), rootLength: u64(16),
		metadataOffset: u64(24), metadataLength: u64(32),
		leafOffset: u64(40), leafLength: u64(48),
		dataOffset: u64(56), dataLength: u64(64),
		addressedTiles:      u64(72),
		internalCompression: b[97],
		tileCompression:     b[98],
		tileType:            b[99],
		minZoom:             b[100],
		maxZoom:             b[101],
		bounds:              orb.Bound{Min: orb.Point{e7(102), e7(106)}, Max: orb.Point{e7(110), e7(114)}},
		centerZoom:          b[118],
		center:              orb.Point{e7(119), e7(123)},
	}
	if h.minZoom > h.maxZoom || h.maxZoom > MaxZoom {
		return h, fmt.Errorf("%w: zoom range %d..%d", ErrCorrupt, h.minZoom, h.maxZoom)
	}
	for _, c := range []uint8{h.internalCompression, h.tileCompression} {
		switch c {
		case pmCompressionUnknown, pmCompressionNone, pmCompressionGzip:
		case pmCompressionBrotli:
			return h, fmt.Errorf("%w: Brotli compression", ErrUnsupported)
		case pmCompressionZstd:
			return h, fmt.Errorf("%w: Zstandard compression", ErrUnsupported)
		default:
			return h, fmt.Errorf("%w: compression code %d", ErrCorrupt, c)
		}
	}
	b0 := h.bounds
	if !(b0.Min[0] < b0.Max[0] && b0.Min[1] < b0.Max[1]) {
		h.bounds = worldBound
	} else {
		h.bounds.Min[0], h.bounds.Max[0] = max(b0.Min[0], -180), min(b0.Max[0], 180)
		h.bounds.Min[1], h.bounds.Max[1] = max(b0.Min[1], worldBound.Min[1]), min(b0.Max[1], worldBound.Max[1])
	}
	return h, nil
}

// checkSection checks that a section of the header lies within the file
// and is not too large to read.
func (p *PMTiles) checkSection(what string, offset, length uint64) error {
	if length > MaxTileBytes {
		return fmt.Errorf("%s: %s: %w: %d bytes", p.path, what, ErrTooLarge, length)
	}
	if offset > uint64(p.size) || length > uint64(p.size)-offset {
		return fmt.Errorf("%s: %s: %w: bytes %d..%d lie beyond the end of the file (%d bytes)", p.path, what, ErrCorrupt, offset, offset+length, p.size)
	}
	return nil
}

// read returns length bytes at offset, which must lie within the file.
func (p *PMTiles) read(offset, length uint64) ([]byte, error) {
	if length > MaxTileBytes {
		return nil, fmt.Errorf("%w: %d bytes", ErrTooLarge, length)
	}
	if offset > uint64(p.size) || length > uint64(p.size)-offset {
		return nil, fmt.Errorf("%w: bytes %d..%d lie beyond the end of the file", ErrCorrupt, offset, offset+length)
	}
	buf := make([]byte, length)
	n, err := p.r.ReadAt(buf, int64(offset))
	if n == len(buf) {
		return buf, nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return nil, err
}

// directory decompresses and decodes a directory.
func (p *PMTiles) directory(raw []byte) ([]pmEntry, error) {
	data, err := decompress(raw, p.h.internalCompression)
	if err != nil {
		return nil, err
	}
	return parseDirectory(data)
}

// parseDirectory decodes a serialized directory: the number of entries,
// then the columns of delta-coded tile ids, run lengths, lengths and
// offsets, all varints.
func parseDirectory(data []byte) ([]pmEntry, error) {
	pos := 0
	next := func() (uint64, error) {
		v, n := binary.Uvarint(data[pos:])
		if n <= 0 {
			return 0, fmt.Errorf("%w: directory: bad varint at byte %d", ErrCorrupt, pos)
		}
		pos += n
		return v, nil
	}
	count, err := next()
	if err != nil {
		return nil, err
	}
	// Every entry takes at least one byte in each of the four columns.
	if count == 0 || count > uint64(len(data)-pos)/4 {
		return nil, fmt.Errorf("%w: directory claims %d entries in %d bytes", ErrCorrupt, count, len(data))
	}
	entries := make([]pmEntry, count)
	var id uint64
	for i := range entries {
		delta, err := next()
		if err != nil {
			return nil, err
		}
		if i > 0 && delta == 0 || id+delta < id {
			return nil, fmt.Errorf("%w: directory: tile ids out of order at entry %d", ErrCorrupt, i+1)
		}
		id += delta
		entries[i].TileID = id
	}
	for i := range entries {
		v, err := next()
		if err != nil {
			return nil, err
		}
		if v > 1<<32-1 {
			return nil, fmt.Errorf("%w: directory: run length %d at entry %d", ErrCorrupt, v, i+1)
		}
		entries[i].RunLength = uint32(v)
	}
	for i := range entries {
		v, err := next()
		if err != nil {
			return nil, err
		}
		if v == 0 || v > 1<<32-1 {
			return nil, fmt.Errorf("%w: directory: length %d at entry %d", ErrCorrupt, v, i+1)
		}
		entries[i].Length = uint32(v)
	}
	for i := range entries {
		v, err := next()
		if err != nil {
			return nil, err
		}
		switch {
		case v > 0:
			entries[i].Offset = v - 1
		case i == 0:
			return nil, fmt.Errorf("%w: directory: the first entry continues no entry", ErrCorrupt)
		default:
			entries[i].Offset = entries[i-1].Offset + uint64(entries[i-1].Length)
		}
	}
	return entries, nil
}

// findEntry returns the entry covering a tile id: a tile entry whose run
// includes it, or the leaf directory whose range may hold it.
func findEntry(entries []pmEntry, id uint64) (pmEntry, bool) {
	// The last entry starting at or before id.
	i := sort.Search(len(entries), func(i int) bool { return entries[i].TileID > id }) - 1
	if i < 0 {
		return pmEntry{}, false
	}
	e := entries[i]
	if e.RunLength == 0 || id-e.TileID < uint64(e.RunLength) {
		return e, true
	}
	return pmEntry{}, false
}

// Metadata returns what the archive says about itself.
func (p *PMTiles) Metadata() Metadata { return p.md }

// Path returns the archive's file name.
func (p *PMTiles) Path() string { return p.path }

// AddressedTiles returns the number of tiles the header says the archive
// addresses (0 if the writer did not count them).
func (p *PMTiles) AddressedTiles() uint64 { return p.h.addressedTiles }

// Tile returns the bytes of a tile, decompressed if the archive's tile
// compression is gzip; nil if the archive does not have it.
func (p *PMTiles) Tile(ctx context.Context, id ID) ([]byte, error) {
	if !id.Valid() || id.Z < int(p.h.minZoom) || id.Z > int(p.h.maxZoom) {
		return nil, nil
	}
	tileID := HilbertID(id)
	entries := p.root
	for range pmMaxDepth {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		e, ok := findEntry(entries, tileID)
		if !ok {
			return nil, nil
		}
		if e.RunLength > 0 {
			return p.tileData(id, e)
		}
		var err error
		if entries, err = p.leaf(e); err != nil {
			return nil, &TileError{Path: p.path, Tile: id, Err: err}
		}
	}
	return nil, &TileError{Path: p.path, Tile: id, Err: fmt.Errorf("%w: directories nested deeper than %d", ErrCorrupt, pmMaxDepth)}
}

// tileData reads a tile entry's bytes.
func (p *PMTiles) tileData(id ID, e pmEntry) ([]byte, error) {
	if e.Offset > p.h.dataLength || uint64(e.Length) > p.h.dataLength-e.Offset {
		return nil, &TileError{Path: p.path, Tile: id, Err: fmt.Errorf("%w: tile lies beyond the tile data section", ErrCorrupt)}
	}
	raw, err := p.read(p.h.dataOffset+e.Offset, uint64(e.Length))
	if err != nil {
		return nil, &TileError{Path: p.path, Tile: id, Err: err}
	}
	data, err := decompress(raw, p.h.tileCompression)
	if err != nil {
		return nil, &TileError{Path: p.path, Tile: id, Err: err}
	}
	return data, nil
}

// leaf returns the entries of the leaf directory an entry points to,
// from the cache or read and parsed.
func (p *PMTiles) leaf(e pmEntry) ([]pmEntry, error) {
	if e.Offset > p.h.leafLength || uint64(e.Length) > p.h.leafLength-e.Offset {
		return nil, fmt.Errorf("%w: leaf directory lies beyond the leaf section", ErrCorrupt)
	}
	offset := p.h.leafOffset + e.Offset
	p.mu.Lock()
	if el, ok := p.leaves[offset]; ok {
		p.lru.MoveToFront(el)
		entries := el.Value.(*pmLeaf).entries
		p.mu.Unlock()
		return entries, nil
	}
	p.mu.Unlock()
	raw, err := p.read(offset, uint64(e.Length))
	if err != nil {
		return nil, err
	}
	entries, err := p.directory(raw)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.leaves[offset]; !ok {
		p.leaves[offset] = p.lru.PushFront(&pmLeaf{offset: offset, entries: entries})
		if p.lru.Len() > pmLeafCacheSize {
			last := p.lru.Back()
			p.lru.Remove(last)
			delete(p.leaves, last.Value.(*pmLeaf).offset)
		}
	}
	return entries, nil
}

// Close closes the file the archive was opened from by [Open] or
// [OpenPMTiles].
func (p *PMTiles) Close() error {
	if p.closer != nil {
		return p.closer.Close()
	}
	return nil
}

// HilbertID returns the PMTiles tile id of a tile: the number of tiles at
// lower zooms plus the tile's position along the Hilbert curve that
// covers its zoom.
func HilbertID(id ID) uint64 {
	z := uint(id.Z)
	base := ((uint64(1) << (2 * z)) - 1) / 3
	n := uint64(1) << z
	x, y := uint64(id.X), uint64(id.Y)
	var d uint64
	for s := n / 2; s > 0; s /= 2 {
		var rx, ry uint64
		if x&s != 0 {
			rx = 1
		}
		if y&s != 0 {
			ry = 1
		}
		d += s * s * ((3 * rx) ^ ry)
		// Rotate the quadrant so the curve's lower levels line up.
		if ry == 0 {
			if rx == 1 {
				x, y = n-1-x, n-1-y
			}
			x, y = y, x
		}
	}
	return base + d
}
