package main

import (
	"context"
	"io"

	"github.com/ecoatlas/ecoatlas/geo/query"
)

// compareCommand is "atlas compare [NAME]": one thing's outline at two
// times, with geodesic areas and the loss (the Aral Sea); without a name,
// every comparison the map has.
func compareCommand(ctx context.Context, args []string, stdout io.Writer) error {
	fl, asJSON, lang := newFlags("compare")
	var names []string
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		names, args = args[:1], args[1:]
	}
	if _, err := parseFlags(fl, args, 0); err != nil {
		return err
	}
	e, err := loadEngine(ctx)
	if err != nil {
		return err
	}
	if err := checkLang(e, *lang); err != nil {
		return err
	}
	if names == nil {
		names = e.Comparisons()
	}
	changes := make([]*query.Change, 0, len(names))
	for _, name := range names {
		c, err := e.Compare(name, *lang)
		if err != nil {
			return asUsage(err)
		}
		changes = append(changes, c)
	}
	if *asJSON {
		return writeJSON(stdout, changes)
	}
	w := &writer{w: stdout}
	for i, c := range changes {
		if i > 0 {
			w.printf("\n")
		}
		w.printf("%s\n", c.Title)
		for _, o := range []query.Outline{c.Then, c.Now} {
			w.printf("  %s: %s (%s/%s)\n", o.Label, o.AreaText, o.Ref.Layer, o.Ref.ID)
		}
		w.printf("  %s\n", c.LostText)
	}
	w.printf("Areas are geodesic, on the WGS 84 ellipsoid.\n")
	return w.err
}
