package main

import (
	"context"
	"io"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/query"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// identified is one answer of "atlas identify": a feature drawn at the
// position and its description, or a cluster of features.
type identified struct {
	Hit         query.Hit          `json:"hit"`
	Description *query.Description `json:"description,omitempty"`
	// Members name a cluster's features, in the language.
	Members []string `json:"members,omitempty"`
}

// identifyCommand is "atlas identify --at lon,lat": what the map draws at
// a position at a zoom, topmost first, each described in full.
func identifyCommand(ctx context.Context, args []string, stdout io.Writer) error {
	fl, asJSON, lang := newFlags("identify")
	at := fl.String("at", "", "the position: lon,lat in degrees")
	zoom := fl.Float64("zoom", 10, "the zoom of the map the position is clicked on")
	tolerance := fl.Float64("tolerance", 3, "how far, in pixels, a click may miss what is drawn")
	if _, err := parseFlags(fl, args, 0); err != nil {
		return err
	}
	if *at == "" {
		return usagef("identify: --at lon,lat is required")
	}
	v, err := parseFloats("--at", *at, 2)
	if err != nil {
		return err
	}
	if v[0] < -180 || v[0] > 180 || v[1] < -85.06 || v[1] > 85.06 {
		return usagef("--at %s: want lon in -180..180 and lat in -85..85", *at)
	}
	if *zoom < viewport.MinZoom || *zoom > viewport.MaxZoom {
		return usagef("--zoom %v is outside %v..%v", *zoom, viewport.MinZoom, viewport.MaxZoom)
	}
	if !(*tolerance >= 0 && *tolerance <= 100) {
		return usagef("--tolerance %v: want 0..100 pixels", *tolerance)
	}
	e, err := loadEngine(ctx)
	if err != nil {
		return err
	}
	if err := checkLang(e, *lang); err != nil {
		return err
	}
	point := orb.Point{v[0], v[1]}
	vp := viewport.New(point, *zoom, 512, 512, 1)
	hits, err := e.Identify(ctx, nil, vp, vp.ToPixel(point), *tolerance)
	if err != nil {
		return err
	}
	answers := make([]identified, 0, len(hits))
	for _, h := range hits {
		a := identified{Hit: h}
		if h.Feature != nil {
			if a.Description, err = e.Describe(ctx, h.Ref, *lang); err != nil {
				return err
			}
		}
		for _, m := range h.Members {
			if f, ok := e.Lookup(m); ok {
				a.Members = append(a.Members, e.Name(f, *lang))
			}
		}
		answers = append(answers, a)
	}
	if *asJSON {
		return writeJSON(stdout, answers)
	}
	w := &writer{w: stdout}
	if len(answers) == 0 {
		w.printf("nothing is drawn at %s at zoom %v\n", *at, *zoom)
		return w.err
	}
	for i, a := range answers {
		if i > 0 {
			w.printf("\n")
		}
		if a.Description == nil {
			w.printf("%d. %s (layer %s): %s\n", i+1, e.Title(a.Hit, *lang), a.Hit.Ref.Layer, strings.Join(a.Members, "; "))
			continue
		}
		d := a.Description
		w.printf("%d. %s\n   %s · %s/%s\n", i+1, d.Name, d.Layer, d.Ref.Layer, d.Ref.ID)
		if d.Approximate {
			w.printf("   APPROXIMATE\n")
		}
		for _, r := range append(d.Facts, d.Attributes...) {
			mark := ""
			if r.Approximate {
				mark = " (approximate)"
			}
			w.printf("   %s: %s%s\n", r.Label, r.Value, mark)
			for _, u := range r.URLs {
				w.printf("      %s\n", u)
			}
		}
	}
	return w.err
}
