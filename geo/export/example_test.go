package export_test

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/export"
	"github.com/ecoatlas/ecoatlas/geo/query"
)

func ExampleExporter_WritePDF() {
	e, err := query.Default(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	page := export.Page{Title: "Central Asia", View: atlas.Region, Style: e.Atlas().Style}
	opt := export.Options{
		Paper: export.A3, Landscape: true, DPI: 300, Lang: "ru",
		Date: time.Date(2026, 4, 22, 0, 0, 0, 0, time.UTC), Words: export.EnglishWords(),
	}
	// A file would do as well as io.Discard.
	if err := export.New(e).WritePDF(context.Background(), io.Discard, []export.Page{page}, opt, nil); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("written")
	// Output: written
}
