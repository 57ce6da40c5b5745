package measure

import (
	"math"

	"github.com/ecoatlas/ecoatlas/app/i18n"
)

// Length writes a distance in metres the way a planner reads it: metres
// below a kilometre, kilometres above, with fewer decimals as the number
// grows (8 m, 640 m, 3.25 km, 48.6 km, 1,204 km), in the interface
// language's number format.
func Length(metres float64) string {
	if metres < 1000 {
		return i18n.T("measure.m", map[string]any{"N": i18n.Number(metres, decimalsFor(metres))})
	}
	km := metres / 1000
	return i18n.T("measure.km", map[string]any{"N": i18n.Number(km, decimalsFor(km))})
}

// AreaText writes an area in square metres: square metres below a
// hectare, hectares below a square kilometre, square kilometres above.
func AreaText(squareMetres float64) string {
	switch {
	case squareMetres < 1e4:
		return i18n.T("measure.m2", map[string]any{"N": i18n.Number(squareMetres, 0)})
	case squareMetres < 1e6:
		ha := squareMetres / 1e4
		return i18n.T("measure.ha", map[string]any{"N": i18n.Number(ha, decimalsFor(ha))})
	}
	km2 := squareMetres / 1e6
	return i18n.T("measure.km2", map[string]any{"N": i18n.Number(km2, decimalsFor(km2))})
}

// Azimuth writes a direction in degrees clockwise from north, 0 to 359.
func Azimuth(degrees float64) string {
	d := math.Mod(math.Round(degrees)+360, 360)
	return i18n.T("measure.degrees", map[string]any{"N": i18n.Number(d, 0)})
}

// decimalsFor returns how many decimals a number of a unit deserves: two
// below 10, one below 100, none above, so a figure keeps three or four
// significant digits.
func decimalsFor(x float64) int {
	switch {
	case x < 10:
		return 2
	case x < 100:
		return 1
	}
	return 0
}
