package sites_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ecoatlas/ecoatlas/geo/sites"
	"github.com/paulmach/orb"
)

// crashChildEnv names the store a child process edits until it is
// killed; the test binary runs as that child when it is set.
const crashChildEnv = "ECOATLAS_SITES_CRASH_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(crashChildEnv); path != "" {
		editUntilKilled(path)
		return
	}
	os.Exit(m.Run())
}

// editUntilKilled adds and moves sites in a loop. Before each edit it
// prints what it is about to do ("try"), and after the edit has returned
// (so its transaction is committed) what it did ("done"): the parent
// knows every confirmed edit, and which one may have been under way.
func editUntilKilled(path string) {
	ctx := context.Background()
	s, err := sites.Open(ctx, path)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	r := rand.New(rand.NewPCG(uint64(os.Getpid()), 7))
	var added []string
	say := func(format string, args ...any) { fmt.Fprintf(os.Stdout, format+"\n", args...) }
	for i := 0; ; i++ {
		if len(added) == 0 || r.IntN(3) > 0 {
			site := sites.NewSite(orb.Point{46 + 40*r.Float64(), 35 + 20*r.Float64()})
			site.Values["name"] = fmt.Sprintf("crash site %d", i)
			p := site.Position
			say("try add %s %v %v", site.UUID, p[0], p[1])
			if _, err := s.AddSite(ctx, site, sites.EditOptions{By: "crash"}); err != nil {
				say("error %v", err)
				os.Exit(1)
			}
			say("done add %s %v %v", site.UUID, p[0], p[1])
			added = append(added, site.UUID)
			continue
		}
		uuid := added[r.IntN(len(added))]
		p := orb.Point{46 + 40*r.Float64(), 35 + 20*r.Float64()}
		say("try move %s %v %v", uuid, p[0], p[1])
		if _, err := s.MoveSite(ctx, uuid, p, sites.EditOptions{By: "crash"}); err != nil {
			say("error %v", err)
			os.Exit(1)
		}
		say("done move %s %v %v", uuid, p[0], p[1])
	}
}

// siteState is what the parent knows of a site the child edits.
type siteState struct {
	confirmed bool      // the site was added and the add confirmed
	at        orb.Point // its last confirmed position
	tried     []orb.Point
}

// TestCrash_killedWhileEditingLosesNothingConfirmed kills a child process
// that edits the store, with SIGKILL at random moments, many times, and
// checks after each kill that the store is sound and holds every edit the
// child had confirmed.
func TestCrash_killedWhileEditingLosesNothingConfirmed(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test starts child processes")
	}
	ctx := context.Background()
	path := t.TempDir() + "/sites.gpkg"
	s, err := sites.CreateEmpty(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	r := rand.New(rand.NewPCG(1, 2))
	model := map[string]*siteState{}
	const kills = 25
	total := 0
	for k := 1; k <= kills; k++ {
		total += runAndKill(t, path, time.Duration(20+r.IntN(150))*time.Millisecond, model)
		s, err := sites.Open(ctx, path)
		if err != nil {
			t.Fatalf("after kill %d: %v", k, err)
		}
		if err := s.IntegrityCheck(ctx); err != nil {
			t.Fatalf("after kill %d: %v", k, err)
		}
		all, err := s.Sites(ctx)
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		stored := map[string]orb.Point{}
		for _, site := range all {
			stored[site.UUID] = site.Position
		}
		for uuid, st := range model {
			got, ok := stored[uuid]
			switch {
			case !ok && st.confirmed:
				t.Fatalf("after kill %d: site %s, whose add was confirmed, is gone", k, uuid)
			case ok && !(st.confirmed && got == st.at) && !slices.Contains(st.tried, got):
				t.Fatalf("after kill %d: site %s is at %v; confirmed at %v, tried %v", k, uuid, got, st.at, st.tried)
			case ok:
				model[uuid] = &siteState{confirmed: true, at: got}
			default:
				delete(model, uuid)
			}
		}
		if len(stored) != len(model) {
			t.Fatalf("after kill %d: %d sites stored, %d known", k, len(stored), len(model))
		}
	}
	t.Logf("%d kills, %d confirmed edits, %d sites", kills, total, len(model))
	if total == 0 {
		t.Fatal("the child confirmed no edit: the test tested nothing")
	}
}

// runAndKill starts a child editing the store, kills it with SIGKILL a
// delay after it started editing (its first line: starting a process
// takes longer under the race detector), and takes what it printed into
// the model; it returns how many edits the child confirmed.
func runAndKill(t *testing.T, path string, after time.Duration, model map[string]*siteState) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	confirmed := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if timer == nil {
			timer = time.AfterFunc(after, func() { cmd.Process.Signal(syscall.SIGKILL) })
		}
		f := strings.Fields(sc.Text())
		if len(f) != 5 || f[0] != "try" && f[0] != "done" {
			cmd.Process.Kill()
			t.Fatalf("child: %s", sc.Text())
		}
		x, _ := strconv.ParseFloat(f[3], 64)
		y, _ := strconv.ParseFloat(f[4], 64)
		p, uuid := orb.Point{x, y}, f[2]
		st := model[uuid]
		if st == nil {
			st = &siteState{}
			model[uuid] = st
		}
		if f[0] == "try" {
			st.tried = append(st.tried, p)
			continue
		}
		st.confirmed, st.at, st.tried = true, p, nil
		confirmed++
	}
	cmd.Wait()
	return confirmed
}
