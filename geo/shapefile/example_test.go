package shapefile_test

import (
	"fmt"
	"os"

	"github.com/ecoatlas/ecoatlas/geo/shapefile"
)

// Points ogr2ogr wrote in Pulkovo 1942 / Gauss-Krüger zone 13, with names
// in code page 1251.
func ExampleReadFS() {
	res, err := shapefile.ReadFS(os.DirFS("testdata"), "gk13.shp")
	if err != nil {
		fmt.Println(err)
		return
	}
	f := res.Features[1]
	fmt.Println(res.ShapeType, len(res.Features), res.Encoding)
	fmt.Println(f.Properties.String("name"), res.CRS[:32])
	// Output:
	// Point 3 Windows 1251
	// Майлуу-Суу PROJCS["Pulkovo_1942_GK_Zone_13"
}
