package query

import (
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/style"
)

// Marks returns the highlight marks (see render.Highlight) of features at
// a zoom: their geometries, and for points the radius of the symbol st
// draws them with there, so that the highlight rings the symbol. Refs
// that name no feature, or one without geometry, are left out.
func (e *Engine) Marks(st *style.Style, zoom float64, refs ...Ref) []render.Mark {
	st = e.styleOr(st)
	marks := make([]render.Mark, 0, len(refs))
	for _, ref := range refs {
		f, ok := e.Lookup(ref)
		if !ok || f.Geometry == nil {
			continue
		}
		m := render.Mark{Geometry: f.Geometry}
		if l, ok := st.Layer(ref.Layer); ok {
			if r := l.RuleFor(zoom, &f.Properties); r != nil && r.Symbol != nil {
				m.Radius = symbolRadius(r, zoom, &f.Properties)
			}
		}
		marks = append(marks, m)
	}
	return marks
}
