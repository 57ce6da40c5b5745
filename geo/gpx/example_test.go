package gpx_test

import (
	"fmt"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/gpx"
)

func ExampleRead() {
	doc := `<gpx version="1.1"><wpt lat="41.05" lon="69.6"><ele>512</ele><name>Almalyk</name></wpt></gpx>`
	f, err := gpx.Read(strings.NewReader(doc), "walk.gpx")
	if err != nil {
		fmt.Println(err)
		return
	}
	w := f.Waypoints[0]
	ele, _ := w.Properties.Number("ele")
	fmt.Println(w.Properties.String("name"), w.Geometry, ele)
	// Output: Almalyk [69.6 41.05] 512
}
