package render

import (
	"context"
	"image"
	"image/color"
	"runtime"

	"github.com/ecoatlas/ecoatlas/geo/render/label"
	"github.com/ecoatlas/ecoatlas/geo/render/raster"
	"github.com/ecoatlas/ecoatlas/geo/render/text"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// Painter is the surface the renderer draws on. Everything a map is made
// of goes through it, in device pixels (the viewport's, or a page's):
// filled and stroked paths, point symbols, images (the shaded relief,
// tile packages), text (labels, already placed), and groups that take an
// opacity as a whole, all within a clip rectangle.
//
// The value types are package raster's, whose [raster.Canvas] is the
// pixel painter of the app, the CLI and PNG exports; the PDF and SVG
// painters of package vector draw the same calls as vector graphics and
// real text. A painter is used from one goroutine at a time.
type Painter interface {
	// Fill fills the area the path's subpaths enclose, each implicitly
	// closed, under a fill rule.
	Fill(p *raster.Path, col color.NRGBA, rule raster.FillRule)
	// Stroke draws a line along every subpath of the path.
	Stroke(p *raster.Path, s raster.Stroke)
	// Symbol draws a point symbol centred at (x, y).
	Symbol(x, y float64, s raster.Symbol)
	// Symbols draws a symbol centred at each point.
	Symbols(pts []raster.Point, s raster.Symbol)
	// DrawImage draws an image scaled onto a rectangle, combined with
	// what is below by a blend mode.
	DrawImage(img image.Image, r raster.Rect, blend raster.Blend)
	// Text draws a run of text.
	Text(r text.Run)
	// PushGroup opens a group: what is drawn until the matching PopGroup
	// is composited as one layer.
	PushGroup()
	// PopGroup closes the innermost group and composites it with an
	// opacity in [0, 1].
	PopGroup(opacity float64)
	// Clip restricts drawing to a rectangle until the next Clip; the
	// empty rectangle lifts the restriction.
	Clip(r image.Rectangle)
}

// Declare that the raster canvas is a painter.
var _ Painter = (*raster.Canvas)(nil)

// PaintGeometry draws the scene's background and layers for a viewport
// through a painter, with the viewport's top-left device pixel at `at`,
// clipped to the viewport. A raster canvas is drawn on all cores, tile by
// tile, straight into its image (its own clip and groups do not apply),
// or, when the scene's background is translucent (a veil over a map
// painted before), aside and then composited over it; another painter
// gets the whole map in one pass, each layer once. It returns ctx.Err()
// if cancelled midway.
func PaintGeometry(ctx context.Context, sc *Scene, vp viewport.Viewport, p Painter, at image.Point) error {
	frame := image.Rectangle{Min: at, Max: at.Add(image.Pt(vp.DeviceWidth(), vp.DeviceHeight()))}
	if c, ok := p.(*raster.Canvas); ok {
		dst := c.Image().SubImage(frame).(*image.RGBA)
		if dst.Rect != frame || sc.Background.A < 0xff {
			// The frame reaches beyond the image, or what is below must
			// show through: draw the whole frame aside and composite
			// what shows.
			img := image.NewRGBA(frame)
			if err := GeometryParallel(ctx, sc, vp, img, runtime.GOMAXPROCS(0)); err != nil {
				return err
			}
			c.DrawImage(img, rectOf(frame), raster.BlendNormal)
			return nil
		}
		return GeometryParallel(ctx, sc, vp, dst, runtime.GOMAXPROCS(0))
	}
	pl := newPlan(sc, vp, frame, max(frame.Dx(), frame.Dy(), 1))
	if err := pl.collectBand(ctx, sc, vp, 0, []projector{{tr: pl.tr}}); err != nil {
		return err
	}
	d := &drawer{painter: p, frame: frame, tr: pl.tr, zoom: pl.zoom, scale: pl.scale}
	p.Clip(frame)
	if sc.Background.A > 0 {
		var bg raster.Path
		r := rectOf(frame)
		bg.MoveTo(r.MinX, r.MinY)
		bg.LineTo(r.MaxX, r.MinY)
		bg.LineTo(r.MaxX, r.MaxY)
		bg.LineTo(r.MinX, r.MaxY)
		bg.Close()
		p.Fill(&bg, sc.Background, raster.NonZero)
	}
	err := d.drawLayers(ctx, pl, 0)
	p.Clip(image.Rectangle{})
	return err
}

// PaintLabels draws placed labels (see [Labels]) through a painter, the
// top-left device pixel of the view they were placed in at `at`.
func PaintLabels(p Painter, placed []label.Placed, at image.Point) {
	for i := range placed {
		p.Text(placed[i].Run().Moved(at))
	}
}

// Paint draws a whole map for a viewport through a painter, its top-left
// device pixel at `at`: the geometry (see [PaintGeometry]), then the
// labels placed over the whole view, which it returns.
func Paint(ctx context.Context, sc *Scene, vp viewport.Viewport, p Painter, at image.Point) ([]label.Placed, error) {
	if err := PaintGeometry(ctx, sc, vp, p, at); err != nil {
		return nil, err
	}
	placed, err := Labels(ctx, sc, vp)
	if err != nil {
		return nil, err
	}
	PaintLabels(p, placed, at)
	return placed, nil
}
