// Package bookmark keeps named views of the map: where the map looked and
// which layers it showed. The desktop app saves, names, orders and jumps
// to them; a presentation builds its story steps on them, referring to a
// bookmark by its ID, which neither renaming nor reordering changes.
//
// A [Bookmark] holds a [View] (the centre, the zoom and the size of the
// view in logical pixels, so that a window of another size shows the same
// area: see [View.Viewport]) and the layers' state (visibility, opacity
// and drawing order) as [LayerState]s, which [Bookmark.Apply] puts back
// onto a style.
//
// A [List] is an ordered list of bookmarks with the edits a bookmark
// panel makes. Lists are stored as JSON in a documented, versioned format
// (see [Marshal]): [Save] writes a file atomically, so a crash never
// leaves half a file, and [Load] and [Parse] check every field, naming
// the file, the bookmark (numbered from 1) and the field at fault.
package bookmark

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/ecoatlas/ecoatlas/geo/style"
	"github.com/ecoatlas/ecoatlas/geo/viewport"
)

// Errors, to test with errors.Is.
var (
	// ErrNotFound reports a bookmark ID that is not in the list.
	ErrNotFound = errors.New("bookmark: no such bookmark")
	// ErrInvalid reports a bookmark, or a bookmark file, whose fields are
	// not usable: an empty name, a zoom or position out of range, an
	// unknown format or a newer version.
	ErrInvalid = errors.New("bookmark: invalid")
)

// View is where the map looked.
type View struct {
	// Center is the lon/lat at the middle of the view.
	Center orb.Point `json:"center"`
	// Zoom is the fractional zoom of the standard tile pyramid.
	Zoom float64 `json:"zoom"`
	// Width and Height are the size of the view, in logical pixels.
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

// ViewOf returns the view a viewport shows.
func ViewOf(vp viewport.Viewport) View {
	return View{Center: vp.Center, Zoom: vp.Zoom, Width: vp.Width, Height: vp.Height}
}

// Viewport returns the view for a map of width × height logical pixels at
// a device scale: the same centre, and the zoom at which all of the saved
// view's area shows. A map of the saved size gets the saved view exactly;
// a smaller one zooms out, a larger one in.
func (v View) Viewport(width, height, scale float64) viewport.Viewport {
	zoom := v.Zoom
	if width > 0 && height > 0 {
		zoom += math.Log2(min(width/v.Width, height/v.Height))
	}
	return viewport.New(v.Center, zoom, width, height, scale)
}

// Bound returns the lon/lat extent of the view.
func (v View) Bound() orb.Bound {
	return viewport.New(v.Center, v.Zoom, v.Width, v.Height, 1).Bound()
}

// LayerState is what a bookmark remembers of a layer.
type LayerState struct {
	// ID is the style layer's id.
	ID string `json:"id"`
	// Visible is whether the layer was switched on.
	Visible bool `json:"visible"`
	// Opacity is the layer's opacity, 0…1.
	Opacity float64 `json:"opacity"`
}

// Bookmark is a named view of the map with its layer set.
type Bookmark struct {
	// ID names the bookmark for good: story steps refer to it.
	ID string `json:"id"`
	// Name is what the user called it.
	Name string `json:"name"`
	// Created is when it was saved.
	Created time.Time `json:"created"`
	// View is where the map looked.
	View View `json:"view"`
	// Layers are the style's layers in drawing order, bottom first, with
	// their visibility and opacity; empty leaves the layers as they are.
	Layers []LayerState `json:"layers,omitempty"`
}

// Capture returns a new bookmark, with a new ID, of what a map shows: the
// viewport vp and the layers of st.
func Capture(name string, vp viewport.Viewport, st *style.Style) Bookmark {
	b := Bookmark{ID: NewID(), Name: strings.TrimSpace(name), Created: time.Now().UTC().Truncate(time.Second), View: ViewOf(vp)}
	for _, l := range st.Layers {
		b.Layers = append(b.Layers, LayerState{ID: l.ID, Visible: !l.Hidden, Opacity: l.Opacity})
	}
	return b
}

// NewID returns a new random bookmark ID of 16 hexadecimal digits.
func NewID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Apply returns a copy of st showing the bookmark's layer set: each layer
// the bookmark names gets its visibility and opacity, and those layers
// take the bookmark's drawing order among the places they hold in st.
// Layers of st the bookmark does not name (added after it was saved) keep
// their place and state; layers it names that st lacks are ignored.
func (b Bookmark) Apply(st *style.Style) *style.Style {
	out := st.Clone()
	if len(b.Layers) == 0 {
		return out
	}
	rank := make(map[string]int, len(b.Layers))
	for i, ls := range b.Layers {
		rank[ls.ID] = i
	}
	var places []int
	var known []style.Layer
	for i, l := range out.Layers {
		r, ok := rank[l.ID]
		if !ok {
			continue
		}
		ls := b.Layers[r]
		l.Hidden, l.Opacity = !ls.Visible, ls.Opacity
		places = append(places, i)
		known = append(known, l)
	}
	slices.SortStableFunc(known, func(x, y style.Layer) int { return rank[x.ID] - rank[y.ID] })
	for i, at := range places {
		out.Layers[at] = known[i]
	}
	return out
}

// check reports the first field of the bookmark that is not usable.
func (b Bookmark) check() error {
	v := b.View
	switch {
	case strings.TrimSpace(b.ID) == "":
		return fmt.Errorf("%w: id is empty", ErrInvalid)
	case strings.TrimSpace(b.Name) == "":
		return fmt.Errorf("%w: name is empty", ErrInvalid)
	case !finite(v.Center[0]) || !finite(v.Center[1]) || v.Center[0] < -180 || v.Center[0] > 180 || v.Center[1] < -90 || v.Center[1] > 90:
		return fmt.Errorf("%w: view.center %v is not a longitude, latitude", ErrInvalid, v.Center)
	case !finite(v.Zoom) || v.Zoom < 0 || v.Zoom > viewport.MaxZoom:
		return fmt.Errorf("%w: view.zoom %v is outside 0…%v", ErrInvalid, v.Zoom, viewport.MaxZoom)
	case !finite(v.Width) || !finite(v.Height) || v.Width <= 0 || v.Height <= 0:
		return fmt.Errorf("%w: view.width and view.height must be positive, not %v × %v", ErrInvalid, v.Width, v.Height)
	}
	for i, l := range b.Layers {
		switch {
		case l.ID == "":
			return fmt.Errorf("%w: layers[%d]: id is empty", ErrInvalid, i)
		case !finite(l.Opacity) || l.Opacity < 0 || l.Opacity > 1:
			return fmt.Errorf("%w: layers[%d] (%s): opacity %v is outside 0…1", ErrInvalid, i, l.ID, l.Opacity)
		}
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// List is an ordered list of bookmarks, as a bookmark panel shows them.
type List []Bookmark

// Index returns the position of the bookmark with an ID, or −1.
func (l List) Index(id string) int {
	return slices.IndexFunc(l, func(b Bookmark) bool { return b.ID == id })
}

// Find returns the bookmark with an ID.
func (l List) Find(id string) (Bookmark, bool) {
	if i := l.Index(id); i >= 0 {
		return l[i], true
	}
	return Bookmark{}, false
}

// Add appends a bookmark, after checking it.
func (l *List) Add(b Bookmark) error {
	if err := b.check(); err != nil {
		return fmt.Errorf("bookmark %q: %w", b.Name, err)
	}
	if l.Index(b.ID) >= 0 {
		return fmt.Errorf("%w: bookmark %q: the id %s is in the list already", ErrInvalid, b.Name, b.ID)
	}
	*l = append(*l, b)
	return nil
}

// Rename gives the bookmark with an ID a new name, which must not be
// blank.
func (l List) Rename(id, name string) error {
	i := l.Index(id)
	if i < 0 {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return fmt.Errorf("%w: a bookmark needs a name", ErrInvalid)
	}
	l[i].Name = name
	return nil
}

// Move puts the bookmark with an ID at position to (clamped to the list),
// the others keeping their order.
func (l List) Move(id string, to int) error {
	i := l.Index(id)
	if i < 0 {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	to = min(max(to, 0), len(l)-1)
	b := l[i]
	if to > i {
		copy(l[i:to], l[i+1:to+1])
	} else {
		copy(l[to+1:i+1], l[to:i])
	}
	l[to] = b
	return nil
}

// Delete removes the bookmark with an ID.
func (l *List) Delete(id string) error {
	i := l.Index(id)
	if i < 0 {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	*l = slices.Delete(*l, i, i+1)
	return nil
}

// Import appends the bookmarks of another list (an imported file) that
// this one does not have, by ID, and returns how many it added: importing
// the same file twice adds nothing the second time.
func (l *List) Import(other List) int {
	added := 0
	for _, b := range other {
		if l.Index(b.ID) < 0 {
			*l = append(*l, b)
			added++
		}
	}
	return added
}
