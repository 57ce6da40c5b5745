package inspect

import (
	"context"
	"sync"

	"fyne.io/fyne/v2"
)

// queue runs the store's writes one after another, in the order they were
// asked for, on a goroutine of its own, and brings what each did back to
// the UI goroutine: an edit never waits for the one before it on the UI
// goroutine, and edits reach the store in the user's order.
//
// In immediate mode a job runs and is applied on the caller's goroutine,
// for tests (see mapview.WithImmediateRendering).
type queue struct {
	immediate bool

	mu      sync.Mutex
	jobs    []func(context.Context) func()
	running bool
	idle    sync.WaitGroup
}

// run adds a job; the function it returns, if not nil, runs on the UI
// goroutine once the job is done.
func (q *queue) run(job func(context.Context) func()) {
	if q.immediate {
		if apply := job(context.Background()); apply != nil {
			apply()
		}
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.jobs = append(q.jobs, job)
	if !q.running {
		q.running = true
		q.idle.Add(1)
		go q.loop()
	}
}

// loop runs the jobs until none is left.
func (q *queue) loop() {
	defer q.idle.Done()
	for {
		q.mu.Lock()
		if len(q.jobs) == 0 {
			q.running = false
			q.mu.Unlock()
			return
		}
		job := q.jobs[0]
		q.jobs = q.jobs[1:]
		q.mu.Unlock()
		if apply := job(context.Background()); apply != nil {
			fyne.Do(apply) // in order: fyne.Do runs functions in the order given
		}
	}
}

// wait blocks until every job asked for is done and its result handed to
// the UI goroutine (applied, in tests, whose fyne.Do runs in place).
func (q *queue) wait() { q.idle.Wait() }
