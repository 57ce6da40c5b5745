package i18n

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/template"
	"unicode"
)

// pluralForms returns the CLDR plural categories a language uses for whole
// numbers, as [N] chooses them, with "other", which every plural text has.
func pluralForms(lang string) []string {
	forms := map[string]bool{"other": true}
	for n := range 1000 {
		forms[pluralForm(lang, n)] = true
	}
	return slices.Sorted(maps.Keys(forms))
}

func TestPluralForms_CLDR(t *testing.T) {
	for lang, want := range map[string][]string{
		"en": {"one", "other"},
		"ru": {"few", "many", "one", "other"},
		"kk": {"one", "other"}, "ky": {"one", "other"}, "tk": {"one", "other"}, "uz": {"one", "other"},
		"tg": {"other"},
	} {
		if got := pluralForms(lang); !slices.Equal(got, want) {
			t.Errorf("%s: plural forms %v, want %v", lang, got, want)
		}
	}
}

// placeholderPattern matches a template action such as {{.N}}.
var placeholderPattern = regexp.MustCompile(`\{\{.*?\}\}`)

// placeholders returns the distinct template actions of a text, sorted.
func placeholders(s string) []string {
	return slices.Compact(slices.Sorted(slices.Values(placeholderPattern.FindAllString(s, -1))))
}

// latinWords counts the words of two or more Latin letters in a text
// outside its template actions.
func latinWords(s string) int {
	words := strings.FieldsFunc(placeholderPattern.ReplaceAllString(s, " "), func(r rune) bool {
		return !unicode.Is(unicode.Latin, r)
	})
	return len(slices.DeleteFunc(words, func(w string) bool { return len([]rune(w)) < 2 }))
}

// textProblems returns what is wrong with a translation of an English
// entry in a language: a plain text for plural forms or the reverse, plural
// forms other than those the language uses (all of them when allForms,
// else at least "other"), a blank text, a template action that differs
// from English's or a broken template, or an English sentence left as it
// is.
func textProblems(lang string, english, tr text, allForms bool) []string {
	var problems []string
	if (english.forms == nil) != (tr.forms == nil) {
		return []string{"a plain text where English has plural forms, or plural forms where English has a plain text"}
	}
	texts := map[string]string{"": tr.plain}
	want := placeholders(english.plain)
	if tr.forms != nil {
		texts = tr.forms
		want = placeholders(english.forms["other"])
		forms := slices.Sorted(maps.Keys(tr.forms))
		uses := pluralForms(lang)
		switch {
		case allForms && !slices.Equal(forms, uses):
			problems = append(problems, "plural forms "+strings.Join(forms, ", ")+", want "+strings.Join(uses, ", "))
		case !allForms && slices.ContainsFunc(forms, func(f string) bool { return !slices.Contains(uses, f) }):
			problems = append(problems, "plural forms "+strings.Join(forms, ", ")+", the language uses only "+strings.Join(uses, ", "))
		}
	}
	for form, s := range texts {
		where := ""
		if form != "" {
			where = form + ": "
		}
		if strings.TrimSpace(s) == "" {
			problems = append(problems, where+"blank text")
			continue
		}
		if got := placeholders(s); !slices.Equal(got, want) {
			problems = append(problems, where+"placeholders "+list(got)+", want English's "+list(want))
		}
		if _, err := template.New("").Parse(s); err != nil {
			problems = append(problems, where+err.Error())
		}
		if tr.forms == nil && s == english.plain && latinWords(s) >= 2 {
			problems = append(problems, where+"left in English")
		}
	}
	slices.Sort(problems)
	return problems
}

// list writes placeholders for a message.
func list(placeholders []string) string {
	if len(placeholders) == 0 {
		return "none"
	}
	return strings.Join(placeholders, " ")
}

// TestCatalogue_complete checks every language of the interface against
// English, the app's texts (the shell, the features, the style) in every
// catalogue file outside widgetFolder: no key missing, none that English
// lacks, the plural forms the language uses (CLDR: Russian one, few, many
// and other; Kazakh, Kyrgyz, Turkmen and Uzbek one and other; Tajik other
// only), English's template placeholders kept exactly, and no English
// sentence left untranslated.
func TestCatalogue_complete(t *testing.T) {
	english := appMessages(t, "en")
	if len(english) == 0 {
		t.Fatal("no English texts")
	}
	for _, l := range Languages {
		if l.Tag == "en" {
			continue
		}
		t.Run(l.Tag, func(t *testing.T) {
			other := appMessages(t, l.Tag)
			for _, key := range slices.Sorted(maps.Keys(english)) {
				tr, ok := other[key]
				if !ok {
					t.Errorf("%s: no translation of %q", l.Tag, key)
					continue
				}
				for _, p := range textProblems(l.Tag, english[key], tr, true) {
					t.Errorf("%s: %q: %s", l.Tag, key, p)
				}
			}
			for _, key := range slices.Sorted(maps.Keys(other)) {
				if _, ok := english[key]; !ok {
					t.Errorf("%s: key %q is not in English's catalogue", l.Tag, key)
				}
			}
		})
	}
}

// TestCatalogue_widgetTexts checks Fyne's own texts in widgetFolder: every
// language has English's keys and no other, none blank; Fyne asks for
// their "other" form only, so a plural text needs that form and no form the
// language does not use.
func TestCatalogue_widgetTexts(t *testing.T) {
	inWidgetFolder := func(name string) bool { return strings.HasPrefix(name, widgetFolder) }
	english := folderMessages(t, "en", inWidgetFolder)
	if len(english) == 0 {
		t.Fatalf("no %sen.json", widgetFolder)
	}
	for _, l := range Languages {
		other := folderMessages(t, l.Tag, inWidgetFolder)
		for _, key := range slices.Sorted(maps.Keys(english)) {
			tr, ok := other[key]
			if !ok {
				t.Errorf("%s%s.json: no translation of %q", widgetFolder, l.Tag, key)
				continue
			}
			for _, p := range textProblems(l.Tag, english[key], tr, false) {
				if l.Tag != "en" || !strings.HasSuffix(p, "left in English") {
					t.Errorf("%s%s.json: %q: %s", widgetFolder, l.Tag, key, p)
				}
			}
		}
		for key := range other {
			if _, ok := english[key]; !ok {
				t.Errorf("%s%s.json: key %q is not in en.json", widgetFolder, l.Tag, key)
			}
		}
	}
}

func TestTextProblems(t *testing.T) {
	plain := func(s string) text { return text{plain: s} }
	forms := func(kv ...string) text {
		f := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			f[kv[i]] = kv[i+1]
		}
		return text{forms: f}
	}
	sites := forms("one", "{{.N}} site", "other", "{{.N}} sites")
	for name, tc := range map[string]struct {
		lang     string
		english  text
		tr       text
		want     string
		someForm bool // Fyne's texts: the forms used, not all
	}{
		"good plain":            {"kk", plain("Version {{.Version}}"), plain("Нұсқа {{.Version}}"), "", false},
		"good Russian plural":   {"ru", sites, forms("one", "{{.N}} объект", "few", "{{.N}} объекта", "many", "{{.N}} объектов", "other", "{{.N}} объекта"), "", false},
		"good Tajik plural":     {"tg", sites, forms("other", "{{.N}} объект"), "", false},
		"Russian without many":  {"ru", sites, forms("one", "{{.N}} объект", "few", "{{.N}} объекта", "other", "{{.N}} объекта"), "plural forms few, one, other, want few, many, one, other", false},
		"Kazakh with few":       {"kk", sites, forms("one", "{{.N}} нысан", "few", "{{.N}} нысан", "other", "{{.N}} нысан"), "plural forms few, one, other, want one, other", false},
		"plain for plural":      {"uz", sites, plain("{{.N}} obyekt"), "a plain text where English has plural forms", false},
		"placeholder renamed":   {"ky", plain("Version {{.Version}}"), plain("Версия {{.V}}"), "placeholders {{.V}}, want English's {{.Version}}", false},
		"placeholder dropped":   {"tk", sites, forms("one", "bir desga", "other", "{{.N}} desga"), "one: placeholders none, want English's {{.N}}", false},
		"blank":                 {"tg", plain("Layers"), plain(" "), "blank text", false},
		"left in English":       {"tk", plain("Zoom in"), plain("Zoom in"), "left in English", false},
		"a name kept is fine":   {"tk", plain("Ecoatlas"), plain("Ecoatlas"), "", false},
		"broken template":       {"uz", plain("{{.N}} km"), plain("{{.N}} km {{"), "unclosed action", false},
		"placeholders only":     {"kk", plain("{{.Lat}} {{.Lon}}"), plain("{{.Lat}} {{.Lon}}"), "", false},
		"Fyne's one form is ok": {"kk", forms("other", "Name"), forms("other", "Аты"), "", true},
		"Fyne's unused form":    {"tg", forms("other", "Name"), forms("one", "Ном", "other", "Ном"), "the language uses only other", true},
	} {
		t.Run(name, func(t *testing.T) {
			got := strings.Join(textProblems(tc.lang, tc.english, tc.tr, !tc.someForm), "; ")
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Errorf("problems %q, want %q", got, tc.want)
			}
		})
	}
}
