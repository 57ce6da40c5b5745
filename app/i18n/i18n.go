// Package i18n is the one catalogue of the desktop app's user-visible
// strings: every label, button, menu item, dialog and status text goes
// through [T], keyed by a stable id ("toolbar.aral", "about.title").
//
// The catalogue is a set of go-i18n JSON files, one per language, named
// after the language ("en.json"), embedded from translations/ and
// registered with Fyne's lang package, which picks the language closest
// to the user's locale. English is complete by definition; a language
// whose file lacks an id shows the English text. Texts may be Go
// templates filled from [T]'s data argument ("{{.Version}}").
//
// Map content (layer titles, legend lines, place names) is data of the
// style and the atlas, not of this catalogue.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"
	"text/template"

	"fyne.io/fyne/v2/lang"
)

// translations holds one catalogue file per language.
//
//go:embed translations/*.json
var translations embed.FS

// catalogue is the loaded state: the English texts, which every other
// language falls back to, and whether the user's language has a file.
type catalogue struct {
	english map[string]string
	// viaFyne is true when the catalogue has several languages, the
	// user's among them, so that Fyne's localizer picks the text;
	// otherwise T answers in English itself, without the lookup failure
	// Fyne would log for every call in a language the catalogue lacks.
	viaFyne bool
}

var loaded = sync.OnceValue(load)

// load reads the English catalogue and registers every file with Fyne.
// The files are compiled in and checked by the package's tests, so a
// failure here is a programming error.
func load() catalogue {
	data, err := translations.ReadFile("translations/en.json")
	if err != nil {
		panic(fmt.Errorf("i18n: %w", err))
	}
	var c catalogue
	if err := json.Unmarshal(data, &c.english); err != nil {
		panic(fmt.Errorf("i18n: translations/en.json: %w", err))
	}
	if err := lang.AddTranslationsFS(translations, "translations"); err != nil {
		panic(fmt.Errorf("i18n: %w", err))
	}
	// The user's language matters only once there is a choice; asking for
	// it logs an error for locales such as C, which Fyne cannot parse.
	if langs := languages(); len(langs) > 1 {
		c.viaFyne = slices.Contains(langs, lang.SystemLocale().LanguageString())
	}
	return c
}

// languages returns the languages of the catalogue files, such as "en".
func languages() []string {
	entries, err := translations.ReadDir("translations")
	if err != nil {
		panic(fmt.Errorf("i18n: %w", err))
	}
	langs := make([]string, 0, len(entries))
	for _, e := range entries {
		langs = append(langs, strings.TrimSuffix(e.Name(), path.Ext(e.Name())))
	}
	return langs
}

// T returns the text of key in the user's language, filled from data (a
// map or a struct) if the text is a template. An unknown key is returned
// as it is, which the package's tests rule out for every key the app uses.
func T(key string, data ...any) string {
	c := loaded()
	english, ok := c.english[key]
	if !ok {
		return key
	}
	if c.viaFyne {
		return lang.LocalizeKey(key, english, data...)
	}
	if len(data) == 0 || !strings.Contains(english, "{{") {
		return english
	}
	t, err := template.New(key).Parse(english)
	if err != nil {
		return english
	}
	var b strings.Builder
	if err := t.Execute(&b, data[0]); err != nil {
		return english
	}
	return b.String()
}
