package vector

import (
	"image/color"

	"github.com/ecoatlas/ecoatlas/geo/render/raster"
)

// copyPath returns a copy of a path, for painting later: the renderer
// reuses its paths.
func copyPath(p *raster.Path) *raster.Path {
	c := new(raster.Path)
	for pts, closed := range p.Subpaths() {
		for i, q := range pts {
			if i == 0 {
				c.MoveTo(q.X, q.Y)
			} else {
				c.LineTo(q.X, q.Y)
			}
		}
		if closed {
			c.Close()
		}
	}
	return c
}

// capName and joinName are the names PDF (fpdf) and SVG share for a
// stroke's caps and joins.
func capName(c raster.Cap) string {
	switch c {
	case raster.CapRound:
		return "round"
	case raster.CapSquare:
		return "square"
	}
	return "butt"
}

func joinName(j raster.Join) string {
	switch j {
	case raster.JoinRound:
		return "round"
	case raster.JoinBevel:
		return "bevel"
	}
	return "miter"
}

// miterLimit is the raster canvas's miter limit, which both formats
// default to as well.
const miterLimit = 4.0

// opacity returns a colour's alpha times a, in [0, 1].
func opacity(c color.NRGBA, a float64) float64 {
	return min(max(float64(c.A)/255*a, 0), 1)
}

// symbolParts returns the outline of a symbol and the fill and stroke
// the raster canvas draws it with.
func symbolParts(x, y float64, s raster.Symbol) (*raster.Path, raster.Stroke) {
	p := new(raster.Path)
	raster.ShapePath(p, s.Shape, x, y, s.Size)
	return p, raster.Stroke{Color: s.Stroke, Width: s.StrokeWidth, Join: raster.JoinMiter}
}
