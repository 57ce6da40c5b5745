package tiletest

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Region is the bound of the sample map: the middle of Central Asia, from
// the Aral Sea to Lake Issyk-Kul.
var Region = orb.Bound{Min: orb.Point{58, 38}, Max: orb.Point{80, 47}}

// feature returns a feature with an id and properties.
func feature(id uint64, g orb.Geometry, props geojson.Properties) *geojson.Feature {
	f := geojson.NewFeature(g)
	f.ID = id
	f.Properties = props
	return f
}

// ring returns a closed ring through the points.
func ring(pts ...orb.Point) orb.Ring {
	return append(orb.Ring(pts), pts[0])
}

// Shapes of the sample map, in lon/lat, coarse on purpose.
var (
	aralSea  = orb.Polygon{ring(orb.Point{58.3, 44.2}, orb.Point{59.9, 44.0}, orb.Point{61.6, 44.9}, orb.Point{61.2, 46.6}, orb.Point{59.5, 46.4})}
	issykKul = orb.Polygon{ring(orb.Point{76.2, 42.3}, orb.Point{78.3, 42.2}, orb.Point{78.4, 42.6}, orb.Point{77.3, 42.9}, orb.Point{76.3, 42.7})}
	// A wood with a clearing, to show holes.
	wood = orb.Polygon{
		ring(orb.Point{70.0, 41.5}, orb.Point{72.5, 41.4}, orb.Point{72.8, 43.0}, orb.Point{70.4, 43.2}),
		ring(orb.Point{70.9, 42.0}, orb.Point{71.3, 42.6}, orb.Point{71.9, 42.1}),
	}
	steppe   = orb.Polygon{ring(orb.Point{62, 45.2}, orb.Point{70, 45.5}, orb.Point{70.5, 46.8}, orb.Point{62.5, 46.8})}
	syrDarya = orb.LineString{{70.5, 40.9}, {68.9, 41.4}, {67.5, 42.4}, {66.0, 43.8}, {64.1, 44.9}, {61.6, 45.9}}
	highway  = orb.LineString{{69.24, 41.31}, {71.0, 42.3}, {72.8, 42.9}, {74.59, 42.87}, {76.95, 43.24}}
	road     = orb.LineString{{69.24, 41.31}, {67.0, 40.2}, {64.4, 39.8}, {60.6, 41.55}}
	track    = orb.LineString{{74.59, 42.87}, {75.5, 42.4}, {76.2, 42.5}, {77.0, 42.0}}
	border   = orb.LineString{{58.0, 45.3}, {61.0, 44.3}, {64.0, 43.6}, {66.5, 42.9}, {68.3, 41.5}, {70.9, 42.3}, {73.5, 42.9}, {75.0, 42.8}, {80.0, 42.9}}
)

// Cities of the sample map: name, Russian name, lon/lat, rank (1 for
// capitals).
var cities = []struct {
	name, nameRU string
	at           orb.Point
	rank         float64
}{
	{"Tashkent", "Ташкент", orb.Point{69.24, 41.31}, 1},
	{"Bishkek", "Бишкек", orb.Point{74.59, 42.87}, 1},
	{"Almaty", "Алматы", orb.Point{76.95, 43.24}, 2},
	{"Samarkand", "Самарканд", orb.Point{66.97, 39.65}, 3},
	{"Nukus", "Нукус", orb.Point{59.61, 42.46}, 3},
	{"Kyzylorda", "Кызылорда", orb.Point{65.51, 44.85}, 3},
}

// OpenMapTilesLayers are the sample map's layers in the OpenMapTiles
// schema, in the order they are encoded.
var OpenMapTilesLayers = []string{"landcover", "water", "waterway", "transportation", "boundary", "place"}

// OpenMapTiles returns the sample map in the OpenMapTiles schema
// (openmaptiles.org/schema): landcover, water, waterway, transportation,
// boundary and place layers with their class attributes.
func OpenMapTiles() map[string][]*geojson.Feature {
	places := make([]*geojson.Feature, len(cities))
	for i, c := range cities {
		class := "city"
		if c.rank == 1 {
			class = "capital"
		}
		places[i] = feature(uint64(100+i), c.at, geojson.Properties{"class": "city", "capital": class, "name": c.name, "name:ru": c.nameRU, "rank": c.rank})
	}
	return map[string][]*geojson.Feature{
		"landcover": {
			feature(1, wood, geojson.Properties{"class": "wood"}),
			feature(2, steppe, geojson.Properties{"class": "grass"}),
		},
		"water": {
			feature(10, aralSea, geojson.Properties{"class": "lake"}),
			feature(11, issykKul, geojson.Properties{"class": "lake"}),
		},
		"waterway": {feature(20, syrDarya, geojson.Properties{"class": "river", "name": "Syr Darya"})},
		"transportation": {
			feature(30, highway, geojson.Properties{"class": "motorway"}),
			feature(31, road, geojson.Properties{"class": "primary"}),
			feature(32, track, geojson.Properties{"class": "track"}),
		},
		"boundary": {feature(40, border, geojson.Properties{"admin_level": 2.0, "maritime": 0.0})},
		"place":    places,
	}
}

// ProtomapsLayers are the sample map's layers in the Protomaps basemap
// schema, in the order they are encoded.
var ProtomapsLayers = []string{"earth", "landcover", "water", "roads", "boundaries", "places"}

// Protomaps returns the sample map in the Protomaps basemap schema
// (docs.protomaps.com/basemaps/layers): earth, landcover, water, roads,
// boundaries and places layers with their kind attributes.
func Protomaps() map[string][]*geojson.Feature {
	places := make([]*geojson.Feature, len(cities))
	for i, c := range cities {
		places[i] = feature(uint64(100+i), c.at, geojson.Properties{"kind": "locality", "name": c.name, "name:ru": c.nameRU, "population_rank": 16 - c.rank})
	}
	land := orb.Polygon{ring(orb.Point{50, 30}, orb.Point{90, 30}, orb.Point{90, 55}, orb.Point{50, 55})}
	return map[string][]*geojson.Feature{
		"earth": {feature(1, land, geojson.Properties{"kind": "earth"})},
		"landcover": {
			feature(2, wood, geojson.Properties{"kind": "forest"}),
			feature(3, steppe, geojson.Properties{"kind": "grassland"}),
		},
		"water": {
			feature(10, aralSea, geojson.Properties{"kind": "lake"}),
			feature(11, issykKul, geojson.Properties{"kind": "lake"}),
			feature(20, syrDarya, geojson.Properties{"kind": "river", "name": "Syr Darya"}),
		},
		"roads": {
			feature(30, highway, geojson.Properties{"kind": "highway"}),
			feature(31, road, geojson.Properties{"kind": "major_road"}),
			feature(32, track, geojson.Properties{"kind": "path"}),
		},
		"boundaries": {feature(40, border, geojson.Properties{"kind": "country", "kind_detail": 2.0})},
		"places":     places,
	}
}
