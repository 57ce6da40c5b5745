package render_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/tile"
	"github.com/ecoatlas/ecoatlas/geo/tilepack"
	"github.com/ecoatlas/ecoatlas/geo/tilepack/tiletest"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// bigPackageEnv names the environment variable that makes the raster
// package benchmarks use a 1 GB MBTiles file, generated once into the
// temporary folder (it takes a minute) and kept for later runs. Without
// it they use a 12 MB file, so that CI's single run stays quick.
const bigPackageEnv = "ECOATLAS_BENCH_BIG_MBTILES"

// benchView is the full-HD view of the raster benchmarks, over Tashkent at
// a fractional zoom: it reads some 110 package tiles of zoom 10.
var benchView = viewport.New(orb.Point{69.5, 41.5}, 9.3, 1920, 1080, 1)

// memArchive is an archive held in memory.
type memArchive struct {
	md    tilepack.Metadata
	tiles map[tilepack.ID][]byte
}

func (m *memArchive) Metadata() tilepack.Metadata { return m.md }
func (m *memArchive) Path() string                { return "memory" }
func (m *memArchive) Close() error                { return nil }
func (m *memArchive) Tile(_ context.Context, id tilepack.ID) ([]byte, error) {
	return m.tiles[id], nil
}

// noiseJPEGs returns n JPEG tiles of smoothed colour noise, about 30 kB
// each, the size and decoding cost of aerial imagery.
func noiseJPEGs(n int) [][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([][]byte, n)
	for i := range out {
		img := image.NewRGBA(image.Rect(0, 0, 256, 256))
		base := [3]float64{80 + 100*rng.Float64(), 80 + 100*rng.Float64(), 60 + 80*rng.Float64()}
		for y := range 256 {
			for x := range 256 {
				for c := range 3 {
					v := base[c] + 30*math.Sin(float64(x+7*c)/9+float64(i)) + 30*math.Cos(float64(y)/13) + 40*rng.NormFloat64()
					img.Pix[y*img.Stride+4*x+c] = uint8(min(max(v, 0), 255))
				}
				img.Pix[y*img.Stride+4*x+3] = 255
			}
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 75}); err != nil {
			panic(err)
		}
		out[i] = buf.Bytes()
	}
	return out
}

// benchPackage returns the path of the raster MBTiles of the benchmarks:
// JPEG tiles at zooms 5 to 10 around Tashkent (12 MB), or, when
// bigPackageEnv is set, zooms 5 to 12 over the sample region until the
// file holds 1 GB.
func benchPackage(b *testing.B) string {
	b.Helper()
	bound, maxZoom, limit := orb.Bound{Min: orb.Point{66.5, 39.5}, Max: orb.Point{72.5, 43.5}}, 10, int64(16<<20)
	path := filepath.Join(b.TempDir(), "bench.mbtiles")
	if os.Getenv(bigPackageEnv) != "" {
		bound, maxZoom, limit = tiletest.Region, 12, 1<<30
		path = filepath.Join(os.TempDir(), "ecoatlas-bench-1GB.mbtiles")
		if st, err := os.Stat(path); err == nil && st.Size() >= limit {
			return path
		}
		os.Remove(path)
		b.Logf("writing %s (1 GB)", path)
	}
	// The tiles the view needs first, then the others, zoom by zoom,
	// until the file is big enough.
	view := tiletest.Pyramid(benchView.Bound(), 5, 10)
	ids := append(view, slices.DeleteFunc(tiletest.Pyramid(bound, 5, maxZoom), func(id tilepack.ID) bool { return slices.Contains(view, id) })...)
	variants := noiseJPEGs(32)
	var written int64
	md := tilepack.Metadata{Name: "bench", Format: tilepack.FormatJPEG, Bounds: bound, MinZoom: 5, MaxZoom: maxZoom}
	err := tiletest.WriteMBTiles(path, md, ids, func(id tilepack.ID) []byte {
		if written >= limit {
			return nil
		}
		data := variants[(id.X*7+id.Y*13+id.Z)%len(variants)]
		written += int64(len(data))
		return data
	})
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkFirstFrame_rasterPackage draws the first full-HD frame of a
// view over an MBTiles package just opened: every package tile is read
// from the file and decoded. Opening is not timed. Set
// ECOATLAS_BENCH_BIG_MBTILES=1 for a 1 GB file.
func BenchmarkFirstFrame_rasterPackage(b *testing.B) {
	path := benchPackage(b)
	st := &style.Style{Background: style.Color{R: 0xff, G: 0xff, B: 0xff, A: 0xff}}
	for b.Loop() {
		b.StopTimer()
		a, err := tilepack.OpenMBTiles(path)
		if err != nil {
			b.Fatal(err)
		}
		tiles := tilepack.NewTiles(a, 0)
		at := &atlas.Atlas{Style: st.Clone(), Sources: map[string]*atlas.Source{}}
		if _, err := at.AddTiles(context.Background(), "bench", tiles, atlas.TileOptions{}); err != nil {
			b.Fatal(err)
		}
		sc := at.Scene(at.Style, "en")
		b.StartTimer()
		if _, err := render.Frame(context.Background(), sc, benchView); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if _, n := tiles.Failures(); n > 0 {
			b.Fatalf("%d tiles failed", n)
		}
		at.Close()
		b.StartTimer()
	}
	if st, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(st.Size())/1e6, "file_MB")
	}
}

// BenchmarkPan_rasterUnderVectors is the engine's side of panning a
// full-HD view of the embedded map with a raster package under its vector
// layers, the package's tiles decoded and cached (warm). "compose" makes a
// frame of cached map tiles after a one-pixel drag, as the map view does
// on every pan frame; "new_column" renders the column of map tiles that a
// pan of one tile width exposes, as the background workers then do.
func BenchmarkPan_rasterUnderVectors(b *testing.B) {
	a := defaultAtlas(b)
	st := a.Style.Clone()
	archive, err := tilepack.OpenMBTiles(benchPackage(b))
	if err != nil {
		b.Fatal(err)
	}
	tiles := tilepack.NewTiles(archive, 0)
	defer tiles.Close()
	// A layer of its own over the shared atlas, removed afterwards.
	at := &atlas.Atlas{Style: st, Sources: map[string]*atlas.Source{}}
	for id, s := range a.Sources {
		at.Sources[id] = s
	}
	if _, err := at.AddTiles(context.Background(), "imagery", tiles, atlas.TileOptions{Below: "rivers"}); err != nil {
		b.Fatal(err)
	}
	a.BuildIndexes()
	sc := at.Scene(st, "en")
	view := benchView
	cache := tile.NewCache(512 << 20)
	render1 := func(k tile.Key) {
		tv := k.Viewport()
		img := image.NewRGBA(image.Rect(0, 0, tv.DeviceWidth(), tv.DeviceHeight()))
		if err := render.Geometry(context.Background(), sc, tv, img); err != nil {
			b.Fatal(err)
		}
		cache.Add(k, img)
	}
	panned := view.Pan(1, 0)
	for _, v := range []viewport.Viewport{view, panned} {
		for _, k := range tile.Covering(v, 1) {
			if _, ok := cache.Get(k); !ok {
				render1(k)
			}
		}
	}
	b.Run("compose", func(b *testing.B) {
		var c tile.Compositor
		views := [2]viewport.Viewport{view, panned}
		i := 0
		for b.Loop() {
			if _, complete := c.Compose(views[i%2], 1, cache); !complete {
				b.Fatal("a tile is missing from the cache")
			}
			i++
		}
	})
	b.Run("new_column", func(b *testing.B) {
		before := map[tile.Key]bool{}
		for _, k := range tile.Covering(view, 1) {
			before[k] = true
		}
		var column []tile.Key
		for _, k := range tile.Covering(view.Pan(-viewport.TileSize, 0), 1) {
			if !before[k] {
				column = append(column, k)
			}
		}
		for _, k := range column {
			render1(k) // warms the package tiles
		}
		for b.Loop() {
			for _, k := range column {
				render1(k)
			}
		}
		b.ReportMetric(float64(len(column)), "tiles")
	})
}

// z10Density says how much a made-up zoom-10 tile holds.
type z10Density struct {
	roads, roadVertices int // roads, and the most vertices of one
	streams             int
	areas, areaVertices int // land cover and land use areas
}

// Densities of the benchmark's zoom-10 tiles. A city tile (Tashkent) of
// zoom 10 in the OpenMapTiles schema carries the main roads, some 1 300 km
// of them or 35 tile widths, the city's land use and the land cover
// around it; "city" draws twice that length of roads, "stress" ten times.
var (
	z10City   = z10Density{roads: 600, roadVertices: 16, streams: 100, areas: 400, areaVertices: 80}
	z10Stress = z10Density{roads: 1500, roadVertices: 40, streams: 150, areas: 400, areaVertices: 80}
)

// z10Tile is a vector tile of zoom 10 over Tashkent in the OpenMapTiles
// schema, made up with a seeded generator: roads, land cover and land use
// areas, 60 lakes, streams and 60 places.
func z10Tile(d z10Density) (tilepack.ID, []byte) {
	id := tilepack.ID{Z: 10, X: 709, Y: 382}
	b := id.Bound()
	rng := rand.New(rand.NewPCG(1, 2))
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	at := func() orb.Point { return orb.Point{b.Min[0] + w*rng.Float64(), b.Min[1] + h*rng.Float64()} }
	walk := func(n int, step float64) orb.LineString {
		p := at()
		heading := 2 * math.Pi * rng.Float64()
		ls := make(orb.LineString, n)
		for i := range ls {
			ls[i] = p
			heading += 0.4 * rng.NormFloat64()
			p = orb.Point{p[0] + step*w*math.Cos(heading), p[1] + step*h*math.Sin(heading)}
		}
		return ls
	}
	blob := func(n int, r float64) orb.Polygon {
		c := at()
		ring := make(orb.Ring, n+1)
		for i := range n {
			a := 2 * math.Pi * float64(i) / float64(n)
			k := r * (0.6 + 0.4*rng.Float64())
			ring[i] = orb.Point{c[0] + k*w*math.Cos(a), c[1] + k*h*math.Sin(a)}
		}
		ring[n] = ring[0]
		return orb.Polygon{ring}
	}
	layers := map[string][]*geojson.Feature{}
	add := func(layer string, g orb.Geometry, props geojson.Properties) {
		f := geojson.NewFeature(g)
		f.ID = uint64(len(layers[layer]) + 1)
		f.Properties = props
		layers[layer] = append(layers[layer], f)
	}
	roads := []string{"motorway", "primary", "secondary", "tertiary", "minor", "minor", "minor", "track", "rail"}
	for range d.roads {
		add("transportation", walk(6+rng.IntN(d.roadVertices-5), 0.01), geojson.Properties{"class": roads[rng.IntN(len(roads))]})
	}
	covers := []string{"wood", "grass", "farmland", "sand"}
	for i := range d.areas {
		area := blob(20+rng.IntN(d.areaVertices-19), 0.01+0.05*rng.Float64())
		if i%5 < 3 {
			add("landcover", area, geojson.Properties{"class": covers[rng.IntN(len(covers))]})
		} else {
			add("landuse", area, geojson.Properties{"class": "residential"})
		}
	}
	for range 60 {
		add("water", blob(20+rng.IntN(41), 0.005+0.02*rng.Float64()), geojson.Properties{"class": "lake"})
	}
	for range d.streams {
		add("waterway", walk(10+rng.IntN(30), 0.008), geojson.Properties{"class": "stream"})
	}
	for i := range 60 {
		add("place", at(), geojson.Properties{"class": []string{"town", "village", "suburb"}[i%3], "name": fmt.Sprintf("Place %d", i+1)})
	}
	names := []string{"landcover", "landuse", "water", "waterway", "transportation", "place"}
	return id, tiletest.Vector(id, layers, names)
}

// BenchmarkVectorTile_z10 decodes a zoom-10 vector tile of a city (and
// one ten times as dense in roads) and draws its 256-pixel map tile with
// the default OpenMapTiles style, labels included: what showing a new
// tile of a vector package costs.
func BenchmarkVectorTile_z10(b *testing.B) {
	for _, density := range []struct {
		name string
		d    z10Density
	}{{"city", z10City}, {"stress", z10Stress}} {
		id, data := z10Tile(density.d)
		md := tilepack.Metadata{Name: "z10", Format: tilepack.FormatMVT, Bounds: id.Bound(), MinZoom: 10, MaxZoom: 10,
			VectorLayers: []string{"landcover", "landuse", "water", "waterway", "transportation", "place"}}
		archive := &memArchive{md: md, tiles: map[tilepack.ID][]byte{id: data}}
		vp := viewport.ForTile(10, id.X, id.Y, 1)
		at := &atlas.Atlas{Style: &style.Style{Background: style.Color{R: 0xf6, G: 0xf0, B: 0xe2, A: 0xff}}, Sources: map[string]*atlas.Source{}}
		if _, err := at.AddTiles(context.Background(), "omt", tilepack.NewTiles(archive, 0), atlas.TileOptions{}); err != nil {
			b.Fatal(err)
		}
		sc := at.Scene(at.Style, "en")
		for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
			b.Run(fmt.Sprintf("%s/workers=%d", density.name, workers), func(b *testing.B) {
				for b.Loop() {
					// A new cache each time: the tile is decoded every time.
					tiles := tilepack.NewTiles(archive, 0)
					for i := range sc.Layers {
						sc.Layers[i].Tiles = tiles
					}
					img := image.NewRGBA(image.Rect(0, 0, vp.DeviceWidth(), vp.DeviceHeight()))
					if err := render.GeometryParallel(context.Background(), sc, vp, img, workers); err != nil {
						b.Fatal(err)
					}
					placed, err := render.Labels(context.Background(), sc, vp)
					if err != nil {
						b.Fatal(err)
					}
					render.DrawLabels(img, placed)
					if _, n := tiles.Failures(); n > 0 {
						b.Fatal("the tile failed")
					}
				}
				b.ReportMetric(float64(len(data))/1e3, "gzip_kB")
			})
		}
	}
}

// TestZ10Tile_isACityTile keeps the benchmark's city tile the size of a
// city tile of zoom 10.
func TestZ10Tile_isACityTile(t *testing.T) {
	id, data := z10Tile(z10City)
	vt, err := tilepack.DecodeVector(data, id)
	if err != nil {
		t.Fatal(err)
	}
	features := 0
	for _, fs := range vt.Layers {
		features += len(fs)
	}
	t.Logf("%d features, %d vertices, %d bytes", features, vt.Vertices, len(data))
	if vt.Vertices < 20_000 || len(data) < 50_000 || features < 1000 {
		t.Errorf("the city tile has %d features, %d vertices in %d bytes; want at least 1000, 20 000 and 50 kB", features, vt.Vertices, len(data))
	}
}
