package decode

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/internal/jsonscan"
	"github.com/ecoatlas/ecoatlas/geo/layer"
)

// GeoJSON decodes a GeoJSON text into a layer. Name is the file's name,
// used in errors. The features' properties point into data, which must
// not be modified afterwards.
func GeoJSON(data []byte, name string) (*layer.Vector, error) {
	features, f := readDocument(data)
	if f != nil {
		return nil, f.error(data, name)
	}
	return layer.NewVector(features), nil
}

// GeoJSONReader reads all of r and decodes it with [GeoJSON].
func GeoJSONReader(r io.Reader, name string) (*layer.Vector, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("decode: read %s: %w", name, err)
	}
	return GeoJSON(data, name)
}

// failure is a fault found while decoding, before it is located by line
// and column.
type failure struct {
	feature int // index of the feature, or -1
	offset  int // where the fault was found, if err does not carry an offset
	err     error
}

// error returns the fault as an *Error.
func (f *failure) error(data []byte, name string) *Error {
	offset := f.offset
	if se, ok := errors.AsType[*jsonscan.SyntaxError](f.err); ok {
		offset = se.Offset
	} else if ke, ok := errors.AsType[*jsonscan.KindError](f.err); ok {
		offset = ke.Offset
	}
	line, column := jsonscan.LineColumn(data, offset)
	return &Error{File: name, Feature: f.feature, Line: line, Column: column, Err: f.err}
}

// byteOrderMark is the UTF-8 encoding of U+FEFF, which some Windows tools
// put at the start of a text file and RFC 8259 lets a parser ignore.
var byteOrderMark = []byte{0xEF, 0xBB, 0xBF}

// readDocument decodes a whole GeoJSON text.
func readDocument(data []byte) ([]layer.Feature, *failure) {
	s := jsonscan.New(data)
	if bytes.HasPrefix(data, byteOrderMark) {
		s.Seek(len(byteOrderMark))
	}
	switch k := s.Kind(); k {
	case jsonscan.Object:
	case jsonscan.Invalid:
		if s.End() == nil {
			return nil, &failure{feature: -1, err: errors.New("the file is empty")}
		}
		return nil, &failure{feature: -1, err: s.Skip()}
	default:
		return nil, &failure{feature: -1, offset: s.Offset(), err: fmt.Errorf("want a GeoJSON object at the top level, found %s", k)}
	}
	start := s.Offset()
	typ, err := peekType(&s)
	if err != nil {
		return nil, &failure{feature: -1, offset: s.Offset(), err: err}
	}
	var features []layer.Feature
	var d decoder
	switch {
	case typ == "FeatureCollection":
		var f *failure
		if features, f = readFeatureCollection(&s); f != nil {
			return nil, f
		}
	case typ == "Feature":
		feature, err := d.readFeature(&s)
		if err != nil {
			return nil, &failure{feature: 0, offset: s.Offset(), err: err}
		}
		features = []layer.Feature{feature}
	case geometryTypeOf([]byte(typ)) != noGeometry:
		g, err := d.readGeometry(&s, 0)
		if err != nil {
			return nil, &failure{feature: -1, offset: s.Offset(), err: err}
		}
		features = []layer.Feature{{Geometry: g}}
	default:
		return nil, &failure{feature: -1, offset: start, err: fmt.Errorf("type %q is not a GeoJSON type", typ)}
	}
	if err := s.End(); err != nil {
		return nil, &failure{feature: -1, err: err}
	}
	return features, nil
}

// peekType returns the "type" member of the object at the scanner,
// leaving the scanner where it was. The type usually comes first, but
// where it does not, the members before it are skipped to find it.
func peekType(s *jsonscan.Scanner) (string, error) {
	start := s.Offset()
	defer s.Seek(start)
	if err := s.EnterObject(); err != nil {
		return "", err
	}
	for {
		key, ok, err := s.NextKey()
		if err != nil {
			return "", err
		}
		if !ok {
			return "", errors.New(`missing "type" member`)
		}
		if string(key) == "type" {
			typ, err := readString(s, `"type"`)
			return string(typ), err
		}
		if err := s.Skip(); err != nil {
			return "", err
		}
	}
}

// readFeatureCollection decodes the FeatureCollection at the scanner.
func readFeatureCollection(s *jsonscan.Scanner) ([]layer.Feature, *failure) {
	if err := s.EnterObject(); err != nil {
		return nil, &failure{feature: -1, err: err}
	}
	var features []layer.Feature
	found := false
	for {
		key, ok, err := s.NextKey()
		if err != nil {
			return nil, &failure{feature: -1, err: err}
		}
		if !ok {
			break
		}
		switch string(key) {
		case "features":
			if s.Kind() != jsonscan.Array {
				return nil, &failure{feature: -1, offset: s.Offset(), err: fmt.Errorf(`"features": %w`, want(s.EnterArray(), "an array"))}
			}
			var end int
			var f *failure
			if features, end, f = readFeatures(s.Data(), s.Offset()); f != nil {
				return nil, f
			}
			s.Seek(end)
			found = true
		case "crs":
			err = readCRS(s)
		default:
			err = s.Skip()
		}
		if err != nil {
			return nil, &failure{feature: -1, offset: s.Offset(), err: err}
		}
	}
	if !found {
		return nil, &failure{feature: -1, offset: s.Offset(), err: errors.New(`FeatureCollection has no "features" member`)}
	}
	return features, nil
}

// readFeature decodes the Feature object at the scanner.
func (d *decoder) readFeature(s *jsonscan.Scanner) (layer.Feature, error) {
	var f layer.Feature
	if err := s.EnterObject(); err != nil {
		return f, want(err, "a Feature object")
	}
	typed := false
	for {
		key, ok, err := s.NextKey()
		if err != nil {
			return f, err
		}
		if !ok {
			break
		}
		switch string(key) {
		case "type":
			typ, err := readString(s, `"type"`)
			if err != nil {
				return f, err
			}
			if string(typ) != "Feature" {
				return f, fmt.Errorf(`type is %q, want "Feature"`, typ)
			}
			typed = true
		case "geometry":
			if s.Kind() == jsonscan.Null {
				err = s.Skip()
			} else if f.Geometry, err = d.readGeometry(s, 0); err != nil {
				err = fmt.Errorf("geometry: %w", err)
			}
		case "id":
			f.ID, err = readID(s)
		case "properties":
			f.Properties, err = readProperties(s)
		case "crs":
			err = readCRS(s)
		default:
			err = s.Skip()
		}
		if err != nil {
			return f, err
		}
	}
	if !typed {
		return f, errors.New(`missing "type" member`)
	}
	if f.ID == "" {
		f.ID = f.Properties.String("id")
	}
	return f, nil
}

// readID reads a Feature's "id" member: a string or a number (RFC 7946,
// 3.2), kept as its text. A null "id", which some writers emit, counts as
// none.
func readID(s *jsonscan.Scanner) (string, error) {
	switch k := s.Kind(); k {
	case jsonscan.String:
		text, err := s.ReadString()
		return string(text), err
	case jsonscan.Number:
		raw, err := s.Raw()
		return string(raw), err
	case jsonscan.Null:
		return "", s.Skip()
	default:
		return "", fmt.Errorf(`"id": want a string or a number, found %s`, k)
	}
}

// readProperties reads a properties object, keeping its raw text.
func readProperties(s *jsonscan.Scanner) (layer.Properties, error) {
	switch s.Kind() {
	case jsonscan.Object:
		raw, err := s.Raw()
		return layer.PropertiesFromJSON(raw), err
	case jsonscan.Null:
		return layer.Properties{}, s.Skip()
	default:
		return layer.Properties{}, fmt.Errorf(`"properties": %w`, want(s.EnterObject(), "an object or null"))
	}
}

// readString reads a string, naming the value in the error if it is not
// one.
func readString(s *jsonscan.Scanner, name string) ([]byte, error) {
	text, err := s.ReadString()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, want(err, "a string"))
	}
	return text, nil
}

// want words a value of the wrong kind, as jsonscan reports it, as a
// message saying what was wanted ("want a Feature object, found an
// array"). Other errors pass through.
func want(err error, what string) error {
	if ke, ok := err.(*jsonscan.KindError); ok {
		return &messageError{"want " + what + ", found " + ke.Found.String(), ke}
	}
	return err
}

// readCRS reads a "crs" member of the 2008 GeoJSON format and fails
// unless it is null or names WGS 84 lon/lat. It understands the "name"
// form, the older "EPSG" form and a plain string; a "link" cannot be
// checked and is refused.
func readCRS(s *jsonscan.Scanner) error {
	kind := s.Kind()
	v, err := s.ReadValue()
	if err != nil {
		return err
	}
	var name string
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		name = v
	case map[string]any:
		props, _ := v["properties"].(map[string]any)
		typ, _ := v["type"].(string)
		switch strings.ToLower(typ) {
		case "name":
			name, _ = props["name"].(string)
		case "epsg":
			switch code := props["code"].(type) {
			case float64:
				name = "EPSG:" + strconv.FormatFloat(code, 'f', -1, 64)
			case string:
				name = "EPSG:" + code
			}
		case "link":
			href, _ := props["href"].(string)
			return &messageError{fmt.Sprintf("crs link %q cannot be checked: this version reads lon/lat (EPSG:4326/CRS84) only", href), ErrUnsupportedCRS}
		}
		if name == "" {
			return &messageError{fmt.Sprintf("crs of type %q is not understood: this version reads lon/lat (EPSG:4326/CRS84) only", typ), ErrUnsupportedCRS}
		}
	default:
		return fmt.Errorf("crs: want an object, a string or null, found %s", kind)
	}
	if !isLonLatCRS(name) {
		return &messageError{fmt.Sprintf("crs %q is not supported: this version reads lon/lat (EPSG:4326/CRS84) only", name), ErrUnsupportedCRS}
	}
	return nil
}

// isLonLatCRS reports whether a CRS name means WGS 84 longitude/latitude:
// EPSG:4326 or OGC CRS84, as a URN ("urn:ogc:def:crs:EPSG::4326", with or
// without a version), an OGC URI ("http://www.opengis.net/def/crs/OGC/1.3/CRS84"),
// "AUTHORITY:CODE" or a bare "CRS84". GeoJSON coordinates are lon/lat
// even under EPSG:4326, whose official axis order is lat/lon.
func isLonLatCRS(name string) bool {
	n := strings.ToUpper(strings.TrimSpace(name))
	for _, prefix := range []string{"URN:OGC:DEF:CRS:", "HTTP://WWW.OPENGIS.NET/DEF/CRS/", "HTTPS://WWW.OPENGIS.NET/DEF/CRS/"} {
		if rest, ok := strings.CutPrefix(n, prefix); ok {
			n = rest
			break
		}
	}
	parts := strings.FieldsFunc(n, func(r rune) bool { return r == ':' || r == '/' })
	switch len(parts) {
	case 1:
		return parts[0] == "CRS84"
	case 2, 3: // authority, optional version, code
		authority, code := parts[0], parts[len(parts)-1]
		return authority == "EPSG" && code == "4326" || authority == "OGC" && (code == "CRS84" || code == "CRS84H")
	default:
		return false
	}
}
