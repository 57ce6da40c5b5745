package tilepack

import (
	"container/list"
	"context"
	"errors"
	"image"
	"sync"
)

// DefaultCacheBytes is the decoded-tile budget [NewTiles] uses for a
// budget of 0: about 400 raster tiles of 256 px, five full-HD screens.
const DefaultCacheBytes = 100 << 20

// maxRecordedFailures is how many failed tiles a Tiles lists; it counts
// them all.
const maxRecordedFailures = 64

// Tiles is a tile archive with a byte-bounded cache of its decoded tiles,
// what the renderer reads. The render workers of a frame ask for the same
// tiles at once: each tile is read and decoded once, the others waiting
// for it. A tile that fails to read or decode is remembered (see
// [Tiles.Failures]) and not tried again, so a corrupt tile costs one
// error, not one per frame; tiles the archive does not have are
// remembered as absent. It is safe for concurrent use.
type Tiles struct {
	archive Archive
	md      Metadata
	budget  int64

	mu       sync.Mutex
	entries  map[ID]*cached
	lru      list.List // of *cached, most recently used first
	used     int64
	failures []*TileError
	failed   map[ID]bool
}

// cached is a tile in the cache, or being decoded while ready is open.
type cached struct {
	id    ID
	ready chan struct{}
	img   *image.RGBA
	vec   *VectorTile
	err   error
	// cancelled marks a read stopped by its caller's context, which
	// those waiting for it must do again.
	cancelled bool
	size      int64
	el        *list.Element
}

// NewTiles returns the decoded tiles of an archive, keeping at most
// cacheBytes of them (DefaultCacheBytes for 0).
func NewTiles(a Archive, cacheBytes int64) *Tiles {
	if cacheBytes <= 0 {
		cacheBytes = DefaultCacheBytes
	}
	return &Tiles{archive: a, md: a.Metadata(), budget: cacheBytes, entries: map[ID]*cached{}, failed: map[ID]bool{}}
}

// Archive returns the archive read.
func (t *Tiles) Archive() Archive { return t.archive }

// Metadata returns the archive's metadata.
func (t *Tiles) Metadata() Metadata { return t.md }

// Image returns a raster tile's pixels, nil if the archive does not have
// the tile. A tile that does not decode gives a *TileError.
func (t *Tiles) Image(ctx context.Context, id ID) (*image.RGBA, error) {
	c, err := t.get(ctx, id, false)
	if err != nil {
		return nil, err
	}
	return c.img, nil
}

// Vector returns a vector tile's features, nil if the archive does not
// have the tile. A tile that does not decode gives a *TileError.
func (t *Tiles) Vector(ctx context.Context, id ID) (*VectorTile, error) {
	c, err := t.get(ctx, id, true)
	if err != nil {
		return nil, err
	}
	return c.vec, nil
}

// get returns the cached tile, decoding it first if needed.
func (t *Tiles) get(ctx context.Context, id ID, vector bool) (*cached, error) {
	for {
		t.mu.Lock()
		c, ok := t.entries[id]
		if !ok {
			break // with t.mu held
		}
		if c.el != nil {
			t.lru.MoveToFront(c.el)
		}
		t.mu.Unlock()
		select {
		case <-c.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if c.cancelled {
			// The reader that went first was cancelled; read it again.
			continue
		}
		if c.err != nil {
			return nil, c.err
		}
		return c, nil
	}
	c := &cached{id: id, ready: make(chan struct{})}
	t.entries[id] = c
	t.mu.Unlock()

	t.load(ctx, c, vector)

	t.mu.Lock()
	defer t.mu.Unlock()
	defer close(c.ready)
	if c.err != nil && ctx.Err() != nil && errors.Is(c.err, ctx.Err()) {
		// A cancelled read says nothing about the tile: forget it, and
		// let the next frame read it again.
		c.cancelled = true
		delete(t.entries, id)
		return nil, c.err
	}
	var te *TileError
	if errors.As(c.err, &te) && !t.failed[id] {
		t.failed[id] = true
		if len(t.failures) < maxRecordedFailures {
			t.failures = append(t.failures, te)
		}
	}
	c.size += 64 // the entry itself
	c.el = t.lru.PushFront(c)
	t.used += c.size
	for t.used > t.budget && t.lru.Len() > 1 {
		last := t.lru.Back()
		old := last.Value.(*cached)
		t.lru.Remove(last)
		delete(t.entries, old.id)
		t.used -= old.size
	}
	if c.err != nil {
		return nil, c.err
	}
	return c, nil
}

// load reads and decodes a tile into c.
func (t *Tiles) load(ctx context.Context, c *cached, vector bool) {
	data, err := t.archive.Tile(ctx, c.id)
	if err != nil || data == nil {
		c.err = err
		return
	}
	if vector {
		c.vec, err = DecodeVector(data, c.id)
		if c.vec != nil {
			c.size = int64(len(data)) + 16*int64(c.vec.Vertices)
			for _, fs := range c.vec.Layers {
				c.size += 160 * int64(len(fs))
			}
		}
	} else {
		c.img, err = DecodeImage(data)
		if c.img != nil {
			c.size = int64(len(c.img.Pix))
		}
	}
	if err != nil {
		c.err = &TileError{Path: t.archive.Path(), Tile: c.id, Err: err}
	}
}

// Failures returns the first tiles that failed to read or decode (up to
// 64), and how many failed in all.
func (t *Tiles) Failures() ([]*TileError, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]*TileError(nil), t.failures...), len(t.failed)
}

// Close closes the archive.
func (t *Tiles) Close() error { return t.archive.Close() }
