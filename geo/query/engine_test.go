package query_test

import (
	"context"
	"sync"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/query"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

var (
	defaultOnce   sync.Once
	defaultEngine *query.Engine
	defaultErr    error
)

// engine returns the engine of the embedded map, loaded once for all
// tests and benchmarks.
func engine(t testing.TB) *query.Engine {
	t.Helper()
	defaultOnce.Do(func() { defaultEngine, defaultErr = query.Default(context.Background()) })
	if defaultErr != nil {
		t.Fatal(defaultErr)
	}
	return defaultEngine
}

// TestEngine_concurrentUse asks the engine questions from several
// goroutines at once, as the app's UI and background workers do (run
// with -race).
func TestEngine_concurrentUse(t *testing.T) {
	e := engine(t)
	refs := []query.Ref{
		{Layer: "tailings", ID: "kg-mailuu-suu-uranium-legacy"},
		{Layer: "lakes", ID: "lakes.issyk-kul"},
		{Layer: "protected_areas", ID: "kz-korgalzhyn-snr"},
		{Layer: "rivers", ID: "rivers.naryn"},
	}
	vp := viewport.New(orb.Point{72.44804, 41.24575}, 9, 800, 600, 1)
	var wg sync.WaitGroup
	errs := make(chan error, 4*len(refs))
	for i := range 4 {
		wg.Go(func() {
			for j := range refs {
				ref := refs[(i+j)%len(refs)]
				if _, err := e.Describe(context.Background(), ref, []string{"en", "ru"}[i%2]); err != nil {
					errs <- err
				}
				e.Search("Mailuu", query.SearchOptions{})
				if _, err := e.Identify(context.Background(), nil, vp, orb.Point{400, 300}, 3); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
