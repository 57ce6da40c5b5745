// Package vector draws maps as vector graphics: the PDF and SVG painters
// of the renderer's [render.Painter] interface. The renderer, the label
// placement and the page layouts of package export are the same for
// these as for the raster canvas; only the last step differs. Paths are
// written as paths, point symbols as their outlines, labels as real text
// in the embedded Noto Sans (searchable and selectable, their halo a
// stroke of the same text under it), and images, such as the shaded
// relief, as images (the relief multiplied over the map below it).
//
// PDF is written with codeberg.org/go-pdf/fpdf rather than
// github.com/tdewolff/canvas: fpdf is a single package with no
// dependencies outside the standard library, it embeds TrueType fonts as
// subsets with the Unicode map that makes the text extractable, and it
// exposes paths, fill rules, dashes, clipping, blend modes and
// transforms, all this package needs. canvas would have brought its own
// renderer, text shaping and some forty modules (Fyne, Gio, gonum/plot
// among them) for the same result. SVG is text and is written directly.
//
// Two things differ from the raster canvas, both by the nature of the
// formats. A PDF group's opacity applies to each shape of the group rather
// than to the group as one layer (fpdf writes no transparency groups), so
// where two shapes of a translucent layer overlap, the overlap is darker
// than on screen; SVG groups are exact. And a relief image can only
// darken the map under it (PDF and CSS multiply), while the raster relief
// also lightens sunlit slopes a little.
package vector
