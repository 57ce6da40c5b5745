package layer

import (
	"context"
	"iter"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ecoatlas/ecoatlas/geo/index"
	"github.com/paulmach/orb"
)

// Vector is an immutable in-memory feature source with an R-tree over the
// features' lon/lat extents.
//
// Building an R-tree costs about a microsecond per feature, more than a
// hundred linear bound checks, so a big layer is not indexed in NewVector:
// a one-off render of a whole file (the CLI's common case) would pay for an
// index it barely uses. Until [Vector.BuildIndex] has run (the app calls it
// in the background right after loading), a search scans the features'
// precomputed bounds. Layers of up to smallLayer features are indexed on
// their first search.
type Vector struct {
	features []Feature
	bounds   []orb.Bound
	extent   orb.Bound
	kind     GeometryKind

	indexOnce sync.Once
	tree      atomic.Pointer[index.Tree]

	// byID maps the IDs the data gave to feature positions; nil when no
	// feature had one, every ID then being "#N".
	byID map[string]int32

	schemaOnce sync.Once
	schema     []Field
}

// NewVector returns a source over the features, which it takes ownership
// of. Features without an ID, or whose ID an earlier feature already has,
// get "#N" (their position, from 1), so that IDs are unique.
func NewVector(features []Feature) *Vector {
	v := &Vector{features: features, bounds: make([]orb.Bound, len(features))}
	v.assignIDs()
	// The bounds of a big layer are computed on every core: this is a
	// pass over every vertex, as long as decoding the file was.
	const chunk = 16384
	parts := (len(features) + chunk - 1) / chunk
	type summary struct {
		extent orb.Bound
		kinds  [4]int
	}
	sums := make([]summary, parts)
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for p := range parts {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			s := &sums[p]
			s.extent = emptyBound
			for i := p * chunk; i < min((p+1)*chunk, len(features)); i++ {
				g := features[i].Geometry
				b := boundOf(g)
				v.bounds[i] = b
				if b.Min[0] <= b.Max[0] {
					extend(&s.extent, []orb.Point{b.Min, b.Max})
				}
				s.kinds[KindOf(g)]++
			}
		}()
	}
	wg.Wait()
	extent, kinds := emptyBound, [4]int{}
	for _, s := range sums {
		if s.extent.Min[0] <= s.extent.Max[0] {
			extend(&extent, []orb.Point{s.extent.Min, s.extent.Max})
		}
		for k, n := range s.kinds {
			kinds[k] += n
		}
	}
	if extent.Min[0] <= extent.Max[0] {
		v.extent = extent
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

// assignIDs makes the features' IDs unique, numbering those without one.
// The numbered IDs of a big layer share one allocation.
func (v *Vector) assignIDs() {
	for i := range v.features {
		if v.features[i].ID != "" {
			v.byID = make(map[string]int32, len(v.features))
			break
		}
	}
	var buf []byte
	for i := range v.features {
		f := &v.features[i]
		if v.byID != nil && f.ID != "" {
			if _, dup := v.byID[f.ID]; !dup {
				v.byID[f.ID] = int32(i)
				continue
			}
		}
		if cap(buf)-len(buf) < 21 { // '#' and the longest int64
			buf = make([]byte, 0, 4096)
		}
		start := len(buf)
		buf = append(buf, '#')
		buf = strconv.AppendInt(buf, int64(i)+1, 10)
		f.ID = string(buf[start:len(buf):len(buf)])
	}
}

// Lookup returns the feature with an ID.
func (v *Vector) Lookup(id string) (*Feature, bool) {
	if i, ok := v.byID[id]; ok {
		return &v.features[i], true
	}
	num, numbered := strings.CutPrefix(id, "#")
	n, err := strconv.Atoi(num)
	if !numbered || err != nil || n < 1 || n > len(v.features) || v.features[n-1].ID != id {
		return nil, false
	}
	return &v.features[n-1], true
}

// Schema returns the attributes of the features, in the order they first
// occur, each with the kind of its non-null values. It is worked out on
// the first call, by reading every feature's properties.
func (v *Vector) Schema() []Field {
	v.schemaOnce.Do(func() {
		at := map[string]int{}
		for i := range v.features {
			v.features[i].Properties.each(func(key string, t FieldType) {
				j, seen := at[key]
				if !seen {
					at[key] = len(v.schema)
					v.schema = append(v.schema, Field{Name: key, Type: t})
					return
				}
				switch f := &v.schema[j]; {
				case t == FieldNull || f.Type == t:
				case f.Type == FieldNull:
					f.Type = t
				default:
					f.Type = FieldMixed
				}
			})
		}
	})
	return v.schema
}

// BuildIndex builds the R-tree now if it has not been built yet.
func (v *Vector) BuildIndex() {
	v.indexOnce.Do(func() { v.tree.Store(index.Build(v.bounds)) })
}

// builtTree returns the index if it has been built, without building it.
func (v *Vector) builtTree() *index.Tree { return v.tree.Load() }

// cancelCheck is how many features a search yields between two checks of
// its context.
const cancelCheck = 4096

// smallLayer is the size up to which a layer builds its index on first use.
const smallLayer = 4096

// Search yields, in source order (the order a layer draws in), every
// feature whose extent intersects b. It checks ctx every few thousand
// features and stops, yielding its error, once it is done.
func (v *Vector) Search(ctx context.Context, b orb.Bound) iter.Seq2[*Feature, error] {
	return func(yield func(*Feature, error) bool) {
		n := 0
		emit := func(f *Feature) bool {
			if n++; n%cancelCheck == 0 {
				if err := ctx.Err(); err != nil {
					yield(nil, err)
					return false
				}
			}
			return yield(f, nil)
		}
		if len(v.features) == 0 || !b.Intersects(v.extent) {
			return
		}
		covers := b.Contains(v.extent.Min) && b.Contains(v.extent.Max)
		if !covers && len(v.features) <= smallLayer {
			v.BuildIndex()
		}
		tree := v.builtTree()
		if covers || tree == nil {
			for i := range v.features {
				if (covers || v.bounds[i].Intersects(b)) && !emit(&v.features[i]) {
					return
				}
			}
			return
		}
		var hits []int32
		tree.Search(b, func(id int32) bool { hits = append(hits, id); return true })
		slices.Sort(hits)
		for _, id := range hits {
			if !emit(&v.features[id]) {
				return
			}
		}
	}
}
