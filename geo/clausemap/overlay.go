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
	// Veil is laid over the whole map so that the selection stands out.
	Veil color.NRGBA
	// Outline is drawn around the selection's areas and lines, Width
	// wide, under their own style, so that a rim of it shows outside.
	Outline color.NRGBA
	Width   float64
	// Ring is the colour of the disc under each selected point symbol,
	// RingSize across.
	Ring     color.NRGBA
	RingSize float64
	// Badge is the fill of the clause badges; BadgeText the colour and
	// BadgeSize the size of their text.
	Badge     color.NRGBA
	BadgeText color.NRGBA
	BadgeSize float64
	// Merge is the distance within which the badges of nearby places
	// become one.
	Merge float64
}

// DefaultLook is the look of the app and the CLI: a light veil, a
// vermilion rim and dark teal badges.
var DefaultLook = Look{
	Veil:    color.NRGBA{0xfa, 0xf9, 0xf6, 0xb4},
	Outline: color.NRGBA{0xe4, 0x57, 0x2e, 0xff}, Width: 5,
	Ring: color.NRGBA{0xe4, 0x57, 0x2e, 0xc0}, RingSize: 17,
	Badge: color.NRGBA{0x0f, 0x4c, 0x5c, 0xf0}, BadgeText: color.NRGBA{0xff, 0xff, 0xff, 0xff}, BadgeSize: 11,
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
// map drawn for the same view (see [Compose]): the veil over everything,
// the selection's features in their own layers' style above it (whole
// layers in full, places one by one) with the outline and point discs
// beneath them, and the badges (see [Badges]; labels are the boxes of
// the map's labels, which badges avoid where they can). Layers that draw
// no geometry of their own (label-only layers) are not drawn; their
// places still get badges. It costs what the selection draws, not what
// the map does; ctx cancels it.
func (m *Map) Overlay(ctx context.Context, vp viewport.Viewport, s Selection, look Look, labels []image.Rectangle) (*image.RGBA, []Badge, error) {
	img := image.NewRGBA(image.Rect(0, 0, vp.DeviceWidth(), vp.DeviceHeight()))
	sc := m.highlightScene(s, look)
	if err := render.GeometryParallel(ctx, sc, vp, img, runtime.GOMAXPROCS(0)); err != nil {
		return nil, nil, err
	}
	badges := Badges(vp, s, look, labels)
	DrawBadges(img, badges, look)
	return img, badges, nil
}

// PaintOverlay draws what Overlay draws through a painter, over a map
// painted for the same view with its top-left device pixel at `at`, and
// returns the badges. It is how a selection shows in an exported page,
// vector or raster.
func (m *Map) PaintOverlay(ctx context.Context, p render.Painter, vp viewport.Viewport, s Selection, look Look, labels []image.Rectangle, at image.Point) ([]Badge, error) {
	if err := render.PaintGeometry(ctx, m.highlightScene(s, look), vp, p, at); err != nil {
		return nil, err
	}
	badges := Badges(vp, s, look, labels)
	PaintBadges(p, badges, look, at)
	return badges, nil
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

// highlightScene returns the scene of a selection: for each highlighted
// layer, in the style's drawing order, an outline layer and the layer's
// own style, both always visible and unclustered, bound to the whole
// source for a whole layer or to the selected features otherwise; the
// veil is the background.
func (m *Map) highlightScene(s Selection, look Look) *render.Scene {
	sc := &render.Scene{Background: look.Veil}
	byLayer := map[string][]layer.Feature{}
	for _, p := range s.Places {
		byLayer[p.Ref.Layer] = append(byLayer[p.Ref.Layer], *p.Feature)
	}
	for i := range m.atlas.Style.Layers {
		l := &m.atlas.Style.Layers[i]
		if !drawsGeometry(l) {
			continue
		}
		var features layer.FeatureSource
		switch {
		case slices.Contains(s.Whole, l.ID):
			v, err := m.vector(l.ID)
			if err != nil {
				continue
			}
			features = v
		case len(byLayer[l.ID]) > 0:
			features = layer.NewVector(byLayer[l.ID])
		default:
			continue
		}
		outline := style.Layer{
			ID: l.ID + "#outline", Source: l.Source, Filter: l.Filter, Opacity: 1, MaxZoom: 24,
			Rules: []style.Rule{{
				MaxZoom: 24,
				Stroke:  &style.Stroke{Color: style.Color(look.Outline), Width: style.Const(look.Width)},
				Symbol:  &style.Symbol{Shape: style.Circle, Size: style.Const(look.RingSize), Fill: style.Color(look.Ring)},
			}},
		}
		own := *l
		own.Hidden, own.MinZoom, own.MaxZoom, own.Cluster, own.Opacity = false, 0, 24, nil, 1
		sc.Layers = append(sc.Layers,
			render.Layer{Style: &outline, Features: features},
			render.Layer{Style: &own, Features: features})
	}
	return sc
}

// drawsGeometry reports whether a layer draws fills, strokes or symbols,
// rather than only labels.
func drawsGeometry(l *style.Layer) bool {
	return slices.ContainsFunc(l.Rules, func(r style.Rule) bool {
		return !r.Fill.IsZero() || r.Stroke != nil || r.Symbol != nil
	})
}

// String returns the badge's text and where it is, for tests and logs.
func (b Badge) String() string {
	return fmt.Sprintf("%s at %v", b.Text, b.Box)
}
