// Package csvpoints reads points (or any geometry, from a WKT column) out
// of delimited text: the CSV exports of spreadsheets, GPS software and
// GIS (ogr2ogr's GEOMETRY=AS_XY and AS_WKT included).
//
// What it works out by itself, each overridable in [Options]:
//
//   - the text encoding: UTF-8 (a byte-order mark is skipped), else
//     Windows-1251, the code page of Russian-language Excel;
//   - the delimiter: the one of comma, semicolon, tab and bar that the
//     header line has most of;
//   - the coordinate columns, by their header: lon, lng, long,
//     longitude, x, easting (and долгота) for x; lat, latitude, y,
//     northing (and широта) for y; or wkt, geometry, geom, the_geom for
//     a WKT column;
//   - a decimal comma in coordinates ("69,6"), where the delimiter is not
//     a comma.
//
// Coordinates are returned as written: in WGS 84 lon/lat or in whatever
// CRS the file is in, which the caller knows (a CSV file cannot say).
// Other columns become properties, as numbers when every value of the
// column is a number (and none has a leading zero, like a code "007"),
// else as text.
//
// A row whose coordinates are missing or do not parse is not a feature:
// it is listed in Result.Skipped with its row number (the header is row
// 1; a quoted value spanning lines counts from the line the row starts
// on), the column and the reason. Reading fails only for faults of the
// whole file: no header, no coordinate columns, a line longer than
// MaxLineLength.
package csvpoints

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ecoatlas/ecoatlas/geo/internal/geomconv"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom/encoding/wkt"
	"golang.org/x/text/encoding/charmap"
)

// MaxLineLength is the longest line a file may have, in bytes: longer
// ones are not a table of points, and reading them whole would take
// unbounded memory.
const MaxLineLength = 1 << 20

// Errors for errors.Is.
var (
	// ErrNoHeader is a file without a header line.
	ErrNoHeader = errors.New("csvpoints: no header line")
	// ErrNoCoordinates is a header without recognisable coordinate
	// columns, or naming a column the header does not have.
	ErrNoCoordinates = errors.New("csvpoints: no coordinate columns")
	// ErrLineTooLong is a line over MaxLineLength.
	ErrLineTooLong = errors.New("csvpoints: line too long")
	// ErrMissing is a row without a value in a coordinate column.
	ErrMissing = errors.New("no coordinate")
	// ErrNotNumber is a coordinate that is not a number.
	ErrNotNumber = errors.New("not a number")
	// ErrBadWKT is a WKT value that does not parse.
	ErrBadWKT = errors.New("not WKT geometry")
	// ErrFieldCount is a row with more values than the header has
	// columns.
	ErrFieldCount = errors.New("more values than columns")
)

// Options override what Read works out.
type Options struct {
	// Lon and Lat name the x and y columns; WKT names a WKT column
	// instead. Matched without regard to case.
	Lon, Lat, WKT string
	// Delimiter is the field separator; 0 detects it.
	Delimiter rune
}

// Result is what a file held.
type Result struct {
	Features []layer.Feature
	// Rows are the features' row numbers.
	Rows []int
	// Skipped are the rows that did not give a feature.
	Skipped []layer.FeatureError
	// Columns are the header's column names.
	Columns []string
	// X and Y (or WKT) are the coordinate columns used.
	X, Y, WKT string
	// Delimiter is the field separator used.
	Delimiter rune
	// DecimalComma is true when coordinates were written with a
	// decimal comma.
	DecimalComma bool
	// Encoding is "UTF-8" or "Windows-1251".
	Encoding string
}

// Column names taken for coordinates, in order of preference.
var (
	xNames   = []string{"lon", "lng", "long", "longitude", "x", "easting", "east", "долгота"}
	yNames   = []string{"lat", "latitude", "y", "northing", "north", "широта"}
	wktNames = []string{"wkt", "wkt_geom", "geometry", "geom", "the_geom"}
)

// Read reads a delimited text file. Name is the file's name, for
// messages.
func Read(r io.Reader, name string, o Options) (*Result, error) {
	res := &Result{Encoding: "UTF-8"}
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(64 << 10)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("csvpoints: %s: %w", name, err)
	}
	bom := []byte("\xef\xbb\xbf")
	utf8Text := validUTF8Prefix(head)
	delim := o.Delimiter
	if delim == 0 {
		delim = detectDelimiter(bytes.TrimPrefix(head, bom))
	}
	if bytes.HasPrefix(head, bom) {
		br.Discard(len(bom))
	}
	var text io.Reader = br
	if !utf8Text {
		res.Encoding = "Windows-1251"
		text = charmap.Windows1251.NewDecoder().Reader(br)
	}
	text = &lineLimiter{r: text}
	res.Delimiter = delim
	cr := csv.NewReader(text)
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: %s is empty", ErrNoHeader, name)
	}
	if err != nil {
		return nil, fmt.Errorf("csvpoints: %s: %w", name, unwrapLimit(err))
	}
	res.Columns = make([]string, len(header))
	for i, h := range header {
		res.Columns[i] = strings.TrimSpace(h)
	}
	xi, yi, wi, err := pickColumns(res.Columns, o)
	if err != nil {
		return nil, fmt.Errorf("%w in %s: the columns are %s", err, name, strings.Join(res.Columns, ", "))
	}
	if wi >= 0 {
		res.WKT = res.Columns[wi]
	} else {
		res.X, res.Y = res.Columns[xi], res.Columns[yi]
	}
	var values [][]string // per feature, the values of the other columns
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && !errors.Is(err, ErrLineTooLong) {
				res.Skipped = append(res.Skipped, layer.FeatureError{File: name, Feature: pe.StartLine, Noun: "row", Err: pe.Err})
				continue
			}
			return nil, fmt.Errorf("csvpoints: %s: %w", name, unwrapLimit(err))
		}
		if isBlank(rec) {
			continue
		}
		fail := func(col int, reason error) {
			v := ""
			if col < len(rec) {
				v = rec[col]
			}
			field := ""
			if col < len(res.Columns) {
				field = res.Columns[col]
			}
			res.Skipped = append(res.Skipped, layer.FeatureError{File: name, Feature: line, Noun: "row", Field: field, Value: v, Err: reason})
		}
		if len(rec) > len(res.Columns) {
			fail(len(res.Columns), ErrFieldCount)
			continue
		}
		var g orb.Geometry
		if wi >= 0 {
			g, err = parseWKT(field(rec, wi))
			if err != nil {
				fail(wi, err)
				continue
			}
		} else {
			x, comma, err := parseCoordinate(field(rec, xi), delim)
			if err != nil {
				fail(xi, err)
				continue
			}
			y, comma2, err := parseCoordinate(field(rec, yi), delim)
			if err != nil {
				fail(yi, err)
				continue
			}
			res.DecimalComma = res.DecimalComma || comma || comma2
			g = orb.Point{x, y}
		}
		other := make([]string, len(res.Columns))
		for i := range other {
			if i != xi && i != yi && i != wi {
				other[i] = field(rec, i)
			}
		}
		values = append(values, other)
		res.Features = append(res.Features, layer.Feature{Geometry: g})
		res.Rows = append(res.Rows, line)
	}
	setProperties(res, values, xi, yi, wi)
	return res, nil
}

// validUTF8Prefix reports whether b is UTF-8, allowing a rune cut off at
// the end.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < 3 && len(b) > 0 && !utf8.Valid(b); i++ {
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}

// detectDelimiter picks the separator the first line has most of outside
// quotes; a comma when it has none.
func detectDelimiter(head []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range string(head) {
		if r == '\n' && !quoted {
			break
		}
		switch r {
		case '"':
			quoted = !quoted
		case ',', ';', '\t', '|':
			if !quoted {
				counts[r]++
			}
		}
	}
	best := ','
	for _, r := range []rune{';', '\t', '|'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

func pickColumns(cols []string, o Options) (xi, yi, wi int, err error) {
	find := func(names []string) int {
		for _, n := range names {
			for i, c := range cols {
				if strings.EqualFold(c, n) {
					return i
				}
			}
		}
		return -1
	}
	xi, yi, wi = -1, -1, -1
	switch {
	case o.WKT != "":
		if wi = find([]string{o.WKT}); wi < 0 {
			return 0, 0, 0, fmt.Errorf("%w: no column %q", ErrNoCoordinates, o.WKT)
		}
		return -1, -1, wi, nil
	case o.Lon != "" || o.Lat != "":
		xi, yi = find([]string{o.Lon}), find([]string{o.Lat})
		if xi < 0 || yi < 0 {
			return 0, 0, 0, fmt.Errorf("%w: no column %q or %q", ErrNoCoordinates, o.Lon, o.Lat)
		}
		return xi, yi, -1, nil
	}
	xi, yi = find(xNames), find(yNames)
	if xi >= 0 && yi >= 0 {
		return xi, yi, -1, nil
	}
	if wi = find(wktNames); wi >= 0 {
		return -1, -1, wi, nil
	}
	return 0, 0, 0, fmt.Errorf("%w (name them lon and lat, x and y, or wkt)", ErrNoCoordinates)
}

func field(rec []string, i int) string {
	if i < len(rec) {
		return strings.TrimSpace(rec[i])
	}
	return ""
}

func isBlank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// parseCoordinate reads a number, with a decimal comma when the
// delimiter is not a comma; comma reports that it had one.
func parseCoordinate(s string, delim rune) (v float64, comma bool, err error) {
	if s == "" {
		return 0, false, ErrMissing
	}
	if delim != ',' && strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s, comma = strings.Replace(s, ",", ".", 1), true
	}
	v, err = strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false, ErrNotNumber
	}
	return v, comma, nil
}

// maxWKT is the longest WKT value read: a bound on what one cell can
// make the parser allocate.
const maxWKT = 1 << 20

func parseWKT(s string) (orb.Geometry, error) {
	if s == "" {
		return nil, ErrMissing
	}
	if len(s) > maxWKT {
		return nil, fmt.Errorf("%w: longer than %d bytes", ErrBadWKT, maxWKT)
	}
	gg, err := wkt.Unmarshal(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadWKT, err)
	}
	g, err := geomconv.FromGeom(gg)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadWKT, err)
	}
	if g == nil {
		return nil, fmt.Errorf("%w: empty geometry", ErrMissing)
	}
	return g, nil
}

// setProperties gives the features their other columns, each column as
// numbers when all its values are numbers.
func setProperties(res *Result, values [][]string, xi, yi, wi int) {
	numeric := make([]bool, len(res.Columns))
	for c := range numeric {
		if c == xi || c == yi || c == wi {
			continue
		}
		numeric[c] = slices.ContainsFunc(values, func(v []string) bool { return v[c] != "" }) &&
			!slices.ContainsFunc(values, func(v []string) bool { return v[c] != "" && !isNumber(v[c]) })
	}
	for i, vals := range values {
		props := make(map[string]any, len(res.Columns))
		for c, name := range res.Columns {
			if c == xi || c == yi || c == wi || name == "" {
				continue
			}
			switch v := vals[c]; {
			case v == "":
				props[name] = nil
			case numeric[c]:
				props[name], _ = strconv.ParseFloat(v, 64)
			default:
				props[name] = v
			}
		}
		res.Features[i].Properties = layer.PropertiesFromMap(props)
	}
}

// isNumber reports whether a value is a plain decimal number without a
// leading zero before other digits.
func isNumber(s string) bool {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return false
	}
	t := strings.TrimPrefix(s, "-")
	return !(len(t) > 1 && t[0] == '0' && t[1] != '.') && !strings.ContainsAny(s, "xXpP_")
}

// lineLimiter fails a read once a line exceeds MaxLineLength.
type lineLimiter struct {
	r    io.Reader
	line int
}

func (l *lineLimiter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, b := range p[:n] {
		if b == '\n' {
			l.line = 0
		} else if l.line++; l.line > MaxLineLength {
			return 0, fmt.Errorf("%w: over %d bytes", ErrLineTooLong, MaxLineLength)
		}
	}
	return n, err
}

// unwrapLimit returns the line-length error a csv.ParseError wraps, so
// that errors.Is finds it.
func unwrapLimit(err error) error {
	if errors.Is(err, ErrLineTooLong) {
		return fmt.Errorf("%w: over %d bytes", ErrLineTooLong, MaxLineLength)
	}
	return err
}
