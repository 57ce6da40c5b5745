package formats_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/formats"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/sites"
)

// pointsFile writes n named points over Central Asia, as GeoJSON or CSV.
func pointsFile(b *testing.B, n int, ext string) string {
	b.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	var sb strings.Builder
	if ext == ".csv" {
		sb.WriteString("name,type,volume_m3,lon,lat\n")
	} else {
		sb.WriteString(`{"type":"FeatureCollection","features":[`)
	}
	for i := range n {
		lon, lat := 46+42*r.Float64(), 35+21*r.Float64()
		if ext == ".csv" {
			fmt.Fprintf(&sb, "site %d,tailings_storage,%d,%.6f,%.6f\n", i, r.IntN(1e7), lon, lat)
			continue
		}
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"type":"Feature","properties":{"name":"site %d","type":"tailings_storage","volume_m3":%d},"geometry":{"type":"Point","coordinates":[%.6f,%.6f]}}`,
			i, r.IntN(1e7), lon, lat)
	}
	if ext != ".csv" {
		sb.WriteString("]}")
	}
	path := filepath.Join(b.TempDir(), "points"+ext)
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

// benchmarkImport reads a file of 100 000 points and imports it into an
// empty store: what "atlas sites import" does, from the file on disk to
// the transaction committed.
func benchmarkImport(b *testing.B, ext string) {
	path := pointsFile(b, 100_000, ext)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		store, err := sites.CreateEmpty(ctx, filepath.Join(b.TempDir(), "store.gpkg"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		data, err := formats.Read(ctx, path, formats.Options{})
		if err != nil {
			b.Fatal(err)
		}
		l := data.Layers[0]
		features := make([]layer.Feature, 0, l.Vector.Len())
		for f := range l.Vector.All() {
			features = append(features, *f)
		}
		report, err := store.Import(ctx, features, sites.ImportOptions{Name: path, Noun: l.Noun, Rows: l.Rows})
		if err != nil || report.Added != 100_000 {
			b.Fatal(report.Added, err)
		}
		b.StopTimer()
		store.Close()
		b.StartTimer()
	}
}

func BenchmarkImport_geojson100k(b *testing.B) { benchmarkImport(b, ".geojson") }

func BenchmarkImport_csv100k(b *testing.B) { benchmarkImport(b, ".csv") }
