package main

import (
	"context"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/ecoatlas/ecoatlas/geo/coord"
	"github.com/ecoatlas/ecoatlas/geo/query"
)

// findCommand is "atlas find TEXT": the features whose names match, best
// first, or the position TEXT is as a coordinate.
func findCommand(ctx context.Context, args []string, stdout io.Writer) error {
	fl, asJSON, lang := newFlags("find")
	limit := fl.Int("limit", 10, "the most matches to list")
	layerID := fl.String("layer", "", "look only among the features of this layer")
	rest, err := parseFlags(fl, args, 1)
	if err != nil {
		return err
	}
	if *limit < 1 {
		return usagef("--limit %d: want 1 or more", *limit)
	}
	e, err := loadEngine(ctx)
	if err != nil {
		return err
	}
	if err := checkLang(e, *lang); err != nil {
		return err
	}
	opts := query.SearchOptions{Lang: *lang, Limit: *limit}
	if *layerID != "" {
		if _, ok := e.Atlas().Style.Layer(*layerID); !ok {
			return usagef("--layer: no layer %q", *layerID)
		}
		opts.Layers = []string{*layerID}
	}
	results := e.Search(rest[0], opts)
	if *asJSON {
		if results == nil {
			results = []query.Result{}
		}
		return writeJSON(stdout, results)
	}
	w := &writer{w: stdout}
	if len(results) == 0 {
		w.printf("no feature is called %q\n", rest[0])
		return w.err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	tw2 := &writer{w: tw}
	for i, r := range results {
		at, err := coord.FormatDecimal(r.At, 5)
		if err != nil {
			at = ""
		}
		if r.Match == query.MatchCoordinate {
			tw2.printf("%d.\t%s\t(a coordinate, to about %s)\t\t%s\n", i+1, r.Name, metres(r.Precision), at)
			continue
		}
		tw2.printf("%d.\t%s\t%s/%s\t%s %q\t%s\n", i+1, r.Name, r.Ref.Layer, r.Ref.ID, r.Match, r.Matched, at)
	}
	if tw2.err != nil {
		return tw2.err
	}
	return tw.Flush()
}

// checkLang reports a language the style has no names for.
func checkLang(e *query.Engine, lang string) error {
	st := e.Atlas().Style
	if _, ok := st.Languages[lang]; !ok && lang != e.Dictionary().Languages[0] {
		return usagef("--lang %q: the map has names in %s", lang, strings.Join(slices.Sorted(maps.Keys(st.Languages)), ", "))
	}
	return nil
}

// metres writes a length for a message: in km from a kilometre.
func metres(m float64) string {
	if m >= 1000 {
		return strconv.FormatFloat(m/1000, 'g', 3, 64) + " km"
	}
	return strconv.FormatFloat(m, 'f', 0, 64) + " m"
}
