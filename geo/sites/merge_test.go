package sites_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecoatlas/ecoatlas/geo/decode"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/sites"
	"github.com/paulmach/orb"
)

// exportAll writes every site of a store to a new GeoPackage.
func exportAll(t *testing.T, s *sites.Store) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "export.gpkg")
	if _, err := s.Export(context.Background(), time.Time{}, path); err != nil {
		t.Fatal(err)
	}
	return path
}

// twoInspectors returns two stores made from the embedded layer and the
// UUID of a site both have.
func twoInspectors(t *testing.T) (ours, theirs *sites.Store, shared string) {
	ours, theirs = openStore(t), openStore(t)
	all, _ := ours.Sites(context.Background())
	return ours, theirs, all[0].UUID
}

func edited(t *testing.T, s *sites.Store, uuid, field, value string) {
	t.Helper()
	ctx := context.Background()
	site, err := s.Site(ctx, uuid)
	if err != nil {
		t.Fatal(err)
	}
	site.Values[field] = value
	if _, err := s.UpdateSite(ctx, site, anna); err != nil {
		t.Fatal(err)
	}
}

func TestMerge_newIdenticalOlderNewer(t *testing.T) {
	ctx := context.Background()
	ours, theirs, shared := twoInspectors(t)
	added := newSite("New site", 70, 41)
	theirs.AddSite(ctx, added, anna)

	report, err := ours.Merge(ctx, exportAll(t, theirs), anna)
	if err != nil {
		t.Fatal(err)
	}
	if report.Added != 1 || report.Identical != 32 || report.Updated != 0 || len(report.Conflicts) != 0 {
		t.Errorf("first merge: %+v", report)
	}
	if _, err := ours.Site(ctx, added.UUID); err != nil {
		t.Errorf("the new site was not added: %v", err)
	}

	// They edit a shared site; we did not: their edit comes in.
	edited(t, theirs, shared, "hazard", "high")
	report, err = ours.Merge(ctx, exportAll(t, theirs), anna)
	if err != nil {
		t.Fatal(err)
	}
	if report.Updated != 1 || len(report.Conflicts) != 0 {
		t.Errorf("merge of their edit: %+v", report)
	}
	if s, _ := ours.Site(ctx, shared); s.Values["hazard"] != "high" {
		t.Errorf("their edit did not come in: %v", s.Values["hazard"])
	}

	// We edit it again; their copy is now older than ours: nothing changes.
	edited(t, ours, shared, "hazard", "extreme")
	report, err = ours.Merge(ctx, exportAll(t, theirs), anna)
	if err != nil {
		t.Fatal(err)
	}
	if report.Older != 1 || report.Updated != 0 || len(report.Conflicts) != 0 {
		t.Errorf("merge of an older copy: %+v", report)
	}
	if s, _ := ours.Site(ctx, shared); s.Values["hazard"] != "extreme" {
		t.Errorf("an older copy overwrote our edit: %v", s.Values["hazard"])
	}

	// The merge is one undoable step.
	if _, err := ours.Undo(ctx); err != nil { // our edit
		t.Fatal(err)
	}
	if _, err := ours.Undo(ctx); err != nil { // the second merge
		t.Fatal(err)
	}
	if s, _ := ours.Site(ctx, shared); s.Values["hazard"] == "high" {
		t.Errorf("undoing the merge left their edit")
	}
}

func TestMerge_bothSidesEditedIsAConflict(t *testing.T) {
	ctx := context.Background()
	ours, theirs, shared := twoInspectors(t)
	edited(t, ours, shared, "hazard", "high")
	edited(t, theirs, shared, "hazard", "low")
	edited(t, theirs, shared, "dam_height_m", "40")
	file := exportAll(t, theirs)

	report, err := ours.Merge(ctx, file, anna)
	if err != nil {
		t.Fatal(err)
	}
	if len(report.Conflicts) != 1 || report.Updated != 0 {
		t.Fatalf("merge: %+v", report)
	}
	if s, _ := ours.Site(ctx, shared); s.Values["hazard"] != "high" {
		t.Errorf("a conflict overwrote our value: %v", s.Values["hazard"])
	}
	conflicts, err := ours.Conflicts(ctx)
	if err != nil || len(conflicts) != 1 {
		t.Fatalf("conflicts: %v, %v", conflicts, err)
	}
	c := conflicts[0]
	o, th, ok := c.Sites()
	if !ok || o.Values["hazard"] != "high" || th.Values["hazard"] != "low" {
		t.Errorf("conflict versions: %v / %v", o.Values, th.Values)
	}
	if d := c.Differences(); !slices.Equal(d, []string{"hazard", "dam_height_m"}) {
		t.Errorf("differences %v", d)
	}
	// Merging the same file again does not raise it twice.
	if report, _ := ours.Merge(ctx, file, anna); len(report.Conflicts) != 0 {
		t.Errorf("the same conflict raised again: %+v", report)
	}
	if _, err := ours.Resolve(ctx, c.ID, sites.TakeTheirs, anna); err != nil {
		t.Fatal(err)
	}
	if s, _ := ours.Site(ctx, shared); s.Values["hazard"] != "low" || s.Values["dam_height_m"] != "40" {
		t.Errorf("after taking theirs: %v", s.Values)
	}
	if left, _ := ours.Conflicts(ctx); len(left) != 0 {
		t.Errorf("open conflicts after resolving: %v", left)
	}
	if _, err := ours.Resolve(ctx, c.ID, sites.KeepOurs, anna); !errors.Is(err, sites.ErrResolved) {
		t.Errorf("resolving twice: %v", err)
	}
	// Their file is now known: merging it again changes nothing.
	if report, _ := ours.Merge(ctx, file, anna); len(report.Conflicts) != 0 || report.Updated != 0 {
		t.Errorf("merging again after resolving: %+v", report)
	}
}

func TestMerge_keepOursAndCombined(t *testing.T) {
	ctx := context.Background()
	ours, theirs, shared := twoInspectors(t)
	edited(t, ours, shared, "hazard", "high")
	edited(t, theirs, shared, "operator", "Kyrgyzaltyn")
	file := exportAll(t, theirs)
	report, _ := ours.Merge(ctx, file, anna)
	if len(report.Conflicts) != 1 {
		t.Fatalf("merge: %+v", report)
	}
	_, th, _ := report.Conflicts[0].Sites()
	combined, _ := ours.Site(ctx, shared)
	combined.Values["operator"] = th.Values["operator"]
	if _, err := ours.ResolveSite(ctx, report.Conflicts[0].ID, combined, anna); err != nil {
		t.Fatal(err)
	}
	s, _ := ours.Site(ctx, shared)
	if s.Values["hazard"] != "high" || s.Values["operator"] != "Kyrgyzaltyn" {
		t.Errorf("combined: %v", s.Values)
	}

	edited(t, theirs, shared, "notes", "checked")
	file = exportAll(t, theirs)
	report, _ = ours.Merge(ctx, file, anna)
	if len(report.Conflicts) != 1 {
		t.Fatalf("second merge: %+v", report)
	}
	if _, err := ours.Resolve(ctx, report.Conflicts[0].ID, sites.KeepOurs, anna); err != nil {
		t.Fatal(err)
	}
	if s, _ := ours.Site(ctx, shared); s.Values["notes"] == "checked" {
		t.Error("keeping ours took theirs")
	}
	if report, _ := ours.Merge(ctx, file, anna); len(report.Conflicts) != 0 || report.Older != 1 {
		t.Errorf("merging a file whose version was rejected: %+v", report)
	}
}

func TestMerge_inspectionsAndPhotosTravel(t *testing.T) {
	ctx := context.Background()
	ours, theirs, shared := twoInspectors(t)
	in := sites.NewInspection(shared, time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC))
	in.Values["inspector"] = "Bek"
	theirs.AddInspection(ctx, in, anna)
	p, _ := sites.NewPhoto(shared, "dam.png", pngBytes)
	theirs.AddPhoto(ctx, p, pngBytes, anna)
	report, err := ours.Merge(ctx, exportAll(t, theirs), anna)
	if err != nil {
		t.Fatal(err)
	}
	if report.Added != 2 {
		t.Errorf("merge: %+v", report)
	}
	ins, _ := ours.Inspections(ctx, shared)
	photos, _ := ours.Photos(ctx, shared)
	if len(ins) != 1 || ins[0].Values["inspector"] != "Bek" || len(photos) != 1 {
		t.Fatalf("after merging: %v, %v", ins, photos)
	}
	if data, err := ours.PhotoData(ctx, photos[0].SHA256); err != nil || len(data) != len(pngBytes) {
		t.Errorf("photo data: %v", err)
	}
}

func TestMerge_refusesWhatIsNotAStore(t *testing.T) {
	ctx := context.Background()
	s := emptyStore(t)
	if _, err := s.Merge(ctx, "../gpkg/testdata/mixed.gpkg", anna); !errors.Is(err, sites.ErrNotStore) {
		t.Errorf("merging a GeoPackage without sites: %v", err)
	}
	junk := filepath.Join(t.TempDir(), "junk.gpkg")
	os.WriteFile(junk, []byte(strings.Repeat("x", 5000)), 0o644)
	if _, err := s.Merge(ctx, junk, anna); err == nil {
		t.Error("merging a file that is not a database succeeded")
	}
}

func TestExport_sinceAndFormats(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	cut := time.Now()
	time.Sleep(5 * time.Millisecond)
	site := newSite("Late site", 70, 41)
	s.AddSite(ctx, site, anna)
	dir := t.TempDir()
	n, err := s.Export(ctx, cut, filepath.Join(dir, "changed.geojson"))
	if err != nil || n.Sites != 1 {
		t.Fatalf("export since: %+v, %v", n, err)
	}
	v, err := decode.File(context.Background(), filepath.Join(dir, "changed.geojson"), decode.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := v.Lookup(site.UUID); !ok || f.Geometry != (orb.Point{70, 41}) || f.Properties.String("name") != "Late site" {
		t.Errorf("exported GeoJSON: %v, %v", f, ok)
	}
	all, err := s.Export(ctx, time.Time{}, filepath.Join(dir, "all.csv"))
	if err != nil || all.Sites != 33 {
		t.Fatalf("export all: %+v, %v", all, err)
	}
	text, _ := os.ReadFile(filepath.Join(dir, "all.csv"))
	if lines := strings.Count(string(text), "\n"); lines < 34 || !strings.HasPrefix(string(text), "uuid,lon,lat,name,") {
		t.Errorf("CSV: %d lines, starting %.40q", lines, text)
	}
	if _, err := s.Export(ctx, time.Time{}, filepath.Join(dir, "all.csv")); err == nil {
		t.Error("export over an existing file succeeded")
	}
	if _, err := s.Export(ctx, time.Time{}, filepath.Join(dir, "all.shp")); !errors.Is(err, sites.ErrFormat) {
		t.Errorf("export to .shp: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("the folder holds %d files, want the 2 exports and nothing left behind", len(entries))
	}
}

func TestImport_allOrNothing(t *testing.T) {
	ctx := context.Background()
	s := emptyStore(t)
	features := []layer.Feature{
		{Geometry: orb.Point{69.6, 41.05}, Properties: layer.PropertiesFromMap(map[string]any{"NAME": "Almalyk", "Hazard": "Very high", "COORD_PREC": "exact", "volume": 12.5})},
		{Geometry: orb.Point{72.4, 41.2}, Properties: layer.PropertiesFromMap(map[string]any{"name": "Mailuu-Suu", "type": "mine"})},
		{Geometry: orb.LineString{{1, 1}, {2, 2}}, Properties: layer.PropertiesFromMap(map[string]any{"name": "a road"})},
		{Geometry: orb.Point{75, 42}, Properties: layer.PropertiesFromMap(map[string]any{"desc": "no name here"})},
	}
	o := sites.ImportOptions{Name: "points.csv", Noun: "row", Rows: []int{2, 3, 5, 6}, By: "Anna"}
	_, err := s.Import(ctx, features, o)
	var ie *sites.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v, want an ImportError", err)
	}
	want := []string{
		`points.csv: row 3: type: "mine": is not one of the allowed values`,
		`points.csv: row 5: geometry: a LineString is not a point: sites are points`,
		`points.csv: row 6: name: is required`,
	}
	for i, w := range want {
		if i >= len(ie.Errors) || !strings.HasPrefix(ie.Errors[i].Error(), w) {
			t.Errorf("error %d: got %v, want %q", i, ie.Errors, w)
		}
	}
	if all, _ := s.Sites(ctx); len(all) != 0 {
		t.Errorf("a refused import wrote %d sites", len(all))
	}

	o.SkipBad = true
	report, err := s.Import(ctx, features, o)
	if err != nil || report.Added != 1 || len(report.Skipped) != 3 {
		t.Fatalf("import skipping bad rows: %+v, %v", report, err)
	}
	all, _ := s.Sites(ctx)
	if v := all[0].Values; v["name"] != "Almalyk" || v["hazard"] != "very_high" || v["coord_precision"] != "exact" || v["volume_m3"] != "12.5" {
		t.Errorf("imported values %v", v)
	}
	if _, err := s.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if all, _ := s.Sites(ctx); len(all) != 0 {
		t.Errorf("undoing the import left %d sites", len(all))
	}
}

func TestImport_setDefaultsAndUUIDs(t *testing.T) {
	ctx := context.Background()
	s := emptyStore(t)
	id := sites.NewUUID()
	features := []layer.Feature{
		{Geometry: orb.Point{69.6, 41.05}, Properties: layer.PropertiesFromMap(map[string]any{"name": "A", "UUID": strings.ToUpper(id), "type": "landfill"})},
		{Geometry: orb.Point{69.7, 41.05}, Properties: layer.PropertiesFromMap(map[string]any{"name": "B"})},
	}
	report, err := s.Import(ctx, features, sites.ImportOptions{Name: "f", Set: map[string]string{"country": "UZB"}, Defaults: map[string]string{"type": "industrial"}})
	if err != nil || report.Added != 2 {
		t.Fatalf("%+v, %v", report, err)
	}
	a, err := s.Site(ctx, id)
	if err != nil || a.Values["type"] != "landfill" || a.Values["country"] != "UZB" {
		t.Errorf("site A: %v, %v", a.Values, err)
	}
	all, _ := s.Sites(ctx)
	if all[1].Values["type"] != "industrial" || all[1].Values["country"] != "UZB" {
		t.Errorf("site B: %v", all[1].Values)
	}
	_, err = s.Import(ctx, features[:1], sites.ImportOptions{Name: "again"})
	var ie *sites.ImportError
	if !errors.As(err, &ie) || !errors.Is(ie.Errors[0].Err, sites.ErrDuplicate) {
		t.Errorf("importing a UUID the store has: %v", err)
	}
}

func TestImport_cancelled(t *testing.T) {
	s := emptyStore(t)
	features := make([]layer.Feature, 5000)
	for i := range features {
		features[i] = layer.Feature{Geometry: orb.Point{70, 41}, Properties: layer.PropertiesFromMap(map[string]any{"name": "x"})}
	}
	ctx, cancel := context.WithCancel(context.Background())
	_, err := s.Import(ctx, features, sites.ImportOptions{Name: "big", Progress: func(done, total int) {
		if done >= 2000 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if all, _ := s.Sites(context.Background()); len(all) != 0 {
		t.Errorf("a cancelled import wrote %d sites", len(all))
	}
}
