package tilepack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"math"
	"os"
	"regexp"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/mercator"
	"github.com/paulmach/orb"
)

// Limits on what a package may claim, so that a broken or hostile file
// cannot make the viewer allocate gigabytes.
const (
	// MaxTileBytes is the largest stored tile (or PMTiles directory or
	// metadata block) read.
	MaxTileBytes = 16 << 20
	// MaxInflatedBytes is the largest size gzip data is inflated to.
	MaxInflatedBytes = 64 << 20
	// MaxImageSide is the largest width or height of a raster tile.
	MaxImageSide = 4096
	// MaxZoom is the deepest zoom level a package may hold: 2^30 tiles a
	// side still fit the Hilbert tile ids of PMTiles.
	MaxZoom = 30
)

// Errors, to test with errors.Is. Errors returned by this package wrap
// one of them, with the file and the tile they concern.
var (
	// ErrNotPackage reports a file that is neither an MBTiles nor a
	// PMTiles archive.
	ErrNotPackage = errors.New("tilepack: not an MBTiles or PMTiles file")
	// ErrCorrupt reports a package, directory or tile whose bytes do not
	// decode.
	ErrCorrupt = errors.New("tilepack: corrupt data")
	// ErrTooLarge reports a tile, directory or image over the limits above.
	ErrTooLarge = errors.New("tilepack: too large")
	// ErrUnsupported reports a valid feature of a format this package does
	// not read, such as Brotli-compressed PMTiles.
	ErrUnsupported = errors.New("tilepack: unsupported")
	// ErrReadOnly reports a write to a package opened for reading.
	ErrReadOnly = errors.New("tilepack: package opened read-only")
)

// TileError is the error of reading or decoding one tile.
type TileError struct {
	// Path is the package's file.
	Path string
	// Tile is the tile that failed.
	Tile ID
	// Err is the cause, wrapping one of the package's sentinel errors or
	// a read error.
	Err error
}

// Error returns "FILE: tile Z/X/Y: cause".
func (e *TileError) Error() string { return fmt.Sprintf("%s: tile %v: %v", e.Path, e.Tile, e.Err) }

// Unwrap returns the cause.
func (e *TileError) Unwrap() error { return e.Err }

// ID is a tile's place in the XYZ pyramid of Web Mercator: at zoom Z the
// world is 2^Z tiles a side, X counting from the west and Y from the north
// (the slippy-map convention; MBTiles stores rows from the south, which
// its reader and writer convert).
type ID struct {
	Z, X, Y int
}

// String returns "Z/X/Y".
func (id ID) String() string { return fmt.Sprintf("%d/%d/%d", id.Z, id.X, id.Y) }

// Valid reports whether the tile exists in the pyramid.
func (id ID) Valid() bool {
	if id.Z < 0 || id.Z > MaxZoom {
		return false
	}
	n := 1 << id.Z
	return id.X >= 0 && id.Y >= 0 && id.X < n && id.Y < n
}

// WorldBound returns the tile's extent in world coordinates (the unit
// square of package mercator, y growing south).
func (id ID) WorldBound() orb.Bound {
	n := math.Exp2(float64(id.Z))
	return orb.Bound{
		Min: orb.Point{float64(id.X) / n, float64(id.Y) / n},
		Max: orb.Point{float64(id.X+1) / n, float64(id.Y+1) / n},
	}
}

// Bound returns the tile's extent in lon/lat.
func (id ID) Bound() orb.Bound { return mercator.UnprojectBound(id.WorldBound()) }

// Range is a rectangle of tiles at one zoom: columns MinX..MaxX and rows
// MinY..MaxY, inclusive.
type Range struct {
	Z                      int
	MinX, MinY, MaxX, MaxY int
}

// RangeOf returns the tiles at zoom z that cover a lon/lat bound, clamped
// to the world. Latitudes beyond Web Mercator's are clamped too.
func RangeOf(b orb.Bound, z int) Range {
	n := 1 << z
	wb := mercator.ProjectBound(b)
	clamp := func(v float64) int { return min(max(int(math.Floor(v*float64(n))), 0), n-1) }
	// A bound whose east or south edge falls exactly on a tile edge does
	// not reach into the next tile.
	below := func(v float64) float64 { return math.Nextafter(v, math.Inf(-1)) }
	r := Range{Z: z, MinX: clamp(wb.Min[0]), MinY: clamp(wb.Min[1])}
	r.MaxX = max(clamp(below(wb.Max[0])), r.MinX)
	r.MaxY = max(clamp(below(wb.Max[1])), r.MinY)
	return r
}

// Count returns the number of tiles in the range.
func (r Range) Count() int {
	if r.MaxX < r.MinX || r.MaxY < r.MinY {
		return 0
	}
	return (r.MaxX - r.MinX + 1) * (r.MaxY - r.MinY + 1)
}

// Contains reports whether the range holds a tile.
func (r Range) Contains(id ID) bool {
	return id.Z == r.Z && id.X >= r.MinX && id.X <= r.MaxX && id.Y >= r.MinY && id.Y <= r.MaxY
}

// Format is what a package's tiles are.
type Format string

// Tile formats, named as MBTiles' "format" metadata names them.
const (
	FormatUnknown Format = ""
	FormatPNG     Format = "png"
	FormatJPEG    Format = "jpg"
	FormatWebP    Format = "webp"
	// FormatMVT is Mapbox vector tiles, gzip-compressed or not.
	FormatMVT Format = "pbf"
)

// IsVector reports whether tiles of the format are vector tiles.
func (f Format) IsVector() bool { return f == FormatMVT }

// parseFormat reads a format name as MBTiles writers spell it.
func parseFormat(s string) Format {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "png":
		return FormatPNG
	case "jpg", "jpeg":
		return FormatJPEG
	case "webp":
		return FormatWebP
	case "pbf", "mvt":
		return FormatMVT
	default:
		return FormatUnknown
	}
}

// Sniff returns the format of a tile's bytes from their first bytes: the
// PNG, JPEG and WebP signatures, and anything gzip-compressed or starting
// with a protocol-buffer layer field taken for a vector tile.
func Sniff(data []byte) Format {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return FormatPNG
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return FormatJPEG
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return FormatWebP
	case bytes.HasPrefix(data, []byte{0x1f, 0x8b}):
		return FormatMVT
	case len(data) > 0 && data[0] == 0x1a: // field 3 (layers), length-delimited
		return FormatMVT
	default:
		return FormatUnknown
	}
}

// Metadata describes a package.
type Metadata struct {
	// Name is the package's title; Description a longer text.
	Name, Description string
	// Attribution is the credit line, as plain text (HTML tags that
	// MBTiles writers put there are removed).
	Attribution string
	// Format is the tiles' format.
	Format Format
	// Bounds is the lon/lat extent of the tiles; the whole Web Mercator
	// world when the package does not say.
	Bounds orb.Bound
	// Center is a lon/lat point and zoom to open the package at, if the
	// package suggests one (HasCenter).
	Center     orb.Point
	CenterZoom float64
	HasCenter  bool
	// MinZoom and MaxZoom are the zoom levels the package has tiles for.
	MinZoom, MaxZoom int
	// VectorLayers are the names of a vector package's layers, from its
	// TileJSON "vector_layers"; empty for raster packages or when not
	// listed.
	VectorLayers []string
}

// worldBound is the lon/lat extent of Web Mercator.
var worldBound = orb.Bound{Min: orb.Point{-180, -mercator.MaxLatitude}, Max: orb.Point{180, mercator.MaxLatitude}}

// tagPattern matches an HTML tag.
var tagPattern = regexp.MustCompile(`<[^>]*>`)

// plainText returns an attribution without HTML tags and entities, its
// spaces collapsed.
func plainText(s string) string {
	s = html.UnescapeString(tagPattern.ReplaceAllString(s, ""))
	return strings.Join(strings.Fields(s), " ")
}

// Archive is a tile package opened for reading. Implementations are safe
// for concurrent use.
type Archive interface {
	// Metadata returns what the package says about itself.
	Metadata() Metadata
	// Tile returns the bytes of a tile, with the archive-level compression
	// of PMTiles undone (vector tiles may still be gzip-compressed, as
	// MBTiles stores them). A tile the package does not have gives nil
	// bytes and a nil error; a failed read gives a *TileError.
	Tile(ctx context.Context, id ID) ([]byte, error)
	// Path returns the file the archive was opened from, for messages.
	Path() string
	// Close releases the file.
	Close() error
}

// Open opens a tile package file for reading, MBTiles or PMTiles according
// to its first bytes.
func Open(path string) (Archive, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	var magic [16]byte
	n, err := io.ReadFull(f, magic[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	switch {
	case isSQLite(magic[:n]):
		f.Close()
		return OpenMBTiles(path)
	case isPMTiles(magic[:n]):
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
	default:
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, ErrNotPackage)
	}
}

// OpenFS opens a tile package from a file system (such as a style's data
// folder or embedded assets), MBTiles or PMTiles according to its first
// bytes. PMTiles files are read in place when the file system's files
// implement [io.ReaderAt] (os.DirFS and embed.FS files do), and read whole
// into memory otherwise.
func OpenFS(fsys fs.FS, name string) (Archive, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	var magic [16]byte
	n, err := io.ReadFull(f, magic[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		f.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	switch {
	case isSQLite(magic[:n]):
		f.Close()
		return openMBTilesFS(fsys, name)
	case isPMTiles(magic[:n]):
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		ra, ok := f.(io.ReaderAt)
		if !ok {
			f.Close()
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, err
			}
			return NewPMTiles(bytes.NewReader(data), int64(len(data)), name)
		}
		p, err := NewPMTiles(ra, st.Size(), name)
		if err != nil {
			f.Close()
			return nil, err
		}
		p.closer = f
		return p, nil
	default:
		f.Close()
		return nil, fmt.Errorf("%s: %w", name, ErrNotPackage)
	}
}

func isSQLite(b []byte) bool { return bytes.HasPrefix(b, []byte("SQLite format 3\x00")) }

func isPMTiles(b []byte) bool { return bytes.HasPrefix(b, []byte("PMTiles")) }
