package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"strconv"
	"strings"
	"time"

	"github.com/ecoatlas/ecoatlas/geo/csvpoints"
	"github.com/ecoatlas/ecoatlas/geo/edit"
	"github.com/ecoatlas/ecoatlas/geo/formats"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/sites"
	"github.com/paulmach/orb"
)

const sitesUsage = `usage: atlas sites COMMAND --db FILE [flags]

  add      --lon X --lat Y --name N [--type T] [--set field=value ...]
  list     [--json]                    one line (or JSON object) per site, lon/lat in WGS 84
  show     UUID [--json]               a site with its inspections and photos
  move     UUID --lon X --lat Y
  delete   UUID                        with its inspections and photos
  import   FILE [--crs EPSG:N] [--layer L] [--set f=v ...] [--default f=v ...]
           [--skip-bad] [--lon COL --lat COL | --wkt COL]
  export   --out FILE [--since YYYY-MM-DD]   .gpkg (to merge), .geojson or .csv
  merge    FILE                        another inspector's store or export
  conflicts [--json]                   records edited on both sides of a merge
  resolve  ID ours|theirs
  undo, redo

Every command takes --db FILE, the store (created from the embedded
tailings layer when a command that writes finds none), and --by NAME,
who edits (default: the user's login). An edit exits 0 only once it is
committed to disk. The fields of a site are:
`

// sitesMain runs "atlas sites ..." and returns the exit code.
func sitesMain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	err := sitesCommand(ctx, args, stdout, stderr)
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "atlas: %v\n", err)
	if errors.As(err, new(usageError)) {
		return exitUsage
	}
	return exitFailure
}

// sitesCommand runs "atlas sites ...".
func sitesCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stderr, sitesUsage)
		for _, f := range sites.SiteFields {
			fmt.Fprintf(stderr, "  %-16s %s\n", f.Name, describeField(f))
		}
		if len(args) == 0 {
			return usagef("atlas sites: give a command")
		}
		return nil
	}
	c := &sitesCmd{name: args[0], stdout: stdout, stderr: stderr}
	run, ok := map[string]func(context.Context) error{
		"add": c.add, "list": c.list, "show": c.show, "move": c.move, "delete": c.delete,
		"import": c.importFile, "export": c.export, "merge": c.merge,
		"conflicts": c.conflicts, "resolve": c.resolve, "undo": c.undo, "redo": c.redo,
	}[args[0]]
	if !ok {
		return usagef("sites: unknown command %q (atlas sites help lists them)", args[0])
	}
	if err := c.parse(args[1:]); err != nil {
		return err
	}
	return run(ctx)
}

// describeField says what values a field takes.
func describeField(f sites.Field) string {
	var parts []string
	if f.Required {
		parts = append(parts, "required")
	}
	switch f.Kind {
	case sites.Choice:
		codes := make([]string, len(f.Options))
		for i, o := range f.Options {
			codes[i] = o.Code
		}
		parts = append(parts, "one of "+strings.Join(codes, ", "))
	case sites.Number:
		parts = append(parts, fmt.Sprintf("number %s to %s %s", sites.FormatNumber(f.Min), sites.FormatNumber(f.Max), f.Unit))
	case sites.Date:
		parts = append(parts, "date")
	default:
		parts = append(parts, fmt.Sprintf("text, at most %d characters", f.MaxLen))
	}
	if f.Default != "" {
		parts = append(parts, "default "+f.Default)
	}
	return f.Label + ": " + strings.Join(parts, "; ")
}

// sitesCmd is one "atlas sites" command with its flags.
type sitesCmd struct {
	name           string
	stdout, stderr io.Writer

	db, by, out, since, crs, layer string
	lonCol, latCol, wktCol         string
	lon, lat                       string
	siteName, typ                  string
	set, defaults                  multiFlag
	json, skipBad                  bool
	args                           []string
}

// parse reads the flags, which may come before or after the positional
// arguments.
func (c *sitesCmd) parse(args []string) error {
	fl := flag.NewFlagSet("atlas sites "+c.name, flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	fl.StringVar(&c.db, "db", "", "the store")
	fl.StringVar(&c.by, "by", "", "who edits")
	switch c.name {
	case "add":
		fl.StringVar(&c.siteName, "name", "", "site name")
		fl.StringVar(&c.typ, "type", "", "site type")
		fl.Var(&c.set, "set", "field=value")
		fallthrough
	case "move":
		fl.StringVar(&c.lon, "lon", "", "longitude")
		fl.StringVar(&c.lat, "lat", "", "latitude")
	case "list", "show", "conflicts":
		fl.BoolVar(&c.json, "json", false, "JSON output")
	case "import":
		fl.StringVar(&c.crs, "crs", "", "the file's CRS")
		fl.StringVar(&c.layer, "layer", "", "layer to import")
		fl.Var(&c.set, "set", "field=value for every site")
		fl.Var(&c.defaults, "default", "field=value where the file has none")
		fl.BoolVar(&c.skipBad, "skip-bad", false, "import the good features, list the others")
		fl.StringVar(&c.lonCol, "lon", "", "CSV longitude column")
		fl.StringVar(&c.latCol, "lat", "", "CSV latitude column")
		fl.StringVar(&c.wktCol, "wkt", "", "CSV WKT column")
	case "export":
		fl.StringVar(&c.out, "out", "", "output file")
		fl.StringVar(&c.since, "since", "", "only what changed since this date")
	}
	for len(args) > 0 {
		if err := fl.Parse(args); err != nil {
			return usageError{err.Error()}
		}
		args = fl.Args()
		if len(args) > 0 {
			c.args = append(c.args, args[0])
			args = args[1:]
		}
	}
	if c.db == "" {
		return usagef("sites %s: --db FILE is required", c.name)
	}
	want := map[string]int{"show": 1, "move": 1, "delete": 1, "import": 1, "merge": 1, "resolve": 2}[c.name]
	if len(c.args) != want {
		return usagef("sites %s: want %d argument(s), got %q", c.name, want, c.args)
	}
	if c.by == "" {
		c.by = "unknown"
		if u, err := user.Current(); err == nil && u.Username != "" {
			c.by = u.Username
		}
	}
	return nil
}

// open opens the store; only commands that write create a missing one.
func (c *sitesCmd) open(ctx context.Context, create bool) (*sites.Store, error) {
	if !create {
		if _, err := os.Stat(c.db); err != nil {
			return nil, fmt.Errorf("sites: %w", err)
		}
	}
	return sites.Open(ctx, c.db)
}

func (c *sitesCmd) opts() sites.EditOptions { return sites.EditOptions{By: c.by} }

// position parses --lon and --lat.
func (c *sitesCmd) position() (orb.Point, error) {
	lon, err1 := strconv.ParseFloat(c.lon, 64)
	lat, err2 := strconv.ParseFloat(c.lat, 64)
	if c.lon == "" || c.lat == "" || err1 != nil || err2 != nil {
		return orb.Point{}, usagef("sites %s: --lon and --lat take decimal degrees, got %q and %q", c.name, c.lon, c.lat)
	}
	return orb.Point{lon, lat}, nil
}

// pairs parses field=value flags.
func pairs(name string, values []string) (map[string]string, error) {
	out := map[string]string{}
	for _, v := range values {
		k, val, ok := strings.Cut(v, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, usagef("%s %q: want field=value", name, v)
		}
		out[strings.TrimSpace(k)] = val
	}
	return out, nil
}

// done reports an edit.
func (c *sitesCmd) done(res edit.Result, what string) {
	fmt.Fprintf(c.stdout, "%s (revision %d)\n", what, res.Revisions[sites.SitesTable])
}

func (c *sitesCmd) add(ctx context.Context) error {
	p, err := c.position()
	if err != nil {
		return err
	}
	set, err := pairs("--set", c.set)
	if err != nil {
		return err
	}
	site := sites.NewSite(p)
	for k, v := range set {
		site.Values[k] = v
	}
	if c.siteName != "" {
		site.Values["name"] = c.siteName
	}
	if c.typ != "" {
		site.Values["type"] = c.typ
	}
	if err := site.Validate(); err != nil {
		return err
	}
	s, err := c.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := s.AddSite(ctx, site, c.opts())
	if err != nil {
		return err
	}
	c.done(res, "added "+site.UUID)
	return nil
}

// siteJSON is a site as "list --json" writes it.
func siteJSON(s sites.Site) map[string]any {
	m := map[string]any{"uuid": s.UUID, "lon": s.Position[0], "lat": s.Position[1]}
	for _, f := range sites.SiteFields {
		v, ok := s.Values[f.Name]
		switch {
		case !ok:
			m[f.Name] = nil
		case f.Kind == sites.Number:
			n, _ := sites.ParseNumber(v)
			m[f.Name] = n
		default:
			m[f.Name] = v
		}
	}
	m["created_at"], m["created_by"] = s.CreatedAt.UTC().Format(time.RFC3339), s.CreatedBy
	m["modified_at"], m["modified_by"] = s.ModifiedAt.UTC().Format(time.RFC3339), s.ModifiedBy
	return m
}

func (c *sitesCmd) list(ctx context.Context) error {
	s, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	all, err := s.Sites(ctx)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(c.stdout)
	for _, site := range all {
		if c.json {
			if err := enc.Encode(siteJSON(site)); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(c.stdout, "%s  %10.5f %9.5f  %s (%s, %s)\n", site.UUID, site.Position[0], site.Position[1],
			site.Values["name"], site.Values["type"], site.Values["status"])
	}
	return nil
}

func (c *sitesCmd) show(ctx context.Context) error {
	s, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	site, err := s.Site(ctx, c.args[0])
	if err != nil {
		return err
	}
	inspections, err := s.Inspections(ctx, site.UUID)
	if err != nil {
		return err
	}
	photos, err := s.Photos(ctx, site.UUID)
	if err != nil {
		return err
	}
	if c.json {
		m := siteJSON(site)
		var ins []map[string]string
		for _, in := range inspections {
			v := map[string]string{"uuid": in.UUID}
			for k, val := range in.Values {
				v[k] = val
			}
			ins = append(ins, v)
		}
		m["inspections"], m["photos"] = ins, photos
		return json.NewEncoder(c.stdout).Encode(m)
	}
	fmt.Fprintf(c.stdout, "uuid             %s\nposition         %.6f %.6f\n", site.UUID, site.Position[0], site.Position[1])
	for _, f := range sites.SiteFields {
		if v := site.Values[f.Name]; v != "" {
			fmt.Fprintf(c.stdout, "%-16s %s\n", f.Name, v)
		}
	}
	fmt.Fprintf(c.stdout, "created          %s by %s\nmodified         %s by %s\n",
		site.CreatedAt.UTC().Format(time.RFC3339), site.CreatedBy, site.ModifiedAt.UTC().Format(time.RFC3339), site.ModifiedBy)
	for _, in := range inspections {
		fmt.Fprintf(c.stdout, "inspection       %s %s by %s: %s\n", in.UUID, in.Values["date"], in.Values["inspector"], in.Values["condition"])
	}
	for _, p := range photos {
		fmt.Fprintf(c.stdout, "photo            %s %s (%d bytes, sha256 %s)\n", p.UUID, p.FileName, p.Size, p.SHA256)
	}
	return nil
}

func (c *sitesCmd) move(ctx context.Context) error {
	p, err := c.position()
	if err != nil {
		return err
	}
	s, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := s.MoveSite(ctx, c.args[0], p, c.opts())
	if err != nil {
		return err
	}
	c.done(res, "moved "+c.args[0])
	return nil
}

func (c *sitesCmd) delete(ctx context.Context) error {
	s, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := s.DeleteSite(ctx, c.args[0], c.opts())
	if err != nil {
		return err
	}
	c.done(res, "deleted "+c.args[0])
	return nil
}

// featureErrors prints the features a reader or an import refused, one
// a line, to stderr.
func (c *sitesCmd) featureErrors(prefix string, errs []layer.FeatureError) {
	const shown = 50
	for i := range errs[:min(shown, len(errs))] {
		fmt.Fprintf(c.stderr, "atlas: %s%s\n", prefix, errs[i].Error())
	}
	if len(errs) > shown {
		fmt.Fprintf(c.stderr, "atlas: %s… and %d more\n", prefix, len(errs)-shown)
	}
}

func (c *sitesCmd) importFile(ctx context.Context) (err error) {
	if _, statErr := os.Stat(c.db); statErr != nil {
		// A refused import into a store that did not exist leaves none.
		defer func() {
			if err != nil {
				for _, suffix := range []string{"", "-wal", "-shm"} {
					os.Remove(c.db + suffix)
				}
			}
		}()
	}
	if _, err := pairs("--set", c.set); err != nil {
		return err
	}
	if _, err := pairs("--default", c.defaults); err != nil {
		return err
	}
	path := c.args[0]
	// Faults in reading are collected, not fatal, so that a refused
	// import lists the faults of both reading and validation at once.
	data, err := formats.Read(ctx, path, formats.Options{
		CRS: c.crs, SkipBad: true, Layer: c.layer,
		CSV: csvpoints.Options{Lon: c.lonCol, Lat: c.latCol, WKT: c.wktCol},
	})
	if err != nil {
		return err
	}
	var chosen []formats.Layer
	for _, l := range data.Layers {
		if c.layer != "" || len(data.Layers) == 1 || l.Vector.Kind() == layer.KindPoint {
			chosen = append(chosen, l)
		}
	}
	if len(chosen) == 0 {
		return fmt.Errorf("%s has no layer of points (give one with --layer)", path)
	}
	s, err := c.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	imports := make([][]layer.Feature, len(chosen))
	for i, l := range chosen {
		imports[i] = make([]layer.Feature, 0, l.Vector.Len())
		for f := range l.Vector.All() {
			imports[i] = append(imports[i], *f)
		}
	}
	bad := data.Skipped
	if !c.skipBad && (len(bad) > 0 || len(chosen) > 1) {
		// Check every layer first, so that a refusal lists the faults
		// of reading and of validation together and writes nothing.
		for i, l := range chosen {
			report, err := s.Import(ctx, imports[i], c.importOptions(path, l, true))
			if err != nil {
				return err
			}
			bad = append(bad, report.Skipped...)
		}
		if len(bad) > 0 {
			c.featureErrors("", bad)
			return fmt.Errorf("%s: %d features are not valid sites; nothing imported (--skip-bad imports the others)", path, len(bad))
		}
	}
	added := 0
	for i, l := range chosen {
		report, err := s.Import(ctx, imports[i], c.importOptions(path, l, false))
		if ie, ok := errors.AsType[*sites.ImportError](err); ok {
			c.featureErrors("", ie.Errors)
			return fmt.Errorf("%s: %d features are not valid sites; nothing imported (--skip-bad imports the others)", path, len(ie.Errors))
		}
		if err != nil {
			return err
		}
		added += report.Added
		bad = append(bad, report.Skipped...)
	}
	c.featureErrors("skipped ", bad)
	fmt.Fprintf(c.stdout, "imported %d sites from %s", added, path)
	if len(bad) > 0 {
		fmt.Fprintf(c.stdout, ", skipped %d", len(bad))
	}
	fmt.Fprintln(c.stdout)
	return nil
}

// importOptions are the store's import options for a layer of the file:
// a check that lists every fault, or the import itself.
func (c *sitesCmd) importOptions(path string, l formats.Layer, check bool) sites.ImportOptions {
	set, _ := pairs("--set", c.set)
	defaults, _ := pairs("--default", c.defaults)
	return sites.ImportOptions{
		Name: path, Noun: l.Noun, Rows: l.Rows, Set: set, Defaults: defaults,
		SkipBad: c.skipBad, CheckOnly: check, By: c.by,
	}
}

func (c *sitesCmd) export(ctx context.Context) error {
	if c.out == "" {
		return usagef("sites export: --out FILE is required")
	}
	var since time.Time
	if c.since != "" {
		d, err := sites.ParseDate(c.since)
		if err != nil {
			return usagef("sites export: --since %q: want YYYY-MM-DD", c.since)
		}
		since = d
	}
	s, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.Export(ctx, since, c.out)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "exported %d sites, %d inspections, %d photos to %s\n", n.Sites, n.Inspections, n.Photos, c.out)
	return nil
}

func (c *sitesCmd) merge(ctx context.Context) error {
	s, err := c.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := s.Merge(ctx, c.args[0], c.opts())
	if err != nil {
		return err
	}
	for _, sk := range r.Skipped {
		fmt.Fprintf(c.stderr, "atlas: skipped %s %s: %v\n", sk.Table, sk.UUID, sk.Err)
	}
	fmt.Fprintf(c.stdout, "merged %s: %d added, %d updated, %d identical, %d older here, %d conflicts\n",
		c.args[0], r.Added, r.Updated, r.Identical, r.Older, len(r.Conflicts))
	for _, cf := range r.Conflicts {
		fmt.Fprintf(c.stdout, "conflict %d: %s %s differs in %s\n", cf.ID, cf.Table, cf.UUID, strings.Join(cf.Differences(), ", "))
	}
	return nil
}

func (c *sitesCmd) conflicts(ctx context.Context) error {
	s, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	all, err := s.Conflicts(ctx)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(c.stdout)
	for _, cf := range all {
		if c.json {
			if err := enc.Encode(map[string]any{
				"id": cf.ID, "table": cf.Table, "uuid": cf.UUID, "source": cf.Source, "found_at": cf.FoundAt,
				"differences": cf.Differences(), "ours": recordJSON(cf.Ours), "theirs": recordJSON(cf.Theirs),
			}); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(c.stdout, "%d  %s %s from %s: %s\n", cf.ID, cf.Table, cf.UUID, cf.Source, strings.Join(cf.Differences(), ", "))
		for _, field := range cf.Differences() {
			fmt.Fprintf(c.stdout, "    %-16s ours %v, theirs %v\n", field, value(cf.Ours, field), value(cf.Theirs, field))
		}
	}
	return nil
}

func recordJSON(r *edit.Record) any {
	if r == nil {
		return nil
	}
	m := map[string]any{"properties": r.Properties}
	if p, ok := r.Geometry.(orb.Point); ok {
		m["lon"], m["lat"] = p[0], p[1]
	}
	return m
}

func value(r *edit.Record, field string) any {
	if r == nil {
		return "(deleted)"
	}
	if field == "position" {
		return r.Geometry
	}
	return r.Properties[field]
}

func (c *sitesCmd) resolve(ctx context.Context) error {
	id, err := strconv.ParseInt(c.args[0], 10, 64)
	if err != nil {
		return usagef("sites resolve: %q is not a conflict number", c.args[0])
	}
	how := map[string]sites.Resolution{"ours": sites.KeepOurs, "theirs": sites.TakeTheirs}[c.args[1]]
	if how == 0 {
		return usagef("sites resolve: say ours or theirs, not %q", c.args[1])
	}
	s, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.Resolve(ctx, id, how, c.opts()); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "resolved conflict %d: kept %s\n", id, c.args[1])
	return nil
}

func (c *sitesCmd) undo(ctx context.Context) error { return c.history(ctx, true) }
func (c *sitesCmd) redo(ctx context.Context) error { return c.history(ctx, false) }

func (c *sitesCmd) history(ctx context.Context, undo bool) error {
	s, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	var res edit.Result
	if undo {
		res, err = s.Undo(ctx)
	} else {
		res, err = s.Redo(ctx)
	}
	if err != nil {
		return err
	}
	verb := "redid"
	if undo {
		verb = "undid"
	}
	c.done(res, verb+" "+res.Step.Label)
	return nil
}
