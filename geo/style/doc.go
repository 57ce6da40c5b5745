// Package style is the map's symbology kept as data: which sources the
// map draws, in which order, and how each feature looks at each zoom.
//
// A [Style] is read from JSON (the default one is assets/style.json). It
// follows MapLibre's split of sources and layers: one source can feed
// several layers, and layers draw in order, first at the bottom. Within a
// layer, the first [Rule] whose filter and zoom range match a feature
// decides its fill, stroke, point symbol and label; rules also carry the
// legend text, so the legend is drawn from exactly what the map draws.
//
// Values that vary ([Number]) interpolate linearly between stops, on the
// zoom or on a numeric property (optionally on its logarithm), which is how
// rivers taper by rank and cities grow with population without a full
// expression language.
package style
