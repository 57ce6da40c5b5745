package tile

import (
	"context"
	"errors"
	"fmt"
	"image"
	"sync"
)

// ErrImageSize reports a rendered tile image whose size is not that of
// the tile's [Key.PixelRect].
var ErrImageSize = errors.New("tile: rendered image does not fit the tile")

// RenderFunc renders one tile: an image of k.PixelRect().Size() device
// pixels (see [Key.Viewport]). It should return soon after ctx is
// cancelled; what it returns then is discarded. It is called on several
// goroutines at once.
type RenderFunc func(ctx context.Context, k Key) (*image.RGBA, error)

// Scheduler renders the tiles a view needs into a [Cache] on a pool of
// worker goroutines, most wanted first, and drops work that a newer
// request no longer wants. It is safe for concurrent use.
//
// A tile whose rendering failed is not rendered again, which keeps a
// broken layer from spinning the workers: its error stays available from
// [Scheduler.Err] until [Scheduler.ClearErrors] or until the content
// generation, part of the key, changes.
type Scheduler struct {
	render RenderFunc
	cache  *Cache
	inline bool // render in Request, on the caller's goroutine

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc

	mu   sync.Mutex
	wake *sync.Cond // signalled when the queue fills or the scheduler closes
	// busy counts the workers that may still render: not exited, and not
	// inside a ready callback. Close waits for it to drop to zero, and
	// settled is signalled whenever it drops.
	busy    int
	settled *sync.Cond
	closed  bool
	queue   []Key            // wanted tiles not yet started, most wanted first
	running map[Key]*job     // wanted tiles being rendered
	ready   func(Key)        // the latest request's callback
	errs    map[Key]error    // failed tiles
	wanted  map[Key]struct{} // Request's scratch set
}

// job is one running render, cancelled when its tile stops being wanted.
type job struct {
	cancel context.CancelFunc
}

// NewScheduler returns a scheduler rendering with render into cache on
// workers goroutines (at least one).
func NewScheduler(render RenderFunc, cache *Cache, workers int) *Scheduler {
	s := newScheduler(render, cache)
	s.busy = max(workers, 1)
	for range s.busy {
		go s.work()
	}
	return s
}

// NewImmediate returns a scheduler whose Request renders the missing tiles
// itself, in order, before returning, calling ready as each one lands: a
// deterministic stand-in for [NewScheduler] in tests.
func NewImmediate(render RenderFunc, cache *Cache) *Scheduler {
	s := newScheduler(render, cache)
	s.inline = true
	return s
}

func newScheduler(render RenderFunc, cache *Cache) *Scheduler {
	s := &Scheduler{
		render:  render,
		cache:   cache,
		running: make(map[Key]*job),
		errs:    make(map[Key]error),
		wanted:  make(map[Key]struct{}),
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.wake = sync.NewCond(&s.mu)
	s.settled = sync.NewCond(&s.mu)
	return s
}

// Request makes keys, in order of preference, the set of tiles wanted,
// replacing the previous set: tiles already cached or failed are skipped,
// tiles no longer wanted are dropped from the queue, and renders of them
// already running are cancelled. ready, if not nil, is called with each
// tile once its image is in the cache, on a worker goroutine; it must not
// block, and it may call Request and Close. Request does nothing after
// Close. Keys whose zoom or scale is not a finite number, which no view
// has, are ignored: a NaN in a key would keep it from ever being found
// again in the scheduler's maps or the cache.
func (s *Scheduler) Request(keys []Key, ready func(Key)) {
	if s.inline {
		s.renderNow(keys, ready)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.ready = ready
	clear(s.wanted)
	s.queue = s.queue[:0]
	for _, k := range keys {
		if !k.valid() {
			continue
		}
		if _, dup := s.wanted[k]; dup {
			continue
		}
		s.wanted[k] = struct{}{}
		if _, failed := s.errs[k]; failed {
			continue
		}
		if _, running := s.running[k]; running {
			continue
		}
		if _, cached := s.cache.Get(k); cached {
			continue
		}
		s.queue = append(s.queue, k)
	}
	for k, j := range s.running {
		if _, ok := s.wanted[k]; !ok {
			j.cancel()
			delete(s.running, k)
		}
	}
	if len(s.queue) > 0 {
		s.wake.Broadcast()
	}
}

// renderNow is Request for a scheduler made by NewImmediate.
func (s *Scheduler) renderNow(keys []Key, ready func(Key)) {
	for _, k := range keys {
		if !k.valid() {
			continue
		}
		s.mu.Lock()
		_, failed := s.errs[k]
		skip := s.closed || failed
		s.mu.Unlock()
		if skip {
			continue
		}
		if _, cached := s.cache.Get(k); cached {
			continue
		}
		img, err := s.renderTile(s.ctx, k)
		s.mu.Lock()
		landed := !s.closed && s.store(k, img, err)
		s.mu.Unlock()
		if landed && ready != nil {
			ready(k)
		}
	}
}

// work is a worker goroutine: it renders the queue's first tile until the
// scheduler closes.
func (s *Scheduler) work() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		for len(s.queue) == 0 && !s.closed {
			s.wake.Wait()
		}
		if s.closed {
			s.busy--
			s.settled.Broadcast()
			return
		}
		k := s.queue[0]
		s.queue = s.queue[1:]
		ctx, cancel := context.WithCancel(s.ctx)
		j := &job{cancel: cancel}
		s.running[k] = j
		s.mu.Unlock()

		img, err := s.renderTile(ctx, k)
		cancel()

		s.mu.Lock()
		// A job no longer in running was cancelled by a newer Request.
		if s.running[k] != j || s.closed || !s.store(k, img, err) {
			if s.running[k] == j {
				delete(s.running, k)
			}
			continue
		}
		delete(s.running, k)
		if s.ready == nil {
			continue
		}
		// The callback may close the scheduler, which must not then wait
		// for this worker: while in it, the worker does not count.
		ready := s.ready
		s.busy--
		s.settled.Broadcast()
		s.mu.Unlock()
		ready(k)
		s.mu.Lock()
		if s.closed {
			return
		}
		s.busy++
	}
}

// renderTile renders k and checks the image's size.
func (s *Scheduler) renderTile(ctx context.Context, k Key) (*image.RGBA, error) {
	img, err := s.render(ctx, k)
	if err != nil {
		return nil, fmt.Errorf("tile: render %v: %w", k, err)
	}
	want := k.PixelRect().Size()
	if img == nil {
		return nil, fmt.Errorf("tile: render %v: %w: no image, want %v", k, ErrImageSize, want)
	}
	if got := img.Bounds().Size(); got != want {
		return nil, fmt.Errorf("tile: render %v: %w: got %v, want %v", k, ErrImageSize, got, want)
	}
	return img, nil
}

// store records a render's outcome and reports whether the tile landed in
// the cache. s.mu must be held.
func (s *Scheduler) store(k Key, img *image.RGBA, err error) bool {
	if err != nil {
		s.errs[k] = err
		return false
	}
	s.cache.Add(k, img)
	return true
}

// Err returns the error of the failed render of k, or nil if k has not failed.
func (s *Scheduler) Err(k Key) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.errs[k]
}

// ClearErrors forgets every failure, so the next Request renders the failed
// tiles again: for a "retry" after the cause (a missing file, say) is fixed.
func (s *Scheduler) ClearErrors() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.errs)
}

// Close cancels every render, drops the queue and waits for the renders
// under way to return; no ready callback starts afterwards. It may be
// called from a ready callback, and does not wait for callbacks under
// way. Later calls of Request do nothing.
func (s *Scheduler) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.queue = nil
	s.cancel()
	s.wake.Broadcast()
	for s.busy > 0 {
		s.settled.Wait()
	}
}
