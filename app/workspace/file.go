package workspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Version is the version of the workspace file this build writes; it
// reads files of this version and earlier ones that have a version.
const Version = 1

// FileName is the workspace file's name in its directory.
const FileName = "workspace.json"

// SetAsideName is the name an unusable workspace file is kept under, in
// the same directory, so that nothing the user or a newer Ecoatlas wrote
// is lost when this one saves its own.
const SetAsideName = "workspace.unused.json"

// maxFileBytes bounds what Load reads: a workspace is a few kilobytes,
// a larger file is not one.
const maxFileBytes = 1 << 20

// Errors of the package; the errors of Load wrap one of them.
var (
	// ErrCorrupt means the workspace file is not a workspace: not JSON,
	// cut short, of the wrong shape or too large.
	ErrCorrupt = errors.New("workspace: the file is not a workspace")
	// ErrNewer means the workspace file was written by a newer Ecoatlas.
	ErrNewer = errors.New("workspace: the file is of a newer version")
)

// LoadError says why a workspace file could not be used.
type LoadError struct {
	// Path is the file's path.
	Path string
	// Kind is ErrCorrupt or ErrNewer.
	Kind error
	// Reason says what is wrong, such as "unexpected end of JSON input".
	Reason string
	// Version is the file's version, for ErrNewer.
	Version int
}

// Error names the file and what is wrong with it.
func (e *LoadError) Error() string { return fmt.Sprintf("%v: %s: %s", e.Kind, e.Path, e.Reason) }

// Unwrap returns the kind, for errors.Is.
func (e *LoadError) Unwrap() error { return e.Kind }

// File is what a workspace file holds: where the user left the app.
type File struct {
	Version int `json:"version"`
	// View is the map's centre and zoom.
	View *View `json:"view,omitempty"`
	// Layers are the style's layers in drawing order, bottom first, with
	// what the user set of each.
	Layers []Layer `json:"layers,omitempty"`
	// LabelLanguage is the language of the map's labels.
	LabelLanguage string `json:"label_language,omitempty"`
	// Parts are the features' own states, by Part.WorkspaceKey.
	Parts map[string]json.RawMessage `json:"parts,omitempty"`
}

// View is the map's view: its centre in degrees, [lon, lat], and zoom.
type View struct {
	Center [2]float64 `json:"center"`
	Zoom   float64    `json:"zoom"`
}

// Layer is what the user set of one layer.
type Layer struct {
	ID      string  `json:"id"`
	Hidden  bool    `json:"hidden,omitempty"`
	Opacity float64 `json:"opacity"`
}

// Load reads the workspace file of dir. Without a file it returns nil
// and no error. A file it cannot use returns a *LoadError, which wraps
// ErrCorrupt or ErrNewer; a file it cannot read, the read's error.
func Load(dir string) (*File, error) {
	path := filepath.Join(dir, FileName)
	fh, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("workspace: %w", err)
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("workspace: %s: %w", path, err)
	}
	if len(data) > maxFileBytes {
		return nil, &LoadError{Path: path, Kind: ErrCorrupt, Reason: fmt.Sprintf("larger than %d bytes", maxFileBytes)}
	}
	return parse(path, data)
}

// parse reads a workspace file's bytes; path names it in errors.
func parse(path string, data []byte) (*File, error) {
	var f File
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, &LoadError{Path: path, Kind: ErrCorrupt, Reason: err.Error()}
	}
	switch {
	case f.Version > Version:
		return nil, &LoadError{Path: path, Kind: ErrNewer, Version: f.Version,
			Reason: fmt.Sprintf("version %d, this Ecoatlas reads up to %d", f.Version, Version)}
	case f.Version < 1:
		return nil, &LoadError{Path: path, Kind: ErrCorrupt, Reason: "no version"}
	}
	return &f, nil
}

// SetAside moves the workspace file of dir to SetAsideName, replacing an
// earlier one, and returns the new path.
func SetAside(dir string) (string, error) {
	to := filepath.Join(dir, SetAsideName)
	if err := os.Rename(filepath.Join(dir, FileName), to); err != nil {
		return "", fmt.Errorf("workspace: %w", err)
	}
	return to, nil
}

// Save writes f as the workspace file of dir, creating dir if need be,
// atomically: into a temporary file of the same directory, synced to the
// disk, then renamed over the old one, so that a crash or a full disk
// leaves the old file or the new one, never half of either.
func Save(dir string, f *File) error {
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("workspace: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("workspace: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "workspace-*.tmp")
	if err != nil {
		return fmt.Errorf("workspace: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename, there is nothing to remove
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("workspace: %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("workspace: %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("workspace: %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, FileName)); err != nil {
		return fmt.Errorf("workspace: %w", err)
	}
	// The rename is durable once the directory is synced.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
