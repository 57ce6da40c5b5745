// Package i18n is the one catalogue of the desktop app's user-visible
// strings: every label, button, menu item, dialog and status text goes
// through [T], keyed by a stable id ("toolbar.aral", "about.title").
//
// The catalogue is a set of go-i18n JSON files named after their language
// ("en.json", "ru.json"), embedded from translations/: those at its top for
// the shell, and one folder per feature ("translations/identify/en.json")
// so that features keep their texts apart. A language's files are merged
// (a key in two files is a defect the tests catch) and registered with
// Fyne's lang package, which picks the language closest to the user's
// locale. English is complete by definition; a language whose files lack
// an id shows the English text. Texts may be Go templates filled from
// [T]'s data argument ("{{.Version}}").
//
// Map content (layer titles, legend lines, place names) is data of the
// style and the atlas, not of this catalogue.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"text/template"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// translations holds the catalogue files: translations/<lang>.json and
// translations/<feature>/<lang>.json.
//
//go:embed translations
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
	var c catalogue
	for _, l := range languages() {
		messages, err := messagesOf(l)
		if err != nil {
			panic(err)
		}
		if l == "en" {
			c.english = messages
		}
		data, err := json.Marshal(messages)
		if err != nil {
			panic(fmt.Errorf("i18n: %s: %w", l, err))
		}
		if err := lang.AddTranslationsForLocale(data, fyne.Locale(l)); err != nil {
			panic(fmt.Errorf("i18n: %s: %w", l, err))
		}
	}
	// The user's language matters only once there is a choice; asking for
	// it logs an error for locales such as C, which Fyne cannot parse.
	if langs := languages(); len(langs) > 1 {
		c.viaFyne = slices.Contains(langs, lang.SystemLocale().LanguageString())
	}
	return c
}

// languages returns the languages of the catalogue files, such as "en",
// English first.
func languages() []string {
	langs := []string{"en"}
	for _, name := range catalogueFiles() {
		if l := strings.TrimSuffix(path.Base(name), ".json"); !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	return langs
}

// catalogueFiles returns the paths of every catalogue file.
func catalogueFiles() []string {
	var files []string
	err := fs.WalkDir(translations, "translations", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && path.Ext(name) == ".json" {
			files = append(files, name)
		}
		return err
	})
	if err != nil {
		panic(fmt.Errorf("i18n: %w", err))
	}
	return files
}

// messagesOf returns the texts of a language, merged from its files.
func messagesOf(l string) (map[string]string, error) {
	messages := map[string]string{}
	for _, name := range catalogueFiles() {
		if path.Base(name) != l+".json" {
			continue
		}
		data, err := translations.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("i18n: %w", err)
		}
		var file map[string]string
		if err := json.Unmarshal(data, &file); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
		for k, v := range file {
			if _, dup := messages[k]; dup {
				return nil, fmt.Errorf("i18n: %s: key %q is in another %s.json too", name, k, l)
			}
			messages[k] = v
		}
	}
	return messages, nil
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
