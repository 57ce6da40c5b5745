package layer

import (
	"iter"
	"slices"
	"sync"

	"github.com/ecoatlas/ecoatlas/geo/index"
	"github.com/paulmach/orb"
)

// Vector is an immutable in-memory feature source with an R-tree over the
// features' lon/lat extents.
//
// The R-tree is built on the first search that needs it, not in
// NewVector: a one-off render of a whole file (the CLI's common case)
// touches every feature anyway and would only pay for an index it never
// uses, while the interactive app calls [Vector.BuildIndex] in the
// background right after loading.
type Vector struct {
	features []Feature
	bounds   []orb.Bound
	extent   orb.Bound
	kind     GeometryKind

	indexOnce sync.Once
	tree      *index.Tree
}

// NewVector returns a source over the features, which it takes ownership of.
func NewVector(features []Feature) *Vector {
	v := &Vector{features: features, bounds: make([]orb.Bound, len(features))}
	kinds := [4]int{}
	for i := range features {
		g := features[i].Geometry
		if g == nil {
			v.bounds[i] = orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{-1, -1}} // empty: intersects nothing
			continue
		}
		b := g.Bound()
		v.bounds[i] = b
		if i == 0 || v.extent.IsZero() {
			v.extent = b
		} else {
			v.extent = v.extent.Union(b)
		}
		kinds[KindOf(g)]++
	}
	for k := KindPoint; k <= KindPolygon; k++ {
		if kinds[k] > kinds[v.kind] {
			v.kind = k
		}
	}
	return v
}

// Len returns the number of features.
func (v *Vector) Len() int { return len(v.features) }

// Extent returns the lon/lat bound of all features.
func (v *Vector) Extent() orb.Bound { return v.extent }

// Kind returns the most common geometry kind among the features.
func (v *Vector) Kind() GeometryKind { return v.kind }

// Feature returns the i-th feature, in the order the source was built.
func (v *Vector) Feature(i int) *Feature { return &v.features[i] }

// All yields every feature in source order.
func (v *Vector) All() iter.Seq[*Feature] {
	return func(yield func(*Feature) bool) {
		for i := range v.features {
			if !yield(&v.features[i]) {
				return
			}
		}
	}
}

// BuildIndex builds the R-tree now if it has not been built yet.
func (v *Vector) BuildIndex() {
	v.indexOnce.Do(func() { v.tree = index.Build(v.bounds) })
}

// Search yields, in source order (the order a layer draws in), every
// feature whose extent intersects b. A query that covers the whole layer
// scans without touching the index.
func (v *Vector) Search(b orb.Bound) iter.Seq[*Feature] {
	return func(yield func(*Feature) bool) {
		if len(v.features) == 0 || !b.Intersects(v.extent) {
			return
		}
		if b.Contains(v.extent.Min) && b.Contains(v.extent.Max) {
			for i := range v.features {
				if !yield(&v.features[i]) {
					return
				}
			}
			return
		}
		v.BuildIndex()
		var hits []int32
		v.tree.Search(b, func(id int32) bool { hits = append(hits, id); return true })
		slices.Sort(hits)
		for _, id := range hits {
			if !yield(&v.features[id]) {
				return
			}
		}
	}
}
