package i18n

import (
	"math"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// Number writes x with at most decimals digits after the separator, as the
// current language writes numbers: "1,234.5" in English, "1 234,5" in
// Russian and the region's languages (grouped by thin no-break spaces, as
// CLDR has it).
func Number(x float64, decimals int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	p := message.NewPrinter(language.Make(Current()))
	return p.Sprint(number.Decimal(x, number.MaxFractionDigits(decimals)))
}

// Int writes n as the current language writes whole numbers.
func Int(n int) string { return Number(float64(n), 0) }

// Date writes a date in the current language's numeric order, from the
// catalogue's "format.date" layout (a Go time layout, such as 02.01.2006).
func Date(t time.Time) string {
	layout := T("format.date")
	if layout == "format.date" || !strings.Contains(layout, "2006") {
		layout = time.DateOnly
	}
	return t.Format(layout)
}
