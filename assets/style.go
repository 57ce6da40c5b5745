package assets

import _ "embed"

// DefaultStyle is the JSON of the map's default cartographic style
// (see package style for its schema); source paths in it are relative to
// [Data].
//
//go:embed style.json
var DefaultStyle []byte
