package layer

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestBoundOf_matchesOrb(t *testing.T) {
	for name, g := range map[string]orb.Geometry{
		"point":        orb.Point{60, 40},
		"multipoint":   orb.MultiPoint{{60, 40}, {58, 45}, {61, 39}},
		"line":         orb.LineString{{60, 40}, {62, 38}, {59, 41}},
		"multiline":    orb.MultiLineString{{{60, 40}, {62, 38}}, {{50, 45}, {51, 46}}},
		"polygon":      orb.Polygon{{{60, 40}, {63, 40}, {63, 44}, {60, 40}}, {{61, 41}, {62, 41}, {62, 42}, {61, 41}}},
		"multipolygon": orb.MultiPolygon{{{{60, 40}, {63, 40}, {63, 44}, {60, 40}}}, {{{40, 30}, {41, 30}, {41, 31}, {40, 30}}}},
		"collection":   orb.Collection{orb.Point{10, 10}, orb.LineString{{20, 5}, {21, 6}}},
	} {
		if got, want := boundOf(g), g.Bound(); got != want {
			t.Errorf("%s: boundOf = %v, orb says %v", name, got, want)
		}
	}
	if b := boundOf(orb.LineString{}); b.Min[0] <= b.Max[0] {
		t.Errorf("an empty line has bound %v, want the empty bound", b)
	}
}
