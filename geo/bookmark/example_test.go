package bookmark_test

import (
	"fmt"

	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/assets"
	"github.com/ecoatlas/ecoatlas/geo/bookmark"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// A bookmark captures a view and its layer set; written to a file and read
// back, it shows the same area on a map of another size, with the layers
// as they were.
func Example() {
	st, _ := style.Parse(assets.DefaultStyle)
	shown := st.Clone()
	tailings, _ := shown.Layer("tailings")
	tailings.Hidden = true

	var list bookmark.List
	list.Add(bookmark.Capture("Aral Sea", viewport.New(orb.Point{59.6, 44.9}, 7, 1200, 800, 1), shown))
	data, _ := bookmark.Marshal(list)
	read, _ := bookmark.Parse(data)

	b := read[0]
	vp := b.View.Viewport(600, 400, 1)
	restored, _ := b.Apply(st).Layer("tailings")
	fmt.Printf("%s: zoom %.0f on a map half the size; tailings shown: %t\n", b.Name, vp.Zoom, !restored.Hidden)
	// Output: Aral Sea: zoom 6 on a map half the size; tailings shown: false
}
