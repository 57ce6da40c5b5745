// Package index is the spatial index of feature extents: an R-tree
// (tidwall/rtree) keyed by a feature's position in its layer.
//
// Unlike orb's quadtree, which holds points only, it indexes bounds, so a
// query returns every line or polygon whose extent meets the query box.
package index

import (
	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// Tree is an R-tree of bounds with int32 identifiers. The zero value is an
// empty tree ready to use. A Tree is safe for concurrent searches, but not
// for a search concurrent with an insert.
type Tree struct {
	rt rtree.RTreeG[int32]
}

// Build returns a tree holding bounds[i] under identifier i.
func Build(bounds []orb.Bound) *Tree {
	t := &Tree{}
	for i, b := range bounds {
		t.Insert(b, int32(i))
	}
	return t
}

// Insert adds a bound under an identifier.
func (t *Tree) Insert(b orb.Bound, id int32) {
	t.rt.Insert([2]float64(b.Min), [2]float64(b.Max), id)
}

// Delete removes the entry with exactly this bound and identifier and
// reports whether it was there.
func (t *Tree) Delete(b orb.Bound, id int32) bool {
	before := t.rt.Len()
	t.rt.Delete([2]float64(b.Min), [2]float64(b.Max), id)
	return t.rt.Len() < before
}

// Search calls fn for every identifier whose bound intersects b, in no
// particular order, until fn returns false.
func (t *Tree) Search(b orb.Bound, fn func(id int32) bool) {
	t.rt.Search([2]float64(b.Min), [2]float64(b.Max), func(_, _ [2]float64, id int32) bool {
		return fn(id)
	})
}

// Len returns the number of entries.
func (t *Tree) Len() int { return t.rt.Len() }
