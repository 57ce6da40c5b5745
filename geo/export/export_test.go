package export_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"image"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"golang.org/x/image/draw"

	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/clausemap"
	"github.com/ecoatlas/ecoatlas/geo/export"
	"github.com/ecoatlas/ecoatlas/geo/imgtest"
	"github.com/ecoatlas/ecoatlas/geo/query"
	"github.com/ecoatlas/ecoatlas/geo/story"
	"github.com/ecoatlas/ecoatlas/seeds"
)

// loaded is the embedded map with its query engine and clause map,
// loaded once for all the tests.
var loaded = sync.OnceValues(func() (*fixture, error) {
	e, err := query.Default(context.Background())
	if err != nil {
		return nil, err
	}
	links, err := seeds.EmbeddedLinks()
	if err != nil {
		return nil, err
	}
	cm, err := clausemap.New(e.Atlas(), seeds.Embedded(), links)
	if err != nil {
		return nil, err
	}
	return &fixture{engine: e, clauses: cm, exporter: export.New(e)}, nil
})

type fixture struct {
	engine   *query.Engine
	clauses  *clausemap.Map
	exporter *export.Exporter
}

func load(t testing.TB) *fixture {
	t.Helper()
	f, err := loaded()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// aprilDay is the date the test pages say they were made on.
var aprilDay = time.Date(2026, 4, 22, 0, 0, 0, 0, time.UTC)

// options returns A4 landscape at a resolution, in English.
func options(dpi float64) export.Options {
	return export.Options{Paper: export.A4, Landscape: true, DPI: dpi, Lang: "en", Date: aprilDay, Words: export.EnglishWords()}
}

// regionPage is the page of the whole region.
func regionPage(f *fixture) export.Page {
	return export.Page{Title: "Central Asia", Subtitle: "Environment of the five states", View: atlas.Region, Style: f.engine.Atlas().Style}
}

// tool returns a reader program's path, skipping the test without it
// (.ci/setup test installs them).
func tool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed (.ci/setup test installs it)", name)
	}
	return path
}

// run runs a program on a file and returns its standard output.
func run(t testing.TB, name string, args ...string) []byte {
	t.Helper()
	out, err := exec.Command(tool(t, name), args...).Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		t.Fatalf("%s %v: %v: %s", name, args, err, exit.Stderr)
	}
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// writePDF writes pages to a PDF file in a temporary folder.
func writePDF(t *testing.T, f *fixture, pages []export.Page, opt export.Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := f.exporter.WritePDF(context.Background(), &buf, pages, opt, nil); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "map.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPDF_regionHasItsWordsAndIsVector(t *testing.T) {
	f := load(t)
	path := writePDF(t, f, []export.Page{regionPage(f)}, options(150))
	words := string(run(t, "pdftotext", path, "-"))
	for _, want := range []string{
		// The title, the legend and some of its lines.
		"Central Asia", "Environment of the five states", "Legend",
		"National capital", "Tailings storage facility", "Sea, lake or reservoir",
		// The scale bar's length and where it is true.
		"km", "Scale true at 46.2° N",
		// The sources, with their licences.
		"Sources: Natural Earth", "OpenStreetMap contributors (ODbL)", "HydroATLAS (CC BY 4.0)",
		"Made with Ecoatlas on 22 April 2026",
		// The map's own labels, as text.
		"Astana", "Almaty", "Bishkek", "Ashgabat", "Caspian Sea",
	} {
		if !strings.Contains(words, want) {
			t.Errorf("pdftotext finds no %q", want)
		}
	}
	// The map is vector: the only images are the shaded relief and the
	// relief's legend sample.
	list := strings.Split(strings.TrimSpace(string(run(t, "pdfimages", "-list", path))), "\n")[2:]
	if len(list) != 2 {
		t.Errorf("the page has %d images, want the relief and its legend sample:\n%s", len(list), strings.Join(list, "\n"))
	}
	for _, line := range list {
		fields := strings.Fields(line)
		if w, _ := strconv.Atoi(fields[3]); w > 1200 {
			t.Errorf("an image %s px wide: is the map a bitmap? %s", fields[3], line)
		}
	}
	fonts := string(run(t, "pdffonts", path))
	if !strings.Contains(fonts, "noto sans") || !strings.Contains(fonts, "yes yes") && !strings.Contains(fonts, "yes no  yes") {
		t.Errorf("the label font is not embedded with its Unicode map:\n%s", fonts)
	}

	// Its first page as poppler draws it.
	out := filepath.Join(t.TempDir(), "page")
	run(t, "pdftoppm", "-r", "40", "-png", "-singlefile", path, out)
	img, err := imgtest.Read(out + ".png")
	if err != nil {
		t.Fatal(err)
	}
	imgtest.Assert(t, "region_pdf_page1", img)
}

func TestPDF_legendHasOnlyWhatIsDrawn(t *testing.T) {
	f := load(t)
	page := regionPage(f)
	page.Title, page.Subtitle = "Issyk-Kul", ""
	page.View = orb.Bound{Min: orb.Point{75.9, 41.9}, Max: orb.Point{78.5, 43.0}}
	words := string(run(t, "pdftotext", writePDF(t, f, []export.Page{page}, options(100)), "-"))
	// Lake Issyk-Kul is drawn, the capitals and the Aral's shores are not.
	if !strings.Contains(words, "Sea, lake or reservoir") {
		t.Error("the legend has no line for the lake the map shows")
	}
	for _, absent := range []string{"National capital", "Aral shore, late 1950s", "Salt flat (playa)", "Disputed or claimed boundary"} {
		if strings.Contains(words, absent) {
			t.Errorf("the legend has %q, which the view does not draw", absent)
		}
	}
}

func TestPDF_clauseHasItsBadgesAndCitation(t *testing.T) {
	f := load(t)
	sel, err := f.clauses.Clause(14)
	if err != nil {
		t.Fatal(err)
	}
	page := regionPage(f)
	page.View = sel.View(1)
	page.Highlight = &export.Highlight{Map: f.clauses, Selection: sel, Citation: export.Citation(seeds.Embedded(), 14)}
	words := string(run(t, "pdftotext", writePDF(t, f, []export.Page{page}, options(100)), "-"))
	for _, want := range []string{"§14", "Environmental solidarity of Central Asia", "Adopted in Astana on 22 April 2026, clause 14"} {
		if !strings.Contains(words, want) {
			t.Errorf("pdftotext finds no %q", want)
		}
	}
}

func TestPDF_storyHandoutHasAPagePerStep(t *testing.T) {
	f := load(t)
	s, err := story.WaterBodies()
	if err != nil {
		t.Fatal(err)
	}
	pages, err := f.exporter.StoryPages(s, f.engine.Atlas().Style, f.clauses, nil)
	if err != nil {
		t.Fatal(err)
	}
	opt := options(72)
	opt.Landscape = false
	path := writePDF(t, f, pages, opt)
	info := string(run(t, "pdfinfo", path))
	if !strings.Contains(info, "Pages:           5") || !strings.Contains(info, "595.28 x 841.89") {
		t.Errorf("the handout is not 5 upright A4 pages:\n%s", info)
	}
	for i, step := range s.Steps {
		n := strconv.Itoa(i + 1)
		words := string(run(t, "pdftotext", "-f", n, "-l", n, path, "-"))
		first := strings.Fields(step.Caption)[0]
		if !strings.Contains(words, step.Title) || !strings.Contains(words, first) || !strings.Contains(words, n+" / 5") {
			t.Errorf("page %d lacks the step's title %q, its caption or its number", i+1, step.Title)
		}
	}
}

// sharpness returns the share of horizontally neighbouring pixels whose
// green differs by more than 100 of 255: the hard edges of letters and
// lines, which blur spreads over several pixels of smaller steps.
func sharpness(img *image.RGBA) float64 {
	hard := 0
	b := img.Rect
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := img.Pix[img.PixOffset(b.Min.X, y):][:4*b.Dx()]
		for i := 5; i < len(row); i += 4 {
			if d := int(row[i]) - int(row[i-4]); d > 100 || d < -100 {
				hard++
			}
		}
	}
	return float64(hard) / float64(b.Dx()*b.Dy())
}

func TestRender_300dpiIsDrawnAt300dpi(t *testing.T) {
	f := load(t)
	page := regionPage(f)
	opt := options(300)
	img, err := f.exporter.Render(context.Background(), page, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := img.Rect.Dx(), img.Rect.Dy(); w != 3508 || h != 2480 {
		t.Fatalf("A4 landscape at 300 dpi is %d×%d pixels, want 3508×2480", w, h)
	}
	// A page drawn at 150 dpi and doubled has its edges two pixels soft;
	// the page drawn at 300 dpi has them sharp, with more contrast
	// between neighbours per pixel.
	opt.DPI = 150
	half, err := f.exporter.Render(context.Background(), page, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	doubled := image.NewRGBA(img.Rect)
	draw.BiLinear.Scale(doubled, doubled.Rect, half, half.Rect, draw.Src, nil)
	if got, blurred := sharpness(img), sharpness(doubled); got < 4*blurred {
		t.Errorf("%.3f%% of the 300 dpi page's neighbours differ sharply, %.3f%% of the doubled 150 dpi page's: not drawn at 300 dpi", 100*got, 100*blurred)
	}
}

func TestWritePNG_recordsItsResolution(t *testing.T) {
	f := load(t)
	var buf bytes.Buffer
	if err := f.exporter.WritePNG(context.Background(), &buf, regionPage(f), options(96), nil); err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != 1123 || cfg.Height != 794 {
		t.Errorf("A4 landscape at 96 dpi is %d×%d, want 1123×794", cfg.Width, cfg.Height)
	}
	i := bytes.Index(buf.Bytes(), []byte("pHYs"))
	if i < 0 {
		t.Fatal("the PNG has no pHYs chunk")
	}
	if perMetre := int(buf.Bytes()[i+4])<<24 | int(buf.Bytes()[i+5])<<16 | int(buf.Bytes()[i+6])<<8 | int(buf.Bytes()[i+7]); perMetre != 3780 {
		t.Errorf("the PNG says %d pixels per metre, want 3780 (96 dpi)", perMetre)
	}
	if _, err := png.Decode(bytes.NewReader(buf.Bytes())); err != nil {
		t.Errorf("the PNG with its pHYs chunk does not decode: %v", err)
	}
}

func TestWriteSVG_isTheMapAlone(t *testing.T) {
	f := load(t)
	var buf bytes.Buffer
	if err := f.exporter.WriteSVG(context.Background(), &buf, regionPage(f), 800, 500, options(96)); err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(buf.Bytes()))
	var texts strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			inText = e.Name.Local == "text"
		case xml.CharData:
			if inText {
				texts.Write(e)
				texts.WriteByte('|')
			}
		case xml.EndElement:
			inText = false
		}
	}
	for _, want := range []string{"Astana", "Tashkent"} {
		if !strings.Contains(texts.String(), want) {
			t.Errorf("the SVG's text has no %q", want)
		}
	}
	if strings.Contains(texts.String(), "Legend") {
		t.Error("the SVG has the page's legend; it is the map alone")
	}
}

func TestErrors(t *testing.T) {
	f := load(t)
	var buf bytes.Buffer
	bad := options(600)
	if err := f.exporter.WritePDF(context.Background(), &buf, []export.Page{regionPage(f)}, bad, nil); !errors.Is(err, export.ErrOptions) {
		t.Errorf("600 dpi gives %v, want ErrOptions", err)
	}
	noView := regionPage(f)
	noView.View = orb.Bound{}
	if err := f.exporter.WritePNG(context.Background(), &buf, noView, options(72), nil); !errors.Is(err, export.ErrPage) {
		t.Errorf("a page without a view gives %v, want ErrPage", err)
	}
	if err := f.exporter.WritePDF(context.Background(), &buf, nil, options(72), nil); !errors.Is(err, export.ErrPage) {
		t.Errorf("a document without pages gives %v, want ErrPage", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := f.exporter.WritePNG(ctx, &buf, regionPage(f), options(72), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled export gives %v, want context.Canceled", err)
	}
}

func TestWritePNG_reportsProgress(t *testing.T) {
	f := load(t)
	var seen []float64
	if err := f.exporter.WritePNG(context.Background(), io.Discard, regionPage(f), options(72), func(p float64) { seen = append(seen, p) }); err != nil {
		t.Fatal(err)
	}
	if len(seen) < 3 || seen[len(seen)-1] != 1 {
		t.Fatalf("progress went %v, want several steps ending at 1", seen)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] < seen[i-1] {
			t.Errorf("progress went back: %v", seen)
		}
	}
}
