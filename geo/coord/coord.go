// Package coord reads and writes coordinates as people type and read
// them: decimal degrees, degrees-minutes-seconds (and degrees-decimal-
// minutes), UTM and MGRS, all on WGS 84.
//
// Parse takes what a user types into a search box or a "Go to coordinate"
// field and returns the lon/lat point (orb order, x = longitude), the
// precision the text implies in metres, and which notation it recognised.
// Bare numbers are read latitude first, as Google Maps and most GIS search
// boxes do, unless the first cannot be a latitude (|v| > 90); hemisphere
// letters (N S E W, or the Russian с.ш. ю.ш. в.д. з.д.) always win.
//
// UTM goes through PROJ (geo/proj) and uses the standard zones with the
// Norway (32V) and Svalbard (31X–37X) exceptions; UTM ends at 80° S and
// 84° N, and the polar UPS grid is refused with an error that says so.
// MGRS uses the current (AA) lettering of WGS 84. An MGRS reference names a
// square; Parse returns its centre, and FormatMGRS truncates, as the
// standard asks, so formatting a parsed reference gives it back.
package coord

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/geodesic"
	"github.com/paulmach/orb"
)

// Errors of the package; each error returned wraps one of them.
var (
	// ErrSyntax means the text is not a coordinate in any notation the
	// package reads; the message says where it stops making sense.
	ErrSyntax = errors.New("coord: not a coordinate")
	// ErrRange means a value is outside what its notation allows, e.g.
	// "latitude 95 is outside −90…90" or "minutes 75 must be below 60".
	ErrRange = errors.New("coord: out of range")
)

// Kind names a coordinate notation.
type Kind string

// The notations Parse recognises and Format writes.
const (
	// KindDecimal is decimal degrees: "42.45 77.3", "42.45N 77.3E".
	KindDecimal Kind = "decimal"
	// KindDMS is degrees, minutes and seconds, or degrees and decimal
	// minutes: "42°27'N 77°18'E", "42 27 00 N 77 18 00 E", "42°27.5′ 77°18.2′".
	KindDMS Kind = "dms"
	// KindUTM is a UTM zone with its latitude band or hemisphere, easting
	// and northing in metres: "43T 500000 4700000", "43N 500000 4700000".
	KindUTM Kind = "utm"
	// KindMGRS is a Military Grid Reference System reference of 0 to 5
	// digits a coordinate: "43TGH 12345 67890", "43TGH1267".
	KindMGRS Kind = "mgrs"
)

// Position is what Parse read.
type Position struct {
	// Point is the position as longitude, latitude in degrees (WGS 84).
	Point orb.Point
	// Precision is the size on the ground of the input's last digit, in
	// metres: 1.1 km for "42.45 77.3", 31 m for whole seconds, 1 m for a
	// 5-digit MGRS reference, 100 km for an MGRS square without digits.
	Precision float64
	// Kind is the notation that was recognised.
	Kind Kind
}

// Parse reads a coordinate in any of the notations of Kind; see the
// package documentation for the conventions. Errors wrap ErrSyntax or
// ErrRange and say what is wrong.
func Parse(text string) (Position, error) {
	s := strings.TrimSpace(text)
	if s == "" {
		return Position{}, fmt.Errorf("%w: the text is empty", ErrSyntax)
	}
	if pos, ok, err := parseMGRS(s); ok {
		return pos, err
	}
	if pos, ok, err := parseUTM(s); ok {
		return pos, err
	}
	return parseLatLon(s)
}

// Format writes p in notation k at a precision of about a metre: 5
// decimals of a degree, tenths of a second, whole UTM metres, or 5-digit
// MGRS.
func Format(p orb.Point, k Kind) (string, error) {
	switch k {
	case KindDecimal:
		return FormatDecimal(p, 5)
	case KindDMS:
		return FormatDMS(p, 1)
	case KindUTM:
		u, err := ToUTM(p)
		if err != nil {
			return "", err
		}
		return u.String(), nil
	case KindMGRS:
		return FormatMGRS(p, 5)
	}
	return "", fmt.Errorf("%w: unknown notation %q", ErrSyntax, string(k))
}

// checkLonLat reports a point that is not a longitude/latitude.
func checkLonLat(p orb.Point) error {
	switch {
	case math.IsNaN(p[0]) || math.IsInf(p[0], 0) || math.IsNaN(p[1]) || math.IsInf(p[1], 0):
		return fmt.Errorf("%w: (%v, %v) is not a finite longitude/latitude", ErrRange, p[0], p[1])
	case p[1] < -90 || p[1] > 90:
		return fmt.Errorf("%w: latitude %v is outside −90…90", ErrRange, p[1])
	case p[0] < -180 || p[0] > 180:
		return fmt.Errorf("%w: longitude %v is outside −180…180", ErrRange, p[0])
	}
	return nil
}

// metresPerDegree returns the ground length of one degree of latitude and
// of longitude at latitude lat on WGS 84.
func metresPerDegree(lat float64) (latitude, longitude float64) {
	const a, f = geodesic.EquatorialRadius, geodesic.Flattening
	e2 := f * (2 - f)
	s := math.Sin(lat * math.Pi / 180)
	w := 1 - e2*s*s
	meridian := a * (1 - e2) / (w * math.Sqrt(w))
	normal := a / math.Sqrt(w)
	return meridian * math.Pi / 180, normal * math.Cos(lat*math.Pi/180) * math.Pi / 180
}
