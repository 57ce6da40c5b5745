package atlas

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/ecoatlas/ecoatlas/assets"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/tilepack"
)

// loadTiles opens a tile package source. Its tiles are read as they are
// drawn, so loading reads only the package's metadata.
func loadTiles(fsys fs.FS, id string, def style.Source) (*Source, error) {
	a, err := tilepack.OpenFS(fsys, def.Path)
	if err != nil {
		return nil, fmt.Errorf("source %q: %w", id, err)
	}
	return &Source{ID: id, Path: def.Path, Tiles: tilepack.NewTiles(a, 0)}, nil
}

// bindTiles checks the layers of a style that draw tile packages (a layer
// on a vector package names one of its layers, when the package lists
// them, and a layer on a raster package names none), and credits each
// package the style gives no attribution with the package's own.
func (a *Atlas) bindTiles(st *style.Style) error {
	for id, def := range st.Sources {
		if src := a.Sources[id]; src != nil && src.Tiles != nil && def.Attribution == "" {
			def.Attribution = src.Tiles.Metadata().Attribution
			st.Sources[id] = def
		}
	}
	for _, l := range st.Layers {
		src := a.Sources[l.Source]
		if src == nil || src.Tiles == nil {
			continue
		}
		md := src.Tiles.Metadata()
		switch {
		case !md.Format.IsVector() && l.SourceLayer != "":
			return fmt.Errorf("layer %q: %s holds raster tiles, which have no source_layer %q", l.ID, src.Path, l.SourceLayer)
		case md.Format.IsVector() && l.SourceLayer == "":
			return fmt.Errorf("layer %q: %s holds vector tiles: say which of its layers to draw with source_layer (%s)", l.ID, src.Path, strings.Join(md.VectorLayers, ", "))
		case md.Format.IsVector() && len(md.VectorLayers) > 0 && !slices.Contains(md.VectorLayers, l.SourceLayer):
			return fmt.Errorf("layer %q: %s has no layer %q; its layers are %s", l.ID, src.Path, l.SourceLayer, strings.Join(md.VectorLayers, ", "))
		}
	}
	return nil
}

// Close closes the tile packages of the atlas.
func (a *Atlas) Close() error {
	var errs []error
	for _, s := range a.Sources {
		if s.Tiles != nil {
			errs = append(errs, s.Tiles.Close())
		}
	}
	return errors.Join(errs...)
}

// TileSchema is the layer schema of a vector tile package, which picks
// the style it is drawn with by default.
type TileSchema string

// Tile schemas with a default style.
const (
	SchemaOpenMapTiles TileSchema = "openmaptiles"
	SchemaProtomaps    TileSchema = "protomaps"
	// SchemaOther is any other schema, drawn in a plain style.
	SchemaOther TileSchema = "other"
)

// schemaMarkers are layers only packages of a schema have.
var schemaMarkers = map[TileSchema][]string{
	SchemaOpenMapTiles: {"transportation", "water_name", "transportation_name", "mountain_peak", "place"},
	SchemaProtomaps:    {"earth", "roads", "places", "boundaries"},
}

// Schema returns the schema of a vector package's layers.
func Schema(layers []string) TileSchema {
	for _, s := range []TileSchema{SchemaOpenMapTiles, SchemaProtomaps} {
		for _, m := range schemaMarkers[s] {
			if slices.Contains(layers, m) {
				return s
			}
		}
	}
	return SchemaOther
}

// TileOptions say how [Atlas.AddTiles] adds a package.
type TileOptions struct {
	// Opacity of the package's layers, 1 when 0.
	Opacity float64
	// Below is the id of the layer the package goes under; empty puts it
	// on top of the map.
	Below string
}

// AddTiles adds an open tile package as a source, with layers drawing
// it: one layer for a raster package, and for a vector package the
// layers of the default style of its schema (see [Schema] and
// assets.OpenMapTilesStyle), or a plain layer per package layer. The
// package's attribution goes into the credits. name, made unique, is the
// source's id and prefixes the layers' ids; AddTiles returns the ids of
// the layers added, bottom first. The atlas closes the package in Close;
// if AddTiles fails, the package stays the caller's to close.
func (a *Atlas) AddTiles(ctx context.Context, name string, tiles *tilepack.Tiles, opt TileOptions) ([]string, error) {
	id := name
	for n := 2; a.Sources[id] != nil; n++ {
		id = fmt.Sprintf("%s_%d", name, n)
	}
	md := tiles.Metadata()
	path := tiles.Archive().Path()
	kind := style.SourceMBTiles
	if _, ok := tiles.Archive().(*tilepack.PMTiles); ok {
		kind = style.SourcePMTiles
	}
	title := md.Name
	if title == "" {
		title = name
	}
	var layers []style.Layer
	if md.Format.IsVector() {
		names := md.VectorLayers
		if len(names) == 0 {
			var err error
			if names, err = sampleLayers(ctx, tiles); err != nil {
				return nil, err
			}
		}
		var err error
		if layers, err = vectorLayers(id, title, names); err != nil {
			return nil, err
		}
	} else {
		layers = []style.Layer{{
			ID: id, Title: title, Group: "Tiles", Source: id, Opacity: 1, MaxZoom: 24,
			Rules: []style.Rule{{Legend: title, MaxZoom: 24}},
		}}
	}
	insert := len(a.Style.Layers)
	if opt.Below != "" {
		i := slices.IndexFunc(a.Style.Layers, func(l style.Layer) bool { return l.ID == opt.Below })
		if i < 0 {
			return nil, fmt.Errorf("no layer %q to put %s under", opt.Below, path)
		}
		insert = i
	}
	ids := make([]string, len(layers))
	for i := range layers {
		if opt.Opacity > 0 {
			layers[i].Opacity = min(opt.Opacity, 1)
		}
		ids[i] = layers[i].ID
	}
	a.Sources[id] = &Source{ID: id, Path: path, Tiles: tiles}
	if a.Style.Sources == nil {
		a.Style.Sources = map[string]style.Source{}
	}
	a.Style.Sources[id] = style.Source{Kind: kind, Path: path, Attribution: md.Attribution}
	a.Style.Layers = slices.Insert(a.Style.Layers, insert, layers...)
	return ids, nil
}

// vectorLayers returns the layers drawing a vector package of source id
// whose layers are names: the default style of its schema, or plain.
func vectorLayers(id, title string, names []string) ([]style.Layer, error) {
	var doc []byte
	switch Schema(names) {
	case SchemaOpenMapTiles:
		doc = assets.OpenMapTilesStyle
	case SchemaProtomaps:
		doc = assets.ProtomapsStyle
	default:
		layers := make([]style.Layer, len(names))
		for i, n := range names {
			layers[i] = style.Plain(id+"/"+n, title+": "+n, id)
			layers[i].Group, layers[i].SourceLayer = title, n
		}
		return layers, nil
	}
	st, err := style.Parse(doc)
	if err != nil {
		return nil, err
	}
	var layers []style.Layer
	for _, l := range st.Layers {
		// Layers of the style the package has no data for are left out.
		if !slices.Contains(names, l.SourceLayer) {
			continue
		}
		l.ID, l.Source, l.Group = id+"/"+l.ID, id, title
		layers = append(layers, l)
	}
	return layers, nil
}

// sampleLayers returns the layer names of a vector package that does not
// list them, from the tile at its shallowest zoom under the middle of its
// bounds.
func sampleLayers(ctx context.Context, tiles *tilepack.Tiles) ([]string, error) {
	md := tiles.Metadata()
	r := tilepack.RangeOf(md.Bounds, md.MinZoom)
	id := tilepack.ID{Z: md.MinZoom, X: (r.MinX + r.MaxX) / 2, Y: (r.MinY + r.MaxY) / 2}
	vt, err := tiles.Vector(ctx, id)
	if err != nil {
		return nil, err
	}
	if vt == nil {
		return nil, fmt.Errorf("%s lists no layers and has no tile %v to find them in", tiles.Archive().Path(), id)
	}
	var names []string
	for n := range vt.Layers {
		names = append(names, n)
	}
	slices.Sort(names)
	return names, nil
}
