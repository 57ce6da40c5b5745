// Package fetch prepares an area for offline use: it downloads the tiles
// of a lon/lat box and a zoom range from an XYZ tile server into an
// MBTiles file. It is the only code of Ecoatlas that uses the network, and
// only when the user asks for a download.
//
// A download is planned before it starts: [Area.Count] and [EstimateOf]
// give the number of tiles and a size estimate without touching the
// network, and [Download] refuses an area of more than Options.MaxTiles
// tiles (and never more than [Limit]). It is polite to the server: a rate
// limit, a cap on concurrent requests, a clear User-Agent, retries with
// exponential back-off that honour Retry-After, and no retry of what the
// server refuses. It resumes: tiles already in the file are not fetched
// again. Cancelling its context stops it between tiles and leaves a valid
// MBTiles file holding every tile stored so far. Every tile ends stored,
// skipped (already there), or listed in the result's failures with the
// reason; nothing is dropped silently.
//
// The API is meant for a thin UI: a box and a zoom range ([Area]), a
// template ([ParseTemplate]), an estimate to show, then [Download] with a
// Progress callback for the progress bar and a context for the cancel
// button.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ecoatlas/ecoatlas/geo/tilepack"
	"github.com/paulmach/orb"
)

// Limit is the most tiles a download may have, whatever its options say:
// a million tiles is some 20 GB, well past what a field laptop should
// carry, and far past what public tile servers allow.
const Limit = 1_000_000

// Defaults of [Options].
const (
	DefaultMaxTiles          = 50_000
	DefaultRequestsPerSecond = 4
	DefaultConcurrency       = 2
	DefaultRetries           = 4
	DefaultBackoff           = time.Second
	DefaultTimeout           = 30 * time.Second
	// DefaultUserAgent names the program, as tile usage policies ask.
	DefaultUserAgent = "Ecoatlas/1.0 (offline area preparation; +https://github.com/ecoatlas/ecoatlas)"
)

// maxRetryAfter caps how long a Retry-After header makes a worker wait.
const maxRetryAfter = time.Minute

// Errors, to test with errors.Is.
var (
	// ErrTemplate reports a tile URL template that is not usable.
	ErrTemplate = errors.New("fetch: bad tile URL template")
	// ErrTooManyTiles reports an area with more tiles than allowed.
	ErrTooManyTiles = errors.New("fetch: too many tiles")
	// ErrArea reports an empty or inverted box or zoom range.
	ErrArea = errors.New("fetch: bad area")
)

// Area is what to download: the tiles covering a lon/lat box at every
// zoom from MinZoom to MaxZoom.
type Area struct {
	Bound            orb.Bound
	MinZoom, MaxZoom int
}

// check reports whether the area can be downloaded.
func (a Area) check() error {
	b := a.Bound
	switch {
	case !(b.Min[0] < b.Max[0] && b.Min[1] < b.Max[1]):
		return fmt.Errorf("%w: the box %v is empty", ErrArea, b)
	case b.Min[0] < -180 || b.Max[0] > 180 || b.Min[1] < -90 || b.Max[1] > 90:
		return fmt.Errorf("%w: the box %v leaves the globe", ErrArea, b)
	case a.MinZoom < 0 || a.MaxZoom > tilepack.MaxZoom || a.MinZoom > a.MaxZoom:
		return fmt.Errorf("%w: zooms %d..%d (want 0 ≤ min ≤ max ≤ %d)", ErrArea, a.MinZoom, a.MaxZoom, tilepack.MaxZoom)
	}
	return nil
}

// Ranges returns the tiles of the area, one range per zoom, shallowest
// first.
func (a Area) Ranges() []tilepack.Range {
	var rs []tilepack.Range
	for z := a.MinZoom; z <= a.MaxZoom; z++ {
		rs = append(rs, tilepack.RangeOf(a.Bound, z))
	}
	return rs
}

// Count returns the number of tiles of the area.
func (a Area) Count() int {
	n := 0
	for _, r := range a.Ranges() {
		n += r.Count()
		if n > Limit {
			// Deep zooms of a big box would overflow; past Limit the
			// exact number does not matter.
			return n
		}
	}
	return n
}

// Estimate is the size of a download, known before it starts.
type Estimate struct {
	// Tiles is the number of tiles.
	Tiles int
	// Bytes is the expected size of the file: Tiles times a typical size
	// for the template's format.
	Bytes int64
}

// typicalTileBytes are sizes of a tile of each format, averaged over
// land: topographic PNGs and satellite JPEGs are about 20–30 KB, vector
// tiles of rural areas less.
var typicalTileBytes = map[tilepack.Format]int64{
	tilepack.FormatPNG:     20_000,
	tilepack.FormatJPEG:    25_000,
	tilepack.FormatWebP:    15_000,
	tilepack.FormatMVT:     20_000,
	tilepack.FormatUnknown: 20_000,
}

// EstimateOf returns the tile count of an area and the expected size of
// its download from a template.
func EstimateOf(a Area, t *Template) Estimate {
	n := a.Count()
	return Estimate{Tiles: n, Bytes: int64(n) * typicalTileBytes[t.Format()]}
}

// Template is a parsed XYZ tile URL template: {z}, {x} and {y} (or {-y}
// for TMS rows, counted from the south) stand for the tile, and {s}, if
// present, for one of the server's subdomains, used in turn.
type Template struct {
	raw        string
	subdomains []string
}

// ParseTemplate checks a tile URL template. Subdomains default to a, b
// and c when the template has {s} and none are given.
func ParseTemplate(template string, subdomains ...string) (*Template, error) {
	u, err := url.Parse(strings.NewReplacer("{", "", "}", "", "-y", "y").Replace(template))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: %q is not an http or https URL", ErrTemplate, template)
	}
	if !strings.Contains(template, "{z}") || !strings.Contains(template, "{x}") ||
		!strings.Contains(template, "{y}") && !strings.Contains(template, "{-y}") {
		return nil, fmt.Errorf("%w: %q needs {z}, {x} and {y} (or {-y})", ErrTemplate, template)
	}
	t := &Template{raw: template, subdomains: subdomains}
	if strings.Contains(template, "{s}") && len(subdomains) == 0 {
		t.subdomains = []string{"a", "b", "c"}
	}
	return t, nil
}

// String returns the template as given.
func (t *Template) String() string { return t.raw }

// Format returns the tile format the template's file extension names,
// FormatUnknown if it names none.
func (t *Template) Format() tilepack.Format {
	p := t.raw
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	switch strings.ToLower(p[strings.LastIndex(p, ".")+1:]) {
	case "png":
		return tilepack.FormatPNG
	case "jpg", "jpeg":
		return tilepack.FormatJPEG
	case "webp":
		return tilepack.FormatWebP
	case "pbf", "mvt":
		return tilepack.FormatMVT
	}
	return tilepack.FormatUnknown
}

// URL returns the address of a tile.
func (t *Template) URL(id tilepack.ID) string {
	r := []string{
		"{z}", strconv.Itoa(id.Z), "{x}", strconv.Itoa(id.X),
		"{y}", strconv.Itoa(id.Y), "{-y}", strconv.Itoa((1 << id.Z) - 1 - id.Y),
	}
	if len(t.subdomains) > 0 {
		r = append(r, "{s}", t.subdomains[(id.X+id.Y)%len(t.subdomains)])
	}
	return strings.NewReplacer(r...).Replace(t.raw)
}

// Options tune a download. The zero value uses the defaults above.
type Options struct {
	// Name and Attribution go into the file's metadata; the attribution
	// is the credit the tile provider asks for.
	Name, Attribution string
	// UserAgent identifies the program to the server.
	UserAgent string
	// RequestsPerSecond is the most requests started per second, retries
	// included.
	RequestsPerSecond float64
	// Concurrency is the most requests in flight at once.
	Concurrency int
	// MaxTiles is the most tiles the area may have (at most Limit).
	MaxTiles int
	// Retries is how many times a failed request is tried again.
	Retries int
	// Backoff is the wait before the first retry; it doubles with each
	// further one.
	Backoff time.Duration
	// Timeout bounds each request, so a stalled server costs a retry, not
	// the download.
	Timeout time.Duration
	// Client makes the requests; http.DefaultClient's transport if nil.
	Client *http.Client
	// Progress, if set, is called after every tile, from the download's
	// goroutines but never two at a time; it should return quickly.
	Progress func(Progress)
}

// withDefaults returns the options with zero fields set to the defaults.
func (o Options) withDefaults() Options {
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.RequestsPerSecond <= 0 {
		o.RequestsPerSecond = DefaultRequestsPerSecond
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.MaxTiles <= 0 {
		o.MaxTiles = DefaultMaxTiles
	}
	o.MaxTiles = min(o.MaxTiles, Limit)
	if o.Retries < 0 {
		o.Retries = 0
	} else if o.Retries == 0 {
		o.Retries = DefaultRetries
	}
	if o.Backoff <= 0 {
		o.Backoff = DefaultBackoff
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Client == nil {
		o.Client = &http.Client{}
	}
	return o
}

// Progress is how far a download has come.
type Progress struct {
	// Total is the number of tiles of the area.
	Total int
	// Stored were downloaded and written, Skipped were in the file
	// already, Failed could not be had.
	Stored, Skipped, Failed int
	// Bytes is the size of the tiles stored.
	Bytes int64
}

// Done returns the number of tiles dealt with.
func (p Progress) Done() int { return p.Stored + p.Skipped + p.Failed }

// Failure is a tile that could not be downloaded.
type Failure struct {
	Tile tilepack.ID
	URL  string
	// Attempts is the number of requests made for it.
	Attempts int
	// Err says why the last attempt failed.
	Err error
}

// Result is the outcome of a download: its final progress and the tiles
// that failed, in the order they failed.
type Result struct {
	Progress
	Failures []Failure
}

// Download fetches the tiles of an area from a tile server into the
// MBTiles file at path, creating it or adding to it. It returns when every
// tile is stored, skipped or failed, or when ctx is done, with ctx's
// error; in both cases the file is valid and holds every tile stored.
// Before any request it refuses an area with more than opt.MaxTiles tiles
// (ErrTooManyTiles).
func Download(ctx context.Context, area Area, t *Template, path string, opt Options) (*Result, error) {
	opt = opt.withDefaults()
	if err := area.check(); err != nil {
		return nil, err
	}
	total := area.Count()
	if total > opt.MaxTiles {
		return nil, fmt.Errorf("%w: the area has %d tiles at zooms %d..%d, more than the %d allowed", ErrTooManyTiles, total, area.MinZoom, area.MaxZoom, opt.MaxTiles)
	}
	md, err := metadata(path, area, t, opt)
	if err != nil {
		return nil, err
	}
	w, err := tilepack.OpenMBTilesWriter(path, md)
	if err != nil {
		return nil, err
	}
	d := &download{
		opt: opt, template: t, w: w, md: md,
		limiter: newLimiter(opt.RequestsPerSecond),
		result:  Result{Progress: Progress{Total: total}},
	}
	runErr := d.run(ctx, area)
	// Whatever happened, what was stored is committed and the file's
	// metadata names the format found.
	closeErr := errors.Join(w.SetMetadata(d.finalMetadata()), w.Close())
	res := d.result
	if runErr != nil {
		return &res, runErr
	}
	return &res, closeErr
}

// metadata returns the metadata of the file at path after the download:
// that of the existing file, if any, widened to the area.
func metadata(path string, area Area, t *Template, opt Options) (tilepack.Metadata, error) {
	md := tilepack.Metadata{
		Name: opt.Name, Attribution: opt.Attribution, Format: t.Format(),
		Bounds: area.Bound, MinZoom: area.MinZoom, MaxZoom: area.MaxZoom,
	}
	if md.Name == "" {
		md.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	if _, err := os.Stat(path); err != nil {
		return md, nil
	}
	old, err := tilepack.OpenMBTiles(path)
	if err != nil {
		return md, fmt.Errorf("cannot add to %s: %w", path, err)
	}
	defer old.Close()
	prev := old.Metadata()
	md.Bounds = prev.Bounds.Union(md.Bounds)
	md.MinZoom, md.MaxZoom = min(prev.MinZoom, md.MinZoom), max(prev.MaxZoom, md.MaxZoom)
	if opt.Name == "" && prev.Name != "" {
		md.Name = prev.Name
	}
	if opt.Attribution == "" {
		md.Attribution = prev.Attribution
	}
	if prev.Format != tilepack.FormatUnknown {
		md.Format = prev.Format
	}
	return md, nil
}

// download is the state of one Download.
type download struct {
	opt      Options
	template *Template
	w        *tilepack.MBTilesWriter
	limiter  *limiter

	mu     sync.Mutex // guards md.Format, result and Progress calls
	md     tilepack.Metadata
	result Result
}

// finalMetadata returns the metadata to leave in the file.
func (d *download) finalMetadata() tilepack.Metadata {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.md
}

// run downloads the area's tiles on opt.Concurrency workers.
func (d *download) run(ctx context.Context, area Area) error {
	jobs := make(chan tilepack.ID)
	var wg sync.WaitGroup
	for range d.opt.Concurrency {
		wg.Go(func() {
			for id := range jobs {
				d.tile(ctx, id)
			}
		})
	}
	err := d.feed(ctx, area, jobs)
	close(jobs)
	wg.Wait()
	if err == nil {
		err = ctx.Err()
	}
	return err
}

// feed sends the tiles the file does not have yet to the workers,
// counting the others as skipped.
func (d *download) feed(ctx context.Context, area Area, jobs chan<- tilepack.ID) error {
	for _, r := range area.Ranges() {
		stored, err := d.w.Stored(ctx, r)
		if err != nil {
			return err
		}
		if len(stored) > 0 {
			d.report(func(res *Result) { res.Skipped += len(stored) })
		}
		for y := r.MinY; y <= r.MaxY; y++ {
			for x := r.MinX; x <= r.MaxX; x++ {
				id := tilepack.ID{Z: r.Z, X: x, Y: y}
				if _, ok := stored[id]; ok {
					continue
				}
				select {
				case jobs <- id:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
		}
	}
	return nil
}

// report updates the result under the lock and tells the Progress
// callback.
func (d *download) report(update func(*Result)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	update(&d.result)
	if d.opt.Progress != nil {
		d.opt.Progress(d.result.Progress)
	}
}

// tile downloads, checks and stores one tile, retrying what may succeed
// later, and records the outcome. A tile whose download the context cut
// short is recorded as neither stored nor failed.
func (d *download) tile(ctx context.Context, id tilepack.ID) {
	u := d.template.URL(id)
	var lastErr error
	attempts := 0
	for attempt := 0; attempt <= d.opt.Retries; attempt++ {
		if attempt > 0 {
			wait := d.opt.Backoff << (attempt - 1)
			var re *retryAfterError
			if errors.As(lastErr, &re) {
				wait = max(wait, re.after)
			}
			// ±20 % of jitter, so that workers do not retry in step.
			wait = time.Duration(float64(wait) * (0.8 + 0.4*rand.Float64()))
			if !sleep(ctx, wait) {
				return
			}
		}
		if err := d.limiter.wait(ctx); err != nil {
			return
		}
		attempts++
		data, err := d.get(ctx, u)
		if err == nil {
			err = d.check(data, id)
		}
		if err == nil {
			if err = d.w.Put(context.WithoutCancel(ctx), id, data); err != nil {
				// The file cannot take it: trying the server again
				// will not help.
				d.fail(id, u, attempts, err)
				return
			}
			d.report(func(res *Result) { res.Stored++; res.Bytes += int64(len(data)) })
			return
		}
		if ctx.Err() != nil {
			return
		}
		lastErr = err
		if errors.Is(err, errPermanent) {
			break
		}
	}
	d.fail(id, u, attempts, lastErr)
}

// fail records a failed tile.
func (d *download) fail(id tilepack.ID, u string, attempts int, err error) {
	d.report(func(res *Result) {
		res.Failed++
		res.Failures = append(res.Failures, Failure{Tile: id, URL: u, Attempts: attempts, Err: err})
	})
}

// errPermanent marks a response that retrying will not change.
var errPermanent = errors.New("the server will not serve it")

// retryAfterError is a response that asks to retry after a while.
type retryAfterError struct {
	status string
	after  time.Duration
}

// Error says what the server answered and how long it asked to wait.
func (e *retryAfterError) Error() string {
	return fmt.Sprintf("HTTP %s (asked to wait %v)", e.status, e.after)
}

// get requests a tile and returns its body.
func (d *download) get(ctx context.Context, u string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, d.opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errPermanent, err)
	}
	req.Header.Set("User-Agent", d.opt.UserAgent)
	req.Header.Set("Accept", "image/png,image/jpeg,image/webp,application/vnd.mapbox-vector-tile,application/x-protobuf;q=0.9,*/*;q=0.5")
	resp, err := d.opt.Client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("no answer within %v", d.opt.Timeout)
		}
		return nil, err
	}
	defer resp.Body.Close()
	switch code := resp.StatusCode; {
	case code == http.StatusOK:
	case code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable:
		after := time.Duration(0)
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			after = min(time.Duration(s)*time.Second, maxRetryAfter)
		}
		return nil, &retryAfterError{status: resp.Status, after: after}
	case code >= 500:
		return nil, fmt.Errorf("HTTP %s", resp.Status)
	default:
		return nil, fmt.Errorf("%w: HTTP %s", errPermanent, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, tilepack.MaxTileBytes+1))
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("the tile did not arrive within %v", d.opt.Timeout)
		}
		return nil, fmt.Errorf("reading the tile: %w", err)
	}
	if len(data) > tilepack.MaxTileBytes {
		return nil, fmt.Errorf("%w: the tile is larger than %d bytes", errPermanent, tilepack.MaxTileBytes)
	}
	return data, nil
}

// check verifies that a body is a tile that decodes, and notes the
// package's format from the first one.
func (d *download) check(data []byte, id tilepack.ID) error {
	format := tilepack.Sniff(data)
	var err error
	switch {
	case len(data) == 0:
		return errors.New("the server sent an empty tile")
	case format == tilepack.FormatUnknown:
		return fmt.Errorf("not a tile: the server sent %q", preview(data))
	case format.IsVector():
		_, err = tilepack.DecodeVector(data, id)
	default:
		_, err = tilepack.DecodeImage(data)
	}
	if err != nil {
		return fmt.Errorf("the tile does not decode: %w", err)
	}
	d.mu.Lock()
	if d.md.Format == tilepack.FormatUnknown {
		d.md.Format = format
	}
	d.mu.Unlock()
	return nil
}

// preview returns the start of a body, for a message.
func preview(data []byte) string {
	const n = 40
	s := strings.ToValidUTF8(string(data[:min(len(data), n)]), "?")
	if len(data) > n {
		s += "…"
	}
	return s
}

// sleep waits for d or until ctx is done, and reports whether it waited
// the whole time.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// limiter spaces requests evenly at a rate.
type limiter struct {
	mu       sync.Mutex
	interval time.Duration
	next     time.Time
}

func newLimiter(perSecond float64) *limiter {
	return &limiter{interval: time.Duration(math.Round(float64(time.Second) / perSecond))}
}

// wait blocks until the next request may start, or ctx is done.
func (l *limiter) wait(ctx context.Context) error {
	l.mu.Lock()
	now := time.Now()
	at := l.next
	if at.Before(now) {
		at = now
	}
	l.next = at.Add(l.interval)
	l.mu.Unlock()
	if d := time.Until(at); d > 0 {
		sleep(ctx, d)
	}
	return ctx.Err()
}
