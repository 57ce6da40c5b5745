package coord

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/ecoatlas/ecoatlas/geo/proj"
	"github.com/paulmach/orb"
)

// bandLetters are UTM's latitude bands, 8° each from 80° S (X is 12°).
const bandLetters = "CDEFGHJKLMNPQRSTUVWX"

// UTM is a position on the Universal Transverse Mercator grid of WGS 84.
type UTM struct {
	// Zone is the zone number, 1…60.
	Zone int
	// Band is the latitude band letter, C…X without I and O; N and above
	// are in the northern hemisphere.
	Band byte
	// Easting and Northing are in metres, with the false easting of
	// 500 000 m and, south of the equator, the false northing of
	// 10 000 000 m.
	Easting, Northing float64
}

// North reports whether the position is in the northern hemisphere.
func (u UTM) North() bool { return u.Band >= 'N' }

// String writes the position rounded to the metre, e.g.
// "43T 500000 4700000".
func (u UTM) String() string {
	return fmt.Sprintf("%d%c %.0f %.0f", u.Zone, u.Band, u.Easting, u.Northing)
}

// ToUTM returns the UTM position of a lon/lat point in its standard zone
// (with the Norway and Svalbard exceptions). UTM covers 80° S to 84° N.
func ToUTM(p orb.Point) (UTM, error) {
	if err := checkLonLat(p); err != nil {
		return UTM{}, err
	}
	lon, lat := p[0], p[1]
	if lat < -80 || lat > 84 {
		return UTM{}, fmt.Errorf("%w: latitude %v is outside UTM's −80…84 (the polar UPS grid is not supported)", ErrRange, trimFloat(lat))
	}
	if lon >= 180 {
		lon -= 360
	}
	band := bandLetters[min(int(math.Floor((lat+80)/8)), len(bandLetters)-1)]
	zone := standardZone(lon, band)
	t, err := utmTransform(zone, band >= 'N')
	if err != nil {
		return UTM{}, err
	}
	en, err := t.Forward(orb.Point{lon, lat})
	if err != nil {
		return UTM{}, fmt.Errorf("%w: %v", ErrRange, err)
	}
	return UTM{Zone: zone, Band: band, Easting: en[0], Northing: en[1]}, nil
}

// FromUTM returns the lon/lat point of a UTM position; north says whether
// the northing is in the northern hemisphere.
func FromUTM(zone int, north bool, easting, northing float64) (orb.Point, error) {
	if zone < 1 || zone > 60 {
		return orb.Point{}, fmt.Errorf("%w: UTM zone %d is outside 1…60", ErrRange, zone)
	}
	if !(easting >= 100_000 && easting <= 900_000) {
		return orb.Point{}, fmt.Errorf("%w: easting %v is outside UTM's 100000…900000 m", ErrRange, trimFloat(easting))
	}
	if !(northing >= 0 && northing <= 10_000_000) {
		return orb.Point{}, fmt.Errorf("%w: northing %v is outside UTM's 0…10000000 m", ErrRange, trimFloat(northing))
	}
	t, err := utmTransform(zone, north)
	if err != nil {
		return orb.Point{}, err
	}
	p, err := t.Inverse(orb.Point{easting, northing})
	if err != nil {
		return orb.Point{}, fmt.Errorf("%w: %v", ErrRange, err)
	}
	if p[1] < -80 || p[1] > 84 {
		return orb.Point{}, fmt.Errorf("%w: that UTM position is at latitude %.4f, outside UTM's −80…84", ErrRange, p[1])
	}
	return p, nil
}

// standardZone returns the UTM zone of a longitude in [−180, 180) and a
// latitude band, with the exceptions for south-western Norway (32V) and
// Svalbard (31X, 33X, 35X, 37X).
func standardZone(lon float64, band byte) int {
	zone := int(math.Floor((lon+180)/6)) + 1
	switch {
	case band == 'V' && lon >= 3 && lon < 12:
		return 32
	case band == 'X' && lon >= 0 && lon < 42:
		switch {
		case lon < 9:
			return 31
		case lon < 21:
			return 33
		case lon < 33:
			return 35
		default:
			return 37
		}
	}
	return zone
}

// utmTransforms caches one transform per zone and hemisphere, keyed by the
// zone number, negative in the south.
var utmTransforms sync.Map

// utmTransform returns the transform from WGS 84 lon/lat to a UTM zone.
func utmTransform(zone int, north bool) (*proj.Transform, error) {
	key, code := zone, 32600+zone
	if !north {
		key, code = -zone, 32700+zone
	}
	if t, ok := utmTransforms.Load(key); ok {
		return t.(*proj.Transform), nil
	}
	crs, err := proj.EPSG(code)
	if err != nil {
		return nil, err
	}
	t, err := proj.NewTransform(proj.WGS84, crs)
	if err != nil {
		return nil, err
	}
	actual, _ := utmTransforms.LoadOrStore(key, t)
	return actual.(*proj.Transform), nil
}

// utmPattern matches a UTM position: zone, band or hemisphere letter,
// easting (at least five digits) and northing (any, as it is 0 on the
// equator), optionally marked "mE"/"E" and "mN"/"N".
var utmPattern = regexp.MustCompile(`(?i)^(\d{1,2})\s*([a-z])[\s,;]+(\d{5,}(?:\.\d+)?)\s*(?:m\s*e|e)?[\s,;]+(\d+(?:\.\d+)?)\s*(?:m\s*n|n)?$`)

// parseUTM reads "43T 500000 4700000" or "43N 500000 4700000". Ok is
// false when the text does not have UTM's shape.
func parseUTM(s string) (pos Position, ok bool, err error) {
	m := utmPattern.FindStringSubmatch(s)
	if m == nil {
		return Position{}, false, nil
	}
	zone, _ := strconv.Atoi(m[1])
	letter := strings.ToUpper(m[2])[0]
	easting, _ := strconv.ParseFloat(m[3], 64)
	northing, _ := strconv.ParseFloat(m[4], 64)
	precision := math.Pow(10, -float64(min(decimals(m[3]), decimals(m[4]))))
	if strings.IndexByte("ABYZ", letter) >= 0 {
		return Position{}, true, fmt.Errorf("%w: %c is a polar zone letter; the polar UPS grid is not supported", ErrRange, letter)
	}
	band := strings.IndexByte(bandLetters, letter)
	if band < 0 {
		return Position{}, true, fmt.Errorf("%w: %c is not a UTM latitude band (C…X without I and O) nor a hemisphere (N, S)", ErrSyntax, letter)
	}
	pos = Position{Precision: precision, Kind: KindUTM}
	switch letter {
	case 'N':
		// Band N (0°…8° N) or the northern hemisphere: the same northings.
		pos.Point, err = FromUTM(zone, true, easting, northing)
		return pos, true, err
	case 'S':
		// Band S (32°…40° N, much of the region's south) when the northing
		// lies there, else the southern hemisphere.
		if p, err := FromUTM(zone, true, easting, northing); err == nil && inBand(p[1], band) {
			pos.Point = p
			return pos, true, nil
		}
		pos.Point, err = FromUTM(zone, false, easting, northing)
		return pos, true, err
	}
	p, err := FromUTM(zone, letter >= 'N', easting, northing)
	if err != nil {
		return Position{}, true, err
	}
	if !inBand(p[1], band) {
		return Position{}, true, fmt.Errorf("%w: northing %s is at latitude %.2f, outside band %c (%d…%d)",
			ErrRange, m[4], p[1], letter, bandSouth(band), bandSouth(band)+bandHeight(band))
	}
	pos.Point = p
	return pos, true, nil
}

// bandSouth and bandHeight give a band's southern latitude and height in
// degrees.
func bandSouth(band int) int { return -80 + 8*band }

func bandHeight(band int) int {
	if bandLetters[band] == 'X' {
		return 12
	}
	return 8
}

// inBand reports whether a latitude lies in a band, allowing a metre or so
// for rounding at its edges.
func inBand(lat float64, band int) bool {
	const slack = 1e-4
	south := float64(bandSouth(band))
	return lat >= south-slack && lat <= south+float64(bandHeight(band))+slack
}

// decimals counts the digits after a number's decimal point.
func decimals(number string) int {
	if i := strings.IndexByte(number, '.'); i >= 0 {
		return len(number) - i - 1
	}
	return 0
}
