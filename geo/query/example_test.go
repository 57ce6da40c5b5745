package query_test

import (
	"context"
	"fmt"

	"github.com/ecoatlas/ecoatlas/geo/query"
)

// Search the embedded map as a user types in the search box, then
// describe the best match.
func Example() {
	ctx := context.Background()
	e, err := query.Default(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	results := e.Search("Ysyk-Köl", query.SearchOptions{Lang: "en", Limit: 1})
	fmt.Println(results[0].Name, results[0].Match)

	d, err := e.Describe(ctx, results[0].Ref, "ru")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range d.Facts {
		fmt.Printf("%s: %s\n", r.Label, r.Value)
	}
	// Output:
	// Issyk-Kul exact
	// Площадь (геодезическая, WGS 84): 6262 км²
	// Бассейн: Бассейн озера Иссык-Куль (приблизительно)
	// Страна: Кыргызстан
}
