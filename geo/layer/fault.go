package layer

import (
	"fmt"
	"strings"
)

// FeatureError is a fault in one feature of a file (a row of a table or a
// CSV file, a record of a Shapefile, a placemark, a waypoint): what a
// reader reports when it refuses a file, and lists for each feature it
// skipped when the user chose to skip bad ones.
type FeatureError struct {
	// File is the file's name as the user gave it, usually its base name.
	File string
	// Feature is the feature's number in the file, counting from 1 (for a
	// CSV file, the row, the header being row 1; for a GeoPackage, the
	// row's fid).
	Feature int
	// Field names the attribute or column at fault, "" when the fault is
	// not in one field (a missing geometry, a truncated record).
	Field string
	// Value is the text of the faulty value, "" when there is none.
	Value string
	// Noun is what the file calls a feature ("row", "record",
	// "placemark", "waypoint"); "feature" when empty.
	Noun string
	// Err is the reason, often a package sentinel for errors.Is.
	Err error
}

// Error returns `FILE: row N: FIELD: "VALUE": reason`, leaving out the
// parts that are empty.
func (e *FeatureError) Error() string {
	noun := e.Noun
	if noun == "" {
		noun = "feature"
	}
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%s %d: ", noun, e.Feature)
	if e.Field != "" {
		fmt.Fprintf(&b, "%s: ", e.Field)
	}
	if e.Value != "" {
		fmt.Fprintf(&b, "%q: ", e.Value)
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the reason.
func (e *FeatureError) Unwrap() error { return e.Err }
