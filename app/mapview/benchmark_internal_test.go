package mapview

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/assets"
	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// BenchmarkCompose measures one frame of the map at 1920×1080 with every
// tile in the cache: what the raster generator costs. The "pan" case
// alternates between two views a pixel apart, as a drag does (the labels
// are moved, not placed again); "zoom" alternates between two zooms a
// scroll step apart, so the labels are placed every frame; "still" is a
// refresh of an unchanged view (a tile landed elsewhere).
func BenchmarkCompose(b *testing.B) {
	test.NewTempApp(b)
	st, err := style.Parse(assets.DefaultStyle)
	if err != nil {
		b.Fatal(err)
	}
	at, err := atlas.Load(context.Background(), st, assets.Data())
	if err != nil {
		b.Fatal(err)
	}
	at.BuildIndexes()
	v := New(at, st, WithImmediateRendering())
	defer v.Close()
	win := test.NewWindow(v)
	defer win.Close()
	win.SetPadded(false)
	win.Resize(fyne.NewSize(1920, 1080))
	r := test.WidgetRenderer(v).(*viewRenderer)

	v.SetViewport(viewport.New(orb.Point{66, 45}, 6, 0, 0, 1))
	start := v.Viewport()
	for _, bc := range []struct {
		name  string
		views [2]viewport.Viewport
	}{
		{"pan", [2]viewport.Viewport{start, start.Pan(1, 0)}},
		{"zoom", [2]viewport.Viewport{start, start.ZoomAt(orb.Point{960, 540}, zoomQuantum)}},
	} {
		views := bc.views
		for _, vp := range views { // warm the cache
			v.SetViewport(vp)
			r.draw(1920, 1080)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				v.vp = views[i%2]
				r.draw(1920, 1080)
				i++
			}
		})
	}
	b.Run("still", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r.draw(1920, 1080)
		}
	})
}

// BenchmarkFlight measures the frames of a presentation's fly-to at
// 1920×1080, from the whole region to the Aral Sea, as the animation
// draws them: the destination's tiles are not there yet, so each frame
// scales the last complete one and moves the labels it can. It reports
// frames per second of the raster generator (the GL upload is apart).
func BenchmarkFlight(b *testing.B) {
	test.NewTempApp(b)
	st, err := style.Parse(assets.DefaultStyle)
	if err != nil {
		b.Fatal(err)
	}
	at, err := atlas.Load(context.Background(), st, assets.Data())
	if err != nil {
		b.Fatal(err)
	}
	at.BuildIndexes()
	v := New(at, st, WithImmediateRendering())
	defer v.Close()
	win := test.NewWindow(v)
	defer win.Close()
	win.SetPadded(false)
	win.Resize(fyne.NewSize(1920, 1080))
	r := test.WidgetRenderer(v).(*viewRenderer)

	v.SetViewport(v.fitted(atlas.Region))
	from := v.Viewport()
	r.draw(1920, 1080) // the last complete frame
	to := v.fitted(orb.Bound{Min: orb.Point{58, 43.3}, Max: orb.Point{62.5, 46.9}})
	path := flightPath(from, to)
	const frames = 48 // 1.6 s at 30 frames per second
	v.animating, v.destination = true, to
	defer func() { v.animating = false }()
	i := 0
	for b.Loop() {
		t := float64(i%frames+1) / (frames + 1)
		v.vp = path(float64(fyne.AnimationEaseInOut(float32(t))))
		r.draw(1920, 1080)
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
}
