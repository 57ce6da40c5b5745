// Package formats opens vector data files of any format Ecoatlas reads
// and gives their features in WGS 84 longitude/latitude: the one place
// where a file's format is recognised and its coordinates reprojected,
// shared by the CLI's "render --add" and "sites import" and the app's
// "Open…" and import.
//
// The format is recognised by the file's first bytes where they say it
// (SQLite for GeoPackage, a zip archive for KMZ, the Shapefile file code,
// the root element of XML, a JSON object), else by the extension (.csv,
// .tsv, .txt for delimited text). Each format has its reader package:
// [decode] (GeoJSON), [gpkg], [shapefile], [kml], [gpx], [csvpoints].
//
// Coordinates in another CRS than WGS 84 lon/lat are reprojected with
// PROJ ([proj]) from the CRS the file declares (a Shapefile's .prj, a
// GeoPackage table's srs), or the one the caller gives (Options.CRS,
// the CLI's --crs), which wins. A file that declares none (CSV, or a
// Shapefile without .prj) is taken as lon/lat, and refused feature by
// feature when its coordinates cannot be lon/lat. GeoJSON, KML and GPX
// are lon/lat by their specifications.
//
// This is a package of its own, not part of [atlas] which draws, so that
// importing into the store does not depend on the renderer.
package formats

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/csvpoints"
	"github.com/ecoatlas/ecoatlas/geo/decode"
	"github.com/ecoatlas/ecoatlas/geo/gpkg"
	"github.com/ecoatlas/ecoatlas/geo/gpx"
	"github.com/ecoatlas/ecoatlas/geo/kml"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/proj"
	"github.com/ecoatlas/ecoatlas/geo/shapefile"
	"github.com/paulmach/orb"
)

// Format is a file format.
type Format string

// Formats.
const (
	Unknown    Format = ""
	GeoJSON    Format = "GeoJSON"
	GeoPackage Format = "GeoPackage"
	Shapefile  Format = "Shapefile"
	KML        Format = "KML"
	KMZ        Format = "KMZ"
	GPX        Format = "GPX"
	CSV        Format = "CSV"
)

// Errors for errors.Is.
var (
	// ErrUnknownFormat is a file that is none of the formats read.
	ErrUnknownFormat = errors.New("formats: unknown file format")
	// ErrNotLonLat is a feature of a file without a CRS whose
	// coordinates are not longitude/latitude.
	ErrNotLonLat = errors.New("coordinates are not longitude/latitude: give the file's CRS (such as --crs EPSG:32642)")
	// ErrBadFeatures is a file with features that could not be read,
	// refused as a whole; the error is a *FeaturesError listing them.
	ErrBadFeatures = errors.New("formats: features could not be read")
	// ErrNoLayer is a layer name the file does not have.
	ErrNoLayer = errors.New("formats: no such layer")
)

// Options tune Read.
type Options struct {
	// CRS is the CRS of the file's coordinates, over what the file
	// says: "EPSG:N", WKT, a PROJ string. GeoJSON, KML and GPX, lon/lat
	// by definition, refuse another.
	CRS string
	// SkipBad leaves out features that cannot be read and lists them
	// in Data.Skipped, instead of refusing the file.
	SkipBad bool
	// Layer reads only the layer (GeoPackage table, GPX waypoints,
	// routes or tracks) with this name.
	Layer string
	// CSV tunes the reading of delimited text.
	CSV csvpoints.Options
	// Columns names the attributes to read from a GeoPackage: nil reads
	// them all, an empty list none, for a caller that draws features in
	// a style that reads no attribute (other formats keep every
	// attribute, at no cost until it is asked for).
	Columns []string
	// Limits bound what one GeoJSON file may hold (see decode.Limits);
	// the zero value is decode.DefaultLimits.
	Limits decode.Limits
}

// Layer is one layer of a file.
type Layer struct {
	// Name is the layer's name: the file's base name without extension
	// for single-layer files, the table's name for a GeoPackage,
	// waypoints, routes or tracks for GPX.
	Name   string
	Vector *layer.Vector
	// Rows are the features' numbers in the file, in the file's own
	// counting (CSV rows, Shapefile records, placemarks, fids); nil when
	// they are their positions from 1.
	Rows []int
	// Noun is what the file calls a feature: "row", "record", …
	Noun string
	// CRS names the CRS the coordinates were reprojected from, "" when
	// they were lon/lat.
	CRS string
}

// Data is what a file held.
type Data struct {
	Format Format
	Layers []Layer
	// Skipped are the features left out (with SkipBad).
	Skipped []layer.FeatureError
}

// FeaturesError is a file refused for features that could not be read.
type FeaturesError struct {
	File   string
	Errors []layer.FeatureError
}

// Error lists the first faults.
func (e *FeaturesError) Error() string {
	const shown = 5
	var b strings.Builder
	fmt.Fprintf(&b, "formats: %s: %d features could not be read", e.File, len(e.Errors))
	for i := range e.Errors[:min(shown, len(e.Errors))] {
		b.WriteString("; ")
		b.WriteString(e.Errors[i].Error())
	}
	if len(e.Errors) > shown {
		fmt.Fprintf(&b, "; and %d more (skip them to read the rest)", len(e.Errors)-shown)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrBadFeatures) true.
func (e *FeaturesError) Is(target error) bool { return target == ErrBadFeatures }

// Detect recognises a file's format from its name and first bytes.
func Detect(path string, head []byte) Format {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	switch {
	case bytes.HasPrefix(head, []byte("SQLite format 3\x00")):
		return GeoPackage
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return KMZ
	case len(head) >= 4 && bytes.Equal(head[:4], []byte{0, 0, 0x27, 0x0a}):
		return Shapefile
	}
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if bytes.HasPrefix(trimmed, []byte("<")) {
		switch root := rootElement(trimmed); root {
		case "kml":
			return KML
		case "gpx":
			return GPX
		}
	}
	if bytes.HasPrefix(trimmed, []byte("{")) {
		return GeoJSON
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".geojson", ".json":
		return GeoJSON
	case ".gpkg":
		return GeoPackage
	case ".shp":
		return Shapefile
	case ".kml":
		return KML
	case ".kmz":
		return KMZ
	case ".gpx":
		return GPX
	case ".csv", ".tsv", ".txt":
		return CSV
	}
	return Unknown
}

// rootElement returns the local name of the first element of XML text,
// past the declaration, comments and doctype.
func rootElement(b []byte) string {
	for {
		i := bytes.IndexByte(b, '<')
		if i < 0 || i+1 >= len(b) {
			return ""
		}
		b = b[i+1:]
		if b[0] == '?' || b[0] == '!' {
			continue
		}
		end := bytes.IndexAny(b, " \t\r\n>/")
		if end < 0 {
			return ""
		}
		name := string(b[:end])
		if j := strings.LastIndexByte(name, ':'); j >= 0 {
			name = name[j+1:]
		}
		return strings.ToLower(name)
	}
}

// Read reads a file. Errors name the file by path, as the caller gave
// it; a feature that cannot be read or reprojected refuses the file
// (listing every such feature) unless o.SkipBad.
func Read(ctx context.Context, path string, o Options) (*Data, error) {
	name := path
	// Only a regular file is read: a named pipe could block for ever, a
	// device be endless.
	f, _, err := decode.OpenRegular(path)
	if err != nil {
		return nil, fmt.Errorf("formats: %w", err)
	}
	defer f.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("formats: %s: %w", name, err)
	}
	format := Detect(path, head[:n])
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("formats: %s: %w", name, err)
	}
	r := reader{ctx: ctx, path: path, name: name, file: f, o: o, data: &Data{Format: format}}
	switch format {
	case GeoJSON:
		err = r.geojson()
	case GeoPackage:
		err = r.geopackage()
	case Shapefile:
		err = r.shapefile()
	case KML:
		err = r.kml(false)
	case KMZ:
		err = r.kml(true)
	case GPX:
		err = r.gpx()
	case CSV:
		err = r.csv()
	default:
		return nil, fmt.Errorf("%w: %s (GeoJSON, GeoPackage, Shapefile, KML, KMZ, GPX and CSV are read)", ErrUnknownFormat, name)
	}
	if err != nil {
		return nil, err
	}
	if o.Layer != "" && len(r.data.Layers) == 0 {
		return nil, fmt.Errorf("%w: %s has no layer %q", ErrNoLayer, name, o.Layer)
	}
	if len(r.data.Skipped) > 0 && !o.SkipBad {
		return nil, &FeaturesError{File: name, Errors: r.data.Skipped}
	}
	return r.data, nil
}

// reader is the state of one Read.
type reader struct {
	ctx  context.Context
	path string
	name string
	file *os.File
	o    Options
	data *Data
}

// wanted reports whether a layer is to be read.
func (r *reader) wanted(layerName string) bool {
	return r.o.Layer == "" || strings.EqualFold(r.o.Layer, layerName)
}

// baseName is a single-layer file's layer name.
func (r *reader) baseName() string {
	base := filepath.Base(r.path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// lonLatOnly refuses a CRS option for a format that is lon/lat by
// definition.
func (r *reader) lonLatOnly(format string) error {
	if r.o.CRS == "" {
		return nil
	}
	c, err := proj.Parse(r.o.CRS)
	if err != nil {
		return fmt.Errorf("formats: --crs: %w", err)
	}
	if c.EPSG() != 4326 {
		return fmt.Errorf("formats: %s: %s is always WGS 84 longitude/latitude, not %s", r.name, format, c)
	}
	return nil
}

func (r *reader) geojson() error {
	if err := r.lonLatOnly("GeoJSON (RFC 7946)"); err != nil {
		return err
	}
	v, err := decode.GeoJSONReader(r.ctx, r.file, r.name, r.o.Limits)
	if err != nil {
		return err
	}
	r.data.Layers = append(r.data.Layers, Layer{Name: r.baseName(), Vector: v, Noun: "feature"})
	return nil
}

// add reprojects features from a CRS (the option's, else declared; ""
// for lon/lat) and adds them as a layer.
func (r *reader) add(name, noun, declared string, features []layer.Feature, rows []int) error {
	crs := r.o.CRS
	if crs == "" {
		crs = declared
	}
	var t *proj.Transform
	var from string
	if crs != "" {
		c, err := proj.Parse(crs)
		if err != nil {
			return fmt.Errorf("formats: %s: %w", r.name, err)
		}
		if c.EPSG() != 4326 {
			if t, err = proj.ToWGS84(c); err != nil {
				return fmt.Errorf("formats: %s: %w", r.name, err)
			}
			from = c.String()
		}
	}
	kept := features[:0]
	var keptRows []int
	for i := range features {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		f := features[i]
		row := i + 1
		if rows != nil {
			row = rows[i]
		}
		var err error
		switch {
		case f.Geometry == nil:
		case t != nil:
			f.Geometry, err = t.ForwardGeometry(f.Geometry)
		case !lonLat(f.Geometry.Bound()):
			err = ErrNotLonLat
		}
		if err != nil {
			r.data.Skipped = append(r.data.Skipped, layer.FeatureError{File: r.name, Feature: row, Noun: noun, Field: "geometry", Err: err})
			continue
		}
		kept = append(kept, f)
		keptRows = append(keptRows, row)
	}
	r.data.Layers = append(r.data.Layers, Layer{Name: name, Vector: layer.NewVector(kept), Rows: keptRows, Noun: noun, CRS: from})
	return nil
}

func lonLat(b orb.Bound) bool {
	return b.Min[0] >= -180 && b.Max[0] <= 180 && b.Min[1] >= -90 && b.Max[1] <= 90
}

func (r *reader) shapefile() error {
	dir, base := filepath.Split(r.path)
	if dir == "" {
		dir = "."
	}
	res, err := shapefile.ReadFS(os.DirFS(dir), base)
	if err != nil {
		return err
	}
	r.data.Skipped = append(r.data.Skipped, res.Skipped...)
	return r.add(r.baseName(), "record", res.CRS, res.Features, res.Rows)
}

func (r *reader) kml(zipped bool) error {
	if err := r.lonLatOnly("KML"); err != nil {
		return err
	}
	var (
		res *kml.Result
		err error
	)
	if zipped {
		st, serr := r.file.Stat()
		if serr != nil {
			return fmt.Errorf("formats: %s: %w", r.name, serr)
		}
		res, err = kml.ReadKMZ(r.file, st.Size(), r.name)
		if errors.Is(err, kml.ErrNoKML) {
			return fmt.Errorf("%w (a zip archive is read as KMZ; unzip a zipped Shapefile first)", err)
		}
	} else {
		res, err = kml.Read(r.file, r.name)
	}
	if err != nil {
		return err
	}
	r.data.Skipped = append(r.data.Skipped, res.Skipped...)
	return r.add(r.baseName(), "placemark", "", res.Features, res.Rows)
}

func (r *reader) gpx() error {
	if err := r.lonLatOnly("GPX"); err != nil {
		return err
	}
	res, err := gpx.Read(r.file, r.name)
	if err != nil {
		return err
	}
	r.data.Skipped = append(r.data.Skipped, res.Skipped...)
	for _, l := range []struct {
		name, noun string
		features   []layer.Feature
	}{{"waypoints", "waypoint", res.Waypoints}, {"routes", "route", res.Routes}, {"tracks", "track", res.Tracks}} {
		if len(l.features) > 0 && r.wanted(l.name) {
			if err := r.add(l.name, l.noun, "", l.features, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *reader) csv() error {
	res, err := csvpoints.Read(r.file, r.name, r.o.CSV)
	if err != nil {
		return err
	}
	r.data.Skipped = append(r.data.Skipped, res.Skipped...)
	return r.add(r.baseName(), "row", "", res.Features, res.Rows)
}

func (r *reader) geopackage() error {
	db, err := gpkg.OpenReadOnly(r.ctx, r.path)
	if err != nil {
		return err
	}
	defer db.Close()
	contents, err := db.Contents(r.ctx)
	if err != nil {
		return err
	}
	for _, c := range contents {
		if c.GeometryColumn == "" || !r.wanted(c.Table) {
			continue
		}
		t, err := db.Table(r.ctx, c.Table, gpkg.TableOptions{IDColumn: idColumn(r.ctx, db, c.Table)})
		if err != nil {
			return err
		}
		opts := gpkg.LoadOptions{SkipBad: true, Columns: r.o.Columns}
		crs := r.o.CRS
		if crs == "" && !t.SRS().IsLonLat() {
			crs = t.SRS().CRS()
			if crs == "" {
				return fmt.Errorf("formats: %s: table %s has an undefined srs_id %d: give its CRS", r.name, c.Table, t.SRS().ID)
			}
		}
		from := ""
		if crs != "" {
			pc, err := proj.Parse(crs)
			if err != nil {
				return fmt.Errorf("formats: %s: table %s: %w", r.name, c.Table, err)
			}
			if pc.EPSG() != 4326 {
				tr, err := proj.ToWGS84(pc)
				if err != nil {
					return fmt.Errorf("formats: %s: table %s: %w", r.name, c.Table, err)
				}
				opts.Transform, from = tr.ForwardGeometry, pc.String()
			}
		}
		if opts.Transform == nil && !t.SRS().IsLonLat() {
			// The caller says the table is lon/lat.
			opts.Transform = func(g orb.Geometry) (orb.Geometry, error) { return g, nil }
		}
		v, skipped, err := t.Load(r.ctx, opts)
		if err != nil {
			return err
		}
		for i := range skipped {
			skipped[i].File, skipped[i].Noun = r.name, "row with fid"
		}
		r.data.Skipped = append(r.data.Skipped, skipped...)
		r.data.Layers = append(r.data.Layers, Layer{Name: c.Table, Vector: v, Noun: "row", CRS: from})
	}
	return nil
}

// idColumn returns "uuid" when a table has such a column: the features'
// stable IDs (a store's sites); "" otherwise.
func idColumn(ctx context.Context, db *gpkg.DB, table string) string {
	var n int
	err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info(?) WHERE lower(name) = 'uuid'`, table).Scan(&n)
	if err == nil && n > 0 {
		return "uuid"
	}
	return ""
}
