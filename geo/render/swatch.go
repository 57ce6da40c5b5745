package render

import (
	"image"
	"image/color"
	"math"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/render/raster"
	"github.com/ecoatlas/ecoatlas/geo/style"
)

// swatchZoom is the zoom at which zoom-dependent widths and sizes are
// evaluated for the legend: a regional view, the app's usual one.
const swatchZoom = 6

// Swatch draws a legend sample of a rule, w×h logical pixels at a device
// scale, on a transparent background: a patch for polygons, a curve for
// lines, the symbol for points, and a grey relief ramp for a hillshade
// layer (kind unknown, no fill, stroke or symbol). It uses the same
// painting code as the map, so the legend always matches it.
func Swatch(r *style.Rule, kind layer.GeometryKind, w, h int, scale float64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, int(math.Round(float64(w)*scale)), int(math.Round(float64(h)*scale))))
	PaintSwatch(raster.New(img), r, kind, rectOf(img.Rect), scale)
	return img
}

// PaintSwatch draws the legend sample of a rule (see [Swatch]) through a
// painter, filling the box (device pixels) at a device scale.
func PaintSwatch(p Painter, r *style.Rule, kind layer.GeometryKind, box raster.Rect, scale float64) {
	X, Y := box.MinX, box.MinY
	W, H := box.MaxX-box.MinX, box.MaxY-box.MinY
	d := &drawer{painter: p, zoom: swatchZoom, scale: scale}
	var path raster.Path
	switch {
	case kind == layer.KindPoint && r.Symbol != nil:
		s := r.Symbol
		size := min(s.Size.Eval(swatchZoom, nil)*scale, H-2*scale)
		if ring := s.Ring; ring != nil {
			// The ring as a dashed circle just inside the sample, the
			// symbol shrunk to fit in it.
			size = min(size, H*0.55)
			st := raster.Stroke{Color: ring.Color.NRGBA(), Width: ring.Width * scale, Join: raster.JoinRound}
			for _, v := range ring.Dash {
				st.Dash = append(st.Dash, v*scale)
			}
			d.circle(raster.Point{X: X + W/2, Y: Y + H/2}, H/2-scale)
			p.Stroke(&d.path, st)
		}
		p.Symbol(X+W/2, Y+H/2, raster.Symbol{
			Shape: symbolShape(s.Shape), Size: size, Fill: s.Fill.NRGBA(),
			Stroke: s.Stroke.NRGBA(), StrokeWidth: s.StrokeWidth.Eval(swatchZoom, nil) * scale,
		})
	case kind == layer.KindLine && r.Stroke != nil:
		steps := 24
		for i := 0; i <= steps; i++ {
			t := float64(i) / float64(steps)
			x := X + 2*scale + t*(W-4*scale)
			y := Y + H/2 - math.Sin(t*2*math.Pi)*H/4
			if i == 0 {
				path.MoveTo(x, y)
			} else {
				path.LineTo(x, y)
			}
		}
		p.Stroke(&path, d.stroke(r.Stroke, nil))
	case !r.Fill.IsZero() || r.Stroke != nil:
		in := 2 * scale
		path.MoveTo(X+in, Y+in)
		path.LineTo(X+W-in, Y+in)
		path.LineTo(X+W-in, Y+H-in)
		path.LineTo(X+in, Y+H-in)
		path.Close()
		if !r.Fill.IsZero() {
			p.Fill(&path, r.Fill.NRGBA(), raster.EvenOdd)
		}
		if r.Stroke != nil {
			p.Stroke(&path, d.stroke(r.Stroke, nil))
		}
	default:
		ramp := image.NewRGBA(image.Rect(0, 0, max(1, int(math.Round(W))), max(1, int(math.Round(H)))))
		reliefRamp(ramp)
		p.DrawImage(ramp, box, raster.BlendNormal)
	}
}

// reliefRamp fills an image with a soft light-to-shade diagonal, the
// legend sample of shaded relief.
func reliefRamp(img *image.RGBA) {
	b := img.Rect
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			t := float64(x+y) / float64(b.Dx()+b.Dy())
			v := uint8(235 - 90*t)
			img.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
}
