package mapview

import (
	"context"
	"image"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/tile"
)

// TestView_growCacheDoesNotWaitForRenders grows the cache while a tile
// render is under way that, like the render of one huge feature, does
// not look at its context: growCache, on the UI goroutine, closed the
// old scheduler and waited for that render, freezing the window.
func TestView_growCacheDoesNotWaitForRenders(t *testing.T) {
	test.NewTempApp(t)
	at := &atlas.Atlas{Style: &style.Style{}, Sources: map[string]*atlas.Source{}}
	v := New(at, at.Style, WithWorkers(1), WithCacheBytes(1<<20))
	defer v.Close()
	started, release := make(chan struct{}), make(chan struct{})
	slow := func(_ context.Context, k tile.Key) (*image.RGBA, error) {
		close(started)
		<-release
		return image.NewRGBA(image.Rectangle{Max: k.PixelRect().Size()}), nil
	}
	v.scheduler.Close()
	v.scheduler = tile.NewScheduler(slow, v.cache, 1)
	k := tile.Key{Zoom: 5, X: 20, Y: 11, Scale: 1}
	v.scheduler.Request([]tile.Key{k}, nil)
	<-started
	returned := make(chan struct{})
	go func() {
		keys := make([]tile.Key, 64) // far more than a 1 MiB cache holds
		for i := range keys {
			keys[i] = tile.Key{Zoom: 6, X: i, Y: 20, Scale: 1}
		}
		v.growCache(keys)
		close(returned)
	}()
	select {
	case <-returned:
	case <-time.After(2 * time.Second):
		t.Error("growCache waited for the render under way")
	}
	close(release)
	<-returned
	if v.cacheBytes <= 1<<20 {
		t.Errorf("the cache still has %d bytes", v.cacheBytes)
	}
}
