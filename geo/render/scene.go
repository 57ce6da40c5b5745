package render

import (
	"image/color"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/style"
)

// Language selects which name field labels show.
type Language string

// Label languages. Russian uses a feature's "<field>_ru" where it has one.
const (
	English Language = "en"
	Russian Language = "ru"
)

// Scene is an immutable description of what to draw: the background and
// the layers in drawing order, each bound to its data. The app builds a
// new Scene whenever visibility, order or opacity change; renderers on
// other goroutines keep using the one they were given.
type Scene struct {
	Background color.NRGBA
	Layers     []Layer
	Language   Language
}

// Layer is a style layer bound to its data: Features for vector layers,
// Relief for a hillshade.
type Layer struct {
	Style    *style.Layer
	Features layer.FeatureSource
	Relief   *layer.Relief
}

// labelField returns the property a label shows in the scene's language
// for a feature.
func (s *Scene) labelText(field string, props layer.Properties) string {
	if s.Language == Russian {
		if t := props.String(field + "_ru"); t != "" {
			return t
		}
	}
	return props.String(field)
}
