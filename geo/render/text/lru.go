package text

import "sync"

// lru is a concurrency-safe map of at most capacity entries that evicts a
// least recently used entry when full. It approximates LRU with the CLOCK
// algorithm: a hit only sets the entry's referenced bit, instead of
// relinking list neighbours, so that the look-ups of a frame (thousands)
// touch as little memory as possible; eviction sweeps a hand over the
// entries, sparing (and clearing) referenced ones.
type lru[K comparable, V any] struct {
	mu       sync.Mutex
	capacity int
	index    map[K]int // position in entries
	entries  []lruEntry[K, V]
	hand     int
}

type lruEntry[K comparable, V any] struct {
	key        K
	value      V
	referenced bool
}

func newLRU[K comparable, V any](capacity int) *lru[K, V] {
	return &lru[K, V]{capacity: capacity, index: make(map[K]int, capacity)}
}

// get returns the value for key and marks it as recently used.
func (c *lru[K, V]) get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	i, ok := c.index[key]
	if !ok {
		var zero V
		return zero, false
	}
	e := &c.entries[i]
	e.referenced = true
	return e.value, true
}

// add stores value under key unless the key is present already, and returns
// the value now stored, so that concurrent producers of the same value end
// up sharing one.
func (c *lru[K, V]) add(key K, value V) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	if i, ok := c.index[key]; ok {
		return c.entries[i].value
	}
	if len(c.entries) < c.capacity {
		c.index[key] = len(c.entries)
		c.entries = append(c.entries, lruEntry[K, V]{key: key, value: value})
		return value
	}
	for c.entries[c.hand].referenced {
		c.entries[c.hand].referenced = false
		c.hand = (c.hand + 1) % c.capacity
	}
	delete(c.index, c.entries[c.hand].key)
	c.entries[c.hand] = lruEntry[K, V]{key: key, value: value}
	c.index[key] = c.hand
	c.hand = (c.hand + 1) % c.capacity
	return value
}
