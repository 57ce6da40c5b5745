package export

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"io"
	"math"

	"github.com/ecoatlas/ecoatlas/geo/clausemap"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/render/raster"
	"github.com/ecoatlas/ecoatlas/geo/render/vector"
)

// Render draws a page at the options' resolution, every line and letter
// at that resolution. progress, if not nil, is told how far the drawing
// has gone, from 0 to 1.
func (x *Exporter) Render(ctx context.Context, page Page, opt Options, progress func(float64)) (*image.RGBA, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	w, h := pageSize(opt)
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	l := x.newLayout(raster.New(img), page, opt, progress)
	if err := l.draw(ctx); err != nil {
		return nil, err
	}
	l.progress(1)
	return img, nil
}

// WritePNG draws a page (see Render) and writes it as PNG, with its
// resolution recorded for printing.
func (x *Exporter) WritePNG(ctx context.Context, w io.Writer, page Page, opt Options, progress func(float64)) error {
	img, err := x.Render(ctx, page, opt, scaled(progress, 0, 0.8))
	if err != nil {
		return err
	}
	if err := EncodePNG(w, img, opt.DPI); err != nil {
		return err
	}
	if progress != nil {
		progress(1)
	}
	return nil
}

// WritePDF writes pages as one PDF document, a page per page (the steps
// of a story make a handout), each in the document's outline under its
// subtitle or title. Lines, symbols and text are vectors; the relief is
// an image. progress, if not nil, is told how far the writing has gone.
func (x *Exporter) WritePDF(ctx context.Context, w io.Writer, pages []Page, opt Options, progress func(float64)) error {
	if err := opt.check(); err != nil {
		return err
	}
	if len(pages) == 0 {
		return fmt.Errorf("%w: a document needs a page", ErrPage)
	}
	doc := vector.NewDocument(vector.Info{Title: pages[0].Title, Creator: "Ecoatlas", Date: opt.Date})
	wMM, hMM := opt.size()
	const pointsPerMM = 72 / 25.4
	for i, page := range pages {
		p := doc.AddPage(wMM*pointsPerMM, hMM*pointsPerMM, opt.DPI/72)
		mark := page.Subtitle
		if mark == "" {
			mark = page.Title
		}
		doc.Bookmark(mark)
		l := x.newLayout(p, page, opt, scaled(progress, float64(i)/float64(len(pages)), 0.9/float64(len(pages))))
		if len(pages) > 1 {
			l.number, l.total = i+1, len(pages)
		}
		if err := l.draw(ctx); err != nil {
			return err
		}
	}
	bw := bufio.NewWriter(w)
	if err := doc.Write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: writing the PDF: %w", err)
	}
	if progress != nil {
		progress(1)
	}
	return nil
}

// WriteSVG writes the map of a page alone, without the page around it,
// as an SVG document of width × height pixels of 1/96 inch.
func (x *Exporter) WriteSVG(ctx context.Context, w io.Writer, page Page, width, height int, opt Options) error {
	if page.Style == nil || width <= 0 || height <= 0 {
		return fmt.Errorf("%w: an SVG of %d×%d pixels of %q", ErrPage, width, height, page.Title)
	}
	svg := vector.NewSVG(float64(width), float64(height))
	l := &layout{x: x, page: page, opt: Options{DPI: logicalDPI}}
	vp := l.viewport(image.Rect(0, 0, width, height))
	sc := x.engine.Atlas().Scene(page.Style, opt.Lang)
	placed, err := render.Paint(ctx, sc, vp, svg, image.Point{})
	if err != nil {
		return err
	}
	if h := page.Highlight; h != nil {
		var boxes []image.Rectangle
		for _, pl := range placed {
			boxes = append(boxes, pl.Boxes...)
		}
		if _, err := h.Map.PaintOverlay(ctx, svg, vp, h.Selection, clausemap.DefaultLook, boxes, image.Point{}); err != nil {
			return err
		}
	}
	bw := bufio.NewWriter(w)
	if _, err := svg.WriteTo(bw); err != nil {
		return fmt.Errorf("export: writing the SVG: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: writing the SVG: %w", err)
	}
	return nil
}

// scaled returns a progress function that reports f's progress from 0 to
// 1 as from..from+span of progress's, or nil if progress is nil.
func scaled(progress func(float64), from, span float64) func(float64) {
	if progress == nil {
		return nil
	}
	return func(f float64) { progress(from + f*span) }
}

// EncodePNG writes an image as PNG with a pHYs chunk giving its
// resolution in dots per inch, so that printing and layout programs size
// it right.
func EncodePNG(w io.Writer, img image.Image, dpi float64) error {
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img); err != nil {
		return fmt.Errorf("export: encoding the PNG: %w", err)
	}
	data := buf.Bytes()
	// The signature (8 bytes) and IHDR (4 + 4 + 13 + 4) come first.
	const afterIHDR = 8 + 25
	perMetre := uint32(math.Round(dpi / 0.0254))
	chunk := make([]byte, 0, 21)
	chunk = binary.BigEndian.AppendUint32(chunk, 9)
	chunk = append(chunk, "pHYs"...)
	chunk = binary.BigEndian.AppendUint32(chunk, perMetre)
	chunk = binary.BigEndian.AppendUint32(chunk, perMetre)
	chunk = append(chunk, 1) // the unit is the metre
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	for _, part := range [][]byte{data[:afterIHDR], chunk, data[afterIHDR:]} {
		if _, err := w.Write(part); err != nil {
			return fmt.Errorf("export: writing the PNG: %w", err)
		}
	}
	return nil
}
