// Package words gives printed map pages their words in the interface's
// language, from the catalogue of package i18n: the legend's heading,
// the scale bar's units, the date line. It does not import Fyne, so the
// atlas CLI prints the same pages as the app.
package words

import (
	"strconv"
	"time"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/geo/export"
)

// Page returns the words of an exported page in the current language.
func Page() export.Words {
	return export.Words{
		Legend:  i18n.T("export.page.legend"),
		Sources: i18n.T("export.page.sources"),
		North:   i18n.T("export.page.north"),
		Distance: func(m float64) string {
			if m >= 1000 {
				return i18n.T("export.page.km", map[string]any{"N": i18n.Number(m/1000, 3)})
			}
			return i18n.T("export.page.m", map[string]any{"N": i18n.Number(m, 0)})
		},
		ScaleAt: func(lat float64) string {
			key := "export.page.scale_north"
			if lat < 0 {
				key, lat = "export.page.scale_south", -lat
			}
			return i18n.T(key, map[string]any{"Lat": i18n.Number(lat, 1)})
		},
		Made: func(t time.Time) string {
			return i18n.T("export.page.made", map[string]any{"Date": i18n.Date(t)})
		},
		PageOf: func(n, total int) string {
			return i18n.T("export.page.page_of", map[string]any{"N": strconv.Itoa(n), "Total": strconv.Itoa(total)})
		},
	}
}
