package render

import (
	"context"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/paulmach/orb"
)

// Cluster is a group of a layer's points drawn as one symbol with their
// number on it (see [style.Cluster]).
type Cluster struct {
	// At is where the symbol is drawn: the members' mean position in Web
	// Mercator, as lon/lat.
	At orb.Point
	// Members are the points of the group, in source order.
	Members []*layer.Feature
}

// Drawn returns what a view of lon/lat bound b draws of a vector layer at
// a zoom, grouped the way the map groups it: the features drawn on their
// own (every feature of the layer whose extent meets b, whether or not a
// rule draws it) and the clusters, exactly as the tiles and labels of a
// frame see them. Hit-testing and legend counts call it so that they
// agree with the pixels.
func Drawn(ctx context.Context, l *Layer, b orb.Bound, zoom float64) ([]*layer.Feature, []Cluster, error) {
	features, groups, err := search(ctx, l, b, zoom)
	if err != nil {
		return nil, nil, err
	}
	clusters := make([]Cluster, len(groups))
	for i, g := range groups {
		clusters[i] = Cluster{At: g.at, Members: g.members}
	}
	return features, clusters, nil
}
