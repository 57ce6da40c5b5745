package sites

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/ecoatlas/ecoatlas/geo/edit"
	"github.com/ecoatlas/ecoatlas/geo/gpkg"
	"github.com/paulmach/orb"
)

// How a merge treats a record of the other file, matched by UUID:
//
//   - one the store lacks is added;
//   - one equal to the store's (bookkeeping aside) is skipped;
//   - one equal to an earlier state of the store's record is skipped:
//     the other file has an old copy, the store's is newer;
//   - one whose earlier states include the store's record replaces it:
//     only the other side edited it since the two were equal;
//   - anything else was edited on both sides: it becomes a Conflict,
//     which the merge records and leaves for the user to resolve with
//     both versions shown. Nothing is ever overwritten silently.
//
// Earlier states are known by content hashes every store keeps
// (ecoatlas_versions). A record deleted on one side is not deleted by a
// merge: a deletion leaves no trace to send.

// MergeReport is what a merge did.
type MergeReport struct {
	// Added, Updated, Identical and Older count records (sites,
	// inspections and photos) by what the merge did with them.
	Added, Updated, Identical, Older int
	// Conflicts are the records edited on both sides, newly found.
	Conflicts []Conflict
	// Skipped are records that could not be merged, with why.
	Skipped []MergeSkip
	// Result is the undoable step of the records added and updated.
	Result edit.Result
}

// MergeSkip is a record a merge could not take.
type MergeSkip struct {
	Table, UUID string
	Err         error
}

// Conflict is a record edited both in the store and in a merged file.
type Conflict struct {
	ID      int64
	Table   string // SitesTable, InspectionsTable or PhotosTable
	UUID    string
	Source  string // the file it came from
	FoundAt time.Time
	// Ours is the store's version (nil if it was deleted since), Theirs
	// the file's.
	Ours, Theirs *edit.Record
}

// Sites returns both versions of a site conflict; ok is false for a
// conflict about another table or whose site was deleted since.
func (c Conflict) Sites() (ours, theirs Site, ok bool) {
	if c.Table != SitesTable || c.Ours == nil {
		return Site{}, Site{}, false
	}
	return siteFromRecord(c.UUID, c.Ours), siteFromRecord(c.UUID, c.Theirs), true
}

// Inspections returns both versions of an inspection conflict.
func (c Conflict) Inspections() (ours, theirs Inspection, ok bool) {
	if c.Table != InspectionsTable || c.Ours == nil {
		return Inspection{}, Inspection{}, false
	}
	return inspectionFromRecord(c.UUID, c.Ours), inspectionFromRecord(c.UUID, c.Theirs), true
}

// Differences returns the fields whose values differ between the two
// versions, "position" first when the geometries differ; bookkeeping
// columns are left out.
func (c Conflict) Differences() []string {
	var out []string
	if c.Ours == nil {
		return []string{"deleted"}
	}
	if !orb.Equal(c.Ours.Geometry, c.Theirs.Geometry) && (c.Ours.Geometry != nil || c.Theirs.Geometry != nil) {
		out = append(out, "position")
	}
	var fields []Field
	switch c.Table {
	case SitesTable:
		fields = SiteFields
	case InspectionsTable:
		fields = InspectionFields
	}
	for _, f := range fields {
		if fmt.Sprint(c.Ours.Properties[f.Name]) != fmt.Sprint(c.Theirs.Properties[f.Name]) {
			out = append(out, f.Name)
		}
	}
	if c.Table == PhotosTable {
		for _, k := range photoColumns {
			if fmt.Sprint(c.Ours.Properties[k]) != fmt.Sprint(c.Theirs.Properties[k]) {
				out = append(out, k)
			}
		}
	}
	return out
}

// Merge merges another inspector's store (a GeoPackage with a
// tailings_sites table, such as one written by ExportChanged) into this
// one, in one transaction: what it adds and updates is one undoable
// step, and the conflicts it finds are recorded with it.
func (s *Store) Merge(ctx context.Context, path string, o EditOptions) (MergeReport, error) {
	other, err := gpkg.OpenReadOnly(ctx, path)
	if err != nil {
		return MergeReport{}, err
	}
	defer other.Close()
	if err := checkStoreFile(ctx, other); err != nil {
		return MergeReport{}, err
	}
	source := filepath.Base(path)
	var report MergeReport
	err = s.db.Update(ctx, func(tx *gpkg.Tx) error {
		m := merger{s: s, tx: tx, other: other, source: source, report: &report}
		for _, t := range []*recordTable{s.sites, s.inspections, s.photos} {
			if err := m.table(ctx, t); err != nil {
				return err
			}
		}
		if len(m.changes) > 0 {
			report.Result, err = s.history.DoTx(ctx, tx, "Merge "+source, o.By, m.changes, nil)
			if err != nil {
				return err
			}
		}
		return m.finish(ctx)
	})
	if err != nil {
		return MergeReport{}, fmt.Errorf("sites: merging %s: %w", source, err)
	}
	return report, nil
}

// checkStoreFile checks that a GeoPackage has a sites table.
func checkStoreFile(ctx context.Context, db *gpkg.DB) error {
	c, err := db.TableContents(ctx, SitesTable)
	if err != nil || c.GeometryColumn == "" {
		return fmt.Errorf("%w: %s has no %s table", ErrNotStore, db.Path(), SitesTable)
	}
	return nil
}

// merger is the state of one merge.
type merger struct {
	s       *Store
	tx      *gpkg.Tx
	other   *gpkg.DB
	source  string
	report  *MergeReport
	changes []edit.Change
	// versions are the other file's content hashes of records merged, to
	// be remembered as known states.
	versions []versionRow
	photos   []Photo // photos added, whose data must be copied
	sites    map[string]bool
}

type versionRow struct{ table, uuid, hash string }

// table merges the records of one table.
func (m *merger) table(ctx context.Context, t *recordTable) error {
	if !tableExists(ctx, m.other.SQL(), t.name) {
		return nil
	}
	theirs, err := readAll(ctx, m.other.SQL(), t)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", m.source, t.name, err)
	}
	theirVersions, err := versionsOf(ctx, m.other.SQL(), t.name)
	if err != nil {
		return err
	}
	for _, rec := range theirs {
		if t != m.s.sites && !m.siteKnown(ctx, rec.r) {
			m.report.Skipped = append(m.report.Skipped, MergeSkip{t.name, rec.uuid, fmt.Errorf("%w: its site %v is in neither store", ErrNotFound, rec.r.Properties[ColSiteUUID])})
			continue
		}
		if err := m.record(ctx, t, rec.uuid, rec.r, theirVersions[rec.uuid]); err != nil {
			return err
		}
	}
	return nil
}

// record merges one record.
func (m *merger) record(ctx context.Context, t *recordTable, uuid string, theirs *edit.Record, theirVersions map[string]bool) error {
	ours, err := t.Get(ctx, m.tx, uuid)
	if err != nil {
		return err
	}
	theirHash := contentHash(theirs)
	remember := func() {
		for h := range theirVersions {
			m.versions = append(m.versions, versionRow{t.name, uuid, h})
		}
	}
	if ours == nil {
		if t == m.s.photos {
			p := photoFromRecord(uuid, theirs)
			if !ValidUUID(uuid) {
				m.report.Skipped = append(m.report.Skipped, MergeSkip{t.name, uuid, ErrBadUUID})
				return nil
			}
			m.photos = append(m.photos, p)
		}
		m.changes = append(m.changes, edit.Change{Kind: edit.Add, Layer: t.name, ID: uuid, After: theirs})
		m.report.Added++
		remember()
		return nil
	}
	ourHash := contentHash(ours)
	switch {
	case ourHash == theirHash:
		m.report.Identical++
		remember()
		return nil
	case theirVersions[ourHash]:
		m.changes = append(m.changes, edit.Change{Kind: edit.Update, Layer: t.name, ID: uuid, After: theirs})
		m.report.Updated++
		remember()
		return nil
	}
	known, err := m.known(ctx, t.name, uuid, theirHash)
	if err != nil {
		return err
	}
	if known {
		m.report.Older++
		return nil
	}
	return m.conflict(ctx, t.name, uuid, ours, theirs, theirHash)
}

// known reports whether the store's record had the content hash once.
func (m *merger) known(ctx context.Context, table, uuid, hash string) (bool, error) {
	var n int
	err := m.tx.QueryRow(ctx, `SELECT count(*) FROM ecoatlas_versions WHERE table_name = ? AND uuid = ? AND hash = ?`, table, uuid, hash).Scan(&n)
	return n > 0, err
}

// conflict records a conflict unless the same one is open already.
func (m *merger) conflict(ctx context.Context, table, uuid string, ours, theirs *edit.Record, theirHash string) error {
	var n int
	err := m.tx.QueryRow(ctx, `SELECT count(*) FROM ecoatlas_conflicts WHERE resolved_at IS NULL AND table_name = ? AND uuid = ? AND their_hash = ?`,
		table, uuid, theirHash).Scan(&n)
	if err != nil || n > 0 {
		return err
	}
	ourJSON, err := recordJSON(ours)
	if err != nil {
		return err
	}
	theirJSON, err := recordJSON(theirs)
	if err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	res, err := m.tx.Exec(ctx, `INSERT INTO ecoatlas_conflicts (table_name, uuid, ours, theirs, their_hash, source, found_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		table, uuid, ourJSON, theirJSON, theirHash, m.source, now.Format(timeLayout))
	if err != nil {
		return err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	m.report.Conflicts = append(m.report.Conflicts, Conflict{ID: id, Table: table, UUID: uuid, Source: m.source, FoundAt: now, Ours: ours, Theirs: theirs})
	return nil
}

// siteKnown reports whether the site an inspection or photo belongs to
// is in the store or among the sites being merged.
func (m *merger) siteKnown(ctx context.Context, r *edit.Record) bool {
	site, _ := r.Properties[ColSiteUUID].(string)
	if m.sites == nil {
		m.sites = map[string]bool{}
		for _, c := range m.changes {
			if c.Layer == SitesTable {
				m.sites[c.ID] = true
			}
		}
	}
	if m.sites[site] {
		return true
	}
	ours, err := m.s.sites.Get(ctx, m.tx, site)
	return err == nil && ours != nil
}

// finish copies the data of added photos, checking each against its
// checksum, and remembers the other file's versions of merged records.
func (m *merger) finish(ctx context.Context) error {
	for _, p := range m.photos {
		var data []byte
		var ct string
		err := m.other.SQL().QueryRowContext(ctx, `SELECT data, content_type FROM `+photoFilesTable+` WHERE sha256 = ?`, p.SHA256).Scan(&data, &ct)
		if err != nil {
			return fmt.Errorf("%s: photo %s: %w: its data is missing", m.source, p.FileName, ErrNotFound)
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != p.SHA256 {
			return fmt.Errorf("%s: photo %s: %w", m.source, p.FileName, ErrChecksum)
		}
		p.ContentType = ct
		if err := storePhotoData(ctx, m.tx, p, data); err != nil {
			return err
		}
	}
	for _, v := range m.versions {
		if err := rememberVersion(ctx, m.tx, v.table, v.uuid, v.hash); err != nil {
			return err
		}
	}
	return nil
}

type uuidRecord struct {
	uuid string
	r    *edit.Record
}

// readAll reads every record of a table of another GeoPackage.
func readAll(ctx context.Context, db *sql.DB, t *recordTable) ([]uuidRecord, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+t.selects+`, uuid FROM `+quote(t.name)+` ORDER BY fid`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []uuidRecord
	for rows.Next() {
		var uuid string
		r, err := t.scan(rows, &uuid)
		if err != nil {
			return nil, err
		}
		out = append(out, uuidRecord{uuid, r})
	}
	return out, rows.Err()
}

// versionsOf returns the content hashes a GeoPackage's records of a table
// have had, by UUID; empty when it keeps none.
func versionsOf(ctx context.Context, db *sql.DB, table string) (map[string]map[string]bool, error) {
	out := map[string]map[string]bool{}
	if !tableExists(ctx, db, "ecoatlas_versions") {
		return out, nil
	}
	rows, err := db.QueryContext(ctx, `SELECT uuid, hash FROM ecoatlas_versions WHERE table_name = ?`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var u, h string
		if err := rows.Scan(&u, &h); err != nil {
			return nil, err
		}
		if out[u] == nil {
			out[u] = map[string]bool{}
		}
		out[u][h] = true
	}
	return out, rows.Err()
}

func tableExists(ctx context.Context, db *sql.DB, name string) bool {
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, name).Scan(&n)
	return err == nil && n > 0
}

// recordJSON is how a conflict keeps a version: {"geometry": [lon, lat]
// or null, "properties": {…}}.
func recordJSON(r *edit.Record) (string, error) {
	var v struct {
		Geometry   *[2]float64    `json:"geometry"`
		Properties map[string]any `json:"properties"`
	}
	if p, ok := r.Geometry.(orb.Point); ok {
		v.Geometry = &[2]float64{p[0], p[1]}
	}
	v.Properties = r.Properties
	b, err := json.Marshal(v)
	return string(b), err
}

func recordFromJSON(s string) (*edit.Record, error) {
	var v struct {
		Geometry   *[2]float64    `json:"geometry"`
		Properties map[string]any `json:"properties"`
	}
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, err
	}
	r := &edit.Record{Properties: v.Properties}
	if v.Geometry != nil {
		r.Geometry = orb.Point(*v.Geometry)
	}
	return r, nil
}

// Conflicts returns the conflicts not yet resolved, oldest first, each
// with the store's current version of its record.
func (s *Store) Conflicts(ctx context.Context) ([]Conflict, error) {
	rows, err := s.db.SQL().QueryContext(ctx, `SELECT id, table_name, uuid, theirs, source, CAST(found_at AS TEXT)
		FROM ecoatlas_conflicts WHERE resolved_at IS NULL ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sites: conflicts: %w", err)
	}
	var out []Conflict
	for rows.Next() {
		var (
			c             Conflict
			theirs, found string
		)
		if err := rows.Scan(&c.ID, &c.Table, &c.UUID, &theirs, &c.Source, &found); err != nil {
			rows.Close()
			return nil, err
		}
		if c.Theirs, err = recordFromJSON(theirs); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sites: conflict %d: %w", c.ID, err)
		}
		c.FoundAt = parseTime(found)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		t := s.table(out[i].Table)
		if t == nil {
			return nil, fmt.Errorf("sites: conflict %d: unknown table %q", out[i].ID, out[i].Table)
		}
		if out[i].Ours, err = t.read(ctx, s.db.SQL(), out[i].UUID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) table(name string) *recordTable {
	switch name {
	case SitesTable:
		return s.sites
	case InspectionsTable:
		return s.inspections
	case PhotosTable:
		return s.photos
	}
	return nil
}

// Resolution is how the user resolves a conflict.
type Resolution int

// Resolutions.
const (
	// KeepOurs keeps the store's version; the file's is remembered as
	// seen, so merging the same file again does not raise it again.
	KeepOurs Resolution = iota + 1
	// TakeTheirs replaces the store's version with the file's.
	TakeTheirs
)

// ErrResolved is a conflict that is resolved already, or unknown.
var ErrResolved = errors.New("sites: no such open conflict")

// Resolve resolves a conflict by keeping one version. Taking theirs is an
// undoable edit.
func (s *Store) Resolve(ctx context.Context, id int64, how Resolution, o EditOptions) (edit.Result, error) {
	c, err := s.openConflict(ctx, id)
	if err != nil {
		return edit.Result{}, err
	}
	switch how {
	case KeepOurs:
		err := s.db.Update(ctx, func(tx *gpkg.Tx) error { return s.markResolved(ctx, tx, c, "ours") })
		return edit.Result{}, err
	case TakeTheirs:
		return s.resolveWith(ctx, c, c.Theirs, "theirs", o)
	default:
		return edit.Result{}, fmt.Errorf("sites: unknown resolution %d", how)
	}
}

// ResolveSite resolves a site conflict with a version the user put
// together from both, validated as any edit.
func (s *Store) ResolveSite(ctx context.Context, id int64, site Site, o EditOptions) (edit.Result, error) {
	c, err := s.openConflict(ctx, id)
	if err != nil {
		return edit.Result{}, err
	}
	if c.Table != SitesTable || c.UUID != site.UUID {
		return edit.Result{}, fmt.Errorf("sites: conflict %d is not about site %s", id, site.UUID)
	}
	if err := site.Validate(); err != nil {
		return edit.Result{}, err
	}
	if c.Ours != nil {
		old := siteFromRecord(c.UUID, c.Ours)
		site.CreatedAt, site.CreatedBy = old.CreatedAt, old.CreatedBy
	}
	site.ModifiedAt, site.ModifiedBy = time.Now(), o.By
	return s.resolveWith(ctx, c, site.record(), "combined", o)
}

func (s *Store) openConflict(ctx context.Context, id int64) (Conflict, error) {
	all, err := s.Conflicts(ctx)
	if err != nil {
		return Conflict{}, err
	}
	for _, c := range all {
		if c.ID == id {
			return c, nil
		}
	}
	return Conflict{}, fmt.Errorf("%w: %d", ErrResolved, id)
}

func (s *Store) resolveWith(ctx context.Context, c Conflict, r *edit.Record, how string, o EditOptions) (edit.Result, error) {
	kind := edit.Update
	if c.Ours == nil {
		kind = edit.Add
	}
	return s.do(ctx, "Resolve conflict of "+c.UUID, o, []edit.Change{{Kind: kind, Layer: c.Table, ID: c.UUID, After: r}},
		func(ctx context.Context, tx *gpkg.Tx) error { return s.markResolved(ctx, tx, c, how) })
}

func (s *Store) markResolved(ctx context.Context, tx *gpkg.Tx, c Conflict, how string) error {
	if err := rememberVersion(ctx, tx, c.Table, c.UUID, contentHash(c.Theirs)); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE ecoatlas_conflicts SET resolved_at = ?, resolution = ? WHERE id = ?`,
		time.Now().UTC().Format(timeLayout), how, c.ID)
	return err
}
