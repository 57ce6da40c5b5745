// Package tiletest makes tile packages for tests and benchmarks: raster
// tiles whose pixels say where they are, vector tiles of a small made-up
// Central Asian map in the OpenMapTiles and Protomaps schemas, and MBTiles
// files holding them. Everything it makes is deterministic, so golden
// images drawn from it are stable.
package tiletest

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"

	"github.com/ecoatlas/ecoatlas/geo/mercator"
	"github.com/ecoatlas/ecoatlas/geo/tilepack"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/project"
)

// TileSize is the side of the raster tiles made here, in pixels.
const TileSize = 256

// Meridian and Parallel are the colours of a graticule tile's lines.
var (
	Meridian = color.NRGBA{200, 0, 0, 255}
	Parallel = color.NRGBA{0, 0, 200, 255}
)

// pixelOf returns the pixel of tile id, at size pixels a side, holding a
// world coordinate (x or y), as a fractional position from the tile's
// left (or top) edge.
func pixelOf(world float64, z, t, size int) float64 {
	return (world*math.Exp2(float64(z)) - float64(t)) * float64(size)
}

// Graticule returns a PNG tile of background bg with a one-pixel line at
// every multiple of step degrees of longitude (in Meridian) and latitude
// (in Parallel), each on the pixel that holds it, so a drawing of the tile
// can be checked for where it lands.
func Graticule(id tilepack.ID, bg color.NRGBA, step float64) []byte {
	pal := color.Palette{bg, Meridian, Parallel}
	img := image.NewPaletted(image.Rect(0, 0, TileSize, TileSize), pal)
	b := id.Bound()
	for lon := math.Ceil(b.Min[0]/step) * step; lon < b.Max[0]; lon += step {
		x := int(math.Floor(pixelOf(mercator.X(lon), id.Z, id.X, TileSize)))
		for y := range TileSize {
			img.SetColorIndex(x, y, 1)
		}
	}
	for lat := math.Ceil(b.Min[1]/step) * step; lat < b.Max[1]; lat += step {
		y := int(math.Floor(pixelOf(mercator.Y(lat), id.Z, id.Y, TileSize)))
		for x := range TileSize {
			img.SetColorIndex(x, y, 2)
		}
	}
	return encodePNG(img)
}

// WavePeriod is the period of Waves, in world units: 64 pixels of a
// zoom-5 tile.
const WavePeriod = 64.0 / (256 << 5)

// Wave returns the value of Waves' red channel at a world x (and of its
// green channel at a world y), before rounding: 128 ± 120 along a sine of
// period WavePeriod.
func Wave(world float64) float64 {
	return 128 + 120*math.Sin(2*math.Pi*world/WavePeriod)
}

// Waves returns a PNG tile whose red channel is Wave of the world x of
// each pixel's centre, green Wave of its world y, and blue 128. At zoom 5
// neighbouring pixels differ by up to 12 levels, so a drawing that
// magnifies the tile without interpolating shows steps where the true
// picture has none, and one that resamples it coarsely strays from Wave.
func Waves(id tilepack.ID) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, TileSize, TileSize))
	n := math.Exp2(float64(id.Z))
	for py := range TileSize {
		g := Wave((float64(id.Y) + (float64(py)+0.5)/TileSize) / n)
		for px := range TileSize {
			r := Wave((float64(id.X) + (float64(px)+0.5)/TileSize) / n)
			img.SetNRGBA(px, py, color.NRGBA{uint8(math.Round(r)), uint8(math.Round(g)), 128, 255})
		}
	}
	return encodePNG(img)
}

func encodePNG(img image.Image) []byte {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		panic(err) // encoding into memory does not fail
	}
	return buf.Bytes()
}

// extent is the grid of the vector tiles made here, and buffer how far
// beyond the tile, in grid units, their geometry reaches.
const (
	extent = 4096
	buffer = 128
)

// Vector returns the gzip-compressed Mapbox vector tile id of layers of
// lon/lat features, clipped to the tile and a buffer; features that miss
// it are left out, and so are layers left empty. It returns nil if no
// feature touches the tile.
func Vector(id tilepack.ID, layers map[string][]*geojson.Feature, names []string) []byte {
	n := math.Exp2(float64(id.Z))
	toTile := func(p orb.Point) orb.Point {
		return orb.Point{
			math.Round((mercator.X(p[0])*n - float64(id.X)) * extent),
			math.Round((mercator.Y(p[1])*n - float64(id.Y)) * extent),
		}
	}
	box := orb.Bound{Min: orb.Point{-buffer, -buffer}, Max: orb.Point{extent + buffer, extent + buffer}}
	var out mvt.Layers
	for _, name := range names {
		l := &mvt.Layer{Name: name, Version: 2, Extent: extent}
		for _, f := range layers[name] {
			g := clip.Geometry(box, project.Geometry(orb.Clone(f.Geometry), toTile))
			if g == nil || isEmpty(g) {
				continue
			}
			c := geojson.NewFeature(orient(g))
			c.ID, c.Properties = f.ID, f.Properties
			l.Features = append(l.Features, c)
		}
		if len(l.Features) > 0 {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return nil
	}
	data, err := mvt.MarshalGzipped(out)
	if err != nil {
		panic(fmt.Sprintf("tiletest: tile %v: %v", id, err))
	}
	return data
}

// orient winds polygon rings as the MVT specification wants them in tile
// coordinates (y down): outer rings with a positive area (clockwise on
// screen), holes with a negative one. Lon/lat rings wound the RFC 7946
// way come out the other way round once y is flipped.
func orient(g orb.Geometry) orb.Geometry {
	polygon := func(p orb.Polygon) {
		for i, r := range p {
			if want := i == 0; (r.Orientation() == orb.CCW) != want {
				r.Reverse()
			}
		}
	}
	switch g := g.(type) {
	case orb.Polygon:
		polygon(g)
	case orb.MultiPolygon:
		for _, p := range g {
			polygon(p)
		}
	}
	return g
}

// isEmpty reports whether a clipped geometry has no points left.
func isEmpty(g orb.Geometry) bool {
	switch g := g.(type) {
	case orb.MultiPoint:
		return len(g) == 0
	case orb.LineString:
		return len(g) < 2
	case orb.MultiLineString:
		return len(g) == 0
	case orb.Polygon:
		return len(g) == 0 || len(g[0]) < 4
	case orb.MultiPolygon:
		return len(g) == 0
	}
	return false
}

// Pyramid returns the tiles at zooms minZoom..maxZoom that cover a bound.
func Pyramid(b orb.Bound, minZoom, maxZoom int) []tilepack.ID {
	var ids []tilepack.ID
	for z := minZoom; z <= maxZoom; z++ {
		r := tilepack.RangeOf(b, z)
		for y := r.MinY; y <= r.MaxY; y++ {
			for x := r.MinX; x <= r.MaxX; x++ {
				ids = append(ids, tilepack.ID{Z: z, X: x, Y: y})
			}
		}
	}
	return ids
}

// WriteMBTiles writes an MBTiles file of the tiles make returns for ids
// (nil leaves a tile out), with metadata md.
func WriteMBTiles(path string, md tilepack.Metadata, ids []tilepack.ID, make func(tilepack.ID) []byte) error {
	w, err := tilepack.OpenMBTilesWriter(path, md)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if data := make(id); data != nil {
			if err := w.Put(context.Background(), id, data); err != nil {
				w.Close()
				return err
			}
		}
	}
	return w.Close()
}
