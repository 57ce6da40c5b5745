package render

import (
	"context"
	"math"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/mercator"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// cluster is a group of points of a layer drawn as one symbol.
type cluster struct {
	// at is the members' mean position in Web Mercator, as lon/lat.
	at      orb.Point
	members []*layer.Feature
}

// count is what a cluster's symbol reads its size from: the number of its
// members, as the style property style.ClusterCount.
type count float64

// Get returns the count for style.ClusterCount.
func (c count) Get(key string) (any, bool) {
	if key == style.ClusterCount {
		return float64(c), true
	}
	return nil, false
}

// cellSize returns the side of a cluster cell in Web Mercator units (the
// world being 1 across) at a zoom.
func cellSize(c *style.Cluster, zoom float64) float64 {
	return 2 * c.Radius.Eval(zoom, nil) / (viewport.TileSize * math.Exp2(zoom))
}

// search yields the features of a layer that a view of bound b draws at a
// zoom: for a layer that groups its points there, those drawn alone and
// the clusters, found among the points of every cell b touches, so that
// every tile and label pass of a frame agrees on them.
func search(ctx context.Context, l *Layer, b orb.Bound, zoom float64) ([]*layer.Feature, []cluster, error) {
	if l.Tiles != nil {
		features, err := searchTiles(ctx, l, b, zoom)
		return features, nil, err
	}
	clustered := l.Style.ClusteredAt(zoom)
	if clustered {
		size := cellSize(l.Style.Cluster, zoom)
		w := mercator.ProjectBound(b)
		w.Min = orb.Point{math.Floor(w.Min[0]/size) * size, math.Floor(w.Min[1]/size) * size}
		w.Max = orb.Point{(math.Floor(w.Max[0]/size) + 1) * size, (math.Floor(w.Max[1]/size) + 1) * size}
		b = mercator.UnprojectBound(w)
	}
	features := make([]*layer.Feature, 0, min(l.Features.Len(), checkEvery))
	for f, err := range l.Features.Search(ctx, b) {
		if err != nil {
			return nil, nil, err
		}
		features = append(features, f)
	}
	if !clustered {
		return features, nil, nil
	}
	singles, groups := clusterPoints(l.Style, features, zoom)
	return singles, groups, nil
}

// clusterPoints splits the features of a layer into those drawn alone and
// the clusters of two or more points sharing a cell, in source order (a
// cluster at its first member).
func clusterPoints(st *style.Layer, features []*layer.Feature, zoom float64) ([]*layer.Feature, []cluster) {
	size := cellSize(st.Cluster, zoom)
	type cell struct {
		members []*layer.Feature
		sum     orb.Point
		first   int
	}
	cells := map[[2]int64]*cell{}
	keys := make([][2]int64, len(features))
	grouped := make([]bool, len(features))
	for i, f := range features {
		p, ok := f.Geometry.(orb.Point)
		if r := st.RuleFor(zoom, &f.Properties); !ok || r == nil || r.Symbol == nil {
			continue
		}
		w := mercator.Project(p)
		k := [2]int64{int64(math.Floor(w[0] / size)), int64(math.Floor(w[1] / size))}
		c := cells[k]
		if c == nil {
			c = &cell{first: i}
			cells[k] = c
		}
		c.members = append(c.members, f)
		c.sum = orb.Point{c.sum[0] + w[0], c.sum[1] + w[1]}
		keys[i], grouped[i] = k, true
	}
	var (
		singles []*layer.Feature
		groups  []cluster
	)
	for i, f := range features {
		if !grouped[i] || len(cells[keys[i]].members) < 2 {
			singles = append(singles, f)
			continue
		}
		if c := cells[keys[i]]; c.first == i {
			n := float64(len(c.members))
			groups = append(groups, cluster{at: mercator.Unproject(orb.Point{c.sum[0] / n, c.sum[1] / n}), members: c.members})
		}
	}
	return singles, groups
}
