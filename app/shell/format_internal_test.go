package shell

import (
	"math"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/geo/coord"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

func TestFormatPosition(t *testing.T) {
	for name, tt := range map[string]struct {
		lonlat       orb.Point
		decimal, dms string
	}{
		"Issyk-Kul":             {orb.Point{77.1234, 42.4567}, "42.4567° N 77.1234° E", "42°27′24″ N 77°07′24″ E"},
		"south and west":        {orb.Point{-58.3816, -34.6037}, "34.6037° S 58.3816° W", "34°36′13″ S 58°22′54″ W"},
		"origin":                {orb.Point{0, 0}, "0.0000° N 0.0000° E", "0°00′00″ N 0°00′00″ E"},
		"rounds up to a whole":  {orb.Point{59.9999, 59.99999}, "60.0000° N 59.9999° E", "60°00′00″ N 60°00′00″ E"},
		"tiny negative is zero": {orb.Point{-0.00001, -0.00001}, "0.0000° N 0.0000° E", "0°00′00″ N 0°00′00″ E"},
		"negative, DMS nonzero": {orb.Point{-0.0001, -0.0001}, "0.0001° S 0.0001° W", "0°00′00″ N 0°00′00″ E"},
		"minutes carry":         {orb.Point{45.99999, 12.50000}, "12.5000° N 46.0000° E", "12°30′00″ N 46°00′00″ E"},
		"antimeridian":          {orb.Point{-180, 85.05113}, "85.0511° N 180.0000° W", "85°03′04″ N 180°00′00″ W"},
	} {
		t.Run(name, func(t *testing.T) {
			if got := formatPosition(tt.lonlat, coord.KindDecimal); got != tt.decimal {
				t.Errorf("decimal %v =\n %q, want\n %q", tt.lonlat, got, tt.decimal)
			}
			if got := formatPosition(tt.lonlat, coord.KindDMS); got != tt.dms {
				t.Errorf("DMS %v =\n %q, want\n %q", tt.lonlat, got, tt.dms)
			}
		})
	}
}

// TestFormatPosition_grids checks the UTM and MGRS readouts against
// PROJ's cs2cs (echo 42.4567 77.1234 | cs2cs EPSG:4326 EPSG:32643 gives
// 674595.51 4702669.58); MGRS truncates where UTM rounds.
func TestFormatPosition_grids(t *testing.T) {
	p := orb.Point{77.1234, 42.4567}
	for k, want := range map[coord.Kind]string{
		coord.KindUTM:  "43T 674596 4702670",
		coord.KindMGRS: "43T FH 74595 02669",
	} {
		if got := formatPosition(p, k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	// Beyond UTM's 84° N the readout falls back to degrees.
	if got := formatPosition(orb.Point{10, 85}, coord.KindUTM); got != "85.0000° N 10.0000° E" {
		t.Errorf("north of the UTM grid: %q, want decimal degrees", got)
	}
}

func TestRoundDistance(t *testing.T) {
	for name, tt := range map[string]struct {
		max, want float64
	}{
		"exact power of ten": {1000, 1000},
		"just under":         {999.9, 500},
		"two":                {2500, 2000},
		"five":               {9999, 5000},
		"metres":             {73, 50},
		"below a metre":      {0.3, 0.2},
		"zero":               {0, 0},
		"negative":           {-5, 0},
		"infinite":           {math.Inf(1), 0},
		"not a number":       {math.NaN(), 0},
	} {
		t.Run(name, func(t *testing.T) {
			if got := roundDistance(tt.max); math.Abs(got-tt.want) > 1e-12*tt.want {
				t.Errorf("roundDistance(%v) = %v, want %v", tt.max, got, tt.want)
			}
		})
	}
}

func TestScaleBar_setViewport(t *testing.T) {
	for name, tt := range map[string]struct {
		vp         viewport.Viewport
		wantText   string
		wantLength float64
	}{
		// 156543 m/px at zoom 0 on the equator, halved per zoom, times cos(lat).
		"zoom 5 at 45° N":        {viewport.New(orb.Point{60, 45}, 5, 800, 600, 1), "200 km", 200e3 / (156543.034 / 32 * math.Cos(math.Pi/4))},
		"zoom 12 at 42° N":       {viewport.New(orb.Point{77, 42}, 12, 800, 600, 1), "2 km", 2e3 / (156543.034 / 4096 * math.Cos(42*math.Pi/180))},
		"zoom 17 on the equator": {viewport.New(orb.Point{0, 0}, 17, 800, 600, 1), "100 m", 100 / (156543.034 / 131072)},
	} {
		t.Run(name, func(t *testing.T) {
			s := newScaleBar()
			s.setViewport(tt.vp)
			if s.text != tt.wantText || math.Abs(float64(s.length)-tt.wantLength) > 0.01 {
				t.Errorf("scale bar %q, %v px; want %q, %v px", s.text, s.length, tt.wantText, tt.wantLength)
			}
			if s.length > scaleBarMaxWidth {
				t.Errorf("scale bar %v px, longer than %v", s.length, scaleBarMaxWidth)
			}
		})
	}
}

func TestAttribution(t *testing.T) {
	st := &style.Style{
		Sources: map[string]style.Source{
			"a": {Attribution: "Natural Earth"},
			"b": {Attribution: "GSHHG"},
			"c": {Attribution: "Natural Earth"},
			"d": {},
			"e": {Attribution: "Hidden source"},
		},
		Layers: []style.Layer{
			{ID: "1", Source: "a"}, {ID: "2", Source: "b"}, {ID: "3", Source: "c"},
			{ID: "4", Source: "d"}, {ID: "5", Source: "e", Hidden: true}, {ID: "6", Source: "a"},
		},
	}
	if got, want := attribution(st), "Natural Earth · GSHHG"; got != want {
		t.Errorf("attribution = %q, want %q", got, want)
	}
}

func TestDisplayMarkdown(t *testing.T) {
	for name, tt := range map[string]struct {
		in, want string
	}{
		"table to list": {
			in:   "Intro.\n\n| file | licence | features |\n|---|---|---|\n| `a.geojson` | public domain | 19 |\n| `b.png` | **LGPL** | – |\n\nAfter.",
			want: "Intro.\n\n- **a.geojson** — licence: public domain; features: 19\n- **b.png** — licence: **LGPL**\n\nAfter.",
		},
		"code span to text": {
			in:   "Paths are relative to `assets/data/`, the root of `assets.Data()`.",
			want: "Paths are relative to assets/data/, the root of assets.Data().",
		},
		"fenced code kept": {
			in:   "```\n| not | a table |\n|---|---|\n`x`\n```",
			want: "```\n| not | a table |\n|---|---|\n`x`\n```",
		},
		"pipe line without rule": {
			in:   "| just a line |",
			want: "| just a line |",
		},
	} {
		t.Run(name, func(t *testing.T) {
			if got := displayMarkdown(tt.in); got != tt.want {
				t.Errorf("displayMarkdown =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestNewMarkdown_keepsWordsWithUnderscores(t *testing.T) {
	test.NewTempApp(t)
	for name, tt := range map[string]struct {
		in, want string
	}{
		"paragraph": {in: "see lakes_historic.geojson here", want: "see lakes_historic.geojson here"},
		"list":      {in: "- **a_b** — file: c_d_e", want: "a_b — file: c_d_e"},
		"emphasis":  {in: "an *emphasised* word", want: "an emphasised word"},
	} {
		t.Run(name, func(t *testing.T) {
			if got := strings.TrimSpace(plainText(newMarkdown(tt.in).Segments)); got != tt.want {
				t.Errorf("newMarkdown(%q) shows %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// plainText returns the text of RichText segments, lists included.
func plainText(segs []widget.RichTextSegment) string {
	var b strings.Builder
	for _, s := range segs {
		switch s := s.(type) {
		case *widget.ParagraphSegment:
			b.WriteString(plainText(s.Texts))
		case *widget.ListSegment:
			b.WriteString(plainText(s.Items))
		default:
			b.WriteString(s.Textual())
		}
	}
	return b.String()
}
