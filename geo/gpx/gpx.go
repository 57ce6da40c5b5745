// Package gpx reads GPS exchange files (GPX 1.0 and 1.1): waypoints as
// points, routes as lines and tracks as multi-lines, one line per track
// segment, as GDAL's GPX driver gives them. Coordinates are WGS 84
// longitude and latitude, as GPX defines them; elevation becomes the
// "ele" property of a waypoint, not a third ordinate.
//
// The file is read as a stream of XML tokens, so memory grows with the
// features, not with nesting or with extensions it skips. A waypoint or
// point without a valid position is not taken; the feature it belongs to
// is listed in File.Skipped, numbered among its kind from 1 ("waypoint
// 3", "track 1").
package gpx

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/paulmach/orb"
)

// Errors for errors.Is.
var (
	// ErrNotGPX is a file whose root element is not <gpx>.
	ErrNotGPX = errors.New("gpx: not a GPX file")
	// ErrPosition is a point without a valid lat and lon.
	ErrPosition = errors.New("no valid position (lat -90…90, lon -180…180)")
)

// File is what a GPX file holds.
type File struct {
	Waypoints []layer.Feature
	Routes    []layer.Feature
	Tracks    []layer.Feature
	// Skipped are the features with a point that has no valid position.
	Skipped []layer.FeatureError
}

// point is a wpt, rtept or trkpt element.
type point struct {
	Lat  string `xml:"lat,attr"`
	Lon  string `xml:"lon,attr"`
	Ele  string `xml:"ele"`
	Time string `xml:"time"`
	Name string `xml:"name"`
	Cmt  string `xml:"cmt"`
	Desc string `xml:"desc"`
	Src  string `xml:"src"`
	Sym  string `xml:"sym"`
	Type string `xml:"type"`
}

// position returns the point's lon/lat.
func (p *point) position() (orb.Point, error) {
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(p.Lat), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(p.Lon), 64)
	if err1 != nil || err2 != nil || !(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180) {
		return orb.Point{}, fmt.Errorf("%w: lat %q, lon %q", ErrPosition, p.Lat, p.Lon)
	}
	return orb.Point{lon, lat}, nil
}

// properties returns the point's descriptive elements that are set.
func (p *point) properties() map[string]any {
	props := map[string]any{}
	for k, v := range map[string]string{"time": p.Time, "name": p.Name, "cmt": p.Cmt, "desc": p.Desc, "src": p.Src, "sym": p.Sym, "type": p.Type} {
		if v = strings.TrimSpace(v); v != "" {
			props[k] = v
		}
	}
	if ele, err := strconv.ParseFloat(strings.TrimSpace(p.Ele), 64); err == nil {
		props["ele"] = ele
	}
	return props
}

// route is an rte element; a track's trkseg elements hold its points.
type route struct {
	Name   string  `xml:"name"`
	Cmt    string  `xml:"cmt"`
	Desc   string  `xml:"desc"`
	Src    string  `xml:"src"`
	Number string  `xml:"number"`
	Type   string  `xml:"type"`
	Points []point `xml:"rtept"`
}

type track struct {
	Name     string `xml:"name"`
	Cmt      string `xml:"cmt"`
	Desc     string `xml:"desc"`
	Src      string `xml:"src"`
	Number   string `xml:"number"`
	Type     string `xml:"type"`
	Segments []struct {
		Points []point `xml:"trkpt"`
	} `xml:"trkseg"`
}

func describe(name, cmt, desc, src, number, typ string) map[string]any {
	props := map[string]any{}
	for k, v := range map[string]string{"name": name, "cmt": cmt, "desc": desc, "src": src, "type": typ} {
		if v = strings.TrimSpace(v); v != "" {
			props[k] = v
		}
	}
	if n, err := strconv.ParseFloat(strings.TrimSpace(number), 64); err == nil {
		props["number"] = n
	}
	return props
}

// Read reads a GPX file. Name is the file's name, for messages.
func Read(r io.Reader, name string) (*File, error) {
	d := xml.NewDecoder(r)
	d.Strict = true
	f := &File{}
	seen := map[string]int{}
	root := true
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			if root {
				return nil, fmt.Errorf("%w: %s has no <gpx> element", ErrNotGPX, name)
			}
			return f, nil
		}
		if err != nil {
			return nil, fmt.Errorf("gpx: %s: %w", name, err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root {
			if start.Name.Local != "gpx" {
				return nil, fmt.Errorf("%w: %s starts with <%s>", ErrNotGPX, name, start.Name.Local)
			}
			root = false
			continue
		}
		if err := f.element(d, start, name, seen); err != nil {
			return nil, fmt.Errorf("gpx: %s: %w", name, err)
		}
	}
}

// element reads one child of <gpx>; seen counts the features of each
// kind read so far, skipped ones included.
func (f *File) element(d *xml.Decoder, start xml.StartElement, name string, seen map[string]int) error {
	skip := func(noun string, n int, err error) {
		f.Skipped = append(f.Skipped, layer.FeatureError{File: name, Feature: n, Noun: noun, Err: err})
	}
	switch start.Name.Local {
	case "wpt":
		var p point
		if err := d.DecodeElement(&p, &start); err != nil {
			return err
		}
		seen["waypoint"]++
		n := seen["waypoint"]
		pos, err := p.position()
		if err != nil {
			skip("waypoint", n, err)
			return nil
		}
		f.Waypoints = append(f.Waypoints, layer.Feature{Geometry: pos, Properties: layer.PropertiesFromMap(p.properties())})
	case "rte":
		var rt route
		if err := d.DecodeElement(&rt, &start); err != nil {
			return err
		}
		seen["route"]++
		n := seen["route"]
		line, err := positions(rt.Points)
		if err != nil {
			skip("route", n, err)
			return nil
		}
		f.Routes = append(f.Routes, layer.Feature{Geometry: orb.LineString(line),
			Properties: layer.PropertiesFromMap(describe(rt.Name, rt.Cmt, rt.Desc, rt.Src, rt.Number, rt.Type))})
	case "trk":
		var tr track
		if err := d.DecodeElement(&tr, &start); err != nil {
			return err
		}
		seen["track"]++
		n := seen["track"]
		var ml orb.MultiLineString
		for _, seg := range tr.Segments {
			line, err := positions(seg.Points)
			if err != nil {
				skip("track", n, err)
				return nil
			}
			ml = append(ml, line)
		}
		f.Tracks = append(f.Tracks, layer.Feature{Geometry: ml,
			Properties: layer.PropertiesFromMap(describe(tr.Name, tr.Cmt, tr.Desc, tr.Src, tr.Number, tr.Type))})
	default:
		return d.Skip()
	}
	return nil
}

func positions(pts []point) ([]orb.Point, error) {
	out := make([]orb.Point, len(pts))
	for i := range pts {
		p, err := pts[i].position()
		if err != nil {
			return nil, fmt.Errorf("point %d: %w", i+1, err)
		}
		out[i] = p
	}
	return out, nil
}
