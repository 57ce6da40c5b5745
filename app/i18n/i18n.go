// Package i18n is the one catalogue of Ecoatlas's user-visible strings, for
// the desktop app and the atlas CLI alike: every label, button, menu item,
// dialog, status text and message goes through [T] (or [N] for a text that
// depends on a count), keyed by a stable id ("toolbar.layers",
// "about.title").
//
// The catalogue is a set of JSON files named after their language
// ("en.json", "kk.json"), embedded from translations/: those at its top for
// the shell and the CLI, and one folder per feature
// ("translations/identify/en.json") so that features keep their texts
// apart. A language's files are merged (a key in two files is a defect the
// tests catch). A text is a string, a Go template filled from the data
// argument ("{{.Version}}"), or, for [N], an object of CLDR plural forms
// ({"one": "{{.N}} site", "other": "{{.N}} sites"}; Russian also has "few"
// and "many"). English is complete by definition; a language that lacks a
// key shows the English text, so nothing is ever blank.
//
// The package does not import Fyne, so the CLI uses it too; the app tells
// Fyne's own widgets the language (see package app/shell). The language is
// chosen with [SetLanguage] (default: the system's, as [SystemLanguage]
// finds it, else English) and can change at any time.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/template"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// translations holds the catalogue files: translations/<lang>.json and
// translations/<feature>/<lang>.json.
//
//go:embed translations
var translations embed.FS

// Language is a language the catalogue speaks.
type Language struct {
	// Tag is its BCP 47 tag, such as "kk".
	Tag string
	// Name is its name in itself, such as "Қазақша".
	Name string
}

// Languages are the languages of the interface, in the order a chooser
// lists them.
var Languages = []Language{
	{"en", "English"}, {"ru", "Русский"}, {"kk", "Қазақша"}, {"ky", "Кыргызча"},
	{"tg", "Тоҷикӣ"}, {"tk", "Türkmençe"}, {"uz", "Oʻzbekcha"},
}

// text is a catalogue entry: a plain text, or plural forms by CLDR
// category ("one", "few", "many", "other"…).
type text struct {
	plain string
	forms map[string]string
}

// UnmarshalJSON reads a string or an object of plural forms.
func (t *text) UnmarshalJSON(data []byte) error {
	if err := json.Unmarshal(data, &t.plain); err == nil {
		return nil
	}
	if err := json.Unmarshal(data, &t.forms); err != nil {
		return fmt.Errorf("want a text or an object of plural forms")
	}
	if _, ok := t.forms["other"]; !ok {
		return fmt.Errorf(`plural forms without "other"`)
	}
	return nil
}

// catalogue is every language's texts, by key.
type catalogue map[string]map[string]text

var (
	loaded  = sync.OnceValue(load)
	current atomic.Pointer[string]
)

// load reads every catalogue file. The files are compiled in and checked
// by the package's tests, so a failure here is a programming error.
func load() catalogue {
	c := catalogue{}
	for _, l := range fileLanguages() {
		messages, err := messagesOf(l)
		if err != nil {
			panic(err)
		}
		c[l] = messages
	}
	return c
}

// fileLanguages returns the languages that have catalogue files, English
// first.
func fileLanguages() []string {
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

// widgetFolder holds the UI toolkit's own widget texts (dialog buttons,
// the file dialog, day names), one file per language keyed by the
// toolkit's own keys ("Cancel", "file.name"). They are not part of the
// app's catalogue: [WidgetTexts] hands them to the toolkit.
const widgetFolder = "translations/fyne/"

// messagesOf returns the texts of a language, merged from its files
// outside widgetFolder.
func messagesOf(l string) (map[string]text, error) {
	messages := map[string]text{}
	for _, name := range catalogueFiles() {
		if path.Base(name) != l+".json" || strings.HasPrefix(name, widgetFolder) {
			continue
		}
		data, err := translations.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("i18n: %w", err)
		}
		var file map[string]text
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

// WidgetTexts returns the UI toolkit's own texts (Fyne's dialog buttons,
// file dialog and day names) in a language of [Languages], as the JSON
// file Fyne's lang.AddTranslationsForLocale reads, or English's for a
// language without them.
func WidgetTexts(tag string) []byte {
	if data, err := translations.ReadFile(widgetFolder + tag + ".json"); err == nil {
		return data
	}
	data, err := translations.ReadFile(widgetFolder + "en.json")
	if err != nil {
		panic(fmt.Errorf("i18n: %w", err)) // compiled in and checked by the tests
	}
	return data
}

// SetLanguage makes tag (one of [Languages], or a tag whose language is)
// the language of every text from now on, and returns the tag it chose:
// English for a language the catalogue does not speak.
func SetLanguage(tag string) string {
	chosen := "en"
	base, _, _ := strings.Cut(strings.ReplaceAll(tag, "_", "-"), "-")
	for _, l := range Languages {
		if strings.EqualFold(l.Tag, base) {
			chosen = l.Tag
		}
	}
	current.Store(&chosen)
	return chosen
}

// Current returns the tag of the language texts are in.
func Current() string {
	if l := current.Load(); l != nil {
		return *l
	}
	return "en"
}

// SystemLanguage returns the language of the user's locale (LC_ALL,
// LC_MESSAGES, LANG, then LANGUAGE's list) that the catalogue speaks, or
// English.
func SystemLanguage() string {
	var candidates []string
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := os.Getenv(v); s != "" {
			candidates = append(candidates, s)
			break
		}
	}
	candidates = append(candidates, strings.Split(os.Getenv("LANGUAGE"), ":")...)
	for _, c := range candidates {
		name, _, _ := strings.Cut(c, ".")
		name, _, _ = strings.Cut(name, "_")
		for _, l := range Languages {
			if name == l.Tag {
				return l.Tag
			}
		}
	}
	return "en"
}

// T returns the text of key in the current language (English if the
// language lacks it), filled from data (a map or a struct) if the text is
// a template. An unknown key is returned as it is, which the package's
// tests rule out for every key the code uses.
func T(key string, data ...any) string {
	t, ok := lookup(key)
	if !ok {
		return key
	}
	s := t.plain
	if t.forms != nil {
		s = t.forms["other"]
	}
	return fill(key, s, data)
}

// N returns the text of key for a count n, in the plural form the current
// language uses for n, filled from data if given, else with {{.N}} as n
// written in the language's digits.
func N(key string, n int, data ...any) string {
	t, ok := lookup(key)
	if !ok {
		return key
	}
	s := t.plain
	if t.forms != nil {
		s = t.forms["other"]
		if f, ok := t.forms[pluralForm(Current(), n)]; ok {
			s = f
		}
	}
	if len(data) == 0 {
		data = []any{map[string]any{"N": Int(n)}}
	}
	return fill(key, s, data)
}

// lookup returns the entry of key in the current language or English.
func lookup(key string) (text, bool) {
	c := loaded()
	if t, ok := c[Current()][key]; ok {
		return t, true
	}
	t, ok := c["en"][key]
	return t, ok
}

// fill executes s as a template with data[0] when it holds one.
func fill(key, s string, data []any) string {
	if len(data) == 0 || !strings.Contains(s, "{{") {
		return s
	}
	t, err := template.New(key).Parse(s)
	if err != nil {
		return s
	}
	var b strings.Builder
	if err := t.Execute(&b, data[0]); err != nil {
		return s
	}
	return b.String()
}

// pluralForm returns the CLDR plural category of n in a language.
func pluralForm(lang string, n int) string {
	switch plural.Cardinal.MatchPlural(language.Make(lang), n, 0, 0, 0, 0) {
	case plural.Zero:
		return "zero"
	case plural.One:
		return "one"
	case plural.Two:
		return "two"
	case plural.Few:
		return "few"
	case plural.Many:
		return "many"
	default:
		return "other"
	}
}

// Keys returns the keys of a language's catalogue, sorted, for tests and
// for registering texts with a toolkit.
func Keys(lang string) []string {
	keys := make([]string, 0, len(loaded()[lang]))
	for k := range loaded()[lang] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// styleKeyPrefix starts the keys of the style's texts.
const styleKeyPrefix = "style:"

// Style returns a text of the map's style (a layer's title, a legend
// line, a note) in the current language. The style is data written in
// English, so its texts are their own keys: the catalogue's "style:"
// followed by the English text ("style:Protected areas"), kept in
// translations/style/<lang>.json. A text without a translation shows in
// English.
func Style(text string) string {
	if text == "" {
		return ""
	}
	if t, ok := lookup(styleKeyPrefix + text); ok {
		if t.plain != "" {
			return t.plain
		}
	}
	return text
}
