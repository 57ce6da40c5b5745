package style

// Plain returns the layer style given to a file the user adds without a
// style of its own: translucent blue polygons with a dark outline, thin
// red lines and small orange points, the colours of the benchmark
// contract (../shared/bench), so renders can be compared pixel for pixel
// with Mapnik's and QGIS'. Every rule draws every geometry type, so a
// file that mixes points and polygons shows both.
func Plain(id, title, source string) Layer {
	symbol := &Symbol{Shape: Circle, Size: Const(4), Fill: Color{0xd3, 0x54, 0x00, 0xff}}
	return Layer{
		ID: id, Title: title, Group: "Added", Source: source, Opacity: 1, MaxZoom: 24,
		Rules: []Rule{{
			Legend:  title,
			MaxZoom: 24,
			Fill:    Color{0x6f, 0xa8, 0xdc, 153},
			Stroke:  &Stroke{Color: Color{0x1f, 0x4e, 0x79, 0xff}, Width: Const(1)},
			Symbol:  symbol,
		}},
	}
}

// PlainLines is Plain for a source of lines: the stroke is red, as the
// benchmark contract draws lines, instead of the polygon outline's blue.
func PlainLines(id, title, source string) Layer {
	l := Plain(id, title, source)
	l.Rules[0].Stroke.Color = Color{0xc0, 0x39, 0x2b, 0xff}
	return l
}
