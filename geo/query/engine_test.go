package query_test

import (
	"context"
	"sync"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/query"
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
