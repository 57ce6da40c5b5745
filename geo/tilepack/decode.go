package tilepack

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"io"
	"strconv"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/mercator"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"golang.org/x/image/webp"
)

// decompress undoes a PMTiles compression.
func decompress(data []byte, code uint8) ([]byte, error) {
	if code == pmCompressionGzip {
		return inflate(data)
	}
	return data, nil
}

// isGzip reports whether data starts with the gzip signature.
func isGzip(data []byte) bool { return len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b }

// inflate decompresses gzip data, refusing to inflate past
// MaxInflatedBytes.
func inflate(data []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: gzip: %v", ErrCorrupt, err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, MaxInflatedBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: gzip: %v", ErrCorrupt, err)
	}
	if len(out) > MaxInflatedBytes {
		return nil, fmt.Errorf("%w: gzip data inflates past %d bytes", ErrTooLarge, MaxInflatedBytes)
	}
	return out, nil
}

// DecodeImage decodes a raster tile (PNG, JPEG or WebP, told apart by
// their signatures) into premultiplied RGBA pixels. Images that are not
// square, or wider than MaxImageSide, are refused before their pixels are
// decoded.
func DecodeImage(data []byte) (*image.RGBA, error) {
	var (
		decode func(io.Reader) (image.Image, error)
		config func(io.Reader) (image.Config, error)
	)
	switch Sniff(data) {
	case FormatPNG:
		decode, config = png.Decode, png.DecodeConfig
	case FormatJPEG:
		decode, config = jpeg.Decode, jpeg.DecodeConfig
	case FormatWebP:
		decode, config = webp.Decode, webp.DecodeConfig
	default:
		return nil, fmt.Errorf("%w: not a PNG, JPEG or WebP image", ErrCorrupt)
	}
	cfg, err := config(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if cfg.Width > MaxImageSide || cfg.Height > MaxImageSide {
		return nil, fmt.Errorf("%w: a %d×%d image", ErrTooLarge, cfg.Width, cfg.Height)
	}
	if cfg.Width != cfg.Height || cfg.Width <= 0 {
		return nil, fmt.Errorf("%w: a %d×%d image is not a square tile", ErrCorrupt, cfg.Width, cfg.Height)
	}
	img, err := decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return toRGBA(img), nil
}

// toRGBA converts an image to premultiplied RGBA with its origin at (0, 0).
func toRGBA(img image.Image) *image.RGBA {
	b := img.Bounds()
	if rgba, ok := img.(*image.RGBA); ok && b.Min == (image.Point{}) {
		return rgba
	}
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	if p, ok := img.(*image.Paletted); ok {
		// PNG tiles are often paletted, which image/draw converts pixel
		// by pixel through the colour interface.
		var lut [256][4]uint8
		for i, c := range p.Palette {
			r, g, bl, a := c.RGBA()
			lut[i] = [4]uint8{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), uint8(a >> 8)}
		}
		for y := range b.Dy() {
			src := p.Pix[y*p.Stride : y*p.Stride+b.Dx()]
			row := dst.Pix[y*dst.Stride : y*dst.Stride+4*b.Dx()]
			for x, ci := range src {
				copy(row[4*x:4*x+4], lut[ci][:])
			}
		}
		return dst
	}
	draw.Draw(dst, dst.Rect, img, b.Min, draw.Src)
	return dst
}

// VectorTile is a decoded vector tile: the features of each of its
// layers, in lon/lat.
type VectorTile struct {
	// Tile is where the tile lies in the pyramid.
	Tile ID
	// Layers holds each layer's features by the layer's name.
	Layers map[string][]layer.Feature
	// Vertices is the number of points of all the features, a measure of
	// the tile's size in memory.
	Vertices int
}

// DecodeVector decodes a Mapbox vector tile, gzip-compressed or not, for
// tile id: features are projected from the tile's grid back to lon/lat.
// A feature's ID is its MVT id in decimal where it has one (ids name the
// same feature across tiles), otherwise "Z/X/Y:layer#N", N counting from 1.
// Property values are strings, float64 numbers and booleans.
func DecodeVector(data []byte, id ID) (*VectorTile, error) {
	if !id.Valid() {
		return nil, fmt.Errorf("%w: tile %v is outside the pyramid", ErrCorrupt, id)
	}
	if isGzip(data) {
		var err error
		if data, err = inflate(data); err != nil {
			return nil, err
		}
	}
	layers, err := unmarshalMVT(data)
	if err != nil {
		return nil, err
	}
	vt := &VectorTile{Tile: id, Layers: make(map[string][]layer.Feature, len(layers))}
	for _, l := range layers {
		if l.Extent == 0 {
			return nil, fmt.Errorf("%w: layer %q has extent 0", ErrCorrupt, l.Name)
		}
		// The tile's grid: extent units a side, from the tile's
		// north-west corner.
		n := float64(uint64(1) << id.Z)
		e := float64(l.Extent)
		x0, y0 := float64(id.X), float64(id.Y)
		toLonLat := func(p orb.Point) orb.Point {
			return orb.Point{mercator.Lon((x0 + p[0]/e) / n), mercator.Lat((y0 + p[1]/e) / n)}
		}
		features := vt.Layers[l.Name]
		for i, f := range l.Features {
			if f.Geometry == nil {
				continue
			}
			vt.Vertices += countPoints(f.Geometry)
			fid := ""
			if v, ok := f.ID.(float64); ok {
				fid = strconv.FormatUint(uint64(v), 10)
			} else {
				fid = id.String() + ":" + l.Name + "#" + strconv.Itoa(i+1)
			}
			// The decoder's geometry is new and the tile's own: it is
			// projected in place.
			if p, ok := f.Geometry.(orb.Point); ok {
				f.Geometry = toLonLat(p)
			} else {
				projectInPlace(f.Geometry, toLonLat)
			}
			features = append(features, layer.Feature{
				ID:         fid,
				Geometry:   f.Geometry,
				Properties: layer.PropertiesFromMap(f.Properties),
			})
		}
		vt.Layers[l.Name] = features
	}
	return vt, nil
}

// unmarshalMVT decodes the protocol buffer of a vector tile, turning a
// panic of the decoder into an error: orb's mvt.Unmarshal (v0.14.0)
// indexes past the end of a one-byte tile that fails to decode, as the
// fuzz corpus in testdata/fuzz/FuzzDecodeVector keeps showing.
func unmarshalMVT(data []byte) (layers mvt.Layers, err error) {
	defer func() {
		if r := recover(); r != nil {
			layers, err = nil, fmt.Errorf("%w: vector tile: %v", ErrCorrupt, r)
		}
	}()
	layers, err = mvt.Unmarshal(data)
	if err != nil {
		return nil, fmt.Errorf("%w: vector tile: %v", ErrCorrupt, err)
	}
	return layers, nil
}

// projectInPlace replaces every point of a geometry with fn of it; a
// lone orb.Point, being a value, is left as it is.
func projectInPlace(g orb.Geometry, fn func(orb.Point) orb.Point) {
	points := func(ps []orb.Point) {
		for i, p := range ps {
			ps[i] = fn(p)
		}
	}
	switch g := g.(type) {
	case orb.MultiPoint:
		points(g)
	case orb.LineString:
		points(g)
	case orb.MultiLineString:
		for _, l := range g {
			points(l)
		}
	case orb.Polygon:
		for _, r := range g {
			points(r)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				points(r)
			}
		}
	}
}

// countPoints returns the number of points of a geometry.
func countPoints(g orb.Geometry) int {
	switch g := g.(type) {
	case orb.Point:
		return 1
	case orb.MultiPoint:
		return len(g)
	case orb.LineString:
		return len(g)
	case orb.MultiLineString:
		n := 0
		for _, l := range g {
			n += len(l)
		}
		return n
	case orb.Polygon:
		n := 0
		for _, r := range g {
			n += len(r)
		}
		return n
	case orb.MultiPolygon:
		n := 0
		for _, p := range g {
			n += countPoints(p)
		}
		return n
	default:
		return 0
	}
}
