// Package query asks the map questions: what is drawn here (Identify),
// where is that (Search), what is this (Describe), which features lie in
// a basin or near a river (Within, Near), how many features each legend
// line stands for (LegendCounts), and how much of the Aral is gone
// (Compare). The desktop app and the CLI share it, so both give the same
// answers.
//
// # What the map shows
//
// Answers follow the style, not the files: a feature belongs to a layer
// when the layer's filter and one of its rules show it, a click hits what
// a rule draws at the view's zoom (a symbol of its size, a stroke of its
// width, a filled or outlined polygon with its holes), and points that
// the map groups into clusters are hit and counted as the renderer groups
// them (render.Drawn). Methods take the style as shown: the app's copy
// with layers switched on or off, and a Filter (the filter panel's
// choices) applied with Engine.Apply, so that the map, the legend counts,
// search and spatial answers honour the same filter.
//
// # Words
//
// Everything an identify panel or a result list shows comes ready in one
// language: attribute names, values in words ("approx_10km" → "position
// known only to about 10 km (the nearest town)"), numbers written the
// language's way with their units ("2 000 000 m³", "2 000 000 м³"),
// geodesic areas and lengths, the basin and country a feature lies in.
// The words come from a data dictionary (Dictionary, the embedded map's
// being assets/dictionary.json), not from code and not from the app's
// string catalogue: the fields, their units and their values are facts of
// a dataset, which travel with the data and change with it, as the
// style's legend lines and the names table do, and the CLI answers in the
// same words without the UI toolkit. A dictionary gives every text in
// each of its languages (English and Russian today), checked on parsing;
// a language it lacks falls back along the style's language chain
// (Kazakh → Russian → English). Every row also carries its key (the
// property's name, or the term of a computed row), its raw value and the
// features it names, so a UI can format or link them its own way.
//
// # Names
//
// Search compares keys: a name and a query are both written in plain
// Latin letters without case, diacritics or spaces, Cyrillic
// transliterated, and the letters on which the region's transliterations
// disagree made one (see fold), so "иссык", "ysyk", "Ysyk-Köl" and
// "Ыссык-Көл" all find Lake Issyk-Kul. Every "name" and "name_<lang>"
// property of every feature a layer shows is indexed once, when the
// engine is built; a search scans the keys in well under a millisecond.
//
// # Geometry
//
// Hit-testing works in the view's pixels, projecting with Web Mercator as
// the renderer does, and uses each layer's R-tree. Areas and lengths are
// geodesic on WGS 84 (geo/geodesic, PROJ's geodesic routines); buffers,
// containment and distances go through GEOS (geo/overlay) in true metres.
package query
