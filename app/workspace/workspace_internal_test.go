package workspace

import (
	"slices"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/style"
)

func TestArranged_newLayersKeepTheirPlaceAndLostOnesAreSkipped(t *testing.T) {
	st := &style.Style{Layers: []style.Layer{{ID: "a"}, {ID: "b"}, {ID: "new"}, {ID: "c", Opacity: 1}}}
	saved := []Layer{{ID: "c", Opacity: 0.5}, {ID: "gone"}, {ID: "a", Hidden: true, Opacity: 2}, {ID: "b", Opacity: 1}}
	got := arranged(st, saved)
	var ids []string
	for _, l := range got.Layers {
		ids = append(ids, l.ID)
	}
	if want := []string{"c", "a", "b", "new"}; !slices.Equal(ids, want) {
		t.Errorf("arranged order %v, want %v", ids, want)
	}
	if c := got.Layers[0]; c.Opacity != 0.5 {
		t.Errorf("c's opacity %v, want 0.5", c.Opacity)
	}
	if a := got.Layers[1]; !a.Hidden || a.Opacity != 1 {
		t.Errorf("a is %+v, want hidden with its opacity kept within 1", a)
	}
	if st.Layers[0].ID != "a" {
		t.Error("arranged changed the style it was given")
	}
}
