package text_test

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"slices"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/imgtest"
	"github.com/ecoatlas/ecoatlas/geo/render/text"
	"github.com/paulmach/orb"
	"golang.org/x/image/vector"
)

// mapBackground returns a canvas resembling a map: a land tint crossed by
// a road and a river, so that halos have something to separate the text
// from.
func mapBackground(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Rect, image.NewUniform(color.NRGBA{0xf6, 0xf0, 0xe2, 0xff}), image.Point{}, draw.Src)
	fillPolygon(img, []orb.Point{{0, float64(h)}, {float64(w) * 0.6, 0}, {float64(w), 0}, {float64(w), float64(h)}},
		color.NRGBA{0xeb, 0xe9, 0xe4, 0xff})
	strokeLine(img, []orb.Point{{0, float64(h) * 0.3}, {float64(w), float64(h) * 0.75}}, 3, color.NRGBA{0xc9, 0x9a, 0x5b, 0xff})
	strokeLine(img, []orb.Point{{0, float64(h) * 0.8}, {float64(w), float64(h) * 0.2}}, 2, color.NRGBA{0x4f, 0x93, 0xcf, 0xff})
	return img
}

func fillPolygon(dst *image.RGBA, ring []orb.Point, c color.NRGBA) {
	fillRings(dst, [][]orb.Point{ring}, c)
}

// fillRings fills closed rings with a colour; overlapping rings of the same
// orientation merge.
func fillRings(dst *image.RGBA, rings [][]orb.Point, c color.NRGBA) {
	z := vector.NewRasterizer(dst.Rect.Dx(), dst.Rect.Dy())
	for _, ring := range rings {
		z.MoveTo(float32(ring[0][0]), float32(ring[0][1]))
		for _, p := range ring[1:] {
			z.LineTo(float32(p[0]), float32(p[1]))
		}
		z.ClosePath()
	}
	z.Draw(dst, dst.Rect, image.NewUniform(c), image.Point{})
}

// strokeLine draws a polyline of the given width as one quadrilateral per
// segment, enough for test backgrounds.
func strokeLine(dst *image.RGBA, line []orb.Point, width float64, c color.NRGBA) {
	var quads [][]orb.Point
	for i := 1; i < len(line); i++ {
		a, b := line[i-1], line[i]
		l := math.Hypot(b[0]-a[0], b[1]-a[1])
		nx, ny := -(b[1]-a[1])/l*width/2, (b[0]-a[0])/l*width/2
		quads = append(quads, []orb.Point{{a[0] + nx, a[1] + ny}, {b[0] + nx, b[1] + ny}, {b[0] - nx, b[1] - ny}, {a[0] - nx, a[1] - ny}})
	}
	fillRings(dst, quads, c)
}

// drawCentred draws a label with the centre of its layout box at (x, y).
func drawCentred(dst *image.RGBA, s string, st text.Style, scale, x, y float64) {
	m := text.Measure(s, st, scale)
	text.Render(s, st, scale).Draw(dst, image.Pt(int(math.Round(x-m.Width/2)), int(math.Round(y-m.Height/2))))
}

var (
	cityStyle = text.Style{
		Size: 13, Color: color.NRGBA{0x1d, 0x1b, 0x1a, 0xff},
		Halo: color.NRGBA{0xff, 0xff, 0xff, 0xe0}, HaloWidth: 2,
	}
	countryStyle = text.Style{
		Size: 16, Weight: text.Bold, Uppercase: true, LetterSpacing: 0.18,
		Color: color.NRGBA{0x7c, 0x6f, 0x64, 0xff}, Halo: color.NRGBA{0xf6, 0xf0, 0xe2, 0xb0}, HaloWidth: 1.5,
	}
	waterStyle = text.Style{
		Size: 11, Italic: true, Color: color.NRGBA{0x2c, 0x6f, 0xa8, 0xff},
		Halo: color.NRGBA{0xff, 0xff, 0xff, 0xb0}, HaloWidth: 1.5,
	}
)

func TestGolden_haloLatinCyrillic(t *testing.T) {
	for name, scale := range map[string]float64{"halo_latin_cyrillic_x1": 1, "halo_latin_cyrillic_x2": 2} {
		t.Run(name, func(t *testing.T) {
			img := mapBackground(int(260*scale), int(110*scale))
			drawCentred(img, "Astana / Астана", cityStyle, scale, 130*scale, 25*scale)
			small := cityStyle
			small.Size, small.HaloWidth = 11, 1.6
			drawCentred(img, "Алматы · Қарағанды · Ташкент", small, scale, 130*scale, 55*scale)
			drawCentred(img, "Бішкек · Душанбе · Ашхабад", small, scale, 130*scale, 85*scale)
			imgtest.Assert(t, name, img)
		})
	}
}

// TestGolden_regionLetters draws a label in each national language of the
// region with its own letters, the test for missing glyphs being in the
// image: a box where a letter should be.
func TestGolden_regionLetters(t *testing.T) {
	lines := []string{
		"Қазақстан: Өскемен, Ұлытау, Әулиеата, Шығыс, Іле, Һ",         // Kazakh ә ғ қ ң ө ұ ү һ і
		"Кыргызстан: Ысык-Көл, Түп, Кеңеш",                            // Kyrgyz ң ө ү
		"Тоҷикистон: Ғарм, Қӯрғонтеппа, Ҳисор, Хуҷанд, Ӣ",             // Tajik ғ ӣ қ ӯ ҳ ҷ
		"Türkmenistan: Aşgabat, Daşoguz, Ýolöten, Änew, Çärjew, ň, ž", // Turkmen ä ç ň ö ş ü ý ž
		"Oʻzbekiston: Fargʻona, Qoraqalpogʻiston, Toshkent",           // Uzbek oʻ gʻ
	}
	for name, scale := range map[string]float64{"region_letters_x1": 1, "region_letters_x2": 2} {
		t.Run(name, func(t *testing.T) {
			img := mapBackground(int(420*scale), int(170*scale))
			for i, line := range lines {
				drawCentred(img, line, cityStyle, scale, 210*scale, (20+float64(i)*32)*scale)
			}
			imgtest.Assert(t, name, img)
		})
	}
}

func TestGolden_styles(t *testing.T) {
	img := mapBackground(300, 130)
	drawCentred(img, "Kazakhstan", countryStyle, 1, 150, 22)
	lake := waterStyle
	lake.Size = 14
	drawCentred(img, "Aral Sea", lake, 1, 150, 52)
	boldItalic := cityStyle
	boldItalic.Weight, boldItalic.Italic = text.Bold, true
	drawCentred(img, "Bold Italic Бишкек", boldItalic, 1, 150, 80)
	desert := text.Style{
		Size: 12, Italic: true, Uppercase: true, LetterSpacing: 0.12,
		Color: color.NRGBA{0x9a, 0x7b, 0x55, 0xff}, Halo: color.NRGBA{0xf6, 0xf0, 0xe2, 0x90}, HaloWidth: 1.2,
	}
	drawCentred(img, "Kyzylkum Desert", desert, 1, 150, 108)
	imgtest.Assert(t, "styles", img)
}

func TestGolden_wrapped(t *testing.T) {
	img := mapBackground(200, 80)
	region := text.Style{
		Size: 11, Color: color.NRGBA{0x8a, 0x75, 0x83, 0xff},
		Halo: color.NRGBA{0xf6, 0xf0, 0xe2, 0xc0}, HaloWidth: 1.5, MaxWidth: 110,
	}
	s := "East Kazakhstan Region"
	if m := text.Measure(s, region, 1); m.Lines != 2 {
		t.Fatalf("%q wraps into %d lines, want 2", s, m.Lines)
	}
	drawCentred(img, s, region, 1, 100, 40)
	imgtest.Assert(t, "wrapped", img)
}

func TestGolden_curved(t *testing.T) {
	const w, h = 440, 170
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Rect, image.NewUniform(color.NRGBA{0xf6, 0xf0, 0xe2, 0xff}), image.Point{}, draw.Src)

	// A crescent lake named along its curved centre line.
	var shore, centre []orb.Point
	for a := 195.0; a <= 345; a += 5 {
		rad := a * math.Pi / 180
		centre = append(centre, orb.Point{w/2 + 200*math.Cos(rad), 250 + 200*math.Sin(rad)})
		shore = append(shore, orb.Point{w/2 + 215*math.Cos(rad), 250 + 215*math.Sin(rad)})
	}
	for a := 345.0; a >= 195; a -= 5 {
		rad := a * math.Pi / 180
		shore = append(shore, orb.Point{w/2 + 185*math.Cos(rad), 250 + 185*math.Sin(rad)})
	}
	fillPolygon(img, shore, color.NRGBA{0xa9, 0xd0, 0xee, 0xff})
	lake := waterStyle
	lake.Size, lake.Halo = 14, color.NRGBA{}
	if l, ok := text.LayoutAlong("Lake Balkhash · Балқаш", lake, 1, text.Along{Path: centre}); ok {
		l.Draw(img)
	} else {
		t.Error("LayoutAlong refused the lake centre line")
	}

	// A meandering river named above (Latin) and below (Cyrillic) its
	// stroke; the Cyrillic name is laid out on the reversed line and must
	// still read left to right.
	const stroke = 2.5
	var river []orb.Point
	for x := 10.0; x <= w-10; x += 4 {
		river = append(river, orb.Point{x, 120 + 22*math.Sin(x/55)})
	}
	strokeLine(img, river, stroke, color.NRGBA{0x4f, 0x93, 0xcf, 0xff})
	for _, label := range []struct {
		text   string
		line   []orb.Point
		offset float64
	}{
		{"Syr Darya", river[:len(river)/2], stroke/2 + 2},
		{"Сырдарья", reversed(river[len(river)/2:]), -(stroke/2 + 2)},
	} {
		l, ok := text.LayoutAlong(label.text, waterStyle, 1, text.Along{Path: label.line, Offset: label.offset})
		if !ok {
			t.Fatalf("LayoutAlong refused %q", label.text)
		}
		l.Draw(img)
	}
	imgtest.Assert(t, "curved", img)
}

func reversed(line []orb.Point) []orb.Point {
	r := slices.Clone(line)
	slices.Reverse(r)
	return r
}
