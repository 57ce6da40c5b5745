package decode

import (
	"bytes"
	"runtime"
	"slices"
	"sync"

	"github.com/ecoatlas/ecoatlas/geo/internal/jsonscan"
	"github.com/ecoatlas/ecoatlas/geo/layer"
)

// A features array is decoded in chunks on several goroutines, without a
// serial pre-scan: each chunk after the first starts at a guess near an
// even split of the input, the first object after a comma that decodes
// as a Feature. A guess can be wrong, since such an object can sit in a
// nested array, so it is verified: chunk 0 starts at the array's '[' and
// is authoritative, and every chunk stops when it arrives exactly at the
// start of a later chunk between two of its own features. The decoded
// chunks are then chained from chunk 0 to the chunk it stopped at, and so
// on to the end of the array. A chunk whose start no chain reaches was a
// wrong guess and is dropped; the chunk before it simply went on past it.
// Decoding from a given position in a given state always gives the same
// result, so the chained chunks hold exactly what one pass would.

// minChunkBytes is the smallest stretch of input worth a goroutine.
const minChunkBytes = 1 << 20

// chunksPerCPU is how many chunks each CPU gets. More than one evens out
// chunks of uneven cost and CPUs that other programs keep busy: a CPU that
// finishes early takes the next chunk.
const chunksPerCPU = 4

// chunk is what a goroutine decoded.
type chunk struct {
	features []layer.Feature
	next     int // index of the chunk this one ran into, or -1 at the end of the array
	end      int // offset just past the array, when next is -1
	fault    *failure
}

// readFeatures decodes the features array whose '[' is at data[offset]
// and returns its features and the offset just past it.
func readFeatures(data []byte, offset int) ([]layer.Feature, int, *failure) {
	parts := runtime.GOMAXPROCS(0)
	if parts > 1 {
		parts *= chunksPerCPU
	}
	return decodeChunks(data, offset, guessChunkStarts(data, offset, parts))
}

// decodeChunks decodes the features array whose '[' is at data[offset]
// in chunks starting there and at the guessed starts, and chains them.
func decodeChunks(data []byte, offset int, starts []int) ([]layer.Feature, int, *failure) {
	chunks := make([]chunk, len(starts)+1)
	var wg sync.WaitGroup
	for i, start := range starts {
		wg.Go(func() { chunks[i+1] = decodeChunk(data, start, false, starts[i+1:], i+2) })
	}
	chunks[0] = decodeChunk(data, offset, true, starts, 1)
	wg.Wait()

	total := 0
	chain := make([]*chunk, 0, len(chunks))
	for i := 0; ; {
		c := &chunks[i]
		if c.fault != nil {
			c.fault.feature += total
			return nil, 0, c.fault
		}
		total += len(c.features)
		chain = append(chain, c)
		if c.next < 0 {
			break
		}
		i = c.next
	}
	last := chain[len(chain)-1]
	if len(chain) == 1 {
		return last.features, last.end, nil
	}
	features := make([]layer.Feature, 0, total)
	for _, c := range chain {
		features = append(features, c.features...)
	}
	return features, last.end, nil
}

// decodeChunk decodes features from offset on: the array's '[' if opening
// is true, otherwise the first feature of a chunk. It stops at the end of
// the array or at the first of stops, the starts of the chunks numbered
// from firstStop on, that it meets between two features.
func decodeChunk(data []byte, offset int, opening bool, stops []int, firstStop int) chunk {
	var (
		c    chunk
		d    decoder
		err  error
		more = true
	)
	s := jsonscan.New(data)
	s.Seek(offset)
	end := len(data)
	if len(stops) > 0 {
		end = stops[0]
	}
	if opening {
		if err = s.EnterArray(); err == nil {
			more, err = s.NextElement()
		}
	}
	for stop := 0; err == nil && more; {
		at := s.Offset()
		for stop < len(stops) && stops[stop] < at {
			stop++
		}
		if stop < len(stops) && stops[stop] == at {
			c.next = firstStop + stop
			return c
		}
		var f layer.Feature
		if f, err = d.readFeature(&s); err == nil {
			if len(c.features) == sampleFeatures {
				c.features = presize(c.features, s.Offset()-offset, end-offset)
			}
			c.features = append(c.features, f)
			more, err = s.NextElement()
		}
	}
	if err != nil {
		c.fault = &failure{feature: len(c.features), offset: s.Offset(), err: err}
		return c
	}
	c.next, c.end = -1, s.Offset()
	return c
}

// sampleFeatures is how many features a chunk decodes before it sizes its
// slice of features from their average length.
const sampleFeatures = 64

// minFeatureBytes is the length of the shortest Feature and its comma:
// {"type":"Feature"},
const minFeatureBytes = 19

// presize returns features with room for the features of a chunk of
// chunkBytes, estimated from the sampleBytes that the features so far
// took, with a margin that saves the slice from growing when the
// features later in the chunk are a little larger.
func presize(features []layer.Feature, sampleBytes, chunkBytes int) []layer.Feature {
	estimate := chunkBytes / max(sampleBytes/len(features), minFeatureBytes)
	return slices.Grow(features, estimate+estimate/8)
}

// guessChunkStarts returns up to parts-1 increasing offsets after offset
// where a Feature object seems to start, near even splits of the rest of
// data, and none if that is smaller than minChunkBytes per part.
func guessChunkStarts(data []byte, offset, parts int) []int {
	parts = min(parts, (len(data)-offset)/minChunkBytes)
	if parts < 2 {
		return nil
	}
	size := (len(data) - offset) / parts
	var starts []int
	last := offset
	for k := 1; k < parts; k++ {
		p := nextFeatureStart(data, max(offset+k*size, last+1))
		if p < 0 {
			break
		}
		starts = append(starts, p)
		last = p
	}
	return starts
}

// maxGuessTries is how many objects nextFeatureStart tries before it
// gives up on finding a feature.
const maxGuessTries = 1000

// nextFeatureStart returns the offset of the first '{' at or after from
// that follows a comma and opens an object that decodes as a Feature
// followed by a comma or a ']', or -1 if there is none among the next
// maxGuessTries objects.
func nextFeatureStart(data []byte, from int) int {
	var d decoder
	for range maxGuessTries {
		i := bytes.IndexByte(data[from:], '{')
		if i < 0 {
			return -1
		}
		open := from + i
		from = open + 1
		if j := lastNonSpace(data, open-1); j < 0 || data[j] != ',' {
			continue
		}
		s := jsonscan.New(data)
		s.Seek(open)
		if _, err := d.readFeature(&s); err != nil {
			continue
		}
		if _, err := s.NextElement(); err == nil {
			return open
		}
	}
	return -1
}

// lastNonSpace returns the offset of the last byte at or before i that is
// not JSON whitespace, or -1.
func lastNonSpace(data []byte, i int) int {
	for i >= 0 && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t') {
		i--
	}
	return i
}
