package sites_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/sites"
	"github.com/paulmach/orb"
)

// randomFeatures returns n points over Central Asia with a name, a type
// and a volume, as an import reads them from a file.
func randomFeatures(n int) []layer.Feature {
	r := rand.New(rand.NewPCG(1, 2))
	types := []string{"tailings_storage", "uranium_legacy", "industrial", "waste_dump", "landfill"}
	features := make([]layer.Feature, n)
	for i := range features {
		features[i] = layer.Feature{
			Geometry: orb.Point{46 + 42*r.Float64(), 35 + 21*r.Float64()},
			Properties: layer.PropertiesFromMap(map[string]any{
				"name":      fmt.Sprintf("site %d", i),
				"type":      types[r.IntN(len(types))],
				"volume_m3": float64(r.IntN(1e7)),
			}),
		}
	}
	return features
}

// BenchmarkImport_100k imports 100 000 points into an empty store: the
// store's share of importing a file (see the end-to-end benchmarks in
// geo/formats for reading the file too).
func BenchmarkImport_100k(b *testing.B) {
	features := randomFeatures(100_000)
	for b.Loop() {
		b.StopTimer()
		s := emptyStore(b)
		b.StartTimer()
		report, err := s.Import(context.Background(), features, sites.ImportOptions{Name: "bench"})
		if err != nil || report.Added != len(features) {
			b.Fatal(report.Added, err)
		}
	}
}

// BenchmarkAddSite_at100k adds one site to a store of 100 000: the time
// from the user's "Save" to the edit committed and synced to disk.
func BenchmarkAddSite_at100k(b *testing.B) {
	ctx := context.Background()
	s := emptyStore(b)
	if _, err := s.Import(ctx, randomFeatures(100_000), sites.ImportOptions{Name: "bench"}); err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	b.ResetTimer()
	for b.Loop() {
		site := sites.NewSite(orb.Point{46 + 42*r.Float64(), 35 + 21*r.Float64()})
		site.Values["name"] = "new site"
		if _, err := s.AddSite(ctx, site, anna); err != nil {
			b.Fatal(err)
		}
	}
}
