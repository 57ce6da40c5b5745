package layerpanel

import (
	"context"
	"image/color"
	"slices"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

var loadAtlas = sync.OnceValues(func() (*atlas.Atlas, error) {
	return atlas.LoadDefault(context.Background())
})

// newPanel returns a panel over the default style in a test window,
// recording the styles it reports.
func newPanel(t *testing.T) (*Panel, *[]*style.Style) {
	t.Helper()
	test.NewTempApp(t)
	at, err := loadAtlas()
	if err != nil {
		t.Fatal(err)
	}
	p := New(at, at.Style.Clone())
	var reported []*style.Style
	p.OnChanged = func(st *style.Style) { reported = append(reported, st) }
	w := test.NewTempWindow(t, p)
	w.Resize(fyne.NewSize(340, 900))
	return p, &reported
}

func layerOf(t *testing.T, st *style.Style, id string) *style.Layer {
	t.Helper()
	l, ok := st.Layer(id)
	if !ok {
		t.Fatalf("style has no layer %q", id)
	}
	return l
}

func TestPanel_listsEveryLayerOnce(t *testing.T) {
	p, _ := newPanel(t)
	var shown int
	for _, o := range p.list.Objects {
		for _, r := range p.rows {
			if o == r.box {
				shown++
			}
		}
	}
	standalone := 0
	for _, l := range p.style.Layers {
		if l.PartOf == "" {
			standalone++
		}
	}
	if shown != standalone || shown == len(p.style.Layers) {
		t.Errorf("%d layer rows shown, want %d: one per layer that is not part of another", shown, standalone)
	}
}

func TestPanel_partsFollowTheirLayer(t *testing.T) {
	p, reported := newPanel(t)
	if _, own := p.rows["protected_areas_outlines"]; own {
		t.Fatal("the park outlines have a row of their own; they are part of the protected areas")
	}
	test.Tap(p.rows["protected_areas"].check)
	p.rows["protected_areas"].opacity.OnChangeEnded(0.4)

	st := (*reported)[len(*reported)-1]
	for _, id := range []string{"protected_areas", "protected_areas_outlines"} {
		if l := layerOf(t, st, id); !l.Hidden || l.Opacity != 0.4 {
			t.Errorf("%s: hidden %v, opacity %v; want hidden at 0.4 with the protected areas", id, l.Hidden, l.Opacity)
		}
	}
}

func TestPanel_checkHidesTheLayer(t *testing.T) {
	p, reported := newPanel(t)
	at, _ := loadAtlas()
	view := mapview.New(at, p.Style(), mapview.WithImmediateRendering())
	t.Cleanup(view.Close)
	mapWindow := test.NewTempWindow(t, view)
	mapWindow.SetPadded(false)
	mapWindow.Resize(fyne.NewSize(320, 200))
	view.SetViewport(viewport.New(orb.Point{77.3, 42.4}, 8, 0, 0, 1)) // Issyk-Kul
	p.OnChanged = func(st *style.Style) {
		*reported = append(*reported, st)
		view.SetStyle(st)
	}
	// The lake's fill, give or take the basin outline's light tint over it, in
	// its western part, clear of the names and symbols in the middle.
	lake := layerOf(t, p.Style(), "lakes").Rules[0].Fill.NRGBA()
	isLake := func(c color.Color) bool {
		n := color.NRGBAModel.Convert(c).(color.NRGBA)
		return near(n.R, lake.R) && near(n.G, lake.G) && near(n.B, lake.B)
	}
	if px := mapWindow.Canvas().Capture().At(60, 75); !isLake(px) {
		t.Fatalf("the middle of Issyk-Kul is %v, want the lake colour %v", px, lake)
	}

	test.Tap(p.rows["lakes"].check)

	if len(*reported) != 1 || !layerOf(t, (*reported)[0], "lakes").Hidden {
		t.Fatalf("reported styles %v, want one with the lakes hidden", *reported)
	}
	if layerOf(t, p.Style(), "lakes").Hidden != true {
		t.Error("the panel's style still shows the lakes")
	}
	if px := mapWindow.Canvas().Capture().At(60, 75); isLake(px) {
		t.Errorf("the middle of Issyk-Kul is still lake-blue %v with the lakes off", px)
	}
}

func TestPanel_moveSwapsWithinTheGroup(t *testing.T) {
	for name, tt := range map[string]struct {
		id       string
		up       bool
		wantSwap string // the layer it trades places with
	}{
		"tailings up":        {id: "pollution", up: true, wantSwap: "tailings"},
		"tailings down":      {id: "tailings", up: false, wantSwap: "pollution"},
		"skips other groups": {id: "lakes", up: true, wantSwap: "boundaries"},
	} {
		t.Run(name, func(t *testing.T) {
			p, reported := newPanel(t)
			before := p.Style()
			i, j := p.index(tt.id), p.index(tt.wantSwap)
			button := p.rows[tt.id].down
			if tt.up {
				button = p.rows[tt.id].up
			}

			test.Tap(button)

			if len(*reported) != 1 {
				t.Fatalf("%d styles reported, want 1", len(*reported))
			}
			after := (*reported)[0]
			if after.Layers[j].ID != tt.id || after.Layers[i].ID != tt.wantSwap {
				t.Errorf("layers %d and %d are %q and %q, want %q and %q",
					i, j, after.Layers[i].ID, after.Layers[j].ID, tt.wantSwap, tt.id)
			}
			if before.Layers[i].ID != tt.id {
				t.Error("the move changed the style it was given")
			}
		})
	}
}

func TestPanel_moveButtonsAtTheEndsAreDisabled(t *testing.T) {
	p, _ := newPanel(t)
	top, bottom := -1, -1
	for i, l := range p.style.Layers {
		if l.Group == GroupDeclaration && l.PartOf == "" {
			if bottom < 0 {
				bottom = i
			}
			top = i
		}
	}
	for name, b := range map[string]*widget.Button{
		"up of the top layer":      p.rows[p.style.Layers[top].ID].up,
		"down of the bottom layer": p.rows[p.style.Layers[bottom].ID].down,
	} {
		if !b.Disabled() {
			t.Errorf("%s is enabled", name)
		}
	}
}

func TestPanel_opacity(t *testing.T) {
	p, reported := newPanel(t)
	r := p.rows["basins"]
	if !r.expanded {
		t.Fatal("the basins' details are collapsed, want a Declaration layer open")
	}
	slider := r.opacity
	test.TapAt(slider, fyne.NewPos(slider.Size().Width/2, slider.Size().Height/2))

	if len(*reported) != 1 {
		t.Fatalf("%d styles reported, want 1", len(*reported))
	}
	got := layerOf(t, (*reported)[0], "basins").Opacity
	if got < 0.4 || got > 0.6 {
		t.Errorf("opacity %v after a tap in the slider's middle, want about 0.5", got)
	}
	if r.percent.Text != percent(got) {
		t.Errorf("opacity reads %q, want %q", r.percent.Text, percent(got))
	}
}

func TestPanel_expandTogglesTheLegend(t *testing.T) {
	p, _ := newPanel(t)
	r := p.rows["lakes"]
	if r.details.Visible() {
		t.Fatal("a basemap layer starts with its legend open")
	}
	test.Tap(r.expand)
	if !r.details.Visible() {
		t.Error("the legend did not open")
	}
	test.Tap(r.expand)
	if r.details.Visible() {
		t.Error("the legend did not close")
	}
}

func TestPanel_legendHasARowPerLegendRule(t *testing.T) {
	p, _ := newPanel(t)
	for _, l := range p.style.Layers {
		if l.PartOf != "" {
			continue
		}
		want := 1 // the opacity line
		for _, part := range append([]*style.Layer{&l}, p.style.Parts(l.ID)...) {
			for _, rule := range part.Rules {
				if rule.Legend != "" {
					want++
				}
			}
			if part.Cluster != nil && part.Cluster.Legend != "" {
				want++
			}
		}
		if l.Note != "" {
			want++
		}
		if got := len(p.rows[l.ID].details.Objects); got != want {
			t.Errorf("layer %q has %d detail lines, want %d", l.ID, got, want)
		}
	}
}

// near reports whether two colour components differ by at most 8.
func near(a, b uint8) bool { return max(a, b)-min(a, b) <= 8 }

// countTexts returns the counts a layer's row shows, line by line.
func countTexts(p *Panel, id string) []string {
	var texts []string
	for _, c := range p.rows[id].counts {
		texts = append(texts, c.label.Text)
	}
	return texts
}

func TestPanel_countsBesideTheLegendLines(t *testing.T) {
	p, _ := newPanel(t)
	// The tailings' rules: ring (uranium), uranium, ring (other, no
	// line of its own), other; then the cluster line.
	p.SetCounts(map[string]Counts{"tailings": {Rules: []int{2, 5, 3, 7}, Clusters: 4}})
	if got, want := countTexts(p, "tailings"), []string{"2", "5", "10", "4"}; !slices.Equal(got, want) {
		t.Errorf("the tailings' lines show %q, want %q: the ring variant counted on the line after it", got, want)
	}
	if got := countTexts(p, "pollution"); !slices.Equal(got, []string{"", "", "", ""}) {
		t.Errorf("a layer without counts shows %q, want nothing", got)
	}
	// Counts stay on the lines when the rows are made again.
	st := p.Style().Clone()
	layerOf(t, st, "lakes").Hidden = true
	p.SetStyle(st)
	if got := countTexts(p, "tailings"); !slices.Equal(got, []string{"2", "5", "10", "4"}) {
		t.Errorf("after a style change the tailings' lines show %q", got)
	}
	p.SetCounts(nil)
	if got := countTexts(p, "tailings"); !slices.Equal(got, []string{"", "", "", ""}) {
		t.Errorf("after the counts were cleared the lines show %q", got)
	}
}

func TestLegendRules_linelessRulesCountOnTheNextLine(t *testing.T) {
	l := &style.Layer{Rules: []style.Rule{{Legend: "a"}, {}, {Legend: "b"}, {}, {}}}
	got := legendRules(l)
	want := [][]int{{0}, nil, {1, 2, 3, 4}, nil, nil}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("rule %d counts %v, want %v", i, got[i], want[i])
		}
	}
}
