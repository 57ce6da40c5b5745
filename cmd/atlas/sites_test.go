package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/sites"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// listed returns the sites "atlas sites list --json" prints.
func listed(t *testing.T, db string) []map[string]any {
	t.Helper()
	code, out, stderr := atlasRun(t, "sites", "list", "--db", db, "--json")
	if code != 0 {
		t.Fatalf("list: exit %d: %s", code, stderr)
	}
	var all []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("list --json line %q: %v", line, err)
		}
		all = append(all, m)
	}
	return all
}

func TestSites_addMoveDeleteUndo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sites.gpkg")
	code, out, stderr := atlasRun(t, "sites", "add", "--db", db, "--lon", "69.6", "--lat", "41.05", "--name", "Almalyk",
		"--type", "tailings_storage", "--set", "hazard=very_high", "--set", "dam_height_m=45,5", "--by", "anna")
	if code != 0 {
		t.Fatalf("add: exit %d: %s", code, stderr)
	}
	uuid := strings.Fields(out)[1]
	all := listed(t, db)
	if len(all) != 33 {
		t.Fatalf("%d sites after adding one to the embedded 32", len(all))
	}
	last := all[32]
	if last["uuid"] != uuid || last["lon"] != 69.6 || last["lat"] != 41.05 || last["hazard"] != "very_high" || last["dam_height_m"] != 45.5 || last["created_by"] != "anna" {
		t.Errorf("listed %v", last)
	}
	if code, _, stderr := atlasRun(t, "sites", "move", uuid, "--db", db, "--lon", "69.7", "--lat", "41.1"); code != 0 {
		t.Fatalf("move: exit %d: %s", code, stderr)
	}
	code, out, _ = atlasRun(t, "sites", "show", "--db", db, uuid)
	if code != 0 || !strings.Contains(out, "position         69.700000 41.100000") || !strings.Contains(out, "hazard           very_high") {
		t.Errorf("show: %s", out)
	}
	if code, _, stderr := atlasRun(t, "sites", "delete", "--db", db, uuid); code != 0 {
		t.Fatalf("delete: exit %d: %s", code, stderr)
	}
	if n := len(listed(t, db)); n != 32 {
		t.Errorf("%d sites after deleting", n)
	}
	if code, out, _ := atlasRun(t, "sites", "undo", "--db", db); code != 0 || !strings.HasPrefix(out, "undid Delete site Almalyk") {
		t.Errorf("undo: %d %s", code, out)
	}
	if all := listed(t, db); len(all) != 33 || all[32]["lon"] != 69.7 {
		t.Errorf("after undo: %d sites", len(all))
	}
}

func TestSites_refusesBadInput(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sites.gpkg")
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"sites", "add", "--lon", "1", "--lat", "2", "--name", "x"}, exitUsage, "--db FILE is required"},
		{[]string{"sites", "add", "--db", db, "--lon", "east", "--lat", "2"}, exitUsage, "--lon and --lat"},
		{[]string{"sites", "add", "--db", db, "--lon", "69", "--lat", "41", "--name", "x", "--set", "hazard"}, exitUsage, "want field=value"},
		{[]string{"sites", "frobnicate", "--db", db}, exitUsage, "unknown command"},
		{[]string{"sites", "add", "--db", db, "--lon", "69", "--lat", "95", "--type", "mine"}, exitFailure, "name: is required"},
		{[]string{"sites", "add", "--db", db, "--lon", "69", "--lat", "41", "--name", "x", "--set", "volume_m3=lots"}, exitFailure, `volume_m3: "lots" is not a number`},
		{[]string{"sites", "list", "--db", filepath.Join(t.TempDir(), "missing.gpkg")}, exitFailure, "no such file"},
		{[]string{"sites", "show", "--db", db}, exitUsage, "want 1 argument"},
	}
	for _, tc := range tests {
		code, _, stderr := atlasRun(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.stderr) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tc.args, code, stderr, tc.code, tc.stderr)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("refused commands created the store")
	}
}

// storeState is what must not change when an import is refused.
func storeState(t *testing.T, db string) string {
	t.Helper()
	s, err := sites.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	all, _ := s.Sites(context.Background())
	rev, _ := s.Revision(context.Background())
	undo, _, _ := s.NextUndoRedo(context.Background())
	label := ""
	if undo != nil {
		label = undo.Label
	}
	if err := s.IntegrityCheck(context.Background()); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d sites, revision %d, last step %q", len(all), rev, label)
}

func TestSites_importIsAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "sites.gpkg")
	csv := filepath.Join(dir, "new.csv")
	os.WriteFile(csv, []byte("name;lat;lon;hazard;volume\nAk-Tyuz;42,87;76,1;high;12000\nKhaidarkan;39,95;71,34;Very high;\nBad;41;70;terrible;\nNowhere;;;low;\n"), 0o644)
	atlasRun(t, "sites", "add", "--db", db, "--lon", "69.6", "--lat", "41.05", "--name", "Almalyk")
	before := storeState(t, db)
	code, _, stderr := atlasRun(t, "sites", "import", "--db", db, csv)
	if code != exitFailure || !strings.Contains(stderr, `new.csv: row 5: lon: no coordinate`) || !strings.Contains(stderr, "nothing imported") {
		t.Fatalf("import with bad rows: exit %d: %s", code, stderr)
	}
	if after := storeState(t, db); after != before {
		t.Errorf("a refused import changed the store: %s → %s", before, after)
	}
	code, out, stderr := atlasRun(t, "sites", "import", csv, "--db", db, "--skip-bad", "--set", "country=KGZ")
	if code != 0 || !strings.Contains(out, "imported 2 sites") || !strings.Contains(stderr, `row 4: hazard: "terrible"`) {
		t.Fatalf("import skipping bad rows: exit %d: %s %s", code, out, stderr)
	}
	all := listed(t, db)
	if got := all[len(all)-1]; got["name"] != "Khaidarkan" || got["hazard"] != "very_high" || got["country"] != "KGZ" || got["lon"] != 71.34 {
		t.Errorf("imported %v", got)
	}
}

func TestSites_hostileFilesChangeNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "sites.gpkg")
	atlasRun(t, "sites", "add", "--db", db, "--lon", "69.6", "--lat", "41.05", "--name", "Almalyk")
	before := storeState(t, db)
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	zipOf := func(name, content string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create(name)
		w.Write([]byte(content))
		zw.Close()
		return buf.Bytes()
	}
	store, _ := os.ReadFile(db)
	shp, _ := os.ReadFile("../../geo/shapefile/testdata/lines.shp")
	shpDBF, _ := os.ReadFile("../../geo/shapefile/testdata/lines.dbf")
	terabytes := append([]byte{}, shp...)
	binary.BigEndian.PutUint32(terabytes[24:], math.MaxUint32) // the file claims 8 GB
	binary.BigEndian.PutUint32(terabytes[104:], math.MaxUint32)
	write("tb.dbf", shpDBF)
	cases := map[string]string{
		"truncated GeoPackage": write("cut.gpkg", store[:len(store)/3]),
		"KMZ zip bomb":         write("bomb.kmz", zipOf("doc.kml", "<kml>"+strings.Repeat(" ", 4<<20)+"</kml>")),
		"KMZ path traversal":   write("evil.kmz", zipOf("../../../etc/cron.d/doc.kml", "<kml/>")),
		"Shapefile claims TB":  write("tb.shp", terabytes),
		"CSV of wrong types":   write("types.csv", []byte("lon,lat,name\nseventy,forty,x\n")),
		"truncated GPX":        write("cut.gpx", []byte(`<gpx><wpt lat="41" lon="69"><name>x`)),
		"KML off the globe":    write("far.kml", []byte(`<kml><Placemark><name>x</name><Point><coordinates>400,95</coordinates></Point></Placemark></kml>`)),
		"not data at all":      write("random.bin", bytes.Repeat([]byte{0xde, 0xad}, 1000)),
	}
	for name, path := range cases {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := atlasRun(t, "sites", "import", "--db", db, path)
			if code != exitFailure || !strings.Contains(stderr, filepath.Base(path)) {
				t.Errorf("exit %d, stderr %q: want 1 and a message naming the file", code, stderr)
			}
			if after := storeState(t, db); after != before {
				t.Errorf("the store changed: %s → %s", before, after)
			}
		})
	}
}

func TestSites_exportMergeResolve(t *testing.T) {
	dir := t.TempDir()
	ours, theirs := filepath.Join(dir, "ours.gpkg"), filepath.Join(dir, "theirs.gpkg")
	atlasRun(t, "sites", "add", "--db", ours, "--lon", "69.6", "--lat", "41.05", "--name", "Almalyk")
	atlasRun(t, "sites", "add", "--db", theirs, "--lon", "76.1", "--lat", "42.87", "--name", "Ak-Tyuz")
	shared := listed(t, ours)[0]["uuid"].(string)
	atlasRun(t, "sites", "add", "--db", theirs, "--lon", "1", "--lat", "1", "--name", "typo")
	atlasRun(t, "sites", "undo", "--db", theirs)
	for db, hazard := range map[string]string{ours: "high", theirs: "low"} {
		s, _ := sites.Open(context.Background(), db)
		site, _ := s.Site(context.Background(), shared)
		site.Values["hazard"] = hazard
		if _, err := s.UpdateSite(context.Background(), site, sites.EditOptions{By: "t"}); err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	export := filepath.Join(dir, "theirs-since.gpkg")
	if code, out, stderr := atlasRun(t, "sites", "export", "--db", theirs, "--out", export, "--since", "2000-01-01"); code != 0 || !strings.Contains(out, "exported 33 sites") {
		t.Fatalf("export: %d %s %s", code, out, stderr)
	}
	code, out, stderr := atlasRun(t, "sites", "merge", "--db", ours, export)
	if code != 0 || !strings.Contains(out, "1 added") || !strings.Contains(out, "1 conflicts") || !strings.Contains(out, "differs in hazard") {
		t.Fatalf("merge: %d %s %s", code, out, stderr)
	}
	code, out, _ = atlasRun(t, "sites", "conflicts", "--db", ours)
	if code != 0 || !strings.Contains(out, "hazard           ours high, theirs low") {
		t.Errorf("conflicts: %s", out)
	}
	id := strings.Fields(out)[0]
	if code, out, stderr := atlasRun(t, "sites", "resolve", "--db", ours, id, "theirs"); code != 0 {
		t.Fatalf("resolve: %d %s %s", code, out, stderr)
	}
	for _, s := range listed(t, ours) {
		if s["uuid"] == shared && s["hazard"] != "low" {
			t.Errorf("after taking theirs, hazard is %v", s["hazard"])
		}
	}
}

// TestRender_addGeoPackage draws a GeoPackage with --add: the store's
// sites, and a table in UTM reprojected.
func TestRender_addGeoPackage(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "sites.gpkg")
	atlasRun(t, "sites", "add", "--db", db, "--lon", "75", "--lat", "45", "--name", "centre")
	out := filepath.Join(dir, "map.png")
	bbox := orb.Bound{Min: orb.Point{70, 40}, Max: orb.Point{80, 50}}
	code, _, stderr := atlasRun(t, "render", "--layers", "none", "--add", db, "--add", "../../geo/gpkg/testdata/utm.gpkg",
		"--bbox", "70,40,80,50", "--size", "400x400", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	img := readImage(t, out)
	vp := viewport.New(bbox.Center(), 5, 400, 400, 1).Fit(bbox, 0)
	ink := func(p orb.Point) bool {
		px := vp.ToPixel(p)
		c := img.RGBAAt(int(px[0]), int(px[1]))
		return c != color.RGBA{255, 255, 255, 255}
	}
	if !ink(orb.Point{75, 45}) {
		t.Error("the store's site is not drawn")
	}
	// The polygon of utm.gpkg (EPSG:32642) covers 70–72° E, 40–42° N.
	if !ink(orb.Point{70.25, 41.5}) {
		t.Error("the UTM table is not drawn where it belongs")
	}
	if ink(orb.Point{78, 48}) {
		t.Error("ink where there is no data")
	}
}
