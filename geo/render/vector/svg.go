package vector

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/render/raster"
	"github.com/ecoatlas/ecoatlas/geo/render/text"
)

// SVG is a painter that writes an SVG document whose user units are the
// device pixels drawn. Groups are SVG groups with their opacity; the
// fonts used are embedded, so the document looks the same everywhere.
type SVG struct {
	width, height float64
	// parts are the open groups' contents, the document's body first.
	parts []*bytes.Buffer
	defs  bytes.Buffer
	// clip is the clip-path attribute of what is drawn now, or "".
	clip  string
	clips map[image.Rectangle]string
	fonts [4]bool
	num   []byte
}

// NewSVG returns a painter for an SVG document of width × height device
// pixels.
func NewSVG(width, height float64) *SVG {
	return &SVG{width: width, height: height, parts: []*bytes.Buffer{new(bytes.Buffer)}, clips: map[image.Rectangle]string{}}
}

// WriteTo writes the document: its size in pixels, the embedded fonts,
// the clip rectangles and what was drawn. Groups still open are left out.
func (s *SVG) WriteTo(w io.Writer) (int64, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s">
`, s.f(s.width), s.f(s.height), s.f(s.width), s.f(s.height))
	if s.defs.Len() > 0 || s.fonts != [4]bool{} {
		b.WriteString("<defs>\n")
		if s.fonts != [4]bool{} {
			b.WriteString("<style>\n")
			for i, used := range s.fonts {
				if used {
					fmt.Fprintf(&b, "@font-face{font-family:%q;font-weight:%s;font-style:%s;src:url(data:font/ttf;base64,%s)}\n",
						fontFamily, faces[i].weight, faces[i].italic, base64.StdEncoding.EncodeToString(faces[i].ttf))
				}
			}
			b.WriteString("</style>\n")
		}
		b.Write(s.defs.Bytes())
		b.WriteString("</defs>\n")
	}
	b.Write(s.parts[0].Bytes())
	b.WriteString("</svg>\n")
	n, err := w.Write(b.Bytes())
	return int64(n), err
}

// out returns where elements are written now: the innermost open group.
func (s *SVG) out() *bytes.Buffer { return s.parts[len(s.parts)-1] }

// f formats a number with at most two decimals.
func (s *SVG) f(v float64) string {
	s.num = strconv.AppendFloat(s.num[:0], math.Round(v*100)/100, 'f', -1, 64)
	return string(s.num)
}

// colour returns a colour as #rrggbb.
func colour(c color.NRGBA) string {
	return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
}

// pathData returns the SVG path data of the subpaths with at least least
// points, or "".
func (s *SVG) pathData(p *raster.Path, least int) string {
	var b strings.Builder
	for pts, closed := range p.Subpaths() {
		if len(pts) < least {
			continue
		}
		b.WriteString("M" + s.f(pts[0].X) + " " + s.f(pts[0].Y))
		for _, q := range pts[1:] {
			b.WriteString("L" + s.f(q.X) + " " + s.f(q.Y))
		}
		if len(pts) == 1 {
			b.WriteString("h0")
		}
		if closed {
			b.WriteString("Z")
		}
	}
	return b.String()
}

// Fill fills the area the path encloses.
func (s *SVG) Fill(p *raster.Path, col color.NRGBA, rule raster.FillRule) {
	d := s.pathData(p, 3)
	if col.A == 0 || d == "" {
		return
	}
	w := s.out()
	fmt.Fprintf(w, `<path d="%s" fill="%s"`, d, colour(col))
	if col.A < 255 {
		fmt.Fprintf(w, ` fill-opacity="%s"`, s.f(opacity(col, 1)))
	}
	if rule == raster.EvenOdd {
		w.WriteString(` fill-rule="evenodd"`)
	}
	w.WriteString(s.clip + "/>\n")
}

// Stroke draws a line along the path.
func (s *SVG) Stroke(p *raster.Path, st raster.Stroke) {
	d := s.pathData(p, 1)
	if st.Color.A == 0 || !(st.Width > 0) || d == "" {
		return
	}
	w := s.out()
	fmt.Fprintf(w, `<path d="%s" fill="none" stroke="%s" stroke-width="%s"`, d, colour(st.Color), s.f(st.Width))
	if st.Color.A < 255 {
		fmt.Fprintf(w, ` stroke-opacity="%s"`, s.f(opacity(st.Color, 1)))
	}
	if st.Cap != raster.CapButt {
		fmt.Fprintf(w, ` stroke-linecap="%s"`, capName(st.Cap))
	}
	if st.Join != raster.JoinMiter {
		fmt.Fprintf(w, ` stroke-linejoin="%s"`, joinName(st.Join))
	}
	if validDash(st.Dash) {
		parts := make([]string, len(st.Dash))
		for i, v := range st.Dash {
			parts[i] = s.f(v)
		}
		fmt.Fprintf(w, ` stroke-dasharray="%s"`, strings.Join(parts, " "))
		if st.DashOffset != 0 {
			fmt.Fprintf(w, ` stroke-dashoffset="%s"`, s.f(st.DashOffset))
		}
	}
	w.WriteString(s.clip + "/>\n")
}

// Symbol draws a point symbol as its outline, filled and stroked.
func (s *SVG) Symbol(x, y float64, sym raster.Symbol) {
	if !(sym.Size > 0) || math.IsInf(sym.Size, 0) || math.IsNaN(x) || math.IsNaN(y) {
		return
	}
	p, st := symbolParts(x, y, sym)
	s.Fill(p, sym.Fill, raster.NonZero)
	s.Stroke(p, st)
}

// Symbols draws a symbol at each point.
func (s *SVG) Symbols(pts []raster.Point, sym raster.Symbol) {
	for _, q := range pts {
		s.Symbol(q.X, q.Y, sym)
	}
}

// DrawImage embeds an image as PNG, drawn scaled onto a rectangle.
func (s *SVG) DrawImage(img image.Image, r raster.Rect, blend raster.Blend) {
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img); err != nil {
		return // an in-memory image of a valid size always encodes
	}
	w := s.out()
	fmt.Fprintf(w, `<image x="%s" y="%s" width="%s" height="%s" preserveAspectRatio="none"`,
		s.f(r.MinX), s.f(r.MinY), s.f(r.MaxX-r.MinX), s.f(r.MaxY-r.MinY))
	if blend == raster.BlendMultiply {
		w.WriteString(` style="mix-blend-mode:multiply"`)
	}
	fmt.Fprintf(w, ` href="data:image/png;base64,%s"%s/>`+"\n", base64.StdEncoding.EncodeToString(buf.Bytes()), s.clip)
}

// Text writes a run as SVG text, the halo a stroke painted under it.
func (s *SVG) Text(r text.Run) {
	spans := r.Spans()
	if len(spans) == 0 || r.Size() <= 0 {
		return
	}
	st := r.Style()
	f := faceOf(st)
	s.fonts[f] = true
	w := s.out()
	fmt.Fprintf(w, `<g font-family="%s" font-size="%s" fill="%s"`, fontFamily, s.f(r.Size()), colour(st.Color))
	if faces[f].weight != "normal" {
		fmt.Fprintf(w, ` font-weight="%s"`, faces[f].weight)
	}
	if faces[f].italic != "normal" {
		fmt.Fprintf(w, ` font-style="%s"`, faces[f].italic)
	}
	if st.Color.A < 255 {
		fmt.Fprintf(w, ` fill-opacity="%s"`, s.f(opacity(st.Color, 1)))
	}
	if reach := st.HaloReach(r.Scale()); reach > 0 {
		fmt.Fprintf(w, ` stroke="%s" stroke-width="%s" stroke-linejoin="round" paint-order="stroke"`, colour(st.Halo), s.f(2*reach))
		if st.Halo.A < 255 {
			fmt.Fprintf(w, ` stroke-opacity="%s"`, s.f(opacity(st.Halo, 1)))
		}
	}
	w.WriteString(s.clip + ">")
	for _, sp := range spans {
		fmt.Fprintf(w, `<text x="%s" y="%s"`, s.f(sp.X), s.f(sp.Y))
		if sp.Angle != 0 {
			fmt.Fprintf(w, ` transform="rotate(%s %s %s)"`, s.f(sp.Angle*180/math.Pi), s.f(sp.X), s.f(sp.Y))
		}
		if sp.LetterSpacing != 0 {
			fmt.Fprintf(w, ` letter-spacing="%s"`, s.f(sp.LetterSpacing))
		}
		fmt.Fprintf(w, ` xml:space="preserve">%s</text>`, html.EscapeString(sp.Text))
	}
	w.WriteString("</g>\n")
}

// PushGroup opens a group.
func (s *SVG) PushGroup() { s.parts = append(s.parts, new(bytes.Buffer)) }

// PopGroup closes the innermost group and writes it as an SVG group of an
// opacity.
func (s *SVG) PopGroup(opacity float64) {
	n := len(s.parts)
	if n == 1 {
		panic("vector: PopGroup without a matching PushGroup")
	}
	g := s.parts[n-1]
	s.parts = s.parts[:n-1]
	if opacity <= 0 || g.Len() == 0 {
		return
	}
	w := s.out()
	fmt.Fprintf(w, "<g opacity=\"%s\">\n", s.f(min(opacity, 1)))
	w.Write(g.Bytes())
	w.WriteString("</g>\n")
}

// Clip restricts drawing to a rectangle until the next Clip; the empty
// rectangle lifts the restriction.
func (s *SVG) Clip(r image.Rectangle) {
	if r.Empty() {
		s.clip = ""
		return
	}
	id, ok := s.clips[r]
	if !ok {
		id = fmt.Sprintf("clip%d", len(s.clips)+1)
		s.clips[r] = id
		fmt.Fprintf(&s.defs, `<clipPath id="%s"><rect x="%d" y="%d" width="%d" height="%d"/></clipPath>`+"\n",
			id, r.Min.X, r.Min.Y, r.Dx(), r.Dy())
	}
	s.clip = fmt.Sprintf(` clip-path="url(#%s)"`, id)
}
