package clausemap

import (
	"cmp"
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/render/label"
	"github.com/ecoatlas/ecoatlas/geo/render/raster"
	"github.com/ecoatlas/ecoatlas/geo/render/text"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/ecoatlas/ecoatlas/seeds"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Look is how a selection shows over the map. Lengths are logical pixels.
type Look struct {
	// Highlight marks the selection's features and, with its Dim, veils
	// the rest of the map: the look of every highlight of the app (see
	// render.DrawHighlight). The zero style draws badges alone.
	Highlight render.HighlightStyle
	// Badge is the fill of the clause badges; BadgeText the colour and
	// BadgeSize the size of their text.
	Badge     color.NRGBA
	BadgeText color.NRGBA
	BadgeSize float64
	// Merge is the distance within which the badges of nearby places
	// become one.
	Merge float64
}

// DefaultLook is the look of the app and the CLI: the features outlined
// as the answers to a question are (render.AnswerHighlight), the rest
// dimmed, and dark teal badges.
var DefaultLook = Look{
	Highlight: render.AnswerHighlight,
	Badge:     color.NRGBA{0x0f, 0x4c, 0x5c, 0xf0}, BadgeText: color.NRGBA{0xff, 0xff, 0xff, 0xff}, BadgeSize: 11,
	Merge: 22,
}

// badgePadding is the room, in logical pixels, between a badge's text
// and its edge.
const badgePadding = 3.0

// containedMerge is how many times look.Merge apart two places may be and
// still share a badge when one lies inside the other: the shores of a lake
// share its badge, a city far inside a basin keeps its own.
const containedMerge = 4.0

// pointRadius is the radius, in logical pixels, of the symbol a badge of
// a point place keeps clear of.
const pointRadius = 6.0

// Badge is a clause badge placed in a view.
type Badge struct {
	// Text is what the badge says: "§14", or "§5 §12" for a place (or
	// places close together) of several clauses.
	Text string
	// Clauses are the numbers on the badge, ascending.
	Clauses []int
	// Places are the places the badge stands for, the one it is set at
	// first.
	Places []seeds.FeatureRef
	// Anchor is the lon/lat point it is set at.
	Anchor orb.Point
	// Box is the badge's rectangle in the view's device pixels.
	Box image.Rectangle

	placed label.Placed
}

// Badges places the badges of a selection in a view: one per place, a
// place's clauses together on it. Taken by importance (named places
// first, then a clause's places in its order), a place joins the badge of
// a place before it that lies within look.Merge pixels, or within four
// times that and inside it or around it (a Ramsar point in its lake, a
// lake and its old shoreline). The
// badges are then set, by the same order, beside points and over areas,
// where they overlap no other badge and no symbol of a point with a
// badge; they also keep off the reserved boxes (the map's labels) where
// they can, and cover them where they must. A badge that finds no room at
// all is left out.
func Badges(vp viewport.Viewport, s Selection, look Look, reserved []image.Rectangle) []Badge {
	type group struct {
		at       orb.Point // device pixels
		anchor   orb.Point
		members  []Place
		point    bool
		clauses  []int
		places   []seeds.FeatureRef
		priority float64
	}
	order := make([]int, len(s.Places))
	for i := range order {
		order[i] = i
	}
	priority := func(i int) float64 {
		pr := 1000 - float64(i)
		if s.Places[i].Ref.Named {
			pr += 1000
		}
		return pr
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(priority(b), priority(a)) })
	merge := look.Merge * vp.Scale
	w, h := float64(vp.DeviceWidth()), float64(vp.DeviceHeight())
	var groups []group
	for _, i := range order {
		p := s.Places[i]
		at := vp.ToPixel(p.Anchor)
		at = orb.Point{at[0] * vp.Scale, at[1] * vp.Scale}
		if at[0] < 0 || at[1] < 0 || at[0] >= w || at[1] >= h {
			continue
		}
		joined := false
		for k := range groups {
			g := &groups[k]
			d := math.Hypot(g.at[0]-at[0], g.at[1]-at[1])
			near := d < merge || d < containedMerge*merge && slices.ContainsFunc(g.members, func(q Place) bool {
				return covers(q.Feature.Geometry, p.Anchor) || covers(p.Feature.Geometry, q.Anchor)
			})
			if near {
				for _, c := range p.Clauses {
					if !slices.Contains(g.clauses, c) {
						g.clauses = append(g.clauses, c)
					}
				}
				g.places = append(g.places, p.Ref)
				g.members = append(g.members, p)
				joined = true
				break
			}
		}
		if !joined {
			groups = append(groups, group{at: at, anchor: p.Anchor, members: []Place{p}, point: p.Point, clauses: slices.Clone(p.Clauses), places: []seeds.FeatureRef{p.Ref}, priority: priority(i)})
		}
	}
	st := badgeStyle(look)
	cands := make([]label.Candidate, len(groups))
	texts := make([]string, len(groups))
	for k := range groups {
		g := &groups[k]
		slices.Sort(g.clauses)
		parts := make([]string, len(g.clauses))
		for i, c := range g.clauses {
			parts[i] = "§" + strconv.Itoa(c)
		}
		texts[k] = strings.Join(parts, " ")
		cands[k] = label.Candidate{Text: texts[k], Style: st, Priority: g.priority, Anchor: g.at, Key: g.places[0].String()}
		if g.point {
			cands[k].Offset = pointRadius * vp.Scale
		}
	}
	// Place keeps every badge off the symbol of every point badge's place.
	// The badges that find no room clear of the reserved boxes try again
	// over them, clear of the badges placed.
	bounds := image.Rect(0, 0, vp.DeviceWidth(), vp.DeviceHeight())
	placed := label.Place(cands, vp.Scale, bounds, reserved)
	if len(placed) < len(cands) && len(reserved) > 0 {
		done := make([]bool, len(cands))
		var taken []image.Rectangle
		for _, pl := range placed {
			done[pl.Index] = true
			taken = append(taken, pl.Boxes...)
		}
		var again []label.Candidate
		var index []int
		for i, c := range cands {
			if !done[i] {
				again = append(again, c)
				index = append(index, i)
			}
		}
		for _, pl := range label.Place(again, vp.Scale, bounds, taken) {
			pl.Index = index[pl.Index]
			placed = append(placed, pl)
		}
	}
	badges := make([]Badge, 0, len(placed))
	for _, pl := range placed {
		g := groups[pl.Index]
		badges = append(badges, Badge{Text: texts[pl.Index], Clauses: g.clauses, Places: g.places, Anchor: g.anchor, Box: pl.Boxes[0], placed: pl})
	}
	return badges
}

// covers reports whether an areal geometry contains a lon/lat point.
func covers(g orb.Geometry, p orb.Point) bool {
	switch g := g.(type) {
	case orb.Polygon:
		return planar.PolygonContains(g, p)
	case orb.MultiPolygon:
		return planar.MultiPolygonContains(g, p)
	}
	return false
}

// badgeStyle is the text style of a badge: bold, with a "halo" the
// colour of the badge as wide as its padding, so that label placement
// keeps room for the whole badge.
func badgeStyle(look Look) text.Style {
	return text.Style{Size: look.BadgeSize, Color: look.BadgeText, Halo: look.Badge, HaloWidth: badgePadding, Weight: text.Bold}
}

// DrawBadges draws placed badges onto dst, whose top-left pixel is the
// view's: a rounded box in the badge colour under each text.
func DrawBadges(dst *image.RGBA, badges []Badge, look Look) {
	PaintBadges(raster.New(dst), badges, look, image.Point{})
}

// PaintBadges draws placed badges through a painter, the view's top-left
// device pixel at `at`: a rounded box in the badge colour under each
// text, the text as text.
func PaintBadges(pt render.Painter, badges []Badge, look Look, at image.Point) {
	var p raster.Path
	for _, b := range badges {
		roundedBox(&p, b.Box.Add(at), float64(b.Box.Dy())/2)
		pt.Fill(&p, look.Badge, raster.NonZero)
	}
	placed := make([]label.Placed, len(badges))
	for i, b := range badges {
		placed[i] = b.placed
	}
	render.PaintLabels(pt, placed, at)
}

// roundedBox sets p to a rectangle with corners rounded to radius r.
func roundedBox(p *raster.Path, box image.Rectangle, r float64) {
	x0, y0, x1, y1 := float64(box.Min.X), float64(box.Min.Y), float64(box.Max.X), float64(box.Max.Y)
	r = min(r, (x1-x0)/2, (y1-y0)/2)
	p.Reset()
	const steps = 6
	corner := func(cx, cy, from float64) {
		for i := 0; i <= steps; i++ {
			a := from + float64(i)*math.Pi/2/steps
			x, y := cx+r*math.Cos(a), cy+r*math.Sin(a)
			if i == 0 && from == math.Pi {
				p.MoveTo(x, y)
			} else {
				p.LineTo(x, y)
			}
		}
	}
	corner(x0+r, y0+r, math.Pi)
	corner(x1-r, y0+r, 3*math.Pi/2)
	corner(x1-r, y1-r, 0)
	corner(x0+r, y1-r, math.Pi/2)
	p.Close()
}

// Overlay draws a selection's highlight for a view, to compose over the
// map drawn for the same view (see [Compose]): the selection's features
// marked ([Map.Marks]) in look.Highlight, which dims the rest of the map,
// and the badges (see [Badges]; labels are the boxes of the map's labels,
// which badges avoid where they can). It costs what the selection marks,
// not what the map draws; ctx cancels it.
func (m *Map) Overlay(ctx context.Context, vp viewport.Viewport, s Selection, look Look, labels []image.Rectangle) (*image.RGBA, []Badge, error) {
	img := image.NewRGBA(image.Rect(0, 0, vp.DeviceWidth(), vp.DeviceHeight()))
	if look.Highlight != (render.HighlightStyle{}) {
		marks, err := m.Marks(ctx, vp, s)
		if err != nil {
			return nil, nil, err
		}
		if err := render.DrawHighlight(ctx, img, vp, marks, look.Highlight); err != nil {
			return nil, nil, err
		}
	}
	badges := Badges(vp, s, look, labels)
	DrawBadges(img, badges, look)
	return img, badges, nil
}

// PaintOverlay draws what Overlay draws through a painter, over a map
// painted for the same view with its top-left device pixel at `at`, and
// returns the badges. It is how a selection shows in an exported page,
// vector or raster (see render.PaintHighlight: a page has no veil).
func (m *Map) PaintOverlay(ctx context.Context, p render.Painter, vp viewport.Viewport, s Selection, look Look, labels []image.Rectangle, at image.Point) ([]Badge, error) {
	if look.Highlight != (render.HighlightStyle{}) {
		marks, err := m.Marks(ctx, vp, s)
		if err != nil {
			return nil, err
		}
		if err := render.PaintHighlight(ctx, p, vp, marks, look.Highlight, at); err != nil {
			return nil, err
		}
	}
	badges := Badges(vp, s, look, labels)
	PaintBadges(p, badges, look, at)
	return badges, nil
}

// markMargin is how far, in logical pixels, beyond a view's edge a
// feature may lie and still be marked: its symbol and outline reach in.
const markMargin = 32

// Marks returns the highlight marks (see render.DrawHighlight) of a
// selection in a view, as the map draws its features there: every
// feature of its whole layers that the layer's filter keeps, and its
// places, each once; a point with the radius of its symbol at the view's
// zoom; and points that the map groups into a cluster there as the
// cluster's symbol, once. Features far outside the view are left out.
// ctx cancels it.
func (m *Map) Marks(ctx context.Context, vp viewport.Viewport, s Selection) ([]render.Mark, error) {
	margin := vp.WithSize(vp.Width+2*markMargin, vp.Height+2*markMargin).Bound()
	var marks []render.Mark
	for i := range m.style.Layers {
		l := &m.style.Layers[i]
		whole := slices.Contains(s.Whole, l.ID)
		var chosen map[*layer.Feature]bool
		for _, p := range s.Places {
			if p.Ref.Layer == l.ID {
				if chosen == nil {
					chosen = map[*layer.Feature]bool{}
				}
				chosen[p.Feature] = true
			}
		}
		if !whole && chosen == nil {
			continue
		}
		v, err := m.vector(l.ID)
		if err != nil {
			continue
		}
		selected := func(f *layer.Feature) bool {
			return chosen[f] || whole && l.Filter.Match(&f.Properties)
		}
		lm, err := layerMarks(ctx, l, v, margin, vp.Zoom, selected)
		if err != nil {
			return nil, err
		}
		marks = append(marks, lm...)
	}
	return marks, nil
}

// layerMarks returns the marks of a layer's selected features within a
// bound at a zoom, grouped as the layer draws them there.
func layerMarks(ctx context.Context, l *style.Layer, v *layer.Vector, b orb.Bound, zoom float64, selected func(*layer.Feature) bool) ([]render.Mark, error) {
	singles, clusters, err := render.Drawn(ctx, &render.Layer{Style: l, Features: v}, b, zoom)
	if err != nil {
		return nil, err
	}
	var marks []render.Mark
	for _, f := range singles {
		if f.Geometry == nil || !selected(f) {
			continue
		}
		mk := render.Mark{Geometry: f.Geometry}
		if r := l.RuleFor(zoom, &f.Properties); r != nil && r.Symbol != nil {
			mk.Radius = symbolRadius(r.Symbol, zoom, &f.Properties)
		}
		marks = append(marks, mk)
	}
	for _, c := range clusters {
		if slices.ContainsFunc(c.Members, selected) {
			marks = append(marks, render.Mark{Geometry: c.At, Radius: symbolRadius(&l.Cluster.Symbol, zoom, clusterCount(len(c.Members)))})
		}
	}
	return marks, nil
}

// symbolRadius returns the radius, outline included, of a point symbol
// for a feature at a zoom, in logical pixels.
func symbolRadius(s *style.Symbol, zoom float64, attrs style.Attributes) float64 {
	return (s.Size.Eval(zoom, attrs) + s.StrokeWidth.Eval(zoom, attrs)) / 2
}

// clusterCount is what a cluster's symbol reads its size from: the number
// of its members, as the property style.ClusterCount.
type clusterCount float64

// Get returns the count for style.ClusterCount.
func (c clusterCount) Get(key string) (any, bool) {
	if key == style.ClusterCount {
		return float64(c), true
	}
	return nil, false
}

// Compose draws an overlay over a frame of the same view (Porter-Duff
// "over" on premultiplied pixels), in bands of rows on every core.
func Compose(frame, overlay *image.RGBA) {
	r := frame.Bounds().Intersect(overlay.Bounds().Sub(overlay.Bounds().Min).Add(frame.Bounds().Min))
	w, h := r.Dx(), r.Dy()
	if w <= 0 || h <= 0 {
		return
	}
	workers := min(runtime.GOMAXPROCS(0), h)
	var wg sync.WaitGroup
	for k := range workers {
		wg.Go(func() {
			for y := r.Min.Y + k*h/workers; y < r.Min.Y+(k+1)*h/workers; y++ {
				d := frame.Pix[frame.PixOffset(r.Min.X, y):][:4*w]
				s := overlay.Pix[overlay.PixOffset(overlay.Bounds().Min.X+r.Min.X-frame.Bounds().Min.X, overlay.Bounds().Min.Y+y-frame.Bounds().Min.Y):][:4*w]
				composeRow(d, s)
			}
		})
	}
	wg.Wait()
}

// composeRow draws a row of premultiplied pixels s over d.
func composeRow(d, s []uint8) {
	for i := 0; i+3 < len(s); i += 4 {
		switch a := uint32(s[i+3]); a {
		case 0:
		case 0xff:
			copy(d[i:i+4], s[i:i+4])
		default:
			k := 0xff - a
			d[i] = uint8(uint32(s[i]) + (uint32(d[i])*k+0x7f)/0xff)
			d[i+1] = uint8(uint32(s[i+1]) + (uint32(d[i+1])*k+0x7f)/0xff)
			d[i+2] = uint8(uint32(s[i+2]) + (uint32(d[i+2])*k+0x7f)/0xff)
			d[i+3] = uint8(a + (uint32(d[i+3])*k+0x7f)/0xff)
		}
	}
}

// String returns the badge's text and where it is, for tests and logs.
func (b Badge) String() string {
	return fmt.Sprintf("%s at %v", b.Text, b.Box)
}
