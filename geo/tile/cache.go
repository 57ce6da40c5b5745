package tile

import (
	"container/list"
	"image"
	"sync"
)

// Cache is a least-recently-used cache of tile images bounded by their
// total size in bytes. It is safe for concurrent use.
//
// The budget should hold a few screens of tiles. The tiles of a view of
// w × h device pixels at scale s take up to (w+512·s)·(h+512·s)·4 bytes,
// and a budget below that makes the tiles of one view evict each other,
// so that the view never completes.
type Cache struct {
	maxBytes int64

	mu      sync.Mutex
	bytes   int64
	order   *list.List // of *cacheEntry, most recently used first
	entries map[Key]*list.Element
}

type cacheEntry struct {
	key Key
	img *image.RGBA
}

// NewCache returns an empty cache holding at most maxBytes of pixels.
func NewCache(maxBytes int64) *Cache {
	return &Cache{maxBytes: maxBytes, order: list.New(), entries: make(map[Key]*list.Element)}
}

// Get returns the image of a tile and marks it as recently used.
func (c *Cache) Get(k Key) (*image.RGBA, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cacheEntry).img, true
}

// Add stores the image of a tile, replacing any image it had, then evicts
// the least recently used tiles until the cache is within its budget. The
// tile just added is never evicted, even if it alone exceeds the budget.
// The cache keeps img, so it must not be changed afterwards. A key whose
// zoom or scale is not a finite number is not stored: it could never be
// found, nor removed.
func (c *Cache) Add(k Key, img *image.RGBA) {
	if !k.valid() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[k]; ok {
		c.remove(e)
	}
	c.entries[k] = c.order.PushFront(&cacheEntry{key: k, img: img})
	c.bytes += int64(len(img.Pix))
	for c.bytes > c.maxBytes && c.order.Len() > 1 {
		c.remove(c.order.Back())
	}
}

func (c *Cache) remove(e *list.Element) {
	entry := c.order.Remove(e).(*cacheEntry)
	delete(c.entries, entry.key)
	c.bytes -= int64(len(entry.img.Pix))
}

// Len returns the number of tiles in the cache.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// Bytes returns the total size of the cached images' pixels.
func (c *Cache) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}

// Purge removes every tile.
func (c *Cache) Purge() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order.Init()
	clear(c.entries)
	c.bytes = 0
}
