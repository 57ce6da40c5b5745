package identify

import (
	"context"

	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// tool is identify as the map's tool: a click identifies, the pointer's
// moves show the name under it; drags and double clicks are the map's.
type tool struct{ f *Feature }

// Declare conformity with the map's tool interface.
var _ mapview.Tool = (*tool)(nil)

func (t *tool) Tapped(vp viewport.Viewport, p orb.Point) {
	t.f.tip.hide()
	t.f.identifyAt(vp, p)
}

func (t *tool) DoubleTapped(viewport.Viewport, orb.Point) bool { return false }

func (t *tool) Dragged(viewport.Viewport, orb.Point, orb.Point) bool {
	t.f.hovers.Stop()
	t.f.tip.hide()
	return false
}

func (t *tool) DragEnd(viewport.Viewport, orb.Point) {}

func (t *tool) Hovered(vp viewport.Viewport, p orb.Point, inside bool) {
	if !inside {
		t.f.hovers.Stop()
		t.f.tip.hide()
		return
	}
	t.f.hoverAt(vp, p)
}

// Cancelled hides the tip; the selection stays until the user clears it
// or selects something else, also when another tool borrows the map.
func (t *tool) Cancelled() {
	t.f.hovers.Stop()
	t.f.tip.hide()
}

// hoverAt shows, beside the pointer at p of view vp, the name of what a
// click there selects (see preferred), in the map's label language, or
// hides the tip over empty ground.
func (f *Feature) hoverAt(vp viewport.Viewport, p orb.Point) {
	st, lang := f.shell.Style(), f.shell.LabelLanguage()
	f.hovers.Run(func(ctx context.Context) func() {
		hits, err := f.engine.Identify(ctx, st, vp, p, Tolerance)
		if err != nil {
			return nil
		}
		name := ""
		if i := preferred(hits); i >= 0 {
			name = f.engine.Title(hits[i], lang)
		}
		return func() {
			if name == "" {
				f.tip.hide()
				return
			}
			f.tip.show(name, p)
		}
	})
}
