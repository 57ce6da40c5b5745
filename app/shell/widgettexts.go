package shell

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/ecoatlas/ecoatlas/app/i18n"
)

// fyneLocales are the locales Fyne v2.7.1 ships texts for (its
// lang/translations). Fyne chooses among them by the system locale, not
// by the app's interface language, and offers no way to choose one; for a
// system locale it has no texts for (Kazakh, say) it chooses English. So
// the interface language's widget texts are registered under every one of
// them, and whichever Fyne chose speaks the interface language. (Our own
// languages are not registered as locales of their own: Fyne's plural
// rules lack Tajik, and English stands in for them.)
var fyneLocales = []fyne.Locale{"cs", "de", "el", "en", "es", "fr", "pl", "pt", "pt-BR", "ru", "sv", "ta", "uk", "zh-Hans"}

// useWidgetLanguage makes Fyne's own widgets (dialog buttons, the file
// dialog, the Quit menu item) speak a language of [i18n.Languages]. The
// texts are compiled in and checked by package i18n's tests, so an error
// here is a programming error and is logged by Fyne's own means.
func useWidgetLanguage(tag string) {
	data := i18n.WidgetTexts(tag)
	for _, l := range fyneLocales {
		if err := lang.AddTranslationsForLocale(data, l); err != nil {
			fyne.LogError("widget texts for "+tag, err)
		}
	}
}
