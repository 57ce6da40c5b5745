package decode

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/internal/jsonscan"
	"github.com/ecoatlas/ecoatlas/geo/layer"
)

// GeoJSON decodes a GeoJSON text into a layer, within the default
// limits. Name is the file's name, used in errors. The layer keeps no
// reference to data.
func GeoJSON(data []byte, name string) (*layer.Vector, error) {
	return read(context.Background(), nil, data, name, Limits{}, defaultConfig(), 0)
}

// GeoJSONReader decodes the GeoJSON text that r yields into a layer,
// reading it in blocks: memory beyond the layer stays within a few
// megabytes and the largest feature. Name is used in errors. It stops,
// returning an *Error wrapping the context's error, when ctx is done; a
// Read that blocks delays that, which is why [File] reads regular files
// only.
func GeoJSONReader(ctx context.Context, r io.Reader, name string, lim Limits) (*layer.Vector, error) {
	return read(ctx, r, nil, name, lim, defaultConfig(), 0)
}

// readDocument decodes a whole GeoJSON text, which for a FeatureCollection
// whose features were split off holds an empty features array, and
// returns its features and its type. locate turns offsets in data into
// positions in the input.
func readDocument(d *decoder, data []byte, locate func(int) position) ([]layer.Feature, string, *failure) {
	fail := func(feature, offset int, err error) *failure {
		return &failure{feature: feature, at: locate(errorOffset(err, offset)), err: err}
	}
	s := jsonscan.New(data)
	switch k := s.Kind(); k {
	case jsonscan.Object:
	case jsonscan.Invalid:
		if s.End() == nil {
			return nil, "", &failure{feature: -1, at: locate(0), err: errors.New("the file is empty")}
		}
		return nil, "", fail(-1, 0, s.Skip())
	default:
		return nil, "", fail(-1, s.Offset(), fmt.Errorf("want a GeoJSON object at the top level, found %s", k))
	}
	start := s.Offset()
	typ, err := peekType(&s)
	if err != nil {
		return nil, "", fail(-1, s.Offset(), err)
	}
	var features []layer.Feature
	switch {
	case typ == "FeatureCollection":
		var f *failure
		if features, f = readFeatureCollection(d, &s, locate); f != nil {
			return nil, typ, f
		}
	case typ == "Feature":
		feature, err := d.readFeature(&s)
		if err != nil {
			return nil, typ, fail(0, s.Offset(), err)
		}
		features = []layer.Feature{feature}
	case geometryTypeOf([]byte(typ)) != noGeometry:
		d.vertices = 0
		g, err := d.readGeometry(&s, 0)
		if err != nil {
			return nil, typ, fail(-1, s.Offset(), err)
		}
		features = []layer.Feature{{Geometry: g}}
	default:
		return nil, typ, fail(-1, start, fmt.Errorf("type %q is not a GeoJSON type", typ))
	}
	if err := s.End(); err != nil {
		return nil, typ, fail(-1, s.Offset(), err)
	}
	return features, typ, nil
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

// members tracks the members of an object that a decoder reads, to
// refuse one given twice: which of two values counts is not defined.
type members uint8

// see records the member with bit bit, failing if it was seen before.
func (m *members) see(bit members, name string) error {
	if *m&bit != 0 {
		return fmt.Errorf("duplicate %q member", name)
	}
	*m |= bit
	return nil
}

// readFeatureCollection decodes the FeatureCollection at the scanner.
func readFeatureCollection(d *decoder, s *jsonscan.Scanner, locate func(int) position) ([]layer.Feature, *failure) {
	fail := func(feature, offset int, err error) *failure {
		return &failure{feature: feature, at: locate(errorOffset(err, offset)), err: err}
	}
	if err := s.EnterObject(); err != nil {
		return nil, fail(-1, s.Offset(), err)
	}
	var (
		features []layer.Feature
		seen     members
	)
	for {
		key, ok, err := s.NextKey()
		if err != nil {
			return nil, fail(-1, s.Offset(), err)
		}
		if !ok {
			break
		}
		at := s.Offset()
		switch string(key) {
		case "type":
			if err = seen.see(1, "type"); err == nil {
				err = s.Skip()
			}
		case "features":
			if err = seen.see(2, "features"); err != nil {
				break
			}
			if s.Kind() != jsonscan.Array {
				return nil, fail(-1, s.Offset(), fmt.Errorf(`"features": %w`, want(s.EnterArray(), "an array")))
			}
			var f *failure
			if features, f = readFeatures(d, s, locate); f != nil {
				return nil, f
			}
		case "crs":
			if err = seen.see(4, "crs"); err == nil {
				err = readCRS(s)
			}
		default:
			err = s.Skip()
		}
		if err != nil {
			return nil, fail(-1, at, err)
		}
	}
	if seen&2 == 0 {
		return nil, fail(-1, s.Offset(), errors.New(`FeatureCollection has no "features" member`))
	}
	return features, nil
}

// readFeatures decodes the features array at the scanner, one feature
// after the other. Read splits a big array off and decodes it in
// parallel, so this is for the rest: an array left in the head.
func readFeatures(d *decoder, s *jsonscan.Scanner, locate func(int) position) ([]layer.Feature, *failure) {
	var features []layer.Feature
	err := s.EnterArray()
	for more := err == nil; err == nil && more; {
		if more, err = s.NextElement(); err != nil || !more {
			break
		}
		var f layer.Feature
		if f, err = d.readFeature(s); err == nil {
			features = append(features, f)
		}
	}
	if err != nil {
		return nil, &failure{feature: len(features), at: locate(errorOffset(err, s.Offset())), err: err}
	}
	return features, nil
}

// readFeature decodes the Feature object at the scanner. Its properties
// are copied out of the input.
func (d *decoder) readFeature(s *jsonscan.Scanner) (layer.Feature, error) {
	var f layer.Feature
	if err := s.EnterObject(); err != nil {
		return f, want(err, "a Feature object")
	}
	d.vertices = 0
	var seen members
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
			if err := seen.see(1, "type"); err != nil {
				return f, err
			}
			at := s.Offset()
			typ, err := readString(s, `"type"`)
			if err != nil {
				return f, err
			}
			if string(typ) != "Feature" {
				return f, &atError{at, fmt.Errorf(`type is %q, want "Feature"`, typ)}
			}
		case "geometry":
			if err = seen.see(2, "geometry"); err != nil {
				break
			}
			if s.Kind() == jsonscan.Null {
				err = s.Skip()
			} else if f.Geometry, err = d.readGeometry(s, 0); err != nil {
				err = fmt.Errorf("geometry: %w", err)
			}
		case "id":
			if err = seen.see(4, "id"); err == nil {
				f.ID, err = readID(s)
			}
		case "properties":
			if err = seen.see(8, "properties"); err == nil {
				f.Properties, err = d.readProperties(s)
			}
		case "crs":
			if err = seen.see(16, "crs"); err == nil {
				err = readCRS(s)
			}
		default:
			err = s.Skip()
		}
		if err != nil {
			return f, err
		}
	}
	if seen&1 == 0 {
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

// readProperties reads a properties object, keeping a copy of its raw
// text.
func (d *decoder) readProperties(s *jsonscan.Scanner) (layer.Properties, error) {
	switch s.Kind() {
	case jsonscan.Object:
		raw, err := s.Raw()
		if err != nil {
			return layer.Properties{}, err
		}
		if layer.PropertiesFromJSON(raw).IsEmpty() {
			return layer.Properties{}, nil
		}
		return layer.PropertiesFromJSON(d.keepText(raw)), nil
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
