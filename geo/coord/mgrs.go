package coord

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// MGRS lettering of the 100 km squares (the current "AA" scheme): column
// letters cycle through three sets by zone, row letters through twenty,
// offset by five in even zones. I and O are never used.
var mgrsColumns = [3]string{"ABCDEFGH", "JKLMNPQR", "STUVWXYZ"}

const mgrsRows = "ABCDEFGHJKLMNPQRSTUV"

// FormatMGRS writes p as an MGRS reference with digits (0…5) digits per
// coordinate, e.g. "43T GH 12345 67890" with 5 (1 m squares) or "43T GH"
// with 0 (100 km). Coordinates are truncated, as MGRS asks: the reference
// names the square that contains p.
func FormatMGRS(p orb.Point, digits int) (string, error) {
	if digits < 0 || digits > 5 {
		return "", fmt.Errorf("%w: MGRS takes 0…5 digits a coordinate, not %d", ErrRange, digits)
	}
	u, err := ToUTM(p)
	if err != nil {
		return "", err
	}
	column := int(math.Floor(u.Easting / 100_000))
	if column < 1 || column > 8 {
		return "", fmt.Errorf("%w: easting %.0f is outside MGRS's columns", ErrRange, u.Easting)
	}
	row := int(math.Floor(u.Northing/100_000)) % 20
	if u.Zone%2 == 0 {
		row = (row + 5) % 20
	}
	ref := fmt.Sprintf("%d%c %c%c", u.Zone, u.Band, mgrsColumns[(u.Zone-1)%3][column-1], mgrsRows[row])
	if digits == 0 {
		return ref, nil
	}
	// Truncate to micrometres first, so that a value a hair under a
	// boundary through floating-point error lands where it belongs.
	unit := math.Pow(10, float64(5-digits))
	e := int64(math.Floor(math.Round(math.Mod(u.Easting, 100_000)*1e6)/1e6/unit)) % int64(100_000/unit)
	n := int64(math.Floor(math.Round(math.Mod(u.Northing, 100_000)*1e6)/1e6/unit)) % int64(100_000/unit)
	return fmt.Sprintf("%s %0*d %0*d", ref, digits, e, digits, n), nil
}

// mgrsPattern matches an MGRS reference: zone, band, two square letters
// and 0 to 10 digits, as one run or two groups.
var mgrsPattern = regexp.MustCompile(`(?i)^(\d{1,2})\s*([a-z])\s*([a-z])\s*([a-z])\s*(\d*)(?:\s+(\d+))?$`)

// polarPattern matches a polar (UPS) MGRS reference, which has no zone.
var polarPattern = regexp.MustCompile(`(?i)^[abyz]\s*[a-z]\s*[a-z]\s*\d*(?:\s+\d+)?$`)

// parseMGRS reads an MGRS reference and returns the centre of its square.
// Ok is false when the text does not have MGRS's shape.
func parseMGRS(s string) (pos Position, ok bool, err error) {
	if polarPattern.MatchString(s) {
		return Position{}, true, fmt.Errorf("%w: %q is a polar MGRS reference; the polar UPS grid is not supported", ErrRange, s)
	}
	m := mgrsPattern.FindStringSubmatch(s)
	if m == nil {
		return Position{}, false, nil
	}
	zone, _ := strconv.Atoi(m[1])
	letters := strings.ToUpper(m[2] + m[3] + m[4])
	eDigits, nDigits := m[5], m[6]
	if nDigits == "" {
		if len(eDigits)%2 != 0 {
			return Position{}, true, fmt.Errorf("%w: MGRS needs as many easting digits as northing digits; %q has an odd count", ErrSyntax, eDigits)
		}
		eDigits, nDigits = eDigits[:len(eDigits)/2], eDigits[len(eDigits)/2:]
	} else if len(eDigits) != len(nDigits) {
		return Position{}, true, fmt.Errorf("%w: MGRS needs as many easting digits as northing digits, not %d and %d", ErrSyntax, len(eDigits), len(nDigits))
	}
	if len(eDigits) > 5 {
		return Position{}, true, fmt.Errorf("%w: MGRS takes at most 5 digits a coordinate, not %d", ErrSyntax, len(eDigits))
	}
	if zone < 1 || zone > 60 {
		return Position{}, true, fmt.Errorf("%w: UTM zone %d is outside 1…60", ErrRange, zone)
	}
	band := strings.IndexByte(bandLetters, letters[0])
	if band < 0 {
		return Position{}, true, fmt.Errorf("%w: %c is not a latitude band (C…X without I and O)", ErrSyntax, letters[0])
	}
	columns := mgrsColumns[(zone-1)%3]
	column := strings.IndexByte(columns, letters[1])
	if column < 0 {
		return Position{}, true, fmt.Errorf("%w: column letter %c is not used in zone %d (its columns are %s)", ErrSyntax, letters[1], zone, columns)
	}
	row := strings.IndexByte(mgrsRows, letters[2])
	if row < 0 {
		return Position{}, true, fmt.Errorf("%w: %c is not an MGRS row letter (A…V without I and O)", ErrSyntax, letters[2])
	}
	if zone%2 == 0 {
		row = (row + 15) % 20
	}
	unit := math.Pow(10, float64(5-len(eDigits)))
	e, n := 0.0, 0.0
	if eDigits != "" {
		ev, _ := strconv.Atoi(eDigits)
		nv, _ := strconv.Atoi(nDigits)
		e, n = float64(ev)*unit, float64(nv)*unit
	}
	easting := float64(column+1)*100_000 + e + unit/2
	northingInCycle := float64(row)*100_000 + n + unit/2

	// The row letters repeat every 2000 km: take the northing whose
	// latitude is nearest the band's middle.
	north := letters[0] >= 'N'
	middle := float64(bandSouth(band)) + float64(bandHeight(band))/2
	best, bestGap := orb.Point{}, math.Inf(1)
	for k := range 5 {
		p, err := FromUTM(zone, north, easting, northingInCycle+float64(k)*2_000_000)
		if err != nil {
			continue
		}
		if gap := math.Abs(p[1] - middle); gap < bestGap {
			best, bestGap = p, gap
		}
	}
	// A square may straddle its band's edge by up to 100 km (about 1°).
	if bestGap > float64(bandHeight(band))/2+1 {
		return Position{}, true, fmt.Errorf("%w: square %s of zone %d does not reach band %c", ErrRange, letters[1:], zone, letters[0])
	}
	return Position{Point: best, Precision: unit, Kind: KindMGRS}, true, nil
}
