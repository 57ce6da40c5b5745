package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecoatlas/ecoatlas/assets"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/decode"
	"github.com/ecoatlas/ecoatlas/geo/formats"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // reading data or writing the output failed
	exitUsage   = 2 // the command line is wrong
	exitCrash   = 3 // a bug: the program crashed
	// exitInterrupted is the code of a run stopped by a signal; main
	// makes it 128 plus the signal's number, as shells do.
	exitInterrupted = 130
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
       atlas help render
` + exportUsage + tilesUsage + queryUsage

const renderUsage = `usage: atlas render --out FILE [options]

Draws the map, with the engine and style of the desktop app, into an image.

Options:
  --out FILE           the image to write: .png, or .jpg/.jpeg for JPEG (required);
                       an existing file is replaced once the new image is complete,
                       keeping its permissions; only regular files are written
  --size WxH           image size in logical pixels, each side 1..16384 (default 1600x1000)
  --scale 1|2          device pixels per logical pixel (default 1)
  --bbox W,S,E,N       the lon/lat box to fit in the image, centred
  --center LON,LAT     the centre of the view, with --zoom
  --zoom Z             Web Mercator zoom, may be fractional, with --center (2..18)
  --layers ID,...      the embedded layers to draw, or "none" for none
  --style FILE         a style JSON file instead of the default style
  --add FILE           a data file to draw on top in a plain style (repeatable):
                       GeoJSON, GeoPackage, Shapefile, KML/KMZ, GPX or CSV
  --tiles FILE         an MBTiles or PMTiles package to draw as a layer (repeatable)
  --tiles-below ID     the layer the packages go under (default: on top)
  --tiles-opacity X    the opacity of the packages, 0..1 (default 1)
  --lang TAG           the language of the labels, as the style has them:
                       en (default), ru, kk, ky, tg, tk or uz
  --clause N           highlight clause N of the declaration, fitted to its places
  --limit NAME=VALUE   change a limit on what one GeoJSON file of --add may hold (repeatable):
                       feature-size (default 256MiB), string-size (16MiB),
                       depth (512) or vertices (16000000)
  --timings            print a TIMING line with load, render and encode seconds

Without --bbox or --center, the view is the five Central Asian states (or
the tile packages, or the clause's places).

Exit codes: 0 done, 1 reading data or writing the image failed, 2 bad arguments,
3 internal error (a bug), 128+N stopped by signal N (130 for Ctrl-C).
`

// maxImageBytes is the largest image, in bytes of pixels, the command
// draws: 16384×16384 at scale 1, enough for a poster at 300 dpi.
const maxImageBytes = 1 << 30

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
	"export":   exportCommand,
}

// run is the whole program; main only wires it to the process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case "help":
		return help(args[1:], stdout, stderr)
	case "tiles":
		return tilesMain(ctx, args[1:], stdout, stderr)
	case "sites":
		return sitesMain(ctx, args[1:], stdout, stderr)
	}
	command, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "atlas: unknown command %q (the commands are %s, sites and tiles; see atlas help)\n", args[0], strings.Join(slices.Sorted(maps.Keys(commands)), ", "))
		return exitUsage
	}
	err := command(ctx, args[1:], stdout)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return help(args[:1], stdout, stderr)
	case ctx.Err() != nil:
		fmt.Fprintf(stderr, "atlas: %v\n", context.Cause(ctx))
		return exitInterrupted
	}
	fmt.Fprintf(stderr, "atlas: %v\n", err)
	if errors.As(err, new(usageError)) {
		return exitUsage
	}
	return exitFailure
}

// help prints the help of a command: every option of render, the
// synopsis of the others.
func help(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 1 && args[0] == "render":
		fmt.Fprint(stdout, renderUsage)
	case len(args) == 1 && args[0] == "sites":
		return sitesMain(context.Background(), []string{"help"}, stdout, stderr)
	case len(args) == 0 || len(args) == 1 && (commands[args[0]] != nil || args[0] == "tiles"):
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "atlas: no help for %q; see atlas help\n", strings.Join(args, " "))
		return exitUsage
	}
	return exitOK
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
	limits    decode.Limits
	timings   bool
	tiles     tileFlags
	clause    int
}

// multiFlag collects a flag given several times.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// limitsFlag sets decode limits, one NAME=VALUE at a time.
type limitsFlag struct{ limits *decode.Limits }

func (l limitsFlag) String() string {
	if l.limits == nil {
		return ""
	}
	return l.limits.String()
}

func (l limitsFlag) Set(v string) error { return l.limits.Set(v) }

func parseOptions(args []string) (options, error) {
	fl := flag.NewFlagSet("atlas render", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	var (
		o                                = options{width: 1600, height: 1000, scale: 1, lang: "en"}
		size, bbox, center, layers, lang string
		adds                             multiFlag
		scale                            float64
	)
	fl.StringVar(&o.out, "out", "", "output PNG or JPEG file")
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
	fl.Var(limitsFlag{&o.limits}, "limit", "a limit on input files, NAME=VALUE (repeatable)")
	o.tiles.register(fl)
	fl.IntVar(&o.clause, "clause", 0, "declaration clause to highlight, with its badges, fitted to its places")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		return o, usageError{strings.TrimPrefix(err.Error(), "decode: ") + " (see atlas help render)"}
	}
	if fl.NArg() > 0 {
		return o, usagef("unexpected argument %q", fl.Arg(0))
	}
	fl.Visit(func(f *flag.Flag) { o.zoomSet = o.zoomSet || f.Name == "zoom" })
	if o.out == "" {
		return o, usagef("--out is required (see atlas help render)")
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
	if bytes := 4 * (w * scale) * (h * scale); bytes > maxImageBytes {
		return o, usagef("--size %s at --scale %v is an image of %.0fx%.0f pixels, %s; the largest is %s",
			size, scale, w*scale, h*scale, formatBytes(bytes), formatBytes(maxImageBytes))
	}
	if bbox != "" {
		v, err := parseFloats("--bbox", bbox, 4)
		if err != nil {
			return o, err
		}
		if v[0] >= v[2] || v[1] >= v[3] || v[0] < -180 || v[2] > 180 || v[1] < -85.06 || v[3] > 85.06 {
			return o, usagef("--bbox %s: want minlon,minlat,maxlon,maxlat with min < max, lon in -180..180 and lat in -85..85", bbox)
		}
		o.bbox = &orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}
		if err := checkFit(*o.bbox, o.width, o.height); err != nil {
			return o, err
		}
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
	case o.zoomSet && !(o.zoom >= viewport.MinZoom && o.zoom <= viewport.MaxZoom):
		return o, usagef("--zoom %v is not a zoom in %v..%v", o.zoom, viewport.MinZoom, viewport.MaxZoom)
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

// parseFloats parses n comma-separated finite numbers.
func parseFloats(name, s string, n int) ([]float64, error) {
	parts := strings.Split(s, ",")
	if len(parts) != n {
		return nil, usagef("%s %q: want %d comma-separated numbers", name, s, n)
	}
	out := make([]float64, n)
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, usagef("%s: %q is not a number", name, p)
		}
		out[i] = f
	}
	return out, nil
}

// formatBytes formats a size in bytes in the largest binary unit under it.
func formatBytes(n float64) string {
	for _, u := range []struct {
		name string
		size float64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.size {
			return strconv.FormatFloat(n/u.size, 'f', 1, 64) + " " + u.name
		}
	}
	return strconv.FormatFloat(n, 'f', 0, 64) + " bytes"
}

// checkFit reports a box that an image of width × height logical pixels
// could only show at a zoom outside the allowed range: Fit would clamp the
// zoom and show something else than was asked for.
func checkFit(b orb.Bound, width, height float64) error {
	vp := viewport.New(b.Center(), 5, width, height, 1).Fit(b, 0)
	p, q := vp.ToPixel(b.Min), vp.ToPixel(b.Max)
	bw, bh := math.Abs(q[0]-p[0]), math.Abs(q[1]-p[1])
	fits := math.Abs(bw-width) < 0.5 && bh < height+0.5 || math.Abs(bh-height) < 0.5 && bw < width+0.5
	if fits || bw == 0 || bh == 0 {
		return nil
	}
	need := vp.Zoom + math.Log2(math.Min(width/bw, height/bh))
	what := "a smaller box or a larger --size"
	if need > viewport.MaxZoom {
		what = "a larger box or a smaller --size"
	}
	return usagef("--bbox %v,%v,%v,%v: fitting it in %.0fx%.0f pixels takes zoom %.1f, outside %v..%v; give %s",
		b.Min[0], b.Min[1], b.Max[0], b.Max[1], width, height, need, viewport.MinZoom, viewport.MaxZoom, what)
}

func renderCommand(ctx context.Context, args []string, stdout io.Writer) error {
	o, err := parseOptions(args)
	if err != nil {
		return err
	}
	if o.clause != 0 {
		return renderClause(ctx, o, stdout)
	}
	// The output is opened first, so that a missing folder or a path
	// that is not a file is reported before minutes of work.
	out, format, err := createImage(o.out)
	if err != nil {
		return err
	}
	defer out.discard()

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
	if err := addFiles(ctx, a, o); err != nil {
		return err
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
	limitMemory(vp)
	img, err := render.Frame(ctx, a.Scene(a.Style, o.lang), vp)
	if err != nil {
		return err
	}
	rendered := time.Now()

	// What the image was drawn from is garbage now: give it back before
	// the encoder asks for more.
	debug.FreeOSMemory()
	if err := out.writeImage(ctx, format, img); err != nil {
		return err
	}
	done := time.Now()
	if o.timings {
		fmt.Fprintf(stdout, "TIMING renderer=ecoatlas load_s=%.3f render_s=%.3f encode_s=%.3f\n",
			loaded.Sub(start).Seconds(), rendered.Sub(loaded).Seconds(), done.Sub(rendered).Seconds())
	}
	return o.tiles.err()
}

// limitMemory has the collector keep memory, once the data is loaded,
// just above what it takes and what drawing it needs: the image, and one
// band of projected geometry at a time (see render.GeometryParallel).
// Left to itself, it would let the garbage of drawing pile up to as much
// again as the loaded data. Collecting more often costs little: most of
// the loaded data is coordinates, which hold no pointers to follow.
func limitMemory(vp viewport.Viewport) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	inUse := int64(ms.Sys - ms.HeapReleased)
	image := 4 * int64(vp.DeviceWidth()) * int64(vp.DeviceHeight())
	debug.SetMemoryLimit(inUse + image + max(32<<20, inUse*15/100))
	debug.SetGCPercent(20)
}

// addFiles reads the files of --add, in any format package formats
// reads, and adds their layers to the map. They are drawn in the plain
// style, which reads no attribute: a GeoPackage's columns are not
// fetched at all.
func addFiles(ctx context.Context, a *atlas.Atlas, o options) error {
	for _, path := range o.adds {
		if _, err := a.AddFile(ctx, path, formats.Options{Columns: []string{}, Limits: o.limits}); err != nil {
			if le, ok := errors.AsType[*decode.LimitError](err); ok {
				return fmt.Errorf("%w; change it with --limit %s=VALUE", err, le.Name)
			}
			return err
		}
	}
	return nil
}

// maxStyleBytes is the largest style file read.
const maxStyleBytes = 16 << 20

// loadStyle returns the style to draw and the file system its source
// paths are relative to: the embedded assets for the default style; for a
// style file, its own folder with the embedded assets behind it, so a
// custom style can reuse the embedded layers by their paths.
func loadStyle(path string) (*style.Style, fs.FS, error) {
	if path == "" {
		st, err := style.Parse(assets.DefaultStyle)
		return st, assets.Data(), err
	}
	data, err := readRegular(path, maxStyleBytes)
	if err != nil {
		return nil, nil, err
	}
	st, err := style.Parse(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return st, overlayFS{regularFS(filepath.Dir(path)), assets.Data()}, nil
}

// readRegular reads a regular file of at most limit bytes.
func readRegular(path string, limit int64) ([]byte, error) {
	f, size, err := decode.OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if size > limit {
		return nil, fmt.Errorf("%s: %s is more than the %s a style file may have", path, formatBytes(float64(size)), formatBytes(float64(limit)))
	}
	return io.ReadAll(io.LimitReader(f, limit))
}

// regularFS is a folder of which only regular files can be opened, so
// that a style naming a FIFO or a device as a source cannot hang or flood
// the command.
type regularFS string

func (dir regularFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	f, _, err := decode.OpenRegular(filepath.Join(string(dir), filepath.FromSlash(name)))
	if err != nil {
		return nil, err
	}
	return f, nil
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
