package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/app/export/words"
	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/clausemap"
	"github.com/ecoatlas/ecoatlas/geo/export"
	"github.com/ecoatlas/ecoatlas/geo/query"
	"github.com/ecoatlas/ecoatlas/geo/story"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/seeds"
)

// exportUsage is the usage of "atlas export".
const exportUsage = `       atlas export --out map.pdf|map.png|map.svg [--view minlon,minlat,maxlon,maxlat]
                    [--title TEXT] [--subtitle TEXT] [--paper A4|A3] [--landscape] [--dpi N]
                    [--grid] [--layers id,...] [--clause N] [--lang L] [--size WxH] [--date YYYY-MM-DD] [--timings]
       atlas export --story FILE|water-bodies|declaration-tour --out handout.pdf [same options]
`

// exportOptions are the parsed flags of "atlas export".
type exportOptions struct {
	out, title, subtitle string
	view                 *orb.Bound
	paper                export.Paper
	landscape, grid      bool
	dpi                  float64
	layers               []string
	clause               int
	lang                 string
	width, height        float64
	story                string
	date                 time.Time
	timings              bool
}

// builtinStories are the names "--story" takes for the stories that come
// with the app.
var builtinStories = map[string]func() (story.Story, error){
	"declaration-tour": story.DeclarationTour,
	"water-bodies":     story.WaterBodies,
}

func parseExportOptions(args []string) (exportOptions, error) {
	fl := flag.NewFlagSet("atlas export", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	o := exportOptions{lang: "en"}
	var view, paper, layers, size, date string
	fl.StringVar(&o.out, "out", "", "output file: .pdf, .png or .svg")
	fl.StringVar(&view, "view", "", "lon/lat box to fit: minlon,minlat,maxlon,maxlat")
	fl.StringVar(&o.title, "title", "", "the page's title")
	fl.StringVar(&o.subtitle, "subtitle", "", "the page's subtitle")
	fl.StringVar(&paper, "paper", "A4", "paper size: A4 or A3")
	fl.BoolVar(&o.landscape, "landscape", false, "turn the paper")
	fl.Float64Var(&o.dpi, "dpi", export.DefaultDPI, "resolution of a PNG, 72..300 (a PDF is laid out alike)")
	fl.BoolVar(&o.grid, "grid", false, "draw meridians and parallels")
	fl.StringVar(&layers, "layers", "", "comma-separated layer ids to draw, or none")
	fl.IntVar(&o.clause, "clause", 0, "declaration clause to highlight, with its badges and citation")
	fl.StringVar(&o.lang, "lang", "en", "language of the labels and the page's words")
	fl.StringVar(&size, "size", "1600x1000", "size of an SVG map in pixels, WIDTHxHEIGHT")
	fl.StringVar(&o.story, "story", "", "story file (or water-bodies, declaration-tour) to print as a handout")
	fl.StringVar(&date, "date", "", "the date the page says it was made on, YYYY-MM-DD (default today)")
	fl.BoolVar(&o.timings, "timings", false, "print a TIMING line with load and export seconds")
	if err := fl.Parse(args); err != nil {
		return o, usageError{err.Error()}
	}
	if fl.NArg() > 0 {
		return o, usagef("export: unexpected argument %q", fl.Arg(0))
	}
	if o.out == "" {
		return o, usagef("export: --out is required")
	}
	ext := strings.ToLower(filepath.Ext(o.out))
	if ext != ".pdf" && ext != ".png" && ext != ".svg" {
		return o, usagef("export: --out %q: want a .pdf, .png or .svg file", o.out)
	}
	if o.story != "" && ext != ".pdf" {
		return o, usagef("export: a story prints as a PDF handout, not %q", o.out)
	}
	p, ok := export.PaperByName(paper)
	if !ok {
		return o, usagef("export: --paper %q: want A4 or A3", paper)
	}
	o.paper = p
	if o.dpi < export.MinDPI || o.dpi > export.MaxDPI {
		return o, usagef("export: --dpi %v is outside %d..%d", o.dpi, export.MinDPI, export.MaxDPI)
	}
	if view != "" {
		v, err := parseFloats("--view", view, 4)
		if err != nil {
			return o, err
		}
		if v[0] >= v[2] || v[1] >= v[3] || v[0] < -180 || v[2] > 180 || v[1] < -85.06 || v[3] > 85.06 {
			return o, usagef("--view %s: want minlon,minlat,maxlon,maxlat with min < max, lon in -180..180 and lat in -85..85", view)
		}
		o.view = &orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}
	}
	if layers != "" {
		o.layers = strings.Split(layers, ",")
	}
	w, h, err := parseSize(size)
	if err != nil {
		return o, err
	}
	o.width, o.height = w, h
	if date != "" {
		d, err := time.Parse(time.DateOnly, date)
		if err != nil {
			return o, usagef("--date %q: want YYYY-MM-DD", date)
		}
		o.date = d
	} else {
		o.date = time.Now()
	}
	if o.clause != 0 && o.story != "" {
		return o, usagef("export: give --clause or --story, not both")
	}
	return o, nil
}

func exportCommand(ctx context.Context, args []string, stdout io.Writer) error {
	o, err := parseExportOptions(args)
	if err != nil {
		return err
	}
	start := time.Now()
	e, err := query.Default(ctx)
	if err != nil {
		return err
	}
	a := e.Atlas()
	defer a.Close()
	st := a.Style.Clone()
	if err := selectLayers(st, o.layers); err != nil {
		return err
	}
	if _, ok := st.Languages[o.lang]; !ok && o.lang != "en" {
		return usagef("--lang %q: the map has labels in en and %s", o.lang, strings.Join(slices.Sorted(maps.Keys(st.Languages)), ", "))
	}
	i18n.SetLanguage(o.lang)
	d := seeds.Embedded()
	links, err := seeds.EmbeddedLinks()
	if err != nil {
		return err
	}
	cm, err := clausemap.New(a, d, links)
	if err != nil {
		return err
	}
	x := export.New(e)
	opt := export.Options{Paper: o.paper, Landscape: o.landscape, DPI: o.dpi, Grid: o.grid, Lang: o.lang, Date: o.date, Words: words.Page()}
	cite := func(n int) string { return export.Citation(d, n) }

	var pages []export.Page
	if o.story != "" {
		s, err := loadStory(o.story)
		if err != nil {
			return err
		}
		if err := s.Check(st, d); err != nil {
			return err
		}
		if pages, err = x.StoryPages(s, st, cm, cite); err != nil {
			return err
		}
		if o.title != "" {
			for i := range pages {
				pages[i].Title = o.title
			}
		}
	} else {
		page, err := singlePage(o, st, cm, cite)
		if err != nil {
			return err
		}
		pages = []export.Page{page}
	}
	loaded := time.Now()

	err = writeAtomically(o.out, func(w io.Writer) error {
		switch strings.ToLower(filepath.Ext(o.out)) {
		case ".png":
			return x.WritePNG(ctx, w, pages[0], opt, nil)
		case ".svg":
			return x.WriteSVG(ctx, w, pages[0], int(o.width), int(o.height), opt)
		default:
			return x.WritePDF(ctx, w, pages, opt, nil)
		}
	})
	if err != nil {
		return err
	}
	if o.timings {
		fmt.Fprintf(stdout, "TIMING exporter=ecoatlas load_s=%.3f export_s=%.3f pages=%d\n",
			loaded.Sub(start).Seconds(), time.Since(loaded).Seconds(), len(pages))
	}
	return nil
}

// singlePage returns the page of a view, or of a clause's places.
func singlePage(o exportOptions, st *style.Style, cm *clausemap.Map, cite func(int) string) (export.Page, error) {
	page := export.Page{Title: o.title, Subtitle: o.subtitle, View: atlas.Region, Style: st}
	if page.Title == "" {
		page.Title = i18n.T("export.page.title")
	}
	if o.clause != 0 {
		sel, err := cm.Clause(o.clause)
		if errors.Is(err, clausemap.ErrNoClause) {
			return page, usagef("--clause %d: %v", o.clause, err)
		}
		if err != nil {
			return page, err
		}
		if !sel.Empty() {
			page.View = sel.View(minClauseSpan)
			page.Style = highlighted(st, sel)
			page.Highlight = &export.Highlight{Map: cm, Selection: sel, Citation: cite(o.clause)}
		}
	}
	if o.view != nil {
		page.View = *o.view
	}
	return page, nil
}

// loadStory reads a story file, or returns a built-in story by name.
func loadStory(name string) (story.Story, error) {
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		if builtin, ok := builtinStories[name]; ok {
			return builtin()
		}
		return story.Story{}, usagef("--story %q: no such file, nor a built-in story (%s)", name, strings.Join(slices.Sorted(maps.Keys(builtinStories)), ", "))
	}
	if err != nil {
		return story.Story{}, err
	}
	return story.Parse(bytes.NewReader(data), name)
}

// writeAtomically writes a file through write next to its destination and
// renames it into place, so a failed or interrupted export never leaves a
// truncated file where a good one was.
func writeAtomically(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".atlas-export-*"+filepath.Ext(path))
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<20)
	if err := write(w); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	// A temporary file is private; the export is a document like any.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}

// highlighted returns a copy of st with the layers a selection shows
// switched on.
func highlighted(st *style.Style, sel clausemap.Selection) *style.Style {
	out := st.Clone()
	for i := range out.Layers {
		if slices.Contains(sel.Layers, out.Layers[i].ID) {
			out.Layers[i].Hidden = false
		}
	}
	return out
}
