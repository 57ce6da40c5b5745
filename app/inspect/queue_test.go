package inspect

import (
	"context"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestQueue_runsJobsInOrderOffTheCaller runs jobs in the background, as
// the app does: each runs after the one asked for before it, and what
// they return is applied in the same order.
func TestQueue_runsJobsInOrderOffTheCaller(t *testing.T) {
	test.NewTempApp(t)
	var q queue
	var ran, applied []int
	for i := range 50 {
		q.run(func(context.Context) func() {
			ran = append(ran, i)
			return func() { applied = append(applied, i) }
		})
	}
	q.wait()
	want := make([]int, 50)
	for i := range want {
		want[i] = i
	}
	if !slices.Equal(ran, want) || !slices.Equal(applied, want) {
		t.Errorf("ran %v, applied %v; want both in order 0..49", ran, applied)
	}
}
