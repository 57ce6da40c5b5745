package seeds_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/ecoatlas/ecoatlas/seeds"
)

var update = flag.Bool("update", false, "rewrite testdata/declaration.golden.json")

const goldenPath = "testdata/declaration.golden.json"

func TestTextIsVerbatim(t *testing.T) {
	want, err := os.ReadFile(seeds.FileName)
	if err != nil {
		t.Fatal(err)
	}
	if got := seeds.Text(); got != string(want) {
		t.Fatalf("Text() differs from %s (%d vs %d bytes)", seeds.FileName, len(got), len(want))
	}
	if !strings.HasPrefix(seeds.Text(), " DECLARATION\n") {
		t.Errorf("Text() should start with %q, got %q", " DECLARATION\n", seeds.Text()[:20])
	}
}

func TestEmbeddedParses(t *testing.T) {
	d, err := seeds.Parse(strings.NewReader(seeds.Text()))
	if err != nil {
		t.Fatalf("Parse(Text()) = %v", err)
	}
	if e := seeds.Embedded(); !reflect.DeepEqual(d, e) {
		t.Errorf("Embedded() differs from Parse(Text())")
	}
}

func TestEmbeddedStructure(t *testing.T) {
	d := seeds.Embedded()
	checks := []struct{ field, got, want string }{
		{"Title", d.Title, "DECLARATION"},
		{"Subject", d.Subject, "of the Heads of State of Central Asia on regional cooperation in the field of ecology and sustainable development"},
		{"Name", d.Name, "“Environmental solidarity of Central Asia”"},
		{"Enacting", d.Enacting, seeds.Marker},
		{"Adopted", d.Adopted, "Adopted in Astana on 22 April 2026."},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	if want := "We, the Heads of State of the Republic of Kazakhstan, the Kyrgyz Republic, the Republic of Tajikistan, Turkmenistan and the Republic of Uzbekistan,"; d.Parties != want {
		t.Errorf("Parties = %q, want %q", d.Parties, want)
	}
	if got, want := len(d.Recitals), 15; got != want {
		t.Errorf("len(Recitals) = %d, want %d", got, want)
	}
	if len(d.Recitals) > 0 {
		if first := d.Recitals[0]; !strings.HasPrefix(first, "guided by the principles of good-neighborliness") {
			t.Errorf("first recital = %q", first)
		}
		// The last recital has a trailing space in the source; it is trimmed.
		if last := d.Recitals[len(d.Recitals)-1]; !strings.HasPrefix(last, "emphasizing current environmental challenges") || !strings.HasSuffix(last, "environmental culture,") {
			t.Errorf("last recital = %q", last)
		}
	}
	if len(d.Closing) != 1 || !strings.HasPrefix(d.Closing[0], "This Declaration makes a significant contribution") || !strings.HasSuffix(d.Closing[0], "future generations.") {
		t.Errorf("Closing = %q", d.Closing)
	}
}

func TestEmbeddedClauses(t *testing.T) {
	d := seeds.Embedded()
	if got, want := len(d.Clauses), 27; got != want {
		t.Fatalf("len(Clauses) = %d, want %d", got, want)
	}
	for i, c := range d.Clauses {
		if c.Number != i+1 {
			t.Errorf("Clauses[%d].Number = %d, want %d", i, c.Number, i+1)
		}
		if c.Text == "" || strings.Contains(c.Text, "\n") || c.Text != strings.TrimSpace(c.Text) {
			t.Errorf("clause %d text %q is empty, multi-line or untrimmed", c.Number, c.Text)
		}
	}
	first, last := d.Clauses[0].Text, d.Clauses[26].Text
	if !strings.HasPrefix(first, "express our intention to intensify efforts") {
		t.Errorf("clause 1 = %q", first)
	}
	if !strings.HasSuffix(last, "climate action in Central Asia.") {
		t.Errorf("clause 27 = %q", last)
	}
	// Clause 20 carries curly quotes and an en dash.
	if c, _ := d.Clause(20); !strings.Contains(c.Text, "“Water for Sustainable Development”, 2018–2028") {
		t.Errorf("clause 20 lost its quotes or dash: %q", c.Text)
	}
}

// TestEveryLineAccounted checks that the model holds every non-blank source
// line, verbatim apart from surrounding whitespace, in source order.
func TestEveryLineAccounted(t *testing.T) {
	var want []string
	for _, l := range strings.Split(seeds.Text(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			want = append(want, l)
		}
	}
	d := seeds.Embedded()
	got := []string{d.Title, d.Subject, d.Name, d.Parties}
	got = append(got, d.Recitals...)
	got = append(got, d.Enacting)
	for _, c := range d.Clauses {
		got = append(got, fmt.Sprintf("%d. %s", c.Number, c.Text))
	}
	got = append(got, d.Closing...)
	got = append(got, d.Adopted)
	if !slices.Equal(got, want) {
		t.Errorf("model lines differ from source lines:\n got %d lines\nwant %d lines", len(got), len(want))
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Errorf("first difference at line %d:\n got %q\nwant %q", i, got[i], want[i])
				break
			}
		}
	}
}

func TestCyrillicEsKeptVerbatim(t *testing.T) {
	const (
		cyrillic = "Regional \u0441entre for waste management in Dushanbe" // U+0441 CYRILLIC SMALL LETTER ES
		latin    = "Regional centre for waste management in Dushanbe"
	)
	if !strings.Contains(seeds.Text(), cyrillic) {
		t.Fatalf("source text lacks %q", cyrillic)
	}
	c, ok := seeds.Embedded().Clause(24)
	if !ok {
		t.Fatal("Clause(24) not found")
	}
	if !strings.Contains(c.Text, cyrillic) || strings.Contains(c.Text, latin) {
		t.Errorf("clause 24 should keep the Cyrillic с: %q", c.Text)
	}
	if !c.Mentions(cyrillic) || c.Mentions(latin) {
		t.Errorf("Mentions should compare the Cyrillic с as written")
	}
	// Round trip: the clause rebuilt as "24. text" is a source line.
	line := "24. " + c.Text
	found := false
	for _, l := range strings.Split(seeds.Text(), "\n") {
		if strings.TrimSpace(l) == line {
			found = true
		}
	}
	if !found {
		t.Errorf("%q is not a line of the source text", line)
	}
	// And back again: parsing that line yields the same clause.
	src := "T\nS\nN\n\nWe,\n" + seeds.Marker + "\n1. " + c.Text + "\n"
	d, err := seeds.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if d.Clauses[0].Text != c.Text {
		t.Errorf("round trip changed the clause:\n got %q\nwant %q", d.Clauses[0].Text, c.Text)
	}
}

func TestMentions(t *testing.T) {
	d := seeds.Embedded()
	tests := []struct {
		clause int
		term   string
		want   bool
	}{
		{14, "tailings storage facilities", true},
		{14, "TAILINGS", true},
		{15, "Global Methane Pledge", true},
		{15, "glaciers", false},
		{6, "Trust Fund for the Preservation of Glaciers", true},
		{1, "", true},
	}
	for _, tt := range tests {
		c, ok := d.Clause(tt.clause)
		if !ok {
			t.Fatalf("Clause(%d) not found", tt.clause)
		}
		if got := c.Mentions(tt.term); got != tt.want {
			t.Errorf("clause %d Mentions(%q) = %v, want %v", tt.clause, tt.term, got, tt.want)
		}
	}
}

func TestClauseLookup(t *testing.T) {
	d := seeds.Embedded()
	for _, n := range []int{-1, 0, 28} {
		if c, ok := d.Clause(n); ok || c != (seeds.Clause{}) {
			t.Errorf("Clause(%d) = %v, %v; want zero, false", n, c, ok)
		}
	}
	if c, ok := d.Clause(14); !ok || c.Number != 14 {
		t.Errorf("Clause(14) = %v, %v", c, ok)
	}
	// A hand-built declaration need not be numbered densely.
	sparse := seeds.Declaration{Clauses: []seeds.Clause{{Number: 3, Text: "c"}, {Number: 7, Text: "g"}}}
	if c, ok := sparse.Clause(7); !ok || c.Text != "g" {
		t.Errorf("sparse Clause(7) = %v, %v", c, ok)
	}
	if _, ok := sparse.Clause(1); ok {
		t.Errorf("sparse Clause(1) found")
	}
}

func TestEmbeddedReturnsCopy(t *testing.T) {
	d := seeds.Embedded()
	d.Recitals[0] = "changed"
	d.Clauses[0].Text = "changed"
	d.Closing[0] = "changed"
	again := seeds.Embedded()
	if again.Recitals[0] == "changed" || again.Clauses[0].Text == "changed" || again.Closing[0] == "changed" {
		t.Error("modifying Embedded() result changed later results")
	}
}

func TestGolden(t *testing.T) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "\t")
	if err := enc.Encode(seeds.Embedded()); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(goldenPath, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", goldenPath)
	}
	want, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("%v (run go test ./seeds -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("parsed declaration differs from %s; run go test ./seeds -update and review the diff", goldenPath)
	}
	var back seeds.Declaration
	if err := json.Unmarshal(want, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, seeds.Embedded()) {
		t.Errorf("%s does not decode to Embedded()", goldenPath)
	}
}

// doc builds a declaration from its preamble and operative parts.
func doc(preamble, operative string) string {
	return preamble + "\n" + seeds.Marker + "\n" + operative
}

const heading = "DECLARATION\nsubject\nname\n\nWe, the parties,\nrecital one,\n"

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name  string
		input string
		err   error
		line  int
		msg   string
	}{
		{"empty", "", seeds.ErrNoMarker, 1, `seeds: line 1: missing enacting formula "hereby adopt this Declaration:"`},
		{"no marker", heading + "\n1. a clause\n", seeds.ErrNoMarker, 8, `seeds: line 8: missing enacting formula "hereby adopt this Declaration:"`},
		{"marker only", seeds.Marker + "\n1. a\n", seeds.ErrPreamble, 1, "seeds: line 1: no heading before the enacting formula"},
		{"short heading", doc("DECLARATION\nsubject\n\nWe,", "1. a"), seeds.ErrPreamble, 2, "seeds: line 2: heading has 2 lines, want 3 (title, subject, name)"},
		{"long heading", doc("DECLARATION\nsubject\nname\nWe,\nrecital", "1. a"), seeds.ErrPreamble, 4, "seeds: line 4: heading has 5 lines, want 3 (title, subject, name)"},
		{"no parties", doc("DECLARATION\nsubject\nname\n", "1. a"), seeds.ErrPreamble, 5, "seeds: line 5: no parties line between the heading and the enacting formula"},
		{"no clauses", doc(heading, "\n"), seeds.ErrNoClauses, 8, "seeds: line 8: no numbered clauses follow the enacting formula"},
		{"closing only", doc(heading, "\nThis Declaration matters.\n\nAdopted in Astana.\n"), seeds.ErrNoClauses, 8, "seeds: line 8: no numbered clauses follow the enacting formula"},
		{"first clause not 1", doc(heading, "\n2. b\n"), seeds.ErrClauseOrder, 10, "seeds: line 10: first clause is numbered 2, want 1"},
		{"gap", doc(heading, "1. a\n2. b\n4. d\n"), seeds.ErrClauseOrder, 11, "seeds: line 11: clause 4 follows clause 2"},
		{"repeat", doc(heading, "1. a\n1. a\n"), seeds.ErrClauseOrder, 10, "seeds: line 10: clause 1 follows clause 1"},
		{"huge number", doc(heading, "1. a\n99999999999999999999. z\n"), seeds.ErrClauseOrder, 10, "seeds: line 10: clause 99999999999999999999 follows clause 1"},
		{"empty clause", doc(heading, "1. a\n2.   \n"), seeds.ErrEmptyClause, 10, "seeds: line 10: clause 2 has no text"},
		{"clause after closing", doc(heading, "1. a\n\nClosing.\n\n2. b\n"), seeds.ErrUnexpectedLine, 13, "seeds: line 13: clause 2 follows unnumbered text from line 11"},
		{"text before first clause", doc(heading, "Preface.\n1. a\n"), seeds.ErrUnexpectedLine, 10, "seeds: line 10: clause 1 follows unnumbered text from line 9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := seeds.Parse(strings.NewReader(tt.input))
			if err == nil {
				t.Fatal("Parse succeeded, want error")
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.err)
			}
			var pe *seeds.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T) is not a *ParseError", err, err)
			}
			if pe.Line != tt.line {
				t.Errorf("Line = %d, want %d", pe.Line, tt.line)
			}
			if err.Error() != tt.msg {
				t.Errorf("Error() = %q\n            want %q", err.Error(), tt.msg)
			}
		})
	}
}

func TestParseErrorFormatting(t *testing.T) {
	err := &seeds.ParseError{Line: 40, Err: seeds.ErrClauseOrder}
	if got, want := err.Error(), "seeds: line 40: clause out of sequence"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got, want := (&seeds.ParseError{Line: 3}).Error(), "seeds: line 3: parse error"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(fmt.Errorf("loading: %w", err), seeds.ErrClauseOrder) {
		t.Error("wrapped ParseError does not match its sentinel")
	}
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("boom")
	_, err := seeds.Parse(iotest.ErrReader(boom))
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "seeds: ") {
		t.Errorf("Parse(failing reader) = %v, want wrapped %v", err, boom)
	}
	var pe *seeds.ParseError
	if errors.As(err, &pe) {
		t.Errorf("read failure reported as *ParseError")
	}
}

func TestParseLayouts(t *testing.T) {
	t.Run("minimal", func(t *testing.T) {
		d := parseFile(t, "minimal.txt")
		want := seeds.Declaration{
			Title:    "TITLE",
			Subject:  "of the subject",
			Name:     "“Name «nested»”",
			Parties:  "We, the parties,",
			Recitals: []string{"first recital,", "second recital,"},
			Enacting: seeds.Marker,
			Clauses: []seeds.Clause{
				{Number: 1, Text: "do one thing,"},
				{Number: 2, Text: "do another thing\nthat spans two lines."},
			},
			Closing: []string{"Closing words."},
			Adopted: "Adopted in Somewhere on 1 January 2026.",
		}
		if !reflect.DeepEqual(d, want) {
			t.Errorf("Parse(minimal.txt) =\n%#v\nwant\n%#v", d, want)
		}
	})
	t.Run("crlf and bom", func(t *testing.T) {
		d := parseFile(t, "crlf-bom.txt")
		if d.Title != "DECLARATION" || d.Parties != "We, the parties," || len(d.Recitals) != 0 ||
			len(d.Clauses) != 1 || d.Clauses[0].Text != "only clause" || d.Adopted != "" || len(d.Closing) != 0 {
			t.Errorf("Parse(crlf-bom.txt) = %#v", d)
		}
	})
	t.Run("crlf full text", func(t *testing.T) {
		d, err := seeds.Parse(strings.NewReader(strings.ReplaceAll(seeds.Text(), "\n", "\r\n")))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(d, seeds.Embedded()) {
			t.Error("CRLF line endings changed the parse")
		}
	})
	t.Run("whitespace after number", func(t *testing.T) {
		d, err := seeds.Parse(strings.NewReader(doc(heading, "1. a\n2.\tb\n3.\u00a0c\n")))
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Clauses) != 3 || d.Clauses[1].Text != "b" || d.Clauses[2].Text != "c" {
			t.Errorf("clauses = %+v", d.Clauses)
		}
	})
	t.Run("marker inside a line", func(t *testing.T) {
		src := "T\nS\nN\n\nWe,\nrecital,\n  and we " + seeds.Marker + "  \n1. a\n"
		d, err := seeds.Parse(strings.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		if want := "and we " + seeds.Marker; d.Enacting != want || !slices.Equal(d.Recitals, []string{"recital,"}) {
			t.Errorf("Enacting = %q, Recitals = %q; want %q, [recital,]", d.Enacting, d.Recitals, want)
		}
	})
	t.Run("not clause numbers", func(t *testing.T) {
		d, err := seeds.Parse(strings.NewReader(doc(heading, "1. a\n2.5 km of\n3.b continue it\n")))
		if err != nil {
			t.Fatal(err)
		}
		if want := "a\n2.5 km of\n3.b continue it"; len(d.Clauses) != 1 || d.Clauses[0].Text != want {
			t.Errorf("clauses = %+v, want one clause %q", d.Clauses, want)
		}
	})
	t.Run("out of order file", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join("testdata", "out-of-order.txt"))
		if err != nil {
			t.Fatal(err)
		}
		d, err := seeds.Parse(bytes.NewReader(data))
		var pe *seeds.ParseError
		if !errors.As(err, &pe) || pe.Line != 10 || !errors.Is(err, seeds.ErrClauseOrder) {
			t.Fatalf("err = %v, want clause order error on line 10", err)
		}
		if len(d.Clauses) != 1 || d.Title != "DECLARATION" {
			t.Errorf("partial result = %#v, want heading and clause 1", d)
		}
	})
}

func parseFile(t *testing.T, name string) seeds.Declaration {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := seeds.Parse(f)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return d
}

func FuzzParse(f *testing.F) {
	f.Add(seeds.Text())
	seedsFiles, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range seedsFiles {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Fuzz(func(t *testing.T, src string) {
		d, err := seeds.Parse(strings.NewReader(src))
		lines := strings.Count(src, "\n") + 1
		if err != nil {
			var pe *seeds.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T) is not a *ParseError", err, err)
			}
			if pe.Line < 1 || pe.Line > lines {
				t.Fatalf("error line %d outside 1..%d: %v", pe.Line, lines, err)
			}
			if !strings.HasPrefix(err.Error(), fmt.Sprintf("seeds: line %d: ", pe.Line)) {
				t.Fatalf("badly formatted error %q", err)
			}
			for _, s := range []error{seeds.ErrPreamble, seeds.ErrNoMarker, seeds.ErrNoClauses,
				seeds.ErrClauseOrder, seeds.ErrEmptyClause, seeds.ErrUnexpectedLine} {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("error %v wraps no sentinel", err)
		}
		if len(d.Clauses) == 0 {
			t.Fatal("Parse succeeded with no clauses")
		}
		for i, c := range d.Clauses {
			if c.Number != i+1 {
				t.Fatalf("clause %d numbered %d", i+1, c.Number)
			}
			if c.Text == "" {
				t.Fatalf("clause %d is empty", c.Number)
			}
			if got, ok := d.Clause(c.Number); !ok || got != c {
				t.Fatalf("Clause(%d) = %v, %v", c.Number, got, ok)
			}
		}
		if !strings.Contains(d.Enacting, seeds.Marker) {
			t.Fatalf("Enacting %q lacks the marker", d.Enacting)
		}
	})
}

// Example prints the opening words of operative clause 14.
func Example() {
	d := seeds.Embedded()
	c, ok := d.Clause(14)
	if !ok {
		return
	}
	words := strings.Fields(c.Text)
	fmt.Println(len(d.Clauses), "clauses")
	fmt.Printf("%d. %s …\n", c.Number, strings.Join(words[:8], " "))
	// Output:
	// 27 clauses
	// 14. declare intention to intensify efforts to inventory and …
}
