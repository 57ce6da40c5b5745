package render

import (
	"cmp"
	"context"
	"image"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/ecoatlas/ecoatlas/geo/geodesic"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/render/raster"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// tileSize is the largest side, in device pixels, of the tiles an image is
// drawn in. A tile's pixels (at most 256² × 4 bytes) stay in a core's
// cache while every feature over it is drawn, and a full-HD frame has 40
// tiles to share among the cores.
const tileSize = 256

// batchSize is the number of features projected as one piece of work.
const batchSize = 1024

// Frame renders a complete image for a viewport: the geometry, drawn on
// every core, then the labels placed over the whole frame. It is what the
// CLI and the golden tests call; the app composes the same geometry from
// cached tiles instead and adds the same labels.
func Frame(ctx context.Context, sc *Scene, vp viewport.Viewport) (*image.RGBA, error) {
	img := image.NewRGBA(image.Rect(0, 0, vp.DeviceWidth(), vp.DeviceHeight()))
	if err := GeometryParallel(ctx, sc, vp, img, runtime.GOMAXPROCS(0)); err != nil {
		return nil, err
	}
	placed, err := Labels(ctx, sc, vp)
	if err != nil {
		return nil, err
	}
	DrawLabels(img, placed)
	return img, nil
}

// GeometryParallel is Geometry spread over workers goroutines.
//
// It draws the image in bands, each a row of tiles, in two passes per
// band. The first projects and simplifies every feature that can show on
// the band, once, batch by batch in parallel, and sorts the results, in
// drawing order, into the band's tiles. The second draws the tiles in
// parallel, each one completely (every layer in order) before the next,
// so its pixels stay in cache; a feature over several tiles is rasterized
// on each only where it covers it. Memory holds the projected geometry of
// one band, not of the whole image: a feature over several bands is
// projected for each, which for a full-HD frame of a big layer saves
// far more than it costs. The image is the same whatever the number of
// workers.
func GeometryParallel(ctx context.Context, sc *Scene, vp viewport.Viewport, dst *image.RGBA, workers int) error {
	return geometry(ctx, sc, vp, dst, workers, tileSize)
}

// geometry is GeometryParallel with tiles of at most tile pixels square.
func geometry(ctx context.Context, sc *Scene, vp viewport.Viewport, dst *image.RGBA, workers, tile int) error {
	workers = max(workers, 1)
	p := newPlan(sc, vp, dst.Rect, tile)
	p.dst = dst
	projectors := make([]projector, workers)
	for i := range projectors {
		projectors[i] = projector{tr: p.tr}
	}
	drawers := make([]*drawer, workers)
	for row := range p.rows {
		if err := p.collectBand(ctx, sc, vp, row, projectors); err != nil {
			return err
		}
		order := p.busiestFirst(row)
		err := parallel(ctx, workers, len(order), func(w, i int) error {
			if drawers[w] == nil {
				c := raster.New(dst)
				drawers[w] = &drawer{canvas: c, painter: c, tr: p.tr, zoom: p.zoom, scale: p.scale}
			}
			return drawers[w].drawTile(ctx, p, order[i])
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Tile renders the geometry of tile (x, y) of the grid at a (possibly
// fractional) zoom, 256 logical pixels square at a device scale.
func Tile(ctx context.Context, sc *Scene, zoom float64, x, y int, scale float64) (*image.RGBA, error) {
	vp := viewport.ForTile(zoom, x, y, scale)
	img := image.NewRGBA(image.Rect(0, 0, vp.DeviceWidth(), vp.DeviceHeight()))
	if err := Geometry(ctx, sc, vp, img); err != nil {
		return nil, err
	}
	return img, nil
}

// parallel calls fn(w, i) for every i in [0, n) on workers goroutines,
// w being the number of the goroutine (for per-worker state), and returns
// the first error, after which no new call starts. With one worker it
// calls fn on the calling goroutine.
func parallel(ctx context.Context, workers, n int, fn func(w, i int) error) error {
	workers = min(workers, n)
	if workers <= 1 {
		for i := range n {
			if err := fn(0, i); err != nil {
				return err
			}
		}
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	for w := range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := fn(w, i); err != nil {
					errOnce.Do(func() { firstErr = err; cancel() })
					return
				}
			}
		})
	}
	wg.Wait()
	if firstErr == nil {
		// A cancellation of the caller's context may have stopped the
		// workers between two calls.
		firstErr = ctx.Err()
	}
	return firstErr
}

// plan is the drawing work for one image: its tiles and, for every
// visible layer, the projected features to draw on each tile of the band
// being drawn.
type plan struct {
	// bounds are the device pixels drawn, the viewport's top-left one
	// first; dst, for a raster target, is the image holding them.
	bounds     image.Rectangle
	dst        *image.RGBA
	background [4]uint8
	tr         transform
	zoom       float64
	scale      float64
	// tiles are the parts of dst drawn one at a time, row by row, each
	// tileW × tileH pixels except at the right and bottom edges.
	tiles        []image.Rectangle
	cols, rows   int
	tileW, tileH int
	// band is the row of tiles whose features layers holds.
	band   int
	layers []plannedLayer
}

// plannedLayer is a visible layer with its features sorted into tiles,
// or, for a tile package, one of its tiles.
type plannedLayer struct {
	layer *Layer
	// clip, unless empty, is the area the features may be drawn on: the
	// pixels of the vector tile they come from.
	clip image.Rectangle
	// raster holds the tiles of a raster package to draw.
	raster *rasterTiles
	// batches hold the projected geometry of the items.
	batches []*projected
	// items are the features to draw over each tile, tile after tile and
	// in drawing order: those over tile t are items[start[t]:start[t+1]].
	// A feature over several tiles has an item in each, so that a tile's
	// items lie side by side in memory.
	items []item
	start []int32
	// clusters are the groups of points drawn as one symbol.
	clusters []clusterItem
}

// clusterItem is a cluster to draw: where, how many, and its symbol's
// sizes in device pixels.
type clusterItem struct {
	at                raster.Point
	count             int
	size, strokeWidth float64
	reach             float64
}

// item is a feature to draw, with what drawing it needs: its rule, the
// values its style's sizes take for it, and its projected geometry. It
// holds no pointers, so that the garbage collector need not scan the plan
// of a big layer.
type item struct {
	// at is the position of a single point. Other geometry is in batch:
	// its points [first, end) for points, its parts [first, end) for the
	// rest.
	at         raster.Point
	batch      uint32
	first, end int32
	// rule is the index of the rule in the layer's style.
	rule uint32
	// The sizes of the rule's stroke and symbol, in device pixels.
	strokeWidth                                 float32
	symbolSize, symbolStrokeWidth, ringDiameter float32
	// reach is how far, in device pixels, the drawing can extend beyond
	// the geometry.
	reach float32
	// col0 to col1 and row0 to row1 are the tiles the drawing can touch.
	col0, col1 uint16
	row0, row1 uint16
	kind       itemKind
	// ringed is set for a point drawn with its symbol's ring.
	ringed bool
}

// itemKind says where an item's geometry is.
type itemKind uint8

const (
	// itemPoint is a single point, at.
	itemPoint itemKind = iota
	// itemPoints are points in the batch.
	itemPoints
	// itemParts are lines, polygons or both, as parts in the batch.
	itemParts
)

// projected holds the geometry of a batch of features in device pixels,
// simplified: every part's points in one slice.
type projected struct {
	points []raster.Point
	parts  []part
}

// part is a point set, a line or a polygon ring of a feature.
type part struct {
	kind       partKind
	start, end int32
	bound      bound32
}

// bound32 is a bound in device pixels, as float32 to keep parts small: it
// only serves to skip the parts that miss a tile by more than a pixel.
type bound32 struct {
	minX, minY, maxX, maxY float32
}

// partKind says how a part is drawn.
type partKind uint8

const (
	// kindPoints are points, each drawn as the rule's symbol.
	kindPoints partKind = iota
	// kindLine is a line, stroked.
	kindLine
	// kindFirstRing starts a polygon and kindRing continues it; a polygon
	// is filled and stroked as a whole.
	kindFirstRing
	kindRing
)

// newPlan returns the plan of the device pixels b, with its tiles of at
// most tile pixels square and no features yet.
func newPlan(sc *Scene, vp viewport.Viewport, b image.Rectangle, tile int) *plan {
	p := &plan{
		bounds:     b,
		background: premultiplied(sc.Background),
		tr:         newTransform(vp).translate(float64(b.Min.X), float64(b.Min.Y)),
		zoom:       vp.Zoom,
		scale:      vp.Scale,
		cols:       max(1, ceilDiv(b.Dx(), tile)),
		rows:       max(1, ceilDiv(b.Dy(), tile)),
	}
	p.tileW, p.tileH = max(1, ceilDiv(b.Dx(), p.cols)), max(1, ceilDiv(b.Dy(), p.rows))
	for row := range p.rows {
		for col := range p.cols {
			corner := b.Min.Add(image.Pt(col*p.tileW, row*p.tileH))
			p.tiles = append(p.tiles, image.Rectangle{Min: corner, Max: corner.Add(image.Pt(p.tileW, p.tileH))}.Intersect(b))
		}
	}
	return p
}

// collectBand replaces the plan's features with those of the visible
// layers that can show on the tiles of one row, projected on as many
// goroutines as there are projectors.
func (p *plan) collectBand(ctx context.Context, sc *Scene, vp viewport.Viewport, row int, projectors []projector) error {
	// Features are fetched with a margin, so that the symbols and wide
	// strokes of features just outside the band still show.
	top := float64(row*p.tileH)/vp.Scale - margin
	bottom := float64(min((row+1)*p.tileH, p.bounds.Dy()))/vp.Scale + margin
	nw := vp.FromPixel(orb.Point{-margin, top})
	se := vp.FromPixel(orb.Point{vp.Width + margin, bottom})
	query := orb.Bound{Min: orb.Point{nw[0], se[1]}, Max: orb.Point{se[0], nw[1]}}
	// A layer that groups its points fetches those of the whole image for
	// every band, so that a cluster whose points lie beyond the band's
	// margin still shows where its symbol reaches into the band. Such
	// layers are of a few thousand points at most.
	nw = vp.FromPixel(orb.Point{-margin, -margin})
	se = vp.FromPixel(orb.Point{vp.Width + margin, vp.Height + margin})
	whole := orb.Bound{Min: orb.Point{nw[0], se[1]}, Max: orb.Point{se[0], nw[1]}}
	p.band = row
	p.layers = p.layers[:0]
	for i := range sc.Layers {
		l := &sc.Layers[i]
		if err := ctx.Err(); err != nil {
			return err
		}
		if !l.Style.VisibleAt(vp.Zoom) || (l.Relief == nil && l.Features == nil && l.Tiles == nil) {
			continue
		}
		if l.Tiles != nil {
			if err := p.tilePackage(ctx, l, vp, projectors); err != nil {
				return err
			}
			continue
		}
		pl := plannedLayer{layer: l}
		if l.Relief == nil {
			q := grownByRings(query, l.Style)
			if l.Style.ClusteredAt(vp.Zoom) {
				q = whole
			}
			if err := p.collect(ctx, &pl, q, projectors); err != nil {
				return err
			}
		}
		p.layers = append(p.layers, pl)
	}
	return nil
}

// grownByRings returns the bound b widened by the largest ground radius
// of the layer's symbol rings, so that a point just outside a tile whose
// 10 km ring reaches into it is fetched and its ring drawn there too (a
// margin in pixels cannot hold a radius in metres at every zoom).
func grownByRings(b orb.Bound, l *style.Layer) orb.Bound {
	metres := 0.0
	for _, r := range l.Rules {
		if r.Symbol != nil && r.Symbol.Ring != nil {
			metres = max(metres, r.Symbol.Ring.Radius)
		}
	}
	if metres == 0 {
		return b
	}
	// A degree of latitude is at least 110.5 km; a degree of longitude
	// shrinks with the cosine of the latitude farthest from the equator.
	const degreeOfLatitude = 110_500.0
	lat := min(max(math.Abs(b.Min[1]), math.Abs(b.Max[1])), 85)
	dLat := metres / degreeOfLatitude
	dLon := metres / (degreeOfLatitude * math.Cos(lat*math.Pi/180))
	return orb.Bound{Min: orb.Point{b.Min[0] - dLon, b.Min[1] - dLat}, Max: orb.Point{b.Max[0] + dLon, b.Max[1] + dLat}}
}

// bandRect returns the pixels of the band being drawn.
func (p *plan) bandRect() image.Rectangle {
	b := p.bounds
	return image.Rect(b.Min.X, b.Min.Y+p.band*p.tileH, b.Max.X, min(b.Min.Y+(p.band+1)*p.tileH, b.Max.Y))
}

// collect projects the features of a vector layer within query that have
// a rule and can show on the band, and sorts them into its tiles.
func (p *plan) collect(ctx context.Context, pl *plannedLayer, query orb.Bound, projectors []projector) error {
	features, groups, err := search(ctx, pl.layer, query, p.zoom)
	if err != nil {
		return err
	}
	p.planClusters(pl, groups)
	return p.sort(ctx, pl, features, projectors)
}

// sort projects features of a vector layer that have a rule and can show
// on the image, and sorts them into tiles.
func (p *plan) sort(ctx context.Context, pl *plannedLayer, features []*layer.Feature, projectors []projector) error {
	pl.batches = make([]*projected, ceilDiv(len(features), batchSize))
	batches := make([][]item, len(pl.batches))
	err := parallel(ctx, len(projectors), len(pl.batches), func(w, i int) error {
		batch := features[i*batchSize : min((i+1)*batchSize, len(features))]
		pl.batches[i], batches[i] = p.project(&projectors[w], pl.layer.Style, batch, uint32(i))
		return nil
	})
	if err != nil {
		return err
	}
	// A counting sort of the items into tiles keeps their order in each.
	pl.start = make([]int32, len(p.tiles)+1)
	for _, batch := range batches {
		for _, it := range batch {
			for row := int(it.row0); row <= int(it.row1); row++ {
				for col := int(it.col0); col <= int(it.col1); col++ {
					pl.start[row*p.cols+col+1]++
				}
			}
		}
	}
	for t := range p.tiles {
		pl.start[t+1] += pl.start[t]
	}
	pl.items = make([]item, pl.start[len(p.tiles)])
	next := append([]int32(nil), pl.start[:len(p.tiles)]...)
	for _, batch := range batches {
		for _, it := range batch {
			for row := int(it.row0); row <= int(it.row1); row++ {
				for col := int(it.col0); col <= int(it.col1); col++ {
					t := row*p.cols + col
					pl.items[next[t]] = it
					next[t]++
				}
			}
		}
	}
	return nil
}

// project projects a batch of features of a layer, and returns their
// geometry and the items of those that can show on the image.
func (p *plan) project(pr *projector, st *style.Layer, features []*layer.Feature, batch uint32) (*projected, []item) {
	// The geometry grows in the projector's buffers, reused from batch to
	// batch, and is copied out at its final size: grown in place, the
	// slices of a big layer would allocate several times their size.
	g := &pr.batch
	g.points, g.parts = g.points[:0], g.parts[:0]
	items := make([]item, 0, len(features))
	b := p.bounds
	for _, f := range features {
		r := st.RuleFor(p.zoom, &f.Properties)
		if r == nil || f.Geometry == nil {
			continue
		}
		it := p.resolve(st, r, &f.Properties)
		it.batch = batch
		firstPoint, firstPart := len(g.points), len(g.parts)
		var (
			bound raster.Rect
			ok    = true
		)
		switch geom := f.Geometry.(type) {
		case orb.Point:
			if r.Symbol == nil {
				continue
			}
			it.kind, it.at = itemPoint, p.tr.point(geom)
			bound = raster.Rect{MinX: it.at.X, MinY: it.at.Y, MaxX: it.at.X, MaxY: it.at.Y}
			p.reachRing(&it, r, geom)
		case orb.MultiPoint:
			if r.Symbol == nil || len(geom) == 0 {
				continue
			}
			for _, q := range geom {
				g.points = append(g.points, p.tr.point(q))
				p.reachRing(&it, r, q)
			}
			it.kind, it.first, it.end = itemPoints, int32(firstPoint), int32(len(g.points))
			bound, ok = bounds(g.points[firstPoint:])
		default:
			pr.geometry(g, geom, r)
			if len(g.parts) == firstPart {
				continue
			}
			it.kind, it.first, it.end = itemParts, int32(firstPart), int32(len(g.parts))
			bound, ok = bounds(g.points[firstPoint:])
		}
		// The tiles the drawing can touch, if any.
		reach := float64(it.reach)
		x0, y0 := bound.MinX-reach-float64(b.Min.X), bound.MinY-reach-float64(b.Min.Y)
		x1, y1 := bound.MaxX+reach-float64(b.Min.X), bound.MaxY+reach-float64(b.Min.Y)
		if !ok || !(x1 > 0 && x0 < float64(b.Dx()) && y1 > 0 && y0 < float64(b.Dy())) {
			g.points, g.parts = g.points[:firstPoint], g.parts[:firstPart]
			continue
		}
		it.col0, it.col1 = tileIndex(x0, p.tileW, p.cols), tileIndex(x1, p.tileW, p.cols)
		it.row0, it.row1 = tileIndex(y0, p.tileH, p.rows), tileIndex(y1, p.tileH, p.rows)
		// Of the rows it touches, the item goes only on the band's.
		if int(it.row0) > p.band || int(it.row1) < p.band {
			g.points, g.parts = g.points[:firstPoint], g.parts[:firstPart]
			continue
		}
		it.row0, it.row1 = uint16(p.band), uint16(p.band)
		items = append(items, it)
	}
	return &projected{points: slices.Clone(g.points), parts: slices.Clone(g.parts)}, items
}

// resolve returns the item of a feature drawn with rule r of style st,
// without its geometry: the rule's index, the sizes of the rule's stroke
// and symbol for the feature's attributes, and how far, in device pixels,
// its drawing can reach beyond its geometry.
func (p *plan) resolve(st *style.Layer, r *style.Rule, attrs style.Attributes) item {
	var it item
	for i := range st.Rules {
		if &st.Rules[i] == r {
			it.rule = uint32(i)
			break
		}
	}
	reach := 0.0
	if r.Stroke != nil {
		width := r.Stroke.Width.Eval(p.zoom, attrs) * p.scale
		it.strokeWidth = float32(width)
		// Round joins and butt caps stay within half the width; the
		// raster draws thinner strokes a pixel wide.
		reach = max(width, 1) / 2
	}
	if s := r.Symbol; s != nil {
		size := s.Size.Eval(p.zoom, attrs) * p.scale
		strokeWidth := s.StrokeWidth.Eval(p.zoom, attrs) * p.scale
		it.symbolSize, it.symbolStrokeWidth = float32(size), float32(strokeWidth)
		// A symbol's outline can reach past its shape by up to a miter.
		symbol := size/2*math.Sqrt2 + strokeWidth/2*4
		if s.Ring != nil {
			diameter := s.Ring.Diameter.Eval(p.zoom, attrs) * p.scale
			it.ringed, it.ringDiameter = true, float32(diameter)
			symbol = max(symbol, (diameter+s.Ring.Width*p.scale)/2)
		}
		reach = max(reach, symbol)
	}
	// A pixel for anti-aliasing, and one to spare.
	it.reach = float32(reach + 2)
	return it
}

// planClusters keeps the clusters of a layer that show on the image.
func (p *plan) planClusters(pl *plannedLayer, groups []cluster) {
	if len(groups) == 0 {
		return
	}
	s := &pl.layer.Style.Cluster.Symbol
	b := p.bounds
	for _, g := range groups {
		n := count(len(g.members))
		c := clusterItem{
			at: p.tr.point(g.at), count: len(g.members),
			size: s.Size.Eval(p.zoom, n) * p.scale, strokeWidth: s.StrokeWidth.Eval(p.zoom, n) * p.scale,
		}
		c.reach = c.size/2*math.Sqrt2 + c.strokeWidth*2 + 2
		if c.at.X+c.reach > float64(b.Min.X) && c.at.X-c.reach < float64(b.Max.X) &&
			c.at.Y+c.reach > float64(b.Min.Y) && c.at.Y-c.reach < float64(b.Max.Y) {
			pl.clusters = append(pl.clusters, c)
		}
	}
}

// reachRing widens an item's reach to the ground circle of its symbol's
// ring around a point, if the ring has one.
func (p *plan) reachRing(it *item, r *style.Rule, at orb.Point) {
	if !it.ringed || r.Symbol.Ring.Radius <= 0 {
		return
	}
	radius := groundRadius(p.tr, at, r.Symbol.Ring.Radius)
	it.reach = max(it.reach, float32(radius+r.Symbol.Ring.Width*p.scale/2+2))
}

// groundRadius returns, in device pixels, how far the ground circle of a
// radius in metres around a lon/lat point reaches from the point's pixel
// (northwards or eastwards, whichever is longer: Web Mercator stretches
// the two alike to within a few parts in a thousand).
func groundRadius(tr transform, at orb.Point, metres float64) float64 {
	c := tr.apply(at)
	n, e := tr.apply(geodesic.Direct(at, 0, metres)), tr.apply(geodesic.Direct(at, 90, metres))
	return max(math.Hypot(n[0]-c[0], n[1]-c[1]), math.Hypot(e[0]-c[0], e[1]-c[1]))
}

// busiestFirst returns the tiles of a row in decreasing order of the
// number of items drawn on them. Drawn in that order, the last tiles are
// quick ones, and no worker is left with a crowded tile while the others
// are idle.
func (p *plan) busiestFirst(row int) []int {
	items := make([]int32, len(p.tiles))
	for _, pl := range p.layers {
		if pl.start == nil { // relief and raster tiles
			continue
		}
		for t := range items {
			items[t] += pl.start[t+1] - pl.start[t]
		}
	}
	order := make([]int, p.cols)
	for col := range order {
		order[col] = row*p.cols + col
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(items[b], items[a]) })
	return order
}

// tileIndex returns the tile column (or row) holding the device offset v
// from the image's corner, clamped to the grid.
func tileIndex(v float64, size, count int) uint16 {
	// Clamped before the conversion, which far-away points would overflow.
	return uint16(min(max(math.Floor(v/float64(size)), 0), float64(count-1)))
}

// ceilDiv returns a/b rounded up, for a ≥ 0 and b > 0.
func ceilDiv(a, b int) int {
	return (a + b - 1) / b
}
