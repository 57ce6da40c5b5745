// Package atlas binds a style to its data: it loads every source a
// [style.Style] names from a file system (the embedded assets for the
// default map), keeps them, and builds the [render.Scene] the renderers
// draw. It is the one place where files become layers, shared by the
// desktop app and the CLI so both draw exactly the same map.
package atlas

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/ecoatlas/ecoatlas/assets"
	"github.com/ecoatlas/ecoatlas/geo/decode"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/tilepack"
	"github.com/paulmach/orb"
)

// Region is the lon/lat bound of the five Central Asian states
// (Kazakhstan 46.48–87.32 E, 40.58–55.43 N; Turkmenistan south to
// 35.14 N), the embedded map's home view in the app and the CLI's default.
var Region = orb.Bound{Min: orb.Point{46.48, 35.14}, Max: orb.Point{87.32, 55.43}}

// Source is a loaded data source.
type Source struct {
	ID     string
	Path   string
	Vector *layer.Vector
	Relief *layer.Relief
	// Tiles is an open tile package; Atlas.Close closes it.
	Tiles *tilepack.Tiles
	// Live, when set, is what the source's layers draw instead of
	// Vector: a source read on every render, such as the inspectors'
	// store (see UseLive).
	Live layer.FeatureSource
}

// Atlas is a style with all of its sources loaded.
type Atlas struct {
	Style   *style.Style
	Sources map[string]*Source
}

// Load reads every source of the style from fsys, in parallel. An error
// names the source and its file.
func Load(ctx context.Context, st *style.Style, fsys fs.FS) (*Atlas, error) {
	a := &Atlas{Style: st, Sources: make(map[string]*Source, len(st.Sources))}
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		errs  []error
		limit = make(chan struct{}, 4)
	)
	for id, def := range st.Sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			limit <- struct{}{}
			defer func() { <-limit }()
			if ctx.Err() != nil {
				return
			}
			src, err := loadSource(fsys, id, def)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			a.Sources[id] = src
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		a.Close()
		return nil, err
	}
	if len(errs) > 0 {
		a.Close()
		return nil, errs[0]
	}
	if err := a.bindTiles(st); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

func loadSource(fsys fs.FS, id string, def style.Source) (*Source, error) {
	if def.Kind == style.SourceMBTiles || def.Kind == style.SourcePMTiles {
		return loadTiles(fsys, id, def)
	}
	data, err := fs.ReadFile(fsys, def.Path)
	if err != nil {
		return nil, fmt.Errorf("source %q: %w", id, err)
	}
	src := &Source{ID: id, Path: def.Path}
	switch def.Kind {
	case style.SourceHillshade:
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("source %q: %s: %w", id, def.Path, err)
		}
		wfPath := strings.TrimSuffix(def.Path, path.Ext(def.Path)) + ".pgw"
		wfData, err := fs.ReadFile(fsys, wfPath)
		if err != nil {
			return nil, fmt.Errorf("source %q: the relief needs its world file: %w", id, err)
		}
		wf, err := layer.ParseWorldFile(bytes.NewReader(wfData))
		if err != nil {
			return nil, fmt.Errorf("source %q: %s: %w", id, wfPath, err)
		}
		src.Relief = layer.NewRelief(img, wf)
	default:
		v, err := decode.GeoJSON(data, path.Base(def.Path))
		if err != nil {
			return nil, fmt.Errorf("source %q: %w", id, err)
		}
		src.Vector = v
	}
	return src, nil
}

// AddVector adds a vector source and a plain-styled layer for it on top of
// the map, returning the new layer's id (made unique from name).
func (a *Atlas) AddVector(name, filePath string, v *layer.Vector) string {
	id := name
	for n := 2; a.Sources[id] != nil; n++ {
		id = fmt.Sprintf("%s_%d", name, n)
	}
	a.Sources[id] = &Source{ID: id, Path: filePath, Vector: v}
	if a.Style.Sources == nil {
		a.Style.Sources = map[string]style.Source{}
	}
	a.Style.Sources[id] = style.Source{Kind: style.SourceVector, Path: filePath, Attribution: name}
	l := style.Plain(id, name, id)
	if v.Kind() == layer.KindLine {
		l = style.PlainLines(id, name, id)
	}
	a.Style.Layers = append(a.Style.Layers, l)
	return id
}

// BuildIndexes builds the spatial index of every vector source now; the
// app runs it in the background after loading so that panning and
// identify never wait for it.
func (a *Atlas) BuildIndexes() {
	for _, s := range a.Sources {
		if s.Vector != nil {
			s.Vector.BuildIndex()
		}
	}
}

// Scene binds the layers of st (which may be a modified copy of a.Style:
// the app changes visibility, order and opacity on its own copy) to the
// loaded sources, with labels in a language (a BCP 47 tag, such as "ru").
// Layers whose source is missing are left out.
func (a *Atlas) Scene(st *style.Style, lang string) *render.Scene {
	sc := &render.Scene{Background: st.Background.NRGBA(), Names: st.NameChain(lang)}
	for i := range st.Layers {
		l := &st.Layers[i]
		src := a.Sources[l.Source]
		if src == nil {
			continue
		}
		rl := render.Layer{Style: l, Relief: src.Relief, Tiles: src.Tiles}
		switch {
		case src.Live != nil:
			rl.Features = src.Live
		case src.Vector != nil:
			rl.Features = src.Vector
		}
		sc.Layers = append(sc.Layers, rl)
	}
	return sc
}

// Extent returns the lon/lat bound of the vector layers the style shows.
func (a *Atlas) Extent(st *style.Style) orb.Bound {
	var b orb.Bound
	first := true
	for _, l := range st.Layers {
		src := a.Sources[l.Source]
		if l.Hidden || src == nil {
			continue
		}
		var fs layer.FeatureSource = src.Vector
		if src.Live != nil {
			fs = src.Live
		} else if src.Vector == nil {
			continue
		}
		if fs.Len() == 0 {
			continue
		}
		if first {
			b, first = fs.Extent(), false
		} else {
			b = b.Union(fs.Extent())
		}
	}
	return b
}

// UseLive makes the layers of a source draw a live feature source, read
// on every render, instead of the data loaded for it: how the app draws
// the inspectors' store (sites.Store.Source) in the embedded style's
// tailings layers, so that an edit shows at once. Scenes built before
// keep what they had.
func (a *Atlas) UseLive(id string, fs layer.FeatureSource) error {
	src := a.Sources[id]
	if src == nil {
		return fmt.Errorf("atlas: no source %q", id)
	}
	src.Live = fs
	return nil
}

// LoadDefault loads the embedded map: the default style and the data it
// draws, from package assets.
func LoadDefault(ctx context.Context) (*Atlas, error) {
	st, err := style.Parse(assets.DefaultStyle)
	if err != nil {
		return nil, err
	}
	return Load(ctx, st, assets.Data())
}
