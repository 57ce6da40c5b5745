package declaration

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ecoatlas/ecoatlas/app/i18n"
)

// IdentifySection returns the identify panel's section "What the
// declaration says here" for a feature the user identified on the map,
// drawn by the style layer layerID with the stable ID featureID: a
// heading and, for each clause that concerns the feature (names it,
// implies it, or concerns every feature of its layer), a button with the
// clause's number and title that opens its card and shows it on the map.
// It returns nil when no clause concerns the feature, or before the
// feature is installed.
func (f *Feature) IdentifySection(layerID, featureID string) fyne.CanvasObject {
	if f.m == nil {
		return nil
	}
	numbers := f.m.ClausesAt(layerID, featureID)
	if len(numbers) == 0 {
		return nil
	}
	title := widget.NewLabelWithStyle(i18n.T("declaration.identify.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	objects := []fyne.CanvasObject{title}
	for _, n := range numbers {
		c, _ := f.links.Clause(n)
		b := widget.NewButtonWithIcon("§"+strconv.Itoa(n)+" "+i18n.T(c.TitleKey()), theme.DocumentIcon(), func() { f.OpenClause(n) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		objects = append(objects, b)
	}
	return container.NewVBox(objects...)
}

// OpenClause opens the declaration panel at clause n's card and shows
// the clause on the map.
func (f *Feature) OpenClause(n int) {
	f.shell.ShowPanel(PanelID)
	f.SelectClause(n)
}
