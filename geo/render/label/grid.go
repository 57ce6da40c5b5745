package label

import (
	"image"
	"slices"
	"sync"
)

// cellSize is the side of a grid cell in device pixels: small enough that a
// cell of a crowded frame lists few boxes, large enough that a label box
// spans only a handful of cells.
const cellSize = 32

// grid is a collision index of boxes: a uniform grid over an area whose
// cells list the boxes that touch them. The lists are linked through one
// slice, so that filling the grid allocates little.
type grid struct {
	area       image.Rectangle
	cols, rows int
	boxes      []image.Rectangle
	// head[cell] is the first entry of the cell's list, -1 if empty.
	head    []int32
	entries []gridEntry
}

type gridEntry struct {
	box  int32 // index in boxes
	next int32 // next entry of the same cell, -1 at the end
}

// grids recycles grids between frames: a frame's index is rebuilt from
// scratch, but its memory need not be.
var grids = sync.Pool{New: func() any { return new(grid) }}

// newGrid returns an empty grid over area from the pool; release it after
// use.
func newGrid(area image.Rectangle) *grid {
	g := grids.Get().(*grid)
	g.area = area
	g.cols = max((area.Dx()+cellSize-1)/cellSize, 1)
	g.rows = max((area.Dy()+cellSize-1)/cellSize, 1)
	g.boxes, g.entries = g.boxes[:0], g.entries[:0]
	g.head = slices.Grow(g.head[:0], g.cols*g.rows)[:g.cols*g.rows]
	for i := range g.head {
		g.head[i] = -1
	}
	return g
}

// release returns the grid to the pool.
func (g *grid) release() {
	grids.Put(g)
}

// cellRange returns the first and last column and row of the cells r
// touches, and false if r misses the grid's area.
func (g *grid) cellRange(r image.Rectangle) (c0, r0, c1, r1 int, ok bool) {
	r = r.Intersect(g.area)
	if r.Empty() {
		return 0, 0, 0, 0, false
	}
	return (r.Min.X - g.area.Min.X) / cellSize, (r.Min.Y - g.area.Min.Y) / cellSize,
		(r.Max.X - 1 - g.area.Min.X) / cellSize, (r.Max.Y - 1 - g.area.Min.Y) / cellSize, true
}

// insert adds a box and returns its number; boxes outside the grid's area
// are ignored, since nothing inside can touch them, and numbered -1.
func (g *grid) insert(r image.Rectangle) int32 {
	c0, r0, c1, r1, ok := g.cellRange(r)
	if !ok {
		return -1
	}
	id := int32(len(g.boxes))
	g.boxes = append(g.boxes, r)
	for row := r0; row <= r1; row++ {
		for col := c0; col <= c1; col++ {
			cell := row*g.cols + col
			g.entries = append(g.entries, gridEntry{box: id, next: g.head[cell]})
			g.head[cell] = int32(len(g.entries) - 1)
		}
	}
	return id
}

// free reports whether r overlaps none of the boxes inserted.
func (g *grid) free(r image.Rectangle) bool { return g.freeBut(r, -1) }

// freeBut reports whether r overlaps none of the boxes inserted but the
// one numbered except.
func (g *grid) freeBut(r image.Rectangle, except int32) bool {
	c0, r0, c1, r1, ok := g.cellRange(r)
	if !ok {
		return true
	}
	for row := r0; row <= r1; row++ {
		for col := c0; col <= c1; col++ {
			for e := g.head[row*g.cols+col]; e >= 0; e = g.entries[e].next {
				if id := g.entries[e].box; id != except && g.boxes[id].Overlaps(r) {
					return false
				}
			}
		}
	}
	return true
}
