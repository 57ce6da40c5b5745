package raster_test

import (
	"math"
	"slices"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/render/raster"
)

func TestPath(t *testing.T) {
	type subpath struct {
		points []raster.Point
		closed bool
	}
	tests := map[string]struct {
		build      func(p *raster.Path)
		wantSub    []subpath
		wantBounds raster.Rect
	}{
		"empty": {
			build: func(*raster.Path) {},
		},
		"open and closed subpaths": {
			build: func(p *raster.Path) {
				p.MoveTo(1, 2)
				p.LineTo(3, -4)
				p.Close()
				p.LineTo(5, 6)
				p.LineTo(7, 8)
				p.MoveTo(-1, 0)
			},
			wantSub: []subpath{
				{[]raster.Point{{1, 2}, {3, -4}}, true},
				{[]raster.Point{{5, 6}, {7, 8}}, false},
				{[]raster.Point{{-1, 0}}, false},
			},
			wantBounds: raster.Rect{MinX: -1, MinY: -4, MaxX: 7, MaxY: 8},
		},
		"non-finite points are ignored": {
			build: func(p *raster.Path) {
				p.MoveTo(math.NaN(), 1)
				p.LineTo(2, 3)
				p.LineTo(math.Inf(1), 0)
				p.LineTo(4, 5)
			},
			wantSub:    []subpath{{[]raster.Point{{2, 3}, {4, 5}}, false}},
			wantBounds: raster.Rect{MinX: 2, MinY: 3, MaxX: 4, MaxY: 5},
		},
		"reset forgets everything": {
			build: func(p *raster.Path) {
				p.MoveTo(100, 100)
				p.LineTo(200, 200)
				p.Close()
				p.Reset()
				p.LineTo(1, 1)
			},
			wantSub:    []subpath{{[]raster.Point{{1, 1}}, false}},
			wantBounds: raster.Rect{MinX: 1, MinY: 1, MaxX: 1, MaxY: 1},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			var p raster.Path
			tt.build(&p)
			var got []subpath
			n := 0
			for pts, closed := range p.Subpaths() {
				got = append(got, subpath{append([]raster.Point(nil), pts...), closed})
				n += len(pts)
			}
			if len(got) != len(tt.wantSub) {
				t.Fatalf("got %d subpaths %v, want %d", len(got), got, len(tt.wantSub))
			}
			for i := range got {
				if got[i].closed != tt.wantSub[i].closed || !slices.Equal(got[i].points, tt.wantSub[i].points) {
					t.Errorf("subpath %d = %v, want %v", i, got[i], tt.wantSub[i])
				}
			}
			if p.Len() != n {
				t.Errorf("Len = %d, want %d", p.Len(), n)
			}
			if p.Bounds() != tt.wantBounds {
				t.Errorf("Bounds = %+v, want %+v", p.Bounds(), tt.wantBounds)
			}
		})
	}
}
