// Package shapefile reads ESRI Shapefiles: the geometries of the .shp,
// the attributes of the .dbf in their code page, and the CRS of the .prj.
// (github.com/twpayne/go-shapefile is not served here; this reader is
// written to the ESRI Shapefile Technical Description of July 1998 and
// tested against files GDAL writes.)
//
// Geometries: points, multipoints, polylines and polygons, in their 2-D,
// M and Z variants, Z and M dropped. A polygon's rings are sorted by
// their winding as the format defines (clockwise outer rings,
// counter-clockwise holes) and each hole goes to the smallest outer ring
// that contains it; a hole inside none becomes an outer ring, as GDAL
// does. Several outer rings make a MultiPolygon, several parts of a
// polyline a MultiLineString. A null shape gives a feature without
// geometry; a MultiPatch is listed as skipped.
//
// Attributes: character fields as text (trailing blanks cut), numeric and
// float fields as numbers, logical fields as booleans, dates as
// YYYY-MM-DD; blank or unreadable values are null. Records marked deleted
// in the .dbf are left out, as GDAL does. The code page comes from the
// .cpg file, else from the .dbf's language driver byte, else the text is
// taken as UTF-8 when it is valid UTF-8 and as Windows-1251 (the code
// page of Cyrillic Windows) when it is not.
//
// Coordinates are returned as stored, in the CRS of the .prj (Result.CRS,
// its text), for the caller to reproject.
//
// Every length the files claim is checked against what is left before
// anything is allocated; a record that breaks the stream (a length past
// the end of the file) ends the reading with an error naming it.
package shapefile

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Errors for errors.Is.
var (
	// ErrNotShapefile is a .shp whose header is not a Shapefile's.
	ErrNotShapefile = errors.New("shapefile: not a Shapefile")
	// ErrCorrupt is a .shp or .dbf whose structure is broken.
	ErrCorrupt = errors.New("shapefile: corrupt file")
	// ErrShapeType is a shape type this reader does not take.
	ErrShapeType = errors.New("unsupported shape type")
	// ErrMissingFile is a Shapefile without its .dbf.
	ErrMissingFile = errors.New("shapefile: missing file")
)

// Result is what a Shapefile holds.
type Result struct {
	Features []layer.Feature
	// Rows are the features' record numbers, from 1.
	Rows    []int
	Skipped []layer.FeatureError
	// CRS is the text of the .prj file, "" without one.
	CRS string
	// Encoding is the name of the .dbf's code page as used.
	Encoding string
	// ShapeType is the .shp's shape type, such as "Polygon" or "PointZ".
	ShapeType string
}

// Options give Read the sidecar files' contents and the file's name.
type Options struct {
	// Name is the .shp's name, for messages.
	Name string
	// PRJ and CPG are the texts of the .prj and .cpg files, "" for none.
	PRJ, CPG string
}

// ReadFS reads the Shapefile whose .shp is name in fsys, with the .dbf,
// .prj and .cpg next to it (their extensions in either case).
func ReadFS(fsys fs.FS, name string) (*Result, error) {
	shp, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("shapefile: %w", err)
	}
	defer shp.Close()
	base := strings.TrimSuffix(name, path.Ext(name))
	sidecar := func(ext string) (fs.File, error) {
		for _, e := range []string{ext, strings.ToUpper(ext)} {
			if f, err := fsys.Open(base + e); err == nil {
				return f, nil
			}
		}
		return nil, fmt.Errorf("%w: %s has no %s", ErrMissingFile, path.Base(name), ext)
	}
	text := func(ext string) string {
		f, err := sidecar(ext)
		if err != nil {
			return ""
		}
		defer f.Close()
		b, _ := io.ReadAll(io.LimitReader(f, 1<<20))
		return strings.TrimSpace(string(b))
	}
	dbf, err := sidecar(".dbf")
	if err != nil {
		return nil, err
	}
	defer dbf.Close()
	return Read(shp, dbf, Options{Name: path.Base(name), PRJ: text(".prj"), CPG: text(".cpg")})
}

// Read reads a Shapefile from its .shp and .dbf streams.
func Read(shp, dbf io.Reader, o Options) (*Result, error) {
	sr := bufio.NewReaderSize(shp, 64<<10)
	shapeType, fileLen, err := readHeader(sr)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNotShapefile, o.Name, err)
	}
	d, err := newDBF(bufio.NewReaderSize(dbf, 64<<10), o.CPG)
	if err != nil {
		return nil, fmt.Errorf("shapefile: %s: .dbf: %w", o.Name, err)
	}
	res := &Result{CRS: o.PRJ, Encoding: d.encodingName, ShapeType: shapeTypeName(shapeType)}
	left := fileLen - 100
	for n := 1; left > 0; n++ {
		if left < 8 {
			return nil, fmt.Errorf("%w: %s: %d stray bytes after record %d", ErrCorrupt, o.Name, left, n-1)
		}
		var head [8]byte
		if _, err := io.ReadFull(sr, head[:]); err != nil {
			return nil, fmt.Errorf("%w: %s: record %d: %v", ErrCorrupt, o.Name, n, err)
		}
		words := int64(binary.BigEndian.Uint32(head[4:]))
		size := 2 * words
		left -= 8
		if size < 4 || size > left {
			return nil, fmt.Errorf("%w: %s: record %d claims %d bytes, %d are left", ErrCorrupt, o.Name, n, size, left)
		}
		// The header's lengths may lie: read what is there, growing the
		// buffer only as data comes.
		content, err := io.ReadAll(io.LimitReader(sr, size))
		if err != nil {
			return nil, fmt.Errorf("shapefile: %s: record %d: %w", o.Name, n, err)
		}
		if int64(len(content)) != size {
			return nil, fmt.Errorf("%w: %s: record %d claims %d bytes, the file ends after %d", ErrCorrupt, o.Name, n, size, len(content))
		}
		left -= size
		props, deleted, err := d.next()
		if err != nil {
			return nil, fmt.Errorf("shapefile: %s: .dbf record %d: %w", o.Name, n, err)
		}
		if deleted {
			continue
		}
		g, err := readShape(content)
		if err != nil {
			res.Skipped = append(res.Skipped, layer.FeatureError{File: o.Name, Feature: n, Noun: "record", Field: "shape", Err: err})
			continue
		}
		res.Features = append(res.Features, layer.Feature{Geometry: g, Properties: layer.PropertiesFromMap(props)})
		res.Rows = append(res.Rows, n)
	}
	return res, nil
}

// readHeader reads the 100-byte .shp header and returns the shape type
// and the file's length in bytes.
func readHeader(r io.Reader) (int, int64, error) {
	var h [100]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, 0, fmt.Errorf("the 100-byte header is cut short")
	}
	if code := binary.BigEndian.Uint32(h[0:]); code != 9994 {
		return 0, 0, fmt.Errorf("file code %d, not 9994", code)
	}
	if v := binary.LittleEndian.Uint32(h[28:]); v != 1000 {
		return 0, 0, fmt.Errorf("version %d, not 1000", v)
	}
	return int(binary.LittleEndian.Uint32(h[32:])), 2 * int64(binary.BigEndian.Uint32(h[24:])), nil
}

func shapeTypeName(t int) string {
	names := map[int]string{0: "Null", 1: "Point", 3: "PolyLine", 5: "Polygon", 8: "MultiPoint",
		11: "PointZ", 13: "PolyLineZ", 15: "PolygonZ", 18: "MultiPointZ",
		21: "PointM", 23: "PolyLineM", 25: "PolygonM", 28: "MultiPointM", 31: "MultiPatch"}
	if n, ok := names[t]; ok {
		return n
	}
	return fmt.Sprintf("type %d", t)
}

// readShape reads one record's content.
func readShape(b []byte) (orb.Geometry, error) {
	t := int(binary.LittleEndian.Uint32(b))
	b = b[4:]
	switch t {
	case 0:
		return nil, nil
	case 1, 11, 21:
		if len(b) < 16 {
			return nil, fmt.Errorf("%w: a point of %d bytes", ErrCorrupt, len(b))
		}
		p := orb.Point{f64(b, 0), f64(b, 8)}
		if !finite(p) {
			return nil, nil // no-data point
		}
		return p, nil
	case 8, 18, 28:
		if len(b) < 36 {
			return nil, fmt.Errorf("%w: a multipoint of %d bytes", ErrCorrupt, len(b))
		}
		n := int(binary.LittleEndian.Uint32(b[32:]))
		if n < 0 || n > (len(b)-36)/16 {
			return nil, fmt.Errorf("%w: %d points claimed in %d bytes", ErrCorrupt, n, len(b))
		}
		mp := make(orb.MultiPoint, n)
		for i := range mp {
			mp[i] = orb.Point{f64(b, 36+16*i), f64(b, 44+16*i)}
		}
		return mp, nil
	case 3, 13, 23, 5, 15, 25:
		parts, err := readParts(b)
		if err != nil {
			return nil, err
		}
		if t%10 == 3 {
			if len(parts) == 1 {
				return orb.LineString(parts[0]), nil
			}
			ml := make(orb.MultiLineString, len(parts))
			for i, p := range parts {
				ml[i] = p
			}
			return ml, nil
		}
		return assemble(parts), nil
	default:
		return nil, fmt.Errorf("%w: %s", ErrShapeType, shapeTypeName(t))
	}
}

// readParts reads the parts and points of a polyline or polygon.
func readParts(b []byte) ([][]orb.Point, error) {
	if len(b) < 40 {
		return nil, fmt.Errorf("%w: a shape of %d bytes", ErrCorrupt, len(b))
	}
	numParts := int(binary.LittleEndian.Uint32(b[32:]))
	numPoints := int(binary.LittleEndian.Uint32(b[36:]))
	if numParts < 0 || numPoints < 0 || numParts > (len(b)-40)/4 || numPoints > (len(b)-40-4*numParts)/16 {
		return nil, fmt.Errorf("%w: %d parts and %d points claimed in %d bytes", ErrCorrupt, numParts, numPoints, len(b))
	}
	starts := make([]int, numParts+1)
	for i := range numParts {
		starts[i] = int(binary.LittleEndian.Uint32(b[40+4*i:]))
	}
	starts[numParts] = numPoints
	at := 40 + 4*numParts
	pts := make([]orb.Point, numPoints)
	for i := range pts {
		pts[i] = orb.Point{f64(b, at+16*i), f64(b, at+16*i+8)}
	}
	parts := make([][]orb.Point, 0, numParts)
	for i := range numParts {
		s, e := starts[i], starts[i+1]
		if s < 0 || s > e || e > numPoints {
			return nil, fmt.Errorf("%w: part %d runs from point %d to %d of %d", ErrCorrupt, i+1, s, e, numPoints)
		}
		if e > s {
			parts = append(parts, pts[s:e:e])
		}
	}
	return parts, nil
}

// assemble sorts a polygon record's rings into shells and holes.
func assemble(rings [][]orb.Point) orb.Geometry {
	var shells []orb.Polygon
	var holes []orb.Ring
	for _, pts := range rings {
		r := orb.Ring(pts)
		if len(r) > 0 && r[0] != r[len(r)-1] {
			r = append(r, r[0])
		}
		if len(r) < 4 || r.Orientation() != orb.CCW { // clockwise: an outer ring
			shells = append(shells, orb.Polygon{r})
		} else {
			holes = append(holes, r)
		}
	}
	for _, h := range holes {
		best := -1
		for i, s := range shells {
			if planar.RingContains(s[0], h[0]) && (best < 0 || planar.Area(s[0]) < planar.Area(shells[best][0])) {
				best = i
			}
		}
		if best < 0 {
			shells = append(shells, orb.Polygon{h})
			continue
		}
		shells[best] = append(shells[best], h)
	}
	switch len(shells) {
	case 0:
		return nil
	case 1:
		return shells[0]
	default:
		return orb.MultiPolygon(shells)
	}
}

func f64(b []byte, at int) float64 {
	return math.Float64frombits(binary.LittleEndian.Uint64(b[at:]))
}

func finite(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsNaN(p[1]) && !math.IsInf(p[0], 0) && !math.IsInf(p[1], 0) &&
		p[0] > -1e38 && p[1] > -1e38 // the format's "no data" is any value below -1e38
}
