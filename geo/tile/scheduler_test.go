package tile_test

import (
	"context"
	"errors"
	"image"
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/tile"
)

var errBroken = errors.New("broken layer")

// paint renders every tile in its tileColour.
func paint(_ context.Context, k tile.Key) (*image.RGBA, error) {
	return solid(k, tileColour(k.X, k.Y)), nil
}

// recorder is a RenderFunc that logs the order of renders and, for tiles
// in block, reports the start on started and waits for release or for
// cancellation, which it reports on cancelled.
type recorder struct {
	block     map[tile.Key]bool
	started   chan tile.Key
	cancelled chan tile.Key
	release   chan struct{}

	mu  sync.Mutex
	log []tile.Key
}

func newRecorder(block ...tile.Key) *recorder {
	r := &recorder{
		block:     make(map[tile.Key]bool),
		started:   make(chan tile.Key, 16),
		cancelled: make(chan tile.Key, 16),
		release:   make(chan struct{}),
	}
	for _, k := range block {
		r.block[k] = true
	}
	return r
}

func (r *recorder) render(ctx context.Context, k tile.Key) (*image.RGBA, error) {
	r.mu.Lock()
	r.log = append(r.log, k)
	r.mu.Unlock()
	if r.block[k] {
		r.started <- k
		select {
		case <-r.release:
		case <-ctx.Done():
			r.cancelled <- k
			return nil, ctx.Err()
		}
	}
	return paint(ctx, k)
}

func (r *recorder) rendered() []tile.Key {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.log)
}

// readyChan returns a ready callback that sends each tile to the channel.
func readyChan() (func(tile.Key), chan tile.Key) {
	ch := make(chan tile.Key, 16)
	return func(k tile.Key) { ch <- k }, ch
}

func TestScheduler_readyAfterTileIsCached(t *testing.T) {
	cache := tile.NewCache(100 * tileBytes)
	s := tile.NewScheduler(paint, cache, 2)
	defer s.Close()
	cachedWhenReady := make(chan bool, 16)
	keys := []tile.Key{key(0), key(1), key(2), key(3)}
	s.Request(keys, func(k tile.Key) {
		img, ok := cache.Get(k)
		cachedWhenReady <- ok && img.Pix[0] == uint8(k.X)
	})
	for range keys {
		if !receive(t, cachedWhenReady) {
			t.Error("ready called before the tile's image was in the cache")
		}
	}
	if cache.Len() != len(keys) {
		t.Errorf("cache holds %d tiles, want %d", cache.Len(), len(keys))
	}
}

func TestScheduler_newRequestCancelsUnwantedRender(t *testing.T) {
	r := newRecorder(key(0))
	cache := tile.NewCache(100 * tileBytes)
	s := tile.NewScheduler(r.render, cache, 1)
	defer s.Close()
	ready, landed := readyChan()

	s.Request([]tile.Key{key(0)}, ready)
	receive(t, r.started)
	s.Request([]tile.Key{key(1)}, ready)
	if got := receive(t, r.cancelled); got != key(0) {
		t.Errorf("cancelled %v, want %v", got, key(0))
	}
	if got := receive(t, landed); got != key(1) {
		t.Errorf("ready(%v), want the new view's tile %v", got, key(1))
	}
	if _, ok := cache.Get(key(0)); ok {
		t.Error("the cancelled tile was cached")
	}
	if err := s.Err(key(0)); err != nil {
		t.Errorf("a cancelled render counts as failed: %v", err)
	}
}

func TestScheduler_keepsWantedRenderRunning(t *testing.T) {
	r := newRecorder(key(0))
	s := tile.NewScheduler(r.render, tile.NewCache(100*tileBytes), 1)
	defer s.Close()
	ready, landed := readyChan()

	s.Request([]tile.Key{key(0)}, ready)
	receive(t, r.started)
	s.Request([]tile.Key{key(1), key(0)}, ready) // still wanted: not restarted
	close(r.release)
	got := []tile.Key{receive(t, landed), receive(t, landed)}
	if want := []tile.Key{key(0), key(1)}; !slices.Equal(got, want) {
		t.Errorf("ready order %v, want %v", got, want)
	}
	if log, want := r.rendered(), []tile.Key{key(0), key(1)}; !slices.Equal(log, want) {
		t.Errorf("rendered %v, want %v", log, want)
	}
}

func TestScheduler_dropsQueuedUnwantedAndKeepsOrder(t *testing.T) {
	r := newRecorder(key(0))
	s := tile.NewScheduler(r.render, tile.NewCache(100*tileBytes), 1)
	defer s.Close()
	ready, landed := readyChan()

	s.Request([]tile.Key{key(0), key(1), key(2)}, ready)
	receive(t, r.started)
	s.Request([]tile.Key{key(0), key(5), key(4), key(3)}, ready)
	close(r.release)
	for range 4 {
		receive(t, landed)
	}
	if log, want := r.rendered(), []tile.Key{key(0), key(5), key(4), key(3)}; !slices.Equal(log, want) {
		t.Errorf("rendered %v, want %v", log, want)
	}
}

func TestScheduler_skipsCachedTiles(t *testing.T) {
	r := newRecorder()
	cache := tile.NewCache(100 * tileBytes)
	cache.Add(key(1), solid(key(1), tileColour(1, 0)))
	s := tile.NewImmediate(r.render, cache)
	defer s.Close()
	s.Request([]tile.Key{key(0), key(1), key(2), key(0)}, nil)
	if log, want := r.rendered(), []tile.Key{key(0), key(2)}; !slices.Equal(log, want) {
		t.Errorf("rendered %v, want %v", log, want)
	}
}

func TestImmediate_rendersInOrderBeforeReturning(t *testing.T) {
	cache := tile.NewCache(100 * tileBytes)
	s := tile.NewImmediate(paint, cache)
	defer s.Close()
	var ready []tile.Key
	keys := []tile.Key{key(2), key(0), key(1)}
	s.Request(keys, func(k tile.Key) { ready = append(ready, k) })
	if !slices.Equal(ready, keys) {
		t.Errorf("ready order %v, want %v", ready, keys)
	}
	if cache.Len() != 3 {
		t.Errorf("cache holds %d tiles, want 3", cache.Len())
	}
}

func TestScheduler_failedTileIsNotRetried(t *testing.T) {
	calls := 0
	render := func(ctx context.Context, k tile.Key) (*image.RGBA, error) {
		calls++
		if k == key(0) {
			return nil, errBroken
		}
		return paint(ctx, k)
	}
	s := tile.NewImmediate(render, tile.NewCache(100*tileBytes))
	defer s.Close()
	var ready []tile.Key
	onReady := func(k tile.Key) { ready = append(ready, k) }

	s.Request([]tile.Key{key(0), key(1)}, onReady)
	if err := s.Err(key(0)); !errors.Is(err, errBroken) {
		t.Errorf("Err = %v, want %v", err, errBroken)
	}
	if !slices.Equal(ready, []tile.Key{key(1)}) {
		t.Errorf("ready for %v, want only the tile that rendered", ready)
	}
	s.Request([]tile.Key{key(0), key(1)}, onReady)
	if calls != 2 {
		t.Errorf("%d renders after a second request, want 2: the failed tile was retried", calls)
	}
	s.ClearErrors()
	if err := s.Err(key(0)); err != nil {
		t.Errorf("Err after ClearErrors = %v", err)
	}
	s.Request([]tile.Key{key(0), key(1)}, onReady)
	if calls != 3 {
		t.Errorf("%d renders after ClearErrors and a request, want 3", calls)
	}
}

func TestScheduler_rejectsImageOfWrongSize(t *testing.T) {
	for name, img := range map[string]*image.RGBA{
		"no image":   nil,
		"too small":  image.NewRGBA(image.Rect(0, 0, 255, 256)),
		"HiDPI size": image.NewRGBA(image.Rect(0, 0, 512, 512)),
	} {
		t.Run(name, func(t *testing.T) {
			cache := tile.NewCache(100 * tileBytes)
			render := func(context.Context, tile.Key) (*image.RGBA, error) { return img, nil }
			s := tile.NewImmediate(render, cache)
			defer s.Close()
			s.Request([]tile.Key{key(0)}, nil)
			if err := s.Err(key(0)); !errors.Is(err, tile.ErrImageSize) {
				t.Errorf("Err = %v, want %v", err, tile.ErrImageSize)
			}
			if cache.Len() != 0 {
				t.Error("the image was cached")
			}
		})
	}
}

func TestScheduler_Close(t *testing.T) {
	r := newRecorder(key(0), key(1))
	s := tile.NewScheduler(r.render, tile.NewCache(100*tileBytes), 2)
	s.Request([]tile.Key{key(0), key(1), key(2)}, nil)
	receive(t, r.started)
	receive(t, r.started)
	s.Close() // returns only once both blocked renders saw their cancellation
	for range 2 {
		receive(t, r.cancelled)
	}
	before := len(r.rendered())
	s.Request([]tile.Key{key(3)}, nil)
	s.Close()
	if after := len(r.rendered()); after != before {
		t.Errorf("%d renders after Close, want none", after-before)
	}
}

func TestScheduler_closeFromReady(t *testing.T) {
	s := tile.NewScheduler(paint, tile.NewCache(100*tileBytes), 2)
	var once sync.Once
	closed := make(chan struct{})
	s.Request([]tile.Key{key(0), key(1), key(2), key(3)}, func(tile.Key) {
		once.Do(func() {
			s.Close() // waited for the worker calling it, for ever
			close(closed)
		})
	})
	receive(t, closed)
	s.Close()
}

func TestScheduler_ignoresKeysThatAreNotNumbers(t *testing.T) {
	bad := []tile.Key{
		{Zoom: math.NaN(), Scale: 1},
		{Zoom: 3, Scale: math.NaN()},
		{Zoom: math.Inf(1), Scale: 1},
		{Zoom: 3, Scale: 0},
	}
	for name, immediate := range map[string]bool{"workers": false, "immediate": true} {
		t.Run(name, func(t *testing.T) {
			r := newRecorder()
			cache := tile.NewCache(100 * tileBytes)
			s := tile.NewScheduler(r.render, cache, 1)
			if immediate {
				s = tile.NewImmediate(r.render, cache)
			}
			ready, landed := readyChan()
			for range 3 {
				s.Request(append(slices.Clone(bad), key(0)), ready)
			}
			if k := receive(t, landed); k != key(0) {
				t.Errorf("tile %v landed, want %v", k, key(0))
			}
			s.Close()
			for _, k := range r.rendered() {
				if k != key(0) {
					t.Errorf("rendered %v", k)
				}
			}
			if cache.Len() != 1 {
				t.Errorf("%d tiles cached, want 1", cache.Len())
			}
		})
	}
}
