// Package belt plans green belts: rings of land around cities, of a chosen
// width, beginning where the city ends, drawn as true geodesic buffers on
// the WGS 84 ellipsoid (GEOS through geo/overlay) and measured in km² on the
// ellipsoid (geo/geodesic). It serves clause 17 of the declaration
// (“green belts around major cities and industrial centers”), but knows no
// dataset: the caller turns its places into [City] values.
//
// A city is a point with a population. Its built-up core is taken as a disc
// of the area the population would fill at an urban density (people per
// km²), so its radius is √(population / (π·density)); the belt is the ring
// from that radius outwards by the belt's width. The cores of the other
// cities are cut out of each belt, so a belt never covers a town; the belts
// of two neighbouring cities may overlap, and each city's area counts the
// overlap as its own.
//
// The defaults, and why:
//
//   - [DefaultMinPopulation] 100 000: the size from which the planning norms
//     still used in the region (SNiP 2.07.01-89) count a city as big, and
//     the threshold the benchmark names. In the embedded places it
//     keeps every capital and every industrial centre of clause 17 (Temirtau,
//     Oskemen, Olmaliq, Navoi).
//   - [DefaultWidthKm] 10 km: the order of the forest belt planted around
//     Astana since 1997, about 750 km²; a 10 km ring beyond a core of 5 km
//     (Astana at the data's population) covers about 640 km². A belt this
//     wide also shows at the scale of the whole region.
//   - [DefaultDensity] 4000 people per km²: gives cores of 3 km for a town
//     of 100 000 and 13 km for Tashkent's 2.2 million, the size of their
//     built-up areas.
package belt

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/ecoatlas/ecoatlas/geo/geodesic"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/overlay"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/paulmach/orb"
)

// Defaults of [Options]; see the package documentation for the reasons.
const (
	DefaultMinPopulation = 100_000
	DefaultWidthKm       = 10.0
	DefaultDensity       = 4000.0
)

// Limits of [Options]: a belt wider than MaxWidthKm is a region, not a
// belt, and the geodesic buffers lose accuracy beyond some hundreds of km.
const (
	MaxWidthKm = 100.0
	MinDensity = 100.0
)

// ErrOptions is wrapped by the error [Plan] returns for options out of
// range; test for it with [errors.Is].
var ErrOptions = errors.New("belt: invalid options")

// Options choose which cities get a belt and how wide it is.
type Options struct {
	// MinPopulation is the least population of a city with a belt.
	MinPopulation float64
	// WidthKm is the width of the ring in km, 0 < WidthKm ≤ MaxWidthKm.
	WidthKm float64
	// Density is the urban density, in people per km² (≥ MinDensity),
	// that sizes a city's core.
	Density float64
}

// DefaultOptions returns the default options.
func DefaultOptions() Options {
	return Options{MinPopulation: DefaultMinPopulation, WidthKm: DefaultWidthKm, Density: DefaultDensity}
}

// Check returns an error wrapping [ErrOptions] that says which option is
// out of range, or nil.
func (o Options) Check() error {
	switch {
	case !(o.MinPopulation >= 0) || math.IsInf(o.MinPopulation, 0):
		return fmt.Errorf("%w: minimum population %v must be a number ≥ 0", ErrOptions, o.MinPopulation)
	case !(o.WidthKm > 0 && o.WidthKm <= MaxWidthKm):
		return fmt.Errorf("%w: belt width %v km must be above 0 and at most %v km", ErrOptions, o.WidthKm, MaxWidthKm)
	case !(o.Density >= MinDensity) || math.IsInf(o.Density, 0):
		return fmt.Errorf("%w: urban density %v people/km² must be at least %v", ErrOptions, o.Density, MinDensity)
	}
	return nil
}

// CoreRadiusKm returns the radius in km of the core of a city of a
// population at a density in people per km².
func CoreRadiusKm(population, density float64) float64 {
	return math.Sqrt(population / (math.Pi * density))
}

// City is a place that may get a belt.
type City struct {
	// ID identifies the city (the feature ID of its place).
	ID string
	// Name is what to call it.
	Name string
	// Population is its number of inhabitants.
	Population float64
	// At is its position, lon/lat.
	At orb.Point
}

// Belt is the green belt of one city.
type Belt struct {
	City City
	// InnerKm is the radius of the city's core, where the belt begins.
	InnerKm float64
	// OuterKm is the radius where the belt ends, InnerKm plus the width.
	OuterKm float64
	// AreaKm2 is the geodesic area of Geometry in km².
	AreaKm2 float64
	// Geometry is the belt in lon/lat: a Polygon whose hole is the core,
	// or a MultiPolygon where other cities' cores cut the ring. Outer
	// rings run counter-clockwise and holes clockwise (RFC 7946).
	Geometry orb.Geometry
	// Trimmed lists the IDs of the other cities whose cores were cut out
	// of the ring, in the order of the cities given to Plan.
	Trimmed []string
}

// Plan returns the belts of the cities of at least o.MinPopulation, in the
// order of cities. The work is spread over the machine's cores; it stops
// with ctx's error when ctx is done. A city whose whole ring lies in the
// cores of others gets no belt. Invalid options give an error wrapping
// [ErrOptions]; a city that cannot be buffered (a position that is not a
// longitude/latitude) gives an error naming it.
func Plan(ctx context.Context, cities []City, o Options) ([]Belt, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	var chosen []City
	for _, c := range cities {
		if c.Population >= o.MinPopulation {
			chosen = append(chosen, c)
		}
	}
	inner := make([]float64, len(chosen))
	for i, c := range chosen {
		inner[i] = CoreRadiusKm(c.Population, o.Density)
	}
	// First every core and outer circle, then every belt, which needs the
	// cores of its neighbours.
	cores := make([]orb.Polygon, len(chosen))
	outers := make([]orb.Polygon, len(chosen))
	err := parallel(ctx, len(chosen), func(i int) error {
		c := chosen[i]
		var err error
		if cores[i], err = circle(c.At, inner[i]); err == nil {
			outers[i], err = circle(c.At, inner[i]+o.WidthKm)
		}
		if err != nil {
			return fmt.Errorf("belt: city %s (%s): %w", c.ID, c.Name, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	belts := make([]Belt, len(chosen))
	err = parallel(ctx, len(chosen), func(i int) error {
		c := chosen[i]
		b := Belt{City: c, InnerKm: inner[i], OuterKm: inner[i] + o.WidthKm}
		var g orb.Geometry = orb.Polygon{outers[i][0], reversed(cores[i][0])}
		for j, other := range chosen {
			if j == i || geodesic.Distance(c.At, other.At)/1000 >= b.OuterKm+inner[j] {
				continue
			}
			cut, err := overlay.Difference(g, cores[j])
			if err != nil {
				return fmt.Errorf("belt: city %s (%s) less the core of %s: %w", c.ID, c.Name, other.ID, err)
			}
			g = cut
			b.Trimmed = append(b.Trimmed, other.ID)
		}
		b.Geometry = oriented(g)
		b.AreaKm2 = geodesic.Area(b.Geometry) / 1e6
		belts[i] = b
		return nil
	})
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(belts, func(b Belt) bool { return b.AreaKm2 == 0 }), nil
}

// circle returns the geodesic circle of a radius in km around a point, as
// GEOS buffers it.
func circle(at orb.Point, km float64) (orb.Polygon, error) {
	g, err := overlay.Buffer(at, km*1000)
	if err != nil {
		return nil, err
	}
	p, ok := g.(orb.Polygon)
	if !ok || len(p) == 0 {
		return nil, fmt.Errorf("the buffer of a point is a %T", g)
	}
	return p, nil
}

// parallel calls fn(i) for i in [0, n) on the machine's cores and returns
// the first error, or ctx's error if it is done first.
func parallel(ctx context.Context, n int, fn func(i int) error) error {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		next     int
		firstErr error
	)
	take := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr != nil || next >= n {
			return 0, false
		}
		if err := ctx.Err(); err != nil {
			firstErr = err
			return 0, false
		}
		next++
		return next - 1, true
	}
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i, ok := take(); ok; i, ok = take() {
				if err := fn(i); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return firstErr
}

// reversed returns a copy of r running the other way.
func reversed(r orb.Ring) orb.Ring {
	out := slices.Clone(r)
	slices.Reverse(out)
	return out
}

// oriented returns g with outer rings counter-clockwise and holes
// clockwise, dropping empty polygons; one polygon stays a Polygon.
func oriented(g orb.Geometry) orb.Geometry {
	var polys orb.MultiPolygon
	switch g := g.(type) {
	case orb.Polygon:
		polys = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		polys = g
	}
	out := make(orb.MultiPolygon, 0, len(polys))
	for _, p := range polys {
		if len(p) == 0 {
			continue
		}
		q := make(orb.Polygon, len(p))
		for k, r := range p {
			ccw := geodesic.SignedArea(r) > 0
			if (k == 0) != ccw {
				r = reversed(r)
			}
			q[k] = r
		}
		out = append(out, q)
	}
	if len(out) == 1 {
		return out[0]
	}
	return out
}

// Feature returns the belt as a map feature: ID "belt.<city ID>", its
// geometry, and the properties name (the city's), city_id, population,
// inner_km, outer_km and area_km2 (rounded to 0.01 km²).
func (b Belt) Feature() layer.Feature {
	return layer.Feature{
		ID:       "belt." + b.City.ID,
		Geometry: b.Geometry,
		Properties: layer.PropertiesFromMap(map[string]any{
			"id":         "belt." + b.City.ID,
			"name":       b.City.Name,
			"city_id":    b.City.ID,
			"population": b.City.Population,
			"inner_km":   math.Round(b.InnerKm*1000) / 1000,
			"outer_km":   math.Round(b.OuterKm*1000) / 1000,
			"area_km2":   math.Round(b.AreaKm2*100) / 100,
		}),
	}
}

// Features returns the belts as map features (see [Belt.Feature]), ready
// for layer.NewVector and a style layer.
func Features(belts []Belt) []layer.Feature {
	out := make([]layer.Feature, len(belts))
	for i, b := range belts {
		out[i] = b.Feature()
	}
	return out
}

// StyleLayer returns a style layer that draws belts from a source of
// [Features]: a translucent green ring with a darker green edge, so the
// map shows through, in the Declaration group of the layer panel.
func StyleLayer(id, title, source string) style.Layer {
	return style.Layer{
		ID: id, Title: title, Group: "Declaration", Source: source, Opacity: 1, MaxZoom: 24,
		Note: "A planning layer: rings of the chosen width beyond each city's built-up core, not existing forests.",
		Rules: []style.Rule{{
			Legend:  "Green belt (planned)",
			MaxZoom: 24,
			Fill:    style.Color{R: 0x3f, G: 0x9b, B: 0x4a, A: 0x66},
			Stroke:  &style.Stroke{Color: style.Color{R: 0x25, G: 0x6d, B: 0x2f, A: 0xd0}, Width: style.Const(0.8)},
		}},
	}
}

// Cities returns the point features among features that carry a
// population, as cities: the population is the number in the property
// popField, the name the text in nameField. Features without a point
// geometry or a positive population are left out.
func Cities(features []*layer.Feature, popField, nameField string) []City {
	var out []City
	for _, f := range features {
		p, ok := f.Geometry.(orb.Point)
		if !ok {
			continue
		}
		pop, ok := f.Properties.Number(popField)
		if !ok || !(pop > 0) {
			continue
		}
		out = append(out, City{ID: f.ID, Name: f.Properties.String(nameField), Population: pop, At: p})
	}
	return out
}
