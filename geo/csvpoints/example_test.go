package csvpoints_test

import (
	"fmt"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/csvpoints"
)

// A spreadsheet export with semicolons and decimal commas, and a row that
// gives no point.
func ExampleRead() {
	text := "name;lat;lon\nAlmalyk;41,05;69,6\nsomewhere;;\n"
	res, err := csvpoints.Read(strings.NewReader(text), "sites.csv", csvpoints.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Features[0].Properties.String("name"), res.Features[0].Geometry, "from", res.X, res.Y)
	fmt.Println(res.Skipped[0].Error())
	// Output:
	// Almalyk [69.6 41.05] from lon lat
	// sites.csv: row 3: lon: no coordinate
}
