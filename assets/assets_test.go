package assets

import (
	"bufio"
	"bytes"
	"encoding/json"
	"image/png"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// provenanceRow is one row of the "## Files" table of PROVENANCE.md.
type provenanceRow struct {
	file     string // path relative to Data(), e.g. "basemap/countries.geojson"
	features string // last column: a count, or "–" for rasters
}

var firstCellPath = regexp.MustCompile("^`([^`]+)`$")

// provenanceTable parses the "## Files" table of PROVENANCE.md.
func provenanceTable(t *testing.T) []provenanceRow {
	t.Helper()
	var rows []provenanceRow
	inFiles := false
	sc := bufio.NewScanner(strings.NewReader(Provenance()))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "## ") {
			inFiles = line == "## Files"
			continue
		}
		if !inFiles || !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		m := firstCellPath.FindStringSubmatch(cells[0])
		if m == nil {
			continue // header or separator row
		}
		rows = append(rows, provenanceRow{file: m[1], features: cells[len(cells)-1]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatal("PROVENANCE.md: no file rows found in the \"## Files\" table")
	}
	return rows
}

func TestProvenanceFilesExist(t *testing.T) {
	data := Data()
	for _, r := range provenanceTable(t) {
		b, err := fs.ReadFile(data, r.file)
		if err != nil {
			t.Errorf("%s named in PROVENANCE.md: %v", r.file, err)
			continue
		}
		if len(b) == 0 {
			t.Errorf("%s is empty", r.file)
		}
		if path.Ext(r.file) != ".geojson" {
			continue
		}
		want, err := strconv.Atoi(r.features)
		if err != nil {
			t.Errorf("%s: feature count %q in PROVENANCE.md is not a number", r.file, r.features)
			continue
		}
		var fc struct {
			Type     string            `json:"type"`
			Features []json.RawMessage `json:"features"`
		}
		if err := json.Unmarshal(b, &fc); err != nil {
			t.Errorf("%s: %v", r.file, err)
			continue
		}
		if fc.Type != "FeatureCollection" {
			t.Errorf("%s: type %q, want FeatureCollection", r.file, fc.Type)
		}
		if len(fc.Features) != want {
			t.Errorf("%s: %d features, PROVENANCE.md says %d", r.file, len(fc.Features), want)
		}
	}
}

// Every embedded data file must have provenance (the original notes aside).
func TestDataFilesHaveProvenance(t *testing.T) {
	named := map[string]bool{}
	for _, r := range provenanceTable(t) {
		named[r.file] = true
	}
	n := 0
	err := fs.WalkDir(Data(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		if path.Ext(p) == ".md" {
			return nil
		}
		if !named[p] {
			t.Errorf("%s is embedded but not listed in PROVENANCE.md", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("Data() is empty")
	}
	for _, p := range []string{"basemap/PROVENANCE.md", "curated/SOURCES.md"} {
		if b, err := fs.ReadFile(Data(), p); err != nil || len(b) == 0 {
			t.Errorf("original provenance note %s missing or empty (err %v)", p, err)
		}
	}
}

// The licence and attribution statements that must never be dropped.
func TestProvenanceKeepsAttributions(t *testing.T) {
	for _, s := range []string{
		"Made with Natural Earth",
		"LGPL-3",
		"CC BY 4.0",
		"Linke",
		"Scientific Data",
		"6:283",
		"Copyright (c) 2025 Aidos Makhanov",
		"Marble",
		"coord_precision",
		"approx_1km",
		"approx_10km",
		"exact",
		"approximate: true",
		"late 1950s",
		"undated",
	} {
		if !strings.Contains(Provenance(), s) {
			t.Errorf("PROVENANCE.md no longer mentions %q", s)
		}
	}
}

func TestIcon(t *testing.T) {
	cfg, err := png.DecodeConfig(bytes.NewReader(Icon))
	if err != nil {
		t.Fatalf("icon.png: %v", err)
	}
	if cfg.Width != 512 || cfg.Height != 512 {
		t.Errorf("icon.png is %d×%d, want 512×512", cfg.Width, cfg.Height)
	}
	img, err := png.Decode(bytes.NewReader(Icon))
	if err != nil {
		t.Fatalf("icon.png: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 512 || b.Dy() != 512 {
		t.Errorf("decoded icon is %v, want 512×512", b)
	}
}

func TestLicenses(t *testing.T) {
	lic := Licenses()
	readme, err := fs.ReadFile(lic, "README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"LGPL-3.0.txt":                         "GNU LESSER GENERAL PUBLIC LICENSE",
		"GPL-3.0.txt":                          "GNU GENERAL PUBLIC LICENSE",
		"LGPL-2.1.txt":                         "GNU LESSER GENERAL PUBLIC LICENSE",
		"CC-BY-4.0.txt":                        "Creative Commons Attribution 4.0 International Public License",
		"MIT-WaterHydro-Kazakhstan-Portal.txt": "Copyright (c) 2025 Aidos Makhanov",
	}
	for name, marker := range want {
		b, err := fs.ReadFile(lic, name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(bytes.TrimSpace(b)) == 0 {
			t.Errorf("%s is empty", name)
		}
		if !bytes.Contains(b, []byte(marker)) {
			t.Errorf("%s does not contain %q", name, marker)
		}
		if !bytes.Contains(readme, []byte(name)) {
			t.Errorf("licenses/README.md does not mention %s", name)
		}
		if !strings.Contains(Provenance(), "licenses/"+name) {
			t.Errorf("PROVENANCE.md does not point to licenses/%s", name)
		}
	}
	// No stray empty files either.
	err = fs.WalkDir(lic, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if info, err := d.Info(); err != nil || info.Size() == 0 {
			t.Errorf("licenses/%s is empty or unreadable (err %v)", p, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
