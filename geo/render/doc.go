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
// target, and hands paths, symbols, images and text to a [Painter].
// Everything it draws goes through that small interface: the raster
// canvas (package raster) is the painter of the screen and of PNG files,
// and the PDF and SVG painters of package vector draw the same map as
// vector graphics with real text, through [Paint]. Labels are placed once
// (the placement is data, see package label) and drawn by any painter.
package render
