package gpx_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/gpx"
	"github.com/paulmach/orb"
)

func read(t *testing.T, name string) *gpx.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	file, err := gpx.Read(f, name)
	if err != nil {
		t.Fatal(err)
	}
	return file
}

// TestRead_gdalWaypoints reads waypoints ogr2ogr wrote.
func TestRead_gdalWaypoints(t *testing.T) {
	f := read(t, "gdal.gpx")
	if len(f.Waypoints) != 3 || len(f.Skipped) != 0 {
		t.Fatalf("%d waypoints, skipped %v", len(f.Waypoints), f.Skipped)
	}
	w := f.Waypoints[0]
	if w.Geometry != (orb.Point{69.598, 40.844}) || w.Properties.String("name") != "Almalyk tailings" || w.Properties.String("desc") != "dam crest" {
		t.Errorf("first waypoint %v %v", w.Geometry, w.Properties.Map())
	}
	if ele, ok := w.Properties.Number("ele"); !ok || ele != 512.5 {
		t.Errorf("ele %v %v", ele, ok)
	}
	if got := f.Waypoints[1].Properties.String("name"); got != "Майлуу-Суу" {
		t.Errorf("name %q", got)
	}
}

func TestRead_routesAndTracks(t *testing.T) {
	f := read(t, "tracks.gpx")
	if len(f.Waypoints) != 1 || f.Waypoints[0].Properties.String("time") != "2026-05-01T08:00:00Z" {
		t.Errorf("waypoints %v", f.Waypoints)
	}
	if len(f.Routes) != 1 || !orb.Equal(f.Routes[0].Geometry, orb.LineString{{69.5, 41}, {69.6, 41.1}}) {
		t.Errorf("routes %v", f.Routes)
	}
	if n, _ := f.Routes[0].Properties.Number("number"); n != 7 {
		t.Errorf("route number %v", n)
	}
	want := orb.MultiLineString{{{69.5, 41}, {69.51, 41.01}}, {{69.52, 41.02}, {69.53, 41.03}}}
	if len(f.Tracks) != 1 || !orb.Equal(f.Tracks[0].Geometry, want) {
		t.Errorf("tracks %v", f.Tracks)
	}
	if len(f.Skipped) != 2 {
		t.Fatalf("skipped %v", f.Skipped)
	}
	if s := f.Skipped[0]; s.Noun != "waypoint" || s.Feature != 2 || !errors.Is(s.Err, gpx.ErrPosition) {
		t.Errorf("skipped waypoint: %v", s)
	}
	if s := f.Skipped[1].Error(); !strings.HasPrefix(s, "tracks.gpx: track 2: point 1: no valid position") {
		t.Errorf("skipped track: %s", s)
	}
}

func TestRead_notGPX(t *testing.T) {
	for name, in := range map[string]string{
		"kml":       `<kml><Placemark/></kml>`,
		"empty":     ``,
		"truncated": `<gpx><wpt lat="1" lon="2"><name>x</na`,
		"entity":    `<!DOCTYPE gpx [<!ENTITY a "aaaa">]><gpx><wpt lat="1" lon="2"><name>&a;&a;</name></wpt></gpx>`,
	} {
		if _, err := gpx.Read(strings.NewReader(in), name+".gpx"); err == nil {
			t.Errorf("%s: read without an error", name)
		}
	}
}

func FuzzRead(f *testing.F) {
	for _, name := range []string{"gdal.gpx", "tracks.gpx"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := gpx.Read(bytes.NewReader(data), "fuzz.gpx")
		if err != nil {
			return
		}
		for _, w := range file.Waypoints {
			p := w.Geometry.(orb.Point)
			if p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90 {
				t.Fatalf("waypoint off the globe: %v", p)
			}
		}
	})
}
