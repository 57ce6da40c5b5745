package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"io"
	"maps"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/clausemap"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
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

// minClauseSpan is the least width and height, in degrees, of the view
// fitted to a clause's places: a clause with one city shows its
// surroundings.
const minClauseSpan = 2.0

// renderClause is "atlas render --clause N": the map as render draws it,
// with the clause's layers shown, its features highlighted over a veil
// and its badges, fitted to its places unless --bbox or --center says
// otherwise. A clause with no geographic focus gets the plain map of the
// region and a line saying so.
func renderClause(ctx context.Context, o options, stdout io.Writer) error {
	start := time.Now()
	d := seeds.Embedded()
	links, err := seeds.EmbeddedLinks()
	if err != nil {
		return err
	}
	c, ok := links.Clause(o.clause)
	if !ok {
		return usagef("--clause %d: the declaration's clauses are numbered 1 to %d", o.clause, len(links.Clauses))
	}
	out, format, err := createImage(o.out)
	if err != nil {
		return err
	}
	defer out.discard()
	st, fsys, err := loadStyle(o.stylePath)
	if err != nil {
		return err
	}
	if err := selectLayers(st, o.layers); err != nil {
		return err
	}
	if _, ok := st.Languages[o.lang]; !ok && o.lang != "en" {
		return usagef("--lang %q: the style has labels in en and %s", o.lang, strings.Join(slices.Sorted(maps.Keys(st.Languages)), ", "))
	}
	// The clause's layers show; every linked layer's data is loaded, as
	// the binding checks every link.
	load := usedSources(st)
	for i := range st.Layers {
		l := &st.Layers[i]
		if slices.Contains(c.Layers, l.ID) {
			l.Hidden = false
		}
		if slices.Contains(links.LayerIDs(), l.ID) {
			load.Sources[l.Source] = st.Sources[l.Source]
		}
	}
	a, err := atlas.Load(ctx, load, fsys)
	if err != nil {
		return err
	}
	a.Style = st
	if err := addFiles(ctx, a, o); err != nil {
		return err
	}
	m, err := clausemap.New(a, d, links)
	if err != nil {
		return err
	}
	sel, err := m.Clause(o.clause)
	if err != nil {
		return err
	}
	loaded := time.Now()

	vp := viewport.New(atlas.Region.Center(), 5, o.width, o.height, o.scale)
	switch {
	case o.bbox != nil:
		vp = vp.Fit(*o.bbox, 0)
	case o.center != nil:
		vp = viewport.New(*o.center, o.zoom, o.width, o.height, o.scale)
	case sel.Empty():
		vp = vp.Fit(atlas.Region, 0)
	default:
		vp = vp.Fit(sel.View(minClauseSpan), 0)
	}
	// The frame as render.Frame draws it, keeping the labels' boxes for
	// the badges to avoid.
	sc := a.Scene(a.Style, o.lang)
	img := image.NewRGBA(image.Rect(0, 0, vp.DeviceWidth(), vp.DeviceHeight()))
	if err := render.GeometryParallel(ctx, sc, vp, img, runtime.GOMAXPROCS(0)); err != nil {
		return err
	}
	labels, err := render.Labels(ctx, sc, vp)
	if err != nil {
		return err
	}
	render.DrawLabels(img, labels)
	if sel.Empty() {
		fmt.Fprintf(stdout, "clause %d has no geographic focus: nothing to highlight\n", o.clause)
	} else {
		var boxes []image.Rectangle
		for _, l := range labels {
			boxes = append(boxes, l.Boxes...)
		}
		overlay, _, err := m.Overlay(ctx, vp, sel, clausemap.DefaultLook, boxes)
		if err != nil {
			return err
		}
		clausemap.Compose(img, overlay)
	}
	rendered := time.Now()
	if err := out.writeImage(ctx, format, img); err != nil {
		return err
	}
	done := time.Now()
	if o.timings {
		fmt.Fprintf(stdout, "TIMING renderer=ecoatlas load_s=%.3f render_s=%.3f encode_s=%.3f\n",
			loaded.Sub(start).Seconds(), rendered.Sub(loaded).Seconds(), done.Sub(rendered).Seconds())
	}
	return nil
}
