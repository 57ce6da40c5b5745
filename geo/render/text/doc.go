// Package text lays out, measures and renders map labels with the Go fonts
// (Regular, Bold, Italic, Bold Italic), which cover Latin, Cyrillic and
// Greek and are compiled into the binary, so labels look the same, pixel for
// pixel, on every machine.
//
// All positions and sizes it returns are device pixels: a Style's lengths
// are logical pixels and every call takes the device scale (2 on a HiDPI
// screen) that converts them.
//
// Labels are pre-rendered: [Render] returns a [Bitmap] (premultiplied RGBA
// of the glyphs over a soft halo) that drawing a frame merely blits. Layouts
// and bitmaps are kept in bounded least-recently-used caches shared by all
// goroutines, so measuring or rendering the same label again is a map look-up.
//
// Text along a line, for river and lake names, is laid out glyph by glyph
// with [LayoutAlong], which is cheap and reports the glyphs' boxes for
// collision tests; [PathLayout.Render] then rasterises the rotated glyph
// outlines once.
package text
