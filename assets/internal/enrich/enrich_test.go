package enrich_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/assets/internal/enrich"
)

// TestEmbeddedFilesAreEnriched is the drift check: the embedded files are
// what the enrichment makes of them (run `go generate ./assets` after
// changing a data file or the names table), and every ID of the names
// table is an embedded feature's.
func TestEmbeddedFilesAreEnriched(t *testing.T) {
	table, err := os.Open("../../names/names.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer table.Close()
	names, err := enrich.ReadNames(table)
	if err != nil {
		t.Fatal(err)
	}
	files, err := enrich.Files("../../data")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 15 {
		t.Fatalf("found %d base-map and world files, want at least 15", len(files))
	}
	var used []string
	for _, file := range files {
		data, err := os.ReadFile(filepath.Join("../../data", file))
		if err != nil {
			t.Fatal(err)
		}
		out, ids, err := enrich.File(file, data, names)
		if err != nil {
			t.Fatal(err)
		}
		used = append(used, ids...)
		if !bytes.Equal(out, data) {
			t.Errorf("%s is not what the enrichment makes of it: run go generate ./assets", file)
		}
	}
	for id := range names {
		if !slices.Contains(used, id) {
			t.Errorf("names.csv: no embedded feature has the ID %q", id)
		}
	}
}

func TestFile_IDsAndNames(t *testing.T) {
	in := `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"Sasyqköl","name_ru":null},"geometry":null},
{"type":"Feature","properties":{"name":"Sasyqköl"},"geometry":null},
{"type":"Feature","properties":{"name":null},"geometry":{"type":"Point","coordinates":[60.5,45.25]}},
{"type":"Feature","properties":{"id":"kept","name":"Aral"},"geometry":null}]}`
	names := enrich.Names{"lakes-extra.sasyqkol": {"ru": "Сасыкколь", "kk": "Сасықкөл"}}
	out, used, err := enrich.File("basemap/lakes_extra.geojson", []byte(in), names)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"lakes-extra.sasyqkol","name":"Sasyqköl","name_ru":"Сасыкколь","name_kk":"Сасықкөл"},"geometry":null},
{"type":"Feature","properties":{"id":"lakes-extra.sasyqkol-2","name":"Sasyqköl"},"geometry":null},
{"type":"Feature","properties":{"id":"lakes-extra.1","name":null},"geometry":{"type":"Point","coordinates":[60.5,45.25]}},
{"type":"Feature","properties":{"id":"kept","name":"Aral"},"geometry":null}
]}
`
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	if !slices.Equal(used, []string{"lakes-extra.sasyqkol"}) {
		t.Errorf("used %v", used)
	}
	again, _, err := enrich.File("basemap/lakes_extra.geojson", out, names)
	if err != nil || !bytes.Equal(again, out) {
		t.Errorf("a second run changed the output (err %v)", err)
	}
}

func TestSlug(t *testing.T) {
	tests := map[string]string{
		"Issyk-Kul":               "issyk-kul",
		"Ysyk-Köl":                "ysyk-kol",
		"Aydar Ko‘l":              "aydar-kol",
		"Toktogul Suu Saktagychy": "toktogul-suu-saktagychy",
		"Daşoguz":                 "dasoguz",
		"  Lake  (Kara-Bogaz) ":   "lake-kara-bogaz",
		"Иссык-Куль":              "",
	}
	for in, want := range tests {
		if got := enrich.Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadNames_errors(t *testing.T) {
	for name, text := range map[string]string{
		"bad header": "id,ru\nx,y\n",
		"duplicate":  "id,en,ru,kk,ky,tg,tk,uz,note\na,,,,,,,,\na,,,,,,,,\n",
	} {
		if _, err := enrich.ReadNames(strings.NewReader(text)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
