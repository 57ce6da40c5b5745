package label_test

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/render/label"
	"github.com/ecoatlas/ecoatlas/geo/render/text"
	"github.com/paulmach/orb"
)

var (
	frame     = image.Rect(0, 0, 1920, 1080)
	cityStyle = text.Style{
		Size: 12, Color: color.NRGBA{0x2b, 0x2b, 0x2b, 0xff},
		Halo: color.NRGBA{0xff, 0xff, 0xff, 0xd8}, HaloWidth: 1.8,
	}
	regionStyle = text.Style{
		Size: 11, Color: color.NRGBA{0x8a, 0x75, 0x83, 0xff},
		Halo: color.NRGBA{0xf6, 0xf0, 0xe2, 0xc0}, HaloWidth: 1.5, MaxWidth: 110,
	}
	riverStyle = text.Style{
		Size: 11, Italic: true, Color: color.NRGBA{0x2c, 0x6f, 0xa8, 0xff},
		Halo: color.NRGBA{0xff, 0xff, 0xff, 0xb0}, HaloWidth: 1.5,
	}
)

var names = []string{
	"Astana", "Almaty", "Shymkent", "Karaganda", "Aktobe", "Taraz", "Pavlodar", "Oskemen",
	"Semey", "Atyrau", "Kostanay", "Kyzylorda", "Oral", "Petropavl", "Aktau", "Turkistan",
	"Bishkek", "Osh", "Jalal-Abad", "Karakol", "Naryn", "Dushanbe", "Khujand", "Kulob",
	"Ashgabat", "Türkmenabat", "Daşoguz", "Mary", "Balkanabat", "Tashkent", "Samarkand",
	"Namangan", "Andijan", "Bukhara", "Nukus", "Qarshi", "Fergana", "Termez", "Urgench",
	"Астана", "Алматы", "Шымкент", "Караганда", "Бишкек", "Душанбе", "Ташкент", "Самарканд",
}

// randomCandidates returns n candidates over the frame: mostly cities with
// a symbol, some area labels and some rivers. With clusters > 0 they crowd
// around that many centres, as settlements do on a real map; otherwise they
// are spread evenly.
func randomCandidates(n, clusters int, r *rand.Rand) []label.Candidate {
	centres := make([]orb.Point, clusters)
	for i := range centres {
		centres[i] = orb.Point{r.Float64() * 1920, r.Float64() * 1080}
	}
	cands := make([]label.Candidate, n)
	for i := range cands {
		anchor := orb.Point{r.Float64() * 1920, r.Float64() * 1080}
		if clusters > 0 {
			c := centres[r.IntN(clusters)]
			anchor = orb.Point{c[0] + 45*r.NormFloat64(), c[1] + 45*r.NormFloat64()}
		}
		c := label.Candidate{
			Text:     fmt.Sprintf("%s %d", names[r.IntN(len(names))], i),
			Style:    cityStyle,
			Priority: math.Round(r.Float64() * 100),
			Anchor:   anchor,
			Key:      fmt.Sprintf("places/%04d", i),
		}
		switch k := r.IntN(20); {
		case k < 15:
			c.Offset = 3
		case k < 18:
			c.Style = regionStyle
			c.Text = names[r.IntN(len(names))] + " Region"
		default:
			c.Style = riverStyle
			c.Text = names[r.IntN(len(names))] + " River"
			c.Offset = 1
			c.Line = meander(c.Anchor, 250+r.Float64()*400, r.Float64()*2*math.Pi)
		}
		cands[i] = c
	}
	return cands
}

// meander returns a gently winding line of the given length starting at
// from and heading in the given direction.
func meander(from orb.Point, length, heading float64) []orb.Point {
	line := []orb.Point{from}
	p := from
	for s := 8.0; s <= length; s += 8 {
		h := heading + 0.5*math.Sin(s/70)
		p = orb.Point{p[0] + 8*math.Cos(h), p[1] + 8*math.Sin(h)}
		line = append(line, p)
	}
	return line
}

// occupied returns every box of the placed labels with the index of the
// label it belongs to.
func occupied(placed []label.Placed) (boxes []image.Rectangle, owners []int) {
	for i, p := range placed {
		for _, b := range p.Boxes {
			boxes, owners = append(boxes, b), append(owners, i)
		}
		if !p.Symbol.Empty() {
			boxes, owners = append(boxes, p.Symbol), append(owners, i)
		}
	}
	return boxes, owners
}

func TestPlace_noOverlapsAndInsideBounds(t *testing.T) {
	cands := randomCandidates(1000, 12, rand.New(rand.NewPCG(1, 2)))
	reserved := []image.Rectangle{image.Rect(900, 500, 1000, 560)}
	placed := label.Place(cands, 1, frame, reserved)
	if len(placed) < 100 {
		t.Fatalf("only %d of 1000 candidates placed", len(placed))
	}
	positions := map[label.Position]int{}
	for _, p := range placed {
		positions[p.Position]++
		for _, b := range p.Boxes {
			if !b.In(frame) {
				t.Errorf("label %d box %v leaves the frame", p.Index, b)
			}
			if b.Overlaps(reserved[0]) {
				t.Errorf("label %d box %v covers the reserved box", p.Index, b)
			}
		}
	}
	boxes, owners := occupied(placed)
	for i := range boxes {
		for j := i + 1; j < len(boxes); j++ {
			if owners[i] != owners[j] && boxes[i].Inset(-label.Padding).Overlaps(boxes[j]) {
				t.Fatalf("labels %d and %d overlap (or are closer than the padding): %v and %v",
					placed[owners[i]].Index, placed[owners[j]].Index, boxes[i], boxes[j])
			}
		}
	}
	for _, pos := range []label.Position{label.Right, label.Left, label.Above, label.Below, label.Centre, label.AlongAbove, label.AlongBelow} {
		if positions[pos] == 0 {
			t.Errorf("no label placed at position %d (counts %v)", pos, positions)
		}
	}
}

func TestPlace_higherPriorityWins(t *testing.T) {
	// Three area labels on one spot, in every input order.
	cands := []label.Candidate{
		{Text: "Low", Style: cityStyle, Priority: 1, Anchor: orb.Point{100, 100}, Key: "a"},
		{Text: "High", Style: cityStyle, Priority: 3, Anchor: orb.Point{102, 101}, Key: "b"},
		{Text: "Middle", Style: cityStyle, Priority: 2, Anchor: orb.Point{98, 99}, Key: "c"},
	}
	for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}, {1, 0, 2}, {2, 0, 1}} {
		in := make([]label.Candidate, len(order))
		for i, j := range order {
			in[i] = cands[j]
		}
		placed := label.Place(in, 1, frame, nil)
		if len(placed) != 1 || in[placed[0].Index].Text != "High" {
			t.Errorf("order %v: placed %v, want only High", order, placed)
		}
	}
}

func TestPlace_tiesBrokenByKey(t *testing.T) {
	a := label.Candidate{Text: "Osh", Style: cityStyle, Priority: 5, Anchor: orb.Point{300, 300}, Key: "places/2"}
	b := label.Candidate{Text: "Naryn", Style: cityStyle, Priority: 5, Anchor: orb.Point{300, 300}, Key: "places/1"}
	for name, cands := range map[string][]label.Candidate{"a first": {a, b}, "b first": {b, a}} {
		t.Run(name, func(t *testing.T) {
			placed := label.Place(cands, 1, frame, nil)
			if len(placed) != 1 || cands[placed[0].Index].Key != "places/1" {
				t.Errorf("placed %v, want only the candidate with the smaller key", placed)
			}
		})
	}
}

func TestPlace_deterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	cands := randomCandidates(600, 0, r)
	want := placedByKey(cands, label.Place(cands, 1, frame, nil))
	if got := placedByKey(cands, label.Place(cands, 1, frame, nil)); !slices.Equal(got, want) {
		t.Fatal("placing the same candidates twice gave different results")
	}
	// The input order must not matter either: keys are unique.
	shuffled := slices.Clone(cands)
	r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	if got := placedByKey(shuffled, label.Place(shuffled, 1, frame, nil)); !slices.Equal(got, want) {
		t.Error("shuffling the candidates changed the placement")
	}
}

// placedByKey describes a placement independently of the input order.
func placedByKey(cands []label.Candidate, placed []label.Placed) []string {
	var out []string
	for _, p := range placed {
		out = append(out, fmt.Sprintf("%s %d %v", cands[p.Index].Key, p.Position, p.Boxes))
	}
	slices.Sort(out)
	return out
}

func TestPlace_pointPositions(t *testing.T) {
	anchor := orb.Point{500, 500}
	// Small obstacles, each in the way of one position only.
	right := image.Rect(530, 495, 600, 505)
	left := image.Rect(400, 495, 470, 505)
	above := image.Rect(490, 470, 510, 485)
	below := image.Rect(490, 515, 510, 530)
	tests := map[string]struct {
		reserved []image.Rectangle
		anchor   orb.Point
		want     label.Position
		dropped  bool
	}{
		"right by default":               {anchor: anchor, want: label.Right},
		"left when right is taken":       {anchor: anchor, reserved: []image.Rectangle{right}, want: label.Left},
		"above when sides are taken":     {anchor: anchor, reserved: []image.Rectangle{right, left}, want: label.Above},
		"below as last resort":           {anchor: anchor, reserved: []image.Rectangle{right, left, above}, want: label.Below},
		"left at the frame's right edge": {anchor: orb.Point{1915, 500}, want: label.Left},
		"below at the frame's top edge":  {anchor: orb.Point{500, 3}, want: label.Below},
		"dropped when boxed in": {
			anchor: anchor, reserved: []image.Rectangle{right, left, above, below},
			dropped: true,
		},
		"placed though another symbol lies under its own": {
			anchor: anchor, reserved: []image.Rectangle{image.Rect(498, 498, 502, 502)}, want: label.Right,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			c := label.Candidate{Text: "Taraz", Style: cityStyle, Anchor: tc.anchor, Offset: 3, Key: "taraz"}
			placed := label.Place([]label.Candidate{c}, 1, frame, tc.reserved)
			if tc.dropped {
				if len(placed) != 0 {
					t.Errorf("placed at %d %v, want dropped", placed[0].Position, placed[0].Boxes)
				}
				return
			}
			if len(placed) != 1 {
				t.Fatal("dropped")
			}
			p := placed[0]
			if p.Position != tc.want {
				t.Errorf("position %d, want %d (box %v)", p.Position, tc.want, p.Boxes[0])
			}
			if !p.Symbol.Overlaps(image.Rect(499, 499, 501, 501).Add(image.Pt(int(tc.anchor[0])-500, int(tc.anchor[1])-500))) {
				t.Errorf("symbol box %v is not at the anchor %v", p.Symbol, tc.anchor)
			}
			if p.Boxes[0].Overlaps(p.Symbol) {
				t.Errorf("label box %v covers its own symbol %v", p.Boxes[0], p.Symbol)
			}
		})
	}
}

func TestPlace_symbolsOfDroppedPointsAreReserved(t *testing.T) {
	// The town has the lower priority, so its label is placed after the
	// region's, or not at all; its symbol keeps the region's name off it
	// either way.
	cands := []label.Candidate{
		{Text: "Ili", Style: regionStyle, Priority: 10, Anchor: orb.Point{200, 200}, Key: "region"},
		{Text: "Taldykorgan", Style: cityStyle, Priority: 1, Anchor: orb.Point{200, 186}, Offset: 3, Key: "town"},
	}
	for _, p := range label.Place(cands, 1, image.Rect(0, 0, 230, 400), nil) {
		if p.Index == 0 && p.Boxes[0].Overlaps(image.Rect(197, 183, 203, 189)) {
			t.Errorf("the region label %v covers the town's symbol", p.Boxes[0])
		}
	}
}

func TestPlace_symbolsOfPlacedPointsAreReserved(t *testing.T) {
	cands := []label.Candidate{
		{Text: "Almaty", Style: cityStyle, Priority: 10, Anchor: orb.Point{200, 200}, Offset: 4, Key: "city"},
		{Text: "Ili", Style: cityStyle, Priority: 1, Anchor: orb.Point{195, 200}, Key: "region"},
	}
	placed := label.Place(cands, 1, frame, nil)
	if len(placed) != 1 || placed[0].Index != 0 {
		t.Errorf("placed %v, want only the city: the region label would cover its symbol", placed)
	}
}

func TestPlace_areaLabelCentred(t *testing.T) {
	c := label.Candidate{Text: "East Kazakhstan Region", Style: regionStyle, Anchor: orb.Point{700, 400}, Key: "r"}
	placed := label.Place([]label.Candidate{c}, 2, frame, nil)
	if len(placed) != 1 || placed[0].Position != label.Centre {
		t.Fatalf("placed %v, want one centred label", placed)
	}
	b := placed[0].Boxes[0]
	if cx, cy := (b.Min.X+b.Max.X)/2, (b.Min.Y+b.Max.Y)/2; math.Abs(float64(cx)-700) > 1 || math.Abs(float64(cy)-400) > 1 {
		t.Errorf("box %v is centred on (%d, %d), want (700, 400)", b, cx, cy)
	}
	if m := text.Measure(c.Text, c.Style, 2); m.Lines != 2 {
		t.Errorf("the region name wraps into %d lines, want 2", m.Lines)
	}
}

func TestPlace_lineLabels(t *testing.T) {
	river := make([]orb.Point, 0, 100)
	for x := 100.0; x <= 900; x += 8 {
		river = append(river, orb.Point{x, 500 + 30*math.Sin(x/90)})
	}
	middle := image.Rect(440, 400, 560, 600)
	tests := map[string]struct {
		line     []orb.Point
		offset   float64
		reserved []image.Rectangle
		want     label.Position
		dropped  bool
	}{
		"on a lake centre line":                   {line: river, want: label.Along},
		"beside a river":                          {line: river, offset: 1.5, want: label.AlongAbove},
		"away from a taken middle":                {line: river, reserved: []image.Rectangle{middle}, want: label.Along},
		"on the visible part of a long line":      {line: append([]orb.Point{{-3000, 500}}, river...), want: label.Along},
		"dropped on a line shorter than the text": {line: river[:3], dropped: true},
		"dropped on a line outside the frame": {
			line: []orb.Point{{-900, -50}, {-10, -50}}, dropped: true,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			c := label.Candidate{Text: "Syr Darya", Style: riverStyle, Line: tc.line, Offset: tc.offset, Key: "river"}
			placed := label.Place([]label.Candidate{c}, 1, frame, tc.reserved)
			if tc.dropped {
				if len(placed) != 0 {
					t.Errorf("placed at %v, want dropped", placed[0].Boxes)
				}
				return
			}
			if len(placed) != 1 {
				t.Fatal("dropped")
			}
			p := placed[0]
			if p.Position != tc.want || len(p.Boxes) != len("Syr Darya") {
				t.Errorf("position %d with %d boxes, want %d with one box per glyph", p.Position, len(p.Boxes), tc.want)
			}
			for _, b := range p.Boxes {
				for _, r := range tc.reserved {
					if b.Overlaps(r) {
						t.Errorf("glyph box %v covers the reserved box %v", b, r)
					}
				}
			}
		})
	}
}

func TestPlace_lineLabelStaysPutWhenPanning(t *testing.T) {
	// A river longer than the frame: panning changes which part is visible,
	// yet the label should keep its place on the river, not slide along it.
	var river []orb.Point
	for x := -800.0; x <= 2800; x += 8 {
		river = append(river, orb.Point{x, 500 + 40*math.Sin(x/150)})
	}
	// Count the moves along the river, against the position since the last
	// move, so that slow drift counts as well as jumps.
	jumps, held := 0, 0
	for pan := range 30 {
		moved := make([]orb.Point, len(river))
		for i, p := range river {
			moved[i] = orb.Point{p[0] + float64(pan), p[1]}
		}
		c := label.Candidate{Text: "Irtysh", Style: riverStyle, Line: moved, Offset: 1, Key: "irtysh"}
		placed := label.Place([]label.Candidate{c}, 1, frame, nil)
		if len(placed) != 1 {
			t.Fatalf("panned by %d px: dropped", pan)
		}
		onRiver := placed[0].Boxes[0].Min.X - pan // the label's x in map coordinates
		if pan == 0 {
			held = onRiver
		} else if onRiver-held > 1 || onRiver-held < -1 {
			jumps++
			held = onRiver
		}
	}
	if jumps > 1 {
		t.Errorf("the label moved along the river %d times while the map panned by 30 px, want at most once", jumps)
	}
}

func TestDraw(t *testing.T) {
	cands := randomCandidates(300, 0, rand.New(rand.NewPCG(5, 6)))
	placed := label.Place(cands, 1, frame, nil)
	dst := image.NewRGBA(frame)
	label.Draw(dst, placed)

	// Every label drew something, and nothing was drawn far from the
	// labels' boxes (glyph ink and halo may overhang the layout box by a
	// pixel or two).
	const overhang = 3
	covered := image.NewAlpha(frame)
	for _, p := range placed {
		drawn := false
		for _, b := range p.Boxes {
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					drawn = drawn || dst.RGBAAt(x, y).A > 0
				}
			}
			r := b.Inset(-overhang).Intersect(frame)
			for y := r.Min.Y; y < r.Max.Y; y++ {
				for x := r.Min.X; x < r.Max.X; x++ {
					covered.Pix[covered.PixOffset(x, y)] = 1
				}
			}
		}
		if !drawn {
			t.Errorf("label %q drew nothing inside its boxes", cands[p.Index].Text)
		}
	}
	for y := frame.Min.Y; y < frame.Max.Y; y++ {
		for x := frame.Min.X; x < frame.Max.X; x++ {
			if dst.RGBAAt(x, y).A > 0 && covered.Pix[covered.PixOffset(x, y)] == 0 {
				t.Fatalf("pixel (%d, %d) drawn outside every label box", x, y)
			}
		}
	}
}

// BenchmarkPlaceAndDraw places 1,000 candidates crowded around 6 towns of a
// 1920×1080 frame, of which about 150 fit, and draws them, with warm text
// caches: the per-frame cost of labelling.
func BenchmarkPlaceAndDraw(b *testing.B) {
	benchmarkPlaceAndDraw(b, 6)
}

// BenchmarkPlaceAndDraw_spread is the same with the candidates spread
// evenly over the frame, so that three times as many fit.
func BenchmarkPlaceAndDraw_spread(b *testing.B) {
	benchmarkPlaceAndDraw(b, 0)
}

func benchmarkPlaceAndDraw(b *testing.B, clusters int) {
	cands := randomCandidates(1000, clusters, rand.New(rand.NewPCG(1, 2)))
	dst := image.NewRGBA(frame)
	placed := label.Place(cands, 1, frame, nil)
	label.Draw(dst, placed) // warm the caches
	for b.Loop() {
		label.Draw(dst, label.Place(cands, 1, frame, nil))
	}
	b.ReportMetric(float64(len(placed)), "labels")
}

// BenchmarkPlace is the placement part of BenchmarkPlaceAndDraw.
func BenchmarkPlace(b *testing.B) {
	cands := randomCandidates(1000, 6, rand.New(rand.NewPCG(1, 2)))
	label.Draw(image.NewRGBA(frame), label.Place(cands, 1, frame, nil))
	for b.Loop() {
		label.Place(cands, 1, frame, nil)
	}
}

// BenchmarkDraw is the drawing part of BenchmarkPlaceAndDraw.
func BenchmarkDraw(b *testing.B) {
	cands := randomCandidates(1000, 6, rand.New(rand.NewPCG(1, 2)))
	dst := image.NewRGBA(frame)
	placed := label.Place(cands, 1, frame, nil)
	label.Draw(dst, placed)
	for b.Loop() {
		label.Draw(dst, placed)
	}
}
