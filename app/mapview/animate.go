package mapview

import (
	"math"
	"time"

	"fyne.io/fyne/v2"
	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/geo/mercator"
	"github.com/ecoatlas/ecoatlas/geo/tile"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

const (
	// flyDuration is how long FlyTo takes.
	flyDuration = 400 * time.Millisecond
	// zoomDuration is how long a key or double-tap zoom takes.
	zoomDuration = 200 * time.Millisecond
)

// FlyTo moves the view, in a short animation, to show the lon/lat bound b
// as large as fits with [FitPadding] around it. The animation ends exactly
// at that view, which then stays fitted to b as the view resizes, until
// it is moved. Before the view has a size, it just remembers b.
func (v *View) FlyTo(b orb.Bound) {
	v.FlyToIn(b, flyDuration)
}

// FlyToIn is FlyTo in an animation of duration d, easing in and out over
// the zoom and the position: a presentation's slower, smoother flight
// between its steps.
func (v *View) FlyToIn(b orb.Bound, d time.Duration) {
	if v.vp.Width <= 0 || v.vp.Height <= 0 {
		v.stopAnimation()
		v.fit = &b
		return
	}
	v.animateTo(v.fitted(b), d, &b)
}

// Animating reports whether the view is moving in an animation.
func (v *View) Animating() bool { return v.animating }

// animateTo moves the view to `to` over d, then keeps fit (if not nil)
// fitted. The destination's tiles are requested at the start, so they
// render while the animation plays and the last frame is sharp; the
// frames in between scale the last complete frame.
func (v *View) animateTo(to viewport.Viewport, d time.Duration, fit *orb.Bound) {
	v.stopAnimation()
	v.fit = nil
	to = v.bounded(viewport.New(to.Center, to.Zoom, v.vp.Width, v.vp.Height, v.vp.Scale))
	v.scheduler.Request(tile.Covering(to, v.content.Load().gen), v.tileReady)
	path := flightPath(v.vp, to)
	a := fyne.NewAnimation(d, func(progress float32) {
		if progress >= 1 {
			v.animation, v.animating, v.fit = nil, false, fit
			v.setViewport(to)
			return
		}
		v.setViewport(path(float64(progress)))
	})
	a.Curve = fyne.AnimationEaseInOut
	v.animation, v.animating, v.destination = a, true, to
	a.Start()
}

// settled returns the view as it will be once any animation has ended.
func (v *View) settled() viewport.Viewport {
	if v.animating {
		return v.destination
	}
	return v.vp
}

// stopAnimation ends a running animation where it is.
func (v *View) stopAnimation() {
	if v.animation != nil {
		v.animation.Stop()
	}
	v.animation, v.animating = nil, false
}

// flightPath returns the views from a (t = 0) to b (t = 1). The zoom
// changes linearly; the centre moves so that the flight is one zoom about
// a fixed map point, the point that both views put at the same place on
// screen, which makes a zoom at the cursor stay anchored at the cursor
// all the way. Between views of (nearly) equal zoom it is a straight pan.
func flightPath(a, b viewport.Viewport) func(t float64) viewport.Viewport {
	ca, cb := mercator.Project(a.Center), mercator.Project(b.Center)
	dz := b.Zoom - a.Zoom
	r := math.Exp2(-dz) // the factor world offsets from the fixed point shrink by
	return func(t float64) viewport.Viewport {
		var c orb.Point
		if math.Abs(1-r) < 1e-6 {
			c = orb.Point{ca[0] + (cb[0]-ca[0])*t, ca[1] + (cb[1]-ca[1])*t}
		} else {
			// The fixed point f satisfies cb − f = r·(ca − f).
			f := orb.Point{(cb[0] - r*ca[0]) / (1 - r), (cb[1] - r*ca[1]) / (1 - r)}
			k := math.Exp2(-dz * t)
			c = orb.Point{f[0] + (ca[0]-f[0])*k, f[1] + (ca[1]-f[1])*k}
		}
		return viewport.New(mercator.Unproject(c), a.Zoom+dz*t, a.Width, a.Height, a.Scale)
	}
}
