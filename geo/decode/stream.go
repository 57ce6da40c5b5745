package decode

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"math/bits"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/ecoatlas/ecoatlas/geo/internal/jsonscan"
	"github.com/ecoatlas/ecoatlas/geo/layer"
)

// A file is read in blocks and cut, by a scan that follows only strings
// and brackets, into the elements of its "features" array (the records)
// and the rest (the head). The scan looks at each byte once, so reading
// takes time linear in the input whatever it holds. Records are grouped
// into batches that worker goroutines decode while the next blocks are
// read, and the decoded batches are gathered in order. The head, which is
// all of a file that is not a FeatureCollection, is decoded last, with
// its features array emptied.
//
// Memory beyond the decoded features is a few batches, one block and the
// largest feature; the features keep no reference to the input.

// config sets the sizes of the pipeline. Tests shrink them to cut small
// inputs into many blocks and batches.
type config struct {
	blockSize  int // bytes read at a time
	batchBytes int // records are batched until a batch has this many bytes
	workers    int // goroutines decoding batches
}

// defaultConfig is the pipeline of a normal read.
func defaultConfig() config {
	return config{blockSize: 1 << 20, batchBytes: 256 << 10, workers: runtime.GOMAXPROCS(0)}
}

// span is a record: the bytes [start, end) of its batch's data.
type span struct{ start, end int }

// position is a place in the input: its offset, its line from 1 and the
// number of characters before it on its line.
type position struct {
	off  int64
	line int
	col  int
}

// startOfInput is the position of the first byte.
var startOfInput = position{line: 1}

// advance moves p over text, which starts at p.
func (p *position) advance(text []byte) {
	if n := bytes.Count(text, newline); n > 0 {
		p.line += n
		p.col = runeCount(text[bytes.LastIndexByte(text, '\n')+1:])
	} else {
		p.col += runeCount(text)
	}
	p.off += int64(len(text))
}

var newline = []byte{'\n'}

// at returns the position of text[i], text starting at p.
func (p position) at(text []byte, i int) position {
	p.advance(text[:min(max(i, 0), len(text))])
	return p
}

// runeCount returns the number of UTF-8 characters in b, counting every
// byte that is not a continuation byte, eight at a time.
func runeCount(b []byte) int {
	n := len(b)
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		// A continuation byte is 10xxxxxx: high bit set, the next one clear.
		n -= bits.OnesCount64(w &^ (w << 1) & 0x8080808080808080)
	}
	for ; i < len(b); i++ {
		if b[i]&0xC0 == 0x80 {
			n--
		}
	}
	return n
}

// block is a buffer of input, shared by the batches cut from it and
// recycled once the splitter has moved on and they are all gathered.
type block struct {
	data []byte
	refs atomic.Int32 // the splitter's, while current, and each batch's
}

// recycling holds what one read allocates again and again, once used:
// blocks, and the slices of records and features of batches. Without it,
// a read would make as much garbage as its input is large.
type recycling struct {
	blocks   chan *block
	records  chan []span
	features chan []layer.Feature
}

// newRecycling returns empty recycling for a read on workers goroutines.
func newRecycling(workers int) *recycling {
	n := 8*workers + 4 // more than the batches in flight
	return &recycling{blocks: make(chan *block, n), records: make(chan []span, n), features: make(chan []layer.Feature, n)}
}

// release drops a reference to a block, recycling it with the last.
func (rc *recycling) release(b *block) {
	if b == nil || b.refs.Add(-1) > 0 {
		return
	}
	select {
	case rc.blocks <- b:
	default:
	}
}

// block returns a recycled block, or nil.
func (rc *recycling) block() *block {
	select {
	case b := <-rc.blocks:
		b.refs.Store(1)
		return b
	default:
		return nil
	}
}

// recordsSlice returns an empty slice of records, recycled if one is.
func (rc *recycling) recordsSlice(size int) []span {
	select {
	case r := <-rc.records:
		return r[:0]
	default:
		return make([]span, 0, size)
	}
}

// featuresSlice returns an empty slice of features with room for n,
// recycled if one is.
func (rc *recycling) featuresSlice(n int) []layer.Feature {
	select {
	case f := <-rc.features:
		if cap(f) >= n {
			return f[:0]
		}
	default:
	}
	return make([]layer.Feature, 0, n+n/8)
}

// recycle takes back what a gathered batch used.
func (rc *recycling) recycle(b *batch) {
	clear(b.features)
	select {
	case rc.features <- b.features[:0]:
	default:
	}
	select {
	case rc.records <- b.records[:0]:
	default:
	}
	rc.release(b.block)
}

// batch is a run of records, decoded by one worker.
type batch struct {
	block   *block   // holding data, if recycled
	data    []byte   // from the first record's start to the last one's end
	start   position // of data[0]
	records []span
	first   int // index of the first record's feature

	// fault, if set, is the splitter's: it comes after the records.
	fault *failure

	ready    chan struct{} // closed once decoded
	features []layer.Feature
	failed   *failure
}

// failure is a fault and where it is: the feature's index (or -1) and its
// place in the input.
type failure struct {
	feature int
	at      position
	err     error
}

// error returns the fault as an *Error.
func (f *failure) error(name string) *Error {
	e := &Error{File: name, Feature: f.feature + 1, Err: f.err}
	if f.at.line > 0 {
		e.Line, e.Column = f.at.line, f.at.col+1
	}
	return e
}

// errorOffset returns the offset an error of the scanner carries, or
// fallback.
func errorOffset(err error, fallback int) int {
	if se, ok := errors.AsType[*jsonscan.SyntaxError](err); ok {
		return se.Offset
	}
	if ke, ok := errors.AsType[*jsonscan.KindError](err); ok {
		return ke.Offset
	}
	if pe, ok := errors.AsType[*pathError](err); ok && pe.offset >= 0 {
		return pe.offset
	}
	if ae, ok := errors.AsType[*atError](err); ok {
		return ae.offset
	}
	return fallback
}

// atError is an error about the value at an offset of the input.
type atError struct {
	offset int
	err    error
}

// Error returns the error's message.
func (e *atError) Error() string { return e.err.Error() }

// Unwrap returns the error.
func (e *atError) Unwrap() error { return e.err }

// read decodes a GeoJSON text: the bytes of r, or data if r is nil.
// sizeHint, if positive, is the size of the input, used to size the
// features slice.
func read(ctx context.Context, r io.Reader, data []byte, name string, lim Limits, cfg config, sizeHint int64) (*layer.Vector, error) {
	lim = lim.withDefaults()
	inner, cancel := context.WithCancel(ctx)
	defer cancel()
	rc := newRecycling(cfg.workers)
	sp := &splitter{ctx: inner, r: r, buf: data, eof: r == nil, lim: lim, cfg: cfg, at: startOfInput, recycling: rc}
	if r == nil {
		sizeHint = int64(len(data))
	}
	order := make(chan *batch, 4*cfg.workers)
	work := make(chan *batch, 4*cfg.workers)
	sp.order, sp.work = order, work
	var wg sync.WaitGroup
	for range cfg.workers {
		wg.Go(func() {
			d := decoder{lim: lim}
			for b := range work {
				if inner.Err() == nil {
					b.features, b.failed = d.readBatch(b, rc.featuresSlice(len(b.records)))
				}
				close(b.ready)
			}
		})
	}
	wg.Go(func() {
		sp.run()
		close(order)
		close(work)
	})
	features, f := gather(inner, order, sizeHint, rc)
	cancel()
	for range order { // let the splitter finish
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, &Error{File: name, Err: err}
	}
	if f == nil {
		var more []layer.Feature
		if more, f = sp.readHead(); f == nil {
			features = append(features, more...)
		}
	}
	if f != nil {
		return nil, f.error(name)
	}
	return layer.NewVector(features), nil
}

// gather collects the decoded batches in order, stopping at the first
// fault or when ctx is done.
func gather(ctx context.Context, order <-chan *batch, sizeHint int64, rc *recycling) ([]layer.Feature, *failure) {
	var features []layer.Feature
	for b := range order {
		select {
		case <-b.ready:
		case <-ctx.Done():
			return nil, nil
		}
		if b.failed != nil {
			return nil, b.failed
		}
		if b.fault != nil {
			return nil, b.fault
		}
		if features == nil && sizeHint > 0 && len(b.data) > 0 {
			// Room for as many features as the first batch's density
			// promises, and a little more, so that the slice need not grow.
			estimate := float64(sizeHint) * float64(len(b.records)) / float64(len(b.data))
			features = make([]layer.Feature, 0, int(estimate*1.02)+16)
		}
		features = append(features, b.features...)
		rc.recycle(b)
	}
	return features, nil
}

// readBatch decodes the records of a batch, appending to features.
func (d *decoder) readBatch(b *batch, features []layer.Feature) ([]layer.Feature, *failure) {
	for i, r := range b.records {
		record := b.data[r.start:r.end]
		s := jsonscan.New(record)
		f, err := d.readFeature(&s)
		if err == nil && s.Offset() != len(record) {
			err = s.Unexpected("after array element")
		}
		if err != nil {
			local := r.start + errorOffset(err, s.Offset())
			return nil, &failure{feature: b.first + i, at: b.start.at(b.data, local), err: err}
		}
		features = append(features, f)
	}
	return features, nil
}
