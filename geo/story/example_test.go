package story_test

import (
	"fmt"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/story"
)

func ExampleParse() {
	s, err := story.Parse(strings.NewReader(`{
  "title": "Two lakes",
  "steps": [
    {"title": "Issyk-Kul", "view": [75.9, 41.9, 78.5, 43.0], "duration_s": 6},
    {"title": "Balkhash", "view": [72.5, 43.0, 81.5, 47.8], "layers": {"basins": true}}
  ]
}`), "two-lakes.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, step := range s.Steps {
		fmt.Printf("%d. %s: %v, %gs\n", i+1, step.Title, step.Bound().Center(), step.Duration)
	}
	// Output:
	// 1. Issyk-Kul: [77.2 42.45], 6s
	// 2. Balkhash: [77 45.4], 0s
}
