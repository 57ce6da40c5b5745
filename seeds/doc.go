// Package seeds embeds the founding text shipped with Ecoatlas, the
// Declaration of the Heads of State of Central Asia on regional cooperation in
// the field of ecology and sustainable development, “Environmental solidarity
// of Central Asia” (Astana, 22 April 2026), and parses it into a clause model.
//
// [Text] returns the embedded text byte for byte. [Embedded] returns it parsed
// into a [Declaration]: a heading (title, subject and name), the parties line,
// the preambular recitals, the enacting formula, the numbered operative
// clauses, the closing paragraph and the place and date of adoption. [Parse]
// applies the same rules to any reader and reports malformed input as a
// [*ParseError] carrying the offending line number.
//
// [EmbeddedLinks] ties every operative clause to the map (clauses.json):
// a short title, themes from a fixed vocabulary, the style layers it
// concerns and the features it names or implies by stable feature ID, or
// an explicit "no geographic focus", each with the reasoning in a note.
// [NewIndex] searches the recitals and clauses in Latin and Cyrillic
// script alike, and [EmbeddedTour] is the declaration tour (tour.json), an
// ordered walk through the clauses that have places.
//
// Parsing never alters the wording: each field is a source line with only its
// surrounding whitespace removed, so quotation marks, nested guillemets and
// the Cyrillic “с” (U+0441) that appears in the source's clause 24
// (“Regional сentre”) are kept exactly as written.
package seeds

import (
	_ "embed"
	"strings"
	"sync"
)

// FileName is the name of the embedded declaration file in this package's
// directory.
const FileName = "declaration-environmental-solidarity-of-central-asia.txt"

//go:embed declaration-environmental-solidarity-of-central-asia.txt
var text string

// Text returns the embedded declaration exactly as stored in [FileName],
// including its leading space, trailing whitespace and final blank line.
func Text() string { return text }

var embedded = sync.OnceValue(func() Declaration {
	// The embedded text is covered by the package tests, so the error is
	// always nil; should it ever fail, Embedded degrades to whatever was
	// parsed instead of panicking.
	d, _ := Parse(strings.NewReader(text))
	return d
})

// Embedded returns the embedded declaration parsed by [Parse]. The text is
// parsed once, on first use; every call returns an independent copy, so
// callers may modify the result freely. Embedded never panics.
func Embedded() Declaration { return embedded().clone() }
