package bookmark

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// The bookmark file format.
//
// A bookmark file is a JSON object:
//
//	{
//	  "format": "ecoatlas-bookmarks",
//	  "version": 1,
//	  "bookmarks": [
//	    {
//	      "id": "9f2c4e1a7b3d5c60",
//	      "name": "Aral Sea, south shore",
//	      "created": "2026-12-05T09:30:00Z",
//	      "view": {"center": [59.6, 44.9], "zoom": 7.25, "width": 1200, "height": 800},
//	      "layers": [{"id": "lakes", "visible": true, "opacity": 1}, …]
//	    }
//	  ]
//	}
//
// "format" is always FormatName. "version" is the version of the format;
// a reader refuses a file of a version newer than its own (Version), whose
// meaning it cannot know, and reads every older one. Bookmarks are listed
// in the user's order. In a bookmark, "id" is a unique text that names it
// for good (story steps refer to it), "name" is not blank, "created" is
// an RFC 3339 time, "view" gives the centre as [longitude, latitude] in
// WGS 84 degrees, the fractional zoom of the standard 256-pixel tile
// pyramid (0…18) and the size of the view in logical pixels, and "layers"
// lists the style's layers in drawing order, bottom first, each with its
// id, whether it was switched on and its opacity (0…1). Members not
// listed here are refused, so that a misspelt one is not silently lost.
const (
	// FormatName is the "format" member of a bookmark file.
	FormatName = "ecoatlas-bookmarks"
	// Version is the version of the format this package writes.
	Version = 1
)

// file is a bookmark file.
type file struct {
	Format    string     `json:"format"`
	Version   int        `json:"version"`
	Bookmarks []Bookmark `json:"bookmarks"`
}

// Marshal writes a list as a bookmark file of the current version,
// indented for people to read.
func Marshal(l List) ([]byte, error) {
	if l == nil {
		l = List{}
	}
	data, err := json.MarshalIndent(file{Format: FormatName, Version: Version, Bookmarks: l}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("bookmark: %w", err)
	}
	return append(data, '\n'), nil
}

// Parse reads a bookmark file and checks every bookmark. An error names
// the bookmark by its number from 1 and its name, and the field at fault.
func Parse(data []byte) (List, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line, col := position(data, se.Offset)
			return nil, fmt.Errorf("%w: line %d, column %d: %v", ErrInvalid, line, col, err)
		}
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	switch {
	case f.Format != FormatName:
		return nil, fmt.Errorf("%w: not a bookmark file (its format is %q, want %q)", ErrInvalid, f.Format, FormatName)
	case f.Version < 1:
		return nil, fmt.Errorf("%w: version %d (want 1 to %d)", ErrInvalid, f.Version, Version)
	case f.Version > Version:
		return nil, fmt.Errorf("%w: version %d was written by a newer Ecoatlas (this one reads up to %d)", ErrInvalid, f.Version, Version)
	}
	seen := make(map[string]int, len(f.Bookmarks))
	for i, b := range f.Bookmarks {
		if err := b.check(); err != nil {
			return nil, fmt.Errorf("bookmark %d (%q): %w", i+1, b.Name, err)
		}
		if first, dup := seen[b.ID]; dup {
			return nil, fmt.Errorf("%w: bookmark %d (%q): id %s is bookmark %d's too", ErrInvalid, i+1, b.Name, b.ID, first)
		}
		seen[b.ID] = i + 1
	}
	return List(f.Bookmarks), nil
}

// position returns the line and column of a byte offset, from 1.
func position(data []byte, offset int64) (line, col int) {
	line, col = 1, 1
	for _, c := range data[:min(int(offset), len(data))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// Load reads the bookmark file at path; a file that does not exist yet is
// an empty list. An error names the file.
func Load(path string) (List, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	l, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return l, nil
}

// Save writes a list to path atomically: to a temporary file beside it,
// flushed to disk, then renamed over it, so that the file holds either
// the old list or the new one, whatever happens. The folder is created if
// needed.
func Save(path string, l List) error {
	data, err := Marshal(l)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("saving bookmarks to %s: %w", path, err)
	}
	return nil
}

// FileName is the name of the file of bookmarks the app keeps, and the
// name it offers for an export.
const FileName = "bookmarks.json"

// DefaultPath returns where the app keeps the user's bookmarks: the file
// bookmarks.json in the ecoatlas folder of the user's configuration
// directory (~/.config/ecoatlas on Linux).
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "ecoatlas", FileName), nil
}
