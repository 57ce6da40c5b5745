package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/seeds"
)

// appSources are the folders, relative to this package, whose Go code
// shows text to the user.
var appSources = []string{"..", "../../cmd/ecoatlas"}

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

func TestCatalogue_everyKeyUsedExists(t *testing.T) {
	c := loaded()
	prefixes := map[string]bool{}
	for k := range c.english {
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
		if _, ok := c.english[key]; !ok {
			t.Errorf("%s: key %q is not in translations/en.json", where, key)
		}
	}
	for key := range c.english {
		_, ok := used[key]
		if !ok && !slices.ContainsFunc(prefixesUsed, func(p string) bool { return strings.HasPrefix(key, p) }) {
			t.Errorf("key %q of translations/en.json is used nowhere", key)
		}
	}
}

func TestCatalogue_filesHaveOnlyEnglishKeys(t *testing.T) {
	c := loaded()
	for _, l := range languages() {
		other, err := messagesOf(l)
		if err != nil {
			t.Fatal(err)
		}
		for key := range other {
			if _, ok := c.english[key]; !ok {
				t.Errorf("%s.json: key %q is not in en.json", l, key)
			}
		}
	}
}

// TestCatalogue_declaration checks the declaration's block of the
// catalogue against the clause links: the English texts are the links'
// own titles, and every language file translates the whole block.
func TestCatalogue_declaration(t *testing.T) {
	c := loaded()
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
		if got := c.english[key]; got != want {
			t.Errorf("en.json: %q = %q, want the links' %q", key, got, want)
		}
	}
	for _, l := range languages() {
		if l == "en" {
			continue
		}
		other, err := messagesOf(l)
		if err != nil {
			t.Fatal(err)
		}
		for key := range english {
			if strings.TrimSpace(other[key]) == "" {
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

func TestMain(m *testing.M) {
	// Pin the locale, so that Fyne's localizer answers in English on any
	// machine.
	os.Setenv("LANG", "en_US.UTF-8")
	os.Exit(m.Run())
}

func TestCatalogue_aKeyInTwoFilesIsCaught(t *testing.T) {
	for _, l := range languages() {
		if _, err := messagesOf(l); err != nil {
			t.Error(err)
		}
	}
}
