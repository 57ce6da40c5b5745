package main

import (
	"context"
	"io"
	"math"
	"strconv"

	"github.com/ecoatlas/ecoatlas/geo/query"
)

// question says what "atlas within" was asked.
type question struct {
	Layer string     `json:"layer"`
	Basin *query.Ref `json:"basin,omitempty"`
	Near  string     `json:"near,omitempty"`
	Km    float64    `json:"km,omitempty"`
}

// withinCommand is "atlas within --layer id --basin NAME" and "atlas
// within --layer id --near id --km K": the features of a layer in a
// basin, or within a distance of another layer's features.
func withinCommand(ctx context.Context, args []string, stdout io.Writer) error {
	fl, asJSON, lang := newFlags("within")
	layerID := fl.String("layer", "", "the layer whose features are asked about")
	basin := fl.String("basin", "", "a basin, by name or id")
	near := fl.String("near", "", "another layer, whose features the answers are near")
	km := fl.Float64("km", 0, "how near, in kilometres on the ground (with --near)")
	if _, err := parseFlags(fl, args, 0); err != nil {
		return err
	}
	switch {
	case *layerID == "":
		return usagef("within: --layer is required")
	case (*basin == "") == (*near == ""):
		return usagef("within: give either --basin or --near")
	case *near != "" && !(*km > 0 && *km <= 20_000):
		return usagef("within: --near needs --km, a distance of more than 0 and at most 20000 km")
	case *near == "" && *km != 0:
		return usagef("within: --km goes with --near")
	}
	e, err := loadEngine(ctx)
	if err != nil {
		return err
	}
	if err := checkLang(e, *lang); err != nil {
		return err
	}
	q := question{Layer: *layerID, Near: *near, Km: *km}
	var a *query.Answer
	if *basin != "" {
		ref, err := e.FindIn(basinLayer(e), *basin)
		if err != nil {
			return asUsage(err)
		}
		q.Basin = &ref
		a, err = e.WithinFeature(ctx, nil, *layerID, ref, *lang)
		if err != nil {
			return asUsage(err)
		}
	} else if a, err = e.Near(ctx, nil, *layerID, *near, *km*1000, *lang); err != nil {
		return asUsage(err)
	}
	if *asJSON {
		return writeJSON(stdout, struct {
			Question question      `json:"question"`
			Answer   *query.Answer `json:"answer"`
		}{q, a})
	}
	w := &writer{w: stdout}
	if q.Basin != nil {
		f, _ := e.Lookup(*q.Basin)
		w.printf("%s of layer %s in %s (%s)\n", features(len(a.Members)), *layerID, e.Name(f, *lang), q.Basin.ID)
	} else {
		w.printf("%s of layer %s within %s km of layer %s\n", features(len(a.Members)), *layerID, strconv.FormatFloat(*km, 'f', -1, 64), *near)
	}
	for _, m := range a.Members {
		switch {
		case m.Nearest != nil:
			w.printf("  %s (%s): %s km from %s\n", m.Name, m.Ref.ID, strconv.FormatFloat(math.Round(m.Nearest.Distance/100)/10, 'f', 1, 64), m.Nearest.Name)
		case m.Partly:
			w.printf("  %s (%s), partly\n", m.Name, m.Ref.ID)
		default:
			w.printf("  %s (%s)\n", m.Name, m.Ref.ID)
		}
	}
	for _, c := range a.Counts {
		if len(c.Values) == 0 {
			continue
		}
		w.printf("%s:", c.Label)
		for i, v := range c.Values {
			sep := ","
			if i == 0 {
				sep = ""
			}
			w.printf("%s %s %d", sep, v.Text, v.Count)
		}
		w.printf("\n")
	}
	return w.err
}

// features says how many features there are.
func features(n int) string {
	if n == 1 {
		return "1 feature"
	}
	return strconv.Itoa(n) + " features"
}

// basinLayer returns the layer the dictionary names for basins, or
// "basins".
func basinLayer(e *query.Engine) string {
	for _, c := range e.Dictionary().Context {
		if c.Term == "basin" {
			return c.Layer
		}
	}
	return "basins"
}
