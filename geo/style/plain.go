package style

// The colours of a file added without a style of its own: a plum that no
// layer of the default map uses (water is blue, land beige and grey, the
// declaration's layers orange and brown), so added data stands out from
// the map and is never mistaken for a lake.
var (
	plainPlum     = Color{0x8e, 0x24, 0xaa, 0xff}
	plainDarkPlum = Color{0x5c, 0x16, 0x70, 0xff}
	plainFill     = Color{0x8e, 0x24, 0xaa, 0x4d} // 30 %
	plainLine     = Color{0xad, 0x14, 0x57, 0xff}
	plainWhite    = Color{0xff, 0xff, 0xff, 0xff}
	plainHalo     = Color{0xff, 0xff, 0xff, 0xd0}
)

// Plain returns the layer style given to a file the user adds without a
// style of its own: polygons in translucent plum with a darker outline,
// lines in a dark raspberry a pixel and a half wide, points as plum dots
// with a white rim that show on any background, and the "name" property,
// where there is one, as a label. Every rule draws every geometry type,
// so a file that mixes points and polygons shows both.
func Plain(id, title, source string) Layer {
	return Layer{
		ID: id, Title: title, Group: "Added", Source: source, Opacity: 1, MaxZoom: 24,
		Rules: []Rule{{
			Legend:  title,
			MaxZoom: 24,
			Fill:    plainFill,
			Stroke:  &Stroke{Color: plainDarkPlum, Width: Const(1.2)},
			Symbol: &Symbol{
				Shape: Circle, Size: Const(7), Fill: plainPlum,
				Stroke: plainWhite, StrokeWidth: Const(1.2),
			},
			Label: &Label{
				Field: "name", Size: Const(12), Color: plainDarkPlum,
				Halo: plainHalo, HaloWidth: 1.5, MaxWidth: 140, Priority: Const(10),
			},
		}},
	}
}

// PlainLines is Plain for a source of lines, which are drawn in a
// stronger colour than polygon outlines.
func PlainLines(id, title, source string) Layer {
	l := Plain(id, title, source)
	l.Rules[0].Stroke = &Stroke{Color: plainLine, Width: Const(1.5)}
	return l
}
