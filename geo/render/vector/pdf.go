package vector

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/ecoatlas/ecoatlas/geo/render/raster"
	"github.com/ecoatlas/ecoatlas/geo/render/text"
)

// ErrPDF is wrapped by the errors of writing a PDF document.
var ErrPDF = errors.New("vector: PDF")

// Info is what a document says about itself in its metadata.
type Info struct {
	Title   string
	Subject string
	// Creator names the program that made it.
	Creator string
	// Date is its creation date.
	Date time.Time
}

// Document is a PDF document being made, page by page; each page is drawn
// by the painter AddPage returns. Pages and painters are not safe for
// concurrent use.
type Document struct {
	pdf    *fpdf.Fpdf
	fonts  [4]bool
	images int
	page   *PDF
}

// NewDocument starts an empty PDF document.
func NewDocument(info Info) *Document {
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", Size: fpdf.SizeType{Wd: 595.28, Ht: 841.89}})
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetTitle(info.Title, true)
	pdf.SetSubject(info.Subject, true)
	pdf.SetCreator(info.Creator, true)
	pdf.SetProducer(info.Creator, true)
	if !info.Date.IsZero() {
		pdf.SetCreationDate(info.Date)
		pdf.SetModificationDate(info.Date)
	}
	return &Document{pdf: pdf}
}

// AddPage starts a page width × height points large (1/72 inch) and
// returns the painter that draws on it, taking device pixels at
// pixelsPerPoint to the point, the page's top-left corner at (0, 0).
func (d *Document) AddPage(width, height, pixelsPerPoint float64) *PDF {
	d.endPage()
	orientation := "P"
	if width > height {
		orientation = "L"
	}
	// fpdf takes the size upright and turns it for landscape.
	d.pdf.AddPageFormat(orientation, fpdf.SizeType{Wd: min(width, height), Ht: max(width, height)})
	d.page = &PDF{doc: d, k: 1 / pixelsPerPoint}
	return d.page
}

// Bookmark adds an entry for the current page to the document's outline,
// the table of contents PDF readers show beside the pages.
func (d *Document) Bookmark(title string) {
	d.pdf.Bookmark(title, 0, 0)
}

// Write ends the last page and writes the document.
func (d *Document) Write(w io.Writer) error {
	d.endPage()
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("%w: %v", ErrPDF, err)
	}
	return nil
}

// endPage lifts the clip of the page being drawn, if any.
func (d *Document) endPage() {
	if d.page != nil {
		d.page.setClip(image.Rectangle{})
		d.page = nil
	}
}

// PDF is the painter of a page of a [Document]. Groups are recorded and
// played back with their opacity when they close (see the package
// documentation).
type PDF struct {
	doc *Document
	// k is points per device pixel.
	k float64
	// groups are the open groups, innermost last.
	groups [][]func(alpha float64)
	clip   image.Rectangle
}

// do runs a drawing operation at full opacity, or records it in the
// innermost open group.
func (p *PDF) do(op func(alpha float64)) {
	if n := len(p.groups); n > 0 {
		p.groups[n-1] = append(p.groups[n-1], op)
		return
	}
	op(1)
}

// Fill fills the area the path encloses.
func (p *PDF) Fill(path *raster.Path, col color.NRGBA, rule raster.FillRule) {
	if col.A == 0 || path.Len() == 0 {
		return
	}
	c := copyPath(path)
	p.do(func(a float64) { p.fill(c, col, rule, a) })
}

func (p *PDF) fill(path *raster.Path, col color.NRGBA, rule raster.FillRule, a float64) {
	pdf := p.doc.pdf
	pdf.SetFillColor(int(col.R), int(col.G), int(col.B))
	pdf.SetAlpha(opacity(col, a), "Normal")
	if !p.emit(path, 3) {
		return
	}
	if rule == raster.EvenOdd {
		pdf.DrawPath("f*")
	} else {
		pdf.DrawPath("f")
	}
}

// Stroke draws a line along the path.
func (p *PDF) Stroke(path *raster.Path, s raster.Stroke) {
	if s.Color.A == 0 || !(s.Width > 0) || path.Len() == 0 {
		return
	}
	c := copyPath(path)
	s.Dash = append([]float64(nil), s.Dash...)
	p.do(func(a float64) { p.stroke(c, s, a) })
}

func (p *PDF) stroke(path *raster.Path, s raster.Stroke, a float64) {
	pdf := p.doc.pdf
	pdf.SetDrawColor(int(s.Color.R), int(s.Color.G), int(s.Color.B))
	pdf.SetAlpha(opacity(s.Color, a), "Normal")
	pdf.SetLineWidth(s.Width * p.k)
	pdf.SetLineCapStyle(capName(s.Cap))
	pdf.SetLineJoinStyle(joinName(s.Join))
	dash := make([]float64, 0, len(s.Dash))
	for _, v := range s.Dash {
		dash = append(dash, v*p.k)
	}
	if !validDash(dash) {
		dash = nil
	}
	pdf.SetDashPattern(dash, s.DashOffset*p.k)
	if p.emit(path, 1) {
		pdf.DrawPath("S")
	}
	pdf.SetDashPattern(nil, 0)
}

// validDash reports whether a dash pattern draws dashes: PDF readers
// reject a pattern without a positive length.
func validDash(d []float64) bool {
	positive := false
	for _, v := range d {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
		positive = positive || v > 0
	}
	return positive
}

// emit writes the subpaths with at least least points as the current
// path and reports whether there were any.
func (p *PDF) emit(path *raster.Path, least int) bool {
	pdf := p.doc.pdf
	any := false
	for pts, closed := range path.Subpaths() {
		if len(pts) < least {
			continue
		}
		any = true
		pdf.MoveTo(pts[0].X*p.k, pts[0].Y*p.k)
		for _, q := range pts[1:] {
			pdf.LineTo(q.X*p.k, q.Y*p.k)
		}
		if len(pts) == 1 {
			pdf.LineTo(pts[0].X*p.k, pts[0].Y*p.k)
		}
		if closed {
			pdf.ClosePath()
		}
	}
	return any
}

// Symbol draws a point symbol as its outline, filled and stroked.
func (p *PDF) Symbol(x, y float64, s raster.Symbol) {
	if !(s.Size > 0) || math.IsInf(s.Size, 0) || math.IsNaN(x) || math.IsNaN(y) {
		return
	}
	path, st := symbolParts(x, y, s)
	p.Fill(path, s.Fill, raster.NonZero)
	p.Stroke(path, st)
}

// Symbols draws a symbol at each point.
func (p *PDF) Symbols(pts []raster.Point, s raster.Symbol) {
	for _, q := range pts {
		p.Symbol(q.X, q.Y, s)
	}
}

// DrawImage embeds an image, drawn scaled onto a rectangle.
func (p *PDF) DrawImage(img image.Image, r raster.Rect, blend raster.Blend) {
	d := p.doc
	d.images++
	name := fmt.Sprintf("image%d", d.images)
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img); err != nil {
		d.pdf.SetError(fmt.Errorf("%w: encoding an image: %v", ErrPDF, err))
		return
	}
	d.pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, &buf)
	mode := "Normal"
	if blend == raster.BlendMultiply {
		mode = "Multiply"
	}
	p.do(func(a float64) {
		d.pdf.SetAlpha(min(max(a, 0), 1), mode)
		d.pdf.ImageOptions(name, r.MinX*p.k, r.MinY*p.k, (r.MaxX-r.MinX)*p.k, (r.MaxY-r.MinY)*p.k,
			false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
		d.pdf.SetAlpha(1, "Normal")
	})
}

// Text sets a run as text in the label font: the halo as the stroke of
// the same text under it, then the text itself.
func (p *PDF) Text(r text.Run) {
	spans := r.Spans()
	if len(spans) == 0 || r.Size() <= 0 {
		return
	}
	p.do(func(a float64) { p.text(r, spans, a) })
}

func (p *PDF) text(r text.Run, spans []text.Span, a float64) {
	pdf := p.doc.pdf
	st := r.Style()
	f := faceOf(st)
	if !p.doc.fonts[f] {
		pdf.AddUTF8FontFromBytes(fontFamily, faces[f].style, faces[f].ttf)
		p.doc.fonts[f] = true
	}
	size := r.Size() * p.k
	pdf.SetFont(fontFamily, faces[f].style, size)
	// SetFont writes nothing when the font is unchanged, but a clip ended
	// since may have restored another: SetFontSize always writes it.
	pdf.SetFontSize(size)
	if reach := st.HaloReach(r.Scale()); reach > 0 {
		pdf.SetTextRenderingMode(1)
		pdf.SetDrawColor(int(st.Halo.R), int(st.Halo.G), int(st.Halo.B))
		pdf.SetAlpha(opacity(st.Halo, a), "Normal")
		pdf.SetLineWidth(2 * reach * p.k)
		pdf.SetLineJoinStyle("round")
		pdf.SetDashPattern(nil, 0)
		p.spans(spans)
	}
	pdf.SetTextRenderingMode(0)
	pdf.SetTextColor(int(st.Color.R), int(st.Color.G), int(st.Color.B))
	pdf.SetAlpha(opacity(st.Color, a), "Normal")
	p.spans(spans)
}

// spans writes the spans of a run in the current font and mode.
func (p *PDF) spans(spans []text.Span) {
	pdf := p.doc.pdf
	for _, s := range spans {
		x, y := s.X*p.k, s.Y*p.k
		if s.LetterSpacing != 0 {
			pdf.RawWriteStr(fmt.Sprintf("%.3f Tc\n", s.LetterSpacing*p.k))
		}
		if s.Angle == 0 {
			pdf.Text(x, y, s.Text)
		} else {
			pdf.TransformBegin()
			pdf.TransformRotate(-s.Angle*180/math.Pi, x, y)
			pdf.Text(x, y, s.Text)
			pdf.TransformEnd()
		}
		if s.LetterSpacing != 0 {
			pdf.RawWriteStr("0 Tc\n")
		}
	}
}

// PushGroup opens a group.
func (p *PDF) PushGroup() { p.groups = append(p.groups, nil) }

// PopGroup closes the innermost group and draws it, every shape at its
// own opacity times opacity.
func (p *PDF) PopGroup(opacity float64) {
	n := len(p.groups)
	if n == 0 {
		panic("vector: PopGroup without a matching PushGroup")
	}
	ops := p.groups[n-1]
	p.groups = p.groups[:n-1]
	if opacity <= 0 {
		return
	}
	p.do(func(a float64) {
		for _, op := range ops {
			op(a * min(opacity, 1))
		}
	})
}

// Clip restricts drawing to a rectangle of device pixels until the next
// Clip; the empty rectangle lifts the restriction.
func (p *PDF) Clip(r image.Rectangle) {
	p.do(func(float64) { p.setClip(r) })
}

func (p *PDF) setClip(r image.Rectangle) {
	pdf := p.doc.pdf
	if !p.clip.Empty() {
		pdf.ClipEnd()
	}
	p.clip = r
	if !r.Empty() {
		pdf.ClipRect(float64(r.Min.X)*p.k, float64(r.Min.Y)*p.k, float64(r.Dx())*p.k, float64(r.Dy())*p.k, false)
	}
}
