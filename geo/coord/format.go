package coord

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// FormatDecimal writes p as decimal degrees, latitude first, with the
// given number of decimals (0…12; 5 is about a metre), e.g.
// "42.45000°N 77.30000°E".
func FormatDecimal(p orb.Point, decimals int) (string, error) {
	if err := checkLonLat(p); err != nil {
		return "", err
	}
	if decimals < 0 || decimals > 12 {
		return "", fmt.Errorf("%w: decimal degrees take 0…12 decimals, not %d", ErrRange, decimals)
	}
	return decimalPart(p[1], decimals, 'N', 'S') + " " + decimalPart(p[0], decimals, 'E', 'W'), nil
}

func decimalPart(v float64, decimals int, positive, negative byte) string {
	scale := math.Pow(10, float64(decimals))
	rounded := math.Round(math.Abs(v)*scale) / scale
	hemi := positive
	if v < 0 && rounded != 0 {
		hemi = negative
	}
	return fmt.Sprintf("%.*f°%c", decimals, rounded, hemi)
}

// FormatDMS writes p as degrees, minutes and seconds, latitude first, with
// the given number of decimals of a second (0…6; 1 is about 3 m), e.g.
// "42°27′00.0″N 77°18′00.0″E".
func FormatDMS(p orb.Point, decimals int) (string, error) {
	if err := checkLonLat(p); err != nil {
		return "", err
	}
	if decimals < 0 || decimals > 6 {
		return "", fmt.Errorf("%w: seconds take 0…6 decimals, not %d", ErrRange, decimals)
	}
	return dmsPart(p[1], decimals, 'N', 'S') + " " + dmsPart(p[0], decimals, 'E', 'W'), nil
}

func dmsPart(v float64, decimals int, positive, negative byte) string {
	// Count in units of the last decimal of a second, so that rounding
	// carries into minutes and degrees (59.96″ becomes 1′00.0″).
	scale := math.Pow(10, float64(decimals))
	units := int64(math.Round(math.Abs(v) * 3600 * scale))
	hemi := positive
	if v < 0 && units != 0 {
		hemi = negative
	}
	perMinute := int64(60 * scale)
	degrees := units / (60 * perMinute)
	minutes := units / perMinute % 60
	seconds := float64(units%perMinute) / scale
	width := 2
	if decimals > 0 {
		width = 3 + decimals
	}
	return fmt.Sprintf("%d°%02d′%0*.*f″%c", degrees, minutes, width, decimals, seconds, hemi)
}
