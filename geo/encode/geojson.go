// Package encode writes features out of the engine in interchange
// formats. GeoJSON writes an RFC 7946 FeatureCollection that geo/decode,
// GDAL and QGIS read back.
package encode

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/paulmach/orb"
)

// ErrGeometry is wrapped by the error GeoJSON returns for a geometry it
// cannot write: a non-finite coordinate or a type GeoJSON lacks.
var ErrGeometry = errors.New("encode: geometry cannot be written")

// GeoJSON writes features as a GeoJSON FeatureCollection, one feature per
// line: each with its ID as the feature "id", its properties and its
// geometry in lon/lat with every coordinate at full precision. A nil
// geometry is written as null. Rings are written as they are: callers
// that want RFC 7946's winding (outer rings counter-clockwise) orient
// them first. An error names the feature by its number from 1 and its ID.
func GeoJSON(w io.Writer, features []layer.Feature) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(`{"type":"FeatureCollection","features":[`)
	var buf []byte
	for i := range features {
		f := &features[i]
		buf = buf[:0]
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, "\n{\"type\":\"Feature\""...)
		if f.ID != "" {
			buf = append(buf, `,"id":`...)
			buf = strconv.AppendQuote(buf, f.ID)
		}
		props, err := json.Marshal(f.Properties)
		if err != nil {
			return fmt.Errorf("encode: feature %d (%s): properties: %w", i+1, f.ID, err)
		}
		buf = append(buf, `,"properties":`...)
		buf = append(buf, props...)
		buf = append(buf, `,"geometry":`...)
		buf, err = appendGeometry(buf, f.Geometry)
		if err != nil {
			return fmt.Errorf("encode: feature %d (%s): %w", i+1, f.ID, err)
		}
		buf = append(buf, '}')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}

// appendGeometry appends a GeoJSON geometry object.
func appendGeometry(buf []byte, g orb.Geometry) ([]byte, error) {
	if g == nil {
		return append(buf, "null"...), nil
	}
	if c, ok := g.(orb.Collection); ok {
		buf = append(buf, `{"type":"GeometryCollection","geometries":[`...)
		for i, m := range c {
			if i > 0 {
				buf = append(buf, ',')
			}
			var err error
			if buf, err = appendGeometry(buf, m); err != nil {
				return nil, err
			}
		}
		return append(buf, "]}"...), nil
	}
	var typ string
	switch g.(type) {
	case orb.Point:
		typ = "Point"
	case orb.MultiPoint:
		typ = "MultiPoint"
	case orb.LineString:
		typ = "LineString"
	case orb.MultiLineString:
		typ = "MultiLineString"
	case orb.Ring, orb.Polygon, orb.Bound:
		typ = "Polygon"
	case orb.MultiPolygon:
		typ = "MultiPolygon"
	default:
		return nil, fmt.Errorf("%w: a %T", ErrGeometry, g)
	}
	buf = append(buf, `{"type":"`...)
	buf = append(buf, typ...)
	buf = append(buf, `","coordinates":`...)
	var err error
	switch g := g.(type) {
	case orb.Point:
		buf, err = appendPoint(buf, g)
	case orb.MultiPoint:
		buf, err = appendPoints(buf, g)
	case orb.LineString:
		buf, err = appendPoints(buf, g)
	case orb.MultiLineString:
		buf = append(buf, '[')
		for i, l := range g {
			if i > 0 {
				buf = append(buf, ',')
			}
			if buf, err = appendPoints(buf, l); err != nil {
				break
			}
		}
		buf = append(buf, ']')
	case orb.Ring:
		buf, err = appendPolygon(buf, orb.Polygon{g})
	case orb.Bound:
		buf, err = appendPolygon(buf, orb.Polygon{g.ToRing()})
	case orb.Polygon:
		buf, err = appendPolygon(buf, g)
	case orb.MultiPolygon:
		buf = append(buf, '[')
		for i, p := range g {
			if i > 0 {
				buf = append(buf, ',')
			}
			if buf, err = appendPolygon(buf, p); err != nil {
				break
			}
		}
		buf = append(buf, ']')
	}
	if err != nil {
		return nil, err
	}
	return append(buf, '}'), nil
}

func appendPolygon(buf []byte, p orb.Polygon) ([]byte, error) {
	buf = append(buf, '[')
	for i, r := range p {
		if i > 0 {
			buf = append(buf, ',')
		}
		var err error
		if buf, err = appendPoints(buf, r); err != nil {
			return nil, err
		}
	}
	return append(buf, ']'), nil
}

func appendPoints(buf []byte, pts []orb.Point) ([]byte, error) {
	buf = append(buf, '[')
	for i, p := range pts {
		if i > 0 {
			buf = append(buf, ',')
		}
		var err error
		if buf, err = appendPoint(buf, p); err != nil {
			return nil, err
		}
	}
	return append(buf, ']'), nil
}

func appendPoint(buf []byte, p orb.Point) ([]byte, error) {
	for _, v := range p {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: coordinate %v is not a finite number", ErrGeometry, v)
		}
	}
	buf = append(buf, '[')
	buf = strconv.AppendFloat(buf, p[0], 'f', -1, 64)
	buf = append(buf, ',')
	buf = strconv.AppendFloat(buf, p[1], 'f', -1, 64)
	return append(buf, ']'), nil
}
