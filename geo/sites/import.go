package sites

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/ecoatlas/ecoatlas/geo/edit"
	"github.com/ecoatlas/ecoatlas/geo/gpkg"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/paulmach/orb"
)

// Reasons a feature cannot become a site, for errors.Is.
var (
	// ErrNotPoint is a feature whose geometry is not a point.
	ErrNotPoint = errors.New("is not a point: sites are points")
	// ErrNoGeometry is a feature without a geometry.
	ErrNoGeometry = errors.New("has no geometry")
	// ErrDuplicate is a UUID the file has twice or the store has already.
	ErrDuplicate = errors.New("is already taken (merge files that share sites with this store)")
)

// ImportOptions tune an import.
type ImportOptions struct {
	// Name is the file's name, used in messages and the undo label.
	Name string
	// Noun is what the file calls a feature ("row", "placemark", …).
	Noun string
	// Rows are the features' numbers in the file (for a CSV file, the
	// row); the features' positions from 1 when nil.
	Rows []int
	// Set gives fields a value for every site, over the file's.
	Set map[string]string
	// Defaults gives fields a value for sites whose file leaves them
	// empty.
	Defaults map[string]string
	// SkipBad imports the good features and lists the others, instead
	// of importing nothing when one is bad.
	SkipBad bool
	// CheckOnly checks every feature and writes nothing: the report
	// lists the bad ones in Skipped (Added stays 0), so that a caller can
	// show every fault of a file before anything is imported.
	CheckOnly bool
	// By is who imports.
	By string
	// Progress, when not nil, is called now and then with the number of
	// sites written and the total.
	Progress func(done, total int)
}

// ImportReport is what an import did.
type ImportReport struct {
	// Added is how many sites were added.
	Added int
	// Skipped lists the features not imported, with the field at fault.
	Skipped []layer.FeatureError
	// Result is the undoable step of the import.
	Result edit.Result
}

// ImportError is an import that wrote nothing because features were bad;
// it lists every fault.
type ImportError struct {
	File   string
	Errors []layer.FeatureError
}

// Error lists the first faults.
func (e *ImportError) Error() string {
	const shown = 5
	var b strings.Builder
	fmt.Fprintf(&b, "sites: %s: nothing imported, %d problems", e.File, len(e.Errors))
	for i := range e.Errors[:min(shown, len(e.Errors))] {
		b.WriteString("; ")
		b.WriteString(e.Errors[i].Error())
	}
	if len(e.Errors) > shown {
		fmt.Fprintf(&b, "; and %d more", len(e.Errors)-shown)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ImportError) Is(target error) bool { return target == ErrInvalid }

// Import adds features as sites, in one transaction and one undoable
// step: every site is written, or none. Each feature must be a point in
// WGS 84 lon/lat (readers reproject); its properties fill the site fields
// whose names they match (see siteFromFeature).
func (s *Store) Import(ctx context.Context, features []layer.Feature, o ImportOptions) (ImportReport, error) {
	existing, err := s.uuids(ctx, s.sites)
	if err != nil {
		return ImportReport{}, err
	}
	now := time.Now()
	var (
		bad     []layer.FeatureError
		ids     = make([]string, 0, len(features))
		records = make([]*edit.Record, 0, len(features))
	)
	fail := func(i int, field, value string, reason error) {
		row := i + 1
		if o.Rows != nil {
			row = o.Rows[i]
		}
		bad = append(bad, layer.FeatureError{File: o.Name, Feature: row, Noun: o.Noun, Field: field, Value: value, Err: reason})
	}
	prepared := prepare(features, o, now)
	for i := range prepared {
		p := &prepared[i]
		if p.geomErr != nil {
			fail(i, "geometry", "", p.geomErr)
			continue
		}
		if p.invalid != nil {
			for _, fe := range p.invalid.Fields {
				fail(i, fe.Field, fe.Value, fieldReason(fe))
			}
			continue
		}
		if existing[p.uuid] {
			fail(i, ColUUID, p.uuid, ErrDuplicate)
			continue
		}
		existing[p.uuid] = true
		ids, records = append(ids, p.uuid), append(records, p.record)
	}
	if len(bad) > 0 && !o.SkipBad && !o.CheckOnly {
		return ImportReport{}, &ImportError{File: o.Name, Errors: bad}
	}
	report := ImportReport{Skipped: bad}
	if len(ids) == 0 || o.CheckOnly {
		return report, nil
	}
	var progress func(int)
	if o.Progress != nil {
		progress = func(done int) { o.Progress(done, len(ids)) }
	}
	label := fmt.Sprintf("Import %d sites from %s", len(ids), o.Name)
	err = s.db.Update(ctx, func(tx *gpkg.Tx) error {
		report.Result, err = s.history.AddNew(ctx, tx, label, o.By, SitesTable, ids, records, progress)
		return err
	})
	if err != nil {
		return ImportReport{}, fmt.Errorf("sites: importing %s: %w", o.Name, err)
	}
	report.Added = len(ids)
	if o.Progress != nil {
		o.Progress(len(ids), len(ids))
	}
	return report, nil
}

// preparedSite is a feature made into a site record, or why it cannot be.
type preparedSite struct {
	uuid    string
	record  *edit.Record
	geomErr error
	invalid *ValidationError
}

// prepare makes features into site records on every core.
func prepare(features []layer.Feature, o ImportOptions, now time.Time) []preparedSite {
	out := make([]preparedSite, len(features))
	const chunk = 2048
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for start := 0; start < len(features); start += chunk {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			for i := start; i < min(start+chunk, len(features)); i++ {
				p := &out[i]
				site, err := siteFromFeature(&features[i], o.Defaults)
				if err != nil {
					p.geomErr = err
					continue
				}
				for k, v := range o.Set {
					site.Values[k] = v
				}
				if err := site.Validate(); err != nil {
					errors.As(err, &p.invalid)
					continue
				}
				site.CreatedAt, site.CreatedBy, site.ModifiedAt, site.ModifiedBy = now, o.By, now, o.By
				p.uuid, p.record = site.UUID, site.record()
			}
		}()
	}
	wg.Wait()
	return out
}

// fieldReason keeps a field error's detail in the reason of a feature
// error.
func fieldReason(fe FieldError) error {
	if fe.Detail == "" {
		return fe.Reason
	}
	return fmt.Errorf("%w (%s)", fe.Reason, fe.Detail)
}

// uuids returns the UUIDs a table has.
func (s *Store) uuids(ctx context.Context, t *recordTable) (map[string]bool, error) {
	rows, err := s.db.SQL().QueryContext(ctx, `SELECT uuid FROM `+quote(t.name))
	if err != nil {
		return nil, fmt.Errorf("sites: %s: %w", t.name, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, err
		}
		out[u] = true
	}
	return out, rows.Err()
}

// aliases are other names files give site fields: GPX's "desc" and
// "cmt", common English words, and the names of the embedded layer.
var aliases = map[string]string{
	"title": "name", "label": "name", "site": "name", "site_name": "name",
	"name_rus": "name_ru", "название": "name_ru",
	"country_code": "country", "iso3": "country", "iso_a3": "country",
	"site_type": "type", "category": "type",
	"hazard_class": "hazard", "gistm": "hazard", "consequence": "hazard",
	"precision": "coord_precision", "position_precision": "coord_precision",
	"volume": "volume_m3", "area": "area_ha", "dam_height": "dam_height_m", "height_m": "dam_height_m",
	"operator_name": "operator", "company": "operator",
	"description": "notes", "desc": "notes", "cmt": "notes", "comment": "notes", "note": "notes",
	"src": "source",
}

var underscores = strings.NewReplacer(" ", "_", "-", "_")

// fieldFor returns the site field a property name stands for: the name
// itself (in any case, with spaces or hyphens for underscores), its first
// ten characters (a Shapefile's .dbf cuts names there), or an alias.
func fieldFor(key string) (string, bool) {
	k := underscores.Replace(strings.ToLower(strings.TrimSpace(key)))
	if k == ColUUID {
		return k, true
	}
	for _, f := range SiteFields {
		if k == f.Name || len(f.Name) > 10 && k == f.Name[:10] {
			return f.Name, true
		}
	}
	f, ok := aliases[k]
	return f, ok
}

// siteFromFeature makes a site of a feature: its point, a "uuid"
// property when it holds a valid UUID (in any case), else a new UUID;
// and the properties that match site fields, with choice values matched
// to the codes by code or label in any case ("Very high" is very_high,
// "Kazakhstan" is KAZ). Defaults fill fields the feature leaves empty.
func siteFromFeature(f *layer.Feature, defaults map[string]string) (Site, error) {
	var p orb.Point
	switch g := f.Geometry.(type) {
	case nil:
		return Site{}, ErrNoGeometry
	case orb.Point:
		p = g
	case orb.MultiPoint:
		if len(g) != 1 {
			return Site{}, fmt.Errorf("a MultiPoint of %d points %w", len(g), ErrNotPoint)
		}
		p = g[0]
	default:
		return Site{}, fmt.Errorf("a %s %w", g.GeoJSONType(), ErrNotPoint)
	}
	site := Site{Position: p, Values: map[string]string{}}
	for _, key := range f.Properties.Keys() {
		field, ok := fieldFor(key)
		if !ok {
			continue
		}
		v, _ := f.Properties.Get(key)
		text := strings.TrimSpace(layer.FormatValue(v))
		if text == "" {
			continue
		}
		if field == ColUUID {
			if u := strings.ToLower(text); ValidUUID(u) {
				site.UUID = u
			}
			continue
		}
		if _, taken := site.Values[field]; taken && !strings.EqualFold(key, field) {
			continue // the field's own name wins over an alias
		}
		site.Values[field] = matchOption(field, text)
	}
	if site.UUID == "" {
		site.UUID = NewUUID()
	}
	for _, fd := range SiteFields {
		if _, ok := site.Values[fd.Name]; ok {
			continue
		}
		if v := defaults[fd.Name]; v != "" {
			site.Values[fd.Name] = v
		} else if fd.Default != "" {
			site.Values[fd.Name] = fd.Default
		}
	}
	return site, nil
}

// matchOption returns the code of a Choice field's option that text names
// by code or label, in any case; other text as it is.
func matchOption(field, text string) string {
	f, ok := SiteField(field)
	if !ok || f.Kind != Choice {
		return text
	}
	norm := strings.ReplaceAll(strings.ToLower(text), " ", "_")
	for _, o := range f.Options {
		if strings.EqualFold(o.Code, text) || strings.EqualFold(o.Label, text) || strings.ToLower(o.Code) == norm {
			return o.Code
		}
	}
	return text
}
