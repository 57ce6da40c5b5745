package seeds

import (
	"slices"
	"strings"
)

// Declaration is the structure of a declaration of heads of state: a heading,
// a preamble of recitals, an enacting formula, numbered operative clauses and
// a closing. Every string is one source line (a clause may span several) with
// its surrounding whitespace removed and its wording untouched.
type Declaration struct {
	// Title is the first heading line, "DECLARATION".
	Title string `json:"title"`
	// Subject is the second heading line, "of the Heads of State of …".
	Subject string `json:"subject"`
	// Name is the third heading line, the quoted name of the declaration.
	Name string `json:"name"`
	// Parties is the first line of the preamble naming the signatories,
	// "We, the Heads of State of …".
	Parties string `json:"parties"`
	// Recitals are the preambular paragraphs, one per line, in order.
	Recitals []string `json:"recitals"`
	// Enacting is the line holding the enacting formula,
	// "hereby adopt this Declaration:".
	Enacting string `json:"enacting"`
	// Clauses are the numbered operative clauses, numbered 1 to n in order.
	Clauses []Clause `json:"clauses"`
	// Closing holds the lines after the last clause other than Adopted.
	Closing []string `json:"closing"`
	// Adopted is the final "Adopted in …" line giving place and date, or ""
	// if the text has none.
	Adopted string `json:"adopted"`
}

// Clause is one numbered operative clause of a [Declaration].
type Clause struct {
	// Number is the clause number as written, 1 for the first clause.
	Number int `json:"number"`
	// Text is the clause wording without its "N." prefix. Lines of a clause
	// spanning several lines are joined with "\n".
	Text string `json:"text"`
}

// Clause returns the operative clause numbered n and reports whether it
// exists.
func (d Declaration) Clause(n int) (Clause, bool) {
	if n >= 1 && n <= len(d.Clauses) && d.Clauses[n-1].Number == n {
		return d.Clauses[n-1], true
	}
	for _, c := range d.Clauses {
		if c.Number == n {
			return c, true
		}
	}
	return Clause{}, false
}

// Mentions reports whether the clause text contains term, ignoring case.
// Characters are compared as written: a Latin "c" does not match the Cyrillic
// "с" (U+0441). Every clause mentions the empty term.
func (c Clause) Mentions(term string) bool {
	return strings.Contains(strings.ToLower(c.Text), strings.ToLower(term))
}

// clone returns a copy of d that shares no slices with it.
func (d Declaration) clone() Declaration {
	d.Recitals = slices.Clone(d.Recitals)
	d.Clauses = slices.Clone(d.Clauses)
	d.Closing = slices.Clone(d.Closing)
	return d
}
