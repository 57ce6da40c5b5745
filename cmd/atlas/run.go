package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecoatlas/ecoatlas/assets"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/formats"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// usageError marks an error in the command line, as opposed to one in
// the data, so run can pick the exit code.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

const usage = `usage: atlas render --out map.png [--size WxH] [--scale 1|2]
                    [--bbox minlon,minlat,maxlon,maxlat | --center lon,lat --zoom z]
                    [--layers id,...|none] [--style file.json] [--add FILE ...]
                    [--tiles file.mbtiles|file.pmtiles ... [--tiles-below id] [--tiles-opacity 0..1]]
                    [--lang en|ru|kk|ky|tg|tk|uz] [--clause N] [--timings]
       atlas sites COMMAND --db FILE ...   (atlas sites help)
       atlas clauses [--json]
       atlas belts --out belts.geojson [--min-pop N] [--km K] [--density D] [--countries codes|all]
` + tilesUsage + queryUsage

// commands are atlas's subcommands by name, each given the arguments
// after its name.
var commands = map[string]func(ctx context.Context, args []string, stdout io.Writer) error{
	"render":   renderCommand,
	"clauses":  clausesCommand,
	"belts":    beltsCommand,
	"find":     findCommand,
	"identify": identifyCommand,
	"within":   withinCommand,
	"compare":  compareCommand,
}

// run is the whole program; main only wires it to the process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	if args[0] == "tiles" {
		return tilesMain(ctx, args[1:], stdout, stderr)
	}
	if args[0] == "sites" {
		return sitesMain(ctx, args[1:], stdout, stderr)
	}
	command, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "atlas: unknown command %q (the commands are %s, sites and tiles)\n", args[0], strings.Join(slices.Sorted(maps.Keys(commands)), ", "))
		return exitUsage
	}
	err := command(ctx, args[1:], stdout)
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "atlas: %v\n", err)
	if errors.As(err, new(usageError)) {
		return exitUsage
	}
	return exitFailure
}

// options are the parsed flags of "atlas render".
type options struct {
	out       string
	width     float64
	height    float64
	scale     float64
	bbox      *orb.Bound
	center    *orb.Point
	zoom      float64
	zoomSet   bool
	layers    []string
	stylePath string
	adds      []string
	lang      string
	timings   bool
	tiles     tileFlags
	clause    int
}

// multiFlag collects a flag given several times.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func parseOptions(args []string) (options, error) {
	fl := flag.NewFlagSet("atlas render", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	var (
		o                                = options{width: 1600, height: 1000, scale: 1, lang: "en"}
		size, bbox, center, layers, lang string
		adds                             multiFlag
		scale                            float64
	)
	fl.StringVar(&o.out, "out", "", "output PNG file")
	fl.StringVar(&size, "size", "1600x1000", "image size in logical pixels, WIDTHxHEIGHT")
	fl.Float64Var(&scale, "scale", 1, "device pixels per logical pixel (1 or 2)")
	fl.StringVar(&bbox, "bbox", "", "lon/lat box to fit: minlon,minlat,maxlon,maxlat")
	fl.StringVar(&center, "center", "", "centre of the view: lon,lat (with --zoom)")
	fl.Float64Var(&o.zoom, "zoom", 0, "Web Mercator zoom, may be fractional (with --center)")
	fl.StringVar(&layers, "layers", "", "comma-separated layer ids to draw, or none")
	fl.StringVar(&o.stylePath, "style", "", "style JSON file instead of the default style")
	fl.Var(&adds, "add", "data file to draw on top: GeoJSON, GeoPackage, Shapefile, KML/KMZ, GPX or CSV (repeatable)")
	fl.StringVar(&lang, "lang", "en", "label language: a tag the style has names for (en, ru, kk, ky, tg, tk, uz)")
	fl.BoolVar(&o.timings, "timings", false, "print a TIMING line with load, render and encode seconds")
	o.tiles.register(fl)
	fl.IntVar(&o.clause, "clause", 0, "declaration clause to highlight, with its badges, fitted to its places")
	if err := fl.Parse(args); err != nil {
		return o, usageError{err.Error()}
	}
	if fl.NArg() > 0 {
		return o, usagef("unexpected argument %q", fl.Arg(0))
	}
	fl.Visit(func(f *flag.Flag) { o.zoomSet = o.zoomSet || f.Name == "zoom" })
	if o.out == "" {
		return o, usagef("--out is required")
	}
	w, h, err := parseSize(size)
	if err != nil {
		return o, err
	}
	o.width, o.height = w, h
	if scale != 1 && scale != 2 {
		return o, usagef("--scale must be 1 or 2, not %v", scale)
	}
	o.scale = scale
	if bbox != "" {
		v, err := parseFloats("--bbox", bbox, 4)
		if err != nil {
			return o, err
		}
		if v[0] >= v[2] || v[1] >= v[3] || v[0] < -180 || v[2] > 180 || v[1] < -85.06 || v[3] > 85.06 {
			return o, usagef("--bbox %s: want minlon,minlat,maxlon,maxlat with min < max, lon in -180..180 and lat in -85..85", bbox)
		}
		o.bbox = &orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}
	}
	if center != "" {
		v, err := parseFloats("--center", center, 2)
		if err != nil {
			return o, err
		}
		if v[0] < -180 || v[0] > 180 || v[1] < -85.06 || v[1] > 85.06 {
			return o, usagef("--center %s: want lon in -180..180 and lat in -85..85", center)
		}
		o.center = &orb.Point{v[0], v[1]}
	}
	switch {
	case o.bbox != nil && (o.center != nil || o.zoomSet):
		return o, usagef("give either --bbox or --center with --zoom, not both")
	case (o.center != nil) != o.zoomSet:
		return o, usagef("--center and --zoom go together")
	case o.zoomSet && (o.zoom < viewport.MinZoom || o.zoom > viewport.MaxZoom):
		return o, usagef("--zoom %v is outside %v..%v", o.zoom, viewport.MinZoom, viewport.MaxZoom)
	}
	if layers != "" {
		o.layers = strings.Split(layers, ",")
	}
	o.adds = adds
	o.lang = lang
	return o, o.tiles.check()
}

func parseSize(s string) (float64, float64, error) {
	ws, hs, ok := strings.Cut(strings.ToLower(s), "x")
	w, err1 := strconv.Atoi(ws)
	h, err2 := strconv.Atoi(hs)
	if !ok || err1 != nil || err2 != nil || w <= 0 || h <= 0 || w > 16384 || h > 16384 {
		return 0, 0, usagef("--size %q: want WIDTHxHEIGHT in pixels, each 1..16384", s)
	}
	return float64(w), float64(h), nil
}

func parseFloats(name, s string, n int) ([]float64, error) {
	parts := strings.Split(s, ",")
	if len(parts) != n {
		return nil, usagef("%s %q: want %d comma-separated numbers", name, s, n)
	}
	out := make([]float64, n)
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, usagef("%s: %q is not a number", name, p)
		}
		out[i] = f
	}
	return out, nil
}

func renderCommand(ctx context.Context, args []string, stdout io.Writer) error {
	o, err := parseOptions(args)
	if err != nil {
		return err
	}
	if o.clause != 0 {
		return renderClause(ctx, o, stdout)
	}
	// Loading makes many short-lived objects and keeps most of them; a
	// lazier collector saves a good share of the load time of big files.
	debug.SetGCPercent(400)

	start := time.Now()
	st, fsys, err := loadStyle(o.stylePath)
	if err != nil {
		return err
	}
	if err := selectLayers(st, o.layers); err != nil {
		return err
	}
	if _, ok := st.Languages[o.lang]; !ok && o.lang != "en" {
		return usagef("--lang %q: the style has labels in en and %s", o.lang, strings.Join(slices.Sorted(maps.Keys(st.Languages)), ", "))
	}
	if len(o.layers) == 1 && o.layers[0] == "none" {
		// No base map: the added files on a white page, as the benchmark
		// anchors (Mapnik, QGIS) draw them, so images compare directly.
		st.Background = style.Color{R: 255, G: 255, B: 255, A: 255}
	}
	a, err := atlas.Load(ctx, usedSources(st), fsys)
	if err != nil {
		return err
	}
	defer a.Close()
	a.Style = st
	for _, path := range o.adds {
		// Added files are drawn in the plain style, which reads no
		// attribute: a GeoPackage's columns are not fetched at all.
		if _, err := a.AddFile(ctx, path, formats.Options{Columns: []string{}}); err != nil {
			return err
		}
	}
	packages, err := o.tiles.add(ctx, a)
	if err != nil {
		return err
	}
	loaded := time.Now()

	vp := viewport.New(atlas.Region.Center(), 5, o.width, o.height, o.scale)
	switch {
	case o.bbox != nil:
		vp = vp.Fit(*o.bbox, 0)
	case o.center != nil:
		vp = viewport.New(*o.center, o.zoom, o.width, o.height, o.scale)
	case len(o.tiles.files) > 0:
		vp = vp.Fit(packages, 0)
	default:
		vp = vp.Fit(atlas.Region, 0)
	}
	img, err := render.Frame(ctx, a.Scene(a.Style, o.lang), vp)
	if err != nil {
		return err
	}
	rendered := time.Now()

	if err := writePNG(o.out, img); err != nil {
		return err
	}
	done := time.Now()
	if o.timings {
		fmt.Fprintf(stdout, "TIMING renderer=ecoatlas load_s=%.3f render_s=%.3f encode_s=%.3f\n",
			loaded.Sub(start).Seconds(), rendered.Sub(loaded).Seconds(), done.Sub(rendered).Seconds())
	}
	return o.tiles.err()
}

// loadStyle returns the style to draw and the file system its source
// paths are relative to: the embedded assets for the default style; for a
// style file, its own folder with the embedded assets behind it, so a
// custom style can reuse the embedded layers by their paths.
func loadStyle(path string) (*style.Style, fs.FS, error) {
	if path == "" {
		st, err := style.Parse(assets.DefaultStyle)
		return st, assets.Data(), err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	st, err := style.Parse(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return st, overlayFS{os.DirFS(filepath.Dir(path)), assets.Data()}, nil
}

// overlayFS reads a file from the first file system that has it.
type overlayFS []fs.FS

func (o overlayFS) Open(name string) (fs.File, error) {
	var firstErr error
	for _, f := range o {
		file, err := f.Open(name)
		if err == nil {
			return file, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

// selectLayers keeps only the named layers visible; nil keeps the style's
// own visibility, and "none" hides every layer.
func selectLayers(st *style.Style, ids []string) error {
	if ids == nil {
		return nil
	}
	if len(ids) == 1 && ids[0] == "none" {
		ids = nil
	}
	known := make([]string, len(st.Layers))
	for i, l := range st.Layers {
		known[i] = l.ID
	}
	for _, id := range ids {
		if !slices.Contains(known, id) {
			return usagef("--layers: no layer %q; the layers are %s", id, strings.Join(known, ","))
		}
	}
	for i := range st.Layers {
		st.Layers[i].Hidden = !slices.Contains(ids, st.Layers[i].ID)
	}
	return nil
}

// usedSources returns a copy of the style with only the sources its
// visible layers draw, so "--layers none" loads no embedded data at all.
func usedSources(st *style.Style) *style.Style {
	c := st.Clone()
	c.Sources = map[string]style.Source{}
	for _, l := range st.Layers {
		if !l.Hidden {
			c.Sources[l.Source] = st.Sources[l.Source]
		}
	}
	return c
}

// writePNG encodes the image next to its destination and renames it into
// place, so a failed or interrupted run never leaves a truncated PNG where
// a good one was.
func writePNG(path string, img *image.RGBA) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".atlas-*.png")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<20)
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(w, img); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}
