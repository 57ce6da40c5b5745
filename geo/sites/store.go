package sites

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/ecoatlas/ecoatlas/assets"
	"github.com/ecoatlas/ecoatlas/geo/decode"
	"github.com/ecoatlas/ecoatlas/geo/edit"
	"github.com/ecoatlas/ecoatlas/geo/gpkg"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/paulmach/orb"
)

// Errors for errors.Is.
var (
	// ErrNotFound is a site, inspection or photo the store does not have.
	ErrNotFound = errors.New("sites: not found")
	// ErrNotStore is a GeoPackage without a tailings_sites table of the
	// store's shape.
	ErrNotStore = errors.New("sites: not a sites store")
)

// Store is a GeoPackage of sites, their inspections and photos, with the
// undo history, drafts and merge conflicts of the inspectors who edit it.
// Every edit is one SQLite transaction, committed (and synced to disk)
// before the method returns. A Store is safe for concurrent use.
type Store struct {
	db          *gpkg.DB
	history     *edit.History
	sites       *recordTable
	inspections *recordTable
	photos      *recordTable
	source      *gpkg.Table
}

// EditOptions say who makes an edit and which draft it completes.
type EditOptions struct {
	// By is who edits, recorded with the record and the undo step.
	By string
	// Draft is the key of the draft the edit saves; the draft is deleted
	// in the edit's transaction.
	Draft string
}

// DefaultPath returns where the app keeps the working store: sites.gpkg
// in the "ecoatlas" folder of the user's data directory
// ($XDG_DATA_HOME, or ~/.local/share, on Linux; the configuration
// directory elsewhere).
func DefaultPath() (string, error) {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		if home, err := os.UserHomeDir(); err == nil && filepath.Separator == '/' && os.Getenv("APPDATA") == "" {
			dir = filepath.Join(home, ".local", "share")
		} else if dir, err = os.UserConfigDir(); err != nil {
			return "", fmt.Errorf("sites: no user data directory: %w", err)
		}
	}
	return filepath.Join(dir, "ecoatlas", "sites.gpkg"), nil
}

// Open opens the store at path, creating it from the embedded tailings
// layer when the file does not exist (its folder is created too). A file
// that is not a store is refused before anything is written to it.
func Open(ctx context.Context, path string) (*Store, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return create(ctx, path, true)
	}
	ro, err := gpkg.OpenReadOnly(ctx, path)
	if err != nil {
		return nil, err
	}
	err = checkStoreFile(ctx, ro)
	ro.Close()
	if err != nil {
		return nil, err
	}
	db, err := gpkg.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	s, err := newStore(ctx, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// CreateEmpty creates a store without any site, for exports.
func CreateEmpty(ctx context.Context, path string) (*Store, error) {
	return create(ctx, path, false)
}

func create(ctx context.Context, path string, seed bool) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("sites: %w", err)
	}
	db, err := gpkg.Create(ctx, path)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*Store, error) {
		db.Close()
		os.Remove(path)
		return nil, fmt.Errorf("sites: creating %s: %w", path, err)
	}
	err = db.Update(ctx, func(tx *gpkg.Tx) error {
		if err := createSchema(ctx, tx); err != nil {
			return err
		}
		if seed {
			return seedSites(ctx, tx, newRecordTable(SitesTable, true, SiteFields, siteMeta))
		}
		return nil
	})
	if err != nil {
		return fail(err)
	}
	s, err := newStore(ctx, db)
	if err != nil {
		return fail(err)
	}
	return s, nil
}

// siteMeta are the bookkeeping columns after the site fields.
var siteMeta = []string{ColCreatedAt, ColCreatedBy, ColModifiedAt, ColModifiedBy}

func newStore(ctx context.Context, db *gpkg.DB) (*Store, error) {
	c, err := db.TableContents(ctx, SitesTable)
	if err != nil || c.GeometryColumn != "geom" {
		return nil, fmt.Errorf("%w: %s has no %s table", ErrNotStore, db.Path(), SitesTable)
	}
	s := &Store{
		db:          db,
		sites:       newRecordTable(SitesTable, true, SiteFields, siteMeta),
		inspections: newRecordTable(InspectionsTable, false, InspectionFields, append([]string{ColSiteUUID}, siteMeta...)),
		photos:      newRecordTable(PhotosTable, false, nil, photoColumns),
	}
	s.history, err = edit.NewHistory(ctx, db, map[string]edit.Layer{
		SitesTable: s.sites, InspectionsTable: s.inspections, PhotosTable: s.photos,
	})
	if err != nil {
		return nil, err
	}
	s.source, err = db.Table(ctx, SitesTable, gpkg.TableOptions{IDColumn: ColUUID})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotStore, err)
	}
	return s, nil
}

// seedSites fills a new store with the sites of the embedded tailings
// layer. Each gets the name-based UUID of its "id", so stores made from
// the embedded layer on different machines agree on the sites' UUIDs.
func seedSites(ctx context.Context, tx *gpkg.Tx, sites *recordTable) error {
	data, err := fs.ReadFile(assets.Data(), "curated/tailings.geojson")
	if err != nil {
		return err
	}
	v, err := decode.GeoJSON(data, "tailings.geojson")
	if err != nil {
		return err
	}
	now := time.Now()
	for f := range v.All() {
		site, err := siteFromFeature(f, nil)
		if err != nil {
			return fmt.Errorf("embedded site %s: %w", f.ID, err)
		}
		site.UUID = nameUUID(f.ID)
		site.CreatedAt, site.CreatedBy = now, "Ecoatlas"
		site.ModifiedAt, site.ModifiedBy = now, "Ecoatlas"
		if err := site.Validate(); err != nil {
			return fmt.Errorf("embedded site %s: %w", f.ID, err)
		}
		if err := sites.Put(ctx, tx, site.UUID, nil, site.record()); err != nil {
			return err
		}
	}
	return nil
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// Path returns the store's file.
func (s *Store) Path() string { return s.db.Path() }

// DB returns the store's GeoPackage.
func (s *Store) DB() *gpkg.DB { return s.db }

// Source returns the sites as a feature source for the map: feature IDs
// are the sites' UUIDs, properties their columns. It reads the file on
// every search, so it always shows the latest edit.
func (s *Store) Source() layer.FeatureSource { return s.source }

// Revision returns the revision of the sites layer: it grows with every
// edit, undo and redo of a site.
func (s *Store) Revision(ctx context.Context) (int64, error) {
	return s.history.Revision(ctx, SitesTable)
}

// SaveCopy writes a consistent copy of the whole store, history and
// drafts included, to a new file ("Save a copy…"), while the store stays
// open and in use. It refuses a path where a file exists.
func (s *Store) SaveCopy(ctx context.Context, path string) error { return s.db.CopyTo(ctx, path) }

// IntegrityCheck runs SQLite's integrity check on the store.
func (s *Store) IntegrityCheck(ctx context.Context) error { return s.db.IntegrityCheck(ctx) }

// Site returns a site.
func (s *Store) Site(ctx context.Context, uuid string) (Site, error) {
	r, err := s.sites.read(ctx, s.db.SQL(), uuid)
	if err != nil {
		return Site{}, err
	}
	if r == nil {
		return Site{}, fmt.Errorf("%w: site %s", ErrNotFound, uuid)
	}
	return siteFromRecord(uuid, r), nil
}

// Sites returns every site, in the order they were added.
func (s *Store) Sites(ctx context.Context) ([]Site, error) {
	var out []Site
	err := s.each(ctx, s.sites, ``, nil, func(uuid string, r *edit.Record) {
		out = append(out, siteFromRecord(uuid, r))
	})
	return out, err
}

// each calls fn with every record of a table matching a condition.
func (s *Store) each(ctx context.Context, t *recordTable, where string, args []any, fn func(uuid string, r *edit.Record)) error {
	q := `SELECT ` + t.selects + `, uuid FROM ` + quote(t.name)
	if where != "" {
		q += ` WHERE ` + where
	}
	rows, err := s.db.SQL().QueryContext(ctx, q+` ORDER BY fid`, args...)
	if err != nil {
		return fmt.Errorf("sites: %s: %w", t.name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var uuid string
		r, err := t.scan(rows, &uuid)
		if err != nil {
			return fmt.Errorf("sites: %s: %w", t.name, err)
		}
		fn(uuid, r)
	}
	return rows.Err()
}

// Inspections returns the inspections of a site, in the order they were
// added.
func (s *Store) Inspections(ctx context.Context, siteUUID string) ([]Inspection, error) {
	var out []Inspection
	err := s.each(ctx, s.inspections, `site_uuid = ?`, []any{siteUUID}, func(uuid string, r *edit.Record) {
		out = append(out, inspectionFromRecord(uuid, r))
	})
	return out, err
}

// Photos returns the photos of a site, in the order they were added.
func (s *Store) Photos(ctx context.Context, siteUUID string) ([]Photo, error) {
	var out []Photo
	err := s.each(ctx, s.photos, `site_uuid = ?`, []any{siteUUID}, func(uuid string, r *edit.Record) {
		out = append(out, photoFromRecord(uuid, r))
	})
	return out, err
}

// PhotoData returns the image data with a SHA-256, checking it against
// the checksum.
func (s *Store) PhotoData(ctx context.Context, sum string) ([]byte, error) {
	var data []byte
	err := s.db.SQL().QueryRowContext(ctx, `SELECT data FROM `+photoFilesTable+` WHERE sha256 = ?`, sum).Scan(&data)
	if err != nil {
		return nil, fmt.Errorf("%w: photo data %s", ErrNotFound, sum)
	}
	if got := sha256.Sum256(data); hex.EncodeToString(got[:]) != sum {
		return nil, fmt.Errorf("%w: %s", ErrChecksum, sum)
	}
	return data, nil
}

// do applies changes as one undoable step, deleting the draft the edit
// completes in the same transaction.
func (s *Store) do(ctx context.Context, label string, o EditOptions, changes []edit.Change, also func(context.Context, *gpkg.Tx) error) (edit.Result, error) {
	return s.history.Do(ctx, label, o.By, changes, func(ctx context.Context, tx *gpkg.Tx) error {
		if o.Draft != "" {
			if _, err := tx.Exec(ctx, `DELETE FROM ecoatlas_drafts WHERE key = ?`, o.Draft); err != nil {
				return err
			}
		}
		if also != nil {
			return also(ctx, tx)
		}
		return nil
	})
}

// AddSite validates a site and adds it, giving it a UUID if it has none
// and stamping it as created now by o.By.
func (s *Store) AddSite(ctx context.Context, site Site, o EditOptions) (edit.Result, error) {
	if site.UUID == "" {
		site.UUID = NewUUID()
	}
	if site.Values == nil {
		site.Values = map[string]string{}
	}
	if err := site.Validate(); err != nil {
		return edit.Result{}, err
	}
	now := time.Now()
	site.CreatedAt, site.CreatedBy, site.ModifiedAt, site.ModifiedBy = now, o.By, now, o.By
	return s.do(ctx, "Add site "+site.Values["name"], o, []edit.Change{
		{Kind: edit.Add, Layer: SitesTable, ID: site.UUID, After: site.record()},
	}, nil)
}

// UpdateSite validates a site and replaces the stored one with the same
// UUID, keeping its creation stamp and stamping it as modified now.
func (s *Store) UpdateSite(ctx context.Context, site Site, o EditOptions) (edit.Result, error) {
	if err := site.Validate(); err != nil {
		return edit.Result{}, err
	}
	old, err := s.Site(ctx, site.UUID)
	if err != nil {
		return edit.Result{}, err
	}
	site.CreatedAt, site.CreatedBy = old.CreatedAt, old.CreatedBy
	site.ModifiedAt, site.ModifiedBy = time.Now(), o.By
	kind := edit.Update
	if sameValues(old.Values, site.Values) && old.Position != site.Position {
		kind = edit.Move
	}
	return s.do(ctx, "Edit site "+site.Values["name"], o, []edit.Change{
		{Kind: kind, Layer: SitesTable, ID: site.UUID, After: site.record()},
	}, nil)
}

func sameValues(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// MoveSite moves a site to a new position.
func (s *Store) MoveSite(ctx context.Context, uuid string, p orb.Point, o EditOptions) (edit.Result, error) {
	site, err := s.Site(ctx, uuid)
	if err != nil {
		return edit.Result{}, err
	}
	site.Position = p
	if err := site.Validate(); err != nil {
		return edit.Result{}, err
	}
	site.ModifiedAt, site.ModifiedBy = time.Now(), o.By
	return s.do(ctx, "Move site "+site.Values["name"], o, []edit.Change{
		{Kind: edit.Move, Layer: SitesTable, ID: uuid, After: site.record()},
	}, nil)
}

// DeleteSite deletes a site with its inspections and photos, as one step
// that an undo brings back whole.
func (s *Store) DeleteSite(ctx context.Context, uuid string, o EditOptions) (edit.Result, error) {
	site, err := s.Site(ctx, uuid)
	if err != nil {
		return edit.Result{}, err
	}
	var changes []edit.Change
	photos, err := s.Photos(ctx, uuid)
	if err != nil {
		return edit.Result{}, err
	}
	for _, p := range photos {
		changes = append(changes, edit.Change{Kind: edit.Delete, Layer: PhotosTable, ID: p.UUID})
	}
	inspections, err := s.Inspections(ctx, uuid)
	if err != nil {
		return edit.Result{}, err
	}
	for _, in := range inspections {
		changes = append(changes, edit.Change{Kind: edit.Delete, Layer: InspectionsTable, ID: in.UUID})
	}
	changes = append(changes, edit.Change{Kind: edit.Delete, Layer: SitesTable, ID: uuid})
	return s.do(ctx, "Delete site "+site.Values["name"], o, changes, nil)
}

// AddInspection validates an inspection of an existing site and adds it.
func (s *Store) AddInspection(ctx context.Context, in Inspection, o EditOptions) (edit.Result, error) {
	if in.UUID == "" {
		in.UUID = NewUUID()
	}
	if err := in.Validate(); err != nil {
		return edit.Result{}, err
	}
	site, err := s.Site(ctx, in.SiteUUID)
	if err != nil {
		return edit.Result{}, err
	}
	now := time.Now()
	in.CreatedAt, in.CreatedBy, in.ModifiedAt, in.ModifiedBy = now, o.By, now, o.By
	return s.do(ctx, "Add inspection of "+site.Values["name"], o, []edit.Change{
		{Kind: edit.Add, Layer: InspectionsTable, ID: in.UUID, After: in.record()},
	}, nil)
}

// UpdateInspection validates an inspection and replaces the stored one.
func (s *Store) UpdateInspection(ctx context.Context, in Inspection, o EditOptions) (edit.Result, error) {
	if err := in.Validate(); err != nil {
		return edit.Result{}, err
	}
	r, err := s.inspections.read(ctx, s.db.SQL(), in.UUID)
	if err != nil {
		return edit.Result{}, err
	}
	if r == nil {
		return edit.Result{}, fmt.Errorf("%w: inspection %s", ErrNotFound, in.UUID)
	}
	old := inspectionFromRecord(in.UUID, r)
	in.SiteUUID = old.SiteUUID
	in.CreatedAt, in.CreatedBy = old.CreatedAt, old.CreatedBy
	in.ModifiedAt, in.ModifiedBy = time.Now(), o.By
	return s.do(ctx, "Edit inspection of "+in.Values["date"], o, []edit.Change{
		{Kind: edit.Update, Layer: InspectionsTable, ID: in.UUID, After: in.record()},
	}, nil)
}

// DeleteInspection deletes an inspection; its photos stay with the site.
func (s *Store) DeleteInspection(ctx context.Context, uuid string, o EditOptions) (edit.Result, error) {
	r, err := s.inspections.read(ctx, s.db.SQL(), uuid)
	if err != nil {
		return edit.Result{}, err
	}
	if r == nil {
		return edit.Result{}, fmt.Errorf("%w: inspection %s", ErrNotFound, uuid)
	}
	changes := []edit.Change{{Kind: edit.Delete, Layer: InspectionsTable, ID: uuid}}
	err = s.each(ctx, s.photos, `inspection_uuid = ?`, []any{uuid}, func(id string, r *edit.Record) {
		r.Properties["inspection_uuid"] = nil
		changes = append(changes, edit.Change{Kind: edit.Update, Layer: PhotosTable, ID: id, After: r})
	})
	if err != nil {
		return edit.Result{}, err
	}
	return s.do(ctx, "Delete inspection of "+inspectionFromRecord(uuid, r).Values["date"], o, changes, nil)
}

// AddPhoto attaches image data to a site (and to one of its inspections
// when p.InspectionUUID is set). The record must come from NewPhoto for
// the same data: a checksum that does not match is refused.
func (s *Store) AddPhoto(ctx context.Context, p Photo, data []byte, o EditOptions) (edit.Result, error) {
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != p.SHA256 || int64(len(data)) != p.Size {
		return edit.Result{}, fmt.Errorf("%w: %s", ErrChecksum, p.FileName)
	}
	if !ValidUUID(p.UUID) {
		return edit.Result{}, &ValidationError{Fields: []FieldError{{Field: ColUUID, Value: p.UUID, Reason: ErrBadUUID}}}
	}
	site, err := s.Site(ctx, p.SiteUUID)
	if err != nil {
		return edit.Result{}, err
	}
	if p.InspectionUUID != "" {
		r, err := s.inspections.read(ctx, s.db.SQL(), p.InspectionUUID)
		if err != nil {
			return edit.Result{}, err
		}
		if r == nil || inspectionFromRecord(p.InspectionUUID, r).SiteUUID != p.SiteUUID {
			return edit.Result{}, fmt.Errorf("%w: inspection %s of site %s", ErrNotFound, p.InspectionUUID, p.SiteUUID)
		}
	}
	p.CreatedAt, p.CreatedBy = time.Now(), o.By
	return s.do(ctx, "Add photo of "+site.Values["name"], o, []edit.Change{
		{Kind: edit.Add, Layer: PhotosTable, ID: p.UUID, After: p.record()},
	}, func(ctx context.Context, tx *gpkg.Tx) error {
		return storePhotoData(ctx, tx, p, data)
	})
}

// storePhotoData keeps image data under its checksum, once.
func storePhotoData(ctx context.Context, tx *gpkg.Tx, p Photo, data []byte) error {
	_, err := tx.Exec(ctx, `INSERT OR IGNORE INTO `+photoFilesTable+` (sha256, content_type, data) VALUES (?, ?, ?)`, p.SHA256, p.ContentType, data)
	if err == nil {
		tx.RowsChanged(photoFilesTable)
	}
	return err
}

// DeletePhoto removes a photo from its site. Its data stays in the store
// so that an undo can bring it back.
func (s *Store) DeletePhoto(ctx context.Context, uuid string, o EditOptions) (edit.Result, error) {
	r, err := s.photos.read(ctx, s.db.SQL(), uuid)
	if err != nil {
		return edit.Result{}, err
	}
	if r == nil {
		return edit.Result{}, fmt.Errorf("%w: photo %s", ErrNotFound, uuid)
	}
	return s.do(ctx, "Delete photo "+photoFromRecord(uuid, r).FileName, o, []edit.Change{
		{Kind: edit.Delete, Layer: PhotosTable, ID: uuid},
	}, nil)
}

// Undo undoes the latest edit still done.
func (s *Store) Undo(ctx context.Context) (edit.Result, error) { return s.history.Undo(ctx) }

// Redo redoes the earliest edit undone.
func (s *Store) Redo(ctx context.Context) (edit.Result, error) { return s.history.Redo(ctx) }

// NextUndoRedo returns the edits an undo and a redo would take, nil when
// there is none, for the menu to name them.
func (s *Store) NextUndoRedo(ctx context.Context) (undo, redo *edit.Step, err error) {
	return s.history.Next(ctx)
}
