// Package identify is the map's default tool: a click selects the
// feature drawn there (the topmost point, else line, else the smallest
// area under the pointer: the lake rather than the basin tinted over
// it), highlights it above the tiles (no tile is drawn again) and opens
// the identify panel, which shows every attribute
// of it in words (query.Engine.Describe): units, the source as copyable
// text with its links, the precision of the position, "approximate"
// flagged plainly, the coordinates, the geodesic area or length, the
// basin and country it lies in, and "Zoom to". When several features
// are drawn under the pointer the panel lists them, clusters with their
// members, to choose from. Hovering shows the name of what is under the
// pointer in a tip beside it.
//
// Other features build on the selection: [Feature.Select] and
// [Feature.Show] select a feature (search results, spatial answers),
// [Feature.OnSelectionChanged] follows it, and [Feature.AddSection] adds
// a section of their own to the panel for the selected feature (the
// declaration's words about a place, the questions a basin answers).
//
// Hit-testing, describing and the highlight's picture run off the UI
// goroutine; only the newest click's or hover's answer is shown.
package identify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/ecoatlas/ecoatlas/app/async"
	"github.com/ecoatlas/ecoatlas/app/highlight"
	"github.com/ecoatlas/ecoatlas/app/i18n"
	"github.com/ecoatlas/ecoatlas/app/shell"
	"github.com/ecoatlas/ecoatlas/geo/layer"
	"github.com/ecoatlas/ecoatlas/geo/query"
	"github.com/ecoatlas/ecoatlas/geo/render"
	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// PanelID is the identify panel's id in the shell's dock.
const PanelID = "identify"

// overlayName is the selection highlight's name on the map.
const overlayName = "selection"

// Tolerance is how far, in logical pixels, a click or the pointer may
// miss what is drawn and still hit it.
const Tolerance = 4

// Section is a part of the identify panel that another feature adds for
// the selected feature: the declaration's words about a place, the
// questions a basin can answer. Sections show, in the order they were
// added, after the feature's coordinates, measures, basin, country and
// names, and before its attributes.
type Section struct {
	// ID names the section. Adding a section with the ID of one added
	// before replaces it, so a feature may add its sections on every
	// Install.
	ID string
	// Build returns the section's content for the feature the panel
	// shows, or nil when the section has nothing to say about it. It runs
	// on the UI goroutine whenever the panel shows a feature, and returns
	// at once: slow work runs in a goroutine and fills the content in
	// through fyne.Do. [Heading] gives a section a title that looks like
	// the panel's own.
	Build func(s Subject) fyne.CanvasObject
}

// Subject is the feature the identify panel shows, as a section sees it.
type Subject struct {
	Ref     query.Ref
	Feature *layer.Feature
	// Description is the feature in words, in Language, the language of
	// the panel.
	Description *query.Description
	Language    string
}

// Feature is the identify tool and panel. Create it with [New] and pass
// it to shell.WithFeatures; its methods are called on the UI goroutine.
type Feature struct {
	engine *query.Engine
	shell  *shell.Shell

	sections  []Section
	listeners []func(ref query.Ref, ok bool)
	changed   func() // tells the workspace

	// The state the widgets are built from, kept across Installs.
	selected    query.Ref
	hasSelected bool
	hits        []query.Hit        // what the last click hit: the pick list
	description *query.Description // of the selection, once described
	failure     error              // why the selection could not be described

	panel     *panel
	tip       *tip
	highlight *highlight.Overlay
	clicks    async.Latest
	hovers    async.Latest
	describes async.Latest
}

// New returns the identify feature, answering with e.
func New(e *query.Engine) *Feature {
	return &Feature{engine: e}
}

// Engine returns the query engine the feature answers with.
func (f *Feature) Engine() *query.Engine { return f.engine }

// Install makes identify the map's default tool and adds its panel and
// hover tip, built afresh from the feature's state.
func (f *Feature) Install(s *shell.Shell) {
	if f.shell != s { // listeners outlive the widgets: once per shell
		s.OnStyleChanged(func(*style.Style) { f.refreshHighlight() })
	}
	f.shell = s
	immediate := s.Map().Immediate()
	f.clicks.Immediate, f.hovers.Immediate, f.describes.Immediate = immediate, immediate, immediate
	f.panel = newPanel(f)
	s.AddPanel(shell.Panel{ID: PanelID, Title: i18n.T("identify.title"), Icon: theme.InfoIcon(), Content: f.panel.content})
	f.tip = newTip()
	s.AddMapObject(f.tip.layer)
	s.SetDefaultTool(&tool{f: f})
	f.panel.show()
	if f.hasSelected {
		f.setHighlight()
	}
}

// AddSection adds a section to the identify panel, or replaces the one
// with its ID; the panel shows it for the next feature it shows.
func (f *Feature) AddSection(s Section) {
	if i := slices.IndexFunc(f.sections, func(o Section) bool { return o.ID == s.ID }); i >= 0 {
		f.sections[i] = s
		return
	}
	f.sections = append(f.sections, s)
}

// OnSelectionChanged adds a function called with the selected feature
// whenever the selection changes; ok is false when nothing is selected.
func (f *Feature) OnSelectionChanged(fn func(ref query.Ref, ok bool)) {
	f.listeners = append(f.listeners, fn)
}

// Selected returns the selected feature, if any.
func (f *Feature) Selected() (query.Ref, bool) { return f.selected, f.hasSelected }

// Select selects a feature, highlights it and shows it in the identify
// panel, which it opens. The pick list of the last click stays if the
// feature is in it. A ref that names no feature clears the selection.
func (f *Feature) Select(ref query.Ref) {
	if !slices.ContainsFunc(f.hits, func(h query.Hit) bool { return h.Ref == ref || slices.Contains(h.Members, ref) }) {
		f.hits = nil
	}
	f.selectRef(ref)
}

// Show flies the map to a feature and selects it.
func (f *Feature) Show(ref query.Ref) {
	feat, ok := f.engine.Lookup(ref)
	if !ok || feat.Geometry == nil {
		return
	}
	f.shell.Map().FlyTo(Around(feat.Geometry.Bound()))
	f.Select(ref)
}

// Clear drops the selection and its highlight.
func (f *Feature) Clear() {
	f.hits = nil
	f.setSelection(query.Ref{}, false)
	f.panel.show()
}

// selectRef selects ref, keeping the pick list.
func (f *Feature) selectRef(ref query.Ref) {
	if _, ok := f.engine.Lookup(ref); !ok {
		f.Clear()
		return
	}
	f.setSelection(ref, true)
	f.panel.show()
	f.shell.ShowPanel(PanelID)
	f.describe(ref)
}

// setSelection records the selection, sets its highlight and tells the
// listeners.
func (f *Feature) setSelection(ref query.Ref, ok bool) {
	same := ok == f.hasSelected && ref == f.selected
	f.selected, f.hasSelected = ref, ok
	if !same {
		f.description, f.failure = nil, nil
	}
	if ok {
		f.setHighlight()
	} else {
		f.describes.Stop()
		f.removeHighlight()
	}
	if same {
		return
	}
	for _, fn := range f.listeners {
		fn(ref, ok)
	}
	if f.changed != nil {
		f.changed()
	}
}

// describe describes the selection in the background and shows it.
func (f *Feature) describe(ref query.Ref) {
	if f.description != nil && f.description.Ref == ref {
		return
	}
	lang := i18n.Current()
	f.describes.Run(func(ctx context.Context) func() {
		d, err := f.engine.Describe(ctx, ref, lang)
		if errors.Is(err, context.Canceled) {
			return nil
		}
		return func() {
			if !f.hasSelected || f.selected != ref {
				return
			}
			f.description, f.failure = d, err
			f.panel.show()
		}
	})
}

// identifyAt hit-tests a click at p of view vp and shows what it hit.
func (f *Feature) identifyAt(vp viewport.Viewport, p orb.Point) {
	st := f.shell.Style()
	f.clicks.Run(func(ctx context.Context) func() {
		hits, err := f.engine.Identify(ctx, st, vp, p, Tolerance)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return nil
			}
			return func() { f.shell.ShowError(fmt.Errorf("identify: %w", err)) }
		}
		chosen := preferred(hits)
		return func() { f.showHits(hits, chosen) }
	})
}

// showHits makes the hits of a click the pick list and selects the hit
// at chosen; a cluster is left for the user to choose from.
func (f *Feature) showHits(hits []query.Hit, chosen int) {
	f.hits = hits
	if chosen < 0 || hits[chosen].Feature == nil {
		f.setSelection(query.Ref{}, false)
		f.panel.show()
		if len(hits) > 0 {
			f.shell.ShowPanel(PanelID)
		}
		return
	}
	f.selectRef(hits[chosen].Ref)
}

// preferred returns the index of the hit a click selects, or -1 for
// none: the topmost point (a site, or a cluster of them), else the
// topmost line, else the smallest area the click is in (the topmost of
// areas of about the same size). Areas are drawn
// above points and lines only as faint tints and outlines (a basin above
// its lakes and rivers), so the most particular feature under the
// pointer is what the user pointed at: the lake, not its basin; the
// region, not its country.
func preferred(hits []query.Hit) int {
	best, bestRank, bestArea := -1, 3, math.Inf(1)
	for i, h := range hits {
		rank, area := 2, 0.0
		switch g := hitGeometry(h); g.(type) {
		case orb.Point, orb.MultiPoint, nil:
			rank = 0
		case orb.LineString, orb.MultiLineString:
			rank = 1
		default:
			area = planar.Area(g)
		}
		if rank < bestRank || (rank == 2 && bestRank == 2 && area < sameArea*bestArea) {
			best, bestRank, bestArea = i, rank, area
		}
	}
	return best
}

// sameArea is the ratio of areas under which a lower area counts as
// smaller than a higher one: above it they are one place drawn at two
// scales (a lake in the detailed map and in the world map beneath), and
// the higher one is meant.
const sameArea = 0.9

// hitGeometry returns the geometry of a hit's feature, nil for a
// cluster.
func hitGeometry(h query.Hit) orb.Geometry {
	if h.Feature == nil {
		return nil
	}
	return h.Feature.Geometry
}

// setHighlight highlights the selection on the map.
func (f *Feature) setHighlight() {
	f.removeHighlight()
	e, st, ref := f.engine, f.shell.Style(), f.selected
	f.highlight = highlight.New(f.shell.Map(), render.SelectionHighlight, func(zoom float64) []render.Mark {
		return e.Marks(st, zoom, ref)
	})
	f.shell.Map().SetOverlay(overlayName, f.highlight)
}

// refreshHighlight draws the selection's highlight again for a new
// style, whose symbols may differ.
func (f *Feature) refreshHighlight() {
	if f.hasSelected {
		f.setHighlight()
	}
}

// removeHighlight takes the selection's highlight off the map.
func (f *Feature) removeHighlight() {
	if f.highlight != nil {
		f.highlight.Close()
		f.highlight = nil
	}
	f.shell.Map().SetOverlay(overlayName, nil)
}

// Wait blocks until the answers under way (a click, a hover, a
// description, the highlight's picture) have been shown; tests call it.
func (f *Feature) Wait() {
	f.clicks.Wait()
	f.hovers.Wait()
	f.describes.Wait()
	if f.highlight != nil {
		f.highlight.Wait()
	}
}

// aroundDegrees is the least width and height, in degrees, of the area
// Around shows: about 50 km, enough to see a site among the towns and
// rivers around it at the detail of the embedded map.
const aroundDegrees = 0.5

// Around returns the lon/lat bound to fly to for a feature's extent: the
// extent itself, widened about its centre to aroundDegrees in each
// direction if smaller (a point, a small lake).
func Around(b orb.Bound) orb.Bound {
	c := b.Center()
	half := aroundDegrees / 2
	if b.Max[0]-b.Min[0] < aroundDegrees {
		b.Min[0], b.Max[0] = c[0]-half, c[0]+half
	}
	if b.Max[1]-b.Min[1] < aroundDegrees {
		b.Min[1], b.Max[1] = c[1]-half, c[1]+half
	}
	return b
}

// WorkspaceKey names the selection in the workspace file.
func (f *Feature) WorkspaceKey() string { return "selection" }

// SaveWorkspace returns the selection as JSON: the feature's layer and
// id, or null.
func (f *Feature) SaveWorkspace() (json.RawMessage, error) {
	if !f.hasSelected {
		return json.RawMessage("null"), nil
	}
	return json.Marshal(f.selected)
}

// RestoreWorkspace selects the feature a saved selection names, if the
// map still has it.
func (f *Feature) RestoreWorkspace(data json.RawMessage) error {
	var ref *query.Ref
	if err := json.Unmarshal(data, &ref); err != nil {
		return fmt.Errorf("identify: the selection: %w", err)
	}
	if ref != nil {
		if _, ok := f.engine.Lookup(*ref); ok {
			f.Select(*ref)
		}
	}
	return nil
}

// WatchWorkspace makes changed be called whenever the selection changes.
func (f *Feature) WatchWorkspace(changed func()) { f.changed = changed }
