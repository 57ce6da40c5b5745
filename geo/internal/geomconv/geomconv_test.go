package geomconv_test

import (
	"errors"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/internal/geomconv"
	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom"
)

func TestRoundTrip(t *testing.T) {
	for name, g := range map[string]orb.Geometry{
		"point":           orb.Point{1, 2},
		"multipoint":      orb.MultiPoint{{1, 2}, {3, 4}},
		"linestring":      orb.LineString{{1, 2}, {3, 4}},
		"multilinestring": orb.MultiLineString{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}, {9, 9}}},
		"polygon":         orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {0, 0}}, {{1, 1}, {2, 1}, {2, 2}, {1, 1}}},
		"multipolygon":    orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}, {{{5, 5}, {6, 5}, {6, 6}, {5, 5}}}},
		"collection":      orb.Collection{orb.Point{1, 2}, orb.LineString{{1, 2}, {3, 4}}},
	} {
		t.Run(name, func(t *testing.T) {
			gg, err := geomconv.ToGeom(g)
			if err != nil {
				t.Fatal(err)
			}
			back, err := geomconv.FromGeom(gg)
			if err != nil {
				t.Fatal(err)
			}
			if !orb.Equal(back, g) {
				t.Errorf("round trip gave %v, want %v", back, g)
			}
		})
	}
}

func TestFromGeom_dropsZAndM(t *testing.T) {
	ls := geom.NewLineStringFlat(geom.XYZM, []float64{1, 2, 3, 4, 5, 6, 7, 8})
	g, err := geomconv.FromGeom(ls)
	if err != nil || !orb.Equal(g, orb.LineString{{1, 2}, {5, 6}}) {
		t.Errorf("got %v, %v", g, err)
	}
	if g, err := geomconv.FromGeom(geom.NewPointEmpty(geom.XY)); g != nil || err != nil {
		t.Errorf("empty point: %v, %v", g, err)
	}
}

func TestToGeom_unsupported(t *testing.T) {
	if _, err := geomconv.ToGeom(nil); !errors.Is(err, geomconv.ErrUnsupported) {
		t.Errorf("nil: %v", err)
	}
}
