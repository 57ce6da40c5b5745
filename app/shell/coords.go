package shell

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/i18n"
)

// formatLonLat returns a lon/lat point as the status bar shows it:
// latitude first, in decimal degrees and in degrees, minutes and seconds,
// such as "42.4567° N 77.1234° E · 42°27′24″ N 77°07′24″ E".
func formatLonLat(p orb.Point) string {
	lon, lat := p[0], p[1]
	return i18n.T("status.cursor", map[string]any{
		"Lat":    decimal(lat, "coords.north", "coords.south"),
		"Lon":    decimal(lon, "coords.east", "coords.west"),
		"LatDMS": dms(lat, "coords.north", "coords.south"),
		"LonDMS": dms(lon, "coords.east", "coords.west"),
	})
}

// decimal formats an angle with four decimals (about 10 m) and the
// hemisphere letter: the key positive for values that round to zero or
// more, negative for the others.
func decimal(deg float64, positive, negative string) string {
	tenThousandths := math.Round(math.Abs(deg) * 1e4)
	return fmt.Sprintf("%.4f° %s", tenThousandths/1e4, hemisphere(deg < 0 && tenThousandths > 0, positive, negative))
}

// dms formats an angle as whole degrees, minutes and seconds, rounded to
// the second before splitting, so 59.9999° is 60°00′00″, not 59°59′60″.
func dms(deg float64, positive, negative string) string {
	seconds := int64(math.Round(math.Abs(deg) * 3600))
	return fmt.Sprintf("%d°%02d′%02d″ %s", seconds/3600, seconds/60%60, seconds%60,
		hemisphere(deg < 0 && seconds > 0, positive, negative))
}

func hemisphere(isNegative bool, positive, negative string) string {
	if isNegative {
		return i18n.T(negative)
	}
	return i18n.T(positive)
}
