package render

import (
	"image/color"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/tilepack"
)

// Scene is an immutable description of what to draw: the background and
// the layers in drawing order, each bound to its data. The app builds a
// new Scene whenever visibility, order or opacity change; renderers on
// other goroutines keep using the one they were given.
type Scene struct {
	Background color.NRGBA
	Layers     []Layer
	// Names are the language tags whose names labels show, in order of
	// preference: a label of field F shows the first non-empty property
	// "F_<tag>", else F itself (see [style.Style.NameChain]).
	Names []string
}

// Layer is a style layer bound to its data: Features for vector layers,
// Relief for a hillshade, Tiles for a tile package (raster, or vector
// tiles whose Style.SourceLayer it draws).
type Layer struct {
	Style    *style.Layer
	Features layer.FeatureSource
	Relief   *layer.Relief
	Tiles    *tilepack.Tiles
}

// nameKeys returns the properties a label of a field tries, in order:
// "field_<tag>" for each of the scene's Names, then the field.
func (s *Scene) nameKeys(field string) []string {
	keys := make([]string, 0, len(s.Names)+1)
	for _, tag := range s.Names {
		keys = append(keys, field+"_"+tag)
	}
	return append(keys, field)
}

// labelText returns the first non-empty value of the keys.
func labelText(keys []string, props layer.Properties) string {
	for _, k := range keys {
		if t := props.String(k); t != "" {
			return t
		}
	}
	return ""
}
