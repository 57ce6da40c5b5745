package shell

import (
	"io/fs"
	"path"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/assets"
)

// aboutSize is the About dialog's size: room for the provenance tables.
var aboutSize = fyne.NewSize(860, 620)

// newAbout returns the About dialog: the app's name, version and licence
// over two tabs, the data provenance and the data licences.
func newAbout(w fyne.Window, version string) dialog.Dialog {
	icon := canvas.NewImageFromResource(fyne.NewStaticResource("icon.png", assets.Icon))
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSize(64, 64))
	name := widget.NewLabelWithStyle(i18n.T("app.name"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.SizeName = theme.SizeNameHeadingText
	summary := widget.NewLabel(strings.Join([]string{
		i18n.T("app.tagline"),
		i18n.T("about.version", map[string]any{"Version": version}),
		i18n.T("about.licence"),
		i18n.T("about.regions"),
	}, "\n"))
	summary.Wrapping = fyne.TextWrapWord
	header := container.NewBorder(nil, nil, icon, nil, container.NewVBox(name, summary))

	provenance := newMarkdown(assets.Provenance())
	provenance.Wrapping = fyne.TextWrapWord
	tabs := container.NewAppTabs(
		container.NewTabItem(i18n.T("about.sources"), container.NewVScroll(provenance)),
		container.NewTabItem(i18n.T("about.licences"), licenceBrowser()),
	)
	d := dialog.NewCustom(i18n.T("about.title"), i18n.T("dialog.close"), container.NewBorder(header, nil, nil, nil, tabs), w)
	d.Resize(aboutSize)
	return d
}

// licenceBrowser lists the licence texts of the data beside the text of
// the selected one; the overview (README.md) comes first and is shown at
// the start.
func licenceBrowser() fyne.CanvasObject {
	files := licenceFiles()
	text := widget.NewRichText()
	text.Wrapping = fyne.TextWrapWord
	scroll := container.NewVScroll(text)
	show := func(name string) {
		text.Segments = licenceText(name)
		text.Refresh()
		scroll.ScrollToTop()
	}
	widest := "" // the row template, so the list is as wide as its longest title
	for _, f := range files {
		if t := licenceTitle(f); len([]rune(t)) > len([]rune(widest)) {
			widest = t
		}
	}
	list := widget.NewList(
		func() int { return len(files) },
		func() fyne.CanvasObject { return widget.NewLabel(widest) },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(licenceTitle(files[i])) },
	)
	list.OnSelected = func(i widget.ListItemID) { show(files[i]) }
	if len(files) > 0 {
		list.Select(0)
	}
	split := container.NewHSplit(list, scroll)
	split.Offset = 0.3
	return split
}

// licenceText returns the text of a licence file: the Markdown overview
// rendered, a licence as it is written, in a fixed-width font.
func licenceText(name string) []widget.RichTextSegment {
	data, err := fs.ReadFile(assets.Licenses(), name)
	if err != nil {
		return []widget.RichTextSegment{&widget.TextSegment{Text: err.Error(), Style: widget.RichTextStyleInline}}
	}
	if path.Ext(name) == ".md" {
		return newMarkdown(string(data)).Segments
	}
	return []widget.RichTextSegment{&widget.TextSegment{Text: string(data), Style: widget.RichTextStyleCodeBlock}}
}

// overviewFile maps each data file to its licence.
const overviewFile = "README.md"

// licenceFiles returns the names of the licence files, the overview first.
func licenceFiles() []string {
	entries, err := fs.ReadDir(assets.Licenses(), ".")
	if err != nil {
		return nil
	}
	files := []string{overviewFile}
	for _, e := range entries {
		if !e.IsDir() && e.Name() != overviewFile {
			files = append(files, e.Name())
		}
	}
	return files
}

// licenceTitle returns the list entry of a licence file.
func licenceTitle(name string) string {
	if name == overviewFile {
		return i18n.T("about.licences.overview")
	}
	return strings.TrimSuffix(name, path.Ext(name))
}
