package jsonscan

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// unexpectedEnd is the message for input that stops inside a value.
const unexpectedEnd = "unexpected end of JSON input"

// SyntaxError is malformed JSON. Msg reads like encoding/json's messages;
// Offset is where in the input the fault was found (see [LineColumn]).
type SyntaxError struct {
	Offset int
	Msg    string
}

// Error returns the message with its offset.
func (e *SyntaxError) Error() string {
	return "jsonscan: offset " + strconv.Itoa(e.Offset) + ": " + e.Msg
}

// KindError is a well-formed value of another kind than the one the
// caller asked to read, found at Offset.
type KindError struct {
	Offset int
	Want   Kind
	Found  Kind
}

// Error names the two kinds.
func (e *KindError) Error() string {
	return "jsonscan: offset " + strconv.Itoa(e.Offset) + ": want " + e.Want.String() + ", found " + e.Found.String()
}

// syntaxError returns a syntax error at the scanner's position.
func (s *Scanner) syntaxError(msg string) error {
	return &SyntaxError{Offset: s.pos, Msg: msg}
}

// Unexpected returns the syntax error for the byte at the scanner, or for
// the end of its input, met while reading what context names ("after
// array element").
func (s *Scanner) Unexpected(context string) error { return s.unexpected(context) }

// unexpected returns the syntax error for the byte at the scanner, or for
// the end of the input; context says what was being read ("after array
// element").
func (s *Scanner) unexpected(context string) error {
	if s.pos >= len(s.data) {
		return s.syntaxError(unexpectedEnd)
	}
	if context == "" {
		context = "looking for beginning of value"
	}
	return s.syntaxError("invalid character " + quoteChar(s.data[s.pos]) + " " + context)
}

// kindError reports that the value at the scanner is not of kind want, or
// a syntax error if there is no value there.
func (s *Scanner) kindError(want Kind) error {
	found := s.Kind()
	if found == Invalid {
		return s.unexpected("")
	}
	return &KindError{Offset: s.pos, Want: want, Found: found}
}

// LineColumn returns the 1-based line and column of a byte offset in
// data, counting columns in characters. It scans data up to the offset,
// so it is meant for error messages, not for every value.
func LineColumn(data []byte, offset int) (line, column int) {
	offset = min(max(offset, 0), len(data))
	before := data[:offset]
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return bytes.Count(before, []byte{'\n'}) + 1, utf8.RuneCount(before[lineStart:]) + 1
}
