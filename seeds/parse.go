package seeds

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Marker is the enacting formula that separates the preamble from the
// operative clauses. The first line containing it ends the preamble.
const Marker = "hereby adopt this Declaration:"

// Sentinel errors wrapped by [*ParseError]; test for them with [errors.Is].
var (
	// ErrPreamble reports a missing or malformed heading or parties line.
	ErrPreamble = errors.New("seeds: malformed preamble")
	// ErrNoMarker reports that no line contains [Marker].
	ErrNoMarker = errors.New("seeds: missing enacting formula")
	// ErrNoClauses reports that no numbered clause follows [Marker].
	ErrNoClauses = errors.New("seeds: no operative clauses")
	// ErrClauseOrder reports a clause whose number is not one more than the
	// previous clause's (or not 1 for the first clause).
	ErrClauseOrder = errors.New("seeds: clause out of sequence")
	// ErrEmptyClause reports a numbered line with no text after the number.
	ErrEmptyClause = errors.New("seeds: empty clause")
	// ErrUnexpectedLine reports a numbered clause after unnumbered text that
	// follows the enacting formula, such as the closing paragraph.
	ErrUnexpectedLine = errors.New("seeds: unexpected line")
)

// ParseError is the error returned by [Parse] for malformed input.
type ParseError struct {
	// Line is the 1-based line number where the problem was detected. For
	// problems only detectable at the end of the input it is the last line
	// (1 for empty input).
	Line int
	// Err is one of the package's sentinel errors, such as [ErrClauseOrder].
	Err error
	// Msg describes the problem in detail; if empty, Err's text is used.
	Msg string
}

// Error formats e as "seeds: line N: message".
func (e *ParseError) Error() string {
	msg := e.Msg
	if msg == "" && e.Err != nil {
		msg = strings.TrimPrefix(e.Err.Error(), "seeds: ")
	}
	if msg == "" {
		msg = "parse error"
	}
	return fmt.Sprintf("seeds: line %d: %s", e.Line, msg)
}

// Unwrap returns e.Err.
func (e *ParseError) Unwrap() error { return e.Err }

// line is one source line with its 1-based number and surrounding whitespace
// removed.
type line struct {
	num  int
	text string
}

// Parse reads a declaration from r and returns its structure.
//
// The expected layout is:
//
//   - a heading paragraph of exactly three lines: title, subject and name;
//   - after a blank line, the parties line ("We, …") followed by one recital
//     per line (blank lines between recitals are ignored);
//   - a line containing [Marker];
//   - operative clauses, each starting on a line "N. text" with N counting up
//     from 1; non-blank lines directly below a clause line continue it;
//   - after a blank line, closing lines, the last of which is stored in
//     [Declaration.Adopted] if it starts with "Adopted ".
//
// Lines may end in "\n" or "\r\n", a leading UTF-8 byte order mark is
// ignored, and lines holding only whitespace count as blank. Text is kept
// verbatim apart from trimming whitespace around each line.
//
// Malformed input yields a [*ParseError] wrapping one of the Err* sentinels,
// together with whatever was parsed before the problem. A failure to read r is
// returned wrapped, prefixed with "seeds: ".
func Parse(r io.Reader) (Declaration, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Declaration{}, fmt.Errorf("seeds: reading declaration: %w", err)
	}
	src := strings.TrimPrefix(string(data), "\uFEFF")
	src = strings.TrimSuffix(src, "\n")
	raw := strings.Split(src, "\n")
	lines := make([]line, len(raw))
	for i, s := range raw {
		lines[i] = line{num: i + 1, text: strings.TrimSpace(strings.TrimSuffix(s, "\r"))}
	}

	var d Declaration
	marker := -1
	for i, l := range lines {
		if strings.Contains(l.text, Marker) {
			marker = i
			break
		}
	}
	if marker < 0 {
		return d, &ParseError{Line: max(len(raw), 1), Err: ErrNoMarker,
			Msg: fmt.Sprintf("missing enacting formula %q", Marker)}
	}
	if err := parsePreamble(&d, lines[:marker], lines[marker].num); err != nil {
		return d, err
	}
	d.Enacting = lines[marker].text
	if err := parseOperative(&d, lines[marker+1:]); err != nil {
		return d, err
	}
	if len(d.Clauses) == 0 {
		return d, &ParseError{Line: lines[marker].num, Err: ErrNoClauses,
			Msg: "no numbered clauses follow the enacting formula"}
	}
	return d, nil
}

// parsePreamble fills the heading, parties and recitals of d from the lines
// before the enacting formula, which is on line markerLine.
func parsePreamble(d *Declaration, lines []line, markerLine int) error {
	var paras [][]line
	blank := true
	for _, l := range lines {
		switch {
		case l.text == "":
			blank = true
		case blank:
			paras = append(paras, []line{l})
			blank = false
		default:
			paras[len(paras)-1] = append(paras[len(paras)-1], l)
		}
	}
	if len(paras) == 0 {
		return &ParseError{Line: markerLine, Err: ErrPreamble,
			Msg: "no heading before the enacting formula"}
	}
	heading := paras[0]
	if len(heading) != 3 {
		at := heading[len(heading)-1].num
		if len(heading) > 3 {
			at = heading[3].num
		}
		return &ParseError{Line: at, Err: ErrPreamble,
			Msg: fmt.Sprintf("heading has %d lines, want 3 (title, subject, name)", len(heading))}
	}
	d.Title, d.Subject, d.Name = heading[0].text, heading[1].text, heading[2].text
	if len(paras) == 1 {
		return &ParseError{Line: markerLine, Err: ErrPreamble,
			Msg: "no parties line between the heading and the enacting formula"}
	}
	d.Parties = paras[1][0].text
	d.Recitals = []string{}
	for i, p := range paras[1:] {
		if i == 0 {
			p = p[1:]
		}
		for _, l := range p {
			d.Recitals = append(d.Recitals, l.text)
		}
	}
	return nil
}

// parseOperative fills the clauses, closing and adoption line of d from the
// lines after the enacting formula.
func parseOperative(d *Declaration, lines []line) error {
	const (
		before  = iota // no clause or closing text yet
		inside         // directly below a clause line
		gap            // blank line after a clause
		closing        // closing text has started
	)
	state := before
	closingLine := 0 // line number of the first closing line
	d.Clauses = []Clause{}
	d.Closing = []string{}
	for _, l := range lines {
		if l.text == "" {
			if state == inside {
				state = gap
			}
			continue
		}
		digits, rest, ok := clauseNumber(l.text)
		if !ok {
			switch state {
			case inside:
				c := &d.Clauses[len(d.Clauses)-1]
				c.Text += "\n" + l.text
			default:
				if state != closing {
					closingLine = l.num
				}
				d.Closing = append(d.Closing, l.text)
				state = closing
			}
			continue
		}
		if state == closing {
			return &ParseError{Line: l.num, Err: ErrUnexpectedLine,
				Msg: fmt.Sprintf("clause %s follows unnumbered text from line %d", digits, closingLine)}
		}
		want := len(d.Clauses) + 1
		n, err := strconv.Atoi(digits)
		if err != nil || n != want {
			msg := fmt.Sprintf("clause %s follows clause %d", digits, want-1)
			if want == 1 {
				msg = fmt.Sprintf("first clause is numbered %s, want 1", digits)
			}
			return &ParseError{Line: l.num, Err: ErrClauseOrder, Msg: msg}
		}
		if rest == "" {
			return &ParseError{Line: l.num, Err: ErrEmptyClause,
				Msg: fmt.Sprintf("clause %d has no text", n)}
		}
		d.Clauses = append(d.Clauses, Clause{Number: n, Text: rest})
		state = inside
	}
	if k := len(d.Closing); k > 0 && strings.HasPrefix(d.Closing[k-1], "Adopted ") {
		d.Adopted = d.Closing[k-1]
		d.Closing = d.Closing[:k-1]
	}
	return nil
}

// clauseNumber splits a trimmed line of the form "N. text" into the decimal
// digits of N and the trimmed text. The dot must be followed by whitespace or
// end the line: "3. text" and "3." open a clause, "2.5 km" and "3.text" do
// not.
func clauseNumber(s string) (digits, rest string, ok bool) {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	if i == 0 || i == len(s) || s[i] != '.' {
		return "", "", false
	}
	after := s[i+1:]
	if r, _ := utf8.DecodeRuneInString(after); after != "" && !unicode.IsSpace(r) {
		return "", "", false
	}
	return s[:i], strings.TrimSpace(after), true
}
