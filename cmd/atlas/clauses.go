package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/ecoatlas/ecoatlas/seeds"
)

const clausesUsage = "usage: atlas clauses [--json]\n"

// clauseJSON is one clause as "atlas clauses --json" prints it: the
// verbatim text with the clause's links.
type clauseJSON struct {
	Number      int                `json:"number"`
	Text        string             `json:"text"`
	Title       string             `json:"title"`
	Themes      []seeds.Theme      `json:"themes"`
	Focus       seeds.Focus        `json:"focus"`
	FocusTitle  string             `json:"focus_title"`
	Layers      []string           `json:"layers"`
	WholeLayers []string           `json:"whole_layers"`
	Places      []seeds.FeatureRef `json:"places"`
	Note        string             `json:"note"`
}

// declarationJSON is the whole output of "atlas clauses --json".
type declarationJSON struct {
	Title    string       `json:"title"`
	Subject  string       `json:"subject"`
	Name     string       `json:"name"`
	Parties  string       `json:"parties"`
	Recitals []string     `json:"recitals"`
	Enacting string       `json:"enacting"`
	Clauses  []clauseJSON `json:"clauses"`
	Closing  []string     `json:"closing"`
	Adopted  string       `json:"adopted"`
}

// clausesCommand prints the declaration with the map links of its
// clauses, as text or as JSON.
func clausesCommand(_ context.Context, args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("atlas clauses", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	asJSON := fl.Bool("json", false, "print JSON")
	if err := fl.Parse(args); err != nil {
		return usageError{err.Error() + "\n" + clausesUsage}
	}
	if fl.NArg() > 0 {
		return usagef("unexpected argument %q\n%s", fl.Arg(0), clausesUsage)
	}
	d := seeds.Embedded()
	links, err := seeds.EmbeddedLinks()
	if err != nil {
		return err
	}
	out := declarationJSON{
		Title: d.Title, Subject: d.Subject, Name: d.Name, Parties: d.Parties,
		Recitals: d.Recitals, Enacting: d.Enacting, Closing: d.Closing, Adopted: d.Adopted,
	}
	for _, c := range d.Clauses {
		l, ok := links.Clause(c.Number)
		if !ok {
			return fmt.Errorf("seeds/%s has no entry for clause %d", seeds.LinksFileName, c.Number)
		}
		out.Clauses = append(out.Clauses, clauseJSON{
			Number: c.Number, Text: c.Text, Title: l.Title, Themes: l.Themes,
			Focus: l.Focus, FocusTitle: l.Focus.Title(),
			Layers: l.Layers, WholeLayers: l.WholeLayers, Places: l.Places, Note: l.Note,
		})
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	printClauses(stdout, out)
	return nil
}

// printClauses writes the declaration as text: heading, recitals, and
// each clause with its title, themes, links and text.
func printClauses(w io.Writer, d declarationJSON) {
	fmt.Fprintf(w, "%s\n%s\n%s\n\n%s\n", d.Title, d.Subject, d.Name, d.Parties)
	for i, r := range d.Recitals {
		fmt.Fprintf(w, "  (%d) %s\n", i+1, r)
	}
	fmt.Fprintf(w, "%s\n", d.Enacting)
	for _, c := range d.Clauses {
		themes := make([]string, len(c.Themes))
		for i, t := range c.Themes {
			themes[i] = t.Title()
		}
		fmt.Fprintf(w, "\n§%d %s\n   themes: %s\n", c.Number, c.Title, strings.Join(themes, " · "))
		switch c.Focus {
		case seeds.FocusNone:
			fmt.Fprintf(w, "   %s\n", strings.ToLower(c.FocusTitle))
		default:
			fmt.Fprintf(w, "   layers: %s\n", strings.Join(c.Layers, ", "))
			if len(c.WholeLayers) > 0 {
				fmt.Fprintf(w, "   every feature of: %s\n", strings.Join(c.WholeLayers, ", "))
			}
			if len(c.Places) > 0 {
				places := make([]string, len(c.Places))
				for i, p := range c.Places {
					places[i] = p.String()
					if p.Named {
						places[i] += " (named)"
					}
				}
				fmt.Fprintf(w, "   places: %s\n", strings.Join(places, ", "))
			}
		}
		fmt.Fprintf(w, "   %s\n", c.Text)
	}
	fmt.Fprintln(w)
	for _, l := range d.Closing {
		fmt.Fprintln(w, l)
	}
	fmt.Fprintln(w, d.Adopted)
}
