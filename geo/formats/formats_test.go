package formats_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/decode"
	"github.com/ecoatlas/ecoatlas/geo/formats"
	"github.com/ecoatlas/ecoatlas/geo/kml"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/sites"
	"github.com/paulmach/orb"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		path string
		head string
		want formats.Format
	}{
		{"x.dat", "SQLite format 3\x00...", formats.GeoPackage},
		{"x.kml", "PK\x03\x04...", formats.KMZ},
		{"x", "\x00\x00\x27\x0a....", formats.Shapefile},
		{"x.xml", `<?xml version="1.0"?><!-- c --><kml xmlns="…">`, formats.KML},
		{"x", "\ufeff<gpx version=\"1.1\">", formats.GPX},
		{"x.txt", ` {"type":"FeatureCollection"`, formats.GeoJSON},
		{"points.CSV", "lon,lat\n", formats.CSV},
		{"x.geojson", "", formats.GeoJSON},
		{"x.bin", "\x01\x02", formats.Unknown},
	}
	for _, tc := range tests {
		if got := formats.Detect(tc.path, []byte(tc.head)); got != tc.want {
			t.Errorf("Detect(%q, %.12q) = %q, want %q", tc.path, tc.head, got, tc.want)
		}
	}
}

// sitesGeoJSON writes n named points inside Gauss-Krüger zone 13 (72° to
// 78° E) and returns the file and the points.
func sitesGeoJSON(t *testing.T, dir string, n int) (string, []orb.Point) {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	type feature struct {
		Type       string         `json:"type"`
		Properties map[string]any `json:"properties"`
		Geometry   map[string]any `json:"geometry"`
	}
	var fc struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}
	fc.Type = "FeatureCollection"
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{72.2 + 5.6*r.Float64(), 40.5 + 5*r.Float64()}
		fc.Features = append(fc.Features, feature{"Feature",
			map[string]any{"name": fmt.Sprintf("Хвостохранилище %d", i+1), "type": "tailings_storage", "volume_m3": float64(r.IntN(1e6))},
			map[string]any{"type": "Point", "coordinates": pts[i]}})
	}
	data, _ := json.Marshal(fc)
	path := filepath.Join(dir, "sites.geojson")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, pts
}

// metres returns the distance between two lon/lat points, near enough
// for a tolerance of a metre.
func metres(a, b orb.Point) float64 {
	const r = 6371008.8
	lat := (a[1] + b[1]) / 2 * math.Pi / 180
	dx := (a[0] - b[0]) * math.Pi / 180 * math.Cos(lat) * r
	dy := (a[1] - b[1]) * math.Pi / 180 * r
	return math.Hypot(dx, dy)
}

// TestGDAL_filesImportIntoTheStore is the interoperability check of the
// issue: files GDAL's ogr2ogr writes (GeoPackage, a Shapefile in
// Pulkovo 1942 / Gauss-Krüger zone 13 with Cyrillic attributes, KML, GPX,
// CSV, and a GeoPackage in UTM) import into a store with the same number
// of sites, each within a metre of where GDAL itself reads it back to.
//
// GDAL is the referee rather than the points first written: PROJ, in
// GDAL as here, picks the Pulkovo 1942 to WGS 84 operation point by point,
// and near the Fergana valley the one it picks to go back is not the one
// it picked to go there, so a round trip through Gauss-Krüger moves some
// points by up to 3 m in GDAL too. What matters is that a site shows
// where QGIS shows it.
func TestGDAL_filesImportIntoTheStore(t *testing.T) {
	ogr2ogr, err := exec.LookPath("ogr2ogr")
	if err != nil {
		t.Skip("ogr2ogr not found: install gdal-bin to run the GDAL interoperability tests")
	}
	dir := t.TempDir()
	src, pts := sitesGeoJSON(t, dir, 100)
	gdal := func(args ...string) {
		t.Helper()
		if b, err := exec.Command(ogr2ogr, args...).CombinedOutput(); err != nil {
			t.Fatalf("ogr2ogr %v: %v\n%s", args, err, b)
		}
	}
	ctx := context.Background()
	for _, tc := range []struct {
		file string
		args []string // how ogr2ogr writes the file from the source
		read []string // how ogr2ogr reads it back, besides -t_srs EPSG:4326
		crs  string   // the --crs an import needs
	}{
		{"sites.gpkg", []string{"-f", "GPKG"}, nil, ""},
		{"sites_utm.gpkg", []string{"-f", "GPKG", "-t_srs", "EPSG:32643"}, nil, ""},
		{"sites_gk13.shp", []string{"-f", "ESRI Shapefile", "-t_srs", "EPSG:28413", "-lco", "ENCODING=CP1251"}, nil, ""},
		{"sites.kml", []string{"-f", "KML"}, nil, ""},
		{"sites.gpx", []string{"-f", "GPX", "-nln", "waypoints"}, nil, ""},
		{"sites.csv", []string{"-f", "CSV", "-lco", "GEOMETRY=AS_XY"}, []string{"-oo", "X_POSSIBLE_NAMES=X", "-oo", "Y_POSSIBLE_NAMES=Y", "-s_srs", "EPSG:4326"}, ""},
		{"sites_gk13.csv", []string{"-f", "CSV", "-lco", "GEOMETRY=AS_XY", "-t_srs", "EPSG:28413"},
			[]string{"-oo", "X_POSSIBLE_NAMES=X", "-oo", "Y_POSSIBLE_NAMES=Y", "-s_srs", "EPSG:28413"}, "EPSG:28413"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			gdal(append(tc.args, path, src)...)
			ref := filepath.Join(t.TempDir(), "ref.geojson")
			args := append(append([]string{"-f", "GeoJSON", "-t_srs", "EPSG:4326"}, tc.read...), ref, path)
			if strings.HasSuffix(tc.file, ".gpx") {
				args = append(args, "waypoints")
			}
			gdal(args...)
			want, err := decode.File(context.Background(), ref, decode.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			data, err := formats.Read(ctx, path, formats.Options{CRS: tc.crs})
			if err != nil {
				t.Fatal(err)
			}
			if len(data.Layers) != 1 || data.Layers[0].Vector.Len() != len(pts) {
				t.Fatalf("%d layers, first with %d features", len(data.Layers), data.Layers[0].Vector.Len())
			}
			store, err := sites.CreateEmpty(ctx, filepath.Join(t.TempDir(), "store.gpkg"))
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			l := data.Layers[0]
			features := make([]layer.Feature, 0, l.Vector.Len())
			for f := range l.Vector.All() {
				features = append(features, *f)
			}
			report, err := store.Import(ctx, features, sites.ImportOptions{Name: tc.file, Noun: l.Noun, Rows: l.Rows, Defaults: map[string]string{"name": "unnamed"}})
			if err != nil {
				t.Fatal(err)
			}
			if report.Added != len(pts) || want.Len() != len(pts) {
				t.Fatalf("%d sites added, GDAL reads %d, want %d", report.Added, want.Len(), len(pts))
			}
			all, err := store.Sites(ctx)
			if err != nil {
				t.Fatal(err)
			}
			worst, drift := 0.0, 0.0
			for i, s := range all {
				gdalPoint := want.Feature(i).Geometry.(orb.Point)
				worst = max(worst, metres(s.Position, gdalPoint))
				drift = max(drift, metres(gdalPoint, pts[i]))
			}
			if worst > 1 {
				t.Errorf("a site is %.3f m from where GDAL reads it", worst)
			}
			if drift > 5 {
				t.Errorf("GDAL's own round trip moved a site %.1f m", drift)
			}
			if name := all[41].Values["name"]; tc.file != "sites.gpx" && name != "Хвостохранилище 42" {
				t.Errorf("site 42 is named %q", name)
			}
			t.Logf("%s (%s, from %s): %d sites, at most %.1e m from GDAL's reading (GDAL's round trip: %.1e m)",
				tc.file, data.Format, l.CRS, len(all), worst, drift)
		})
	}
}

func TestRead_crsOption(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "utm.csv")
	// A point of UTM zone 42N, near Jizzakh.
	os.WriteFile(path, []byte("x,y,name\n388000,4522000,Almalyk\n"), 0o644)
	_, err := formats.Read(ctx, path, formats.Options{})
	var fe *formats.FeaturesError
	if !errors.As(err, &fe) || !errors.Is(fe.Errors[0].Err, formats.ErrNotLonLat) || fe.Errors[0].Feature != 2 {
		t.Fatalf("projected coordinates without a CRS: %v", err)
	}
	data, err := formats.Read(ctx, path, formats.Options{CRS: "EPSG:32642"})
	if err != nil {
		t.Fatal(err)
	}
	p := data.Layers[0].Vector.Feature(0).Geometry.(orb.Point)
	if math.Abs(p[0]-67.6715) > 0.001 || math.Abs(p[1]-40.8414) > 0.001 {
		t.Errorf("UTM 42N point reprojected to %v", p)
	}
	if !strings.Contains(data.Layers[0].CRS, "32642") {
		t.Errorf("layer CRS %q", data.Layers[0].CRS)
	}
	if _, err := formats.Read(ctx, path, formats.Options{CRS: "EPSG:99999999"}); err == nil {
		t.Error("an unknown CRS was taken")
	}
	gj := filepath.Join(dir, "p.geojson")
	os.WriteFile(gj, []byte(`{"type":"Point","coordinates":[1,2]}`), 0o644)
	if _, err := formats.Read(ctx, gj, formats.Options{CRS: "EPSG:32642"}); err == nil {
		t.Error("GeoJSON took a projected CRS")
	}
}

func TestRead_skipBad(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "mixed.csv")
	os.WriteFile(path, []byte("lon,lat,name\n69.6,41.05,a\n,,b\n500,41,c\n70,41,d\n"), 0o644)
	_, err := formats.Read(ctx, path, formats.Options{})
	var fe *formats.FeaturesError
	if !errors.As(err, &fe) || len(fe.Errors) != 2 || !errors.Is(err, formats.ErrBadFeatures) {
		t.Fatalf("got %v", err)
	}
	data, err := formats.Read(ctx, path, formats.Options{SkipBad: true})
	if err != nil || data.Layers[0].Vector.Len() != 2 || len(data.Skipped) != 2 || data.Layers[0].Rows[1] != 5 {
		t.Fatalf("%+v, %v", data, err)
	}
}

func TestRead_hostileFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o644)
		return p
	}
	gpkgData, _ := os.ReadFile("../gpkg/testdata/mixed.gpkg")
	tests := map[string]struct {
		path string
		want error
	}{
		"truncated GeoPackage": {write("cut.gpkg", gpkgData[:3000]), nil},
		"unknown format":       {write("x.bin", []byte{1, 2, 3}), formats.ErrUnknownFormat},
		"KMZ bomb":             {write("bomb.kmz", kmzOf(t, "doc.kml", "<kml>"+strings.Repeat(" ", 4<<20)+"</kml>")), kml.ErrHostileArchive},
		"KMZ traversal":        {write("evil.kmz", kmzOf(t, "../../evil.kml", "<kml/>")), kml.ErrHostileArchive},
		"no such layer":        {write("one.gpx", []byte(`<gpx><wpt lat="1" lon="2"/></gpx>`)), formats.ErrNoLayer},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			o := formats.Options{}
			if name == "no such layer" {
				o.Layer = "tracks"
			}
			_, err := formats.Read(ctx, tc.path, o)
			if err == nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), filepath.Base(tc.path)) {
				t.Errorf("the error does not name the file: %v", err)
			}
		})
	}
}

// kmzOf builds a zip archive of one entry.
func kmzOf(t *testing.T, name, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(content))
	zw.Close()
	return buf.Bytes()
}
