// Package layer is the data model of the map: features with orb geometries
// in WGS 84 lon/lat, their properties, and the sources that hold them.
//
// A source is where features come from: today an in-memory [Vector] filled
// by a decoder, later a GeoPackage table, a tile package or a PostGIS
// query. The renderer depends only on [FeatureSource], so those can be
// added without touching it. A [Vector] is immutable once built, which is
// what lets tile workers read it on several goroutines without locks; an
// edit makes a new revision rather than changing one in place.
package layer
