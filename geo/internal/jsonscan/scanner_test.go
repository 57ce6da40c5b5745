package jsonscan_test

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ecoatlas/ecoatlas/geo/internal/jsonscan"
)

func readNumber(t *testing.T, text string) float64 {
	t.Helper()
	s := jsonscan.New([]byte(text))
	f, err := s.ReadNumber()
	if err != nil {
		t.Fatalf("ReadNumber(%q): %v", text, err)
	}
	if s.Offset() != len(text) {
		t.Fatalf("ReadNumber(%q) stopped at %d, want %d", text, s.Offset(), len(text))
	}
	return f
}

func sameFloat(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }

func TestReadNumber_matchesParseFloatOnCoordinates(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		v := (r.Float64()*2 - 1) * 180
		text := strconv.FormatFloat(v, 'f', 1+r.IntN(8), 64)
		want, _ := strconv.ParseFloat(text, 64)
		if got := readNumber(t, text); !sameFloat(got, want) {
			t.Fatalf("%s: got %v, want %v", text, got, want)
		}
	}
}

func TestReadNumber_matchesParseFloatOnAnyNumber(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 200_000 {
		var b strings.Builder
		if r.IntN(2) == 0 {
			b.WriteByte('-')
		}
		intDigits := r.IntN(22)
		if intDigits == 0 {
			b.WriteByte('0')
		} else {
			b.WriteByte(byte('1' + r.IntN(9)))
			for range intDigits - 1 {
				b.WriteByte(byte('0' + r.IntN(10)))
			}
		}
		if r.IntN(3) > 0 {
			b.WriteByte('.')
			for range 1 + r.IntN(22) {
				b.WriteByte(byte('0' + r.IntN(10)))
			}
		}
		if r.IntN(3) == 0 {
			b.WriteString([]string{"e", "E", "e+", "e-", "E-"}[r.IntN(5)])
			b.WriteString(strconv.Itoa(r.IntN(330)))
		}
		text := b.String()
		want, err := strconv.ParseFloat(text, 64)
		if err != nil {
			continue // out of range: covered by TestReadNumber_errors
		}
		if got := readNumber(t, text); !sameFloat(got, want) {
			t.Fatalf("%s: got %v, want %v", text, got, want)
		}
	}
}

func TestReadNumber_edgeCases(t *testing.T) {
	for _, text := range []string{
		"0", "-0", "0.0", "-0.0", "0e999", "1e22", "1e23", "9007199254740992", "9007199254740993",
		"1234567890123456789012", "0.1", "0.30000000000000004", "5e-324", "1e-400",
		"1.7976931348623157e308", "123456789012345678901234567890e-10", "0.000000000000000000000000001",
		"22250738585072011e-324", "4.9406564584124654e-324",
	} {
		want, _ := strconv.ParseFloat(text, 64)
		if got := readNumber(t, text); !sameFloat(got, want) {
			t.Errorf("%s: got %v (%x), want %v (%x)", text, got, math.Float64bits(got), want, math.Float64bits(want))
		}
	}
}

func TestReadNumber_errors(t *testing.T) {
	tests := map[string]struct {
		text   string
		offset int
		msg    string
	}{
		"leading zero":      {"01", 1, ""}, // "0" is a number; the "1" is left for the caller
		"bare minus":        {"-", 1, "unexpected end of JSON input"},
		"minus letter":      {"-a", 1, "invalid character 'a' in numeric literal"},
		"empty fraction":    {"1.", 2, "unexpected end of JSON input"},
		"fraction letter":   {"1.x", 2, "invalid character 'x' after decimal point in numeric literal"},
		"empty exponent":    {"1e", 2, "unexpected end of JSON input"},
		"exponent letter":   {"1e+x", 3, "invalid character 'x' in exponent of numeric literal"},
		"overflow":          {"1e400", 0, "number 1e400 is out of range"},
		"negative overflow": {"-2e308", 0, "number -2e308 is out of range"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s := jsonscan.New([]byte(tt.text))
			_, err := s.ReadNumber()
			if tt.msg == "" {
				if err != nil || s.Offset() != tt.offset {
					t.Fatalf("err = %v, offset %d; want nil at %d", err, s.Offset(), tt.offset)
				}
				return
			}
			var se *jsonscan.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a *SyntaxError", err)
			}
			if se.Msg != tt.msg || se.Offset != tt.offset {
				t.Errorf("got %q at %d, want %q at %d", se.Msg, se.Offset, tt.msg, tt.offset)
			}
		})
	}
}

func TestReadNumber_kindError(t *testing.T) {
	s := jsonscan.New([]byte(`  "12"`))
	_, err := s.ReadNumber()
	var ke *jsonscan.KindError
	if !errors.As(err, &ke) || ke.Want != jsonscan.Number || ke.Found != jsonscan.String || ke.Offset != 2 {
		t.Fatalf("err = %#v, want KindError{Offset: 2, Want: Number, Found: String}", err)
	}
	if got, want := err.Error(), "jsonscan: offset 2: want a number, found a string"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestReadNumber_doesNotAllocate(t *testing.T) {
	data := []byte(`-76.592997`)
	allocs := testing.AllocsPerRun(100, func() {
		s := jsonscan.New(data)
		if _, err := s.ReadNumber(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("ReadNumber allocates %v times, want 0", allocs)
	}
}

func TestReadString(t *testing.T) {
	tests := map[string]struct {
		text, want string
	}{
		"plain":            {`"abc"`, "abc"},
		"empty":            {`""`, ""},
		"utf-8":            {`"Арал"`, "Арал"},
		"simple escapes":   {`"a\"b\\c\/d\be\ff\ng\rh\ti"`, "a\"b\\c/d\be\ff\ng\rh\ti"},
		"unicode escape":   {`"\u0041\u00e9\u0410"`, "AéА"},
		"surrogate pair":   {`"\ud83d\ude00!"`, "😀!"},
		"lone high":        {`"\ud83dx"`, "\uFFFDx"},
		"lone low":         {`"\ude00"`, "\uFFFD"},
		"high then escape": {`"\ud83d\n"`, "\uFFFD\n"},
		"two highs":        {`"\ud83d\ud83d\ude00"`, "\uFFFD😀"},
		"escape at end":    {`"abc\u0041"`, "abcA"},
		"invalid utf-8":    {"\"a\xffb\"", "a\xffb"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s := jsonscan.New([]byte(tt.text))
			got, err := s.ReadString()
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if s.Offset() != len(tt.text) {
				t.Errorf("stopped at %d, want %d", s.Offset(), len(tt.text))
			}
		})
	}
}

func TestReadString_unescapedIsSubslice(t *testing.T) {
	data := []byte(`{"name":"Aral"}`)
	allocs := testing.AllocsPerRun(100, func() {
		s := jsonscan.New(data)
		_ = s.EnterObject()
		key, _, _ := s.NextKey()
		v, err := s.ReadString()
		if err != nil || string(key) != "name" || string(v) != "Aral" {
			t.Fatalf("got %q: %q, %v", key, v, err)
		}
		if &v[0] != &data[9] {
			t.Fatal("the value is not a sub-slice of the input")
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations, want 0", allocs)
	}
}

func TestReadString_errors(t *testing.T) {
	tests := map[string]struct {
		text   string
		offset int
		msg    string
	}{
		"unterminated":      {`"abc`, 4, "unexpected end of JSON input"},
		"newline":           {"\"a\nb\"", 2, `invalid character '\n' in string literal`},
		"bad escape":        {`"a\x"`, 3, `invalid character 'x' in string escape code`},
		"short hex":         {`"\u12"`, 5, `invalid character '"' in \u hexadecimal character escape`},
		"bad hex":           {`"\u12g4"`, 5, `invalid character 'g' in \u hexadecimal character escape`},
		"escape at the end": {`"\`, 2, "unexpected end of JSON input"},
		"bad low surrogate": {`"\ud83d\uzz"`, 9, `invalid character 'z' in \u hexadecimal character escape`},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			for _, read := range []func(*jsonscan.Scanner) error{
				func(s *jsonscan.Scanner) error { _, err := s.ReadString(); return err },
				func(s *jsonscan.Scanner) error { return s.Skip() },
			} {
				s := jsonscan.New([]byte(tt.text))
				var se *jsonscan.SyntaxError
				if err := read(&s); !errors.As(err, &se) {
					t.Fatalf("err = %v, want a *SyntaxError", err)
				}
				if se.Msg != tt.msg || se.Offset != tt.offset {
					t.Errorf("got %q at %d, want %q at %d", se.Msg, se.Offset, tt.msg, tt.offset)
				}
			}
		})
	}
}

// members collects an object's keys and raw values through NextKey.
func members(t *testing.T, text string) ([]string, error) {
	t.Helper()
	s := jsonscan.New([]byte(text))
	if err := s.EnterObject(); err != nil {
		return nil, err
	}
	var got []string
	for {
		key, ok, err := s.NextKey()
		if err != nil {
			return got, err
		}
		if !ok {
			return got, s.End()
		}
		raw, err := s.Raw()
		if err != nil {
			return got, err
		}
		got = append(got, string(key)+"="+string(raw))
	}
}

func TestNextKey(t *testing.T) {
	tests := map[string]struct {
		text string
		want []string
		msg  string
	}{
		"empty":             {`{}`, nil, ""},
		"spaced empty":      {" {\n } ", nil, ""},
		"members":           {`{"a":1,"b":[true,null],"c":{"d":"e"}}`, []string{"a=1", `b=[true,null]`, `c={"d":"e"}`}, ""},
		"spaced members":    {"{ \"a\" :\t1 ,\r\n \"b\" : \"x\" }", []string{"a=1", `b="x"`}, ""},
		"escaped key":       {`{"\u0074ype":0}`, []string{"type=0"}, ""},
		"trailing comma":    {`{"a":1,}`, []string{"a=1"}, "invalid character '}' looking for beginning of object key string"},
		"missing comma":     {`{"a":1 "b":2}`, []string{"a=1"}, `invalid character '"' after object key:value pair`},
		"missing colon":     {`{"a" 1}`, nil, "invalid character '1' after object key"},
		"unquoted key":      {`{a:1}`, nil, "invalid character 'a' looking for beginning of object key string"},
		"leading comma":     {`{,"a":1}`, nil, "invalid character ',' looking for beginning of object key string"},
		"unterminated":      {`{"a":1`, []string{"a=1"}, "unexpected end of JSON input"},
		"missing value":     {`{"a":}`, nil, "invalid character '}' looking for beginning of value"},
		"trailing text":     {`{} x`, nil, "invalid character 'x' after top-level value"},
		"bad literal value": {`{"a":nul}`, nil, "invalid character '}' in literal null (expecting 'l')"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := members(t, tt.text)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("members = %q, want %q", got, tt.want)
			}
			if tt.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var se *jsonscan.SyntaxError
			if !errors.As(err, &se) || se.Msg != tt.msg {
				t.Errorf("err = %v, want %q", err, tt.msg)
			}
		})
	}
}

func TestNextElement(t *testing.T) {
	tests := map[string]struct {
		text string
		want int
		msg  string
	}{
		"empty":          {`[]`, 0, ""},
		"spaced empty":   {"[ \n ]", 0, ""},
		"three":          {`[1, "a" ,{}]`, 3, ""},
		"nested":         {`[[],[[]]]`, 2, ""},
		"trailing comma": {`[1,]`, 1, "invalid character ']' looking for beginning of value"},
		"missing comma":  {`[1 2]`, 1, "invalid character '2' after array element"},
		"leading comma":  {`[,1]`, 0, "invalid character ',' looking for beginning of value"},
		"unterminated":   {`[1`, 1, "unexpected end of JSON input"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s := jsonscan.New([]byte(tt.text))
			if err := s.EnterArray(); err != nil {
				t.Fatal(err)
			}
			n := 0
			var err error
			for {
				var more bool
				if more, err = s.NextElement(); err != nil || !more {
					break
				}
				if err = s.Skip(); err != nil {
					break
				}
				n++
			}
			if n != tt.want {
				t.Errorf("%d elements, want %d", n, tt.want)
			}
			if tt.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var se *jsonscan.SyntaxError
			if !errors.As(err, &se) || se.Msg != tt.msg {
				t.Errorf("err = %v, want %q", err, tt.msg)
			}
		})
	}
}

func TestEnter_kindErrors(t *testing.T) {
	s := jsonscan.New([]byte(`[1]`))
	var ke *jsonscan.KindError
	if err := s.EnterObject(); !errors.As(err, &ke) || ke.Want != jsonscan.Object || ke.Found != jsonscan.Array {
		t.Errorf("EnterObject on an array: err = %v", err)
	}
	s = jsonscan.New([]byte(` {}`))
	if err := s.EnterArray(); !errors.As(err, &ke) || ke.Want != jsonscan.Array || ke.Found != jsonscan.Object || ke.Offset != 1 {
		t.Errorf("EnterArray on an object: err = %v", err)
	}
	s = jsonscan.New([]byte(` `))
	var se *jsonscan.SyntaxError
	if err := s.EnterArray(); !errors.As(err, &se) || se.Msg != "unexpected end of JSON input" {
		t.Errorf("EnterArray at the end: err = %v", err)
	}
}

func TestKind(t *testing.T) {
	tests := map[string]jsonscan.Kind{
		` {}`: jsonscan.Object, `[`: jsonscan.Array, `"`: jsonscan.String, `-1`: jsonscan.Number,
		`0`: jsonscan.Number, `true`: jsonscan.Bool, `f`: jsonscan.Bool, `null`: jsonscan.Null,
		`}`: jsonscan.Invalid, ``: jsonscan.Invalid, `  `: jsonscan.Invalid, `+1`: jsonscan.Invalid,
	}
	for text, want := range tests {
		s := jsonscan.New([]byte(text))
		if got := s.Kind(); got != want {
			t.Errorf("Kind(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestReadFloats(t *testing.T) {
	tests := map[string]struct {
		text string
		n    int
		want []float64
		err  bool
	}{
		"pair":      {`[76.592997,49.551871]`, 2, []float64{76.592997, 49.551871}, false},
		"triple":    {`[ 1 , 2 , 3 ]`, 3, []float64{1, 2}, false},
		"single":    {`[1]`, 1, []float64{1, 0}, false},
		"empty":     {`[ ]`, 0, []float64{0, 0}, false},
		"string":    {`[1,"2"]`, 1, []float64{1, 0}, true},
		"unclosed":  {`[1,2`, 2, []float64{1, 2}, true},
		"separator": {`[1;2]`, 1, []float64{1, 0}, true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s := jsonscan.New([]byte(tt.text))
			got := make([]float64, 2)
			n, err := s.ReadFloats(got)
			if (err != nil) != tt.err {
				t.Fatalf("err = %v, want error: %v", err, tt.err)
			}
			if n != tt.n || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %d %v, want %d %v", n, got, tt.n, tt.want)
			}
		})
	}
}

func TestSkip_depthLimit(t *testing.T) {
	deep := strings.Repeat("[", 10001) + strings.Repeat("]", 10001)
	s := jsonscan.New([]byte(deep))
	var se *jsonscan.SyntaxError
	if err := s.Skip(); !errors.As(err, &se) || se.Msg != "exceeded max depth" {
		t.Errorf("Skip: err = %v, want exceeded max depth", err)
	}
	s = jsonscan.New([]byte(deep))
	if _, err := s.ReadValue(); !errors.As(err, &se) || se.Msg != "exceeded max depth" {
		t.Errorf("ReadValue: err = %v, want exceeded max depth", err)
	}
	ok := strings.Repeat(`{"a":`, 10000) + "1" + strings.Repeat("}", 10000)
	s = jsonscan.New([]byte(ok))
	if err := s.Skip(); err != nil {
		t.Errorf("Skip of 10000 levels: %v", err)
	}
}

func TestReadValue_matchesEncodingJSON(t *testing.T) {
	for _, text := range []string{
		`{"uid":1,"cat":3,"value":0.5}`,
		`{"name":"Арал \"sea\"","tags":["a",null,true,false,{"x":[]}],"n":-1.5e3,"o":{}}`,
		`[]`, `"x"`, `12`, `null`, `true`,
	} {
		s := jsonscan.New([]byte(text))
		got, err := s.ReadValue()
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		var want any
		if err := json.Unmarshal([]byte(text), &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %#v, want %#v", text, got, want)
		}
	}
}

func TestReadValue_firstDuplicateKeyWins(t *testing.T) {
	s := jsonscan.New([]byte(`{"a":1,"a":2}`))
	got, err := s.ReadValue()
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]any{"a": 1.0}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestLineColumn(t *testing.T) {
	data := []byte("{\n  \"a\": \"Арал\",\n  x\n}")
	tests := map[string]struct {
		offset, line, column int
	}{
		"start":          {0, 1, 1},
		"second line":    {4, 2, 3},
		"after cyrillic": {strings.Index(string(data), ",\n"), 2, 14},
		"third line":     {strings.IndexByte(string(data), 'x'), 3, 3},
		"past the end":   {1000, 4, 2},
		"negative":       {-5, 1, 1},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			line, column := jsonscan.LineColumn(data, tt.offset)
			if line != tt.line || column != tt.column {
				t.Errorf("got %d:%d, want %d:%d", line, column, tt.line, tt.column)
			}
		})
	}
}

// FuzzScanner checks that Skip accepts exactly the JSON that encoding/json
// accepts, and that ReadValue decodes it to the same values and fails
// where encoding/json fails (on numbers out of float64 range).
func FuzzScanner(f *testing.F) {
	for _, seed := range []string{
		`{"type":"Feature","properties":{"a":1,"b":"\u00e9\ud83d\ude00"},"geometry":null}`,
		`[1,-2.5e-3,0,"x",true,false,null,[],{}]`, `{"a":[{"b":{}}]}`, `"\"\\\/\b\f\n\r\t"`, ` 1 `,
		`{"a":1,}`, `[01]`, `"\ud800"`, `-`, `1.e5`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := jsonscan.New(data)
		skipErr := s.Skip()
		if skipErr == nil {
			skipErr = s.End()
		}
		if valid := json.Valid(data); valid != (skipErr == nil) {
			t.Fatalf("json.Valid = %v, Skip error = %v", valid, skipErr)
		}
		s = jsonscan.New(data)
		got, err := s.ReadValue()
		if err == nil {
			err = s.End()
		}
		var want any
		unmarshalErr := json.Unmarshal(data, &want)
		if (err == nil) != (unmarshalErr == nil) {
			t.Fatalf("ReadValue error = %v, encoding/json error = %v", err, unmarshalErr)
		}
		if err != nil || strings.Contains(string(data), `\u`) || hasDuplicateKeys(data) {
			return // encoding/json differs on lone surrogates and duplicate keys
		}
		if !reflect.DeepEqual(got, want) && !hasInvalidUTF8(data) {
			t.Fatalf("ReadValue = %#v, encoding/json = %#v", got, want)
		}
	})
}

// hasDuplicateKeys reports whether any object in valid JSON repeats a key.
func hasDuplicateKeys(data []byte) bool {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	type frame struct {
		object    bool
		keys      map[string]bool
		expectKey bool
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.object && top.expectKey {
				if key, ok := tok.(string); ok {
					if top.keys[key] {
						return true
					}
					top.keys[key] = true
					top.expectKey = false
					continue
				}
			}
			top.expectKey = true
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, keys: map[string]bool{}, expectKey: true})
		case json.Delim('['):
			stack = append(stack, frame{})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
	}
}

// hasInvalidUTF8 reports whether data has bytes that encoding/json
// replaces with U+FFFD but a Scanner passes through.
func hasInvalidUTF8(data []byte) bool { return !utf8.Valid(data) }

// readPositions reads an array of arrays of at least two numbers the way
// the GeoJSON decoder does: AppendPairs for as long as it can, and
// NextElement and ReadFloats for the elements it leaves.
func readPositions(data []byte) ([][2]float64, error) {
	s := jsonscan.New(data)
	if err := s.EnterArray(); err != nil {
		return nil, err
	}
	var positions [][2]float64
	for {
		var ended bool
		if positions, ended = jsonscan.AppendPairs(&s, positions); ended {
			return positions, s.End()
		}
		more, err := s.NextElement()
		if err != nil {
			return nil, err
		}
		if !more {
			return positions, s.End()
		}
		var p [2]float64
		n, err := s.ReadFloats(p[:])
		if err != nil {
			return nil, err
		}
		if n < 2 {
			return nil, errors.New("short position")
		}
		positions = append(positions, p)
	}
}

func TestAppendPairs(t *testing.T) {
	tests := map[string]struct {
		text string
		want [][2]float64
		ok   bool
	}{
		"compact":         {`[[76.592997,49.551871],[-1.5,2]]`, [][2]float64{{76.592997, 49.551871}, {-1.5, 2}}, true},
		"with altitude":   {`[[1,2,3],[4,5,6.25]]`, [][2]float64{{1, 2}, {4, 5}}, true},
		"spaced":          {"[ [ 1 , 2 ] ,\n [3,4] ]", [][2]float64{{1, 2}, {3, 4}}, true},
		"long numbers":    {`[[76.59299712345,49.5],[1e2,-2E-1]]`, [][2]float64{{76.59299712345, 49.5}, {100, -0.2}}, true},
		"empty":           {`[]`, nil, true},
		"short position":  {`[[1,2],[3]]`, nil, false},
		"trailing comma":  {`[[1,2],]`, nil, false},
		"missing comma":   {`[[1,2][3,4]]`, nil, false},
		"string number":   {`[[1,"2"]]`, nil, false},
		"unclosed":        {`[[1,2],[3,4]`, nil, false},
		"unclosed inside": {`[[1,2],[3,4`, nil, false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := readPositions([]byte(tt.text))
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want success: %v", err, tt.ok)
			}
			if tt.ok && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// FuzzAppendPairs checks the fast path through positions against
// encoding/json.
func FuzzAppendPairs(f *testing.F) {
	for _, seed := range []string{
		`[[76.592997,49.551871],[76.592997,49.551871,12]]`, `[ [1, 2] , [3,4,5] ]`, `[[1e5,2],[-0.5,-0]]`,
		`[]`, `null`, `[[1,2],]`, `[[1],[2,3]]`, `[[1.5,2.25`, `[[01,2]]`, `[[1.,2]]`, `[[12345678.5,1]]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := readPositions(data)
		var arrays [][]float64
		jsonErr := json.Unmarshal(data, &arrays)
		if jsonErr == nil && arrays == nil {
			jsonErr = errors.New("null") // encoding/json takes null for a slice
		}
		if jsonErr == nil {
			for _, a := range arrays {
				if len(a) < 2 {
					jsonErr = errors.New("short position")
				}
			}
		}
		if (err == nil) != (jsonErr == nil) {
			t.Fatalf("readPositions error = %v, encoding/json error = %v", err, jsonErr)
		}
		if err != nil {
			return
		}
		if len(got) != len(arrays) {
			t.Fatalf("%d positions, encoding/json %d", len(got), len(arrays))
		}
		for i, a := range arrays {
			if got[i] != [2]float64{a[0], a[1]} {
				t.Fatalf("position %d = %v, encoding/json %v", i, got[i], a[:2])
			}
		}
	})
}
