// Command ecoatlas is the Ecoatlas desktop viewer: an offline map of
// Central Asia with the thematic layers of the Declaration on
// environmental solidarity, drawn from data embedded in the binary.
//
// Usage:
//
//	ecoatlas [--lang TAG] [--size WxH] [--workspace DIR] [--sites FILE] [--timings] [--smoke-seconds N]
//
// --lang sets the language of the map labels (the toolbar switches it
// later); --size the window's starting size in logical pixels (1400x900).
// --workspace is the directory where the app keeps the workspace it
// reopens (the view, layers, filter, selection and label language; by
// default the user config directory's "ecoatlas"). --sites is the
// inspectors' GeoPackage of tailings sites that the map draws and the
// editing tools change (by default sites.gpkg in the user data
// directory's "ecoatlas", created from the embedded tailings layer on
// first use). --timings prints,
// once, the time from process start to the first map frame made of
// rendered tiles and the time loading the data took. --smoke-seconds
// quits the app N seconds after that first frame, for smoke tests under
// Xvfb.
package main

import (
	// First, so that Fyne finds the locale settled when it starts.
	_ "github.com/ecoatlas/ecoatlas/app/locale"

	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/user"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/ecoatlas/ecoatlas/app/bookmarks"
	"github.com/ecoatlas/ecoatlas/app/compare"
	"github.com/ecoatlas/ecoatlas/app/coordinate"
	"github.com/ecoatlas/ecoatlas/app/declaration"
	"github.com/ecoatlas/ecoatlas/app/filter"
	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/identify"
	"github.com/ecoatlas/ecoatlas/app/inspect"
	"github.com/ecoatlas/ecoatlas/app/measure"
	"github.com/ecoatlas/ecoatlas/app/present"
	"github.com/ecoatlas/ecoatlas/app/search"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/app/spatial"
	"github.com/ecoatlas/ecoatlas/app/tilepacks"
	"github.com/ecoatlas/ecoatlas/app/workspace"
	"github.com/ecoatlas/ecoatlas/assets"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/bookmark"
	"github.com/ecoatlas/ecoatlas/geo/query"
	"github.com/ecoatlas/ecoatlas/geo/sites"
)

// start is the earliest time the program can take: package variables are
// initialised before init functions and main.
var start = time.Now()

const appID = "org.ecoatlas.ecoatlas"

// version is the app's version, as in FyneApp.toml; release builds may
// set it with -ldflags "-X main.version=…".
var version = "0.1.0"

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ecoatlas:", err)
		os.Exit(1)
	}
}

// gcPercent is the garbage collector's target, unless GOGC sets one: the
// heap may grow to 1.25 times what is live, not twice. Most of the heap is
// tile and frame pixels, which the collector does not scan, so collecting
// more often costs little CPU (about 270 MB resident at 50, 330 MB at Go's
// default 100, through the scripted session of .ci/memory-session).
const gcPercent = 25

// The soft memory limit, unless GOMEMLIMIT sets one, is set once the
// window shows, from its size: baseMemoryLimit for the data, fonts and
// indexes, and memoryPerPixel bytes per device pixel of the map for the
// tile cache (two views), the frames and the compositor's buffers: 86 MB
// at 1600×1000, where the live heap peaks at about 70 MB. It makes the
// runtime hand freed pages back to the system rather than keep them, about
// 12 MB of the resident size there (.ci/memory-session's 10 minutes: 268
// MB without it, 252 MB with it). On a large HiDPI screen the limit grows
// with the pixels, so the collector is never made to run all the time; and
// it is soft: when more is live, the collector runs more often and the app
// goes on.
const (
	baseMemoryLimit = 48 << 20
	memoryPerPixel  = 24
)

// setMemoryLimit sets the soft memory limit for a window of c's size.
func setMemoryLimit(c fyne.Canvas) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	size, scale := c.Size(), float64(c.Scale())
	pixels := float64(size.Width) * float64(size.Height) * scale * scale
	debug.SetMemoryLimit(baseMemoryLimit + int64(memoryPerPixel*pixels))
}

func run(args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("ecoatlas", flag.ContinueOnError)
	flags.SetOutput(stderr)
	timings := flags.Bool("timings", false, "print the time to the first map frame and the data load time, once")
	smoke := flags.Float64("smoke-seconds", 0, "quit `N` seconds after the first map frame (0: run until closed)")
	lang := flags.String("lang", "en", "map label `language`: en, ru, kk, ky, tg, tk or uz")
	size := flags.String("size", "1400x900", "window `size` in logical pixels, WIDTHxHEIGHT")
	wsDir := flags.String("workspace", "", "the `directory` of the workspace the app reopens (default: the user config directory's ecoatlas)")
	sitesPath := flags.String("sites", "", "the inspectors' GeoPackage `file` of sites (default: sites.gpkg in the user data directory's ecoatlas)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	var width, height float32
	if n, err := fmt.Sscanf(*size, "%fx%f", &width, &height); n != 2 || err != nil || width < 200 || height < 200 {
		return fmt.Errorf("--size %q: want WIDTHxHEIGHT in logical pixels, each at least 200", *size)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}

	i18n.SetLanguage(i18n.SystemLanguage())
	loadStart := time.Now()
	at, err := atlas.LoadDefault(context.Background())
	if err != nil {
		return fmt.Errorf("the embedded map: %w", err)
	}
	loadTime := time.Since(loadStart)
	if _, ok := at.Style.Languages[*lang]; !ok && *lang != "en" {
		return fmt.Errorf("--lang %q: the map has labels in en and %s", *lang, strings.Join(slices.Sorted(maps.Keys(at.Style.Languages)), ", "))
	}
	go at.BuildIndexes()
	dict, err := query.ParseDictionary(assets.Dictionary)
	if err != nil {
		return fmt.Errorf("the embedded data dictionary: %w", err)
	}
	engine, err := query.New(at, dict)
	if err != nil {
		return fmt.Errorf("the embedded map's questions: %w", err)
	}
	if *sitesPath == "" {
		if *sitesPath, err = sites.DefaultPath(); err != nil {
			return fmt.Errorf("%w; give --sites FILE", err)
		}
	}
	store, err := sites.Open(context.Background(), *sitesPath)
	if err != nil {
		return fmt.Errorf("the sites store: %w; give another with --sites FILE", err)
	}
	if err := at.UseLive("tailings", store.Source()); err != nil {
		store.Close()
		return err
	}
	inspector := inspect.New(store, userName())
	defer inspector.Close()
	if *wsDir == "" {
		if *wsDir, err = workspace.Dir(); err != nil {
			return fmt.Errorf("%w; give --workspace DIR", err)
		}
	}

	icon := fyne.NewStaticResource("icon.png", assets.Icon)
	a := app.NewWithID(appID)
	if m := a.Metadata(); m.Name == "" { // a plain go build: the fyne tool injected nothing
		m.ID, m.Name, m.Version, m.Icon = appID, "Ecoatlas", version, icon
		app.SetMetadata(m)
	}
	a.SetIcon(icon)
	w := a.NewWindow("") // the shell sets the title
	w.SetIcon(icon)
	w.Resize(fyne.NewSize(width, height))
	ident := identify.New(engine)
	filters := filter.New(engine)
	ws := workspace.New(*wsDir, filters, ident)
	if err := ws.Problem(); err != nil {
		fmt.Fprintln(stderr, "ecoatlas:", err)
	}
	s := shell.New(a, w, at, at.Style.Clone(), shell.WithLanguage(*lang), shell.WithFeatures(
		ident,
		filters,
		search.New(engine, ident, filters),
		spatial.New(engine, ident),
		compare.New(engine, "aral"),
		declaration.New(declaration.WithIdentify(ident)),
		present.New(engine),
		inspector,
		measure.New(),
		coordinate.New(),
		tilepacks.New(),
		bookmarks.New(filepath.Join(*wsDir, bookmark.FileName)),
		ws, // last: it restores the others' state
	))
	defer s.Close()
	flags.Visit(func(f *flag.Flag) {
		if f.Name == "lang" { // said now, it wins over the workspace's
			s.SetLabelLanguage(*lang)
		}
	})
	s.Map().OnFirstFrame = func() {
		setMemoryLimit(w.Canvas())
		if *timings {
			fmt.Fprintf(stdout, "first-frame: %.3fs\nload: %.3fs\n", time.Since(start).Seconds(), loadTime.Seconds())
		}
		if *smoke > 0 {
			time.AfterFunc(time.Duration(*smoke*float64(time.Second)), func() { fyne.Do(a.Quit) })
		}
	}
	w.SetMaster()
	w.ShowAndRun()
	if err := ws.Save(); err != nil {
		return fmt.Errorf("saving the workspace: %w", err)
	}
	return nil
}

// userName is who the edits of this session are recorded as made by: the
// login name, or "inspector" when the system gives none.
func userName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "inspector"
}
