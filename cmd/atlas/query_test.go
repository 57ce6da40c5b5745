package main

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
)

// atlasJSON runs a command that must succeed and decodes its JSON output.
func atlasJSON(t *testing.T, v any, args ...string) {
	t.Helper()
	code, stdout, stderr := atlasRun(t, append(args, "--json")...)
	if code != 0 {
		t.Fatalf("atlas %s: exit %d: %s", strings.Join(args, " "), code, stderr)
	}
	if err := json.Unmarshal([]byte(stdout), v); err != nil {
		t.Fatalf("atlas %s: %v in %s", strings.Join(args, " "), err, stdout)
	}
}

type ref struct{ Layer, ID string }

func TestFind_bestFirst(t *testing.T) {
	for text, want := range map[string]ref{
		"иссык":    {"lakes", "lakes.issyk-kul"},
		"ysyk":     {"lakes", "lakes.issyk-kul"},
		"Ysyk-Köl": {"lakes", "lakes.issyk-kul"},
		"Алматы":   {"places", "places.almaty"},
	} {
		var results []struct {
			Ref   ref
			Name  string
			Match string
			At    [2]float64
			Bound [4]float64
		}
		atlasJSON(t, &results, "find", text)
		if len(results) == 0 || results[0].Ref != want {
			t.Errorf("atlas find %q: %+v, want %v first", text, results, want)
			continue
		}
		r := results[0]
		if r.Bound[0] > r.At[0] || r.At[0] > r.Bound[2] || r.Bound[1] > r.At[1] || r.At[1] > r.Bound[3] {
			t.Errorf("atlas find %q: at %v outside the bound %v", text, r.At, r.Bound)
		}
	}
	code, stdout, _ := atlasRun(t, "find", "Ysyk-Köl", "--lang", "ru", "--limit", "2")
	if code != 0 || !strings.HasPrefix(stdout, "1.  Иссык-Куль ") || strings.Count(stdout, "\n") != 2 {
		t.Errorf("atlas find Ysyk-Köl --lang ru --limit 2: exit %d\n%s", code, stdout)
	}
}

func TestFind_nothingAndCoordinates(t *testing.T) {
	code, stdout, _ := atlasRun(t, "find", "Atlantis")
	if code != 0 || !strings.Contains(stdout, `no feature is called "Atlantis"`) {
		t.Errorf("atlas find Atlantis: exit %d, %q", code, stdout)
	}
	var none []any
	atlasJSON(t, &none, "find", "Atlantis")
	if none == nil || len(none) != 0 {
		t.Errorf("atlas find Atlantis --json: %v, want []", none)
	}
	var results []struct {
		Match string
		At    [2]float64
	}
	atlasJSON(t, &results, "find", "42°27'N 77°18'E")
	if len(results) == 0 || results[0].Match != "coordinate" || math.Abs(results[0].At[0]-77.3) > 1e-9 || math.Abs(results[0].At[1]-42.45) > 1e-9 {
		t.Errorf("atlas find of a coordinate: %+v", results)
	}
}

func TestIdentify_mailuuSuu(t *testing.T) {
	var answers []struct {
		Hit struct {
			Ref     ref
			Members []ref
		}
		Description *struct {
			Name        string
			Approximate bool
			Attributes  []struct {
				Key, Value string
				URLs       []string
			}
		}
		Members []string
	}
	atlasJSON(t, &answers, "identify", "--at", "72.44804,41.24575", "--zoom", "10")
	if len(answers) == 0 || answers[0].Hit.Ref != (ref{"tailings", "kg-mailuu-suu-uranium-legacy"}) || answers[0].Description == nil {
		t.Fatalf("atlas identify at Mailuu-Suu: %+v", answers)
	}
	d := answers[0].Description
	i := slices.IndexFunc(d.Attributes, func(a struct {
		Key, Value string
		URLs       []string
	}) bool {
		return a.Key == "source"
	})
	if !d.Approximate || i < 0 || !slices.Contains(d.Attributes[i].URLs, "https://en.wikipedia.org/wiki/Mailuu-Suu") {
		t.Errorf("Mailuu-Suu: approximate %v, attributes %+v", d.Approximate, d.Attributes)
	}
	atlasJSON(t, &answers, "identify", "--at", "72.44804,41.24575", "--zoom", "7", "--lang", "ru")
	if len(answers) == 0 || len(answers[0].Hit.Members) != 2 || len(answers[0].Members) != 2 || !strings.HasPrefix(answers[0].Members[0], "Майлуу-Суу") {
		t.Errorf("at zoom 7 the two Mailuu-Suu sites are one cluster: %+v", answers)
	}
	code, stdout, _ := atlasRun(t, "identify", "--at", "72.44804,41.24575")
	for _, want := range []string{"1. Mailuu-Suu uranium tailings", "APPROXIMATE", "Volume: 2\u00a0000\u00a0000 m³", "      https://en.wikipedia.org/wiki/Mailuu-Suu"} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("atlas identify: exit %d, no %q in\n%s", code, want, stdout)
		}
	}
	code, stdout, _ = atlasRun(t, "identify", "--at", "-30,0")
	if code != 0 || !strings.HasPrefix(stdout, "nothing is drawn at -30,0") {
		t.Errorf("atlas identify in the Atlantic: exit %d, %q", code, stdout)
	}
}

type answer struct {
	Question struct {
		Layer string
		Basin *ref
		Near  string
		Km    float64
	}
	Answer struct {
		Members []struct {
			Ref     ref
			Nearest *struct {
				Ref       ref
				Name      string
				DistanceM float64 `json:"distance_m"`
			}
		}
		Counts []struct {
			Field  string
			Values []struct{ Count int }
		}
	}
}

func TestWithin_basinAndNear(t *testing.T) {
	var a answer
	atlasJSON(t, &a, "within", "--layer", "tailings", "--basin", "Issyk-Kul")
	var ids []string
	for _, m := range a.Answer.Members {
		ids = append(ids, m.Ref.ID)
	}
	if a.Question.Basin == nil || a.Question.Basin.ID != "issyk-kul-basin-approx" || !slices.Contains(ids, "kg-kadji-sai") || slices.Contains(ids, "kg-kumtor") {
		t.Errorf("tailings in the Issyk-Kul basin: %+v, want Kadji-Sai and not Kumtor", a)
	}
	if len(a.Answer.Counts) == 0 || a.Answer.Counts[0].Field != "type" {
		t.Errorf("counts %+v, want them by type first", a.Answer.Counts)
	}
	var near answer
	atlasJSON(t, &near, "within", "--layer", "tailings", "--near", "rivers", "--km", "10")
	if len(near.Answer.Members) == 0 {
		t.Fatal("no tailings within 10 km of a river")
	}
	for _, m := range near.Answer.Members {
		if m.Nearest == nil || m.Nearest.DistanceM > 10_000 || m.Nearest.Ref.Layer != "rivers" {
			t.Errorf("%s: nearest %+v", m.Ref.ID, m.Nearest)
		}
	}
	code, stdout, _ := atlasRun(t, "within", "--layer", "tailings", "--near", "rivers", "--km", "10")
	if code != 0 || !strings.Contains(stdout, "within 10 km of layer rivers") || !strings.Contains(stdout, "km from Naryn") {
		t.Errorf("atlas within --near: exit %d\n%s", code, stdout)
	}
}

func TestCompare_aral(t *testing.T) {
	var changes []struct {
		Then, Now struct {
			AreaM2 float64 `json:"area_m2"`
		}
		LostPercent float64 `json:"lost_percent"`
	}
	atlasJSON(t, &changes, "compare", "aral")
	if len(changes) != 1 || math.Abs(changes[0].Then.AreaM2/1e6-67644.3) > 0.1 || math.Abs(changes[0].LostPercent-72.75) > 0.01 {
		t.Errorf("atlas compare aral: %+v", changes)
	}
	code, stdout, _ := atlasRun(t, "compare", "--lang", "ru")
	if code != 0 || !strings.Contains(stdout, "меньше на 72,7 %") {
		t.Errorf("atlas compare --lang ru: exit %d\n%s", code, stdout)
	}
}

func TestQueryCommands_badArguments(t *testing.T) {
	for _, args := range [][]string{
		{"find"},
		{"find", "a", "b"},
		{"find", "Aral", "--limit", "0"},
		{"find", "Aral", "--layer", "canals"},
		{"find", "Aral", "--lang", "xx"},
		{"identify"},
		{"identify", "--at", "77"},
		{"identify", "--at", "200,40"},
		{"identify", "--at", "77,42", "--zoom", "30"},
		{"identify", "--at", "77,42", "--tolerance", "-1"},
		{"within", "--basin", "Aral"},
		{"within", "--layer", "tailings"},
		{"within", "--layer", "tailings", "--basin", "Aral", "--near", "rivers", "--km", "1"},
		{"within", "--layer", "tailings", "--near", "rivers"},
		{"within", "--layer", "tailings", "--basin", "Atlantis"},
		{"within", "--layer", "canals", "--basin", "Aral"},
		{"within", "--layer", "tailings", "--near", "canals", "--km", "3"},
		{"compare", "caspian"},
		{"compare", "aral", "extra"},
	} {
		code, stdout, stderr := atlasRun(t, args...)
		if code != exitUsage || stdout != "" || !strings.HasPrefix(stderr, "atlas: ") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("atlas %s: exit %d, stdout %q, stderr %q; want exit 2 and one line saying why", strings.Join(args, " "), code, stdout, stderr)
		}
	}
	code, stdout, _ := atlasRun(t, "--help")
	if code != exitOK || !strings.Contains(stdout, "atlas find TEXT") || !strings.Contains(stdout, "atlas within --layer") {
		t.Errorf("atlas --help: exit %d, %q", code, stdout)
	}
}
