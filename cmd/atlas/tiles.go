package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/tilepack"
	"github.com/ecoatlas/ecoatlas/geo/tilepack/fetch"
	"github.com/paulmach/orb"
)

const tilesUsage = `usage: atlas tiles info FILE
       atlas tiles fetch --bbox minlon,minlat,maxlon,maxlat --zoom MIN-MAX --url TEMPLATE --out FILE.mbtiles
                         [--subdomains a,b,c] [--name TEXT] [--attribution TEXT] [--max-tiles N]
                         [--rate REQUESTS_PER_SECOND] [--concurrency N] [--dry-run]
`

// tilesMain runs "atlas tiles": it shows what a tile package holds, or
// downloads an area into one.
func tilesMain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var err error
	switch {
	case len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help":
		fmt.Fprint(stderr, tilesUsage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	case args[0] == "info":
		err = tilesInfo(ctx, args[1:], stdout)
	case args[0] == "fetch":
		err = tilesFetch(ctx, args[1:], stdout, stderr)
	default:
		err = usagef("tiles: unknown command %q (the commands are \"info\" and \"fetch\")", args[0])
	}
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "atlas: %v\n", err)
	if errors.As(err, new(usageError)) {
		return exitUsage
	}
	return exitFailure
}

// tilesInfo prints the metadata of a tile package and how many tiles it
// holds.
func tilesInfo(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		return usagef("tiles info takes one file: atlas tiles info FILE")
	}
	path := args[0]
	a, err := tilepack.Open(path)
	if err != nil {
		return err
	}
	defer a.Close()
	md := a.Metadata()
	kind := "MBTiles"
	var counts string
	switch p := a.(type) {
	case *tilepack.MBTiles:
		byZoom, err := p.TileCounts(ctx)
		if err != nil {
			return err
		}
		var parts []string
		total := int64(0)
		for _, z := range slices.Sorted(maps.Keys(byZoom)) {
			parts = append(parts, fmt.Sprintf("%d at z%d", byZoom[z], z))
			total += byZoom[z]
		}
		counts = fmt.Sprintf("%d (%s)", total, strings.Join(parts, ", "))
	case *tilepack.PMTiles:
		kind = "PMTiles"
		counts = strconv.FormatUint(p.AddressedTiles(), 10)
	}
	size := ""
	if st, err := os.Stat(path); err == nil {
		size = ", " + humanBytes(st.Size())
	}
	w := &lineWriter{w: stdout}
	w.line("file", fmt.Sprintf("%s (%s%s)", path, kind, size))
	w.line("name", md.Name)
	w.line("description", md.Description)
	format := string(md.Format)
	switch {
	case md.Format == tilepack.FormatUnknown:
		format = "unknown"
	case md.Format.IsVector():
		format += " (vector tiles)"
	default:
		format += " (raster tiles)"
	}
	w.line("format", format)
	w.line("zooms", fmt.Sprintf("%d–%d", md.MinZoom, md.MaxZoom))
	b := md.Bounds
	w.line("bounds", fmt.Sprintf("%.4f,%.4f,%.4f,%.4f", b.Min[0], b.Min[1], b.Max[0], b.Max[1]))
	if md.HasCenter {
		w.line("center", fmt.Sprintf("%.4f,%.4f at zoom %g", md.Center[0], md.Center[1], md.CenterZoom))
	}
	w.line("attribution", md.Attribution)
	if md.Format.IsVector() {
		w.line("layers", strings.Join(md.VectorLayers, ", "))
		schema := atlas.Schema(md.VectorLayers)
		if schema == atlas.SchemaOther {
			w.line("style", "plain (the layers are neither OpenMapTiles nor Protomaps)")
		} else {
			w.line("style", fmt.Sprintf("the default for the %s schema", schema))
		}
	}
	w.line("tiles", counts)
	return w.err
}

// lineWriter prints "name: value" lines, leaving out empty values, and
// keeps the first write error.
type lineWriter struct {
	w   io.Writer
	err error
}

func (l *lineWriter) line(name, value string) {
	if value == "" || l.err != nil {
		return
	}
	_, l.err = fmt.Fprintf(l.w, "%-12s %s\n", name+":", value)
}

// humanBytes writes a size in B, kB, MB or GB.
func humanBytes(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000_000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	case n < 1000_000_000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	default:
		return fmt.Sprintf("%.2f GB", float64(n)/1e9)
	}
}

// fetchOptions are the parsed flags of "atlas tiles fetch".
type fetchOptions struct {
	area     fetch.Area
	template *fetch.Template
	out      string
	dryRun   bool
	opt      fetch.Options
}

func parseFetchOptions(args []string) (fetchOptions, error) {
	fl := flag.NewFlagSet("atlas tiles fetch", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	var (
		o                               fetchOptions
		bbox, zoom, template, subdomain string
	)
	fl.StringVar(&bbox, "bbox", "", "lon/lat box: minlon,minlat,maxlon,maxlat")
	fl.StringVar(&zoom, "zoom", "", "zoom range MIN-MAX (or one zoom)")
	fl.StringVar(&template, "url", "", "tile URL template with {z}, {x} and {y} (or {-y}), and {s} for subdomains")
	fl.StringVar(&subdomain, "subdomains", "", "comma-separated subdomains for {s} (default a,b,c)")
	fl.StringVar(&o.out, "out", "", "MBTiles file to write or add to")
	fl.StringVar(&o.opt.Name, "name", "", "name of the package (default: the file's name)")
	fl.StringVar(&o.opt.Attribution, "attribution", "", "credit line the tile provider asks for")
	fl.IntVar(&o.opt.MaxTiles, "max-tiles", fetch.DefaultMaxTiles, "refuse areas of more tiles than this")
	fl.Float64Var(&o.opt.RequestsPerSecond, "rate", fetch.DefaultRequestsPerSecond, "requests per second, at most")
	fl.IntVar(&o.opt.Concurrency, "concurrency", fetch.DefaultConcurrency, "requests at once, at most")
	fl.BoolVar(&o.dryRun, "dry-run", false, "print the estimate and stop, without any request")
	if err := fl.Parse(args); err != nil {
		return o, usageError{err.Error()}
	}
	if fl.NArg() > 0 {
		return o, usagef("unexpected argument %q", fl.Arg(0))
	}
	switch {
	case bbox == "" || zoom == "" || template == "" || o.out == "":
		return o, usagef("tiles fetch needs --bbox, --zoom, --url and --out")
	case o.opt.MaxTiles <= 0 || o.opt.MaxTiles > fetch.Limit:
		return o, usagef("--max-tiles %d: want 1..%d", o.opt.MaxTiles, fetch.Limit)
	case !(o.opt.RequestsPerSecond > 0):
		return o, usagef("--rate must be positive")
	case o.opt.Concurrency <= 0 || o.opt.Concurrency > 16:
		return o, usagef("--concurrency %d: want 1..16", o.opt.Concurrency)
	}
	v, err := parseFloats("--bbox", bbox, 4)
	if err != nil {
		return o, err
	}
	if v[0] >= v[2] || v[1] >= v[3] || v[0] < -180 || v[2] > 180 || v[1] < -85.06 || v[3] > 85.06 {
		return o, usagef("--bbox %s: want minlon,minlat,maxlon,maxlat with min < max, lon in -180..180 and lat in -85..85", bbox)
	}
	o.area.Bound = orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}
	lo, hi, isRange := strings.Cut(zoom, "-")
	if !isRange {
		hi = lo
	}
	z0, err0 := strconv.Atoi(strings.TrimSpace(lo))
	z1, err1 := strconv.Atoi(strings.TrimSpace(hi))
	if err0 != nil || err1 != nil || z0 < 0 || z1 > tilepack.MaxZoom || z0 > z1 {
		return o, usagef("--zoom %q: want MIN-MAX with 0 ≤ MIN ≤ MAX ≤ %d", zoom, tilepack.MaxZoom)
	}
	o.area.MinZoom, o.area.MaxZoom = z0, z1
	var subdomains []string
	if subdomain != "" {
		subdomains = strings.Split(subdomain, ",")
	}
	if o.template, err = fetch.ParseTemplate(template, subdomains...); err != nil {
		return o, usageError{err.Error()}
	}
	return o, nil
}

// progressEvery is how often "tiles fetch" prints its progress.
const progressEvery = 2 * time.Second

// tilesFetch downloads an area into an MBTiles file, printing the
// estimate, its progress and the failures.
func tilesFetch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFetchOptions(args)
	if err != nil {
		return err
	}
	est := fetch.EstimateOf(o.area, o.template)
	fmt.Fprintf(stdout, "%s: %d tiles at zooms %d–%d, about %s\n", o.out, est.Tiles, o.area.MinZoom, o.area.MaxZoom, humanBytes(est.Bytes))
	if est.Tiles > o.opt.MaxTiles {
		return usagef("%d tiles is more than --max-tiles %d: choose a smaller box or fewer zooms", est.Tiles, o.opt.MaxTiles)
	}
	if o.dryRun {
		return nil
	}
	last := time.Now()
	o.opt.Progress = func(p fetch.Progress) {
		if time.Since(last) >= progressEvery || p.Done() == p.Total {
			last = time.Now()
			fmt.Fprintf(stderr, "%d of %d tiles: %d stored, %d already there, %d failed (%s)\n", p.Done(), p.Total, p.Stored, p.Skipped, p.Failed, humanBytes(p.Bytes))
		}
	}
	res, err := fetch.Download(ctx, o.area, o.template, o.out, o.opt)
	if res == nil {
		if errors.Is(err, fetch.ErrTooManyTiles) || errors.Is(err, fetch.ErrArea) {
			return usageError{err.Error()}
		}
		return err
	}
	const shown = 20
	for i, f := range res.Failures {
		if i == shown {
			fmt.Fprintf(stderr, "… and %d more failed tiles\n", len(res.Failures)-shown)
			break
		}
		fmt.Fprintf(stderr, "failed: tile %v (%s) after %d attempts: %v\n", f.Tile, f.URL, f.Attempts, f.Err)
	}
	switch {
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("interrupted: %d of %d tiles are in %s; run the same command again to fetch the rest", res.Stored+res.Skipped, res.Total, o.out)
	case err != nil:
		return err
	case res.Failed > 0:
		return fmt.Errorf("%d of %d tiles failed (listed above); the %d others are in %s, and running the same command again tries the failed ones", res.Failed, res.Total, res.Stored+res.Skipped, o.out)
	}
	fmt.Fprintf(stdout, "%s: %d tiles stored, %d were already there (%s fetched)\n", o.out, res.Stored, res.Skipped, humanBytes(res.Bytes))
	return nil
}
