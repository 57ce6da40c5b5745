package query_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/query"
	"github.com/paulmach/orb"
)

// row returns the row of a description with a key.
func row(t *testing.T, rows []query.Row, key string) query.Row {
	t.Helper()
	for _, r := range rows {
		if r.Key == key {
			return r
		}
	}
	t.Fatalf("no row %q among %v", key, rows)
	return query.Row{}
}

func TestDescribe_mailuuSuu(t *testing.T) {
	e := engine(t)
	ref := query.Ref{Layer: "tailings", ID: "kg-mailuu-suu-uranium-legacy"}
	for _, tc := range []struct {
		lang  string
		rows  map[string]string // attribute key → value
		facts map[string]string
		name  string
	}{
		{"en", map[string]string{
			"volume_m3":       "2\u00a0000\u00a0000 m³",
			"coord_precision": "position known only to about 10 km (the nearest town)",
			"type":            "Uranium legacy site",
			"status":          "Abandoned",
			"hazard":          "Not assessed",
			"country":         "Kyrgyzstan",
			"area_ha":         "not known",
		}, map[string]string{
			"basin": "Syr Darya basin (natural full basin)",
		}, "Mailuu-Suu uranium tailings and waste rock dumps (complex)"},
		{"ru", map[string]string{
			"volume_m3":       "2\u00a0000\u00a0000 м³",
			"coord_precision": "положение известно лишь с точностью около 10 км (ближайший город)",
			"type":            "Объект уранового наследия",
			"country":         "Кыргызстан",
		}, map[string]string{
			"basin": "Бассейн реки Сырдарья",
		}, "Майлуу-Суу (хвостохранилища и отвалы)"},
		{"kk", map[string]string{"type": "Уран мұрасы нысаны", "country": "Қырғызстан"}, nil, "Майлуу-Суу (хвостохранилища и отвалы)"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			d, err := e.Describe(context.Background(), ref, tc.lang)
			if err != nil {
				t.Fatal(err)
			}
			if d.Name != tc.name {
				t.Errorf("name %q, want %q", d.Name, tc.name)
			}
			for key, want := range tc.rows {
				if got := row(t, d.Attributes, key).Value; got != want {
					t.Errorf("%s = %q, want %q", key, got, want)
				}
			}
			for key, want := range tc.facts {
				if got := row(t, d.Facts, key).Value; got != want {
					t.Errorf("fact %s = %q, want %q", key, got, want)
				}
			}
			if !d.Approximate || !row(t, d.Attributes, "coord_precision").Approximate || !row(t, d.Facts, "coordinates").Approximate {
				t.Error("a position known to 10 km is not flagged approximate")
			}
			src := row(t, d.Attributes, "source")
			wantURLs := []string{
				"https://24.kg/english/84440_IAEA_inspectors_arrive_in_Kyrgyzstan_to_study_tailing_dumps/",
				"https://en.wikipedia.org/wiki/Mailuu-Suu",
			}
			if !slices.Equal(src.URLs, wantURLs) || !strings.HasPrefix(src.Value, "24.kg, 'IAEA inspectors") {
				t.Errorf("source %q with URLs %q, want the text and %q", src.Value, src.URLs, wantURLs)
			}
			if c := row(t, d.Attributes, "country"); len(c.Refs) != 1 || c.Refs[0] != (query.Ref{Layer: "land", ID: "countries.kgz"}) {
				t.Errorf("country refers to %v, want land/countries.kgz", c.Refs)
			}
			for _, r := range d.Facts {
				if r.Key == "country" {
					t.Errorf("the country the site lies in is said twice: %+v", r)
				}
			}
			for _, r := range d.Attributes {
				if r.Key == "id" || r.Key == "name" || r.Key == "name_ru" {
					t.Errorf("attribute %q is shown; names and ids are not attributes", r.Key)
				}
			}
			if len(d.Names) != 2 || d.Names[1] != (query.NameVariant{Field: "name_ru", Text: "Майлуу-Суу (хвостохранилища и отвалы)"}) {
				t.Errorf("names %v", d.Names)
			}
		})
	}
}

func TestDescribe_exactSiteIsNotApproximate(t *testing.T) {
	d, err := engine(t).Describe(context.Background(), query.Ref{Layer: "tailings", ID: "kg-mailuu-suu-tailing-3"}, "en")
	if err != nil {
		t.Fatal(err)
	}
	if d.Approximate {
		t.Error("a site at its exact position is flagged approximate")
	}
	if got := row(t, d.Attributes, "area_ha").Value; got != "2.4 ha" {
		t.Errorf("area_ha = %q, want 2.4 ha", got)
	}
}

func TestDescribe_listsAndTransboundary(t *testing.T) {
	e := engine(t)
	d, err := e.Describe(context.Background(), query.Ref{Layer: "basins", ID: "issyk-kul-basin-approx"}, "en")
	if err != nil {
		t.Fatal(err)
	}
	if !d.Approximate || !row(t, d.Attributes, "approximate").Approximate {
		t.Error("the approximate Issyk-Kul basin is not flagged approximate")
	}
	if got := row(t, d.Attributes, "countries").Value; got != "Kyrgyzstan" {
		t.Errorf("countries = %q", got)
	}
	for _, r := range d.Facts {
		if r.Key == "basin" {
			t.Errorf("a basin is described as lying in basin %q", r.Value)
		}
	}
}

// TestDescribe_placesOfAreas: a basin lies in the countries that hold a
// real share of it, not in those its outline grazes.
func TestDescribe_placesOfAreas(t *testing.T) {
	e := engine(t)
	for _, tc := range []struct {
		ref  query.Ref
		key  string
		want string
	}{
		{query.Ref{Layer: "basins", ID: "syr-darya-basin-hydroatlas"}, "country", "Uzbekistan, Kazakhstan, Tajikistan, Kyrgyzstan, Baikonur"},
		{query.Ref{Layer: "lakes", ID: "lakes.issyk-kul"}, "basin", "Lake Issyk-Kul basin — APPROXIMATE"},
		// Natural Earth draws the Naryn on to its meeting with the Kara Darya
		// and down the Syr Darya into Tajikistan.
		{query.Ref{Layer: "rivers", ID: "rivers.naryn"}, "country", "Uzbekistan, Tajikistan, Kyrgyzstan"},
	} {
		d, err := e.Describe(context.Background(), tc.ref, "en")
		if err != nil {
			t.Fatal(err)
		}
		if got := row(t, d.Facts, tc.key).Value; got != tc.want {
			t.Errorf("%s: %s %q, want %q", tc.ref.ID, tc.key, got, tc.want)
		}
	}
}

func TestDescribe_unknown(t *testing.T) {
	e := engine(t)
	if _, err := e.Describe(context.Background(), query.Ref{Layer: "tailings", ID: "nowhere"}, "en"); !errors.Is(err, query.ErrNotFound) {
		t.Errorf("an unknown feature: %v, want ErrNotFound", err)
	}
	if _, err := e.Describe(context.Background(), query.Ref{Layer: "nope", ID: "x"}, "en"); !errors.Is(err, query.ErrUnknownLayer) {
		t.Errorf("an unknown layer: %v, want ErrUnknownLayer", err)
	}
}

// TestDescribe_kadjiSaiAndKumtor: Kadji-Sai, on the lake's south shore,
// lies in the Issyk-Kul basin; Kumtor, beyond the ridge, does not.
func TestDescribe_kadjiSaiAndKumtor(t *testing.T) {
	e := engine(t)
	for id, want := range map[string]bool{"kg-kadji-sai": true, "kg-kumtor": false} {
		d, err := e.Describe(context.Background(), query.Ref{Layer: "tailings", ID: id}, "en")
		if err != nil {
			t.Fatal(err)
		}
		got := slices.Contains(row(t, d.Facts, "basin").Refs, query.Ref{Layer: "basins", ID: "issyk-kul-basin-approx"})
		if got != want {
			t.Errorf("%s in the Issyk-Kul basin: %v, want %v (basin row %+v)", id, got, want, row(t, d.Facts, "basin"))
		}
	}
}

// TestDescribe_geodesicMeasuresMatchReferences compares the areas and
// lengths of real features with GeographicLib's Planimeter and PROJ's
// geod, run on the features' own vertices: within 0.01 %.
func TestDescribe_geodesicMeasuresMatchReferences(t *testing.T) {
	e := engine(t)
	for _, ref := range []query.Ref{
		{Layer: "lakes", ID: "lakes.issyk-kul"},
		{Layer: "lakes", ID: "lakes.aral-sea"},
		{Layer: "aral_shorelines", ID: "aral-1950s-ne-historic"},
		{Layer: "aral_shorelines", ID: "aral-ne-present-undated"},
		{Layer: "basins", ID: "issyk-kul-basin-approx"},
		{Layer: "land", ID: "countries.kgz"},
	} {
		f, _ := e.Lookup(ref)
		d, err := e.Describe(context.Background(), ref, "en")
		if err != nil {
			t.Fatal(err)
		}
		got := row(t, d.Facts, "area").Raw.(float64)
		want := planimeterArea(t, f.Geometry)
		t.Logf("%s: %.3f km², Planimeter %.3f km² (%s)", ref.ID, got/1e6, want/1e6, row(t, d.Facts, "area").Value)
		if math.Abs(got-want) > 1e-4*want {
			t.Errorf("%s: area %.1f m², Planimeter %.1f m²", ref.ID, got, want)
		}
	}
	for _, ref := range []query.Ref{
		{Layer: "rivers", ID: "rivers.syr-darya"},
		{Layer: "rivers", ID: "rivers.naryn"},
		{Layer: "rivers", ID: "rivers.ural"},
		{Layer: "rivers", ID: "rivers.irtysh"},
	} {
		f, ok := e.Lookup(ref)
		if !ok {
			t.Fatalf("%v is not in the embedded map", ref)
		}
		d, err := e.Describe(context.Background(), ref, "en")
		if err != nil {
			t.Fatal(err)
		}
		got := row(t, d.Facts, "length").Raw.(float64)
		want := geodLength(t, f.Geometry)
		t.Logf("%s: %.3f km, geod %.3f km (%s)", ref.ID, got/1e3, want/1e3, row(t, d.Facts, "length").Value)
		if math.Abs(got-want) > 1e-4*want {
			t.Errorf("%s: length %.3f m, geod %.3f m", ref.ID, got, want)
		}
	}
}

// planimeterArea is the area of a polygon or multipolygon by GeographicLib's
// Planimeter: the shells' areas less the holes'.
func planimeterArea(t *testing.T, g orb.Geometry) float64 {
	t.Helper()
	var polygons []orb.Polygon
	switch g := g.(type) {
	case orb.Polygon:
		polygons = []orb.Polygon{g}
	case orb.MultiPolygon:
		polygons = g
	default:
		t.Fatalf("%T is not areal", g)
	}
	var in strings.Builder
	var signs []float64
	for _, p := range polygons {
		for i, r := range p {
			for _, q := range r[:len(r)-1] {
				fmt.Fprintf(&in, "%.12f %.12f\n", q[1], q[0])
			}
			in.WriteString("\n")
			signs = append(signs, map[bool]float64{true: 1, false: -1}[i == 0])
		}
	}
	total := 0.0
	for i, line := range runTool(t, in.String(), "Planimeter", "-p", "6") {
		total += signs[i] * math.Abs(parseField(t, line, 2))
	}
	return total
}

// geodLength is the length of a line by PROJ's geod: the sum of the
// inverse distances of its segments.
func geodLength(t *testing.T, g orb.Geometry) float64 {
	t.Helper()
	var paths []orb.LineString
	switch g := g.(type) {
	case orb.LineString:
		paths = []orb.LineString{g}
	case orb.MultiLineString:
		paths = g
	default:
		t.Fatalf("%T is not a line", g)
	}
	var in strings.Builder
	for _, p := range paths {
		for i := 1; i < len(p); i++ {
			fmt.Fprintf(&in, "%.12f %.12f %.12f %.12f\n", p[i-1][1], p[i-1][0], p[i][1], p[i][0])
		}
	}
	total := 0.0
	for _, line := range runTool(t, in.String(), "geod", "+ellps=WGS84", "-I", "-f", "%.12f", "-F", "%.6f") {
		total += parseField(t, line, 2)
	}
	return total
}

// runTool runs a reference program with stdin and returns its output
// lines.
func runTool(t *testing.T, stdin string, name string, args ...string) []string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("the reference program %s is not installed (sh .ci/setup test installs it): %v", name, err)
	}
	cmd := exec.Command(path, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v: %s", name, strings.Join(args, " "), err, stderr.String())
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

// parseField returns the n-th (from 0) number of an output line.
func parseField(t *testing.T, line string, n int) float64 {
	t.Helper()
	fields := strings.Fields(line)
	if len(fields) <= n {
		t.Fatalf("reference output %q has no field %d", line, n)
	}
	v, err := strconv.ParseFloat(fields[n], 64)
	if err != nil {
		t.Fatalf("reference output %q: %v", line, err)
	}
	return v
}
