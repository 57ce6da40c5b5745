package render

import (
	"context"
	"image"
	"runtime"
	"sync"

	"github.com/ecoatlas/ecoatlas/geo/viewport"
	"github.com/paulmach/orb"
)

// bandsPerWorker splits a frame into more bands than workers, so that one
// band crowded with features does not leave the other cores idle.
const bandsPerWorker = 3

// Frame renders a complete image for a viewport: the geometry, drawn in
// horizontal bands on every core, then the labels placed over the whole
// frame. It is what the CLI and the golden tests call; the app composes
// the same geometry from cached tiles instead and adds the same labels.
func Frame(ctx context.Context, sc *Scene, vp viewport.Viewport) (*image.RGBA, error) {
	img := image.NewRGBA(image.Rect(0, 0, vp.DeviceWidth(), vp.DeviceHeight()))
	if err := GeometryParallel(ctx, sc, vp, img, runtime.GOMAXPROCS(0)); err != nil {
		return nil, err
	}
	DrawLabels(img, Labels(sc, vp))
	return img, nil
}

// GeometryParallel is Geometry split over horizontal bands rendered by
// workers goroutines. Each band is a viewport of its own, so the result is
// the same as one Geometry call up to anti-aliasing at band seams (none:
// bands meet on whole device pixels).
func GeometryParallel(ctx context.Context, sc *Scene, vp viewport.Viewport, dst *image.RGBA, workers int) error {
	h := dst.Rect.Dy()
	bands := min(max(workers*bandsPerWorker, 1), max(h/16, 1))
	if workers <= 1 || bands <= 1 {
		return Geometry(ctx, sc, vp, dst)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	var (
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range jobs {
				y0, y1 := b*h/bands, (b+1)*h/bands
				if err := geometryBand(ctx, sc, vp, dst, y0, y1); err != nil {
					errOnce.Do(func() { firstErr = err; cancel() })
				}
			}
		}()
	}
	for b := range bands {
		jobs <- b
	}
	close(jobs)
	wg.Wait()
	return firstErr
}

// geometryBand renders device rows [y0, y1) of the viewport into dst.
func geometryBand(ctx context.Context, sc *Scene, vp viewport.Viewport, dst *image.RGBA, y0, y1 int) error {
	band := vp
	band.Height = float64(y1-y0) / vp.Scale
	mid := (float64(y0) + float64(y1)) / 2 / vp.Scale
	band.Center = vp.FromPixel(orb.Point{vp.Width / 2, mid})
	img := image.NewRGBA(image.Rect(0, 0, dst.Rect.Dx(), y1-y0))
	if err := Geometry(ctx, sc, band, img); err != nil {
		return err
	}
	copy(dst.Pix[y0*dst.Stride:y1*dst.Stride], img.Pix)
	return nil
}

// Tile renders the geometry of tile (x, y) of the grid at a (possibly
// fractional) zoom, 256 logical pixels square at a device scale.
func Tile(ctx context.Context, sc *Scene, zoom float64, x, y int, scale float64) (*image.RGBA, error) {
	vp := viewport.ForTile(zoom, x, y, scale)
	img := image.NewRGBA(image.Rect(0, 0, vp.DeviceWidth(), vp.DeviceHeight()))
	if err := Geometry(ctx, sc, vp, img); err != nil {
		return nil, err
	}
	return img, nil
}
