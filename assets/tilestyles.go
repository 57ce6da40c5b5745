package assets

import _ "embed"

// OpenMapTilesStyle and ProtomapsStyle are the JSON of the styles vector
// tile packages are drawn with by default, one per tile schema: the
// OpenMapTiles schema (openmaptiles.org/schema, also served by MapTiler
// and Planetiler) and the Protomaps basemap schema
// (docs.protomaps.com/basemaps/layers). Each is a complete style whose one
// source is a package beside it (openmaptiles.mbtiles, protomaps.pmtiles),
// in the colours of the default map, so a package can also be drawn with
// it as it stands; the app and the CLI take its layers for a package they
// add.
var (
	//go:embed tilestyles/openmaptiles.json
	OpenMapTilesStyle []byte
	//go:embed tilestyles/protomaps.json
	ProtomapsStyle []byte
)
