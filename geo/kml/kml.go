// Package kml reads placemarks from KML 2.2 files and KMZ archives, as
// Google Earth, GDAL and GPS software write them: points, lines, polygons
// with holes and multi-geometries, with their name, description and
// extended data as properties, and the path of folders they sit in as
// "folder" ("Sites/Uranium"). Coordinates are WGS 84 longitude and
// latitude, as KML defines them; altitudes are dropped.
//
// KML is read as a stream of XML tokens with encoding/xml (go-kml, the
// library the ecosystem has, only writes). A placemark with a coordinate
// that does not parse or lies off the globe is not taken; it is listed in
// Result.Skipped as "placemark N", counting placemarks from 1 in document
// order.
//
// A KMZ is a zip archive whose KML is doc.kml or else its first .kml
// file. It is opened with care, since archives come from anywhere: one
// with an entry whose name escapes the archive (an absolute path, "..",
// a backslash) is refused, as is one with more than MaxEntries entries, a
// KML over MaxKMLSize, or one that inflates more than MaxRatio times its
// compressed size (a zip bomb); the size is enforced while reading, not
// only trusted from the archive's directory.
package kml

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/paulmach/orb"
)

// Limits on KMZ archives.
const (
	MaxKMLSize = 256 << 20
	MaxEntries = 10000
	MaxRatio   = 200
)

// Errors for errors.Is.
var (
	// ErrNotKML is a file whose root element is not <kml>.
	ErrNotKML = errors.New("kml: not a KML file")
	// ErrHostileArchive is a KMZ refused for its entry names or sizes.
	ErrHostileArchive = errors.New("kml: refused KMZ archive")
	// ErrNoKML is a KMZ without a .kml file.
	ErrNoKML = errors.New("kml: no KML file in the KMZ archive")
	// ErrCoordinates is a placemark whose coordinates do not parse or lie
	// off the globe.
	ErrCoordinates = errors.New("bad coordinates")
	// ErrNoGeometry is a placemark without a geometry this reader knows.
	ErrNoGeometry = errors.New("no Point, LineString, Polygon or MultiGeometry")
)

// Result is what a KML file holds.
type Result struct {
	// Name is the document's name, "" if it has none.
	Name     string
	Features []layer.Feature
	// Rows are the features' placemark numbers.
	Rows    []int
	Skipped []layer.FeatureError
}

type coordinates struct {
	Text string `xml:"coordinates"`
}

type polygon struct {
	Outer coordinates   `xml:"outerBoundaryIs>LinearRing"`
	Inner []coordinates `xml:"innerBoundaryIs>LinearRing"`
}

type multiGeometry struct {
	Points   []coordinates   `xml:"Point"`
	Lines    []coordinates   `xml:"LineString"`
	Rings    []coordinates   `xml:"LinearRing"`
	Polygons []polygon       `xml:"Polygon"`
	Multi    []multiGeometry `xml:"MultiGeometry"`
}

type placemark struct {
	Name         string `xml:"name"`
	Description  string `xml:"description"`
	ExtendedData struct {
		Data []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value"`
		} `xml:"Data"`
		SchemaData []struct {
			SimpleData []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:",chardata"`
			} `xml:"SimpleData"`
		} `xml:"SchemaData"`
	} `xml:"ExtendedData"`
	multiGeometry
	MultiGeometry *multiGeometry `xml:"MultiGeometry"`
}

// Read reads a KML document. Name is the file's name, for messages.
func Read(r io.Reader, name string) (*Result, error) {
	d := xml.NewDecoder(r)
	d.Strict = true
	res := &Result{}
	var (
		stack   []string // open elements
		folders []string // names of the open Folders and Documents
		count   int
		rooted  bool
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			if !rooted {
				return nil, fmt.Errorf("%w: %s has no <kml> element", ErrNotKML, name)
			}
			return res, nil
		}
		if err != nil {
			return nil, fmt.Errorf("kml: %s: %w", name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			local := t.Name.Local
			if len(stack) == 0 && local != "kml" {
				return nil, fmt.Errorf("%w: %s starts with <%s>", ErrNotKML, name, local)
			}
			rooted = true
			switch {
			case local == "Placemark":
				count++
				var p placemark
				if err := d.DecodeElement(&p, &t); err != nil {
					return nil, fmt.Errorf("kml: %s: placemark %d: %w", name, count, err)
				}
				f, err := p.feature(strings.Join(nonEmpty(folders), "/"))
				if err != nil {
					res.Skipped = append(res.Skipped, layer.FeatureError{File: name, Feature: count, Noun: "placemark", Err: err})
					continue
				}
				res.Features = append(res.Features, f)
				res.Rows = append(res.Rows, count)
				continue
			case local == "name" && len(stack) > 0 && (stack[len(stack)-1] == "Folder" || stack[len(stack)-1] == "Document"):
				var text string
				if err := d.DecodeElement(&text, &t); err != nil {
					return nil, fmt.Errorf("kml: %s: %w", name, err)
				}
				text = strings.TrimSpace(text)
				folders[len(folders)-1] = text
				if stack[len(stack)-1] == "Document" && len(folders) == 1 {
					res.Name = text
					folders[0] = "" // the document's name is not a folder
				}
				continue
			case local == "Folder" || local == "Document":
				folders = append(folders, "")
			}
			stack = append(stack, local)
		case xml.EndElement:
			if len(stack) == 0 {
				continue
			}
			if top := stack[len(stack)-1]; top == "Folder" || top == "Document" {
				folders = folders[:len(folders)-1]
			}
			stack = stack[:len(stack)-1]
		}
	}
}

func nonEmpty(s []string) []string {
	var out []string
	for _, v := range s {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// feature makes a placemark into a feature.
func (p *placemark) feature(folder string) (layer.Feature, error) {
	g, err := p.multiGeometry.geometry(0)
	if err == nil && g == nil && p.MultiGeometry != nil {
		g, err = p.MultiGeometry.geometry(0)
		if err == nil && g != nil {
			g = asMulti(g)
		}
	}
	if err != nil {
		return layer.Feature{}, err
	}
	if g == nil {
		return layer.Feature{}, ErrNoGeometry
	}
	props := map[string]any{}
	set := func(k, v string) {
		if v = strings.TrimSpace(v); k != "" && v != "" {
			props[k] = v
		}
	}
	set("name", p.Name)
	set("description", p.Description)
	set("folder", folder)
	for _, d := range p.ExtendedData.Data {
		set(d.Name, d.Value)
	}
	for _, sd := range p.ExtendedData.SchemaData {
		for _, d := range sd.SimpleData {
			set(d.Name, d.Value)
		}
	}
	return layer.Feature{Geometry: g, Properties: layer.PropertiesFromMap(props)}, nil
}

// maxDepth bounds how deep MultiGeometries may nest.
const maxDepth = 16

// geometry returns the geometries of a multi-geometry: one geometry as
// it is, several as a collection; nil when there is none.
func (m *multiGeometry) geometry(depth int) (orb.Geometry, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("%w: MultiGeometry nested more than %d deep", ErrCoordinates, maxDepth)
	}
	var out orb.Collection
	for _, c := range m.Points {
		pts, err := parse(c.Text)
		if err != nil {
			return nil, err
		}
		if len(pts) != 1 {
			return nil, fmt.Errorf("%w: a Point with %d positions", ErrCoordinates, len(pts))
		}
		out = append(out, pts[0])
	}
	for _, c := range m.Lines {
		pts, err := parse(c.Text)
		if err != nil {
			return nil, err
		}
		out = append(out, orb.LineString(pts))
	}
	for _, c := range m.Rings {
		pts, err := parse(c.Text)
		if err != nil {
			return nil, err
		}
		out = append(out, orb.Polygon{closed(pts)})
	}
	for _, pg := range m.Polygons {
		outer, err := parse(pg.Outer.Text)
		if err != nil {
			return nil, err
		}
		poly := orb.Polygon{closed(outer)}
		for _, in := range pg.Inner {
			pts, err := parse(in.Text)
			if err != nil {
				return nil, err
			}
			poly = append(poly, closed(pts))
		}
		out = append(out, poly)
	}
	for i := range m.Multi {
		g, err := m.Multi[i].geometry(depth + 1)
		if err != nil {
			return nil, err
		}
		if g != nil {
			out = append(out, asMulti(g))
		}
	}
	switch len(out) {
	case 0:
		return nil, nil
	case 1:
		return out[0], nil
	default:
		return out, nil
	}
}

// asMulti turns a collection of points, lines or polygons alone into the
// multi-geometry of that kind.
func asMulti(g orb.Geometry) orb.Geometry {
	c, ok := g.(orb.Collection)
	if !ok {
		return g
	}
	var (
		mp  orb.MultiPoint
		mls orb.MultiLineString
		mpg orb.MultiPolygon
	)
	for _, m := range c {
		switch m := m.(type) {
		case orb.Point:
			mp = append(mp, m)
		case orb.LineString:
			mls = append(mls, m)
		case orb.Polygon:
			mpg = append(mpg, m)
		}
	}
	switch len(c) {
	case len(mp):
		return mp
	case len(mls):
		return mls
	case len(mpg):
		return mpg
	}
	return c
}

// closed returns a ring with its first position repeated at the end.
func closed(pts []orb.Point) orb.Ring {
	if len(pts) > 0 && pts[0] != pts[len(pts)-1] {
		pts = append(pts, pts[0])
	}
	return orb.Ring(pts)
}

// parse reads a coordinates element: whitespace-separated tuples of
// lon,lat[,alt].
func parse(text string) ([]orb.Point, error) {
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return nil, fmt.Errorf("%w: no coordinates", ErrCoordinates)
	}
	pts := make([]orb.Point, 0, len(fields))
	for i, f := range fields {
		parts := strings.Split(f, ",")
		if len(parts) < 2 || len(parts) > 3 {
			return nil, fmt.Errorf("%w: position %d %q is not lon,lat[,alt]", ErrCoordinates, i+1, f)
		}
		lon, err1 := strconv.ParseFloat(parts[0], 64)
		lat, err2 := strconv.ParseFloat(parts[1], 64)
		if err1 != nil || err2 != nil || math.IsNaN(lon) || math.IsNaN(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
			return nil, fmt.Errorf("%w: position %d %q is not a longitude, latitude on the globe", ErrCoordinates, i+1, f)
		}
		pts = append(pts, orb.Point{lon, lat})
	}
	return pts, nil
}

// ReadKMZ reads the KML of a KMZ archive of size bytes.
func ReadKMZ(r io.ReaderAt, size int64, name string) (*Result, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("kml: %s: %w", name, err)
	}
	if len(zr.File) > MaxEntries {
		return nil, fmt.Errorf("%w: %s has %d entries, at most %d are taken", ErrHostileArchive, name, len(zr.File), MaxEntries)
	}
	var doc *zip.File
	for _, f := range zr.File {
		if strings.Contains(f.Name, `\`) || !filepath.IsLocal(f.Name) {
			return nil, fmt.Errorf("%w: %s has an entry %q outside the archive", ErrHostileArchive, name, f.Name)
		}
		isKML := strings.EqualFold(path.Ext(f.Name), ".kml")
		switch {
		case isKML && strings.EqualFold(f.Name, "doc.kml"):
			doc = f
		case isKML && doc == nil:
			doc = f
		}
	}
	if doc == nil {
		return nil, fmt.Errorf("%w: %s", ErrNoKML, name)
	}
	if doc.UncompressedSize64 > MaxKMLSize {
		return nil, fmt.Errorf("%w: %s: %s says it inflates to %d MB, at most %d MB are taken", ErrHostileArchive, name, doc.Name, doc.UncompressedSize64>>20, MaxKMLSize>>20)
	}
	if doc.UncompressedSize64 > 1<<20 && doc.UncompressedSize64 > MaxRatio*max(doc.CompressedSize64, 1) {
		return nil, fmt.Errorf("%w: %s: %s inflates %d times its size", ErrHostileArchive, name, doc.Name, doc.UncompressedSize64/max(doc.CompressedSize64, 1))
	}
	rc, err := doc.Open()
	if err != nil {
		return nil, fmt.Errorf("kml: %s: %w", name, err)
	}
	defer rc.Close()
	lr := &limitedReader{r: rc, left: int64(min(doc.UncompressedSize64, MaxKMLSize))}
	res, err := Read(lr, name+"/"+doc.Name)
	if lr.over || errors.Is(err, zip.ErrChecksum) || errors.Is(err, zip.ErrFormat) {
		// archive/zip stops at the size the directory gives and then
		// checks the CRC: data that do not match their directory entry.
		return nil, fmt.Errorf("%w: %s: %s does not inflate to what its directory says", ErrHostileArchive, name, doc.Name)
	}
	return res, err
}

// limitedReader reads at most left bytes and notes an attempt to read
// past them.
type limitedReader struct {
	r    io.Reader
	left int64
	over bool
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			l.over = true
			return 0, ErrHostileArchive
		}
		if err == nil {
			err = io.EOF
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}
