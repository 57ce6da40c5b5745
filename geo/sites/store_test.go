package sites_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecoatlas/ecoatlas/geo/edit"
	"github.com/ecoatlas/ecoatlas/geo/sites"
	"github.com/paulmach/orb"
)

var anna = sites.EditOptions{By: "Anna"}

// openStore opens a new store made from the embedded layer.
func openStore(t testing.TB) *sites.Store {
	t.Helper()
	s, err := sites.Open(context.Background(), filepath.Join(t.TempDir(), "data", "sites.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// emptyStore opens a new store without sites.
func emptyStore(t testing.TB) *sites.Store {
	t.Helper()
	s, err := sites.CreateEmpty(context.Background(), filepath.Join(t.TempDir(), "sites.gpkg"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newSite(name string, lon, lat float64) sites.Site {
	s := sites.NewSite(orb.Point{lon, lat})
	s.Values["name"] = name
	s.Values["country"] = "KGZ"
	return s
}

func TestOpen_createsTheStoreFromTheEmbeddedLayer(t *testing.T) {
	ctx := context.Background()
	a, b := openStore(t), openStore(t)
	all, err := a.Sites(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 32 {
		t.Fatalf("%d sites, want the 32 of the embedded layer", len(all))
	}
	other, _ := b.Sites(ctx)
	for i := range all {
		if all[i].UUID != other[i].UUID {
			t.Fatalf("site %d has UUID %s in one store and %s in another", i, all[i].UUID, other[i].UUID)
		}
	}
	var mailuu sites.Site
	for _, s := range all {
		if s.Values["name"] == "Mailuu-Suu uranium tailings and waste rock dumps (complex)" {
			mailuu = s
		}
	}
	if mailuu.Values["type"] != "uranium_legacy" || mailuu.Values["coord_precision"] != "approx_10km" || mailuu.Values["volume_m3"] != "2000000" {
		t.Errorf("Mailuu-Suu values %v", mailuu.Values)
	}
	if mailuu.Position != (orb.Point{72.44804, 41.24575}) {
		t.Errorf("Mailuu-Suu at %v", mailuu.Position)
	}
	if err := a.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
	f, ok := a.Source().Lookup(mailuu.UUID)
	if !ok || f.Properties.String("type") != "uranium_legacy" {
		t.Errorf("the map source finds %v, %v", f, ok)
	}
}

func TestOpen_refusesOtherGeoPackagesWithoutTouchingThem(t *testing.T) {
	before, _ := os.ReadFile("../gpkg/testdata/mixed.gpkg")
	_, err := sites.Open(context.Background(), "../gpkg/testdata/mixed.gpkg")
	if !errors.Is(err, sites.ErrNotStore) {
		t.Errorf("got %v, want ErrNotStore", err)
	}
	after, _ := os.ReadFile("../gpkg/testdata/mixed.gpkg")
	if !bytes.Equal(before, after) {
		t.Error("opening changed the file")
	}
	if _, err := os.Stat("../gpkg/testdata/mixed.gpkg-wal"); err == nil {
		t.Error("opening left a write-ahead log next to the file")
	}
}

func TestSite_Validate(t *testing.T) {
	tests := map[string]struct {
		change func(*sites.Site)
		field  string
		reason error
	}{
		"no name":              {func(s *sites.Site) { delete(s.Values, "name") }, "name", sites.ErrRequired},
		"blank name":           {func(s *sites.Site) { s.Values["name"] = "   " }, "name", sites.ErrRequired},
		"unknown type":         {func(s *sites.Site) { s.Values["type"] = "mine" }, "type", sites.ErrNotInList},
		"hazard label":         {func(s *sites.Site) { s.Values["hazard"] = "Very high" }, "hazard", sites.ErrNotInList},
		"volume not a number":  {func(s *sites.Site) { s.Values["volume_m3"] = "lots" }, "volume_m3", sites.ErrNotNumber},
		"negative area":        {func(s *sites.Site) { s.Values["area_ha"] = "-1" }, "area_ha", sites.ErrOutOfRange},
		"dam of a kilometre":   {func(s *sites.Site) { s.Values["dam_height_m"] = "1000" }, "dam_height_m", sites.ErrOutOfRange},
		"name too long":        {func(s *sites.Site) { s.Values["name"] = strings.Repeat("я", 201) }, "name", sites.ErrTooLong},
		"unknown field":        {func(s *sites.Site) { s.Values["colour"] = "red" }, "colour", sites.ErrUnknown},
		"latitude out of band": {func(s *sites.Site) { s.Position = orb.Point{70, 95} }, "position", sites.ErrBadPosition},
		"bad uuid":             {func(s *sites.Site) { s.UUID = "1234" }, "uuid", sites.ErrBadUUID},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := newSite("Almalyk", 69.6, 41.05)
			tc.change(&s)
			err := s.Validate()
			var ve *sites.ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, sites.ErrInvalid) {
				t.Fatalf("got %v, want a ValidationError", err)
			}
			fe := ve.For(tc.field)
			if fe == nil || !errors.Is(fe, tc.reason) {
				t.Errorf("field %s: got %v, want %v (all: %v)", tc.field, fe, tc.reason, err)
			}
		})
	}
	s := newSite("Almalyk", 69.6, 41.05)
	s.Values["volume_m3"] = "1 200 000,5"
	s.Values["dam_height_m"] = " 45 "
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if s.Values["volume_m3"] != "1200000.5" || s.Values["dam_height_m"] != "45" {
		t.Errorf("numbers not made canonical: %v", s.Values)
	}
}

func TestParseNumber(t *testing.T) {
	good := map[string]float64{"2,5": 2.5, "1,200,000": 1200000, "1 200 000.5": 1200000.5, "-3": -3, "1e3": 1000, "1\u00a0000": 1000}
	for in, want := range good {
		if got, err := sites.ParseNumber(in); err != nil || got != want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "NaN", "inf", "1.2.3", "abc", "1,2.3,4,5x"} {
		if _, err := sites.ParseNumber(in); err == nil {
			t.Errorf("ParseNumber(%q) accepted", in)
		}
	}
}

func TestStore_editUndoRedo(t *testing.T) {
	ctx := context.Background()
	s := emptyStore(t)
	site := newSite("Almalyk", 69.6, 41.05)
	res, err := s.AddSite(ctx, site, anna)
	if err != nil {
		t.Fatal(err)
	}
	if res.Bound != (orb.Bound{Min: orb.Point{69.6, 41.05}, Max: orb.Point{69.6, 41.05}}) || res.Revisions[sites.SitesTable] != 1 {
		t.Errorf("add: bound %v, revisions %v", res.Bound, res.Revisions)
	}
	got, err := s.Site(ctx, site.UUID)
	if err != nil || got.CreatedBy != "Anna" || got.CreatedAt.IsZero() || got.Values["name"] != "Almalyk" {
		t.Fatalf("stored site %+v, %v", got, err)
	}
	res, err = s.MoveSite(ctx, site.UUID, orb.Point{69.7, 41.1}, sites.EditOptions{By: "Bek"})
	if err != nil {
		t.Fatal(err)
	}
	if want := (orb.Bound{Min: orb.Point{69.6, 41.05}, Max: orb.Point{69.7, 41.1}}); res.Bound != want {
		t.Errorf("move touched %v, want %v", res.Bound, want)
	}
	got.Values["hazard"] = "very_high"
	if _, err := s.UpdateSite(ctx, got, sites.EditOptions{By: "Bek"}); err != nil {
		t.Fatal(err)
	}
	now, _ := s.Site(ctx, site.UUID)
	if now.Values["hazard"] != "very_high" || now.Position != (orb.Point{69.6, 41.05}) || now.ModifiedBy != "Bek" || now.CreatedBy != "Anna" {
		t.Errorf("after update: %+v", now)
	}
	undo, redo, _ := s.NextUndoRedo(ctx)
	if undo == nil || undo.Label != "Edit site Almalyk" || redo != nil {
		t.Errorf("next undo %v, redo %v", undo, redo)
	}
	for range 3 {
		if _, err := s.Undo(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Site(ctx, site.UUID); !errors.Is(err, sites.ErrNotFound) {
		t.Errorf("after three undos: %v", err)
	}
	if s.Source().Len() != 0 {
		t.Errorf("the map still shows %d sites", s.Source().Len())
	}
	for range 2 {
		if _, err := s.Redo(ctx); err != nil {
			t.Fatal(err)
		}
	}
	now, _ = s.Site(ctx, site.UUID)
	if now.Position != (orb.Point{69.7, 41.1}) || now.Values["hazard"] != "unknown" {
		t.Errorf("after two redos: %+v", now)
	}
	if rev, _ := s.Revision(ctx); rev != 8 {
		t.Errorf("revision %d, want 8", rev)
	}
}

func TestStore_invalidEditsWriteNothing(t *testing.T) {
	ctx := context.Background()
	s := emptyStore(t)
	bad := newSite("", 69.6, 41.05)
	if _, err := s.AddSite(ctx, bad, anna); !errors.Is(err, sites.ErrInvalid) {
		t.Errorf("add without a name: %v", err)
	}
	if _, err := s.MoveSite(ctx, sites.NewUUID(), orb.Point{1, 1}, anna); !errors.Is(err, sites.ErrNotFound) {
		t.Errorf("moving a missing site: %v", err)
	}
	good := newSite("Almalyk", 69.6, 41.05)
	s.AddSite(ctx, good, anna)
	if _, err := s.MoveSite(ctx, good.UUID, orb.Point{200, 41}, anna); !errors.Is(err, sites.ErrInvalid) {
		t.Errorf("moving off the globe: %v", err)
	}
	if _, err := s.AddSite(ctx, good, anna); !errors.Is(err, edit.ErrConflict) {
		t.Errorf("adding the same UUID twice: %v", err)
	}
	all, _ := s.Sites(ctx)
	if len(all) != 1 || all[0].Position != (orb.Point{69.6, 41.05}) {
		t.Errorf("after refused edits: %+v", all)
	}
}

func TestStore_deleteTakesInspectionsAndPhotosAndUndoBringsThemBack(t *testing.T) {
	ctx := context.Background()
	s := emptyStore(t)
	site := newSite("Almalyk", 69.6, 41.05)
	s.AddSite(ctx, site, anna)
	in := sites.NewInspection(site.UUID, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
	in.Values["inspector"] = "Anna"
	in.Values["condition"] = "poor"
	in.Values["findings"] = "Seepage at the toe of the dam."
	in.Values["next_due"] = "01.11.2026"
	if _, err := s.AddInspection(ctx, in, anna); err != nil {
		t.Fatal(err)
	}
	photo, err := sites.NewPhoto(site.UUID, `C:\photos\dam.png`, pngBytes)
	if err != nil {
		t.Fatal(err)
	}
	photo.InspectionUUID = in.UUID
	if _, err := s.AddPhoto(ctx, photo, pngBytes, anna); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteSite(ctx, site.UUID, anna); err != nil {
		t.Fatal(err)
	}
	if ins, _ := s.Inspections(ctx, site.UUID); len(ins) != 0 {
		t.Errorf("inspections left after deleting the site: %v", ins)
	}
	if _, err := s.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	ins, _ := s.Inspections(ctx, site.UUID)
	if len(ins) != 1 || ins[0].Values["next_due"] != "2026-11-01" || ins[0].Values["condition"] != "poor" {
		t.Errorf("inspections after undo: %+v", ins)
	}
	photos, _ := s.Photos(ctx, site.UUID)
	if len(photos) != 1 || photos[0].FileName != "dam.png" || photos[0].ContentType != "image/png" {
		t.Fatalf("photos after undo: %+v", photos)
	}
	data, err := s.PhotoData(ctx, photos[0].SHA256)
	if err != nil || string(data) != string(pngBytes) {
		t.Errorf("photo data: %v", err)
	}
}

// pngBytes is a 1×1 PNG.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

func TestPhotos_refuseWhatIsNotAnImageOrDoesNotMatch(t *testing.T) {
	ctx := context.Background()
	s := emptyStore(t)
	site := newSite("Almalyk", 69.6, 41.05)
	s.AddSite(ctx, site, anna)
	if _, err := sites.NewPhoto(site.UUID, "notes.txt", []byte("just text")); !errors.Is(err, sites.ErrNotImage) {
		t.Errorf("text as a photo: %v", err)
	}
	p, _ := sites.NewPhoto(site.UUID, "dam.png", pngBytes)
	tampered := append([]byte{}, pngBytes...)
	tampered[len(tampered)-1] ^= 1
	if _, err := s.AddPhoto(ctx, p, tampered, anna); !errors.Is(err, sites.ErrChecksum) {
		t.Errorf("data that does not match its checksum: %v", err)
	}
	p.InspectionUUID = sites.NewUUID()
	if _, err := s.AddPhoto(ctx, p, pngBytes, anna); !errors.Is(err, sites.ErrNotFound) {
		t.Errorf("photo of a missing inspection: %v", err)
	}
	if photos, _ := s.Photos(ctx, site.UUID); len(photos) != 0 {
		t.Errorf("refused photos were stored: %v", photos)
	}
}

func TestInspection_Validate(t *testing.T) {
	in := sites.NewInspection(sites.NewUUID(), time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
	in.Values["next_due"] = "2026-04-01"
	in.Values["date"] = "1 May"
	err := in.Validate()
	var ve *sites.ValidationError
	if !errors.As(err, &ve) || !errors.Is(ve.For("inspector"), sites.ErrRequired) || !errors.Is(ve.For("date"), sites.ErrNotDate) {
		t.Fatalf("got %v", err)
	}
	in.Values["date"], in.Values["inspector"] = "2026-05-01", "Anna"
	if err := in.Validate(); !errors.As(err, &ve) || !errors.Is(ve.For("next_due"), sites.ErrDateOrder) {
		t.Errorf("next inspection due before this one: %v", err)
	}
}

func TestDrafts_keptUntilSavedOrDiscarded(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sites.gpkg")
	s, err := sites.CreateEmpty(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	key := sites.DraftKey(sites.SiteDraft, "", true)
	p := orb.Point{69.6, 41.05}
	err = s.SaveDraft(ctx, sites.Draft{Key: key, Kind: sites.SiteDraft, Position: &p, Values: map[string]string{"name": "Alma", "volume_m3": "12 0"}})
	if err != nil {
		t.Fatal(err)
	}
	s.Close() // as if the app died here

	s, err = sites.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	drafts, err := s.Drafts(ctx)
	if err != nil || len(drafts) != 1 || drafts[0].Values["name"] != "Alma" || drafts[0].Position == nil || *drafts[0].Position != p {
		t.Fatalf("drafts after reopening: %+v, %v", drafts, err)
	}
	site := sites.NewSite(*drafts[0].Position)
	site.Values["name"] = "Almalyk"
	if _, err := s.AddSite(ctx, site, sites.EditOptions{By: "Anna", Draft: key}); err != nil {
		t.Fatal(err)
	}
	if drafts, _ := s.Drafts(ctx); len(drafts) != 0 {
		t.Errorf("the saved form's draft is still there: %v", drafts)
	}
	s.SaveDraft(ctx, sites.Draft{Key: "x", Kind: sites.SiteDraft, Values: map[string]string{}})
	s.DiscardDraft(ctx, "x")
	if drafts, _ := s.Drafts(ctx); len(drafts) != 0 {
		t.Errorf("a discarded draft is still there: %v", drafts)
	}
}

// TestGDAL_readsTheStore checks the store against GDAL, which QGIS opens
// GeoPackages with.
func TestGDAL_readsTheStore(t *testing.T) {
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Skip("ogrinfo not found: install gdal-bin to run the GDAL interoperability tests")
	}
	ctx := context.Background()
	s := openStore(t)
	site := newSite("Хвостохранилище «Ак-Тюз»", 76.1, 42.87)
	site.Values["hazard"] = "extreme"
	site.Values["dam_height_m"] = "35.5"
	s.AddSite(ctx, site, anna)
	in := sites.NewInspection(site.UUID, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
	in.Values["inspector"] = "Anna"
	s.AddInspection(ctx, in, anna)
	out, err := exec.Command(ogrinfo, "-ro", "-al", s.Path()).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{
		"Layer name: tailings_sites", "Geometry: Point", "Feature Count: 33",
		"name (String) = Хвостохранилище «Ак-Тюз»", "hazard (String) = extreme", "dam_height_m (Real) = 35.5",
		"POINT (76.1 42.87)", "Layer name: inspections", "inspector (String) = Anna", "date (Date) = 2026/05/01",
		"Layer name: photos", "hazard: String (0.0) NOT NULL, domain name=tailings_sites_hazard",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("ogrinfo output lacks %q", want)
		}
	}
	if strings.Contains(text, "ERROR") || strings.Contains(text, "Warning") {
		t.Errorf("ogrinfo complains:\n%s", text)
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/data/home")
	p, err := sites.DefaultPath()
	if err != nil || p != filepath.Join("/data/home", "ecoatlas", "sites.gpkg") {
		t.Errorf("DefaultPath = %q, %v", p, err)
	}
}

func TestSiteFields_describeEveryColumnOnce(t *testing.T) {
	var names []string
	for _, f := range sites.SiteFields {
		if slices.Contains(names, f.Name) {
			t.Errorf("field %s twice", f.Name)
		}
		names = append(names, f.Name)
		if f.Kind == sites.Choice && f.Default != "" {
			if _, ok := f.Option(f.Default); !ok {
				t.Errorf("field %s: default %q is not an option", f.Name, f.Default)
			}
		}
	}
}

func TestNewUUID_timeOrdered(t *testing.T) {
	prev := ""
	for i := range 10000 {
		u := sites.NewUUID()
		if !sites.ValidUUID(u) || u[14] != '7' || !strings.ContainsRune("89ab", rune(u[19])) {
			t.Fatalf("UUID %d %q is not a version 7 UUID", i, u)
		}
		if u <= prev {
			t.Fatalf("UUID %d %s does not sort after %s", i, u, prev)
		}
		prev = u
	}
}

func TestStore_SaveCopy(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	site := newSite("Almalyk", 69.6, 41.05)
	s.AddSite(ctx, site, anna)
	path := filepath.Join(t.TempDir(), "copy.gpkg")
	if err := s.SaveCopy(ctx, path); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveCopy(ctx, path); err == nil {
		t.Error("a copy over an existing file was written")
	}
	c, err := sites.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got, err := c.Site(ctx, site.UUID); err != nil || got.Values["name"] != "Almalyk" {
		t.Errorf("the copy has %v, %v", got, err)
	}
	if undo, _, _ := c.NextUndoRedo(ctx); undo == nil || undo.Label != "Add site Almalyk" {
		t.Errorf("the copy's history: %v", undo)
	}
}

func TestReasonCode(t *testing.T) {
	s := newSite("", 69.6, 41.05)
	var ve *sites.ValidationError
	errors.As(s.Validate(), &ve)
	if got := sites.ReasonCode(ve.For("name")); got != "required" {
		t.Errorf("ReasonCode = %q", got)
	}
	if got := sites.ReasonCode(errors.New("other")); got != "" {
		t.Errorf("ReasonCode of another error = %q", got)
	}
}
