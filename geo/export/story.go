package export

import (
	"fmt"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/clausemap"
	"github.com/ecoatlas/ecoatlas/geo/query"
	"github.com/ecoatlas/ecoatlas/geo/story"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/seeds"
)

// StepPage returns the page of a story's step: headed by the story's
// title and the step's (or its clause's number), the step's caption as
// its note, drawn with base as the step switches and filters its layers,
// and with its highlight taken from cm (nil leaves it out); cite, if not
// nil, writes the citation of a highlighted clause.
func (x *Exporter) StepPage(s story.Story, i int, base *style.Style, cm *clausemap.Map, cite func(clause int) string) (Page, error) {
	step := s.Steps[i]
	st := step.Apply(base)
	if len(step.Filter) > 0 {
		var f query.Filter
		for _, c := range step.Filter {
			f = f.With(c.Layer, c.Field, c.Values...)
		}
		st = x.engine.Apply(st, f)
	}
	page := Page{Title: s.Title, Subtitle: step.Title, Note: step.Caption, View: step.Bound(), Style: st}
	n := step.Highlight.Clause
	if page.Subtitle == "" && n != 0 {
		page.Subtitle = fmt.Sprintf("§%d", n)
	}
	if cm != nil && !step.Highlight.IsZero() {
		sel, err := cm.Step(step.TourStep())
		if err != nil {
			return Page{}, fmt.Errorf("export: %q, step %d: %w", s.Title, i+1, err)
		}
		page.Highlight = &Highlight{Map: cm, Selection: sel}
		if n != 0 && cite != nil {
			page.Highlight.Citation = cite(n)
		}
	}
	return page, nil
}

// StoryPages returns the pages of a story's handout, one per step (see
// StepPage).
func (x *Exporter) StoryPages(s story.Story, base *style.Style, cm *clausemap.Map, cite func(clause int) string) ([]Page, error) {
	pages := make([]Page, len(s.Steps))
	for i := range s.Steps {
		p, err := x.StepPage(s, i, base, cm, cite)
		if err != nil {
			return nil, err
		}
		pages[i] = p
	}
	return pages, nil
}

// Citation returns the citation of clause n of a declaration, in the
// declaration's own words: its name, where and when it was adopted, and
// the clause's number.
func Citation(d seeds.Declaration, n int) string {
	where := strings.TrimSuffix(strings.TrimSpace(d.Adopted), ".")
	parts := []string{"Declaration " + d.Name}
	if where != "" {
		parts = append(parts, where)
	}
	return strings.Join(parts, ", ") + fmt.Sprintf(", clause %d", n)
}
