package decode

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"

	"github.com/ecoatlas/ecoatlas/geo/internal/jsonscan"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
	"golang.org/x/text/transform"
)

// splitter cuts the input into records, sent in batches to the workers,
// and the head (see read). It checks the limits on depth, strings and the
// size of features as it goes, but leaves every other fault to the
// decoders, which see the same bytes: a record holds everything from its
// first byte to where the scan ended it.
type splitter struct {
	ctx context.Context
	r   io.Reader // nil once everything is in buf
	lim Limits
	cfg config

	buf     []byte // the input from offset base on
	base    int64
	pos     int // the scan's position in buf
	eof     bool
	readErr error
	// stop is the fault that ended the input early: a record or head
	// beyond the size limit.
	stop *failure
	// at is a position at or before what buf must keep; it is advanced
	// lazily, when a batch or a fault needs a position.
	at position

	// The head is the input outside the features array, which holds "[]"
	// in it; buf[headFrom:pos] is head not yet appended, when headFrom ≥ 0.
	head      []byte
	headFrom  int
	headStart position // of head[0]
	cut       int      // the length of head up to the array's '[', or -1
	closing   position // of the array's ']'
	typ       string   // the top-level "type", when met before the features
	streamed  bool     // the features array was cut into records

	record     int // buf offset of the record being scanned, or -1
	batchStart int // buf offset of the pending batch's first record
	records    []span
	next       int // index of the next record's feature
	lastBatch  int // records in the last batch sent

	// block holds buf, when it is a recycled block.
	block *block
	*recycling

	order, work chan<- *batch
}

// structural classifies the bytes that matter to the scan of a value.
var structural = [256]uint8{'"': 1, '{': 2, '[': 2, '}': 3, ']': 3}

// delimiter marks the bytes that end a number or literal.
var delimiter = [256]bool{',': true, ']': true, '}': true, ' ': true, '\t': true, '\n': true, '\r': true, '"': true, '{': true, '[': true, ':': true}

// run splits the whole input, sends the batches and, if the split stopped
// at a fault, a batch holding it.
func (sp *splitter) run() {
	sp.record, sp.headFrom, sp.cut = -1, -1, -1
	f := sp.sniff()
	sp.at = position{off: sp.base + int64(sp.pos), line: 1}
	sp.headStart = sp.at
	if f == nil {
		f = sp.document()
	}
	sp.syncHead()
	if f == nil {
		f = sp.tooBig()
	}
	if sp.flush() && f != nil {
		b := &batch{fault: f, ready: make(chan struct{})}
		close(b.ready)
		sp.send(b)
	}
}

// sniff reads the first bytes and deals with byte-order marks: UTF-8's is
// skipped, and UTF-16 and UTF-32 text, with or without one, is read
// through a decoder that turns it into UTF-8.
func (sp *splitter) sniff() *failure {
	for len(sp.buf) < 4 && sp.more() {
	}
	b := sp.buf
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		sp.pos = 3
		return nil
	}
	var enc transform.Transformer
	if len(b) >= 4 {
		switch {
		case b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0, b[0] != 0 && b[1] == 0 && b[2] == 0 && b[3] == 0:
			enc = utf32.UTF32(utf32.LittleEndian, utf32.UseBOM).NewDecoder()
		case b[0] == 0 && b[1] == 0 && (b[2] == 0xFE && b[3] == 0xFF || b[2] == 0 && b[3] != 0):
			enc = utf32.UTF32(utf32.BigEndian, utf32.UseBOM).NewDecoder()
		case b[0] == 0xFF && b[1] == 0xFE, b[0] != 0 && b[1] == 0 && b[2] != 0 && b[3] == 0:
			enc = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		case b[0] == 0xFE && b[1] == 0xFF, b[0] == 0 && b[1] != 0 && b[2] == 0 && b[3] != 0:
			enc = unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder()
		}
	}
	if enc == nil {
		if len(b) > 0 && b[0] == 0 {
			return &failure{feature: -1, at: startOfInput, err: errors.New("the file starts with a zero byte: it holds binary data, not GeoJSON text")}
		}
		return nil
	}
	var rest io.Reader = eofReader{}
	if sp.r != nil && !sp.eof {
		rest = sp.r
	}
	sp.r = transform.NewReader(io.MultiReader(bytesReader(b), rest), enc)
	sp.buf, sp.eof, sp.readErr = nil, false, nil
	return nil
}

// eofReader is an empty reader.
type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// bytesReader reads a byte slice without copying it first.
func bytesReader(b []byte) io.Reader { return &sliceReader{b} }

type sliceReader struct{ b []byte }

func (r *sliceReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

// document splits a GeoJSON text: a top-level object whose "features"
// array, if it has one, is cut into records. Anything else, or a fault in
// the top-level object, ends the split, leaving the head to show it.
func (sp *splitter) document() *failure {
	sp.headFrom = sp.pos
	c, ok := sp.peek()
	if !ok {
		return sp.ended()
	}
	sp.pos++
	if c != '{' {
		return nil
	}
	for first := true; ; first = false {
		if c, ok = sp.peek(); !ok {
			return sp.ended()
		}
		sp.pos++
		if c == '}' {
			break
		}
		if !first {
			if c != ',' {
				return nil
			}
			if c, ok = sp.peek(); !ok {
				return sp.ended()
			}
			sp.pos++
		}
		if c != '"' {
			return nil
		}
		sp.pos--
		key, f := sp.headString()
		if f != nil {
			return f
		}
		if c, ok = sp.peek(); !ok {
			return sp.ended()
		}
		sp.pos++
		if c != ':' {
			return nil
		}
		if c, ok = sp.peek(); !ok {
			return sp.ended()
		}
		switch {
		case key == "features" && c == '[' && !sp.streamed && (sp.typ == "" || sp.typ == "FeatureCollection"):
			if f := sp.features(); f != nil {
				return f
			}
		case key == "type" && c == '"':
			typ, f := sp.headString()
			if f != nil {
				return f
			}
			sp.typ = typ
		default:
			if f := sp.scanValue(1); f != nil {
				return f
			}
		}
	}
	// Whatever follows the object, up to its first byte, is for the head
	// to show.
	if _, ok := sp.peek(); ok {
		sp.pos++
	} else {
		return sp.ended()
	}
	return nil
}

// readHead decodes the head, which for a FeatureCollection holds its
// members but no feature, and for anything else is the whole text.
func (sp *splitter) readHead() ([]layer.Feature, *failure) {
	d := decoder{lim: sp.lim}
	features, typ, f := readDocument(&d, sp.head, sp.headPosition)
	switch {
	case f != nil:
		return nil, f
	case sp.streamed && typ != "FeatureCollection":
		return nil, &failure{feature: -1, at: sp.headStart, err: fmt.Errorf(`a %s has a "features" array; only a FeatureCollection has features`, typ)}
	}
	return features, nil
}

// headPosition returns the position in the input of head[i].
func (sp *splitter) headPosition(i int) position {
	if sp.cut < 0 || i < sp.cut {
		return sp.headStart.at(sp.head, i)
	}
	return sp.closing.at(sp.head[sp.cut:], i-sp.cut)
}

// headString scans the string at the scanner in the head and returns its
// text, decoded if short enough to be a key or a type worth knowing.
func (sp *splitter) headString() (string, *failure) {
	sp.syncHead()
	start := len(sp.head)
	if f := sp.scanString(); f != nil {
		return "", f
	}
	sp.syncHead()
	raw := sp.head[start:]
	if len(raw) > 64 {
		return "", nil
	}
	s := jsonscan.New(raw)
	text, err := s.ReadString()
	if err != nil {
		return "", nil
	}
	return string(text), nil
}

// features cuts the features array at the scanner into records.
func (sp *splitter) features() *failure {
	sp.pos++ // '['
	sp.syncHead()
	sp.cut, sp.headFrom, sp.streamed = len(sp.head), -1, true
	for first := true; ; first = false {
		c, ok := sp.peek()
		if !ok {
			return sp.ended()
		}
		if c == ']' && first {
			break
		}
		if !first {
			if c == ']' {
				break
			}
			if c != ',' {
				return sp.fault(sp.pos, sp.unexpected("after array element"))
			}
			sp.pos++
			if c, ok = sp.peek(); !ok {
				return sp.ended()
			}
		}
		sp.record = sp.pos
		f := sp.scanValue(2)
		switch {
		case f != nil:
		case sp.pos == sp.record:
			f = sp.fault(sp.pos, sp.unexpected(""))
		case int64(sp.pos-sp.record) > sp.lim.FeatureBytes:
			f = sp.fault(sp.record, &LimitError{Name: "feature-size", Max: sp.lim.FeatureBytes})
		}
		if f != nil {
			return f
		}
		sp.addRecord()
	}
	// The batch goes before the position moves past its records.
	if !sp.flush() {
		return nil
	}
	sp.closing = sp.positionOf(sp.pos)
	sp.pos++ // ']'
	sp.head = append(sp.head, ']')
	sp.headFrom = sp.pos
	return nil
}

// addRecord adds the record just scanned to the pending batch, sending
// the batch once it is big enough.
func (sp *splitter) addRecord() {
	if len(sp.records) == 0 {
		sp.batchStart = sp.record
		if sp.records == nil {
			sp.records = sp.recordsSlice(sp.lastBatch + sp.lastBatch/8 + 16)
		}
	}
	sp.records = append(sp.records, span{sp.record - sp.batchStart, sp.pos - sp.batchStart})
	sp.record = -1
	if sp.pos-sp.batchStart >= sp.cfg.batchBytes {
		sp.flush()
	}
}

// flush sends the pending batch, if any, and reports whether the split
// can go on (the context is not done).
func (sp *splitter) flush() bool {
	if len(sp.records) == 0 {
		return sp.ctx.Err() == nil
	}
	end := sp.batchStart + sp.records[len(sp.records)-1].end
	if sp.block != nil {
		sp.block.refs.Add(1)
	}
	b := &batch{
		block:   sp.block,
		data:    sp.buf[sp.batchStart:end:end],
		start:   sp.positionOf(sp.batchStart),
		records: sp.records,
		first:   sp.next,
		ready:   make(chan struct{}),
	}
	sp.next += len(sp.records)
	sp.lastBatch = len(sp.records)
	sp.records = nil
	return sp.send(b)
}

// send queues a batch for decoding and for gathering, in order.
func (sp *splitter) send(b *batch) bool {
	select {
	case sp.order <- b:
	case <-sp.ctx.Done():
		return false
	}
	if b.fault != nil {
		return true
	}
	select {
	case sp.work <- b:
		return true
	case <-sp.ctx.Done():
		close(b.ready)
		return false
	}
}

// scanValue scans past the value at the scanner, which is nested in outer
// arrays and objects, following strings and brackets only. It stops at the
// end of the input, leaving it to the decoder to report.
func (sp *splitter) scanValue(outer int) *failure {
	switch c := sp.buf[sp.pos]; {
	case c == '"':
		return sp.scanString()
	case structural[c] != 2:
		for {
			for sp.pos < len(sp.buf) && !delimiter[sp.buf[sp.pos]] {
				sp.pos++
			}
			if sp.pos < len(sp.buf) {
				return nil
			}
			if !sp.more() {
				return sp.stop
			}
		}
	}
	depth := 0
	for {
		buf, i := sp.buf, sp.pos
		for {
			// Eight bytes at a time: a word without quotes whose brackets
			// can neither close the value nor go past the depth limit
			// only changes the depth.
			for i+8 <= len(buf) {
				w := binary.LittleEndian.Uint64(buf[i:])
				y := w | 0x2020202020202020 // '[' → '{', ']' → '}'
				opens := zeroBytes(y ^ 0x7B7B7B7B7B7B7B7B)
				closes := zeroBytes(y ^ 0x7D7D7D7D7D7D7D7D)
				quotes := zeroBytes(w ^ 0x2222222222222222)
				if quotes == 0 {
					no, nc := bits.OnesCount64(opens), bits.OnesCount64(closes)
					if depth > nc && int64(outer+depth+no) <= sp.lim.Depth {
						depth += no - nc
						i += 8
						continue
					}
				}
				i += bits.TrailingZeros64(opens|closes|quotes) >> 3
				break
			}
			for i < len(buf) && structural[buf[i]] == 0 {
				i++
			}
			if i >= len(buf) {
				break
			}
			switch structural[buf[i]] {
			case 1:
				sp.pos = i
				if f := sp.scanString(); f != nil {
					return f
				}
				buf, i = sp.buf, sp.pos
			case 2:
				depth++
				if int64(outer+depth) > sp.lim.Depth {
					return sp.fault(i, &LimitError{Name: "depth", Max: sp.lim.Depth})
				}
				i++
			default:
				depth--
				i++
				if depth == 0 {
					sp.pos = i
					return nil
				}
			}
		}
		sp.pos = i
		if !sp.more() {
			return sp.stop
		}
	}
}

// zeroBytes returns a word with the high bit of each zero byte of x set,
// and no other bit.
func zeroBytes(x uint64) uint64 {
	const low7 = 0x7F7F7F7F7F7F7F7F
	return ^((x&low7 + low7) | x | low7)
}

// scanString scans past the string at the scanner, checking its length.
func (sp *splitter) scanString() *failure {
	start := sp.base + int64(sp.pos)
	// In the head, the start of a long string leaves the buffer for the
	// head text; its place there locates a fault.
	headAt := -1
	if sp.headFrom >= 0 {
		headAt = len(sp.head) + sp.pos - sp.headFrom
	}
	tooLong := func() *failure {
		err := &LimitError{Name: "string-size", Max: sp.lim.StringBytes}
		if start < sp.base && headAt >= 0 {
			sp.syncHead()
			return &failure{feature: -1, at: sp.headPosition(headAt), err: err}
		}
		return sp.fault(int(start-sp.base), err)
	}
	i := sp.pos + 1
	for {
		buf := sp.buf
		for i < len(buf) {
			i = jsonscan.PlainEnd(buf, i)
			if i >= len(buf) {
				break
			}
			switch buf[i] {
			case '"':
				if sp.base+int64(i)-start-1 > sp.lim.StringBytes {
					return tooLong()
				}
				sp.pos = i + 1
				return nil
			case '\\':
				i += 2
			default:
				i++
			}
		}
		if sp.base+int64(i)-start > sp.lim.StringBytes {
			return tooLong()
		}
		at := sp.base + int64(i)
		sp.pos = min(i, len(buf))
		if !sp.more() {
			return sp.stop
		}
		i = int(at - sp.base)
	}
}

// tooBig returns the fault of a record or head beyond the size limit.
func (sp *splitter) tooBig() *failure {
	switch {
	case sp.record >= 0 && int64(sp.pos-sp.record) > sp.lim.FeatureBytes:
		return sp.fault(sp.record, &LimitError{Name: "feature-size", Max: sp.lim.FeatureBytes})
	case sp.record < 0 && int64(len(sp.head)) > sp.lim.FeatureBytes:
		outside := sp.streamed || sp.typ == "FeatureCollection"
		feature := -1
		if !outside {
			feature = 0
		}
		return &failure{feature: feature, at: sp.headStart, err: &LimitError{Name: "feature-size", Max: sp.lim.FeatureBytes, outside: outside}}
	}
	return nil
}

// peek skips white space and returns the next byte, or false at the end
// of the input.
func (sp *splitter) peek() (byte, bool) {
	for {
		for sp.pos < len(sp.buf) {
			if c := sp.buf[sp.pos]; c != ' ' && c != '\n' && c != '\r' && c != '\t' {
				return c, true
			}
			sp.pos++
		}
		if !sp.more() {
			return 0, false
		}
	}
}

// more reads the next block into a new buffer that starts with what the
// split still needs of the current one (the record being scanned), and
// reports whether anything came. The pending batch is sent first, and
// the head appended, since their bytes stay where they are.
func (sp *splitter) more() bool {
	if sp.eof || !sp.flush() {
		return false
	}
	sp.syncHead()
	if sp.stop = sp.tooBig(); sp.stop != nil {
		return false
	}
	keep := sp.pos
	if sp.record >= 0 {
		keep = sp.record
	}
	sp.at.advance(sp.buf[min(int(sp.at.off-sp.base), keep):keep])
	rest := sp.buf[keep:]
	// A record in progress comes along. Most are small, and a block with
	// room for them all is recycled; a large one gets a buffer of its own,
	// twice as large each time it fills, to copy it only a few times.
	old := sp.block
	var buf []byte
	if room := sp.cfg.blockSize / 4; len(rest) <= room {
		if sp.block = sp.recycling.block(); sp.block == nil {
			sp.block = &block{data: make([]byte, sp.cfg.blockSize+room)}
			sp.block.refs.Store(1)
		}
		buf = sp.block.data[:len(rest)]
	} else {
		sp.block = nil
		buf = make([]byte, len(rest), max(len(rest)+sp.cfg.blockSize, 2*len(rest)))
	}
	copy(buf, rest)
	sp.recycling.release(old)
	for len(buf) < cap(buf) {
		if err := sp.ctx.Err(); err != nil {
			sp.eof, sp.readErr = true, err
			break
		}
		n, err := sp.r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			sp.eof = true
			break
		}
		if err != nil {
			sp.eof, sp.readErr = true, err
			break
		}
		if len(buf) > len(rest) && len(buf)-len(rest) >= sp.cfg.blockSize {
			break
		}
	}
	sp.base += int64(keep)
	sp.buf = buf
	sp.pos -= keep
	if sp.record >= 0 {
		sp.record -= keep
	}
	if sp.headFrom >= 0 {
		sp.headFrom = sp.pos
	}
	return len(buf) > len(rest)
}

// syncHead appends the head text scanned since the last call.
func (sp *splitter) syncHead() {
	if sp.headFrom >= 0 && sp.pos > sp.headFrom {
		sp.head = append(sp.head, sp.buf[sp.headFrom:sp.pos]...)
		sp.headFrom = sp.pos
	}
}

// ended returns the fault, if any, that ended the input early: a size
// limit, a read error, or the end of the input between two features.
// Text that stops elsewhere is left for the decoders to report.
func (sp *splitter) ended() *failure {
	if sp.stop != nil {
		return sp.stop
	}
	if sp.readErr == nil {
		if sp.streamed && sp.headFrom < 0 {
			return sp.fault(sp.pos, sp.unexpected(""))
		}
		return nil
	}
	if errors.Is(sp.readErr, context.Canceled) || errors.Is(sp.readErr, context.DeadlineExceeded) {
		return &failure{feature: -1, err: sp.readErr}
	}
	return sp.fault(sp.pos, fmt.Errorf("read: %w", sp.readErr))
}

// unexpected returns the syntax error for the byte at the scanner.
func (sp *splitter) unexpected(context string) error {
	s := jsonscan.New(sp.buf)
	s.Seek(sp.pos)
	return s.Unexpected(context)
}

// fault returns a fault of the split at buf offset i, in the feature
// being read, if any.
func (sp *splitter) fault(i int, err error) *failure {
	// The records before the fault go first, while their position can
	// still be had.
	sp.flush()
	feature := -1
	if sp.streamed && sp.headFrom < 0 {
		feature = sp.next + len(sp.records)
	}
	return &failure{feature: feature, at: sp.positionOf(i), err: err}
}

// positionOf returns the position of buf[i].
func (sp *splitter) positionOf(i int) position {
	from := int(sp.at.off - sp.base)
	sp.at.advance(sp.buf[from:max(from, i)])
	return sp.at
}
