package sites

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ecoatlas/ecoatlas/geo/edit"
	"github.com/ecoatlas/ecoatlas/geo/gpkg"
	"github.com/paulmach/orb"
)

// ErrFormat is an export to a file name whose extension names no format
// an export writes.
var ErrFormat = errors.New("sites: unsupported export format")

// ExportReport counts what an export wrote.
type ExportReport struct {
	Sites, Inspections, Photos int
}

// Export writes the sites changed (created or modified) at or after
// since, or all sites when since is zero, to a new file whose extension
// picks the format:
//
//   - .gpkg: a store of its own with those sites, the inspections and
//     photos changed since, and the content hashes of their earlier
//     states, which is what another inspector merges;
//   - .geojson or .json: a GeoJSON FeatureCollection of the sites;
//   - .csv: one row per site, lon and lat first.
//
// The file is written next to its destination and renamed into place,
// so a failed export leaves nothing behind; an existing file is refused.
func (s *Store) Export(ctx context.Context, since time.Time, path string) (ExportReport, error) {
	if _, err := os.Stat(path); err == nil {
		return ExportReport{}, fmt.Errorf("sites: %s: %w", path, gpkg.ErrExists)
	}
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".gpkg", ".geojson", ".json", ".csv":
	default:
		return ExportReport{}, fmt.Errorf("%w %q: use .gpkg, .geojson or .csv", ErrFormat, ext)
	}
	cond, args := `1`, []any(nil)
	if !since.IsZero() {
		cond, args = `modified_at >= ?`, []any{since.UTC().Format(timeLayout)}
	}
	var sites []uuidRecord
	err := s.each(ctx, s.sites, cond, args, func(uuid string, r *edit.Record) { sites = append(sites, uuidRecord{uuid, r}) })
	if err != nil {
		return ExportReport{}, err
	}
	tmp := filepath.Join(filepath.Dir(path), ".export-"+NewUUID()+ext)
	defer os.Remove(tmp)
	report := ExportReport{Sites: len(sites)}
	switch ext {
	case ".gpkg":
		err = s.exportStore(ctx, tmp, sites, cond, args, &report)
	case ".csv":
		err = writeFile(tmp, func(w io.Writer) error { return writeCSV(w, sites) })
	default:
		err = writeFile(tmp, func(w io.Writer) error { return writeGeoJSON(w, sites) })
	}
	if err != nil {
		return ExportReport{}, fmt.Errorf("sites: exporting to %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return ExportReport{}, fmt.Errorf("sites: %w", err)
	}
	return report, nil
}

// exportStore writes a store with the sites and the inspections and
// photos changed since.
func (s *Store) exportStore(ctx context.Context, path string, sites []uuidRecord, cond string, args []any, report *ExportReport) error {
	out, err := CreateEmpty(ctx, path)
	if err != nil {
		return err
	}
	defer func() {
		out.Close()
		os.Remove(path + "-wal")
		os.Remove(path + "-shm")
	}()
	var inspections, photos []uuidRecord
	if err := s.each(ctx, s.inspections, cond, args, func(u string, r *edit.Record) { inspections = append(inspections, uuidRecord{u, r}) }); err != nil {
		return err
	}
	photoCond := strings.Replace(cond, "modified_at", "created_at", 1)
	if err := s.each(ctx, s.photos, photoCond, args, func(u string, r *edit.Record) { photos = append(photos, uuidRecord{u, r}) }); err != nil {
		return err
	}
	report.Inspections, report.Photos = len(inspections), len(photos)
	return out.db.Update(ctx, func(tx *gpkg.Tx) error {
		for _, part := range []struct {
			t       *recordTable
			records []uuidRecord
		}{{out.sites, sites}, {out.inspections, inspections}, {out.photos, photos}} {
			for _, rec := range part.records {
				if err := part.t.Put(ctx, tx, rec.uuid, nil, rec.r); err != nil {
					return err
				}
			}
			versions, err := versionsOf(ctx, s.db.SQL(), part.t.name)
			if err != nil {
				return err
			}
			for _, rec := range part.records {
				for h := range versions[rec.uuid] {
					if err := rememberVersion(ctx, tx, part.t.name, rec.uuid, h); err != nil {
						return err
					}
				}
			}
		}
		for _, rec := range photos {
			p := photoFromRecord(rec.uuid, rec.r)
			data, err := s.PhotoData(ctx, p.SHA256)
			if err != nil {
				return err
			}
			if err := storePhotoData(ctx, tx, p, data); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeFile writes a file through a buffer and syncs it.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	err = write(w)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// exportColumns are the columns of a flat export, after uuid, lon, lat.
func exportColumns() []string {
	cols := make([]string, 0, len(SiteFields)+4)
	for _, f := range SiteFields {
		cols = append(cols, f.Name)
	}
	return append(cols, siteMeta...)
}

func writeGeoJSON(w io.Writer, sites []uuidRecord) error {
	type feature struct {
		Type       string         `json:"type"`
		ID         string         `json:"id"`
		Geometry   any            `json:"geometry"`
		Properties map[string]any `json:"properties"`
	}
	if _, err := io.WriteString(w, `{"type":"FeatureCollection","features":[`); err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	for i, rec := range sites {
		if i > 0 {
			if _, err := io.WriteString(w, ","); err != nil {
				return err
			}
		}
		props := map[string]any{ColUUID: rec.uuid}
		for _, c := range exportColumns() {
			props[c] = rec.r.Properties[c]
		}
		var geometry any
		if p, ok := rec.r.Geometry.(orb.Point); ok {
			geometry = map[string]any{"type": "Point", "coordinates": [2]float64{p[0], p[1]}}
		}
		if err := enc.Encode(feature{Type: "Feature", ID: rec.uuid, Geometry: geometry, Properties: props}); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "]}\n")
	return err
}

func writeCSV(w io.Writer, sites []uuidRecord) error {
	cw := csv.NewWriter(w)
	cols := exportColumns()
	if err := cw.Write(append([]string{ColUUID, "lon", "lat"}, cols...)); err != nil {
		return err
	}
	for _, rec := range sites {
		row := []string{rec.uuid, "", ""}
		if p, ok := rec.r.Geometry.(orb.Point); ok {
			row[1], row[2] = FormatNumber(p[0]), FormatNumber(p[1])
		}
		for _, c := range cols {
			switch v := rec.r.Properties[c].(type) {
			case string:
				row = append(row, v)
			case float64:
				row = append(row, FormatNumber(v))
			default:
				row = append(row, "")
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
