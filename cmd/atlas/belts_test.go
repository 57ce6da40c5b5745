package main

import (
	"context"
	"math"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/decode"
)

// ogrValues runs an SQL query through GDAL's ogrinfo (SQLite dialect,
// with SpatiaLite's functions) and returns, per feature, the values of the
// named fields.
func ogrValues(t *testing.T, path, sql string, fields ...string) []map[string]string {
	t.Helper()
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Fatalf("GDAL's ogrinfo is not installed (sh .ci/setup test installs gdal-bin): %v", err)
	}
	out, err := exec.Command(ogrinfo, "-ro", "-q", "-dialect", "SQLite", "-sql", sql, path).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	var rows []map[string]string
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "OGRFeature(") {
			rows = append(rows, map[string]string{})
			continue
		}
		for _, f := range fields {
			if strings.HasPrefix(line, f+" (") && len(rows) > 0 {
				if _, v, ok := strings.Cut(line, " = "); ok {
					rows[len(rows)-1][f] = v
				}
			}
		}
	}
	return rows
}

// TestBelts_gdalReadsTheSameCountAndAreas writes the default belts and
// reads them back with GDAL: the same number of features, the same
// area_km2 for each city, and SpatiaLite's own ellipsoidal area of each
// geometry within 0.5 % of it.
func TestBelts_gdalReadsTheSameCountAndAreas(t *testing.T) {
	out := filepath.Join(t.TempDir(), "belts.geojson")
	code, stdout, stderr := atlasRun(t, "belts", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	v, err := decode.File(context.Background(), out, decode.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stdout, strconv.Itoa(v.Len())+" green belts of 10 km around cities of 100000 people or more") {
		t.Errorf("stdout starts %q, want the count %d", strings.SplitN(stdout, "\n", 2)[0], v.Len())
	}
	ours := map[string]float64{}
	for f := range v.All() {
		a, _ := f.Properties.Number("area_km2")
		ours[f.Properties.String("city_id")] = a
	}
	if len(ours) < 50 || ours["places.tashkent"] == 0 || ours["places.astana"] == 0 {
		t.Fatalf("%d belts, Tashkent %v km², Astana %v km²", len(ours), ours["places.tashkent"], ours["places.astana"])
	}
	rows := ogrValues(t, out, "SELECT city_id, area_km2, ST_Area(geometry, 1) / 1e6 AS geodesic_km2 FROM belts", "city_id", "area_km2", "geodesic_km2")
	if len(rows) != len(ours) {
		t.Fatalf("GDAL reads %d features, we wrote %d", len(rows), len(ours))
	}
	for _, r := range rows {
		id := r["city_id"]
		area, err1 := strconv.ParseFloat(r["area_km2"], 64)
		geodesic, err2 := strconv.ParseFloat(r["geodesic_km2"], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("ogrinfo row %v", r)
		}
		if math.Abs(area-ours[id]) > 1e-9 {
			t.Errorf("%s: GDAL reads area_km2 %v, we wrote %v", id, area, ours[id])
		}
		if d := math.Abs(geodesic-area) / area; d > 0.005 {
			t.Errorf("%s: SpatiaLite's ellipsoidal area %.2f km², ours %.2f km² (%.3f %%)", id, geodesic, area, 100*d)
		}
	}
}

func TestBelts_options(t *testing.T) {
	dir := t.TempDir()
	count := func(args ...string) int {
		t.Helper()
		out := filepath.Join(dir, "b.geojson")
		code, _, stderr := atlasRun(t, append([]string{"belts", "--out", out}, args...)...)
		if code != 0 {
			t.Fatalf("belts %v: exit %d: %s", args, code, stderr)
		}
		v, err := decode.File(context.Background(), out, decode.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		return v.Len()
	}
	region, big, all := count(), count("--min-pop", "500000", "--km", "5"), count("--countries", "all")
	if !(big < region && region < all) || big != 9 {
		t.Errorf("belts: %d for 500 000 people or more (want the 9 cities), %d by default, %d everywhere", big, region, all)
	}
	for name, tt := range map[string]struct {
		args []string
		says string
	}{
		"no out":       {[]string{"belts"}, "--out is required"},
		"zero width":   {[]string{"belts", "--out", "x.geojson", "--km", "0"}, "belt width 0 km"},
		"low density":  {[]string{"belts", "--out", "x.geojson", "--density", "1"}, "urban density 1"},
		"country":      {[]string{"belts", "--out", "x.geojson", "--countries", "KAZ,XYZ"}, `no country "XYZ"`},
		"argument":     {[]string{"belts", "--out", "x.geojson", "more"}, `unexpected argument "more"`},
		"unknown flag": {[]string{"belts", "--width", "3"}, "flag provided but not defined"},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := atlasRun(t, tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.says) {
				t.Errorf("exit %d, stderr %q; want %d saying %q", code, stderr, exitUsage, tt.says)
			}
		})
	}
}
