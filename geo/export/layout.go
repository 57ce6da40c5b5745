package export

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/geo/clausemap"
	"github.com/ecoatlas/ecoatlas/geo/geodesic"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/query"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/render/raster"
	"github.com/ecoatlas/ecoatlas/geo/render/text"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// Measures of the layout, in millimetres and points.
const (
	marginMM   = 10.0
	gapMM      = 3.0
	legendMM   = 52.0 // a legend column's width
	swatchWMM  = 7.0
	swatchHMM  = 3.8
	rowGapMM   = 0.9
	footerMM   = 15.0
	scaleBarMM = 40.0 // the longest a scale bar gets
	titlePt    = 18.0
	subtitlePt = 11.0
	notePt     = 9.0
	legendPt   = 6.5
	headingPt  = 7.0
	smallPt    = 6.0
	citationPt = 7.5
	// logicalDPI is the resolution of the map's logical pixels.
	logicalDPI = 96.0
)

// Colours of the page.
var (
	ink      = color.NRGBA{0x22, 0x22, 0x22, 0xff}
	softInk  = color.NRGBA{0x55, 0x5b, 0x61, 0xff}
	paper    = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	gridInk  = color.NRGBA{0x30, 0x40, 0x50, 0x70}
	frameInk = color.NRGBA{0x40, 0x40, 0x40, 0xff}
)

// Exporter makes pages of a loaded map, with the query engine that says
// what a view draws.
type Exporter struct {
	engine *query.Engine
}

// New returns an exporter of the query engine's map.
func New(e *query.Engine) *Exporter { return &Exporter{engine: e} }

// layout draws one page through a painter, in the page's device pixels.
type layout struct {
	x    *Exporter
	p    render.Painter
	opt  Options
	page Page
	// number and total number the page in a handout (total 0: alone).
	number, total int
	// k is device pixels per millimetre, ts per point.
	k, ts float64
	// w and h are the page's size in device pixels.
	w, h     float64
	progress func(float64)
}

// newLayout returns the layout of a page for a painter of the page's
// device pixels.
func (x *Exporter) newLayout(p render.Painter, page Page, opt Options, progress func(float64)) *layout {
	wMM, hMM := opt.size()
	k := opt.DPI / 25.4
	if progress == nil {
		progress = func(float64) {}
	}
	return &layout{x: x, p: p, opt: opt, page: page, k: k, ts: opt.DPI / 72, w: wMM * k, h: hMM * k, progress: progress}
}

// pageSize returns a page's size in device pixels at the options'
// resolution.
func pageSize(opt Options) (w, h int) {
	wMM, hMM := opt.size()
	return int(math.Round(wMM * opt.DPI / 25.4)), int(math.Round(hMM * opt.DPI / 25.4))
}

// mm converts millimetres to device pixels.
func (l *layout) mm(v float64) float64 { return v * l.k }

// style returns a text style of a size in points.
func (l *layout) style(size float64, bold, italic bool, col color.NRGBA) text.Style {
	st := text.Style{Size: size, Color: col, Italic: italic}
	if bold {
		st.Weight = text.Bold
	}
	return st
}

// measure returns the size of a text in device pixels.
func (l *layout) measure(s string, st text.Style) text.Metrics {
	return text.Measure(s, st, l.ts)
}

// text draws a text with its layout box's top-left corner at (x, y) and
// returns its size.
func (l *layout) text(s string, st text.Style, x, y float64) text.Metrics {
	m := l.measure(s, st)
	if m.Lines > 0 {
		l.p.Text(text.Straight(s, st, l.ts, image.Pt(int(math.Round(x)), int(math.Round(y)))))
	}
	return m
}

// rect returns the path of a rectangle.
func rect(x0, y0, x1, y1 float64) *raster.Path {
	var p raster.Path
	p.MoveTo(x0, y0)
	p.LineTo(x1, y0)
	p.LineTo(x1, y1)
	p.LineTo(x0, y1)
	p.Close()
	return &p
}

// frame is the page's parts, in device pixels.
type frame struct {
	mapRect          image.Rectangle
	legend           raster.Rect
	legendColumns    int
	header           float64 // the bottom of the heading
	citationTop      float64
	footerTop        float64
	landscape        bool
	contentX0, right float64
}

// plan lays the page out: the heading's height, the map's frame, the
// legend's box and the footer.
func (l *layout) plan(legendRows int) frame {
	var f frame
	m := l.mm(marginMM)
	f.contentX0, f.right = m, l.w-m
	width := f.right - f.contentX0
	y := m
	y += l.measureLines(l.page.Title, l.style(titlePt, true, false, ink), width)
	if l.page.Subtitle != "" {
		y += l.mm(1) + l.measureLines(l.page.Subtitle, l.style(subtitlePt, false, false, softInk), width)
	}
	if l.page.Note != "" {
		y += l.mm(1.5) + l.measureLines(l.page.Note, l.style(notePt, false, false, ink), width)
	}
	f.header = y
	top := y + l.mm(gapMM)
	f.footerTop = l.h - m - l.mm(footerMM)
	bottom := f.footerTop - l.mm(gapMM)
	if h := l.page.Highlight; h != nil && h.Citation != "" {
		f.citationTop = bottom - l.measureLines(h.Citation, l.style(citationPt, false, true, ink), width)
		bottom = f.citationTop - l.mm(2)
	}
	f.landscape = l.w > l.h
	rowH := l.mm(swatchHMM + rowGapMM)
	if f.landscape {
		rows := max(1, int((bottom-top-l.mm(6))/rowH))
		f.legendColumns = max(1, (legendRows+rows-1)/rows)
		lw := l.mm(legendMM) * float64(f.legendColumns)
		f.legend = raster.Rect{MinX: f.right - lw, MinY: top, MaxX: f.right, MaxY: bottom}
		f.mapRect = image.Rect(int(f.contentX0), int(top), int(f.right-lw-l.mm(gapMM)), int(bottom))
	} else {
		f.legendColumns = max(1, int(width/l.mm(legendMM)))
		rows := (legendRows + f.legendColumns - 1) / f.legendColumns
		lh := min(l.mm(6)+float64(rows)*rowH, (bottom-top)/2)
		f.legend = raster.Rect{MinX: f.contentX0, MinY: bottom - lh, MaxX: f.right, MaxY: bottom}
		f.mapRect = image.Rect(int(f.contentX0), int(top), int(f.right), int(bottom-lh-l.mm(gapMM)))
	}
	return f
}

// viewport returns the map's view for a frame: the page's view fitted to
// the frame in logical pixels of 1/96 inch, at the page's resolution.
func (l *layout) viewport(r image.Rectangle) viewport.Viewport {
	scale := l.opt.DPI / logicalDPI
	w, h := float64(r.Dx())/scale, float64(r.Dy())/scale
	return viewport.New(l.page.View.Center(), 5, w, h, scale).Fit(l.page.View, 0)
}

// draw draws the page.
func (l *layout) draw(ctx context.Context) error {
	if l.page.Style == nil || l.page.View.Max[0] <= l.page.View.Min[0] || l.page.View.Max[1] <= l.page.View.Min[1] {
		return fmt.Errorf("%w: %q has no style or no view (%v)", ErrPage, l.page.Title, l.page.View)
	}
	// The legend depends on the view and the view on the legend's room:
	// a first guess of the view gives the legend's length, which sizes
	// the map.
	guess := l.plan(12)
	if guess.mapRect.Dx() < int(l.mm(20)) || guess.mapRect.Dy() < int(l.mm(20)) {
		return fmt.Errorf("%w: %q leaves no room for the map on %s", ErrPage, l.page.Title, l.opt.Paper.Name)
	}
	entries, err := l.legend(ctx, l.viewport(guess.mapRect))
	if err != nil {
		return err
	}
	f := l.plan(len(entries))
	vp := l.viewport(f.mapRect)
	if entries, err = l.legend(ctx, vp); err != nil {
		return err
	}
	l.progress(0.05)

	l.p.Fill(rect(0, 0, l.w, l.h), paper, raster.NonZero)
	at := f.mapRect.Min
	sc := l.x.engine.Atlas().Scene(l.page.Style, l.opt.Lang)
	if err := render.PaintGeometry(ctx, sc, vp, l.p, at); err != nil {
		return err
	}
	l.progress(0.6)
	placed, err := render.Labels(ctx, sc, vp)
	if err != nil {
		return err
	}
	render.PaintLabels(l.p, placed, at)
	l.progress(0.8)
	if h := l.page.Highlight; h != nil {
		var boxes []image.Rectangle
		for _, pl := range placed {
			boxes = append(boxes, pl.Boxes...)
		}
		if _, err := h.Map.PaintOverlay(ctx, l.p, vp, h.Selection, clausemap.DefaultLook, boxes, at); err != nil {
			return err
		}
	}
	if l.opt.Grid {
		l.grid(vp, f.mapRect)
	}
	mr := f.mapRect
	l.p.Stroke(rect(float64(mr.Min.X), float64(mr.Min.Y), float64(mr.Max.X), float64(mr.Max.Y)),
		raster.Stroke{Color: frameInk, Width: l.mm(0.3), Join: raster.JoinMiter})
	l.progress(0.85)

	l.heading(f)
	l.drawLegend(f, entries)
	l.footer(f, vp)
	if h := l.page.Highlight; h != nil && h.Citation != "" {
		l.lines(h.Citation, l.style(citationPt, false, true, ink), f.contentX0, f.citationTop, f.right-f.contentX0)
	}
	l.progress(0.9)
	return ctx.Err()
}

// heading draws the title, the subtitle and the note.
func (l *layout) heading(f frame) {
	width := f.right - f.contentX0
	y := l.mm(marginMM)
	y += l.lines(l.page.Title, l.style(titlePt, true, false, ink), f.contentX0, y, width)
	if l.page.Subtitle != "" {
		y += l.mm(1)
		y += l.lines(l.page.Subtitle, l.style(subtitlePt, false, false, softInk), f.contentX0, y, width)
	}
	if l.page.Note != "" {
		y += l.mm(1.5)
		l.lines(l.page.Note, l.style(notePt, false, false, ink), f.contentX0, y, width)
	}
}

// entry is a line of the legend: a layer's heading, or a rule's sample
// and text.
type entry struct {
	text string
	rule *style.Rule
	kind layer.GeometryKind
}

// legend returns the legend of what a view draws: for every layer that
// draws something there, from the top of the map down, the legend lines
// of the rules that draw a feature in view (a relief's lines whenever it
// shows), under the layer's title when it has several. Layers that are
// part of another come under its title.
func (l *layout) legend(ctx context.Context, vp viewport.Viewport) ([]entry, error) {
	st := l.page.Style
	at := l.x.engine.Atlas()
	counts, err := l.x.engine.LegendCounts(ctx, st, vp)
	if err != nil {
		return nil, err
	}
	byLayer := map[string]query.LegendCount{}
	for _, c := range counts {
		byLayer[c.Layer] = c
	}
	type section struct {
		title string
		lines []entry
	}
	var order []string
	sections := map[string]*section{}
	for i := len(st.Layers) - 1; i >= 0; i-- {
		ly := &st.Layers[i]
		src := at.Sources[ly.Source]
		if src == nil || !ly.VisibleAt(vp.Zoom) {
			continue
		}
		var lines []entry
		switch {
		case src.Relief != nil:
			for j := range ly.Rules {
				if r := &ly.Rules[j]; r.Legend != "" {
					lines = append(lines, entry{text: r.Legend, rule: r, kind: layer.KindUnknown})
				}
			}
		case src.Vector != nil:
			c := byLayer[ly.ID]
			for j := range ly.Rules {
				if r := &ly.Rules[j]; r.Legend != "" && j < len(c.Rules) && c.Rules[j] > 0 {
					lines = append(lines, entry{text: r.Legend, rule: r, kind: src.Vector.Kind()})
				}
			}
			if cl := ly.Cluster; cl != nil && cl.Legend != "" && c.Clusters > 0 {
				lines = append(lines, entry{text: cl.Legend, rule: &style.Rule{Legend: cl.Legend, Symbol: &cl.Symbol}, kind: layer.KindPoint})
			}
		}
		if len(lines) == 0 {
			continue
		}
		key, title := ly.ID, ly.Title
		if ly.PartOf != "" {
			if parent, ok := st.Layer(ly.PartOf); ok {
				key, title = parent.ID, parent.Title
			}
		}
		s, ok := sections[key]
		if !ok {
			s = &section{title: title}
			sections[key] = s
			order = append(order, key)
		}
		for _, e := range lines {
			if !slices.ContainsFunc(s.lines, func(o entry) bool { return o.text == e.text }) {
				s.lines = append(s.lines, e)
			}
		}
	}
	// A layer with one legend line needs no title over it: those lines
	// come first, the titled layers after them, so that no line seems to
	// belong to the title above it.
	var single, titled []entry
	for _, key := range order {
		if lines := sections[key].lines; len(lines) == 1 {
			single = append(single, lines[0])
		} else {
			titled = append(titled, entry{text: sections[key].title})
			titled = append(titled, lines...)
		}
	}
	return append(single, titled...), nil
}

// drawLegend draws the legend's entries into its box, in columns, a
// layer's title kept with its first line.
func (l *layout) drawLegend(f frame, entries []entry) {
	if len(entries) == 0 {
		return
	}
	box := f.legend
	x, y := box.MinX, box.MinY
	y += l.text(l.opt.Words.Legend, l.style(headingPt+1.5, true, false, ink), x, y).Height + l.mm(1.5)
	top := y
	colW := (box.MaxX - box.MinX) / float64(f.legendColumns)
	textX := l.mm(swatchWMM + 1.8)
	textStyle := l.style(legendPt, false, false, ink)
	headStyle := l.style(headingPt, true, false, softInk)
	height := func(e entry) float64 {
		if e.rule == nil {
			return l.measureLines(e.text, headStyle, colW-l.mm(2)) + l.mm(0.6)
		}
		return max(l.measureLines(e.text, textStyle, colW-textX-l.mm(2)), l.mm(swatchHMM))
	}
	for i, e := range entries {
		h := height(e)
		need := h
		if e.rule == nil && i+1 < len(entries) {
			need += l.mm(rowGapMM) + height(entries[i+1])
			if y > top {
				y += l.mm(0.8)
			}
		}
		if y+need > box.MaxY && y > top {
			x += colW
			y = top
			if x+colW > box.MaxX+1 {
				return
			}
		}
		if e.rule == nil {
			l.lines(e.text, headStyle, x, y, colW-l.mm(2))
		} else {
			sw := raster.Rect{MinX: x, MinY: y + (h-l.mm(swatchHMM))/2, MaxX: x + l.mm(swatchWMM), MaxY: y + (h+l.mm(swatchHMM))/2}
			render.PaintSwatch(l.p, e.rule, e.kind, sw, l.opt.DPI/logicalDPI)
			th := l.measureLines(e.text, textStyle, colW-textX-l.mm(2))
			l.lines(e.text, textStyle, x+textX, y+(h-th)/2, colW-textX-l.mm(2))
		}
		y += h + l.mm(rowGapMM)
	}
}

// breakLines breaks a text at spaces into lines no wider than width
// (device pixels) where its words allow, filling each line in turn.
func (l *layout) breakLines(s string, st text.Style, width float64) []string {
	var lines []string
	for paragraph := range strings.SplitSeq(s, "\n") {
		line := ""
		for _, word := range strings.Fields(paragraph) {
			try := word
			if line != "" {
				try = line + " " + word
			}
			if line != "" && l.measure(try, st).Width > width {
				lines = append(lines, line)
				try = word
			}
			line = try
		}
		if line != "" {
			lines = append(lines, line)
		}
	}
	return lines
}

// measureLines returns the height of a text broken into lines (see
// breakLines), in device pixels.
func (l *layout) measureLines(s string, st text.Style, width float64) float64 {
	lines := l.breakLines(s, st, width)
	if len(lines) == 0 {
		return 0
	}
	m := l.measure(lines[0], st)
	return m.Height + float64(len(lines)-1)*l.lineStep(st)
}

// lineStep returns the distance between the baselines of a style's lines.
func (l *layout) lineStep(st text.Style) float64 {
	return math.Round(text.DefaultLineHeight * st.Size * l.ts)
}

// lines draws a text broken into lines, left-aligned, from (x, y), and
// returns its height.
func (l *layout) lines(s string, st text.Style, x, y, width float64) float64 {
	lines := l.breakLines(s, st, width)
	for i, line := range lines {
		l.text(line, st, x, y+float64(i)*l.lineStep(st))
	}
	return l.measureLines(s, st, width)
}

// footer draws the scale bar, the north arrow, the sources and the date.
func (l *layout) footer(f frame, vp viewport.Viewport) {
	y := f.footerTop + l.mm(1)
	x := f.contentX0
	x = l.scaleBar(vp, x, y)
	x = l.northArrow(x+l.mm(5), y)
	left := x + l.mm(6)
	width := f.right - left
	small := l.style(smallPt, false, false, softInk)
	credits := l.opt.Words.Sources + ": " + strings.Join(l.credits(vp), " · ")
	y += l.lines(credits, small, left, y, width) + l.mm(0.8)
	date := l.opt.Date
	if date.IsZero() {
		date = time.Now()
	}
	line := l.opt.Words.Made(date)
	if l.total > 0 {
		line += "   ·   " + l.opt.Words.PageOf(l.number, l.total)
	}
	l.text(line, small, left, y)
}

// credits returns the attributions of the sources of the layers a view
// draws, each once, in the order of the layers from the top down.
func (l *layout) credits(vp viewport.Viewport) []string {
	st := l.page.Style
	var out []string
	for i := len(st.Layers) - 1; i >= 0; i-- {
		ly := &st.Layers[i]
		if !ly.VisibleAt(vp.Zoom) {
			continue
		}
		for part := range strings.SplitSeq(st.Sources[ly.Source].Attribution, ";") {
			if part = strings.TrimSpace(part); part != "" && !slices.Contains(out, part) {
				out = append(out, part)
			}
		}
	}
	return out
}

// scaleBar draws a scale bar from (x, y): the longest round distance up
// to scaleBarMM long, true along the parallel through the map's centre,
// in four alternating segments, with its length and where it is true. It
// returns the right edge of what it drew.
func (l *layout) scaleBar(vp viewport.Viewport, x, y float64) float64 {
	cx, cy := vp.Width/2, vp.Height/2
	const span = 100 // logical pixels either side measured
	a, b := vp.FromPixel(orb.Point{cx - span/2, cy}), vp.FromPixel(orb.Point{cx + span/2, cy})
	perPixel := geodesic.Distance(a, b) / span // metres per logical pixel
	maxLogical := scaleBarMM / 25.4 * logicalDPI
	metres := roundDistance(perPixel * maxLogical)
	if metres <= 0 {
		return x
	}
	length := metres / perPixel * vp.Scale
	barH := l.mm(1.6)
	labels := l.style(smallPt, false, false, ink)
	zero := l.measure("0", labels)
	textY := y
	barY := y + zero.Height + l.mm(0.6)
	for i := range 4 {
		x0, x1 := x+length*float64(i)/4, x+length*float64(i+1)/4
		col := ink
		if i%2 == 1 {
			col = paper
		}
		l.p.Fill(rect(x0, barY, x1, barY+barH), col, raster.NonZero)
	}
	l.p.Stroke(rect(x, barY, x+length, barY+barH), raster.Stroke{Color: ink, Width: l.mm(0.2), Join: raster.JoinMiter})
	l.text("0", labels, x-zero.Width/2, textY)
	half := l.opt.Words.Distance(metres / 2)
	hm := l.measure(half, labels)
	l.text(half, labels, x+length/2-hm.Width/2, textY)
	full := l.opt.Words.Distance(metres)
	fm := l.measure(full, labels)
	l.text(full, labels, x+length-fm.Width/2, textY)
	note := l.opt.Words.ScaleAt(vp.Center[1])
	nm := l.text(note, l.style(smallPt, false, true, softInk), x, barY+barH+l.mm(1))
	return max(x+length+fm.Width/2, x+nm.Width)
}

// roundDistance returns the longest distance of the form {1, 2, 5}×10ⁿ
// metres not longer than limit, or 0 if limit is not a positive finite
// number.
func roundDistance(limit float64) float64 {
	if !(limit > 0) || math.IsInf(limit, 1) {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(limit)))
	if 10*p <= limit {
		p *= 10
	}
	for _, m := range [...]float64{5, 2, 1} {
		if m*p <= limit {
			return m * p
		}
	}
	return p
}

// northArrow draws a north arrow from (x, y): Web Mercator keeps north up
// everywhere. It returns the right edge of what it drew.
func (l *layout) northArrow(x, y float64) float64 {
	letter := l.style(smallPt+1, true, false, ink)
	m := l.measure(l.opt.Words.North, letter)
	w, h := l.mm(4), l.mm(6)
	cx := x + max(w, m.Width)/2
	l.text(l.opt.Words.North, letter, cx-m.Width/2, y)
	top := y + m.Height + l.mm(0.3)
	var left, right raster.Path
	left.MoveTo(cx, top)
	left.LineTo(cx-w/2, top+h)
	left.LineTo(cx, top+h*0.72)
	left.Close()
	right.MoveTo(cx, top)
	right.LineTo(cx+w/2, top+h)
	right.LineTo(cx, top+h*0.72)
	right.Close()
	l.p.Fill(&left, ink, raster.NonZero)
	l.p.Fill(&right, paper, raster.NonZero)
	outline := raster.Stroke{Color: ink, Width: l.mm(0.2), Join: raster.JoinMiter}
	l.p.Stroke(&left, outline)
	l.p.Stroke(&right, outline)
	return cx + max(w, m.Width)/2
}

// gridSteps are the spacings, in degrees, a coordinate grid may take.
var gridSteps = []float64{0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 15, 20, 30}

// grid draws meridians and parallels over the map, a round number of
// degrees apart (three to eight across), labelled inside its top and left
// edges.
func (l *layout) grid(vp viewport.Viewport, r image.Rectangle) {
	b := vp.Bound()
	span := max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])
	step := gridSteps[len(gridSteps)-1]
	for _, s := range gridSteps {
		if span/s <= 8 {
			step = s
			break
		}
	}
	l.p.Clip(r)
	line := raster.Stroke{Color: gridInk, Width: l.mm(0.18), Join: raster.JoinRound}
	label := l.style(smallPt, false, false, softInk)
	label.Halo, label.HaloWidth = color.NRGBA{0xff, 0xff, 0xff, 0xd0}, 1.2
	x0, y0 := float64(r.Min.X), float64(r.Min.Y)
	device := func(p orb.Point) orb.Point {
		q := vp.ToPixel(p)
		return orb.Point{x0 + q[0]*vp.Scale, y0 + q[1]*vp.Scale}
	}
	for lon := math.Ceil(b.Min[0]/step) * step; lon <= b.Max[0]; lon += step {
		p := device(orb.Point{lon, b.Min[1]})
		var path raster.Path
		path.MoveTo(p[0], float64(r.Min.Y))
		path.LineTo(p[0], float64(r.Max.Y))
		l.p.Stroke(&path, line)
		l.text(degrees(lon, "E", "W"), label, p[0]+l.mm(0.8), float64(r.Min.Y)+l.mm(0.8))
	}
	for lat := math.Ceil(b.Min[1]/step) * step; lat <= b.Max[1]; lat += step {
		p := device(orb.Point{b.Min[0], lat})
		var path raster.Path
		path.MoveTo(float64(r.Min.X), p[1])
		path.LineTo(float64(r.Max.X), p[1])
		l.p.Stroke(&path, line)
		l.text(degrees(lat, "N", "S"), label, float64(r.Min.X)+l.mm(0.8), p[1]+l.mm(0.5))
	}
	l.p.Clip(image.Rectangle{})
}

// degrees writes a longitude or latitude with its hemisphere letter.
func degrees(v float64, positive, negative string) string {
	h := positive
	if v < 0 {
		h = negative
	}
	v = math.Abs(v)
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f° %s", v, h)
	}
	return fmt.Sprintf("%g° %s", math.Round(v*100)/100, h)
}
