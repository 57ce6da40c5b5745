package sites_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ecoatlas/ecoatlas/geo/sites"
	"github.com/paulmach/orb"
)

// A form's values are checked field by field; each fault names the field,
// the value and the reason, for the form to show next to the field.
func ExampleSite_Validate() {
	site := sites.NewSite(orb.Point{69.6, 41.05})
	site.Values["name"] = "Almalyk"
	site.Values["hazard"] = "catastrophic"
	site.Values["dam_height_m"] = "1 200"
	var invalid *sites.ValidationError
	if errors.As(site.Validate(), &invalid) {
		for _, fe := range invalid.Fields {
			fmt.Println(fe.Field, "—", fe.Error())
		}
	}
	// Output:
	// hazard — hazard: "catastrophic" is not one of the allowed values (one of: low, significant, high, very_high, extreme, unknown)
	// dam_height_m — dam_height_m: "1 200" is out of range (0 to 500 m)
}

// Every edit is committed before the call returns, and undone as a whole.
func ExampleStore_AddSite() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "sites-example")
	defer os.RemoveAll(dir)
	store, err := sites.CreateEmpty(ctx, filepath.Join(dir, "sites.gpkg"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()
	site := sites.NewSite(orb.Point{69.6, 41.05})
	site.Values["name"] = "Almalyk"
	res, err := store.AddSite(ctx, site, sites.EditOptions{By: "Anna"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Step.Label, "touched", res.Bound.Min)
	undo, _ := store.Undo(ctx)
	fmt.Println("undid", undo.Step.Label)
	// Output:
	// Add site Almalyk touched [69.6 41.05]
	// undid Add site Almalyk
}
