package render_test

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/imgtest"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// highlightMarks are a polygon with a hole, a line and two points, in a
// 4° × 3° box around (75, 42).
var highlightMarks = []render.Mark{
	{Geometry: orb.Polygon{
		{{73.5, 41}, {75.5, 41}, {75.5, 43}, {73.5, 43}, {73.5, 41}},
		{{74, 41.5}, {74, 42.5}, {75, 42.5}, {75, 41.5}, {74, 41.5}},
	}},
	{Geometry: orb.LineString{{76, 41}, {76.5, 42.5}, {77.5, 42.8}}},
	{Geometry: orb.MultiPoint{{76.8, 41.3}, {77.3, 41.8}}, Radius: 6},
}

var highlightView = viewport.New(orb.Point{75.5, 42}, 6, 400, 300, 1)

func TestHighlight_golden(t *testing.T) {
	for _, tc := range []struct {
		name  string
		style render.HighlightStyle
	}{{"selection", render.SelectionHighlight}, {"answer", render.AnswerHighlight}} {
		for _, scale := range []float64{1, 2} {
			name := fmt.Sprintf("%s@%gx", tc.name, scale)
			t.Run(name, func(t *testing.T) {
				vp := highlightView
				vp.Scale = scale
				img, err := render.Highlight(context.Background(), vp, highlightMarks, tc.style)
				if err != nil {
					t.Fatal(err)
				}
				if img.Rect.Dx() != vp.DeviceWidth() || img.Rect.Dy() != vp.DeviceHeight() {
					t.Fatalf("overlay is %v, want the viewport's %d×%d device pixels", img.Rect, vp.DeviceWidth(), vp.DeviceHeight())
				}
				// Shown over a plain grey map, as the app composes it.
				shown := image.NewRGBA(img.Rect)
				draw.Draw(shown, shown.Rect, image.NewUniform(color.RGBA{0xd8, 0xd8, 0xd8, 0xff}), image.Point{}, draw.Src)
				draw.Draw(shown, shown.Rect, img, image.Point{}, draw.Over)
				imgtest.Assert(t, "highlight/"+name, shown)
			})
		}
	}
}

// TestHighlight_coversOnlyTheMarks checks where the overlay paints: the
// selection style nowhere far from a mark, the answer style's veil
// everywhere but inside the marks.
func TestHighlight_coversOnlyTheMarks(t *testing.T) {
	vp := highlightView
	at := func(lon, lat float64) image.Point {
		p := vp.ToPixel(orb.Point{lon, lat})
		return image.Pt(int(p[0]), int(p[1]))
	}
	inPolygon, inHole, farAway := at(73.8, 42.8), at(74.5, 42), at(78.8, 44)
	for _, tc := range []struct {
		style                          render.HighlightStyle
		polygon, hole, far             bool
		name                           string
		wantPolygon, wantHole, wantFar uint8
	}{
		{style: render.SelectionHighlight, name: "selection", wantPolygon: render.SelectionHighlight.Fill.A, wantHole: 0, wantFar: 0},
		{style: render.AnswerHighlight, name: "answer", wantPolygon: render.AnswerHighlight.Fill.A, wantHole: render.AnswerHighlight.Dim.A, wantFar: render.AnswerHighlight.Dim.A},
	} {
		img, err := render.Highlight(context.Background(), vp, highlightMarks, tc.style)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			where string
			p     image.Point
			want  uint8
		}{{"inside the polygon", inPolygon, tc.wantPolygon}, {"in its hole", inHole, tc.wantHole}, {"far away", farAway, tc.wantFar}} {
			if got := img.RGBAAt(c.p.X, c.p.Y).A; absDiff(got, c.want) > 1 {
				t.Errorf("%s style, %s (%v): alpha %d, want %d", tc.name, c.where, c.p, got, c.want)
			}
		}
	}
}

func absDiff(a, b uint8) uint8 {
	if a > b {
		return a - b
	}
	return b - a
}

// TestHighlight_overlapsTintOnce marks a polygon and, inside it, a
// smaller one and a point: where they overlap the tint is the fill's, not
// the fill over itself.
func TestHighlight_overlapsTintOnce(t *testing.T) {
	vp := highlightView
	outer := orb.Polygon{{{73.5, 41}, {77.5, 41}, {77.5, 43}, {73.5, 43}, {73.5, 41}}}
	inner := orb.Polygon{{{74, 41.5}, {75, 41.5}, {75, 42.5}, {74, 42.5}, {74, 41.5}}}
	marks := []render.Mark{{Geometry: outer}, {Geometry: inner}, {Geometry: orb.Point{76.5, 42}, Radius: 6}}
	for _, hs := range []render.HighlightStyle{render.SelectionHighlight, render.AnswerHighlight} {
		img, err := render.Highlight(context.Background(), vp, marks, hs)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []orb.Point{{74.5, 42}, {76.5, 42}, {76.9, 41.6}} {
			q := vp.ToPixel(p)
			if got := img.RGBAAt(int(q[0]), int(q[1])); absDiff(got.A, hs.Fill.A) > 1 {
				t.Errorf("%v: alpha %d, want the fill's %d", p, got.A, hs.Fill.A)
			}
		}
	}
}

func TestHighlight_cancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := render.Highlight(ctx, highlightView, highlightMarks, render.AnswerHighlight); err != context.Canceled {
		t.Errorf("Highlight on a cancelled context returned %v, want context.Canceled", err)
	}
}

// BenchmarkHighlight_1080p composes the selection of Lake Issyk-Kul (a
// polygon of the embedded map) and of the Mailuu-Suu site at full HD, with
// and without dimming the rest: what a click costs, the tiles untouched.
func BenchmarkHighlight_1080p(b *testing.B) {
	a := defaultAtlas(b)
	lake, ok := a.Sources["lakes"].Vector.Lookup("lakes.issyk-kul")
	if !ok {
		b.Fatal("lakes.issyk-kul is not in the embedded lakes")
	}
	site, ok := a.Sources["tailings"].Vector.Lookup("kg-mailuu-suu-uranium-legacy")
	if !ok {
		b.Fatal("kg-mailuu-suu-uranium-legacy is not in the embedded tailings")
	}
	marks := []render.Mark{{Geometry: lake.Geometry}, {Geometry: site.Geometry, Radius: 7}}
	vp := viewport.New(orb.Point{75.5, 42}, 7, 1920, 1080, 1)
	overlay := image.NewRGBA(image.Rect(0, 0, vp.DeviceWidth(), vp.DeviceHeight()))
	for _, tc := range []struct {
		name  string
		style render.HighlightStyle
	}{{"selection", render.SelectionHighlight}, {"dimmed", render.AnswerHighlight}} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if err := render.DrawHighlight(context.Background(), overlay, vp, marks, tc.style); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
