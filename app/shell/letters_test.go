package shell_test

import (
	"image/color"
	"maps"
	"slices"
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/image/font/sfnt"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/geo/imgtest"
)

// TestUI_drawsTheRegionsLetters renders a label in each national language
// with its own letters in Fyne's theme (its bundled Noto Sans), light and
// dark, as the app's panels do; the golden images show that no letter is a
// missing-glyph box.
func TestUI_drawsTheRegionsLetters(t *testing.T) {
	for name, variant := range map[string]fyne.ThemeVariant{"letters_light": theme.VariantLight, "letters_dark": theme.VariantDark} {
		t.Run(name, func(t *testing.T) {
			a := test.NewTempApp(t)
			a.Settings().SetTheme(variantTheme{theme.DefaultTheme(), variant})
			lines := container.NewVBox()
			for _, text := range []string{
				"Қазақстан: Өскемен, Ұлытау, Әулиеата, Шығыс, Іле, Һ",
				"Кыргызстан: Ысык-Көл, Түп, Кеңеш",
				"Тоҷикистон: Ғарм, Қӯрғонтеппа, Ҳисор, Хуҷанд, Ӣ",
				"Türkmenistan: Aşgabat, Ýolöten, Änew, Çärjew, ň, ž",
				"Oʻzbekiston: Fargʻona, Qoraqalpogʻiston",
			} {
				lines.Add(widget.NewLabel(text))
			}
			w := test.NewTempWindow(t, lines)
			w.Resize(fyne.NewSize(460, 220))
			imgtest.Assert(t, name, w.Canvas().Capture())
		})
	}
}

// variantTheme is a theme forced to a light or dark variant.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (v variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return v.Theme.Color(n, v.variant)
}

// TestUI_eachLanguageGolden draws, for each national language, its own
// letters and some of its catalogue's texts in Fyne's theme, as the panels
// show them, above the map of the region with its labels in that language
// (country and city names from the names table: Қазақстан, Тоҷикистон,
// Oʻzbekiston…). The golden images show every letter, in the UI and on
// the map, as a real glyph; TestUI_everyTextHasGlyphs checks the same
// for every text of every catalogue.
func TestUI_eachLanguageGolden(t *testing.T) {
	t.Cleanup(func() { i18n.SetLanguage("en") })
	letters := map[string]string{
		"kk": "ә ғ қ ң ө ұ ү һ і · Ә Ғ Қ Ң Ө Ұ Ү Һ І",
		"ky": "ң ө ү · Ң Ө Ү",
		"tg": "ғ ӣ қ ӯ ҳ ҷ · Ғ Ӣ Қ Ӯ Ҳ Ҷ",
		"tk": "ä ç ň ö ş ü ý ž · Ä Ç Ň Ö Ş Ü Ý Ž",
		"uz": "oʻ gʻ Oʻ Gʻ · Oʻzbekiston, Fargʻona",
	}
	at, err := loadAtlas()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"kk", "ky", "tg", "tk", "uz"} {
		t.Run(lang, func(t *testing.T) {
			test.NewTempApp(t)
			i18n.SetLanguage(lang)
			lines := container.NewVBox(widget.NewLabelWithStyle(letters[lang], fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
			for _, text := range []string{
				i18n.T("menu.interface") + " · " + i18n.T("toolbar.layers") + " · " + i18n.T("menu.zoomin"),
				i18n.Style("Tailings storage facilities") + " · " + i18n.Style("Glaciers"),
				i18n.Style("Protected areas"),
				i18n.N("declaration.belts.planned", 2),
			} {
				lines.Add(widget.NewLabel(text))
			}
			view := mapview.New(at, at.Style.Clone(), mapview.WithImmediateRendering(), mapview.WithLanguage(lang))
			t.Cleanup(view.Close)
			w := test.NewTempWindow(t, container.NewBorder(lines, nil, nil, nil, view))
			w.SetPadded(false)
			w.Resize(fyne.NewSize(520, 440))
			imgtest.Assert(t, "language_"+lang, w.Canvas().Capture())
		})
	}
}

// TestUI_everyTextHasGlyphs checks that Fyne's theme fonts (regular and
// bold, as labels and headings use them) have a real glyph for every
// character of every text of every language's catalogue, the names of the
// languages in the chooser included: no text of the app can show a
// missing-glyph box.
func TestUI_everyTextHasGlyphs(t *testing.T) {
	t.Cleanup(func() { i18n.SetLanguage("en") })
	test.NewTempApp(t)
	var fonts []*sfnt.Font
	for _, res := range []fyne.Resource{theme.DefaultTextFont(), theme.DefaultTextBoldFont()} {
		f, err := sfnt.Parse(res.Content())
		if err != nil {
			t.Fatalf("%s: %v", res.Name(), err)
		}
		fonts = append(fonts, f)
	}
	var buf sfnt.Buffer
	missing := map[rune]string{}
	check := func(where, s string) {
		for _, r := range s {
			if unicode.IsSpace(r) || !unicode.IsPrint(r) {
				continue
			}
			for _, f := range fonts {
				if idx, err := f.GlyphIndex(&buf, r); (err != nil || idx == 0) && missing[r] == "" {
					missing[r] = where
				}
			}
		}
	}
	for _, l := range i18n.Languages {
		check("the chooser", l.Name)
		i18n.SetLanguage(l.Tag)
		for _, key := range i18n.Keys(l.Tag) {
			check(l.Tag+" "+key, i18n.T(key)+i18n.N(key, 1)+i18n.N(key, 2)+i18n.N(key, 5))
		}
	}
	for _, r := range slices.Sorted(maps.Keys(missing)) {
		t.Errorf("Fyne's theme font has no glyph for %q (U+%04X), first in %s", r, r, missing[r])
	}
}
