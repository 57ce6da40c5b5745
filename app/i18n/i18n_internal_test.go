package i18n

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/assets"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/seeds"
)

// appSources are the folders, relative to this package, whose Go code
// shows text to the user: the app's, and the atlas CLI's printed pages.
var appSources = []string{"..", "../../cmd/ecoatlas", "../../cmd/atlas"}

// keyLiterals returns, for every non-test Go file under appSources, the
// string literals that are catalogue keys by shape: a first segment that
// some catalogue key starts with, then a dot ("place.aral"). Literal
// arguments of T are returned whatever their shape.
func keyLiterals(t *testing.T, prefixes map[string]bool) map[string]string {
	t.Helper()
	found := map[string]string{} // key → where it was first seen
	fset := token.NewFileSet()
	for _, dir := range appSources {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					return true
				}
				first, _, dotted := strings.Cut(s, ".")
				if dotted && prefixes[first] && !strings.ContainsAny(s, " /") {
					if _, seen := found[s]; !seen {
						found[s] = fset.Position(lit.Pos()).String()
					}
				}
				return true
			})
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) == 0 || !isT(call.Fun) {
					return true
				}
				if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						if _, seen := found[s]; !seen {
							found[s] = fset.Position(lit.Pos()).String()
						}
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatalf("reading %s: %v", dir, err)
		}
	}
	return found
}

// isT reports whether a call's function is i18n.T.
func isT(fun ast.Expr) bool {
	sel, ok := fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "T" {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "i18n"
}

// appMessages returns the texts of a language from its catalogue files
// outside widgetFolder.
func appMessages(t *testing.T, lang string) map[string]text {
	t.Helper()
	return folderMessages(t, lang, func(name string) bool { return !strings.HasPrefix(name, widgetFolder) })
}

// folderMessages returns the texts of a language from the catalogue files
// whose path is chosen, merged.
func folderMessages(t *testing.T, lang string, chosen func(name string) bool) map[string]text {
	t.Helper()
	messages := map[string]text{}
	for _, name := range catalogueFiles() {
		if path.Base(name) != lang+".json" || !chosen(name) {
			continue
		}
		data, err := translations.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var file map[string]text
		if err := json.Unmarshal(data, &file); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		maps.Copy(messages, file)
	}
	return messages
}

func TestCatalogue_everyKeyUsedExists(t *testing.T) {
	english := appMessages(t, "en")
	prefixes := map[string]bool{}
	for k := range english {
		first, _, _ := strings.Cut(k, ".")
		prefixes[first] = true
	}
	used := keyLiterals(t, prefixes)
	if len(used) == 0 {
		t.Fatal("found no catalogue keys in the app's code")
	}
	// The declaration's clause titles, themes and focus words are keyed
	// by data (seeds' clause links), not by literals in the code.
	links, err := seeds.EmbeddedLinks()
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range links.CatalogueKeys() {
		if _, seen := used[key]; !seen {
			used[key] = "seeds/" + seeds.LinksFileName
		}
	}
	// A literal ending in "." is the prefix of keys made at run time
	// ("place." + a place of the style): its keys count as used.
	var prefixesUsed []string
	for key, where := range used {
		if strings.HasSuffix(key, ".") {
			prefixesUsed = append(prefixesUsed, key)
			continue
		}
		if _, ok := english[key]; !ok {
			t.Errorf("%s: key %q is not in translations/en.json", where, key)
		}
	}
	// The style's texts are checked against the style by
	// TestCatalogue_styleTexts.
	prefixesUsed = append(prefixesUsed, styleKeyPrefix)
	for key := range english {
		_, ok := used[key]
		if !ok && !slices.ContainsFunc(prefixesUsed, func(p string) bool { return strings.HasPrefix(key, p) }) {
			t.Errorf("key %q of translations/en.json is used nowhere", key)
		}
	}
}

func TestCatalogue_filesHaveOnlyEnglishKeys(t *testing.T) {
	english := loaded()["en"]
	for _, l := range fileLanguages() {
		other, err := messagesOf(l)
		if err != nil {
			t.Fatal(err)
		}
		for key := range other {
			if _, ok := english[key]; !ok {
				t.Errorf("%s.json: key %q is not in en.json", l, key)
			}
		}
	}
}

// TestCatalogue_declaration checks the declaration's block of the
// catalogue against the clause links: the English texts are the links'
// own titles, and every language file translates the whole block.
func TestCatalogue_declaration(t *testing.T) {
	links, err := seeds.EmbeddedLinks()
	if err != nil {
		t.Fatal(err)
	}
	english := map[string]string{}
	for _, cl := range links.Clauses {
		english[cl.TitleKey()] = cl.Title
	}
	for _, th := range seeds.Themes() {
		english[th.Key()] = th.Title()
	}
	for _, f := range []seeds.Focus{seeds.FocusPlaces, seeds.FocusLayers, seeds.FocusNone} {
		english[f.Key()] = f.Title()
	}
	for key, want := range english {
		if got := loaded()["en"][key].plain; got != want {
			t.Errorf("en.json: %q = %q, want the links' %q", key, got, want)
		}
	}
	for _, l := range fileLanguages() {
		if l == "en" {
			continue
		}
		other, err := messagesOf(l)
		if err != nil {
			t.Fatal(err)
		}
		for key := range english {
			if strings.TrimSpace(other[key].plain) == "" {
				t.Errorf("%s.json: no translation of %q", l, key)
			}
		}
	}
}

func TestT(t *testing.T) {
	for name, tt := range map[string]struct {
		key  string
		data []any
		want string
	}{
		"plain":       {key: "place.aral", want: "Aral Sea"},
		"template":    {key: "scale.km", data: []any{map[string]any{"N": "200"}}, want: "200 km"},
		"unknown key": {key: "no.such.key", want: "no.such.key"},
		"unicode":     {key: "app.title", want: "Ecoatlas — Central Asia"},
		"struct data": {key: "about.version", data: []any{struct{ Version string }{"1.2.3"}}, want: "Version 1.2.3"},
	} {
		t.Run(name, func(t *testing.T) {
			if got := T(tt.key, tt.data...); got != tt.want {
				t.Errorf("T(%q) = %q, want %q", tt.key, got, tt.want)
			}
		})
	}
}

func TestN_pluralForms(t *testing.T) {
	t.Cleanup(func() { SetLanguage("en") })
	c := loaded()
	if c["tg"] == nil {
		c["tg"] = map[string]text{}
		t.Cleanup(func() { delete(c, "tg") })
	}
	c["en"]["test.sites"] = text{forms: map[string]string{"one": "{{.N}} site", "other": "{{.N}} sites"}}
	c["ru"]["test.sites"] = text{forms: map[string]string{"one": "{{.N}} объект", "few": "{{.N}} объекта", "many": "{{.N}} объектов", "other": "{{.N}} объекта"}}
	c["tg"]["test.sites"] = text{forms: map[string]string{"other": "{{.N}} объект"}}
	t.Cleanup(func() { delete(c["en"], "test.sites"); delete(c["ru"], "test.sites"); delete(c["tg"], "test.sites") })
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{"en", 1, "1 site"}, {"en", 2, "2 sites"}, {"en", 1000, "1,000 sites"},
		{"ru", 1, "1 объект"}, {"ru", 3, "3 объекта"}, {"ru", 5, "5 объектов"}, {"ru", 21, "21 объект"}, {"ru", 11, "11 объектов"},
		{"tg", 1, "1 объект"}, {"kk", 2, "2 sites"}, // Kazakh lacks the key: English
	}
	for _, tc := range tests {
		SetLanguage(tc.lang)
		if got := N("test.sites", tc.n); got != tc.want {
			t.Errorf("%s N(%d) = %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
}

func TestSetLanguage(t *testing.T) {
	t.Cleanup(func() { SetLanguage("en") })
	for in, want := range map[string]string{"ru": "ru", "kk_KZ": "kk", "uz-Latn-UZ": "uz", "fr": "en", "": "en"} {
		if got := SetLanguage(in); got != want || Current() != want {
			t.Errorf("SetLanguage(%q) = %q, Current %q; want %q", in, got, Current(), want)
		}
	}
}

func TestSystemLanguage(t *testing.T) {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"} {
		t.Setenv(v, "")
	}
	for env, want := range map[string]string{"ru_RU.UTF-8": "ru", "kk_KZ.UTF-8": "kk", "C.UTF-8": "en", "de_DE.UTF-8": "en"} {
		t.Setenv("LANG", env)
		if got := SystemLanguage(); got != want {
			t.Errorf("LANG=%s: SystemLanguage %q, want %q", env, got, want)
		}
	}
	t.Setenv("LANG", "C.UTF-8")
	t.Setenv("LANGUAGE", "fr:ky")
	if got := SystemLanguage(); got != "ky" {
		t.Errorf("LANGUAGE=fr:ky: SystemLanguage %q, want ky", got)
	}
}

func TestNumber(t *testing.T) {
	t.Cleanup(func() { SetLanguage("en") })
	for lang, want := range map[string]string{"en": "1,234,567.89", "ru": "1 234 567,89", "kk": "1 234 567,89"} {
		SetLanguage(lang)
		if got := strings.ReplaceAll(Number(1234567.891, 2), "\u00a0", " "); got != want {
			t.Errorf("%s: Number = %q, want %q", lang, got, want)
		}
	}
}

func TestCatalogue_aKeyInTwoFilesIsCaught(t *testing.T) {
	for _, l := range fileLanguages() {
		if _, err := messagesOf(l); err != nil {
			t.Error(err)
		}
	}
}

// TestCatalogue_styleTexts checks that every text of the embedded style
// (titles, notes, legend lines) has its "style:" entry, and that no entry
// is left over from a text the style no longer has.
func TestCatalogue_styleTexts(t *testing.T) {
	st, err := style.Parse(assets.DefaultStyle)
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]bool{}
	for _, l := range st.Layers {
		for _, s := range []string{l.Title, l.Note} {
			texts[s] = true
		}
		for _, r := range l.Rules {
			texts[r.Legend] = true
		}
		if l.Cluster != nil {
			texts[l.Cluster.Legend] = true
		}
	}
	delete(texts, "")
	english := loaded()["en"]
	for s := range texts {
		if _, ok := english[styleKeyPrefix+s]; !ok {
			t.Errorf("style text %q has no %q entry in translations/style/en.json", s, styleKeyPrefix+s)
		}
	}
	for key := range english {
		if s, ok := strings.CutPrefix(key, styleKeyPrefix); ok && !texts[s] {
			t.Errorf("translations/style/en.json: %q is not a text of the style", key)
		}
	}
}

func TestStyle(t *testing.T) {
	t.Cleanup(func() { SetLanguage("en") })
	c := loaded()
	c["ru"][styleKeyPrefix+"Test layer"] = text{plain: "Тестовый слой"}
	t.Cleanup(func() { delete(c["ru"], styleKeyPrefix+"Test layer") })
	SetLanguage("ru")
	if got := Style("Test layer"); got != "Тестовый слой" {
		t.Errorf("Style = %q in Russian", got)
	}
	if got := Style("Untranslated"); got != "Untranslated" {
		t.Errorf("an untranslated text became %q, want itself", got)
	}
}
