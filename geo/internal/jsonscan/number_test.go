package jsonscan

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestShortNumber_agreesWithFullParser feeds the fast path random strings
// of the characters numbers are made of, and checks that whatever it
// accepts, the full parser accepts with the same length and strconv
// parses to the same float64.
func TestShortNumber_agreesWithFullParser(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const alphabet = "0123456789012345678901234567890123456789..--/eE,] "
	accepted := 0
	for range 1_000_000 {
		b := make([]byte, 24+r.IntN(8))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		if r.IntN(2) == 0 { // make plausible numbers common
			text := strconv.FormatFloat((r.Float64()*2-1)*math.Pow(10, float64(r.IntN(9))), 'f', r.IntN(9), 64)
			copy(b, text)
		}
		f, n, ok := parseShortNumber(b)
		if !ok {
			continue
		}
		accepted++
		fullN, _, msg := scanNumber(b)
		if msg != "" || fullN != n {
			t.Fatalf("%q: fast path read %d bytes, full parser %d (%s)", b, n, fullN, msg)
		}
		want, err := strconv.ParseFloat(string(b[:n]), 64)
		if err != nil || math.Float64bits(f) != math.Float64bits(want) {
			t.Fatalf("%q: fast path %v, strconv %v (%v)", b[:n], f, want, err)
		}
	}
	if accepted < 100_000 {
		t.Errorf("the fast path took only %d inputs", accepted)
	}
}

func TestShortNumber_rejects(t *testing.T) {
	for _, text := range []string{
		"12345678", "1.12345678", "12.3456789", "01", "-", "1.", "1.2.3", "1e5", "1.5E2", "-.5", ".5", "1..2", "--1", "123456789.5",
	} {
		b := append([]byte(text), ",                       "...)
		if _, _, ok := parseShortNumber(b); ok {
			t.Errorf("%q: the fast path accepted it", text)
		}
	}
}
