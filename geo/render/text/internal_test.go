package text

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// unit costs every entry one byte.
func unit(string, int) int64 { return 1 }

func TestLRU_evictsLeastRecentlyUsed(t *testing.T) {
	c := newLRU(2, unit)
	c.add("a", 1)
	c.add("b", 2)
	if _, ok := c.get("a"); !ok { // a is now more recent than b
		t.Fatal("a missing")
	}
	c.add("c", 3)
	if _, ok := c.get("b"); ok {
		t.Error("b survived although it was the least recently used")
	}
	for key, want := range map[string]int{"a": 1, "c": 3} {
		if v, ok := c.get(key); !ok || v != want {
			t.Errorf("get(%q) = %v, %v; want %v, true", key, v, ok, want)
		}
	}
	if v := c.add("a", 10); v != 1 {
		t.Errorf("add of a present key returned %v, want the stored 1", v)
	}
}

func TestLRU_staysWithinItsBudget(t *testing.T) {
	c := newLRU(100, func(_ string, v int) int64 { return int64(v) })
	for i := range 50 {
		c.add(string(rune('a'+i%26))+string(rune('a'+i/26)), 7+i%5)
		if got := c.bytes(); got > 100 {
			t.Fatalf("after %d adds the cache holds %d bytes, over its budget of 100", i+1, got)
		}
	}
	if got := c.add("huge", 1000); got != 1000 {
		t.Errorf("add of a value over the budget returned %v, want it back", got)
	}
	if _, ok := c.get("huge"); ok {
		t.Error("a value over the whole budget was kept")
	}
}

func TestBalancedBreaks(t *testing.T) {
	tests := map[string]struct {
		widths      []float64
		join, limit float64
		want        []int
	}{
		"fits on one line":     {[]float64{30, 40}, 5, 100, []int{0}},
		"two balanced lines":   {[]float64{40, 40, 40, 40}, 5, 130, []int{0, 2}},
		"greedy would strand":  {[]float64{50, 40, 60}, 5, 100, []int{0, 2}},
		"upper line shorter":   {[]float64{30, 30, 30}, 5, 70, []int{0, 1}},
		"overlong single word": {[]float64{150, 20}, 5, 100, []int{0, 1}},
		"three lines":          {[]float64{50, 50, 50, 50, 50}, 5, 110, []int{0, 1, 3}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := balancedBreaks(tc.widths, tc.join, tc.limit); !slices.Equal(got, tc.want) {
				t.Errorf("balancedBreaks = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestBalancedBreaks_linearTime wraps labels of two lengths: eight times
// the words must not take more than about eight times as long. Breaking
// them by dynamic programming took time quadratic in the words, and a
// 30 KB label 43 s.
func TestBalancedBreaks_linearTime(t *testing.T) {
	words := func(n int) []float64 {
		r := rand.New(rand.NewPCG(1, 2))
		w := make([]float64, n)
		for i := range w {
			w[i] = 10 + 50*r.Float64()
		}
		return w
	}
	timeOf := func(widths []float64) time.Duration {
		best := time.Duration(math.MaxInt64)
		for range 5 {
			start := time.Now()
			balancedBreaks(widths, 4, 120)
			best = min(best, time.Since(start))
		}
		return best
	}
	small, large := words(20_000), words(160_000)
	if got := balancedBreaks(large, 4, 120); len(got) < 160_000/4 {
		t.Fatalf("%d lines for 160000 words", len(got))
	}
	ts, tl := timeOf(small), timeOf(large)
	if ratio := float64(tl) / float64(ts); ratio > 24 {
		t.Errorf("20000 words took %v, 160000 words %v: %.0f times as long", ts, tl, ratio)
	}
}

func TestShortened(t *testing.T) {
	long := strings.Repeat("Aral ", 100)
	tests := map[string]struct {
		in, want string
	}{
		"short":             {"Aral Sea", "Aral Sea"},
		"exactly the limit": {strings.Repeat("я", MaxLabel), strings.Repeat("я", MaxLabel)},
		"one over":          {strings.Repeat("я", MaxLabel+1), strings.Repeat("я", MaxLabel-1) + "…"},
		"cut at a word":     {long, strings.TrimSpace(long[:195]) + "…"},
		"one long word":     {strings.Repeat("я", 300), strings.Repeat("я", MaxLabel-1) + "…"},
	}
	for name, tc := range tests {
		got := shortened(tc.in)
		if got != tc.want {
			t.Errorf("%s: shortened = %q, want %q", name, got, tc.want)
		}
		if n := utf8.RuneCountInString(got); n > MaxLabel {
			t.Errorf("%s: %d characters", name, n)
		}
	}
}

func TestMeasure_hugeLabel(t *testing.T) {
	label := strings.Repeat("Syr Darya ", 1_000_000) // 10 MB
	st := Style{Size: 12, MaxWidth: 120}
	start := time.Now()
	m := Measure(label, st, 1)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("measuring a 10 MB label took %v", d)
	}
	if m.Lines < 2 || m.Lines > MaxLabel/5 {
		t.Errorf("a 10 MB label lays out in %d lines", m.Lines)
	}
}

// TestEveryLetterOfTheRegionInEveryFace checks that the label font draws
// the letters of the region's alphabets with real glyphs, in every face.
func TestEveryLetterOfTheRegionInEveryFace(t *testing.T) {
	const letters = "ӘәҒғҚқҢңӨөҰұҮүҺһІі" + // Kazakh
		"ҶҷҲҳӢӣӮӯ" + // Tajik
		"ÄäÇçŇňÖöŞşÜüÝýŽž" + // Turkmen
		"ʻʼ" + // Uzbek oʻ gʻ
		"АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя°′″№–—«»‘’“”"
	for i, load := range typefaces {
		tf := load()
		for _, r := range letters {
			if idx, err := tf.font.GlyphIndex(&tf.buf, r); err != nil || idx == 0 {
				t.Errorf("face %d lacks %q (U+%04X)", i, r, r)
			}
		}
	}
}

func TestDilate_isRound(t *testing.T) {
	// One covered pixel grows into a disc: full within the radius, fading
	// over the rim, empty beyond.
	const radius = 3
	coverage := image.NewAlpha(image.Rect(0, 0, 15, 15))
	coverage.Pix[coverage.PixOffset(7, 7)] = 255
	halo := dilate(coverage, radius)
	tests := map[string]struct {
		x, y     int
		min, max uint8
	}{
		"centre":                  {7, 7, 255, 255},
		"inside, on an axis":      {9, 7, 255, 255},
		"inside, off the axes":    {8, 9, 255, 255},
		"rim, on the diagonal":    {9, 9, 140, 200},
		"rim, on an axis":         {10, 7, 100, 155},
		"beyond, on the diagonal": {10, 10, 0, 0},
		"beyond, on an axis":      {11, 7, 0, 0},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if a := halo.AlphaAt(tc.x, tc.y).A; a < tc.min || a > tc.max {
				t.Errorf("halo at (%d, %d) = %d, want %d…%d", tc.x, tc.y, a, tc.min, tc.max)
			}
		})
	}
}

func TestDilate_matchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, radius := range []float64{0.8, 1.5, 2.6, 4} {
		// Random blobs of full coverage with anti-aliased edges, inside an
		// empty border wide enough for the halo.
		coverage := image.NewAlpha(image.Rect(0, 0, 40, 30))
		for y := 6; y < 24; y++ {
			for x := 6; x < 34; x++ {
				switch v := r.IntN(4); v {
				case 0, 1:
					coverage.Pix[y*40+x] = 255
				case 2:
					coverage.Pix[y*40+x] = uint8(r.IntN(256))
				}
			}
		}
		got := dilate(coverage, radius)
		for y := range 30 {
			for x := range 40 {
				var want uint8
				for sy := range 30 {
					for sx := range 40 {
						d := math.Hypot(float64(x-sx), float64(y-sy))
						weight := min(max((radius+haloSoftness/2-d)/haloSoftness, 0), 1)
						c := uint32(coverage.Pix[sy*40+sx])
						want = max(want, uint8((c*uint32(math.Round(weight*255))+127)/255))
					}
				}
				if g := got.Pix[y*40+x]; g != want {
					t.Fatalf("radius %v: halo at (%d, %d) = %d, brute force gives %d", radius, x, y, g, want)
				}
			}
		}
	}
}

// BenchmarkRender_cold measures rendering a label that is not cached yet:
// layout, rasterisation, halo and composition.
func BenchmarkRender_cold(b *testing.B) {
	st := Style{Size: 12, Color: color.NRGBA{A: 0xff}, Halo: color.NRGBA{0xff, 0xff, 0xff, 0xd8}, HaloWidth: 1.8}
	for b.Loop() {
		l := newLayout("Ust-Kamenogorsk", st, 2)
		renderGlyphs(l.glyphs, l.ppem, st, 2)
	}
}
