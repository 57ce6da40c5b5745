package style_test

import (
	"math"
	"testing"

	"github.com/ecoatlas/ecoatlas/assets"
	"github.com/ecoatlas/ecoatlas/geo/style"
)

func TestMagnified_growsLabelsSymbolsAndLinesOnly(t *testing.T) {
	st, err := style.Parse(assets.DefaultStyle)
	if err != nil {
		t.Fatal(err)
	}
	before, err := style.Parse(assets.DefaultStyle)
	if err != nil {
		t.Fatal(err)
	}
	big := st.Magnified(1.5)
	places, _ := st.Layer("places")
	bigPlaces, _ := big.Layer("places")
	for i, r := range places.Rules {
		b := bigPlaces.Rules[i]
		if r.Label != nil {
			for _, zoom := range []float64{4, 6, 9} {
				if got, want := b.Label.Size.Eval(zoom, nil), 1.5*r.Label.Size.Eval(zoom, nil); !near(got, want) {
					t.Errorf("places rule %d: label size at zoom %v is %v, want %v", i, zoom, got, want)
				}
			}
		}
		if r.Symbol != nil {
			if got, want := b.Symbol.Size.Eval(6, nil), 1.5*r.Symbol.Size.Eval(6, nil); !near(got, want) {
				t.Errorf("places rule %d: symbol size %v, want %v", i, got, want)
			}
		}
		if r.Filter != b.Filter {
			t.Errorf("places rule %d: the filter was copied, not shared", i)
		}
	}
	rivers, _ := st.Layer("rivers")
	bigRivers, _ := big.Layer("rivers")
	if got, want := bigRivers.Rules[0].Stroke.Width.Eval(6, nil), 1.25*rivers.Rules[0].Stroke.Width.Eval(6, nil); !near(got, want) {
		t.Errorf("a river is %v wide, want %v (lines grow by half as much)", got, want)
	}
	// The original is untouched.
	for i := range st.Layers {
		for j, r := range st.Layers[i].Rules {
			o := before.Layers[i].Rules[j]
			if r.Label != nil && r.Label.Size.Eval(6, nil) != o.Label.Size.Eval(6, nil) ||
				r.Symbol != nil && r.Symbol.Size.Eval(6, nil) != o.Symbol.Size.Eval(6, nil) ||
				r.Stroke != nil && r.Stroke.Width.Eval(6, nil) != o.Stroke.Width.Eval(6, nil) {
				t.Fatalf("Magnified changed layer %s rule %d of the style it was given", st.Layers[i].ID, j)
			}
		}
	}
}

// near reports whether two sizes agree to rounding.
func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
