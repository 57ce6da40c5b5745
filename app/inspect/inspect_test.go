package inspect

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/mapview"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/sites"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// desert is a place in the desert west of the Aral Sea, away from the
// embedded map's other symbols.
var desert = orb.Point{61.5, 43.2}

// app is the app of a test: a shell with the feature, on a store, with
// the map centred on desert.
type app struct {
	t     *testing.T
	f     *Feature
	shell *shell.Shell
	w     fyne.Window
}

func newApp(t *testing.T, store *sites.Store) *app {
	t.Helper()
	a := test.NewTempApp(t)
	at, err := atlas.LoadDefault(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := at.UseLive("tailings", store.Source()); err != nil {
		t.Fatal(err)
	}
	f := New(store, "tester")
	w := test.NewTempWindow(t, nil)
	s := shell.New(a, w, at, at.Style.Clone(), shell.WithMapOptions(mapview.WithImmediateRendering()), shell.WithFeatures(f))
	t.Cleanup(s.Close)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1400, 900))
	w.Canvas().Capture()
	s.Map().SetViewport(viewport.New(desert, 9, 100, 100, 1))
	return &app{t: t, f: f, shell: s, w: w}
}

// tapMap clicks the map at a lon/lat position.
func (a *app) tapMap(p orb.Point) {
	px := a.shell.Map().Viewport().ToPixel(p)
	test.TapAt(a.shell.Map(), fyne.NewPos(float32(px[0]), float32(px[1])))
	a.f.Wait()
}

// drawsSite reports whether the window shows the tailings storage
// symbol (filled #d84315) within a few pixels of a lon/lat position.
func (a *app) drawsSite(p orb.Point) bool {
	a.w.Canvas().Capture()
	px := a.shell.Map().Viewport().ToPixel(p)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(a.shell.Map()).AddXY(float32(px[0]), float32(px[1]))
	img := a.w.Canvas().Capture()
	for dy := -6; dy <= 6; dy++ {
		for dx := -6; dx <= 6; dx++ {
			r, g, b, _ := img.At(int(pos.X)+dx, int(pos.Y)+dy).RGBA()
			r, g, b = r>>8, g>>8, b>>8
			if r > 190 && g > 50 && g < 90 && b < 50 {
				return true
			}
		}
	}
	return false
}

// retype replaces the text of a field of the form.
func (a *app) retype(field, text string) {
	a.t.Helper()
	e := a.f.formPanel.entries[field]
	if e == nil {
		a.t.Fatalf("the form has no entry %q", field)
	}
	e.SetText("")
	test.Type(e, text)
	a.f.Wait()
}

// shownError returns the error the form shows next to a field, "" for
// none.
func (a *app) shownError(field string) string {
	l := a.f.formPanel.errors[field]
	if l == nil || !l.Visible() {
		return ""
	}
	return l.Text
}

// menuItem returns the main menu's item with a label.
func (a *app) menuItem(menu, label string) *fyne.MenuItem {
	a.t.Helper()
	for _, m := range a.w.MainMenu().Items {
		if m.Label != i18n.T(menu) {
			continue
		}
		for _, it := range m.Items {
			if it.Label == label {
				return it
			}
		}
	}
	a.t.Fatalf("no menu item %q in %s", label, menu)
	return nil
}

// labels returns the texts of the labels the window shows.
func (a *app) labels() string {
	var texts []string
	for _, o := range test.LaidOutObjects(a.w.Content()) {
		if l, ok := o.(*widget.Label); ok && l.Visible() {
			texts = append(texts, l.Text)
		}
	}
	return strings.Join(texts, "\n")
}

func newStore(t *testing.T, name string) *sites.Store {
	t.Helper()
	s, err := sites.CreateEmpty(context.Background(), filepath.Join(t.TempDir(), name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func siteCount(t *testing.T, s *sites.Store) []sites.Site {
	t.Helper()
	all, err := s.Sites(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// TestAddSite_formValidationSaveUndoRedo adds a site as a user does: the
// "Add site" tool, a click on the map, a form saved with a missing name
// and a dam height that is no number (refused, with the reason next to
// each field, nothing written), then fixed and saved (the site is stored
// and drawn), undone with Ctrl+Z (gone from store and map) and redone
// from the Edit menu (back).
func TestAddSite_formValidationSaveUndoRedo(t *testing.T) {
	store := newStore(t, "sites.gpkg")
	a := newApp(t, store)
	if a.drawsSite(desert) {
		t.Fatal("a site is drawn before one was added")
	}

	a.f.StartAdding()
	a.tapMap(desert)
	if a.f.form == nil || !a.shell.PanelShown(SitePanelID) {
		t.Fatal("a click with the Add site tool opened no form")
	}
	if p := a.f.form.position; planar.Distance(p, desert) > 0.01 {
		t.Errorf("the form's position is %v, want the click's %v", p, desert)
	}
	a.retype("dam_height_m", "high")
	test.Tap(a.f.formPanel.save)
	a.f.Wait()
	if got, want := a.shownError("name"), i18n.T("sites.error.required"); got != want {
		t.Errorf("next to the name: %q, want %q", got, want)
	}
	if got, want := a.shownError("dam_height_m"), i18n.T("sites.error.not_number"); got != want {
		t.Errorf("next to the dam height: %q, want %q", got, want)
	}
	if got := a.shownError("type"); got != "" {
		t.Errorf("next to the type, which has its default: %q", got)
	}
	if n := len(siteCount(t, store)); n != 0 {
		t.Fatalf("a refused form wrote %d sites", n)
	}

	a.retype("name", "Karakum tailings")
	a.retype("dam_height_m", "600")
	test.Tap(a.f.formPanel.save)
	a.f.Wait()
	if got := a.shownError("dam_height_m"); !strings.Contains(got, "500") {
		t.Errorf("a dam of 600 m: %q, want the range up to 500", got)
	}
	a.retype("dam_height_m", "12,5")
	test.Tap(a.f.formPanel.save)
	a.f.Wait()
	all := siteCount(t, store)
	if len(all) != 1 || all[0].Get("name") != "Karakum tailings" || all[0].Get("dam_height_m") != "12.5" || all[0].Get("type") != "tailings_storage" {
		t.Fatalf("stored %+v, want the site with its name, dam height 12.5 and the default type", all)
	}
	if a.f.form != nil {
		t.Error("the form stayed open after it was saved")
	}
	if !a.drawsSite(desert) {
		t.Error("the saved site is not drawn")
	}

	a.w.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(&fyne.ShortcutUndo{})
	a.f.Wait()
	if n := len(siteCount(t, store)); n != 0 {
		t.Errorf("after Ctrl+Z the store has %d sites, want 0", n)
	}
	if a.drawsSite(desert) {
		t.Error("the undone site is still drawn")
	}

	a.menuItem("menu.edit", i18n.T("inspect.redo")).Action()
	a.f.Wait()
	if all := siteCount(t, store); len(all) != 1 || all[0].Get("name") != "Karakum tailings" {
		t.Errorf("after Redo the store has %+v, want the site back", all)
	}
	if !a.drawsSite(desert) {
		t.Error("the redone site is not drawn")
	}
}

// TestDraft_offeredBackAfterCrash types half a form, then drops the app
// without saving or closing anything, as a crash would; the next start
// on the same store opens the form again with what was typed and says
// it was not saved, and saving it stores the site and drops the draft.
func TestDraft_offeredBackAfterCrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sites.gpkg")
	store, err := sites.CreateEmpty(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	a := newApp(t, store)
	a.f.StartAdding()
	a.tapMap(desert)
	a.retype("name", "Half typed")
	a.retype("volume_m3", "1 200 000")
	// The crash: the store's connections go without a word; nothing the
	// app holds is saved or closed.
	store.Close()

	again, err := sites.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { again.Close() })
	b := newApp(t, again)
	b.f.Wait()
	if b.f.form == nil || !b.shell.PanelShown(SitePanelID) {
		t.Fatal("the draft was not offered back")
	}
	if got := b.f.formPanel.entries["name"].Text; got != "Half typed" {
		t.Errorf("the restored name is %q", got)
	}
	if got := b.f.formPanel.entries["volume_m3"].Text; got != "1 200 000" {
		t.Errorf("the restored volume is %q", got)
	}
	if !strings.Contains(b.labels(), strings.SplitN(i18n.T("inspect.form.restored", map[string]any{"Date": "", "Time": ""}), ";", 2)[0]) {
		t.Error("the form does not say it was restored from a draft")
	}
	test.Tap(b.f.formPanel.save)
	b.f.Wait()
	all := siteCount(t, again)
	if len(all) != 1 || all[0].Get("volume_m3") != "1200000" || planar.Distance(all[0].Position, desert) > 0.01 {
		t.Fatalf("stored %+v, want the restored site", all)
	}
	drafts, err := again.Drafts(context.Background())
	if err != nil || len(drafts) != 0 {
		t.Errorf("drafts after the save: %v, %v; want none", drafts, err)
	}
}

// TestMerge_conflictShownAndResolved merges another inspector's copy in
// which a site was renamed while it was renamed here too: the conflicts
// panel shows both names, and taking the file's version stores it and
// leaves no conflict.
func TestMerge_conflictShownAndResolved(t *testing.T) {
	ctx := context.Background()
	store := newStore(t, "mine.gpkg")
	site := sites.NewSite(desert)
	site.Values["name"] = "Shared site"
	if _, err := store.AddSite(ctx, site, sites.EditOptions{By: "me"}); err != nil {
		t.Fatal(err)
	}
	theirsPath := filepath.Join(t.TempDir(), "theirs.gpkg")
	if err := store.SaveCopy(ctx, theirsPath); err != nil {
		t.Fatal(err)
	}
	theirs, err := sites.Open(ctx, theirsPath)
	if err != nil {
		t.Fatal(err)
	}
	renamed := site
	renamed.Values = map[string]string{"name": "Their name", "type": "tailings_storage", "status": "active", "hazard": "high", "coord_precision": "exact"}
	if _, err := theirs.UpdateSite(ctx, renamed, sites.EditOptions{By: "them"}); err != nil {
		t.Fatal(err)
	}
	theirs.Close()
	ours := site
	ours.Values = map[string]string{"name": "Our name", "type": "tailings_storage", "status": "unknown", "hazard": "unknown", "coord_precision": "unknown"}
	if _, err := store.UpdateSite(ctx, ours, sites.EditOptions{By: "me"}); err != nil {
		t.Fatal(err)
	}

	a := newApp(t, store)
	a.f.Merge(theirsPath)
	a.f.Wait()
	if !a.shell.PanelShown(ConflictsPanelID) {
		t.Fatal("the merge's conflict did not open the conflicts panel")
	}
	shown := a.labels()
	for _, want := range []string{"Our name", "Their name", i18n.T("sites.option.hazard.high"), i18n.T("sites.field.hazard")} {
		if !strings.Contains(shown, want) {
			t.Errorf("the conflicts panel does not show %q:\n%s", want, shown)
		}
	}
	var take *widget.Button
	for _, o := range test.LaidOutObjects(a.w.Content()) {
		if b, ok := o.(*widget.Button); ok && b.Text == i18n.T("inspect.conflicts.take_theirs") {
			take = b
		}
	}
	if take == nil {
		t.Fatal("the conflict has no button that takes the file's version")
	}
	test.Tap(take)
	a.f.Wait()
	got, err := store.Site(ctx, site.UUID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Get("name") != "Their name" || got.Get("hazard") != "high" {
		t.Errorf("after taking theirs the site is %v", got.Values)
	}
	if open, err := store.Conflicts(ctx); err != nil || len(open) != 0 {
		t.Errorf("conflicts left: %v, %v", open, err)
	}
	if !strings.Contains(a.labels(), i18n.T("inspect.conflicts.none")) {
		t.Error("the panel does not say no conflict is left")
	}
}

// TestImport_badRowNamesFileAndRow imports a CSV file whose third row
// has no latitude: nothing is imported, and the error the user sees
// names the file and the row.
func TestImport_badRowNamesFileAndRow(t *testing.T) {
	store := newStore(t, "sites.gpkg")
	path := filepath.Join(t.TempDir(), "survey.csv")
	csv := "name,lon,lat\nOne,61.1,43.1\nTwo,61.2,\nThree,61.3,43.3\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	a := newApp(t, store)
	_, err := a.f.importFile(context.Background(), path, nil)
	if err == nil || !strings.Contains(err.Error(), "survey.csv") || !strings.Contains(err.Error(), "row 3") {
		t.Errorf("importing a bad row: %v; want the file and row 3 named", err)
	}
	if n := len(siteCount(t, store)); n != 0 {
		t.Errorf("a refused import wrote %d sites", n)
	}
	good := filepath.Join(t.TempDir(), "good.csv")
	if err := os.WriteFile(good, []byte("name,lon,lat\nOne,61.1,43.1\nTwo,61.2,43.2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	a.f.Import(good)
	a.f.Wait()
	if n := len(siteCount(t, store)); n != 2 {
		t.Errorf("imported %d sites, want 2", n)
	}
}

// button returns the button the window shows with a text.
func (a *app) button(text string) *widget.Button {
	a.t.Helper()
	for _, o := range test.LaidOutObjects(a.w.Content()) {
		if b, ok := o.(*widget.Button); ok && b.Visible() && b.Text == text {
			return b
		}
	}
	a.t.Fatalf("no button %q", text)
	return nil
}

// TestInspection_addedFromTheSiteForm picks a site with the Edit sites
// tool and adds an inspection in its form: refused without an inspector,
// then with the next inspection due before this one, then saved and
// listed; an inspection form left half typed comes back after a crash.
func TestInspection_addedFromTheSiteForm(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sites.gpkg")
	store, err := sites.CreateEmpty(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	site := sites.NewSite(desert)
	site.Values["name"] = "Inspected site"
	if _, err := store.AddSite(ctx, site, sites.EditOptions{By: "me"}); err != nil {
		t.Fatal(err)
	}
	a := newApp(t, store)
	a.f.StartPicking()
	a.tapMap(desert)
	if a.f.form == nil || a.f.form.uuid != site.UUID {
		t.Fatal("a click on the site did not open its form")
	}
	if !strings.Contains(a.labels(), i18n.T("inspect.inspections.none")) {
		t.Error("the form does not say the site has no inspection yet")
	}
	test.Tap(a.button(i18n.T("inspect.inspections.add")))
	inspector := a.f.formPanel.inspectionEntries["inspector"]
	inspector.SetText("")
	test.Tap(a.f.formPanel.saveInspection)
	a.f.Wait()
	if l := a.f.formPanel.inspectionErrors["inspector"]; !l.Visible() || l.Text != i18n.T("sites.error.required") {
		t.Errorf("next to the inspector: %q, want it required", l.Text)
	}
	test.Type(inspector, "Aigerim")
	a.f.formPanel.inspectionEntries["date"].SetText("2026-05-20")
	a.f.formPanel.inspectionEntries["next_due"].SetText("2026-01-01")
	test.Tap(a.f.formPanel.saveInspection)
	a.f.Wait()
	if l := a.f.formPanel.inspectionErrors["next_due"]; !l.Visible() || l.Text != i18n.T("sites.error.date_order") {
		t.Errorf("next to the next inspection: %q, want it refused as before the inspection", l.Text)
	}
	a.f.formPanel.inspectionEntries["next_due"].SetText("20.05.2027")
	test.Type(a.f.formPanel.inspectionEntries["findings"], "Seepage at the toe of the dam")
	test.Tap(a.f.formPanel.saveInspection)
	a.f.Wait()
	list, err := store.Inspections(ctx, site.UUID)
	if err != nil || len(list) != 1 || list[0].Values["next_due"] != "2027-05-20" || list[0].Values["inspector"] != "Aigerim" {
		t.Fatalf("inspections stored: %+v, %v", list, err)
	}
	if !strings.Contains(a.labels(), "Seepage at the toe of the dam") {
		t.Error("the saved inspection is not listed in the site's form")
	}

	test.Tap(a.button(i18n.T("inspect.inspections.add")))
	test.Type(a.f.formPanel.inspectionEntries["findings"], "Half typed")
	a.f.Wait()
	store.Close() // the crash
	again, err := sites.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { again.Close() })
	b := newApp(t, again)
	b.f.Wait()
	if b.f.form == nil || b.f.form.uuid != site.UUID || b.f.form.inspection == nil {
		t.Fatal("the inspection's draft was not offered back in its site's form")
	}
	if got := b.f.formPanel.inspectionEntries["findings"].Text; got != "Half typed" {
		t.Errorf("the restored findings are %q", got)
	}
}

// TestOpenStore_drawsAndEditsTheFileOpened opens another sites file: the
// map draws its sites instead of the first store's, and edits go to it.
func TestOpenStore_drawsAndEditsTheFileOpened(t *testing.T) {
	ctx := context.Background()
	first := newStore(t, "first.gpkg")
	otherPath := filepath.Join(t.TempDir(), "other.gpkg")
	other, err := sites.CreateEmpty(ctx, otherPath)
	if err != nil {
		t.Fatal(err)
	}
	site := sites.NewSite(desert)
	site.Values["name"] = "In the other file"
	if _, err := other.AddSite(ctx, site, sites.EditOptions{By: "them"}); err != nil {
		t.Fatal(err)
	}
	other.Close()

	a := newApp(t, first)
	if a.drawsSite(desert) {
		t.Fatal("the first store has no site, yet one is drawn")
	}
	a.f.OpenStore(otherPath)
	a.f.Wait()
	t.Cleanup(func() { a.f.Store().Close() })
	if a.f.Store().Path() != otherPath {
		t.Fatalf("the feature edits %s, want %s", a.f.Store().Path(), otherPath)
	}
	if !a.drawsSite(desert) {
		t.Error("the opened file's site is not drawn")
	}
	a.f.Undo()
	a.f.Wait()
	if n := len(siteCount(t, a.f.Store())); n != 0 {
		t.Errorf("after an undo the opened file has %d sites, want its add undone", n)
	}
	if n := len(siteCount(t, first)); n != 0 {
		t.Errorf("the first store changed: %d sites", n)
	}
}
