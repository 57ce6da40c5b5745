package kml_test

import (
	"fmt"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/kml"
)

func ExampleRead() {
	doc := `<kml><Document><Folder><name>Uranium</name><Placemark><name>Mailuu-Suu</name>
		<Point><coordinates>72.448,41.246,0</coordinates></Point></Placemark></Folder></Document></kml>`
	res, err := kml.Read(strings.NewReader(doc), "sites.kml")
	if err != nil {
		fmt.Println(err)
		return
	}
	f := res.Features[0]
	fmt.Println(f.Properties.String("name"), f.Properties.String("folder"), f.Geometry)
	// Output: Mailuu-Suu Uranium [72.448 41.246]
}
