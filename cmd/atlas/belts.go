package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ecoatlas/ecoatlas/assets"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/belt"
	"github.com/ecoatlas/ecoatlas/geo/encode"
	"github.com/ecoatlas/ecoatlas/geo/overlay"
	"github.com/ecoatlas/ecoatlas/geo/style"
)

// The embedded data the belts are planned from: the places with their
// population, and the countries that choose them.
const (
	placesSource     = "places"
	populationField  = "pop_max"
	countriesSource  = "countries"
	countryCodeField = "adm0_a3"
)

// centralAsia are the country codes of the five states of the declaration.
var centralAsia = []string{"KAZ", "KGZ", "TJK", "TKM", "UZB"}

const beltsUsage = `usage: atlas belts --out belts.geojson [--min-pop N] [--km K] [--density D]
                   [--countries KAZ,KGZ,TJK,TKM,UZB|all]
`

// beltsCommand plans the green belts of clause 17 around the embedded
// places and writes them as GeoJSON, with a line per belt on stdout.
func beltsCommand(ctx context.Context, args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("atlas belts", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	o := belt.DefaultOptions()
	var out, countries string
	fl.StringVar(&out, "out", "", "output GeoJSON file")
	fl.Float64Var(&o.MinPopulation, "min-pop", belt.DefaultMinPopulation, "least population of a city with a belt")
	fl.Float64Var(&o.WidthKm, "km", belt.DefaultWidthKm, "width of the belt in km")
	fl.Float64Var(&o.Density, "density", belt.DefaultDensity, "urban density in people per km², which sizes a city's core")
	fl.StringVar(&countries, "countries", strings.Join(centralAsia, ","), "country codes whose places get belts, or all")
	if err := fl.Parse(args); err != nil {
		return usageError{err.Error() + "\n" + beltsUsage}
	}
	switch {
	case fl.NArg() > 0:
		return usagef("unexpected argument %q\n%s", fl.Arg(0), beltsUsage)
	case out == "":
		return usagef("--out is required\n%s", beltsUsage)
	}
	if err := o.Check(); err != nil {
		return usageError{err.Error()}
	}
	cities, err := embeddedCities(ctx, countries)
	if err != nil {
		return err
	}
	// Largest cities first, in the file and the listing.
	slices.SortStableFunc(cities, func(a, b belt.City) int { return cmp.Compare(b.Population, a.Population) })
	belts, err := belt.Plan(ctx, cities, o)
	if err != nil {
		return err
	}
	if err := writeFile(ctx, out, func(w io.Writer) error { return encode.GeoJSON(w, belt.Features(belts)) }); err != nil {
		return err
	}
	total := 0.0
	for _, b := range belts {
		total += b.AreaKm2
	}
	fmt.Fprintf(stdout, "%d green belts of %g km around cities of %g people or more (core density %g/km²): %.0f km² in all\n",
		len(belts), o.WidthKm, o.MinPopulation, o.Density, total)
	for _, b := range belts {
		fmt.Fprintf(stdout, "%-24s %10.0f people  %5.1f–%5.1f km  %9.1f km²\n", b.City.Name, b.City.Population, b.InnerKm, b.OuterKm, b.AreaKm2)
	}
	return nil
}

// embeddedCities returns the embedded places as cities, those within the
// countries listed by code ("all" keeps every place).
func embeddedCities(ctx context.Context, countries string) ([]belt.City, error) {
	st, err := style.Parse(assets.DefaultStyle)
	if err != nil {
		return nil, err
	}
	codes := strings.Split(countries, ",")
	all := countries == "all"
	sources := map[string]style.Source{placesSource: st.Sources[placesSource]}
	if !all {
		sources[countriesSource] = st.Sources[countriesSource]
	}
	a, err := atlas.Load(ctx, &style.Style{Sources: sources}, assets.Data())
	if err != nil {
		return nil, err
	}
	places := slices.Collect(a.Sources[placesSource].Vector.All())
	cities := belt.Cities(places, populationField, "name")
	if all {
		return cities, nil
	}
	var areas []*overlay.Prepared
	known := map[string]bool{}
	for f := range a.Sources[countriesSource].Vector.All() {
		code := f.Properties.String(countryCodeField)
		known[code] = true
		if !slices.Contains(codes, code) {
			continue
		}
		p, err := overlay.Prepare(f.Geometry)
		if err != nil {
			return nil, fmt.Errorf("country %s: %w", code, err)
		}
		areas = append(areas, p)
	}
	for _, c := range codes {
		if !known[c] {
			return nil, usagef("--countries: no country %q; use codes such as %s, or all", c, strings.Join(centralAsia, ","))
		}
	}
	return slices.DeleteFunc(cities, func(c belt.City) bool {
		for _, area := range areas {
			if in, err := area.ContainsPoint(c.At); err == nil && in {
				return false
			}
		}
		return true
	}), nil
}

// writeFile writes a file through write, as every output of the command
// is written (see output): in full or not at all, with the permissions
// of a new file or of the file it replaces.
func writeFile(ctx context.Context, path string, write func(io.Writer) error) error {
	out, err := createOutput(path)
	if err != nil {
		return err
	}
	defer out.discard()
	return out.write(ctx, write)
}
