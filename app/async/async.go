// Package async runs the app's questions to the map (identify, search,
// spatial answers, legend counts, highlight overlays) off the UI goroutine
// and brings their answers back to it, so the window never waits for
// them.
//
// A [Latest] runs one job at a time: asking again cancels the job under
// way, so a burst of requests (keystrokes, pointer moves, view changes)
// costs one answer, the newest; an older answer that finishes late is
// dropped, never shown over a newer one.
//
// In immediate mode a job runs and is applied on the caller's goroutine:
// tests use it, as the map view's immediate rendering, to see a finished
// picture at once (see mapview.WithImmediateRendering).
package async

import (
	"context"
	"sync"

	"fyne.io/fyne/v2"
)

// Job is work done off the UI goroutine. It returns what to do with its
// answer on the UI goroutine, or nil for nothing (cancelled, or no
// answer).
type Job func(ctx context.Context) (apply func())

// Latest runs the newest of its jobs; its zero value runs them in the
// background. It is used from the UI goroutine.
type Latest struct {
	// Immediate runs jobs on the caller's goroutine.
	Immediate bool

	mu      sync.Mutex
	gen     uint64
	cancel  context.CancelFunc
	running sync.WaitGroup
}

// Run starts job, cancelling the job under way. Its apply function runs
// on the UI goroutine unless a newer job was started meanwhile.
func (l *Latest) Run(job Job) {
	l.mu.Lock()
	if l.cancel != nil {
		l.cancel()
	}
	l.gen++
	gen := l.gen
	ctx, cancel := context.WithCancel(context.Background())
	l.cancel = cancel
	l.mu.Unlock()

	if l.Immediate {
		defer cancel()
		if apply := job(ctx); apply != nil && ctx.Err() == nil {
			apply()
		}
		return
	}
	l.running.Add(1)
	go func() {
		defer l.running.Done()
		defer cancel()
		apply := job(ctx)
		if apply == nil || ctx.Err() != nil {
			return
		}
		fyne.Do(func() {
			if l.current(gen) {
				apply()
			}
		})
	}()
}

// current reports whether gen is the newest job.
func (l *Latest) current(gen uint64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.gen == gen
}

// Stop cancels the job under way and drops its answer.
func (l *Latest) Stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cancel != nil {
		l.cancel()
		l.cancel = nil
	}
	l.gen++
}

// Wait blocks until every job started has finished and handed its answer
// to the UI goroutine. Tests call it; under Fyne's test driver the answer
// is applied by then.
func (l *Latest) Wait() { l.running.Wait() }
