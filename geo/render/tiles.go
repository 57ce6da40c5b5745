package render

import (
	"context"
	"fmt"
	"image"
	"math"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/mercator"
	"github.com/ecoatlas/ecoatlas/geo/tilepack"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// Tile packages come at whole zoom levels and are drawn at any zoom.
//
// A raster package is read at the zoom just above the view's, counting
// device pixels (a view at zoom 6.3 on a 2× screen reads zoom 8), so
// every device pixel has at least one source pixel and nothing looks
// blocky; past the package's deepest zoom its tiles are magnified. Pixels
// are resampled bilinearly, across tile edges, in premultiplied alpha.
//
// A vector package is read at the view's whole zoom (vector tiles keep
// their detail when magnified) and each tile's features are drawn with
// the layer's style clipped to the tile, so the buffer the tiles overlap
// by never draws twice and the edges where polygons were cut never show.
//
// A tile that fails to read or decode is left out of the picture; the
// package's [tilepack.Tiles] lists it for the UI. Only a cancelled
// context stops the drawing.

// maxPackageTiles bounds the package tiles one image may need: a
// full-HD frame needs about 60, a 4K one at 2× about 200.
const maxPackageTiles = 1024

// zoomEpsilon keeps a view zoom that is a whole number but for rounding
// (5.9999999) from choosing the next zoom of a package.
const zoomEpsilon = 1e-6

// rasterZoom returns the zoom of a raster package to draw a view from,
// and false when the view is zoomed out so far below the package's
// shallowest zoom that its tiles would have to shrink more than twofold.
func rasterZoom(md tilepack.Metadata, zoom, scale float64) (int, bool) {
	ideal := zoom + math.Log2(scale)
	if ideal <= float64(md.MinZoom)-1 {
		return 0, false
	}
	z := int(math.Ceil(ideal - zoomEpsilon))
	return min(max(z, md.MinZoom), md.MaxZoom), true
}

// vectorZoom returns the zoom of a vector package to draw a view from,
// and false below the package's shallowest zoom.
func vectorZoom(md tilepack.Metadata, zoom float64) (int, bool) {
	z := int(math.Floor(zoom + zoomEpsilon))
	if z < md.MinZoom {
		return 0, false
	}
	return min(z, md.MaxZoom), true
}

// packageRange returns the package tiles at zoom z that the device pixels
// of rect cover under transform tr, with a pixel to spare for bilinear
// sampling, clamped to the world and to the package's bounds.
func packageRange(tr transform, rect image.Rectangle, z int, bounds orb.Bound) (tilepack.Range, error) {
	wx0, wy0 := (float64(rect.Min.X)-1-tr.ox)/tr.kx, (float64(rect.Min.Y)-1-tr.oy)/tr.ky
	wx1, wy1 := (float64(rect.Max.X)+1-tr.ox)/tr.kx, (float64(rect.Max.Y)+1-tr.oy)/tr.ky
	view := orb.Bound{Min: orb.Point{max(wx0, 0), max(wy0, 0)}, Max: orb.Point{min(wx1, 1), min(wy1, 1)}}
	if view.Min[0] >= view.Max[0] || view.Min[1] >= view.Max[1] {
		return tilepack.Range{Z: z, MinX: 1, MaxX: 0}, nil
	}
	r := tilepack.RangeOf(mercator.UnprojectBound(view), z)
	pr := tilepack.RangeOf(bounds, z)
	r.MinX, r.MinY = max(r.MinX, pr.MinX), max(r.MinY, pr.MinY)
	r.MaxX, r.MaxY = min(r.MaxX, pr.MaxX), min(r.MaxY, pr.MaxY)
	if n := r.Count(); n > maxPackageTiles {
		return r, fmt.Errorf("render: the view needs %d tiles of zoom %d, more than %d", n, z, maxPackageTiles)
	}
	return r, nil
}

// tilePackage plans a tile package layer: its raster tiles, or for a vector
// package one planned layer per tile, clipped to it.
func (p *plan) tilePackage(ctx context.Context, l *Layer, vp viewport.Viewport, projectors []projector) error {
	md := l.Tiles.Metadata()
	if md.Format.IsVector() {
		return p.vectorTiles(ctx, l, vp, projectors)
	}
	z, ok := rasterZoom(md, vp.Zoom, vp.Scale)
	if !ok {
		return nil
	}
	r, err := packageRange(p.tr, p.bandRect(), z, md.Bounds)
	if err != nil || r.Count() == 0 {
		return err
	}
	rt := &rasterTiles{r: r, images: make([]*image.RGBA, r.Count())}
	err = parallel(ctx, len(projectors), len(rt.images), func(_, i int) error {
		id := tilepack.ID{Z: z, X: r.MinX + i%(r.MaxX-r.MinX+1), Y: r.MinY + i/(r.MaxX-r.MinX+1)}
		img, err := l.Tiles.Image(ctx, id)
		if err != nil && ctx.Err() != nil {
			return ctx.Err()
		}
		// A tile that fails is left out; l.Tiles lists it.
		rt.images[i] = img
		return nil
	})
	if err != nil {
		return err
	}
	for _, img := range rt.images {
		if img != nil {
			rt.size = img.Rect.Dx()
			break
		}
	}
	if rt.size == 0 {
		return nil
	}
	// Tiles of another size than the first are left out rather than
	// stretched: a package has one tile size, and mixing them is a fault
	// of the package no viewer draws right.
	for i, img := range rt.images {
		if img != nil && img.Rect.Dx() != rt.size {
			rt.images[i] = nil
		}
	}
	p.layers = append(p.layers, plannedLayer{layer: l, raster: rt})
	return nil
}

// vectorTiles plans the tiles of a vector package under a layer: one
// planned layer per tile, of the features of the layer's source layer,
// clipped to the tile's pixels.
func (p *plan) vectorTiles(ctx context.Context, l *Layer, vp viewport.Viewport, projectors []projector) error {
	md := l.Tiles.Metadata()
	z, ok := vectorZoom(md, vp.Zoom)
	if !ok {
		return nil
	}
	// Features reach past their tile by the reach of their strokes and
	// symbols, which the clip cuts off at the tile's edge: the range is
	// the tiles under the band itself.
	r, err := packageRange(p.tr, p.bandRect(), z, md.Bounds)
	if err != nil || r.Count() == 0 {
		return err
	}
	tiles := make([]*tilepack.VectorTile, r.Count())
	err = parallel(ctx, len(projectors), len(tiles), func(_, i int) error {
		id := tilepack.ID{Z: z, X: r.MinX + i%(r.MaxX-r.MinX+1), Y: r.MinY + i/(r.MaxX-r.MinX+1)}
		vt, err := l.Tiles.Vector(ctx, id)
		if err != nil && ctx.Err() != nil {
			return ctx.Err()
		}
		tiles[i] = vt
		return nil
	})
	if err != nil {
		return err
	}
	for _, vt := range tiles {
		if vt == nil || len(vt.Layers[l.Style.SourceLayer]) == 0 {
			continue
		}
		clip := p.tileRect(vt.Tile).Intersect(p.bounds)
		if clip.Empty() {
			continue
		}
		src := vt.Layers[l.Style.SourceLayer]
		features := make([]*layer.Feature, len(src))
		for i := range src {
			features[i] = &src[i]
		}
		pl := plannedLayer{layer: l, clip: clip}
		if err := p.sort(ctx, &pl, features, projectors); err != nil {
			return err
		}
		if len(pl.items) > 0 {
			p.layers = append(p.layers, pl)
		}
	}
	return nil
}

// tileRect returns the device pixels a package tile covers. The edges are
// rounded the same way for neighbouring tiles, so their rectangles
// neither overlap nor leave a gap.
func (p *plan) tileRect(id tilepack.ID) image.Rectangle {
	b := id.WorldBound()
	edge := func(w, k, o float64) int { return int(math.Round(w*k + o)) }
	return image.Rect(
		edge(b.Min[0], p.tr.kx, p.tr.ox), edge(b.Min[1], p.tr.ky, p.tr.oy),
		edge(b.Max[0], p.tr.kx, p.tr.ox), edge(b.Max[1], p.tr.ky, p.tr.oy),
	)
}

// rasterTiles are the tiles of a raster package an image is drawn from:
// those of range r, row by row, nil where the package has none.
type rasterTiles struct {
	r      tilepack.Range
	images []*image.RGBA
	// size is the side of the tiles in pixels.
	size int
}

// floorDiv returns a/b rounded towards minus infinity, for b > 0.
func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// sample is a bilinear sample position along one axis of the mosaic of
// a rasterTiles' tiles: for each of the two source pixels, the index of
// its tile in the range (the range's width or height when outside it) and
// its place in the tile (its byte offset in a row, or its row); and the
// weight of the second pixel, out of 256.
type sample struct {
	tile0, at0, tile1, at1 int
	w                      uint32
}

// samples returns the sample positions of the device pixels from..to-1
// along an axis where device = world × scale + offset, for the mosaic
// pixels of range lo..hi of tiles, size pixels each, at zoom z. bytes is
// the size of a pixel along the axis (4 across a row, 1 down a column).
func samples(from, to int, scale, offset float64, z, lo, hi, size, bytes int) []sample {
	k := math.Exp2(float64(z)) * float64(size)
	place := func(p int) (tile, at int) {
		t := floorDiv(p, size)
		if t < lo || t > hi {
			return hi - lo + 1, 0
		}
		return t - lo, (p - t*size) * bytes
	}
	s := make([]sample, to-from)
	for i := range s {
		// The device pixel's centre, in mosaic pixels whose centres are
		// at half-integers.
		w := ((float64(from+i)+0.5-offset)/scale)*k - 0.5
		p0 := math.Floor(w)
		s[i].tile0, s[i].at0 = place(int(p0))
		s[i].tile1, s[i].at1 = place(int(p0) + 1)
		s[i].w = uint32((w - p0) * 256)
	}
	return s
}

// rasterTiles draws raster package tiles onto dst, whose pixels tr maps
// lon/lat to, resampled bilinearly in premultiplied alpha, source-over
// with the layer's opacity.
func (d *drawer) rasterTiles(dst *image.RGBA, tr transform, rt *rasterTiles, opacity float64) {
	area := dst.Rect
	if area.Empty() || opacity <= 0 {
		return
	}
	r := rt.r
	cols := samples(area.Min.X, area.Max.X, tr.kx, tr.ox, r.Z, r.MinX, r.MaxX, rt.size, 4)
	rows := samples(area.Min.Y, area.Max.Y, tr.ky, tr.oy, r.Z, r.MinY, r.MaxY, rt.size, 1)
	op := uint32(math.Round(min(opacity, 1) * 256))
	// The two source rows of an output row, one slice per tile column
	// of the range and a transparent one for beyond it.
	perRow := r.MaxX - r.MinX + 1
	blank := make([]byte, 4*rt.size)
	upper, lower := make([][]byte, perRow+1), make([][]byte, perRow+1)
	upper[perRow], lower[perRow] = blank, blank
	sourceRow := func(tileRow, row, tileCol int) []byte {
		if tileRow >= r.MaxY-r.MinY+1 {
			return blank
		}
		img := rt.images[tileRow*perRow+tileCol]
		if img == nil {
			return blank
		}
		return img.Pix[row*img.Stride : row*img.Stride+4*rt.size]
	}
	for j, y := range rows {
		for tc := range perRow {
			upper[tc] = sourceRow(y.tile0, y.at0, tc)
			lower[tc] = sourceRow(y.tile1, y.at1, tc)
		}
		wy := y.w
		line := dst.Pix[dst.PixOffset(area.Min.X, area.Min.Y+j):][:4*len(cols)]
		for i, x := range cols {
			a := upper[x.tile0][x.at0 : x.at0+4 : x.at0+4]
			b := upper[x.tile1][x.at1 : x.at1+4 : x.at1+4]
			c := lower[x.tile0][x.at0 : x.at0+4 : x.at0+4]
			e := lower[x.tile1][x.at1 : x.at1+4 : x.at1+4]
			wx := x.w
			// Each channel: ×256 ×256 from the weights, ×256 from the
			// opacity.
			mix := func(ch int) uint32 {
				top := uint32(a[ch])*(256-wx) + uint32(b[ch])*wx
				bottom := uint32(c[ch])*(256-wx) + uint32(e[ch])*wx
				return ((top*(256-wy) + bottom*wy) >> 8) * op >> 16
			}
			sa := mix(3)
			if sa == 0 {
				continue
			}
			px := line[4*i : 4*i+4 : 4*i+4]
			if sa == 255 {
				px[0], px[1], px[2], px[3] = uint8(mix(0)), uint8(mix(1)), uint8(mix(2)), 255
				continue
			}
			inv := 255 - sa
			px[0] = uint8(mix(0) + (uint32(px[0])*inv+127)/255)
			px[1] = uint8(mix(1) + (uint32(px[1])*inv+127)/255)
			px[2] = uint8(mix(2) + (uint32(px[2])*inv+127)/255)
			px[3] = uint8(sa + (uint32(px[3])*inv+127)/255)
		}
	}
}

// searchTiles returns the features of a vector package layer in a
// lon/lat bound at a zoom, for labels: those of the package's tiles under
// the bound. A feature that the package carries in several tiles (under
// one MVT id, or a point in the buffer of a neighbour) comes once.
func searchTiles(ctx context.Context, l *Layer, b orb.Bound, zoom float64) ([]*layer.Feature, error) {
	md := l.Tiles.Metadata()
	if !md.Format.IsVector() {
		return nil, nil
	}
	z, ok := vectorZoom(md, zoom)
	if !ok {
		return nil, nil
	}
	r := tilepack.RangeOf(b, z)
	pr := tilepack.RangeOf(md.Bounds, z)
	r.MinX, r.MinY = max(r.MinX, pr.MinX), max(r.MinY, pr.MinY)
	r.MaxX, r.MaxY = min(r.MaxX, pr.MaxX), min(r.MaxY, pr.MaxY)
	if n := r.Count(); n > maxPackageTiles {
		return nil, fmt.Errorf("render: the view needs %d tiles of zoom %d, more than %d", n, z, maxPackageTiles)
	}
	var features []*layer.Feature
	seen := map[string]bool{}
	for y := r.MinY; y <= r.MaxY; y++ {
		for x := r.MinX; x <= r.MaxX; x++ {
			id := tilepack.ID{Z: z, X: x, Y: y}
			vt, err := l.Tiles.Vector(ctx, id)
			if err != nil && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if vt == nil {
				continue // absent, or failed: l.Tiles lists it
			}
			own := id.Bound()
			fs := vt.Layers[l.Style.SourceLayer]
			for i := range fs {
				f := &fs[i]
				if pt, isPoint := f.Geometry.(orb.Point); isPoint && !own.Contains(pt) {
					continue // a neighbour's, in this tile's buffer
				}
				if hasMVTID(f.ID) {
					if seen[f.ID] {
						continue
					}
					seen[f.ID] = true
				}
				features = append(features, f)
			}
		}
	}
	return features, nil
}

// hasMVTID reports whether a feature ID made by tilepack.DecodeVector is
// the tile's own feature id (digits), shared by the feature's pieces in
// other tiles, rather than one made from its tile and position.
func hasMVTID(id string) bool { return id != "" && !strings.ContainsAny(id, ":#/") }
