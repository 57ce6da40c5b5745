package vector_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/render/raster"
	"github.com/ecoatlas/ecoatlas/geo/render/text"
	"github.com/ecoatlas/ecoatlas/geo/render/vector"
	"github.com/paulmach/orb"
)

// Declare that both vector back ends are painters.
var (
	_ render.Painter = (*vector.PDF)(nil)
	_ render.Painter = (*vector.SVG)(nil)
)

// paintSample draws one of everything a painter can draw: a translucent
// group of an even-odd polygon with a hole and a dashed line, a symbol, a
// grey image multiplied over them, clipped and unclipped, and labels
// straight and along a line, in Latin and Cyrillic.
func paintSample(t *testing.T, p render.Painter) {
	t.Helper()
	var path raster.Path
	path.MoveTo(10, 10)
	path.LineTo(190, 10)
	path.LineTo(190, 140)
	path.LineTo(10, 140)
	path.Close()
	path.MoveTo(60, 40)
	path.LineTo(140, 40)
	path.LineTo(140, 110)
	path.LineTo(60, 110)
	path.Close()
	p.Clip(image.Rect(0, 0, 200, 150))
	p.PushGroup()
	p.Fill(&path, color.NRGBA{0x40, 0x80, 0xc0, 0xff}, raster.EvenOdd)
	var line raster.Path
	line.MoveTo(0, 75)
	line.LineTo(200, 80)
	p.Stroke(&line, raster.Stroke{Color: color.NRGBA{0xc0, 0x20, 0x20, 0xff}, Width: 3, Dash: []float64{8, 4}, Cap: raster.CapRound, Join: raster.JoinRound})
	p.PopGroup(0.6)
	p.Clip(image.Rectangle{})
	p.Symbols([]raster.Point{{X: 30, Y: 30}, {X: 170, Y: 120}}, raster.Symbol{Shape: raster.Triangle, Size: 12, Fill: color.NRGBA{0xe0, 0x80, 0x10, 0xff}, Stroke: color.NRGBA{0x20, 0x20, 0x20, 0xff}, StrokeWidth: 1})
	grey := image.NewGray(image.Rect(0, 0, 4, 4))
	for i := range grey.Pix {
		grey.Pix[i] = uint8(160 + 20*(i%4))
	}
	p.DrawImage(grey, raster.Rect{MinX: 100, MinY: 0, MaxX: 200, MaxY: 50}, raster.BlendMultiply)
	st := text.Style{Size: 14, Color: color.NRGBA{0x10, 0x10, 0x10, 0xff}, Halo: color.NRGBA{0xff, 0xff, 0xff, 0xff}, HaloWidth: 1.5}
	p.Text(text.Straight("Aral Sea", st, 1, image.Pt(20, 150)))
	caps := st
	caps.Uppercase, caps.LetterSpacing, caps.Weight = true, 0.2, text.Bold
	p.Text(text.Straight("Казахстан", caps, 1, image.Pt(20, 170)))
	along, ok := text.LayoutAlong("Syr Darya", st, 1, text.Along{Path: []orb.Point{{10, 260}, {100, 230}, {190, 250}}})
	if !ok {
		t.Fatal("the text along the line does not fit")
	}
	p.Text(along.Run())
}

// tool returns the path of a reader program, skipping the test without it
// (.ci/setup test installs them).
func tool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed (.ci/setup test installs it)", name)
	}
	return path
}

// run runs a program on stdin and returns its output.
func run(t *testing.T, stdin []byte, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(tool(t, name), args...)
	cmd.Stdin = bytes.NewReader(stdin)
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		t.Fatalf("%s: %v: %s", name, err, exit.Stderr)
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestPDF_textVectorsAndOneImage(t *testing.T) {
	doc := vector.NewDocument(vector.Info{Title: "Sample", Creator: "vector test", Date: time.Date(2026, 4, 22, 0, 0, 0, 0, time.UTC)})
	paintSample(t, doc.AddPage(200, 300, 1))
	doc.Bookmark("Sample")
	var buf bytes.Buffer
	if err := doc.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("the document starts %q, not %%PDF-", buf.Bytes()[:8])
	}
	// The halo's text under the text is not read twice; text along a line
	// reads in pdftotext's raw order.
	words := run(t, buf.Bytes(), "pdftotext", "-", "-")
	for _, want := range []string{"Aral Sea", "КАЗАХСТАН"} {
		if !strings.Contains(words, want) {
			t.Errorf("pdftotext finds no %q in %q", want, words)
		}
	}
	if raw := run(t, buf.Bytes(), "pdftotext", "-raw", "-", "-"); !strings.Contains(raw, "Syr Darya") {
		t.Errorf("pdftotext -raw finds no %q in %q", "Syr Darya", raw)
	}
	// The relief-like image is the only image: the shapes and the text
	// are vectors.
	list := run(t, buf.Bytes(), "pdfimages", "-list", "-")
	if n := strings.Count(strings.TrimSpace(list), "\n") - 1; n != 1 {
		t.Errorf("the page has %d images, want the one drawn:\n%s", n, list)
	}
	fonts := run(t, buf.Bytes(), "pdffonts", "-")
	if !strings.Contains(strings.ToLower(fonts), "noto sans") {
		t.Errorf("the label font is not embedded:\n%s", fonts)
	}
}

func TestPDF_pagesAreSizedAndTurned(t *testing.T) {
	doc := vector.NewDocument(vector.Info{Title: "Pages"})
	doc.AddPage(842, 595, 1)
	doc.AddPage(595, 842, 1)
	var buf bytes.Buffer
	if err := doc.Write(&buf); err != nil {
		t.Fatal(err)
	}
	info := run(t, buf.Bytes(), "pdfinfo", "-f", "1", "-l", "2", "-")
	for _, want := range []string{"Pages:           2", "Page    1 size:  842 x 595", "Page    2 size:  595 x 842"} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo says no %q:\n%s", want, info)
		}
	}
}

func TestSVG_wellFormedWithGroupsTextAndFonts(t *testing.T) {
	s := vector.NewSVG(200, 300)
	paintSample(t, s)
	var buf bytes.Buffer
	if _, err := s.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(buf.Bytes()))
	var texts []string
	groups, clipped := 0, 0
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			inText = e.Name.Local == "text"
			for _, a := range e.Attr {
				if e.Name.Local == "g" && a.Name.Local == "opacity" && a.Value == "0.6" {
					groups++
				}
				if a.Name.Local == "clip-path" {
					clipped++
				}
			}
		case xml.CharData:
			if inText {
				texts = append(texts, string(e))
			}
		case xml.EndElement:
			inText = false
		}
	}
	all := strings.Join(texts, "")
	for _, want := range []string{"Aral Sea", "КАЗАХСТАН", "S", "y", "r"} {
		if !strings.Contains(all, want) {
			t.Errorf("the SVG's text has no %q: %q", want, all)
		}
	}
	if groups != 1 || clipped != 2 {
		t.Errorf("the SVG has %d groups of opacity 0.6 and %d clipped elements, want 1 and 2", groups, clipped)
	}
	if !strings.Contains(buf.String(), "@font-face") {
		t.Error("the SVG embeds no font")
	}
	png := run(t, buf.Bytes(), "rsvg-convert", "--format", "png")
	if !strings.HasPrefix(png, "\x89PNG") {
		t.Error("rsvg-convert made no PNG of the SVG")
	}
}
