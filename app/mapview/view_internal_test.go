package mapview

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/ecoatlas/ecoatlas/geo/atlas"
)

func TestView_keepsTheScenesOfTheLastStylesOnly(t *testing.T) {
	test.NewTempApp(t)
	at, err := atlas.LoadDefault(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	v := New(at, at.Style.Clone(), WithImmediateRendering())
	t.Cleanup(v.Close)
	first := v.content.Load().gen
	for i := range 30 {
		st := v.Style().Clone()
		st.Layers[0].Opacity = float64(i) / 30
		v.SetStyle(st)
	}
	c := v.content.Load()
	if len(c.scenes) > keptStyles || len(v.gens) > keptStyles {
		t.Errorf("%d scenes and %d generations kept after 30 styles, want at most %d", len(c.scenes), len(v.gens), keptStyles)
	}
	if _, ok := c.scenes[first]; ok {
		t.Error("the first style's scene is still kept")
	}
	if c.scene() == nil {
		t.Error("the current style has no scene")
	}
}
