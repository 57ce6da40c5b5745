// Package tilepack reads and writes tile packages: MBTiles (an SQLite
// database, read and written through modernc.org/sqlite) and PMTiles v3 (a
// single file of Hilbert-ordered tiles, read over an [io.ReaderAt]), holding
// raster tiles (PNG, JPEG, WebP) or Mapbox vector tiles.
//
// Three layers of API, each usable alone:
//
//   - [Archive] is the small interface of a tile pyramid: its [Metadata]
//     and the raw bytes of a tile by [ID], with a context and an error.
//     [Open] picks the implementation from the file's first bytes;
//     [OpenMBTiles], [OpenPMTiles] and [OpenFS] name one. An [MBTilesWriter]
//     creates or extends an MBTiles file (the downloader of package fetch
//     writes through it).
//   - [DecodeImage] and [DecodeVector] turn a tile's bytes into pixels or
//     into [layer.Feature]s in lon/lat, the way every other source hands
//     features to the renderer, so vector tiles are styled with the same
//     style model as GeoJSON layers.
//   - [Tiles] wraps an archive with a byte-bounded cache of decoded tiles
//     shared by the render workers, and remembers which tiles failed, so a
//     corrupt tile costs one error the UI can show and not one per frame.
//
// Tile archives are not feature sources: a tile is addressed by zoom and
// position and holds a zoom-dependent generalisation of the data, so the
// renderer asks for the tiles of a view (package render's tiles.go) rather
// than for the features in a bound.
//
// The PMTiles reader is written here against the v3 specification rather
// than imported from github.com/protomaps/go-pmtiles, whose one package
// also holds a tile server and the cloud-bucket clients (about 600
// packages); it is tested on archives written by that project's CLI.
//
// Every read is bounded: a tile or directory claiming more than
// [MaxTileBytes] is refused before it is read, gzip data is inflated to at
// most [MaxInflatedBytes], and an image larger than [MaxImageSide] pixels
// on a side is refused before its pixels are decoded. Broken input gives an
// error naming the file and the tile, never a panic.
package tilepack
