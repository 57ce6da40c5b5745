package text

import "sync"

// lru is a concurrency-safe map whose values cost at most a budget of bytes
// in all, evicting least recently used entries to stay within it. It
// approximates LRU with the CLOCK algorithm: a hit only sets the entry's
// referenced bit, instead of relinking list neighbours, so that the
// look-ups of a frame (thousands) touch as little memory as possible;
// eviction sweeps a hand over the entries, sparing (and clearing)
// referenced ones. A value larger than the whole budget is returned but
// not kept.
type lru[K comparable, V any] struct {
	mu      sync.Mutex
	budget  int64
	used    int64
	cost    func(K, V) int64
	index   map[K]int // position in entries
	entries []lruEntry[K, V]
	hand    int
}

type lruEntry[K comparable, V any] struct {
	key        K
	value      V
	cost       int64
	referenced bool
}

// newLRU returns a cache of a budget in bytes, cost telling what an entry
// takes.
func newLRU[K comparable, V any](budget int64, cost func(K, V) int64) *lru[K, V] {
	return &lru[K, V]{budget: budget, cost: cost, index: make(map[K]int)}
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
	cost := c.cost(key, value)
	if cost > c.budget {
		return value
	}
	for c.used+cost > c.budget {
		c.evict()
	}
	c.index[key] = len(c.entries)
	c.entries = append(c.entries, lruEntry[K, V]{key: key, value: value, cost: cost})
	c.used += cost
	return value
}

// evict removes the first entry at or after the hand that is not
// referenced, clearing the bits it passes; the last entry takes the
// evicted one's place.
func (c *lru[K, V]) evict() {
	for {
		c.hand %= len(c.entries)
		e := &c.entries[c.hand]
		if !e.referenced {
			break
		}
		e.referenced = false
		c.hand++
	}
	gone := c.entries[c.hand]
	delete(c.index, gone.key)
	c.used -= gone.cost
	last := len(c.entries) - 1
	if c.hand != last {
		c.entries[c.hand] = c.entries[last]
		c.index[c.entries[c.hand].key] = c.hand
	}
	c.entries[last] = lruEntry[K, V]{}
	c.entries = c.entries[:last]
}

// bytes returns the bytes the entries cost.
func (c *lru[K, V]) bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}
