package formats_test

import (
	"fmt"

	"github.com/ecoatlas/ecoatlas/geo/formats"
)

// A file's first bytes say more than its name.
func ExampleDetect() {
	fmt.Println(formats.Detect("export.dat", []byte("SQLite format 3\x00")))
	fmt.Println(formats.Detect("sites.xml", []byte(`<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2">`)))
	fmt.Println(formats.Detect("points.csv", []byte("lon,lat,name\n")))
	// Output:
	// GeoPackage
	// KML
	// CSV
}
