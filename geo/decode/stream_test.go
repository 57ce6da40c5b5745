package decode

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/paulmach/orb"
)

// tiny is a pipeline that cuts any input into blocks of a few bytes and a
// batch per record, decoded on more goroutines than records, so that small
// inputs take every path that large files take.
var tiny = config{blockSize: 7, batchBytes: 1, workers: 4}

// decodeWith decodes data through a reader with a pipeline config.
func decodeWith(data []byte, cfg config, lim Limits) (*layer.Vector, error) {
	return read(context.Background(), bytes.NewReader(data), nil, "t.geojson", lim, cfg, 0)
}

// trickyCollection returns a FeatureCollection whose features have
// properties holding strings and objects that look like features, and
// escapes, so that a split that does not follow strings and nesting
// exactly goes wrong.
func trickyCollection(n int) []byte {
	r := rand.New(rand.NewPCG(7, 8))
	var b bytes.Buffer
	b.WriteString("\uFEFF{\"type\":\"FeatureCollection\",\"features\":[\n")
	for i := range n {
		if i > 0 {
			b.WriteString(" ,\n")
		}
		x, y := 50+r.Float64()*30, 38+r.Float64()*15
		var geometry string
		switch i % 3 {
		case 0:
			geometry = fmt.Sprintf(`{"type":"Point","coordinates":[%g,%g]}`, x, y)
		case 1:
			geometry = fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}`, x, y, x+0.1, y, x+0.1, y+0.1, x, y)
		default:
			geometry = fmt.Sprintf(`{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[%g,%g]}],"decoys":[0, {"type":"Feature"}, "]}"]}`, x, y)
		}
		fmt.Fprintf(&b, `{"type":"Feature","id":"f%d","properties":{"i":%d,"text":"{\"type\":\"Feature\"}],[\\","nested":[{"a":1}, {"type":"Feature","geometry":null}, { "type" : "Feature" }]},"geometry":%s}`, i, i, geometry)
	}
	b.WriteString("\n],\"name\":\"tricky\"}\n")
	return b.Bytes()
}

// sameLayers reports how two decodings differ, or "".
func sameLayers(a, b *layer.Vector, errA, errB error) string {
	switch {
	case (errA == nil) != (errB == nil):
		return fmt.Sprintf("errors %v and %v", errA, errB)
	case errA != nil:
		if errA.Error() != errB.Error() {
			return fmt.Sprintf("errors %q and %q", errA, errB)
		}
		return ""
	case a.Len() != b.Len():
		return fmt.Sprintf("%d and %d features", a.Len(), b.Len())
	}
	for i := range a.Len() {
		fa, fb := a.Feature(i), b.Feature(i)
		ra, _ := fa.Properties.MarshalJSON()
		rb, _ := fb.Properties.MarshalJSON()
		if fa.ID != fb.ID || !reflect.DeepEqual(fa.Geometry, fb.Geometry) || !bytes.Equal(ra, rb) {
			return fmt.Sprintf("feature %d: %q %v %s and %q %v %s", i+1, fa.ID, fa.Geometry, ra, fb.ID, fb.Geometry, rb)
		}
	}
	return ""
}

func TestRead_splitMatchesOnePass(t *testing.T) {
	inputs := map[string][]byte{"tricky": trickyCollection(300)}
	names, _ := filepath.Glob("testdata/*.geojson")
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(name)] = data
	}
	configs := map[string]config{
		"tiny":          tiny,
		"one byte":      {blockSize: 1, batchBytes: 1, workers: 2},
		"small batches": {blockSize: 64, batchBytes: 200, workers: 3},
		"one worker":    {blockSize: 100, batchBytes: 50, workers: 1},
	}
	for name, data := range inputs {
		want, wantErr := GeoJSON(data, "t.geojson")
		for cname, cfg := range configs {
			got, err := decodeWith(data, cfg, Limits{})
			if diff := sameLayers(want, got, wantErr, err); diff != "" {
				t.Errorf("%s, %s pipeline: %s", name, cname, diff)
			}
		}
	}
	if v, err := GeoJSON(inputs["tricky"], "t.geojson"); err != nil || v.Len() != 300 {
		t.Fatalf("tricky collection: %v features, %v", v, err)
	}
}

func TestRead_faultsComeInOrder(t *testing.T) {
	data := trickyCollection(200)
	// Break feature 120 (from 1) and put a syntax error after it: the
	// first fault is the one reported, however the input is cut.
	marker := []byte(`"id":"f119"`)
	at := bytes.Index(data, marker)
	broken := bytes.Clone(data[:at])
	broken = append(broken, `"id":{"no":1}`...)
	broken = append(broken, data[at+len(marker):]...)
	broken = bytes.Replace(broken, []byte(`"id":"f150"`), []byte(`"id" "f150"`), 1)
	for _, cfg := range []config{defaultConfig(), tiny, {blockSize: 4096, batchBytes: 512, workers: 2}} {
		_, err := decodeWith(broken, cfg, Limits{})
		var de *Error
		if !errors.As(err, &de) || de.Feature != 120 || !strings.Contains(err.Error(), `"id": want a string or a number`) {
			t.Errorf("blocks of %d: err = %v, want the fault of feature 120", cfg.blockSize, err)
		}
	}
}

// nestedCollection returns a valid FeatureCollection whose one feature
// has a property nested levels deep, each level an array of filler and
// the next level, after a comma as a feature would be.
func nestedCollection(levels, filler int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"deep":[0,`)
	pad := strings.Repeat("x", filler)
	for range levels {
		b.WriteString(`{"a":["` + pad + `",`)
	}
	b.WriteString("0")
	for range levels {
		b.WriteString("]}")
	}
	b.WriteString("]}}]}")
	return b.Bytes()
}

// minDuration returns the shortest of n runs of fn.
func minDuration(n int, fn func()) time.Duration {
	best := time.Duration(math.MaxInt64)
	for range n {
		start := time.Now()
		fn()
		best = min(best, time.Since(start))
	}
	return best
}

// TestRead_nestingTakesLinearTime decodes files of deeply nested
// properties, which made the guesses of the former parallel split scan
// the file again and again, at two sizes: eight times the input must not
// take more than about eight times as long (a quadratic split takes 64).
func TestRead_nestingTakesLinearTime(t *testing.T) {
	lim := Limits{Depth: 10_000}
	small, large := nestedCollection(500, 400), nestedCollection(4000, 400)
	for _, data := range [][]byte{small, large} {
		if v, err := read(context.Background(), nil, data, "n.geojson", lim, defaultConfig(), 0); err != nil || v.Len() != 1 {
			t.Fatalf("%d bytes: %v, %v", len(data), v, err)
		}
	}
	timeOf := func(data []byte) time.Duration {
		return minDuration(5, func() {
			read(context.Background(), nil, data, "n.geojson", lim, config{blockSize: 1 << 20, batchBytes: 256 << 10, workers: 2}, 0)
		})
	}
	ts, tl := timeOf(small), timeOf(large)
	if ratio := float64(tl) / float64(ts); ratio > 24 {
		t.Errorf("%d bytes took %v, %d bytes %v: %.0f times as long for 8 times the input", len(small), ts, len(large), tl, ratio)
	}
}

func TestRead_limits(t *testing.T) {
	point := `{"type":"Feature","geometry":{"type":"Point","coordinates":[70,42]},"properties":{"name":"%s"}}`
	collection := func(features ...string) []byte {
		return []byte(`{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`)
	}
	ring := func(n int) string {
		var b strings.Builder
		b.WriteString(`{"type":"Feature","properties":null,"geometry":{"type":"Polygon","coordinates":[[`)
		for i := range n {
			fmt.Fprintf(&b, "[%d.5,%d.25],", 60+i%10, 40+i%7)
		}
		b.WriteString(`[60.5,40.25]]]}}`)
		return b.String()
	}
	tests := map[string]struct {
		data    []byte
		lim     Limits
		name    string
		feature int
		msg     string
	}{
		"deep properties": {
			data: collection(fmt.Sprintf(point, "a"), `{"type":"Feature","geometry":null,"properties":{"a":[[[[[[[[1]]]]]]]]}}`),
			lim:  Limits{Depth: 8}, name: "depth", feature: 2,
			msg: `feature 2: line 1, column 192: arrays and objects nested more than 8 deep (the "depth" limit)`,
		},
		"long string": {
			data: collection(fmt.Sprintf(point, "short"), fmt.Sprintf(point, strings.Repeat("é", 100))),
			lim:  Limits{StringBytes: 150}, name: "string-size", feature: 2,
			msg: `feature 2: line 1, column 229: a string longer than 150 bytes (the "string-size" limit)`,
		},
		"big feature": {
			data: collection(ring(10), ring(1000)),
			lim:  Limits{FeatureBytes: 4096}, name: "feature-size", feature: 2,
			msg: `feature 2: line 1, column 269: more than 4 KiB of text in one feature (the "feature-size" limit)`,
		},
		"big head": {
			data: []byte(`{"type":"FeatureCollection","bbox":[` + strings.Repeat("1,", 5000) + `1],"features":[]}`),
			lim:  Limits{FeatureBytes: 4096}, name: "feature-size",
			msg: `line 1, column 1: more than 4 KiB of text outside the "features" array`,
		},
		"many vertices": {
			data: collection(ring(100), ring(1000)),
			lim:  Limits{Vertices: 500}, name: "vertices", feature: 2,
			msg: `feature 2: line 1, column `,
		},
		"big lone feature": {
			data: []byte(ring(1000)),
			lim:  Limits{FeatureBytes: 4096}, name: "feature-size", feature: 1,
			msg: `feature 1: line 1, column 1: more than 4 KiB of text in one feature`,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			for _, cfg := range []config{defaultConfig(), tiny} {
				_, err := decodeWith(tt.data, cfg, tt.lim)
				var le *LimitError
				var de *Error
				if !errors.Is(err, ErrLimit) || !errors.As(err, &le) || le.Name != tt.name || !errors.As(err, &de) || de.Feature != tt.feature {
					t.Fatalf("err = %v, want the %q limit in feature %d", err, tt.name, tt.feature)
				}
				if !strings.Contains(err.Error(), tt.msg) || !strings.Contains(err.Error(), `"`+tt.name+`" limit`) {
					t.Errorf("message %q\ndoes not contain %q", err, tt.msg)
				}
			}
			if _, err := decodeWith(tt.data, tiny, Limits{}); err != nil {
				t.Errorf("within the default limits: %v", err)
			}
		})
	}
}

func TestLimits_Set(t *testing.T) {
	var l Limits
	for _, spec := range []string{"vertices=2M", "feature-size=1GiB", "string-size=64K", "depth=2000"} {
		if err := l.Set(spec); err != nil {
			t.Fatal(err)
		}
	}
	want := Limits{Vertices: 2_000_000, FeatureBytes: 1 << 30, StringBytes: 64 << 10, Depth: 2000}
	if l != want {
		t.Errorf("limits %+v, want %+v", l, want)
	}
	if got := l.String(); got != "feature-size=1 GiB,string-size=64 KiB,depth=2000,vertices=2000000" {
		t.Errorf("String() = %q", got)
	}
	for _, bad := range []string{"vertices", "speed=3", "depth=-1", "depth=0", "vertices=lots", "depth=20000", "feature-size=9999999999G"} {
		if err := l.Set(bad); err == nil {
			t.Errorf("Set(%q) took it", bad)
		}
	}
}

// endless yields head and then filler for ever.
type endless struct {
	head   []byte
	filler byte
}

func (e *endless) Read(p []byte) (int, error) {
	n := copy(p, e.head)
	e.head = e.head[n:]
	for i := n; i < len(p); i++ {
		p[i] = e.filler
	}
	return len(p), nil
}

func TestRead_endlessInput(t *testing.T) {
	start := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":`)
	tests := map[string]struct {
		r    io.Reader
		name string // the limit that stops it, or "" for the context
	}{
		"nesting":        {&endless{start, '['}, "depth"},
		"string":         {&endless{append(bytes.Clone(start), '"'), 'x'}, "string-size"},
		"number":         {&endless{start, '1'}, "feature-size"},
		"white space":    {&endless{start[:1], ' '}, "feature-size"},
		"between things": {&endless{start[:40], ' '}, ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			timeout := 300 * time.Millisecond
			if tt.name != "" {
				timeout = time.Minute // the limit must stop it first
			}
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			lim := Limits{FeatureBytes: 4 << 20, StringBytes: 2 << 20}
			done := make(chan error, 1)
			go func() {
				_, err := read(ctx, tt.r, nil, "endless.geojson", lim, defaultConfig(), 0)
				done <- err
			}()
			select {
			case err := <-done:
				var le *LimitError
				if tt.name == "" {
					if !errors.Is(err, context.DeadlineExceeded) {
						t.Errorf("err = %v, want the context's", err)
					}
				} else if !errors.As(err, &le) || le.Name != tt.name {
					t.Errorf("err = %v, want the %q limit", err, tt.name)
				}
			case <-time.After(2 * time.Minute):
				t.Fatal("still reading after 2 minutes")
			}
		})
	}
}

func TestFile_refusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.geojson")
	if err := mkfifo(fifo); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	zero := filepath.Join(dir, "zero.geojson")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "folder.geojson")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	for path, what := range map[string]string{fifo: "a named pipe", zero: "a character device", folder: "a directory"} {
		done := make(chan error, 1)
		go func() {
			_, err := File(context.Background(), path, Limits{})
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), what) {
				t.Errorf("%s: err = %v, want it refused as %s", path, err, what)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: still reading after 5 s", path)
		}
	}
}

func TestFile_judgesTheFirstBytes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sparse.geojson")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(2 << 30); err != nil {
		t.Skip("no sparse files here:", err)
	}
	f.Close()
	start := time.Now()
	_, err = File(context.Background(), path, Limits{})
	if err == nil || !strings.Contains(err.Error(), "starts with a zero byte") {
		t.Errorf("err = %v, want the zero byte named", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v to judge a file of zeros: it read more than the start", d)
	}
}

func TestRead_cancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := read(ctx, bytes.NewReader(trickyCollection(1000)), nil, "c.geojson", Limits{}, tiny, 0)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want the context's", err)
	}
}

func TestRead_encodings(t *testing.T) {
	text := "{\"type\":\"FeatureCollection\",\n\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[69.28,41.31]},\"properties\":{\"name\":\"Тошкент 🏙\"}}]}"
	broken := strings.Replace(text, "41.31", "4131", 1)
	want, err := GeoJSON([]byte(text), "utf8")
	if err != nil {
		t.Fatal(err)
	}
	_, wantErr := GeoJSON([]byte(broken), "t.geojson")
	for name, encode := range map[string]func(string) []byte{
		"UTF-8 with BOM":       func(s string) []byte { return append([]byte{0xEF, 0xBB, 0xBF}, s...) },
		"UTF-16LE with BOM":    func(s string) []byte { return utf16Bytes("\uFEFF"+s, false) },
		"UTF-16BE with BOM":    func(s string) []byte { return utf16Bytes("\uFEFF"+s, true) },
		"UTF-16LE without BOM": func(s string) []byte { return utf16Bytes(s, false) },
		"UTF-16BE without BOM": func(s string) []byte { return utf16Bytes(s, true) },
		"UTF-32LE with BOM":    func(s string) []byte { return utf32Bytes("\uFEFF"+s, false) },
		"UTF-32BE without BOM": func(s string) []byte { return utf32Bytes(s, true) },
	} {
		for _, cfg := range []config{defaultConfig(), tiny} {
			got, err := decodeWith(encode(text), cfg, Limits{})
			if diff := sameLayers(want, got, nil, err); diff != "" {
				t.Errorf("%s: %s", name, diff)
			}
			_, err = decodeWith(encode(broken), cfg, Limits{})
			if err == nil || err.Error() != wantErr.Error() {
				t.Errorf("%s: error %v, want %v, at the same place", name, err, wantErr)
			}
		}
	}
}

func utf16Bytes(s string, bigEndian bool) []byte {
	var out []byte
	for _, r := range s {
		units := []rune{r}
		if r >= 0x10000 {
			r -= 0x10000
			units = []rune{0xD800 + r>>10, 0xDC00 + r&0x3FF}
		}
		for _, u := range units {
			if bigEndian {
				out = append(out, byte(u>>8), byte(u))
			} else {
				out = append(out, byte(u), byte(u>>8))
			}
		}
	}
	return out
}

func utf32Bytes(s string, bigEndian bool) []byte {
	var out []byte
	for _, r := range s {
		if bigEndian {
			out = append(out, byte(r>>24), byte(r>>16), byte(r>>8), byte(r))
		} else {
			out = append(out, byte(r), byte(r>>8), byte(r>>16), byte(r>>24))
		}
	}
	return out
}

func TestRead_duplicateMembers(t *testing.T) {
	tests := map[string]string{
		"geometry type":   `{"type":"Feature","properties":{},"geometry":{"type":"Point","type":"LineString","coordinates":[[70,42],[71,43]]}}`,
		"feature type":    `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"type":"Feature"}]}`,
		"top-level type":  `{"type":"FeatureCollection","type":"FeatureCollection","features":[]}`,
		"coordinates":     `{"type":"Point","coordinates":[70,42],"coordinates":[71,43]}`,
		"features":        `{"type":"FeatureCollection","features":[],"features":null}`,
		"type after":      `{"features":[],"type":"FeatureCollection","type":"Feature"}`,
		"geometry":        `{"type":"Feature","geometry":null,"geometry":{"type":"Point","coordinates":[70,42]}}`,
		"properties":      `{"type":"Feature","geometry":null,"properties":{},"properties":{"a":1}}`,
		"crs of a member": `{"type":"FeatureCollection","crs":null,"crs":null,"features":[]}`,
	}
	for name, text := range tests {
		for _, cfg := range []config{defaultConfig(), tiny} {
			_, err := decodeWith([]byte(text), cfg, Limits{})
			if err == nil || !strings.Contains(err.Error(), "duplicate") {
				t.Errorf("%s: err = %v, want a duplicate member refused", name, err)
			}
		}
	}
}

func TestRead_badVertexDeepInAFeature(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[")
	for ring := range 3 {
		if ring > 0 {
			b.WriteString(",\n")
		}
		b.WriteString("[")
		for i := range 5000 {
			x := 60 + float64(i%100)/100
			if ring == 1 && i == 4321 {
				x = 612000
			}
			fmt.Fprintf(&b, "[%g,%g],", x, 40+float64(ring))
		}
		fmt.Fprintf(&b, "[60,%d]]", 40+ring)
	}
	b.WriteString("]}}\n]}\n")
	for _, cfg := range []config{defaultConfig(), tiny} {
		_, err := decodeWith(b.Bytes(), cfg, Limits{})
		want := "feature 1: line 3, column 47012: geometry: Polygon ring 2 position 4322: 612000,41 is not lon/lat"
		if !errors.Is(err, ErrNotLonLat) || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v\nwant it to contain %q", err, want)
		}
	}
}

func TestRuneCount(t *testing.T) {
	for _, s := range []string{"", "a", "abcdefgh", "Тошкент", "Алматы қаласы 🏔 x", strings.Repeat("ǎb", 33)} {
		if got, want := runeCount([]byte(s)), len([]rune(s)); got != want {
			t.Errorf("runeCount(%q) = %d, want %d", s, got, want)
		}
	}
}

// checkLonLat fails the test unless every coordinate of every feature is
// a finite longitude and latitude.
func checkLonLat(t *testing.T, v *layer.Vector) {
	t.Helper()
	for f := range v.All() {
		if f.Geometry == nil {
			continue
		}
		b := f.Geometry.Bound()
		for _, p := range []orb.Point{b.Min, b.Max} {
			if math.IsNaN(p[0]) || math.IsNaN(p[1]) || p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90 {
				t.Fatalf("feature %s: bound %v is not lon/lat", f.ID, b)
			}
		}
	}
}

// FuzzGeoJSON checks that no input makes the decoder panic, that every
// failure is a located *Error with a finished message, that every success
// holds lon/lat coordinates only, and that cutting the input into blocks
// of a few bytes and decoding it on several goroutines, the path of large
// files, gives exactly what reading it in one piece gives.
func FuzzGeoJSON(f *testing.F) {
	names, err := filepath.Glob("testdata/*.geojson")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add(trickyCollection(5))
	f.Add(nestedCollection(5, 3))
	f.Add(utf16Bytes(`{"type":"Point","coordinates":[1,2]}`, false))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{FeatureBytes: 1 << 20, StringBytes: 4096, Depth: 64, Vertices: 10_000}
		v, err := read(context.Background(), nil, data, "t.geojson", lim, defaultConfig(), 0)
		split, splitErr := decodeWith(data, tiny, lim)
		if diff := sameLayers(v, split, err, splitErr); diff != "" {
			t.Fatalf("one piece and tiny blocks differ: %s", diff)
		}
		if err != nil {
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("err = %v, want a *decode.Error", err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "decode: t.geojson: ") || strings.Contains(msg, "jsonscan") || de.Line < 1 || de.Column < 1 || de.Feature < 0 {
				t.Fatalf("badly reported error %q at %d:%d", msg, de.Line, de.Column)
			}
			return
		}
		checkLonLat(t, v)
	})
}
