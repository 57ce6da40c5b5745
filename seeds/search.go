package seeds

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Part says which part of the declaration a search hit is in.
type Part uint8

// The searchable parts of the declaration.
const (
	// PartClause is an operative clause.
	PartClause Part = iota
	// PartRecital is a preambular recital.
	PartRecital
)

// String returns "clause" or "recital".
func (p Part) String() string {
	if p == PartRecital {
		return "recital"
	}
	return "clause"
}

// Span is a byte range [Start, End) of a text.
type Span struct{ Start, End int }

// Hit is one clause or recital that matches a search.
type Hit struct {
	// Part is whether this is a clause or a recital.
	Part Part
	// Number is the clause number, or the recital's position from 1.
	Number int
	// Text is the clause or recital, verbatim.
	Text string
	// Spans are the matches in Text, in order and not overlapping, for
	// highlighting the verbatim text.
	Spans []Span
	// Also lists the extra texts of the clause (see [NewIndex]) that
	// matched, such as a translated title or a place name.
	Also []string
}

// Index searches the recitals and clauses of a declaration, together with
// extra texts per clause (titles in the reader's language, the names of
// the places a clause is linked to). It is immutable and safe for
// concurrent use.
type Index struct {
	docs []document
}

// document is one searchable clause or recital.
type document struct {
	part   Part
	number int
	text   normalized
	extra  []string
	normal []normalized // extra, normalized
}

// NewIndex indexes the declaration's clauses and recitals. extra maps a
// clause number to more texts a search should find that clause by; they
// are reported in [Hit.Also], not highlighted in the clause text.
func NewIndex(d Declaration, extra map[int][]string) *Index {
	ix := &Index{}
	for _, c := range d.Clauses {
		doc := document{part: PartClause, number: c.Number, text: normalize(c.Text), extra: extra[c.Number]}
		for _, e := range doc.extra {
			doc.normal = append(doc.normal, normalize(e))
		}
		ix.docs = append(ix.docs, doc)
	}
	for i, r := range d.Recitals {
		ix.docs = append(ix.docs, document{part: PartRecital, number: i + 1, text: normalize(r)})
	}
	return ix
}

// Search returns the clauses, then the recitals, that contain every word
// of query, in document order. A word matches anywhere in a word of the
// text ("glacier" finds "glaciers"), ignoring case, accents and the
// typographic variants of dashes and quotes; in a word that mixes Latin
// and Cyrillic letters, a letter that looks the same in both scripts
// counts as the word's main script, so "centre" finds the source's
// "сentre" (with a Cyrillic "с") and the other way round. A word is found
// in the text or in one of the clause's extra texts. An empty query finds
// nothing.
func (ix *Index) Search(query string) []Hit {
	q := normalize(query)
	words := strings.Fields(q.text)
	if len(words) == 0 {
		return nil
	}
	var hits []Hit
	for i := range ix.docs {
		doc := &ix.docs[i]
		var spans []Span
		also := make([]bool, len(doc.extra))
		found := true
		for _, w := range words {
			inText := false
			for at := 0; ; {
				k := strings.Index(doc.text.text[at:], w)
				if k < 0 {
					break
				}
				start := at + k
				spans = append(spans, doc.text.span(start, start+len(w)))
				inText = true
				at = start + len(w)
			}
			inExtra := false
			for j, e := range doc.normal {
				if strings.Contains(e.text, w) {
					also[j], inExtra = true, true
				}
			}
			if !inText && !inExtra {
				found = false
				break
			}
		}
		if !found {
			continue
		}
		h := Hit{Part: doc.part, Number: doc.number, Text: doc.text.original, Spans: mergeSpans(spans)}
		for j, ok := range also {
			if ok {
				h.Also = append(h.Also, doc.extra[j])
			}
		}
		hits = append(hits, h)
	}
	return hits
}

// mergeSpans sorts spans and joins those that overlap or touch.
func mergeSpans(spans []Span) []Span {
	if len(spans) == 0 {
		return nil
	}
	slices.SortFunc(spans, func(a, b Span) int { return cmp.Compare(a.Start, b.Start) })
	out := spans[:1]
	for _, s := range spans[1:] {
		last := &out[len(out)-1]
		if s.Start <= last.End {
			last.End = max(last.End, s.End)
			continue
		}
		out = append(out, s)
	}
	return out
}

// normalized is a text folded for searching, with the byte offset in the
// original of every byte of the folded text.
type normalized struct {
	original string
	text     string
	// from[i] is the offset in original of the rune that produced byte i
	// of text; from[len(text)] is len(original).
	from []int
	// to[i] is the end offset in original of the rune that produced byte
	// i of text.
	to []int
}

// span returns the original byte range of the folded range [start, end).
func (n normalized) span(start, end int) Span {
	return Span{Start: n.from[start], End: n.to[end-1]}
}

// normalize folds s for searching: lower case, Latin letters without
// accents, one form of dash, quote and apostrophe, "ё" as "е", and within
// each word that mixes Latin and Cyrillic letters the look-alike letters
// of the minority script turned into the majority script.
func normalize(s string) normalized {
	n := normalized{original: s}
	var b strings.Builder
	for i := 0; i < len(s); {
		j := i
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if !isWordRune(r) {
				break
			}
			j += size
		}
		if j > i {
			n.addWord(&b, s, i, j)
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		n.add(&b, foldPunct(r), i, i+size)
		i += size
	}
	n.text = b.String()
	n.from = append(n.from, len(s))
	return n
}

// addWord appends the folded word s[start:end].
func (n *normalized) addWord(b *strings.Builder, s string, start, end int) {
	latin, cyrillic := 0, 0
	for _, r := range s[start:end] {
		switch {
		case unicode.Is(unicode.Latin, r):
			latin++
		case unicode.Is(unicode.Cyrillic, r):
			cyrillic++
		}
	}
	toLatin := latin > 0 && cyrillic > 0 && latin >= cyrillic
	toCyrillic := latin > 0 && cyrillic > latin
	for i := start; i < end; {
		r, size := utf8.DecodeRuneInString(s[i:])
		r = foldLetter(unicode.ToLower(r))
		switch {
		case toLatin:
			if l, ok := cyrillicToLatin[r]; ok {
				r = l
			}
		case toCyrillic:
			if c, ok := latinToCyrillic[r]; ok {
				r = c
			}
		}
		n.add(b, r, i, i+size)
		i += size
	}
}

// add appends r, produced by original[start:end].
func (n *normalized) add(b *strings.Builder, r rune, start, end int) {
	k := utf8.RuneLen(r)
	if k < 0 {
		r, k = utf8.RuneError, 3
	}
	b.WriteRune(r)
	for range k {
		n.from = append(n.from, start)
		n.to = append(n.to, end)
	}
}

// isWordRune reports whether r belongs to a word.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// foldPunct maps the typographic variants of dashes, quotes and
// apostrophes to their plain ASCII forms.
func foldPunct(r rune) rune {
	switch r {
	case '‐', '‑', '‒', '–', '—', '―', '−':
		return '-'
	case '“', '”', '„', '«', '»', '″':
		return '"'
	case '‘', '’', '‚', '′', 'ʼ', 'ʻ':
		return '\''
	case '\u00a0', '\u2009', '\u202f':
		return ' '
	}
	return r
}

// foldLetter maps a lower-case letter to its search form: Latin letters
// lose their accents (the letters of the region's Latin alphabets and the
// common Western ones) and the Cyrillic "ё" becomes "е".
func foldLetter(r rune) rune {
	if r < 0x80 {
		return r
	}
	if f, ok := accentFree[r]; ok {
		return f
	}
	if r == 'ё' {
		return 'е'
	}
	return r
}

// accentFree maps accented Latin letters to the plain letter.
var accentFree = func() map[rune]rune {
	m := map[rune]rune{}
	for plain, accented := range map[rune]string{
		'a': "àáâãäåāăąǎ",
		'c': "çćĉċč",
		'd': "ďđ",
		'e': "èéêëēĕėęěə",
		'g': "ĝğġģǧ",
		'h': "ĥħ",
		'i': "ìíîïĩīĭįı",
		'j': "ĵ",
		'k': "ķ",
		'l': "ĺļľŀł",
		'n': "ñńņňŉ",
		'o': "òóôõöøōŏő",
		'r': "ŕŗř",
		's': "śŝşšș",
		't': "ţťŧț",
		'u': "ùúûüũūŭůűų",
		'w': "ŵ",
		'y': "ýÿŷ",
		'z': "źżž",
	} {
		for _, r := range accented {
			m[r] = plain
		}
	}
	return m
}()

// cyrillicToLatin maps lower-case Cyrillic letters to the Latin letters
// they look like.
var cyrillicToLatin = map[rune]rune{
	'а': 'a', 'в': 'b', 'е': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o',
	'р': 'p', 'с': 'c', 'т': 't', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j',
	'ѕ': 's', 'һ': 'h', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w',
}

// latinToCyrillic is cyrillicToLatin the other way round (for the letters
// whose Latin form has one Cyrillic look-alike).
var latinToCyrillic = func() map[rune]rune {
	m := map[rune]rune{}
	for c, l := range cyrillicToLatin {
		if _, taken := m[l]; !taken || c == 'н' {
			m[l] = c
		}
	}
	return m
}()
