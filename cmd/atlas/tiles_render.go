package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ecoatlas/ecoatlas/geo/atlas"
	"github.com/ecoatlas/ecoatlas/geo/tilepack"
	"github.com/paulmach/orb"
)

// tileFlags are the flags of "atlas render" that add tile packages.
type tileFlags struct {
	files   multiFlag
	below   string
	opacity float64
	// added are the packages added to the map, for their failures.
	added []*tilepack.Tiles
}

// register declares the flags.
func (t *tileFlags) register(fl *flag.FlagSet) {
	fl.Var(&t.files, "tiles", "MBTiles or PMTiles package to draw as a layer (repeatable)")
	fl.StringVar(&t.below, "tiles-below", "", "id of the layer the packages go under (default: on top)")
	fl.Float64Var(&t.opacity, "tiles-opacity", 1, "opacity of the packages, 0..1")
}

// check validates the flags once parsed.
func (t *tileFlags) check() error {
	if !(t.opacity > 0 && t.opacity <= 1) {
		return usagef("--tiles-opacity %v: want a number in (0, 1]", t.opacity)
	}
	return nil
}

// add opens the packages and adds them to the map, in the order given,
// and returns the lon/lat bound they cover (the zero bound if none).
func (t *tileFlags) add(ctx context.Context, a *atlas.Atlas) (orb.Bound, error) {
	var extent orb.Bound
	for i, path := range t.files {
		archive, err := tilepack.Open(path)
		if err != nil {
			return extent, err
		}
		tiles := tilepack.NewTiles(archive, 0)
		name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		if _, err := a.AddTiles(ctx, name, tiles, atlas.TileOptions{Opacity: t.opacity, Below: t.below}); err != nil {
			tiles.Close()
			if t.below != "" && strings.Contains(err.Error(), "no layer") {
				return extent, usagef("--tiles-below: %v", err)
			}
			return extent, err
		}
		t.added = append(t.added, tiles)
		if b := tiles.Metadata().Bounds; i == 0 {
			extent = b
		} else {
			extent = extent.Union(b)
		}
	}
	return extent, nil
}

// err reports the package tiles that failed to read or decode while the
// map was drawn (the image leaves them out).
func (t *tileFlags) err() error {
	var errs []error
	for _, tiles := range t.added {
		failures, n := tiles.Failures()
		if n == 0 {
			continue
		}
		errs = append(errs, fmt.Errorf("%d tiles of %s could not be drawn, the first: %w", n, tiles.Archive().Path(), failures[0]))
	}
	return errors.Join(errs...)
}
