package export_test

import (
	"context"
	"io"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/export"
)

// BenchmarkPDF_regionA4 measures the export of the whole region to a
// vector PDF, A4 landscape laid out at 150 dpi.
func BenchmarkPDF_regionA4(b *testing.B) {
	f := load(b)
	page, opt := regionPage(f), options(150)
	for b.Loop() {
		if err := f.exporter.WritePDF(context.Background(), io.Discard, []export.Page{page}, opt, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPNG_regionA3at300dpi measures the largest PNG export: the
// region on A3 landscape at 300 dpi, 4961×3508 pixels, encoded.
func BenchmarkPNG_regionA3at300dpi(b *testing.B) {
	f := load(b)
	page, opt := regionPage(f), options(300)
	opt.Paper = export.A3
	for b.Loop() {
		if err := f.exporter.WritePNG(context.Background(), io.Discard, page, opt, nil); err != nil {
			b.Fatal(err)
		}
	}
}
