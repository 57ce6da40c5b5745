package text_test

import (
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"math"
	"slices"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/ecoatlas/ecoatlas/geo/render/text"
	"github.com/paulmach/orb"
)

var plain = text.Style{Size: 12, Color: color.NRGBA{0, 0, 0, 0xff}}

func TestMeasure(t *testing.T) {
	base := text.Measure("Astana", plain, 1)
	if base.Lines != 1 || base.Width <= 0 || base.Height <= 0 || base.Ascent <= 0 || base.Ascent >= base.Height {
		t.Fatalf("Measure(Astana) = %+v, want one line with a positive box", base)
	}
	tests := map[string]struct {
		text  string
		style func(text.Style) text.Style
		scale float64
		check func(m text.Metrics) bool
	}{
		"longer text is wider": {
			text: "Astana city", style: same, scale: 1,
			check: func(m text.Metrics) bool { return m.Width > base.Width && m.Height == base.Height },
		},
		"scale 2 doubles the width": {
			text: "Astana", style: same, scale: 2,
			check: func(m text.Metrics) bool {
				return near(m.Width, 2*base.Width, 1e-9) && near(m.Height, 2*base.Height, 2)
			},
		},
		"letter spacing adds spacing×size between 6 letters": {
			text: "Astana", style: func(st text.Style) text.Style { st.LetterSpacing = 0.5; return st }, scale: 1,
			check: func(m text.Metrics) bool { return near(m.Width, base.Width+5*0.5*12, 1e-9) },
		},
		"uppercase equals capitals": {
			text: "Astana", style: func(st text.Style) text.Style { st.Uppercase = true; return st }, scale: 1,
			check: func(m text.Metrics) bool { return m == text.Measure("ASTANA", plain, 1) },
		},
		"bold is wider": {
			text: "Astana", style: func(st text.Style) text.Style { st.Weight = text.Bold; return st }, scale: 1,
			check: func(m text.Metrics) bool { return m.Width > base.Width },
		},
		"colours do not change the layout": {
			text: "Astana", style: func(st text.Style) text.Style { st.Color, st.HaloWidth = color.NRGBA{R: 9, A: 9}, 3; return st }, scale: 1,
			check: func(m text.Metrics) bool { return m == base },
		},
		"newline breaks the line": {
			text: "Astana\nАстана", style: same, scale: 1,
			check: func(m text.Metrics) bool { return m.Lines == 2 && m.Height > base.Height },
		},
		"max width wraps at spaces": {
			text: "Ust-Kamenogorsk Region", style: func(st text.Style) text.Style { st.MaxWidth = 110; return st }, scale: 1,
			check: func(m text.Metrics) bool { return m.Lines == 2 && m.Width <= 110 },
		},
		"a single word is never broken": {
			text: "Ust-Kamenogorsk", style: func(st text.Style) text.Style { st.MaxWidth = 20; return st }, scale: 1,
			check: func(m text.Metrics) bool { return m.Lines == 1 && m.Width > 20 },
		},
		"white space collapses": {
			text: "  Astana \t ", style: same, scale: 1,
			check: func(m text.Metrics) bool { return m == base },
		},
		"blank text is empty": {
			text: " \n ", style: same, scale: 1,
			check: func(m text.Metrics) bool { return m == text.Metrics{} },
		},
		"zero size is empty": {
			text: "Astana", style: func(st text.Style) text.Style { st.Size = 0; return st }, scale: 1,
			check: func(m text.Metrics) bool { return m == text.Metrics{} },
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if m := text.Measure(tc.text, tc.style(plain), tc.scale); !tc.check(m) {
				t.Errorf("Measure(%q) = %+v (plain Astana: %+v)", tc.text, m, base)
			}
		})
	}
}

func same(st text.Style) text.Style { return st }

func near(a, b, tolerance float64) bool { return math.Abs(a-b) <= tolerance }

func TestRender_haloReachesHaloWidth(t *testing.T) {
	const haloWidth = 4
	st := text.Style{Size: 40, Color: color.NRGBA{0, 0, 0, 0xff}, Halo: color.NRGBA{0xff, 0xff, 0xff, 0xff}, HaloWidth: haloWidth}
	b := text.Render("I", st, 1)
	m := text.Measure("I", st, 1)
	img := image.NewRGBA(b.Bounds())
	b.Draw(img, image.Point{})
	// Along a row through the middle of the stem: transparent, then the
	// halo (opaque white), then the black stem. Its reach is measured
	// between the 50 % points of the halo's and of the stem's edges.
	y := int(m.Ascent * 0.6)
	halfHalo, firstInk, halfInk := -1, -1, -1
	for x := img.Rect.Min.X; x < img.Rect.Max.X && halfInk < 0; x++ {
		c := img.RGBAAt(x, y)
		switch {
		case halfHalo < 0 && c.A > 127:
			halfHalo = x
		case halfHalo >= 0 && firstInk < 0 && c.R < 0xff:
			firstInk = x
		}
		if c.A == 0xff && c.R < 128 {
			halfInk = x
		}
	}
	if halfHalo < 0 || halfInk < 0 {
		t.Fatalf("row %d has no halo (%d) or no ink (%d)", y, halfHalo, halfInk)
	}
	if reach := halfInk - halfHalo; reach < haloWidth-1 || reach > haloWidth+1 {
		t.Errorf("halo reaches %d px beyond the stem, want %d±1", reach, haloWidth)
	}
	for x := halfHalo + 1; x < firstInk; x++ {
		if c := img.RGBAAt(x, y); c != (color.RGBA{0xff, 0xff, 0xff, 0xff}) {
			t.Errorf("pixel %d between the halo edge and the stem is %v, want opaque white", x, c)
		}
	}
}

func TestRender_isCached(t *testing.T) {
	if a, b := text.Render("Shymkent", plain, 1), text.Render("Shymkent", plain, 1); a != b {
		t.Error("rendering the same label twice made two bitmaps")
	}
}

func TestRender_blankTextDrawsNothing(t *testing.T) {
	b := text.Render("   ", plain, 1)
	if !b.Bounds().Empty() {
		t.Errorf("Bounds of blank text = %v, want empty", b.Bounds())
	}
	dst := image.NewRGBA(image.Rect(0, 0, 4, 4))
	b.Draw(dst, image.Pt(1, 1))
	for _, v := range dst.Pix {
		if v != 0 {
			t.Fatal("blank text changed the destination")
		}
	}
}

func TestBitmap_Draw_matchesSourceOver(t *testing.T) {
	st := text.Style{Size: 14, Color: color.NRGBA{0x20, 0x40, 0x80, 0xc0}, Halo: color.NRGBA{0xff, 0xee, 0xdd, 0x90}, HaloWidth: 2}
	b := text.Render("Tashkent", st, 1)
	background := image.NewRGBA(image.Rect(0, 0, 120, 40))
	for i := range background.Pix {
		background.Pix[i] = uint8(i * 7)
	}
	for i := 3; i < len(background.Pix); i += 4 {
		background.Pix[i] = 0xff
	}
	at := image.Pt(-3, 12) // partly outside, to exercise clipping
	got := image.NewRGBA(background.Rect)
	copy(got.Pix, background.Pix)
	b.Draw(got, at)

	want := image.NewRGBA(background.Rect)
	copy(want.Pix, background.Pix)
	src := image.NewRGBA(b.Bounds().Add(at))
	b.Draw(src, at)
	draw.Draw(want, src.Rect, src, src.Rect.Min, draw.Over)
	for i := range got.Pix {
		if d := int(got.Pix[i]) - int(want.Pix[i]); d < -1 || d > 1 {
			t.Fatalf("byte %d = %d, image/draw source-over gives %d", i, got.Pix[i], want.Pix[i])
		}
	}
}

func TestLayoutAlong(t *testing.T) {
	straight := []orb.Point{{0, 50}, {300, 50}}
	tests := map[string]struct {
		path []orb.Point
		ok   bool
	}{
		"long straight line":     {path: straight, ok: true},
		"gentle arc":             {path: arc(200, 0, 60, 5), ok: true},
		"line shorter than text": {path: []orb.Point{{0, 50}, {30, 50}}},
		"hairpin":                {path: []orb.Point{{0, 50}, {70, 50}, {0, 60}}},
		"right angle":            {path: []orb.Point{{0, 0}, {60, 0}, {60, 60}}},
		"single point":           {path: []orb.Point{{5, 5}}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			l, ok := text.LayoutAlong("Ili River", plain, 1, text.Along{Path: tc.path})
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if !ok {
				return
			}
			if n := utf8.RuneCountInString("Ili River"); len(l.Boxes) != n {
				t.Errorf("%d glyph boxes, want %d", len(l.Boxes), n)
			}
			for _, b := range l.Boxes {
				if !b.In(l.Bounds) || b.Empty() {
					t.Errorf("glyph box %v empty or outside Bounds %v", b, l.Bounds)
				}
			}
		})
	}
}

// arc returns a circular arc of the given radius centred at (cx, cy+r),
// bulging up, from 200° to 340° in steps.
func arc(r, cx, cy, step float64) []orb.Point {
	var pts []orb.Point
	for a := 200.0; a <= 340; a += step {
		rad := a * math.Pi / 180
		pts = append(pts, orb.Point{cx + r*math.Cos(rad), cy + r + r*math.Sin(rad)})
	}
	return pts
}

func TestLayoutAlong_readsLeftToRight(t *testing.T) {
	right := []orb.Point{{0, 100}, {100, 90}, {200, 100}}
	left := []orb.Point{{200, 100}, {100, 90}, {0, 100}}
	for name, path := range map[string][]orb.Point{"rightwards": right, "leftwards": left} {
		t.Run(name, func(t *testing.T) {
			l, ok := text.LayoutAlong("Chu", plain, 1, text.Along{Path: path})
			if !ok {
				t.Fatal("refused")
			}
			first, last := l.Boxes[0], l.Boxes[len(l.Boxes)-1]
			if first.Min.X >= last.Min.X {
				t.Errorf("first glyph box %v is not left of the last %v", first, last)
			}
		})
	}
}

func TestLayoutAlong_offsetSide(t *testing.T) {
	// The ink of a name without descenders lies on its side of the path
	// (y = 100) when offset, and across it when centred.
	path := []orb.Point{{0, 100}, {300, 100}}
	inkRows := func(offset float64) (top, bottom int) {
		l, ok := text.LayoutAlong("Emba", plain, 1, text.Along{Path: path, Offset: offset})
		if !ok {
			t.Fatalf("offset %v: refused", offset)
		}
		img := image.NewRGBA(image.Rect(0, 0, 300, 200))
		l.Draw(img)
		top, bottom = 200, -1
		for y := 0; y < 200; y++ {
			for x := 0; x < 300; x++ {
				if img.RGBAAt(x, y).A > 64 {
					top, bottom = min(top, y), max(bottom, y)
				}
			}
		}
		return top, bottom
	}
	if top, bottom := inkRows(0); !(top < 100 && bottom >= 100) {
		t.Errorf("centred text inked rows %d..%d, not across the path at y=100", top, bottom)
	}
	if _, bottom := inkRows(3); bottom >= 100 {
		t.Errorf("text above the path inks row %d, on or below the path", bottom)
	}
	if top, _ := inkRows(-3); top < 100 {
		t.Errorf("text below the path inks row %d, above the path", top)
	}
}

func TestLayoutAlong_fitsStopsAtTheFirstRejectedGlyph(t *testing.T) {
	path := []orb.Point{{0, 100}, {300, 100}}
	all, _ := text.LayoutAlong("Zhaiyk", plain, 1, text.Along{Path: path})
	var asked []image.Rectangle
	// A one-pixel obstacle in the middle of the third glyph's box only.
	mid := all.Boxes[2].Min.Add(all.Boxes[2].Max).Div(2)
	wall := image.Rectangle{Min: mid, Max: mid.Add(image.Pt(1, 1))}
	_, ok := text.LayoutAlong("Zhaiyk", plain, 1, text.Along{Path: path, Fits: func(box image.Rectangle) bool {
		asked = append(asked, box)
		return !box.Overlaps(wall)
	}})
	if ok {
		t.Error("the layout was accepted although Fits rejected a glyph")
	}
	if !slices.Equal(asked, all.Boxes[:3]) {
		t.Errorf("Fits was asked about %v, want the first three glyph boxes %v", asked, all.Boxes[:3])
	}
}

func TestLayoutAlong_panningReusesTheBitmap(t *testing.T) {
	path := arc(300, 150, 20, 4)
	moved := make([]orb.Point, len(path))
	for i, p := range path {
		moved[i] = orb.Point{p[0] + 10.25, p[1] - 3.5}
	}
	a, okA := text.LayoutAlong("Irtysh", plain, 1, text.Along{Path: path})
	b, okB := text.LayoutAlong("Irtysh", plain, 1, text.Along{Path: moved})
	if !okA || !okB {
		t.Fatal("refused")
	}
	if a.Render() != b.Render() {
		t.Error("the same label panned by a fraction of a pixel was rendered again")
	}
	if shift := b.Origin.Sub(a.Origin); shift.X < 10 || shift.X > 11 || shift.Y < -4 || shift.Y > -3 {
		t.Errorf("origin moved by %v, want about (10.25, -3.5)", shift)
	}
}

func TestWeight_JSON(t *testing.T) {
	var st text.Style
	if err := json.Unmarshal([]byte(`{"size": 11, "weight": "bold", "italic": true}`), &st); err != nil {
		t.Fatal(err)
	}
	if st.Weight != text.Bold || !st.Italic || st.Size != 11 {
		t.Errorf("decoded %+v", st)
	}
	b, err := json.Marshal(text.Style{Weight: text.Bold})
	if err != nil {
		t.Fatal(err)
	}
	var back text.Style
	if err := json.Unmarshal(b, &back); err != nil || back.Weight != text.Bold {
		t.Errorf("round trip of %s gave %v, %v", b, back.Weight, err)
	}
	err = json.Unmarshal([]byte(`{"weight": "heavy"}`), &st)
	if !errors.Is(err, text.ErrUnknownWeight) {
		t.Errorf("unknown weight: err = %v, want ErrUnknownWeight", err)
	}
}

func TestConcurrentUse(t *testing.T) {
	names := []string{"Astana", "Алматы", "Бишкек", "Dushanbe", "Ashgabat", "Ташкент"}
	want := make([]text.Metrics, len(names))
	for i, s := range names {
		want[i] = text.Measure(s, plain, 1.5)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			st := plain
			st.Italic = g%2 == 1
			for i, s := range names {
				text.Render(s, st, 1.5)
				if m := text.Measure(s, plain, 1.5); m != want[i] {
					t.Errorf("concurrent Measure(%q) = %+v, want %+v", s, m, want[i])
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkMeasure_warm(b *testing.B) {
	text.Measure("Ust-Kamenogorsk", plain, 2)
	for b.Loop() {
		text.Measure("Ust-Kamenogorsk", plain, 2)
	}
}

func BenchmarkRender_warm(b *testing.B) {
	text.Render("Ust-Kamenogorsk", cityStyle, 2)
	for b.Loop() {
		text.Render("Ust-Kamenogorsk", cityStyle, 2)
	}
}

func BenchmarkLayoutAlong(b *testing.B) {
	path := arc(300, 150, 20, 4)
	for b.Loop() {
		text.LayoutAlong("Syr Darya", waterStyle, 2, text.Along{Path: path, Offset: 3})
	}
}
