package shell_test

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

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
