package tile_test

import (
	"image"
	"math"
	"sync"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/tile"
)

const tileBytes = 256 * 256 * 4

func key(x int) tile.Key { return tile.Key{Zoom: 8, X: x, Y: 94, Scale: 1} }

func TestCache_evictsLeastRecentlyUsedByBytes(t *testing.T) {
	c := tile.NewCache(3 * tileBytes)
	for x := range 3 {
		c.Add(key(x), solid(key(x), tileColour(x, 0)))
	}
	if _, ok := c.Get(key(0)); !ok {
		t.Fatal("tile 0 missing before the cache was full")
	}
	c.Add(key(3), solid(key(3), tileColour(3, 0))) // evicts 1, the least recently used
	if c.Len() != 3 || c.Bytes() != 3*tileBytes {
		t.Errorf("Len() = %d, Bytes() = %d, want 3 and %d", c.Len(), c.Bytes(), 3*tileBytes)
	}
	for x, want := range []bool{true, false, true, true} {
		if _, ok := c.Get(key(x)); ok != want {
			t.Errorf("tile %d cached = %v, want %v", x, ok, want)
		}
	}
}

func TestCache_evictsSeveralSmallForOneLarge(t *testing.T) {
	c := tile.NewCache(4 * tileBytes)
	for x := range 4 {
		c.Add(key(x), solid(key(x), tileColour(x, 0)))
	}
	big := tile.Key{Zoom: 8, X: 9, Y: 94, Scale: 2} // four times the pixels
	c.Add(big, solid(big, tileColour(9, 0)))
	if c.Len() != 1 || c.Bytes() != 4*tileBytes {
		t.Errorf("Len() = %d, Bytes() = %d, want only the large tile, %d bytes", c.Len(), c.Bytes(), 4*tileBytes)
	}
}

func TestCache_Add_replaces(t *testing.T) {
	c := tile.NewCache(10 * tileBytes)
	first, second := solid(key(0), tileColour(0, 0)), solid(key(0), tileColour(1, 0))
	c.Add(key(0), first)
	c.Add(key(0), second)
	if got, _ := c.Get(key(0)); got != second {
		t.Error("Get returned the replaced image")
	}
	if c.Len() != 1 || c.Bytes() != tileBytes {
		t.Errorf("Len() = %d, Bytes() = %d, want 1 and %d", c.Len(), c.Bytes(), tileBytes)
	}
}

func TestCache_keepsNewestEvenOverBudget(t *testing.T) {
	c := tile.NewCache(tileBytes / 2)
	c.Add(key(0), solid(key(0), tileColour(0, 0)))
	c.Add(key(1), solid(key(1), tileColour(1, 0)))
	if _, ok := c.Get(key(1)); !ok || c.Len() != 1 {
		t.Errorf("cache holds %d tiles, tile 1 cached = %v; want only the newest", c.Len(), ok)
	}
}

func TestCache_keysDifferByEveryField(t *testing.T) {
	c := tile.NewCache(100 * tileBytes)
	base := tile.Key{Gen: 1, Zoom: 8, X: 182, Y: 94, Scale: 1}
	c.Add(base, image.NewRGBA(image.Rect(0, 0, 1, 1)))
	for name, k := range map[string]tile.Key{
		"generation": {Gen: 2, Zoom: 8, X: 182, Y: 94, Scale: 1},
		"zoom":       {Gen: 1, Zoom: 8.5, X: 182, Y: 94, Scale: 1},
		"column":     {Gen: 1, Zoom: 8, X: 183, Y: 94, Scale: 1},
		"row":        {Gen: 1, Zoom: 8, X: 182, Y: 95, Scale: 1},
		"scale":      {Gen: 1, Zoom: 8, X: 182, Y: 94, Scale: 2},
	} {
		if _, ok := c.Get(k); ok {
			t.Errorf("a key differing in %s hit the cache", name)
		}
	}
}

func TestCache_Purge(t *testing.T) {
	c := tile.NewCache(10 * tileBytes)
	for x := range 3 {
		c.Add(key(x), solid(key(x), tileColour(x, 0)))
	}
	c.Purge()
	if _, ok := c.Get(key(0)); ok || c.Len() != 0 || c.Bytes() != 0 {
		t.Errorf("after Purge: tile 0 cached = %v, Len() = %d, Bytes() = %d", ok, c.Len(), c.Bytes())
	}
}

func TestCache_concurrentUse(t *testing.T) {
	c := tile.NewCache(8 * 64)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 1000 {
				k := key((w*7 + i) % 16)
				if _, ok := c.Get(k); !ok {
					c.Add(k, image.NewRGBA(image.Rect(0, 0, 4, 4)))
				}
			}
		})
	}
	wg.Wait()
	if c.Len() != 8 || c.Bytes() != 8*64 {
		t.Errorf("Len() = %d, Bytes() = %d, want a full cache of 8 tiles, %d bytes", c.Len(), c.Bytes(), 8*64)
	}
}

func BenchmarkCache_hit(b *testing.B) {
	c := tile.NewCache(1 << 30)
	for x := range 200 {
		c.Add(key(x), image.NewRGBA(image.Rect(0, 0, 1, 1)))
	}
	k := key(100)
	for b.Loop() {
		if _, ok := c.Get(k); !ok {
			b.Fatal("miss")
		}
	}
}

func TestCache_refusesKeysThatAreNotNumbers(t *testing.T) {
	c := tile.NewCache(100 * tileBytes)
	k := tile.Key{Zoom: math.NaN(), Scale: 1}
	for range 3 {
		c.Add(k, solid(key(0), tileColour(0, 0)))
	}
	if c.Len() != 0 || c.Bytes() != 0 {
		t.Errorf("%d tiles of %d bytes cached under a NaN key", c.Len(), c.Bytes())
	}
}
