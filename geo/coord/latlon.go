package coord

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/paulmach/orb"
)

// This file reads latitude/longitude in decimal degrees, DMS and DDM.

// tokenKind is the sort of a lexical token of a lat/lon text.
type tokenKind int

const (
	tokNumber tokenKind = iota
	tokUnit             // a degree, minute or second mark
	tokHemisphere
	tokSeparator // a comma or semicolon between the two coordinates
)

// unit is the unit a number is given in.
type unit int

const (
	unitNone unit = iota
	unitDegree
	unitMinute
	unitSecond
)

type token struct {
	kind     tokenKind
	text     string  // the number as typed
	value    float64 // the number's value, signed
	sign     int     // -1 or +1 when the number has a sign, else 0
	decimals int     // digits after the decimal point
	unit     unit
	hemi     byte // 'N', 'S', 'E' or 'W'
}

// Look-alike characters people paste for the marks and the minus sign.
var (
	degreeMarks = "°º˚∘ᵒ⁰"
	minuteMarks = "'′‘’´`ʹʼ"
	secondMarks = "\"″“”ʺ〃"
	minusSigns  = "-−–‐‑"
)

// russianHemispheres maps the Russian hemisphere abbreviations, without
// dots or spaces, to the hemisphere letter.
var russianHemispheres = map[string]byte{"сш": 'N', "юш": 'S', "вд": 'E', "зд": 'W'}

// tokenize splits a lat/lon text into tokens.
func tokenize(s string) ([]token, error) {
	s = normaliseDecimalCommas(s)
	runes := []rune(s)
	var tokens []token
	for i := 0; i < len(runes); {
		r := runes[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == ',' || r == ';':
			tokens = append(tokens, token{kind: tokSeparator, text: string(r)})
			i++
		case r == '+' || strings.ContainsRune(minusSigns, r) || r == '.' || (r >= '0' && r <= '9'):
			j, sign := i, 0
			if r == '+' {
				j, sign = j+1, 1
			} else if strings.ContainsRune(minusSigns, r) {
				j, sign = j+1, -1
			}
			digits, decimals, point := 0, 0, false
			for ; j < len(runes); j++ {
				c := runes[j]
				if c >= '0' && c <= '9' {
					digits++
					if point {
						decimals++
					}
				} else if c == '.' && !point {
					point = true
				} else {
					break
				}
			}
			if digits == 0 {
				return nil, fmt.Errorf("%w: %q at character %d is not a number", ErrSyntax, string(runes[i:j]), i+1)
			}
			text := string(runes[i:j])
			number := strings.Map(func(c rune) rune {
				if strings.ContainsRune(minusSigns, c) {
					return '-'
				}
				return c
			}, text)
			v, err := strconv.ParseFloat(number, 64)
			if err != nil || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: %q is not a number", ErrSyntax, text)
			}
			tokens = append(tokens, token{kind: tokNumber, text: text, value: v, sign: sign, decimals: decimals})
			i = j
		case strings.ContainsRune(degreeMarks, r):
			tokens = append(tokens, token{kind: tokUnit, unit: unitDegree, text: string(r)})
			i++
		case strings.ContainsRune(minuteMarks, r):
			// Two minute marks in a row are a second mark.
			if i+1 < len(runes) && strings.ContainsRune(minuteMarks, runes[i+1]) {
				tokens = append(tokens, token{kind: tokUnit, unit: unitSecond, text: string(runes[i : i+2])})
				i += 2
			} else {
				tokens = append(tokens, token{kind: tokUnit, unit: unitMinute, text: string(r)})
				i++
			}
		case strings.ContainsRune(secondMarks, r):
			tokens = append(tokens, token{kind: tokUnit, unit: unitSecond, text: string(r)})
			i++
		case unicode.IsLetter(r):
			j := i
			for j < len(runes) && (unicode.IsLetter(runes[j]) || runes[j] == '.' || (runes[j] == ' ' && j+1 < len(runes) && unicode.IsLetter(runes[j+1]) && runes[j-1] == '.')) {
				j++
			}
			word := string(runes[i:j])
			key := strings.ToLower(strings.NewReplacer(".", "", " ", "").Replace(word))
			switch {
			case len(key) == 1 && strings.Contains("nsew", key):
				tokens = append(tokens, token{kind: tokHemisphere, hemi: strings.ToUpper(key)[0], text: word})
			case russianHemispheres[key] != 0:
				tokens = append(tokens, token{kind: tokHemisphere, hemi: russianHemispheres[key], text: word})
			default:
				return nil, fmt.Errorf("%w: %q at character %d is neither a number nor a hemisphere (N, S, E, W)", ErrSyntax, word, i+1)
			}
			i = j
		default:
			return nil, fmt.Errorf("%w: unexpected %q at character %d", ErrSyntax, string(r), i+1)
		}
	}
	return tokens, nil
}

// normaliseDecimalCommas turns decimal commas ("42,45 77,3", as typed
// where the comma is the decimal separator) into points. A comma between
// two digits is a decimal comma only when the text has no point and the
// two coordinates are otherwise separated (by space or a semicolon);
// "42,77" stays a latitude and a longitude.
func normaliseDecimalCommas(s string) string {
	if strings.Contains(s, ".") {
		return s
	}
	runes := []rune(s)
	var inner []int
	for i := 1; i+1 < len(runes); i++ {
		if runes[i] == ',' && unicode.IsDigit(runes[i-1]) && unicode.IsDigit(runes[i+1]) {
			inner = append(inner, i)
		}
	}
	if len(inner) == 0 || !strings.ContainsAny(s, " \t;") {
		return s
	}
	for _, i := range inner {
		runes[i] = '.'
	}
	return string(runes)
}

// component is one coordinate of the pair: up to three numbers and an
// optional hemisphere.
type component struct {
	numbers []token
	hemi    byte
}

// split groups tokens into the two coordinates.
func split(tokens []token) ([]*component, error) {
	bare := true
	for _, t := range tokens {
		bare = bare && t.kind == tokNumber
	}
	if bare {
		// Bare numbers: "42.45 77.3", "42 27 77 18", "42 27 00 77 18 00".
		n := len(tokens)
		if n != 2 && n != 4 && n != 6 {
			return nil, fmt.Errorf("%w: %d numbers; give a latitude and a longitude as 2, 4 or 6 numbers", ErrSyntax, n)
		}
		return []*component{{numbers: tokens[:n/2]}, {numbers: tokens[n/2:]}}, nil
	}
	prefixHemispheres := tokens[0].kind == tokHemisphere
	comps := []*component{{}}
	current := func() *component { return comps[len(comps)-1] }
	next := func() {
		if len(current().numbers) > 0 || current().hemi != 0 {
			comps = append(comps, &component{})
		}
	}
	for i := 0; i < len(tokens); i++ {
		t := tokens[i]
		switch t.kind {
		case tokSeparator:
			// After a hemisphere letter that closed the first coordinate
			// ("42°27'N, 77°18'E") the separator has nothing left to do.
			if len(current().numbers) == 0 && current().hemi == 0 && len(comps) == 1 {
				return nil, fmt.Errorf("%w: %q with no number before it", ErrSyntax, t.text)
			}
			next()
		case tokHemisphere:
			if prefixHemispheres {
				next()
				current().hemi = t.hemi
				continue
			}
			if len(current().numbers) == 0 {
				return nil, fmt.Errorf("%w: hemisphere %q has no number before it", ErrSyntax, t.text)
			}
			current().hemi = t.hemi
			next()
		case tokUnit:
			return nil, fmt.Errorf("%w: the mark %q has no number before it", ErrSyntax, t.text)
		case tokNumber:
			if i+1 < len(tokens) && tokens[i+1].kind == tokUnit {
				t.unit = tokens[i+1].unit
				i++
			}
			if c := current(); len(c.numbers) > 0 {
				last := c.numbers[len(c.numbers)-1]
				// A new coordinate starts with a second degree value, after a
				// number with decimals (only a coordinate's last number has
				// them), and after seconds; otherwise a number without a mark
				// is the unit after the previous one ("42°27.5N").
				if last.decimals > 0 && (t.unit == unitMinute || t.unit == unitSecond) {
					return nil, fmt.Errorf("%w: only the last number of a coordinate may have decimals (%s)", ErrSyntax, last.text)
				}
				if t.unit == unitDegree || last.decimals > 0 || last.unit == unitSecond || len(c.numbers) == 3 {
					next()
				}
			}
			current().numbers = append(current().numbers, t)
		}
	}
	if c := current(); len(c.numbers) == 0 && c.hemi == 0 {
		comps = comps[:len(comps)-1]
	}
	for _, c := range comps {
		if len(c.numbers) == 0 {
			return nil, fmt.Errorf("%w: hemisphere %c has no number after it", ErrSyntax, c.hemi)
		}
	}
	switch len(comps) {
	case 2:
		return comps, nil
	case 1:
		return nil, fmt.Errorf("%w: found one coordinate; give a latitude and a longitude", ErrSyntax)
	}
	return nil, fmt.Errorf("%w: found %d coordinates; give a latitude and a longitude", ErrSyntax, len(comps))
}

// degrees returns the component's value in degrees (its sign from a minus
// or a S/W hemisphere), the size of its last digit in degrees, and
// whether it used minutes or seconds.
func (c *component) degrees(name string) (value, step float64, sexagesimal bool, err error) {
	units := make([]unit, len(c.numbers))
	for i, n := range c.numbers {
		switch {
		case n.unit != unitNone:
			units[i] = n.unit
		case i == 0:
			units[i] = unitDegree
		default:
			units[i] = units[i-1] + 1
		}
		if units[i] > unitSecond {
			return 0, 0, false, fmt.Errorf("%w: %s has a number after its seconds", ErrSyntax, name)
		}
		if i > 0 && units[i] <= units[i-1] {
			return 0, 0, false, fmt.Errorf("%w: %s gives its units out of order", ErrSyntax, name)
		}
	}
	if units[0] != unitDegree {
		return 0, 0, false, fmt.Errorf("%w: %s has no degrees", ErrSyntax, name)
	}
	for i, n := range c.numbers {
		if i > 0 && n.sign != 0 {
			return 0, 0, false, fmt.Errorf("%w: %s: only the degrees may carry a sign", ErrSyntax, name)
		}
		if i < len(c.numbers)-1 && n.decimals > 0 {
			return 0, 0, false, fmt.Errorf("%w: %s: only the last number may have decimals (%s)", ErrSyntax, name, n.text)
		}
		if i > 0 && n.value >= 60 {
			what := "minutes"
			if units[i] == unitSecond {
				what = "seconds"
			}
			return 0, 0, false, fmt.Errorf("%w: %s: %s %s must be below 60", ErrRange, name, what, n.text)
		}
	}
	negative := c.numbers[0].sign < 0
	if negative && c.hemi != 0 {
		return 0, 0, false, fmt.Errorf("%w: %s has both a minus sign and hemisphere %c", ErrSyntax, name, c.hemi)
	}
	scale := map[unit]float64{unitDegree: 1, unitMinute: 60, unitSecond: 3600}
	for i, n := range c.numbers {
		value += math.Abs(n.value) / scale[units[i]]
	}
	last := c.numbers[len(c.numbers)-1]
	step = math.Pow(10, -float64(last.decimals)) / scale[units[len(units)-1]]
	if negative || c.hemi == 'S' || c.hemi == 'W' {
		value = -value
	}
	return value, step, len(c.numbers) > 1, nil
}

// axis returns 'N' for a latitude hemisphere, 'E' for a longitude one and
// 0 for none.
func (c *component) axis() byte {
	switch c.hemi {
	case 'N', 'S':
		return 'N'
	case 'E', 'W':
		return 'E'
	}
	return 0
}

// parseLatLon reads decimal degrees, DMS or DDM.
func parseLatLon(s string) (Position, error) {
	s = strings.TrimSpace(strings.Trim(s, "()[]{}"))
	tokens, err := tokenize(s)
	if err != nil {
		return Position{}, err
	}
	comps, err := split(tokens)
	if err != nil {
		return Position{}, err
	}
	first, second := comps[0], comps[1]
	latFirst := true
	switch a, b := first.axis(), second.axis(); {
	case a != 0 && a == b:
		if a == 'N' {
			return Position{}, fmt.Errorf("%w: both coordinates are latitudes (N/S)", ErrSyntax)
		}
		return Position{}, fmt.Errorf("%w: both coordinates are longitudes (E/W)", ErrSyntax)
	case a == 'E' || b == 'N':
		latFirst = false
	case a == 0 && b == 0:
		v, _, _, err := first.degrees("the first coordinate")
		if err != nil {
			return Position{}, err
		}
		latFirst = math.Abs(v) <= 90
	}
	latComp, lonComp := first, second
	if !latFirst {
		latComp, lonComp = second, first
	}
	lat, latStep, latSexagesimal, err := latComp.degrees("the latitude")
	if err != nil {
		return Position{}, err
	}
	lon, lonStep, lonSexagesimal, err := lonComp.degrees("the longitude")
	if err != nil {
		return Position{}, err
	}
	if lat < -90 || lat > 90 {
		if first.axis() == 0 && second.axis() == 0 {
			return Position{}, fmt.Errorf("%w: neither %v nor %v can be a latitude (−90…90)", ErrRange, trimFloat(lon), trimFloat(lat))
		}
		return Position{}, fmt.Errorf("%w: latitude %v is outside −90…90", ErrRange, trimFloat(lat))
	}
	if lon < -180 || lon > 180 {
		return Position{}, fmt.Errorf("%w: longitude %v is outside −180…180", ErrRange, trimFloat(lon))
	}
	kind := KindDecimal
	if latSexagesimal || lonSexagesimal {
		kind = KindDMS
	}
	perLat, perLon := metresPerDegree(lat)
	return Position{
		Point:     orb.Point{lon, lat},
		Precision: math.Max(latStep*perLat, lonStep*perLon),
		Kind:      kind,
	}, nil
}

// trimFloat formats v without trailing zeros.
func trimFloat(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}
