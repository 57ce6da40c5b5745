package async_test

import (
	"context"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/ecoatlas/ecoatlas/app/async"
)

func TestLatest_onlyTheNewestAnswerIsApplied(t *testing.T) {
	test.NewTempApp(t)
	var l async.Latest
	var applied []int
	release := make(chan struct{})
	started := make(chan struct{})
	// The first job waits until the second has been started; by then it
	// is cancelled, and its answer must not be applied.
	l.Run(func(ctx context.Context) func() {
		close(started)
		<-release
		return func() { applied = append(applied, 1) }
	})
	<-started
	l.Run(func(ctx context.Context) func() {
		return func() { applied = append(applied, 2) }
	})
	close(release)
	l.Wait()
	if len(applied) != 1 || applied[0] != 2 {
		t.Errorf("applied %v, want only the newest job's answer [2]", applied)
	}
}

func TestLatest_cancelsTheJobUnderWay(t *testing.T) {
	test.NewTempApp(t)
	var l async.Latest
	var cancelled atomic.Bool
	started := make(chan struct{})
	l.Run(func(ctx context.Context) func() {
		close(started)
		<-ctx.Done()
		cancelled.Store(true)
		return nil
	})
	<-started
	l.Stop()
	l.Wait()
	if !cancelled.Load() {
		t.Error("Stop did not cancel the job under way")
	}
}

func TestLatest_immediateRunsOnTheCaller(t *testing.T) {
	test.NewTempApp(t)
	l := async.Latest{Immediate: true}
	got := 0
	l.Run(func(context.Context) func() { return func() { got = 7 } })
	if got != 7 {
		t.Errorf("an immediate job's answer is %d after Run, want 7", got)
	}
}
