// Package jsonscan reads JSON text in place: a [Scanner] walks a byte
// slice value by value, validating as it goes, and hands back numbers,
// strings and the raw text of whole values without building a tree or,
// except for strings with escapes, allocating.
//
// It is the engine of the GeoJSON decoder and of lazily decoded feature
// properties, where a 250 MB file has to be read at hundreds of megabytes
// a second. Everything a Scanner accepts is valid RFC 8259 JSON, and
// everything it skips is validated as fully as what it reads.
//
// Objects and arrays are read member by member:
//
//	if err := s.EnterObject(); err != nil { ... }
//	for {
//		key, ok, err := s.NextKey()
//		if err != nil { ... }
//		if !ok {
//			break // the closing '}' has been consumed
//		}
//		// read or skip the value of key
//	}
package jsonscan

import (
	"encoding/binary"
	"math/bits"
	"strconv"
	"unicode/utf8"
)

// maxDepth is how deeply arrays and objects may nest, the same limit as
// encoding/json's; it bounds the recursion of Skip and ReadValue.
const maxDepth = 10000

// Kind is the type of a JSON value, as told by its first character.
type Kind uint8

// Value kinds. Invalid stands for anything that cannot start a value,
// including the end of the input.
const (
	Invalid Kind = iota
	Object
	Array
	String
	Number
	Bool
	Null
)

// String returns the kind's name with its article, as used in messages:
// "an object", "a number", "null".
func (k Kind) String() string {
	switch k {
	case Object:
		return "an object"
	case Array:
		return "an array"
	case String:
		return "a string"
	case Number:
		return "a number"
	case Bool:
		return "a boolean"
	case Null:
		return "null"
	default:
		return "not a value"
	}
}

// kindOf maps the first byte of a value to its kind.
var kindOf = [256]Kind{
	'{': Object, '[': Array, '"': String, 't': Bool, 'f': Bool, 'n': Null,
	'-': Number, '0': Number, '1': Number, '2': Number, '3': Number,
	'4': Number, '5': Number, '6': Number, '7': Number, '8': Number, '9': Number,
}

// Scanner reads JSON values from a byte slice. The zero value scans an
// empty input; use [New] for anything else. Byte slices a Scanner returns
// point into its input or, for strings with escapes, into a buffer reused
// by the next call, so callers copy what they keep.
//
// A Scanner is a small value meant to live on the stack of the function
// that uses it; it is not safe for concurrent use.
type Scanner struct {
	data    []byte
	pos     int
	scratch []byte // decoded text of the last string with escapes
}

// New returns a scanner positioned at the start of data.
func New(data []byte) Scanner { return Scanner{data: data} }

// Data returns the scanner's input.
func (s *Scanner) Data() []byte { return s.data }

// Offset returns the position of the scanner in its input, in bytes.
func (s *Scanner) Offset() int { return s.pos }

// Seek moves the scanner to a byte offset, which must lie at the start of
// a value (whitespace before it is fine) or, to resume iterating an
// object or array, just after one of its values.
func (s *Scanner) Seek(offset int) { s.pos = min(max(offset, 0), len(s.data)) }

// Kind skips whitespace and reports the kind of the value that follows,
// without consuming it.
func (s *Scanner) Kind() Kind {
	s.skipSpace()
	if s.pos >= len(s.data) {
		return Invalid
	}
	return kindOf[s.data[s.pos]]
}

// End checks that nothing but whitespace follows.
func (s *Scanner) End() error {
	s.skipSpace()
	if s.pos < len(s.data) {
		return s.syntaxError("invalid character " + quoteChar(s.data[s.pos]) + " after top-level value")
	}
	return nil
}

// EnterObject consumes the '{' that opens an object; read its members
// with NextKey.
func (s *Scanner) EnterObject() error {
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == '{' {
		s.pos++
		return nil
	}
	return s.kindError(Object)
}

// NextKey reads the key of the next member of the object being iterated
// and the ':' after it, leaving the scanner at the member's value, which
// the caller must read or skip before calling NextKey again. At the end of
// the object it consumes the closing '}' and returns ok == false.
//
// The key is decoded and valid until the next call that reads a string.
func (s *Scanner) NextKey() (key []byte, ok bool, err error) {
	data, i := s.data, s.pos
	if i < len(data) && data[i] <= ' ' {
		i = skipSpace(data, i)
	}
	if i >= len(data) {
		s.pos = i
		return nil, false, s.unexpected("")
	}
	switch {
	case data[i] == '}':
		s.pos = i + 1
		return nil, false, nil
	case s.justOpened('{'): // the first key comes without a comma
	case data[i] == ',':
		if i++; i < len(data) && data[i] <= ' ' {
			i = skipSpace(data, i)
		}
	default:
		s.pos = i
		return nil, false, s.unexpected("after object key:value pair")
	}
	if i >= len(data) || data[i] != '"' {
		s.pos = i
		return nil, false, s.unexpected("looking for beginning of object key string")
	}
	if end := PlainEnd(data, i+1); end < len(data) && data[end] == '"' {
		key, i = data[i+1:end], end+1
	} else {
		s.pos = i
		if key, err = s.readString(); err != nil {
			return nil, false, err
		}
		i = s.pos
	}
	if i < len(data) && data[i] <= ' ' {
		i = skipSpace(data, i)
	}
	if i >= len(data) || data[i] != ':' {
		s.pos = i
		return nil, false, s.unexpected("after object key")
	}
	s.pos = i + 1
	return key, true, nil
}

// EnterArray consumes the '[' that opens an array; step through its
// elements with NextElement.
func (s *Scanner) EnterArray() error {
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == '[' {
		s.pos++
		return nil
	}
	return s.kindError(Array)
}

// NextElement moves to the next element of the array being iterated and
// reports whether there is one; the caller must read or skip it before
// calling NextElement again. At the end of the array it consumes the
// closing ']' and returns false.
func (s *Scanner) NextElement() (bool, error) {
	s.skipSpace()
	if s.pos >= len(s.data) {
		return false, s.unexpected("")
	}
	c := s.data[s.pos]
	if s.justOpened('[') {
		if c == ']' {
			s.pos++
			return false, nil
		}
		return true, nil
	}
	switch c {
	case ',':
		s.pos++
		s.skipSpace()
		return true, nil
	case ']':
		s.pos++
		return false, nil
	default:
		return false, s.unexpected("after array element")
	}
}

// justOpened reports whether the last non-space byte before the scanner is
// the bracket open, that is, whether the object or array being iterated
// has had no member yet. No value ends with '{' or '[', so looking back is
// all the state iteration needs.
func (s *Scanner) justOpened(open byte) bool {
	i := s.pos - 1
	for i >= 0 && isSpace(s.data[i]) {
		i--
	}
	return i >= 0 && s.data[i] == open
}

// ReadString reads a string and returns its decoded text: a sub-slice of
// the input when it has no escapes, otherwise a buffer that is valid until
// the next call that reads a string. Invalid UTF-8 is passed through; an
// escaped lone surrogate becomes U+FFFD.
func (s *Scanner) ReadString() ([]byte, error) {
	s.skipSpace()
	if s.pos >= len(s.data) || s.data[s.pos] != '"' {
		return nil, s.kindError(String)
	}
	return s.readString()
}

// readString reads the string that starts at the scanner's '"'.
func (s *Scanner) readString() ([]byte, error) {
	start := s.pos + 1
	i := PlainEnd(s.data, start)
	if i < len(s.data) && s.data[i] == '"' {
		s.pos = i + 1
		return s.data[start:i], nil
	}
	return s.readEscapedString(start, i)
}

// PlainEnd returns the offset of the first byte at or after i that ends
// the plain run of a string: the closing quote, a backslash or one of the
// control characters JSON forbids; or len(data). It looks at eight bytes
// at a time.
func PlainEnd(data []byte, i int) int {
	for ; i+8 <= len(data); i += 8 {
		if m := specialBytes(binary.LittleEndian.Uint64(data[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for i < len(data) && data[i] != '"' && data[i] != '\\' && data[i] >= 0x20 {
		i++
	}
	return i
}

// specialBytes returns a mask that has the high bit of the first byte of
// word (in input order) that is a quote, a backslash or below 0x20 set,
// no bit of the bytes before it, and bits of the later ones at random:
// each test can borrow from the byte after a byte it flags.
func specialBytes(word uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote := word ^ (ones * '"')
	backslash := word ^ (ones * '\\')
	return ((quote-ones)&^quote | (backslash-ones)&^backslash | (word-ones*0x20)&^word) & highs
}

// readEscapedString decodes the rest of a string whose text starts at
// start and whose first special byte is at i.
func (s *Scanner) readEscapedString(start, i int) ([]byte, error) {
	buf := append(s.scratch[:0], s.data[start:i]...)
	for {
		end := PlainEnd(s.data, i)
		buf = append(buf, s.data[i:end]...)
		i = end
		if i >= len(s.data) {
			s.pos = i
			return nil, s.unexpected("")
		}
		switch c := s.data[i]; c {
		case '"':
			s.pos = i + 1
			s.scratch = buf
			return buf, nil
		case '\\':
			r, n, err := s.unescape(i)
			if err != nil {
				return nil, err
			}
			buf = utf8.AppendRune(buf, r)
			i += n
		default:
			s.pos = i
			return nil, s.syntaxError("invalid character " + quoteChar(c) + " in string literal")
		}
	}
}

// unescape decodes the escape sequence at data[i] (a backslash) and
// returns the rune and the sequence's length, joining a surrogate pair
// into one rune.
func (s *Scanner) unescape(i int) (rune, int, error) {
	if i+1 >= len(s.data) {
		s.pos = len(s.data)
		return 0, 0, s.unexpected("")
	}
	switch c := s.data[i+1]; c {
	case '"', '\\', '/':
		return rune(c), 2, nil
	case 'b':
		return '\b', 2, nil
	case 'f':
		return '\f', 2, nil
	case 'n':
		return '\n', 2, nil
	case 'r':
		return '\r', 2, nil
	case 't':
		return '\t', 2, nil
	case 'u':
		r, err := s.hex4(i + 2)
		if err != nil {
			return 0, 0, err
		}
		if r < 0xD800 || r > 0xDFFF {
			return r, 6, nil
		}
		if r <= 0xDBFF && i+7 < len(s.data) && s.data[i+6] == '\\' && s.data[i+7] == 'u' {
			lo, err := s.hex4(i + 8)
			if err != nil {
				return 0, 0, err
			}
			if lo >= 0xDC00 && lo <= 0xDFFF {
				return 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00), 12, nil
			}
		}
		return utf8.RuneError, 6, nil
	default:
		s.pos = i + 1
		return 0, 0, s.syntaxError("invalid character " + quoteChar(c) + " in string escape code")
	}
}

// hex4 decodes the four hex digits of a \u escape at data[i:i+4].
func (s *Scanner) hex4(i int) (rune, error) {
	var r rune
	for j := i; j < i+4; j++ {
		if j >= len(s.data) {
			s.pos = j
			return 0, s.unexpected("")
		}
		c := s.data[j]
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			s.pos = j
			return 0, s.syntaxError("invalid character " + quoteChar(c) + " in \\u hexadecimal character escape")
		}
	}
	return r, nil
}

// ReadNumber reads a number.
func (s *Scanner) ReadNumber() (float64, error) {
	s.skipSpace()
	if s.pos >= len(s.data) || kindOf[s.data[s.pos]] != Number {
		return 0, s.kindError(Number)
	}
	return s.readNumber()
}

// readNumber reads the number that starts at the scanner.
func (s *Scanner) readNumber() (float64, error) {
	f, n, msg := parseNumber(s.data[s.pos:])
	if msg != "" {
		s.pos += n
		return 0, s.syntaxError(msg)
	}
	s.pos += n
	return f, nil
}

// ReadFloats reads an array of numbers, stores the first len(dst) of them
// in dst and returns how many the array holds.
func (s *Scanner) ReadFloats(dst []float64) (int, error) {
	if len(dst) >= 2 && s.readPair(dst) {
		return 2, nil
	}
	if err := s.EnterArray(); err != nil {
		return 0, err
	}
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		return 0, nil
	}
	n := 0
	for {
		s.skipSpace()
		if s.pos >= len(s.data) || kindOf[s.data[s.pos]] != Number {
			return n, s.kindError(Number)
		}
		f, err := s.readNumber()
		if err != nil {
			return n, err
		}
		if n < len(dst) {
			dst[n] = f
		}
		n++
		if closed, err := s.afterElement(']', "after array element"); closed || err != nil {
			return n, err
		}
	}
}

// readPair reads the commonest array of numbers in GeoJSON, a compact
// "[x,y]" of short numbers, into dst and reports whether it found one
// there; if not, it has not moved.
func (s *Scanner) readPair(dst []float64) bool {
	x, y, n, ok := parsePair(s.data[s.pos:])
	if ok {
		dst[0], dst[1] = x, y
		s.pos += n
	}
	return ok
}

// parsePair parses the compact array of two or more short numbers at the
// start of b, such as "[76.592997,49.551871]" or "[76.5,49.5,812.25]",
// and returns the first two and the array's length. See
// parseShortNumber for what a short number is.
func parsePair(b []byte) (x, y float64, n int, ok bool) {
	if len(b) == 0 || b[0] != '[' {
		return 0, 0, 0, false
	}
	x, n, ok = parseShortNumber(b[1:])
	i := 1 + n
	if !ok || b[i] != ',' {
		return 0, 0, 0, false
	}
	y, n, ok = parseShortNumber(b[i+1:])
	i += 1 + n
	for ok && b[i] == ',' {
		_, n, ok = parseShortNumber(b[i+1:])
		i += 1 + n
	}
	if !ok || b[i] != ']' {
		return 0, 0, 0, false
	}
	return x, y, i + 1, true
}

// AppendPairs is the fast path through an array of positions. In the
// array being iterated (see [Scanner.NextElement]), it reads elements for
// as long as they are compact arrays of two or more short numbers, such
// as "[76.592997,49.551871]", and appends the first two numbers of each
// to dst. It stops in front of an element of any other form, which the
// caller reads with NextElement and [Scanner.ReadFloats] before calling
// AppendPairs again, or after the array's closing ']', reporting whether
// it got there. A short number has at most seven digits before the point
// and eight in all, and no exponent.
func AppendPairs[P ~[2]float64](s *Scanner, dst []P) (_ []P, ended bool) {
	data, pos := s.data, s.pos
	defer func() { s.pos = pos }()
	for first := s.justOpened('['); ; first = false {
		i := pos
		if i >= len(data) || data[i] <= ' ' {
			if i = skipSpace(data, i); i >= len(data) {
				return dst, false
			}
		}
		if data[i] == ']' {
			pos = i + 1
			return dst, true
		}
		if !first {
			if data[i] != ',' {
				return dst, false
			}
			if i++; i >= len(data) || data[i] <= ' ' {
				i = skipSpace(data, i)
			}
		}
		x, y, n, ok := parsePair(data[i:])
		if !ok {
			return dst, false
		}
		dst = append(dst, P{x, y})
		pos = i + n
	}
}

// Skip reads past the next value, validating it.
func (s *Scanner) Skip() error { return s.skip(0) }

// Raw reads past the next value, validating it, and returns its text.
func (s *Scanner) Raw() ([]byte, error) {
	s.skipSpace()
	start := s.pos
	if err := s.skip(0); err != nil {
		return nil, err
	}
	return s.data[start:s.pos], nil
}

// skip reads past a value nested depth levels deep.
func (s *Scanner) skip(depth int) error {
	s.skipSpace()
	if s.pos >= len(s.data) {
		return s.unexpected("")
	}
	switch c := s.data[s.pos]; c {
	case '{':
		return s.skipObject(depth + 1)
	case '[':
		return s.skipArray(depth + 1)
	case '"':
		return s.skipString()
	case 't':
		return s.literal("true")
	case 'f':
		return s.literal("false")
	case 'n':
		return s.literal("null")
	default:
		if kindOf[c] != Number {
			return s.unexpected("looking for beginning of value")
		}
		if _, n, ok := parseShortNumber(s.data[s.pos:]); ok {
			s.pos += n
			return nil
		}
		n, _, msg := scanNumber(s.data[s.pos:])
		s.pos += n
		if msg != "" {
			return s.syntaxError(msg)
		}
		return nil
	}
}

// skipObject reads past the object that starts at the scanner.
func (s *Scanner) skipObject(depth int) error {
	if depth > maxDepth {
		return s.syntaxError("exceeded max depth")
	}
	s.pos++ // '{'
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == '}' {
		s.pos++
		return nil
	}
	for {
		s.skipSpace()
		if s.pos >= len(s.data) || s.data[s.pos] != '"' {
			return s.unexpected("looking for beginning of object key string")
		}
		if err := s.skipString(); err != nil {
			return err
		}
		s.skipSpace()
		if s.pos >= len(s.data) || s.data[s.pos] != ':' {
			return s.unexpected("after object key")
		}
		s.pos++
		if err := s.skip(depth); err != nil {
			return err
		}
		if closed, err := s.afterElement('}', "after object key:value pair"); closed || err != nil {
			return err
		}
	}
}

// skipArray reads past the array that starts at the scanner.
func (s *Scanner) skipArray(depth int) error {
	if depth > maxDepth {
		return s.syntaxError("exceeded max depth")
	}
	s.pos++ // '['
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		return nil
	}
	for {
		if err := s.skip(depth); err != nil {
			return err
		}
		if closed, err := s.afterElement(']', "after array element"); closed || err != nil {
			return err
		}
	}
}

// afterElement reads the comma or the closing bracket that follows an
// array element or an object member and reports whether it closed the
// container; what names the place for the error message.
func (s *Scanner) afterElement(closer byte, what string) (closed bool, err error) {
	s.skipSpace()
	if s.pos >= len(s.data) {
		return false, s.unexpected("")
	}
	switch s.data[s.pos] {
	case ',':
		s.pos++
		return false, nil
	case closer:
		s.pos++
		return true, nil
	}
	return false, s.unexpected(what)
}

// skipString reads past the string that starts at the scanner, checking
// its escapes without decoding them.
func (s *Scanner) skipString() error {
	i := s.pos + 1
	for {
		i = PlainEnd(s.data, i)
		if i >= len(s.data) {
			s.pos = i
			return s.unexpected("")
		}
		switch c := s.data[i]; c {
		case '"':
			s.pos = i + 1
			return nil
		case '\\':
			_, n, err := s.unescape(i)
			if err != nil {
				return err
			}
			i += n
		default:
			s.pos = i
			return s.syntaxError("invalid character " + quoteChar(c) + " in string literal")
		}
	}
}

// literal reads past true, false or null.
func (s *Scanner) literal(word string) error {
	for i := range len(word) {
		if s.pos >= len(s.data) {
			return s.unexpected("")
		}
		if s.data[s.pos] != word[i] {
			return s.unexpected("in literal " + word + " (expecting " + quoteChar(word[i]) + ")")
		}
		s.pos++
	}
	return nil
}

// ReadValue reads the next value as encoding/json would decode it into an
// interface: float64, string, bool, nil, []any or map[string]any. Where an
// object has a key twice, the first value is kept.
func (s *Scanner) ReadValue() (any, error) { return s.readValue(0) }

// readValue reads a value nested depth levels deep.
func (s *Scanner) readValue(depth int) (any, error) {
	switch s.Kind() {
	case Object:
		if depth >= maxDepth {
			return nil, s.syntaxError("exceeded max depth")
		}
		s.pos++
		m := map[string]any{}
		for {
			key, ok, err := s.NextKey()
			if err != nil {
				return nil, err
			}
			if !ok {
				return m, nil
			}
			k := string(key)
			v, err := s.readValue(depth + 1)
			if err != nil {
				return nil, err
			}
			if _, dup := m[k]; !dup {
				m[k] = v
			}
		}
	case Array:
		if depth >= maxDepth {
			return nil, s.syntaxError("exceeded max depth")
		}
		s.pos++
		a := []any{}
		for {
			more, err := s.NextElement()
			if err != nil {
				return nil, err
			}
			if !more {
				return a, nil
			}
			v, err := s.readValue(depth + 1)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
	case String:
		b, err := s.readString()
		return string(b), err
	case Number:
		return s.readNumber()
	case Bool:
		if s.data[s.pos] == 't' {
			return true, s.literal("true")
		}
		return false, s.literal("false")
	case Null:
		return nil, s.literal("null")
	default:
		return nil, s.unexpected("looking for beginning of value")
	}
}

// skipSpace moves past whitespace.
func (s *Scanner) skipSpace() {
	if s.pos < len(s.data) && s.data[s.pos] > ' ' {
		return
	}
	s.pos = skipSpace(s.data, s.pos)
}

// skipSpace returns the offset of the first byte at or after i that is
// not whitespace, or len(data).
func skipSpace(data []byte, i int) int {
	for i < len(data) && isSpace(data[i]) {
		i++
	}
	return i
}

// isSpace reports whether c is JSON whitespace.
func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// quoteChar formats a byte for a message the way encoding/json does.
func quoteChar(c byte) string {
	switch c {
	case '\'':
		return `'\''`
	case '"':
		return `'"'`
	}
	q := strconv.Quote(string(rune(c)))
	return "'" + q[1:len(q)-1] + "'"
}
