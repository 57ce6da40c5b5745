package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// textArguments are the functions and methods of Fyne (and of the shell)
// that put text before the user, with the positions of their text
// arguments.
var textArguments = map[string][]int{
	"NewLabel": {0}, "NewLabelWithStyle": {0}, "NewButton": {0}, "NewButtonWithIcon": {0},
	"NewCheck": {0}, "NewMenu": {0}, "NewMenuItem": {0}, "NewHyperlink": {0},
	"NewRichTextFromMarkdown": {0}, "NewRichTextWithText": {0}, "NewText": {0},
	"NewTabItem": {0}, "NewTabItemWithIcon": {0}, "NewAccordionItem": {0}, "NewFormItem": {0},
	"NewInformation": {0, 1}, "ShowInformation": {0, 1}, "NewConfirm": {0, 1}, "ShowConfirm": {0, 1},
	"NewCustom": {0, 1}, "ShowCustom": {0, 1}, "NewCustomConfirm": {0, 1, 2}, "ShowCustomConfirm": {0, 1, 2},
	"NewCustomWithoutButtons": {0}, "ShowCustomWithoutButtons": {0},
	"NewSelect": {0}, "NewRadioGroup": {0}, "NewCheckGroup": {0},
	"SetText": {0}, "SetTitle": {0}, "SetPlaceHolder": {0}, "SetSubTitle": {0}, "ParseMarkdown": {0},
	"Notify": {0}, "SendNotification": {0},
}

// textFields are the struct fields that hold text the user reads
// (fyne.MenuItem's Label, shell.Panel's Title, widget.Entry's PlaceHolder…).
var textFields = []string{"Label", "Title", "Text", "PlaceHolder", "Content", "SubTitle", "Placeholder"}

// literalsAllowed are string literals with letters that may reach the
// user as they are, in every language: none yet. Literals without a
// letter ("§", "·", "%", "1:") need no entry.
var literalsAllowed = map[string]bool{}

// bypassingLiterals returns, for a Go file, the string literals with a
// letter that reach a text argument or field of the UI without going
// through the catalogue, as "file:line: literal".
func bypassingLiterals(fset *token.FileSet, f *ast.File) []string {
	var found []string
	var check func(e ast.Expr)
	check = func(e ast.Expr) {
		switch e := e.(type) {
		case *ast.BasicLit:
			if e.Kind != token.STRING {
				return
			}
			s, err := strconv.Unquote(e.Value)
			if err == nil && strings.IndexFunc(s, unicode.IsLetter) >= 0 && !literalsAllowed[s] {
				found = append(found, fset.Position(e.Pos()).String()+": "+strconv.Quote(s))
			}
		case *ast.BinaryExpr:
			check(e.X)
			check(e.Y)
		case *ast.ParenExpr:
			check(e.X)
		case *ast.CompositeLit: // []string{"a", "b"} for a Select
			for _, elt := range e.Elts {
				check(elt)
			}
		case *ast.CallExpr: // fmt.Sprintf("Layer %d", n); i18n.T and the rest are the catalogue's business
			if sel, ok := e.Fun.(*ast.SelectorExpr); ok {
				if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "fmt" && strings.HasPrefix(sel.Sel.Name, "Sprint") {
					for _, a := range e.Args {
						check(a)
					}
				}
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			name := ""
			switch fun := n.Fun.(type) {
			case *ast.SelectorExpr:
				name = fun.Sel.Name
			case *ast.Ident:
				name = fun.Name
			}
			positions, ok := textArguments[name]
			if !ok {
				return true
			}
			for _, p := range positions {
				if p < len(n.Args) {
					check(n.Args[p])
				}
			}
		case *ast.KeyValueExpr:
			if key, ok := n.Key.(*ast.Ident); ok && slices.Contains(textFields, key.Name) {
				check(n.Value)
			}
		}
		return true
	})
	return found
}

// TestSource_noTextBypassesTheCatalogue fails on a string literal with a
// letter that the app's code hands to a label, button, menu, dialog,
// notice or text field directly instead of through T or N.
func TestSource_noTextBypassesTheCatalogue(t *testing.T) {
	fset := token.NewFileSet()
	files := 0
	for _, dir := range appSources {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			files++
			for _, where := range bypassingLiterals(fset, f) {
				t.Errorf("%s bypasses the catalogue: give it a key and use i18n.T", where)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("reading %s: %v", dir, err)
		}
	}
	if files < 20 {
		t.Fatalf("read %d Go files of the app, want all of them", files)
	}
}

func TestBypassingLiterals(t *testing.T) {
	for name, tc := range map[string]struct {
		src  string
		want int
	}{
		"label":             {`widget.NewLabel("Layers")`, 1},
		"button":            {`widget.NewButton("Zoom in", nil)`, 1},
		"SetText":           {`l.SetText("Reading…")`, 1},
		"dialog title":      {`dialog.ShowInformation("About", i18n.T("about.licence"), w)`, 1},
		"menu item field":   {`&fyne.MenuItem{Label: "Quit"}`, 1},
		"Sprintf":           {`l.SetText(fmt.Sprintf("%d layers", n))`, 1},
		"concatenation":     {`widget.NewLabel("Layer " + name)`, 1},
		"select options":    {`widget.NewSelect([]string{"North", "South"}, nil)`, 2},
		"through T":         {`widget.NewLabel(i18n.T("toolbar.layers"))`, 0},
		"through N":         {`l.SetText(i18n.N("identify.here", n))`, 0},
		"section sign":      {`widget.NewLabel("§" + strconv.Itoa(n))`, 0},
		"numbers":           {`l.SetText("1:" + scale)`, 0},
		"a variable":        {`widget.NewLabel(name)`, 0},
		"not a text call":   {`os.Getenv("LANG")`, 0},
		"not a text field":  {`Panel{ID: "identify"}`, 0},
		"empty placeholder": {`widget.NewLabel("")`, 0},
	} {
		t.Run(name, func(t *testing.T) {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, "x.go", "package x\nfunc f() { _ = "+tc.src+" }", 0)
			if err != nil {
				t.Fatal(err)
			}
			if got := bypassingLiterals(fset, f); len(got) != tc.want {
				t.Errorf("found %v, want %d", got, tc.want)
			}
		})
	}
}
