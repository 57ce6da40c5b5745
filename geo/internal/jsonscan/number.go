package jsonscan

import (
	"encoding/binary"
	"math/bits"
	"strconv"
)

// pow10 holds the powers of ten that a float64 represents exactly.
var pow10 = [...]float64{
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
}

// maxExactMantissa is the largest integer below which every integer is a
// float64.
const maxExactMantissa = 1 << 53

// parseNumber parses the JSON number at the start of b and returns its
// value, its length and, if it is malformed or out of range, a message.
//
// Numbers whose digits fit in 2^53 and whose decimal exponent is within
// ±22 (every coordinate with up to 15 significant digits) are converted
// with a single multiplication or division of two exactly represented
// floats, which IEEE 754 rounds correctly, so the result is the one
// strconv.ParseFloat gives. The rest go to strconv.ParseFloat. The most
// common shape, a plain decimal of a few digits, has a faster path still.
func parseNumber(b []byte) (float64, int, string) {
	if f, n, ok := parseShortNumber(b); ok {
		return f, n, ""
	}
	n, exact, msg := scanNumber(b)
	if msg != "" {
		return 0, n, msg
	}
	if exact.ok && exact.mantissa < maxExactMantissa && exact.exp10 >= -22 && exact.exp10 <= 22 {
		f := float64(exact.mantissa)
		if exact.exp10 < 0 {
			f /= pow10[-exact.exp10]
		} else {
			f *= pow10[exact.exp10]
		}
		if exact.negative {
			f = -f
		}
		return f, n, ""
	}
	f, err := strconv.ParseFloat(string(b[:n]), 64)
	if err != nil {
		return 0, 0, "number " + string(b[:n]) + " is out of range" // located at its start
	}
	return f, n, ""
}

// decimal is a number as ±mantissa × 10^exp10; ok is false when it has
// more digits than the mantissa holds.
type decimal struct {
	mantissa uint64
	exp10    int
	negative bool
	ok       bool
}

// maxMantissaDigits is how many digits a uint64 mantissa can hold.
const maxMantissaDigits = 19

// scanNumber validates the JSON number at the start of b and returns its
// length, its value as a decimal and, if it is malformed, a message.
func scanNumber(b []byte) (int, decimal, string) {
	d := decimal{ok: true}
	i := 0
	if i < len(b) && b[i] == '-' {
		d.negative = true
		i++
	}
	digits := 0
	switch {
	case i >= len(b):
		return i, d, unexpectedEnd
	case b[i] == '0':
		i++
	case '1' <= b[i] && b[i] <= '9':
		for ; i < len(b) && isDigit(b[i]); i++ {
			if digits == maxMantissaDigits {
				d.ok = false
				continue
			}
			d.mantissa = d.mantissa*10 + uint64(b[i]-'0')
			digits++
		}
	default:
		return i, d, "invalid character " + quoteChar(b[i]) + " in numeric literal"
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) {
			return i, d, unexpectedEnd
		}
		if !isDigit(b[i]) {
			return i, d, "invalid character " + quoteChar(b[i]) + " after decimal point in numeric literal"
		}
		for ; i < len(b) && isDigit(b[i]); i++ {
			if digits == maxMantissaDigits {
				d.ok = false
				continue
			}
			d.mantissa = d.mantissa*10 + uint64(b[i]-'0')
			digits++
			d.exp10--
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		negativeExp := false
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			negativeExp = b[i] == '-'
			i++
		}
		if i >= len(b) {
			return i, d, unexpectedEnd
		}
		if !isDigit(b[i]) {
			return i, d, "invalid character " + quoteChar(b[i]) + " in exponent of numeric literal"
		}
		exp := 0
		for ; i < len(b) && isDigit(b[i]); i++ {
			if exp < 100000 {
				exp = exp*10 + int(b[i]-'0')
			}
		}
		if negativeExp {
			exp = -exp
		}
		d.exp10 += exp
	}
	if d.ok && d.mantissa == 0 {
		d.exp10 = 0 // zero is exact whatever its exponent
	}
	return i, d, ""
}

// isDigit reports whether c is an ASCII digit.
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// parseShortNumber parses a number of the commonest shape in GeoJSON
// quickly: an optional minus, an integer part of one to seven digits
// without a superfluous leading zero, and optionally a point and decimals,
// eight digits at most in all, followed by something other than a digit,
// a point or an exponent: "76.592997" or "-5.25" or "1204". It needs 16
// bytes of input; for any other number, or less input, it returns
// ok == false and leaves the number to the full parser.
//
// It reads the eight bytes after the sign as one word, whose leading
// digits are the integer part. If a point follows them, it squeezes the
// point out, shifting the bytes after it into the word, so that the word
// holds all the digits, and converts them eight at a time. A short
// number's mantissa is below 10^8, so the division is correctly rounded.
func parseShortNumber(b []byte) (f float64, n int, ok bool) {
	if len(b) < 16 { // it reads at most 11 bytes
		return 0, 0, false
	}
	i := 0
	if b[0] == '-' {
		i = 1
	}
	word := binary.LittleEndian.Uint64(b[i:])
	whole := firstNonDigit(word)
	if uint(whole-1) >= 7 || whole > 1 && b[i] == '0' { // 1 to 7 digits
		return 0, 0, false
	}
	digits, decimals, point := whole, 0, 0
	if b[i+whole] == '.' {
		before := uint64(1)<<(8*whole&63) - 1
		after := binary.LittleEndian.Uint64(b[i+1:]) // byte k is the one after byte k of word
		word = word&before | after&^before
		digits = firstNonDigit(word)
		decimals, point = digits-whole, 1
		if decimals == 0 {
			return 0, 0, false
		}
	}
	n = i + point + digits
	if continuesNumber[b[n]] {
		return 0, 0, false
	}
	f = float64(digitsValue(word, digits)) / pow10[decimals]
	if i == 1 {
		f = -f
	}
	return f, n, true
}

// continuesNumber marks the bytes that can follow digits in a number.
var continuesNumber = [256]bool{
	'0': true, '1': true, '2': true, '3': true, '4': true, '5': true, '6': true, '7': true, '8': true, '9': true,
	'.': true, 'e': true, 'E': true,
}

// firstNonDigit returns the index of the first of the eight bytes of
// word, in input order (little-endian), that is not an ASCII digit, or 8.
// A byte below '0' borrows from the bytes after it, but only the bytes up
// to the first non-digit need to come out right.
func firstNonDigit(word uint64) int {
	const ones = 0x0101010101010101
	t := word - ones*'0'
	nonDigits := (t | (t + ones*(128-10))) & (ones * 0x80)
	return bits.TrailingZeros64(nonDigits) >> 3
}

// digitsValue returns the value of the first k (1 to 8) bytes of word,
// which are ASCII digits, combining them pairwise in three steps.
func digitsValue(word uint64, k int) uint64 {
	v := word << ((64 - 8*k) & 63) // the k digits last, zero bytes before them
	v = (v & 0x0F0F0F0F0F0F0F0F) * (10<<8 + 1) >> 8
	v = (v & 0x00FF00FF00FF00FF) * (100<<16 + 1) >> 16
	return (v & 0x0000FFFF0000FFFF) * (10000<<32 + 1) >> 32
}
