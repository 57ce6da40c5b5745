// Package raster is the anti-aliased pixel surface the map renderer draws
// on: filled polygons, stroked lines with joins, caps and dashes, point
// symbols, and group opacity, composited source-over onto an *image.RGBA.
//
// All coordinates are device pixels in the destination image's coordinate
// space, already projected by the caller; (0, 0) is the top-left corner of
// the top-left pixel, so the centre of pixel (i, j) is (i+0.5, j+0.5).
// Colours come in as non-premultiplied [color.NRGBA]. Fully covered pixels
// are blended with image/draw's own arithmetic, so the inside of a shape
// is exactly what draw.Draw would give; anti-aliased edge pixels are
// within one level of it.
//
// # Rasterization
//
// Coverage is computed by exact-area accumulation, the method of font-rs
// and golang.org/x/image/vector: every edge deposits the signed area it
// covers into a float32 cell grid, and a running sum along each row gives
// the coverage of each pixel. The package has its own rasterizer rather
// than x/image/vector's because it needs the even-odd rule, and because
// it never touches more of the grid than a shape's outline: the grid is
// laid out over the pixels the shape can reach, the chunks of 8 pixels
// that receive deposits are flagged and only those are composited and
// cleared, and the runs between them (a shape's interior) are filled as
// constant spans. A small shape thus works in a few hot cache lines, and a
// large one is processed in bands of 16 rows, so a thin line across the
// whole image costs about as much as its length. Edges outside the image
// are clipped analytically, and shapes entirely outside it are culled.
//
// Before rasterization, vertices are dropped where the outline stays
// within a tenth of a pixel of the original, which is invisible but saves
// most of the work on over-detailed data; a Path keeps the result between
// a Fill and a Stroke. A caller that simplifies its points itself, with
// [Simplify] at a tolerance of its choosing, marks the path with
// [Path.MarkSimplified] to skip that pass.
//
// Two fill rules are available. [EvenOdd] is what polygons with holes need
// when ring orientation is unknown (GeoJSON, shapefiles and GeoPackage
// disagree on it); [NonZero] treats any winding as inside.
//
// # Strokes
//
// A stroke is outlined in pixel space as one contour per line (two per
// ring) that winds like the union of a rectangle per segment and a wedge
// per join, and is filled with the non-zero rule, so overlapping parts of
// one stroke, at joins or where a line crosses itself, are painted once.
// As with any exact-area rasterizer, a pixel on the anti-aliased edge of
// two overlapping parts gets the sum of their coverages, at most full.
// Lines are clipped to the image, plus the stroke's reach, before they are
// outlined, and dash patterns are walked in pixel space across vertices,
// skipping invisible stretches arithmetically, so a line 100 000 px long
// costs only its visible part.
//
// Thin strokes, solid and round-joined up to 1.5 px wide with butt or
// round caps (the outlines and lines that make up most of a map), take a
// shorter path. A pixel's coverage is taken from the distance d of its
// centre to the nearest segment, clamp(width/2 + ½ − d, 0, 1): what a
// pixel-wide box filter gives an edge parallel to a pixel side, and close
// to it otherwise (a line's ink is within a few percent of the exact
// area's, though a pixel can be off by up to a sixth). Each segment raises
// the coverage of the few pixels near it to that value, so joints and
// crossings are painted once, and round joins come for free. Two strands
// of one line sharing a pixel without overlapping in it give it the
// coverage of the nearer one only, so a line folding back on itself within
// a pixel or two comes out up to a tenth lighter than its true coverage;
// in exchange, a segment costs a few pixels where an outline costs four or
// more edges.
//
// # Symbols
//
// Point symbols are rendered once per symbol and per quarter-pixel offset
// into small premultiplied stamps, cached on the [Canvas], and blitted
// source-over. [Canvas.Symbols] draws a whole point layer at once, sorted
// by position when the order cannot show.
package raster
