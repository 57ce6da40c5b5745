package fetch_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"image/color"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecoatlas/ecoatlas/geo/tilepack"
	"github.com/ecoatlas/ecoatlas/geo/tilepack/fetch"
	"github.com/ecoatlas/ecoatlas/geo/tilepack/tiletest"
	"github.com/paulmach/orb"
)

// behaviour is how the test server answers requests for a tile: the
// first answers listed, then a good tile (or the last answer again, for
// sticky behaviours).
type behaviour struct {
	answers []answer
	sticky  bool
}

// answer is one way of answering a request.
type answer int

const (
	good    answer = iota
	drop           // close the connection without a response
	stall          // answer nothing until the client gives up
	garbage        // 200 with an HTML page
	broken         // 200 with a PNG cut short
	missing        // 404
	busy           // 503
)

// server is a tile server for the tests: tiletest graticule tiles at
// /Z/X/Y.png, misbehaving for some tiles as told, counting requests.
type server struct {
	*httptest.Server
	t *testing.T

	mu         sync.Mutex
	behaviours map[tilepack.ID]behaviour
	requests   map[tilepack.ID]int
	agents     map[string]bool
	tiles      map[tilepack.ID][]byte
	delay      time.Duration
	stallUntil chan struct{}
}

func newServer(t *testing.T, behaviours map[tilepack.ID]behaviour) *server {
	s := &server{t: t, behaviours: behaviours, requests: map[tilepack.ID]int{}, agents: map[string]bool{}, stallUntil: make(chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		close(s.stallUntil)
		s.Close()
	})
	return s
}

func (s *server) serve(w http.ResponseWriter, r *http.Request) {
	var id tilepack.ID
	if _, err := fmt.Sscanf(r.URL.Path, "/%d/%d/%d.png", &id.Z, &id.X, &id.Y); err != nil {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	n := s.requests[id]
	s.requests[id]++
	s.agents[r.UserAgent()] = true
	b := s.behaviours[id]
	delay := s.delay
	s.mu.Unlock()
	a := good
	switch {
	case n < len(b.answers):
		a = b.answers[n]
	case b.sticky:
		a = b.answers[len(b.answers)-1]
	}
	time.Sleep(delay)
	tile := s.tile(id)
	switch a {
	case good:
		w.Header().Set("Content-Type", "image/png")
		w.Write(tile)
	case drop:
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	case stall:
		select {
		case <-r.Context().Done():
		case <-s.stallUntil:
		}
	case garbage:
		w.Write([]byte("<html><body>Rate limit exceeded</body></html>"))
	case broken:
		w.Write(tile[:len(tile)/2])
	case missing:
		http.NotFound(w, r)
	case busy:
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}
}

// tile returns the server's tile, made once, so that answering stays
// quick however loaded the machine is.
func (s *server) tile(id tilepack.ID) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tiles == nil {
		s.tiles = map[tilepack.ID][]byte{}
	}
	if s.tiles[id] == nil {
		s.tiles[id] = serverTile(id)
	}
	return s.tiles[id]
}

// serverTile is the tile the test server serves.
func serverTile(id tilepack.ID) []byte {
	return tiletest.Graticule(id, color.NRGBA{0xff, 0xff, 0xff, 0xff}, 1)
}

// countingTransport counts the requests a client has in flight.
type countingTransport struct {
	mu            sync.Mutex
	inFlight, max int
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.inFlight++
	c.max = max(c.max, c.inFlight)
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.inFlight--
		c.mu.Unlock()
	}()
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	// The request is in flight until its body is read and closed.
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, err
}

func (s *server) template(t *testing.T) *fetch.Template {
	tmpl, err := fetch.ParseTemplate(s.URL + "/{z}/{x}/{y}.png")
	if err != nil {
		t.Fatal(err)
	}
	return tmpl
}

func (s *server) count() map[tilepack.ID]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := map[tilepack.ID]int{}
	for id, n := range s.requests {
		c[id] = n
	}
	return c
}

// area is the sample region at zooms 3 to 6: 27 tiles.
var area = fetch.Area{Bound: tiletest.Region, MinZoom: 3, MaxZoom: 6}

// quick are options for a local server: fast, with a timeout short
// enough for the stalling tiles and long enough for a loaded machine.
func quick() fetch.Options {
	return fetch.Options{RequestsPerSecond: 1000, Concurrency: 3, Retries: 3, Backoff: time.Millisecond, Timeout: 500 * time.Millisecond}
}

// storedTiles returns the tiles an MBTiles file holds, checking that
// each is the server's tile.
func storedTiles(t *testing.T, path string, ids []tilepack.ID) map[tilepack.ID]bool {
	t.Helper()
	m, err := tilepack.OpenMBTiles(path)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	stored := map[tilepack.ID]bool{}
	for _, id := range ids {
		data, err := m.Tile(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if data == nil {
			continue
		}
		if !bytes.Equal(data, serverTile(id)) {
			t.Errorf("tile %v holds other bytes than the server's", id)
		}
		stored[id] = true
	}
	return stored
}

func TestDownload_misbehavingServer(t *testing.T) {
	ids := tiletest.Pyramid(area.Bound, area.MinZoom, area.MaxZoom)
	if len(ids) != 27 {
		t.Fatalf("the area has %d tiles", len(ids))
	}
	// Tiles that recover after misbehaving, and tiles that never do.
	behaviours := map[tilepack.ID]behaviour{
		ids[0]:  {answers: []answer{drop}},
		ids[1]:  {answers: []answer{stall}},
		ids[2]:  {answers: []answer{garbage, broken}},
		ids[3]:  {answers: []answer{busy, drop, busy}},
		ids[10]: {answers: []answer{garbage}, sticky: true},
		ids[11]: {answers: []answer{missing}, sticky: true},
		ids[12]: {answers: []answer{stall}, sticky: true},
		ids[20]: {answers: []answer{broken}, sticky: true},
	}
	srv := newServer(t, behaviours)
	path := filepath.Join(t.TempDir(), "area.mbtiles")
	var calls atomic.Int64
	opt := quick()
	opt.Progress = func(fetch.Progress) { calls.Add(1) }
	transport := &countingTransport{}
	opt.Client = &http.Client{Transport: transport}
	res, err := fetch.Download(context.Background(), area, srv.template(t), path, opt)
	if err != nil {
		t.Fatal(err)
	}

	// Every tile is stored or listed as failed, never both.
	stored := storedTiles(t, path, ids)
	failed := map[tilepack.ID]fetch.Failure{}
	for _, f := range res.Failures {
		failed[f.Tile] = f
	}
	for _, id := range ids {
		if stored[id] == (failed[id].Tile == id) {
			t.Errorf("tile %v: stored %v, failed %v", id, stored[id], failed[id].Tile == id)
		}
	}
	if res.Total != 27 || res.Stored != len(stored) || res.Failed != len(failed) || res.Stored+res.Failed != 27 || res.Skipped != 0 {
		t.Errorf("result %+v, want 27 tiles stored or failed", res.Progress)
	}
	if int(calls.Load()) != res.Done() {
		t.Errorf("Progress called %d times for %d tiles", calls.Load(), res.Done())
	}
	// The four that never recover fail, with their reasons; what the
	// server refuses is not asked again.
	for id, want := range map[tilepack.ID]struct {
		reason   string
		attempts int
	}{
		ids[10]: {"not a tile", 4},
		ids[11]: {"404", 1},
		ids[12]: {"within 500ms", 4},
		ids[20]: {"does not decode", 4},
	} {
		f := failed[id]
		if f.Err == nil || !strings.Contains(f.Err.Error(), want.reason) || f.Attempts != want.attempts {
			t.Errorf("tile %v: failure %+v, want %q after %d attempts", id, f, want.reason, want.attempts)
		}
		if !strings.HasSuffix(f.URL, fmt.Sprintf("/%d/%d/%d.png", id.Z, id.X, id.Y)) {
			t.Errorf("tile %v: failure names URL %q", id, f.URL)
		}
	}
	if transport.max > opt.Concurrency || transport.max < 2 {
		t.Errorf("%d requests at once, want 2 or 3 (at most the %d allowed)", transport.max, opt.Concurrency)
	}
	if len(srv.agents) != 1 || !srv.agents[fetch.DefaultUserAgent] {
		t.Errorf("user agents %v, want only %q", srv.agents, fetch.DefaultUserAgent)
	}
	m, err := tilepack.OpenMBTiles(path)
	if err != nil {
		t.Fatal(err)
	}
	if md := m.Metadata(); md.Format != tilepack.FormatPNG || md.MinZoom != 3 || md.MaxZoom != 6 || md.Name != "area" || md.Bounds != tiletest.Region {
		t.Errorf("metadata %+v", md)
	}
	m.Close()

	// Resumed against a server that now behaves, only the failed tiles
	// are asked for.
	before := srv.count()
	srv.mu.Lock()
	clear(behaviours)
	srv.mu.Unlock()
	res, err = fetch.Download(context.Background(), area, srv.template(t), path, quick())
	if err != nil {
		t.Fatal(err)
	}
	after := srv.count()
	for _, id := range ids {
		asked := after[id] - before[id]
		if missing := failed[id].Tile == id; missing && asked == 0 || !missing && asked > 0 {
			t.Errorf("resumed: tile %v (missing: %v) asked %d times", id, missing, asked)
		}
	}
	if res.Skipped != len(stored) || res.Stored != len(failed) || res.Failed != 0 {
		t.Errorf("resumed: %+v, want %d skipped and %d stored", res.Progress, len(stored), len(failed))
	}
	if got := storedTiles(t, path, ids); len(got) != 27 {
		t.Errorf("after resuming, %d tiles are stored, want 27", len(got))
	}
}

func TestDownload_cancelLeavesAValidFile(t *testing.T) {
	srv := newServer(t, nil)
	srv.delay = 5 * time.Millisecond
	path := filepath.Join(t.TempDir(), "cancelled.mbtiles")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opt := quick()
	opt.Progress = func(p fetch.Progress) {
		if p.Stored == 7 {
			cancel()
		}
	}
	res, err := fetch.Download(ctx, area, srv.template(t), path, opt)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Download = %v, want context.Canceled", err)
	}
	if res.Stored < 7 || res.Stored >= 27 || res.Failed != 0 {
		t.Errorf("cancelled download: %+v, want 7 or a few more stored and none failed", res.Progress)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	var n int
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity check: %q, %v", check, err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM tiles`).Scan(&n); err != nil || n != res.Stored {
		t.Errorf("the file holds %d tiles (%v), the result says %d were stored", n, err, res.Stored)
	}
	if got := storedTiles(t, path, tiletest.Pyramid(area.Bound, area.MinZoom, area.MaxZoom)); len(got) != res.Stored {
		t.Errorf("%d tiles read back, want %d", len(got), res.Stored)
	}
}

func TestDownload_rateLimit(t *testing.T) {
	srv := newServer(t, nil)
	var mu sync.Mutex
	var starts []time.Time
	inner := srv.Config.Handler
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		starts = append(starts, time.Now())
		mu.Unlock()
		inner.ServeHTTP(w, r)
	})
	opt := quick()
	opt.RequestsPerSecond = 40
	opt.Timeout = 10 * time.Second
	small := fetch.Area{Bound: tiletest.Region, MinZoom: 3, MaxZoom: 5}
	if _, err := fetch.Download(context.Background(), small, srv.template(t), filepath.Join(t.TempDir(), "slow.mbtiles"), opt); err != nil {
		t.Fatal(err)
	}
	if len(starts) < 12 {
		t.Fatalf("%d requests for 12 tiles", len(starts))
	}
	// n requests at 40 a second span at least n-1 intervals of 25 ms.
	n := len(starts)
	if span := starts[n-1].Sub(starts[0]); span < time.Duration(n-1)*25*time.Millisecond*9/10 {
		t.Errorf("%d requests took %v, faster than 40 a second", n, span)
	}
}

func TestDownload_refusesBeforeAnyRequest(t *testing.T) {
	srv := newServer(t, nil)
	path := filepath.Join(t.TempDir(), "x.mbtiles")
	opt := quick()
	opt.MaxTiles = 26
	if _, err := fetch.Download(context.Background(), area, srv.template(t), path, opt); !errors.Is(err, fetch.ErrTooManyTiles) {
		t.Errorf("27 tiles with a maximum of 26: %v, want ErrTooManyTiles", err)
	}
	huge := fetch.Area{Bound: orb.Bound{Min: orb.Point{-180, -85}, Max: orb.Point{180, 85}}, MinZoom: 0, MaxZoom: 18}
	opt.MaxTiles = 1 << 40
	if _, err := fetch.Download(context.Background(), huge, srv.template(t), path, opt); !errors.Is(err, fetch.ErrTooManyTiles) {
		t.Errorf("the world at zoom 18: %v, want ErrTooManyTiles whatever the options", err)
	}
	for _, bad := range []fetch.Area{
		{Bound: orb.Bound{Min: orb.Point{70, 40}, Max: orb.Point{60, 45}}, MaxZoom: 3},
		{Bound: tiletest.Region, MinZoom: 5, MaxZoom: 4},
	} {
		if _, err := fetch.Download(context.Background(), bad, srv.template(t), path, opt); !errors.Is(err, fetch.ErrArea) {
			t.Errorf("area %+v: %v, want ErrArea", bad, err)
		}
	}
	if n := len(srv.count()); n != 0 {
		t.Errorf("%d tiles requested", n)
	}
}

func TestTemplate(t *testing.T) {
	tmpl, err := fetch.ParseTemplate("https://{s}.tile.example.org/{z}/{x}/{-y}.jpg?key=1")
	if err != nil {
		t.Fatal(err)
	}
	if got := tmpl.URL(tilepack.ID{Z: 3, X: 5, Y: 2}); got != "https://b.tile.example.org/3/5/5.jpg?key=1" {
		t.Errorf("URL = %q", got)
	}
	if got := tmpl.URL(tilepack.ID{Z: 3, X: 5, Y: 3}); !strings.HasPrefix(got, "https://c.") {
		t.Errorf("the next tile's URL %q does not take the next subdomain", got)
	}
	if tmpl.Format() != tilepack.FormatJPEG {
		t.Errorf("format %q, want jpg", tmpl.Format())
	}
	if e := fetch.EstimateOf(area, tmpl); e.Tiles != 27 || e.Bytes != 27*25_000 {
		t.Errorf("estimate %+v", e)
	}
	for _, bad := range []string{"", "ftp://x/{z}/{x}/{y}.png", "https://x/{z}/{x}.png", "tiles/{z}/{x}/{y}.png", "https:///{z}/{x}/{y}"} {
		if _, err := fetch.ParseTemplate(bad); !errors.Is(err, fetch.ErrTemplate) {
			t.Errorf("ParseTemplate(%q) = %v, want ErrTemplate", bad, err)
		}
	}
}
