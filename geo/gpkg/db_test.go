package gpkg_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/gpkg"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/paulmach/orb"
)

// placesSpec is a small feature table with a column of every kind.
var placesSpec = gpkg.FeatureSpec{
	TableSpec: gpkg.TableSpec{
		Name:        "places",
		Identifier:  "Places",
		Description: "test places",
		Columns: []gpkg.Column{
			{Name: "name", Type: gpkg.Text, NotNull: true, Title: "Name"},
			{Name: "kind", Type: gpkg.Text, Constraint: "place_kind"},
			{Name: "height_m", Type: gpkg.Real, Constraint: "height"},
			{Name: "visits", Type: gpkg.Integer},
			{Name: "open", Type: gpkg.Boolean},
			{Name: "seen", Type: gpkg.Date},
		},
	},
	GeometryType: "POINT",
	SRSID:        4326,
}

// createPlaces makes a GeoPackage with the places table and three rows.
func createPlaces(t *testing.T) (*gpkg.DB, string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "places.gpkg")
	db, err := gpkg.Create(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	err = db.Update(ctx, func(tx *gpkg.Tx) error {
		if err := tx.AddEnum(ctx, "place_kind", []gpkg.EnumValue{{"town", "Town"}, {"mine", "Mine"}}); err != nil {
			return err
		}
		if err := tx.AddRange(ctx, "height", 0, 9000, "metres above sea level"); err != nil {
			return err
		}
		if err := tx.CreateFeatureTable(ctx, placesSpec); err != nil {
			return err
		}
		ins, err := tx.NewInserter(ctx, "places", []string{"name", "kind", "height_m", "visits", "open", "seen"})
		if err != nil {
			return err
		}
		rows := []struct {
			p    orb.Point
			vals []any
		}{
			{orb.Point{72.44804, 41.24575}, []any{"Майлуу-Суу", "town", 950.5, 3, true, "2024-05-01"}},
			{orb.Point{69.6, 41.05}, []any{`Almalyk "mine"`, "mine", nil, 0, false, nil}},
			{orb.Point{76.9, 43.25}, []any{"Almaty", "town", 800.0, 12, nil, "2023-11-30"}},
		}
		for _, r := range rows {
			if _, err := ins.Insert(ctx, r.p, r.vals...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return db, path
}

func TestCreate_refusesExistingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.gpkg")
	if err := os.WriteFile(path, []byte("data"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := gpkg.Create(context.Background(), path); !errors.Is(err, gpkg.ErrExists) {
		t.Errorf("got %v, want ErrExists", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "data" {
		t.Error("the existing file was changed")
	}
}

func TestOpen_notAGeoPackage(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "text.gpkg")
	os.WriteFile(text, []byte(strings.Repeat("not a database ", 100)), 0o644)
	if _, err := gpkg.OpenReadOnly(context.Background(), text); !errors.Is(err, gpkg.ErrNotGeoPackage) {
		t.Errorf("text file: got %v, want ErrNotGeoPackage", err)
	}
	if _, err := gpkg.OpenReadOnly(context.Background(), filepath.Join(dir, "missing.gpkg")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: got %v, want os.ErrNotExist", err)
	}
}

func TestTable_readsWhatWasWritten(t *testing.T) {
	db, _ := createPlaces(t)
	ctx := context.Background()
	tb, err := db.Table(ctx, "places", gpkg.TableOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := tb.Len(); n != 3 {
		t.Errorf("Len %d, want 3", n)
	}
	want := orb.Bound{Min: orb.Point{69.6, 41.05}, Max: orb.Point{76.9, 43.25}}
	if got := tb.Extent(); got != want {
		t.Errorf("Extent %v, want %v", got, want)
	}
	wantSchema := []layer.Field{
		{Name: "name", Type: layer.FieldString}, {Name: "kind", Type: layer.FieldString},
		{Name: "height_m", Type: layer.FieldNumber}, {Name: "visits", Type: layer.FieldNumber},
		{Name: "open", Type: layer.FieldBool}, {Name: "seen", Type: layer.FieldString},
	}
	if got := tb.Schema(); !slices.Equal(got, wantSchema) {
		t.Errorf("Schema %v, want %v", got, wantSchema)
	}
	var names []string
	for f, err := range tb.Search(ctx, orb.Bound{Min: orb.Point{70, 40}, Max: orb.Point{80, 45}}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, f.Properties.String("name"))
	}
	if want := []string{"Майлуу-Суу", "Almaty"}; !slices.Equal(names, want) {
		t.Errorf("Search found %q, want %q", names, want)
	}
	f, ok := tb.Lookup("1")
	if !ok {
		t.Fatal("Lookup(1) found nothing")
	}
	props := f.Properties.Map()
	wantProps := map[string]any{"name": "Майлуу-Суу", "kind": "town", "height_m": 950.5, "visits": 3.0, "open": true, "seen": "2024-05-01"}
	for k, v := range wantProps {
		if props[k] != v {
			t.Errorf("property %s = %#v, want %#v", k, props[k], v)
		}
	}
	if f.Geometry != (orb.Point{72.44804, 41.24575}) {
		t.Errorf("geometry %v", f.Geometry)
	}
	if _, ok := tb.Lookup("99"); ok {
		t.Error("Lookup(99) found a feature")
	}
}

func TestTable_idColumn(t *testing.T) {
	db, _ := createPlaces(t)
	tb, err := db.Table(context.Background(), "places", gpkg.TableOptions{IDColumn: "name"})
	if err != nil {
		t.Fatal(err)
	}
	f, ok := tb.Lookup("Almaty")
	if !ok || f.ID != "Almaty" {
		t.Fatalf("Lookup(Almaty) = %v, %v", f, ok)
	}
	v, _, err := tb.Load(context.Background(), gpkg.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := v.Lookup(`Almalyk "mine"`); !ok || f.Properties.String("kind") != "mine" {
		t.Errorf("loaded Lookup = %v, %v", f, ok)
	}
}

func TestLoad_gdalFile(t *testing.T) {
	ctx := context.Background()
	db, err := gpkg.OpenReadOnly(ctx, "testdata/mixed.gpkg")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tb, err := db.Table(ctx, "mixed", gpkg.TableOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := tb.Load(ctx, gpkg.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if v.Len() != 9 {
		t.Fatalf("%d features, want 9", v.Len())
	}
	for i, want := range geometriesInMixed {
		if got := v.Feature(i).Geometry; !orb.Equal(got, want) && !(got == nil && want == nil) {
			t.Errorf("feature %d: %v, want %v", i+1, got, want)
		}
	}
	last := v.Feature(8).Properties
	if got := last.String("name"); got != `Майлуу-Суу "quoted"` {
		t.Errorf("name %q", got)
	}
	if ok, _ := v.Feature(0).Properties.Get("ok"); ok != true {
		t.Errorf("boolean property ok = %#v, want true", ok)
	}
}

// geometriesInMixed are the geometries of testdata/mixed.geojson, which
// GDAL's ogr2ogr wrote into testdata/mixed.gpkg.
var geometriesInMixed = []orb.Geometry{
	orb.Point{60.5, 45.25},
	orb.Point{61, 44},
	orb.LineString{{60, 45}, {61, 46}, {62, 45.5}},
	geometries["polygon"],
	geometries["multipoint"],
	geometries["multilinestring"],
	geometries["multipolygon"],
	geometries["collection"],
	nil,
}

func TestLoad_projected(t *testing.T) {
	ctx := context.Background()
	db, err := gpkg.OpenReadOnly(ctx, "testdata/utm.gpkg")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tb, err := db.Table(ctx, "mixed_utm", gpkg.TableOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if crs := tb.SRS().CRS(); crs != "EPSG:32642" {
		t.Errorf("CRS %q, want EPSG:32642", crs)
	}
	if _, _, err := tb.Load(ctx, gpkg.LoadOptions{}); !errors.Is(err, gpkg.ErrNotLonLat) {
		t.Errorf("got %v, want ErrNotLonLat", err)
	}
	calls := 0
	v, _, err := tb.Load(ctx, gpkg.LoadOptions{Transform: func(g orb.Geometry) (orb.Geometry, error) {
		calls++
		return g, nil
	}})
	if err != nil || v.Len() != 3 || calls != 3 {
		t.Errorf("Load with a transform: %d features, %d calls, %v", v.Len(), calls, err)
	}
	failing := func(g orb.Geometry) (orb.Geometry, error) {
		if _, ok := g.(orb.LineString); ok {
			return nil, errors.New("outside the zone")
		}
		return g, nil
	}
	if _, _, err := tb.Load(ctx, gpkg.LoadOptions{Transform: failing}); err == nil || !strings.Contains(err.Error(), "fid 2") {
		t.Errorf("failing transform: got %v, want an error naming fid 2", err)
	}
	v, skipped, err := tb.Load(ctx, gpkg.LoadOptions{Transform: failing, SkipBad: true})
	if err != nil || v.Len() != 2 || len(skipped) != 1 || skipped[0].Feature != 2 {
		t.Errorf("skipping: %d features, skipped %v, %v", v.Len(), skipped, err)
	}
}

func TestUpdate_rollsBackOnError(t *testing.T) {
	db, _ := createPlaces(t)
	ctx := context.Background()
	boom := errors.New("boom")
	err := db.Update(ctx, func(tx *gpkg.Tx) error {
		ins, err := tx.NewInserter(ctx, "places", []string{"name"})
		if err != nil {
			return err
		}
		if _, err := ins.Insert(ctx, orb.Point{1, 1}, "lost"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	tb, _ := db.Table(ctx, "places", gpkg.TableOptions{})
	if tb.Len() != 3 {
		t.Errorf("%d rows after a failed transaction, want 3", tb.Len())
	}
}

func TestGeometryChanged_shrinksTheExtent(t *testing.T) {
	db, _ := createPlaces(t)
	ctx := context.Background()
	err := db.Update(ctx, func(tx *gpkg.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM places WHERE name = 'Almaty'`); err != nil {
			return err
		}
		tx.GeometryChanged("places", orb.Point{76.9, 43.25}, nil)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tb, _ := db.Table(ctx, "places", gpkg.TableOptions{})
	got := tb.Extent()
	// The R*Tree keeps 32-bit bounds rounded outwards.
	if got.Max[0] < 72.44804 || got.Max[0] > 72.4481 || got.Max[1] > 41.2458 {
		t.Errorf("extent %v after deleting the north-eastern point", got)
	}
}

// TestGDAL_readsWhatWasWritten is the interoperability check: GDAL, which
// QGIS reads GeoPackages through, must see the table, its features and
// their attributes.
func TestGDAL_readsWhatWasWritten(t *testing.T) {
	ogrinfo := gdalTool(t, "ogrinfo")
	_, path := createPlaces(t)
	out, err := exec.Command(ogrinfo, "-ro", "-al", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{
		"Layer name: places",
		"Geometry: Point",
		"Feature Count: 3",
		"name (String) = Майлуу-Суу",
		`name (String) = Almalyk "mine"`,
		"height_m (Real) = 950.5",
		"visits (Integer64) = 12",
		"open (Integer(Boolean)) = 1",
		"seen (Date) = 2024/05/01",
		"POINT (72.44804 41.24575)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("ogrinfo output lacks %q", want)
		}
	}
	if strings.Contains(text, "ERROR") || strings.Contains(text, "Warning") {
		t.Errorf("ogrinfo complains:\n%s", text)
	}
	out, err = exec.Command(ogrinfo, "-ro", "-so", path, "places").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Extent: (69.600000, 41.050000) - (76.900000, 43.250000)") {
		t.Errorf("ogrinfo -so: %v\n%s", err, out)
	}
}

// gdalTool returns the path of a GDAL program, skipping the test when GDAL
// is not installed (.ci/setup installs gdal-bin, so CI runs it).
func gdalTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s not found: install gdal-bin to run the GDAL interoperability tests", name)
	}
	return path
}

// TestBulkInserter_indexesEveryRow fills the spatial index in bulk, both
// by building it whole and by inserting into it, and checks it with
// SQLite's rtreecheck and against a scan of the rows.
func TestBulkInserter_indexesEveryRow(t *testing.T) {
	ctx := context.Background()
	db, err := gpkg.Create(ctx, filepath.Join(t.TempDir(), "bulk.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r := rand.New(rand.NewPCG(1, 2))
	randomGeometry := func() orb.Geometry {
		p := orb.Point{46 + 42*r.Float64(), 35 + 21*r.Float64()}
		if r.IntN(4) == 0 {
			return orb.LineString{p, {p[0] + r.Float64(), p[1] + r.Float64()}}
		}
		return p
	}
	spec := gpkg.FeatureSpec{TableSpec: gpkg.TableSpec{Name: "things", Columns: []gpkg.Column{{Name: "n", Type: gpkg.Integer}}}, GeometryType: "GEOMETRY", SRSID: 4326}
	var all []orb.Geometry
	for i, batch := range []int{0, 5000, 40, 6000} {
		err := db.Update(ctx, func(tx *gpkg.Tx) error {
			if i == 0 {
				return tx.CreateFeatureTable(ctx, spec)
			}
			ins, err := tx.NewBulkInserter(ctx, "things", []string{"n"})
			if err != nil {
				return err
			}
			for range batch {
				g := randomGeometry()
				if err := ins.Add(ctx, g, len(all)); err != nil {
					return err
				}
				all = append(all, g)
			}
			return ins.Close(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// The trigger is back: a plain insert is indexed too.
	err = db.Update(ctx, func(tx *gpkg.Tx) error {
		ins, err := tx.NewInserter(ctx, "things", []string{"n"})
		if err != nil {
			return err
		}
		_, err = ins.Insert(ctx, orb.Point{60, 40}, len(all))
		all = append(all, orb.Point{60, 40})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var check string
	if err := db.SQL().QueryRow(`SELECT rtreecheck('rtree_things_geom')`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("rtreecheck: %q, %v", check, err)
	}
	tb, err := db.Table(ctx, "things", gpkg.TableOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		x, y := 46+42*r.Float64(), 35+21*r.Float64()
		box := orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + 3*r.Float64(), y + 3*r.Float64()}}
		want := 0
		for _, g := range all {
			if g.Bound().Intersects(box) {
				want++
			}
		}
		got := 0
		for _, err := range tb.Search(ctx, box) {
			if err != nil {
				t.Fatal(err)
			}
			got++
		}
		if got != want {
			t.Fatalf("search of %v found %d features, a scan %d", box, got, want)
		}
	}
	// GDAL answers spatial filters from the same index.
	if ogrinfo, err := exec.LookPath("ogrinfo"); err == nil {
		box := orb.Bound{Min: orb.Point{60, 40}, Max: orb.Point{70, 50}}
		want := 0
		for _, g := range all {
			if g.Bound().Intersects(box) {
				want++
			}
		}
		out, err := exec.Command(ogrinfo, "-ro", "-so", "-spat", "60", "40", "70", "50", db.Path(), "things").CombinedOutput()
		if err != nil || !strings.Contains(string(out), fmt.Sprintf("Feature Count: %d\n", want)) {
			t.Errorf("ogrinfo -spat, want %d features: %v\n%s", want, err, out)
		}
	}
}

func TestLoad_columns(t *testing.T) {
	db, _ := createPlaces(t)
	ctx := context.Background()
	tb, err := db.Table(ctx, "places", gpkg.TableOptions{})
	if err != nil {
		t.Fatal(err)
	}
	none, _, err := tb.Load(ctx, gpkg.LoadOptions{Columns: []string{}})
	if err != nil || none.Len() != 3 || !none.Feature(0).Properties.IsEmpty() || none.Feature(0).Geometry == nil {
		t.Errorf("no columns: %v, %v", none, err)
	}
	some, _, err := tb.Load(ctx, gpkg.LoadOptions{Columns: []string{"KIND"}})
	if err != nil || !slices.Equal(some.Feature(1).Properties.Keys(), []string{"kind"}) {
		t.Errorf("one column: %v, %v", some.Feature(1).Properties.Map(), err)
	}
	if _, _, err := tb.Load(ctx, gpkg.LoadOptions{Columns: []string{"colour"}}); err == nil {
		t.Error("an unknown column was taken")
	}
}
