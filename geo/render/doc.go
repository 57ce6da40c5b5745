// Package render draws a [Scene] (layers, their features and styles) for a
// viewport: geometry into an *image.RGBA, and labels placed over a whole
// frame.
//
// The two passes are separate on purpose. Geometry is drawn per tile or
// per band, in parallel, and cached by the app; labels are placed once per
// frame across the whole view, so they never get cut at tile seams and
// never overlap (package label does the placement).
//
// The renderer works in device pixels. It projects lon/lat to Web
// Mercator on the fly, drops vertices closer together than a fraction of a
// pixel (the per-zoom simplification), clips what lies far outside the
// target, and hands paths to a [raster.Canvas]. Everything it draws goes
// through that small painting surface, so a vector back end (PDF, SVG)
// can take its place later without touching the code here.
package render
