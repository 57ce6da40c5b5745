package query

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A name and a query are compared by their keys: both are written in
// plain Latin letters, without case or diacritics, Cyrillic transliterated,
// and the spellings on which the region's transliterations disagree made
// one (Ж is zh in Russian and j in Kazakh Latin, Х kh or x or h, Ы y or i,
// Қ k or q, doubled letters single, Ь and apostrophes nothing). So
// "Issyk-Kul", "Иссык-Куль", "Ysyk-Köl", "Ысык-Көл" and "Ыссык-Көл" give
// "isikul" or "isikol", "Almaty" and "Алматы" both "almati". The key
// drops spaces and hyphens; where each word starts is kept, so that a
// query can match the start of any word.

// cyrillic transliterates the lower-case Cyrillic letters of Russian,
// Kazakh, Kyrgyz, Tajik and Uzbek (whose ў is the oʻ of its Latin
// alphabet).
var cyrillic = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh",
	'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o",
	'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts",
	'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu",
	'я': "ya", 'ә': "a", 'ғ': "g", 'қ': "k", 'ң': "n", 'ө': "o", 'ұ': "u", 'ү': "u",
	'һ': "h", 'і': "i", 'ӣ': "i", 'ӯ': "u", 'ҳ': "h", 'ҷ': "j", 'ў': "o", 'є': "e",
	'ї': "i", 'ѓ': "g", 'ќ': "k",
}

// latin spells out the Latin letters whose diacritic stands for a second
// letter (Turkmen ş, ç, ž; Czech-style č, š) and the dotless i.
var latin = map[rune]string{
	'ş': "sh", 'ș': "sh", 'š': "sh", 'ç': "ch", 'č': "ch", 'ž': "zh", 'ğ': "g", 'ı': "i",
	'ə': "a", 'ß': "ss", 'æ': "ae", 'ø': "o", 'đ': "d", 'ł': "l",
}

// silent are characters that join the letters around them without a
// sound of their own: apostrophes (Uzbek oʻ, gʻ) and the like.
var silent = map[rune]bool{'\'': true, '’': true, 'ʻ': true, 'ʼ': true, '`': true, '‘': true}

// spellings makes one the spellings transliterations disagree on; later
// ones see the output of earlier ones.
var spellings = []*strings.Replacer{
	strings.NewReplacer("dzh", "j", "dj", "j", "zh", "j", "kh", "h", "gh", "g", "x", "h", "q", "k", "w", "v", "y", "i"),
	strings.NewReplacer("ie", "e"),
}

// fold returns the search key of a text and the byte offsets in the key
// where its words start.
func fold(text string) (string, []int) {
	return joinWords(splitWords(text), true)
}

// literal returns the key of a text without making the spellings of
// transliteration one: lower case, Latin letters, no diacritics, no
// spaces. Of two names that both match a query, the one that matches it
// literally too is the better match ("Issyk-Kul" for "иссык", rather than
// "Isikul").
func literal(text string) (string, []int) {
	return joinWords(splitWords(text), false)
}

// splitWords returns the words of a text, lower case, in Latin letters
// without diacritics.
func splitWords(text string) []string {
	var (
		words []string
		word  strings.Builder
	)
	flush := func() {
		if word.Len() > 0 {
			words = append(words, word.String())
			word.Reset()
		}
	}
	for _, r := range strings.ToLower(text) {
		if s, ok := cyrillic[r]; ok {
			word.WriteString(s)
			continue
		}
		if s, ok := latin[r]; ok {
			word.WriteString(s)
			continue
		}
		if silent[r] || unicode.Is(unicode.Mn, r) {
			continue
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if r < utf8.RuneSelf {
			word.WriteRune(r)
			continue
		}
		for _, c := range norm.NFD.String(string(r)) {
			if !unicode.Is(unicode.Mn, c) {
				word.WriteRune(c)
			}
		}
	}
	flush()
	return words
}

// joinWords joins words into a key, noting where each starts; with fold
// set, the spellings are made one and doubled letters single.
func joinWords(words []string, fold bool) (string, []int) {
	var (
		key    strings.Builder
		starts = make([]int, 0, len(words))
		last   rune
	)
	for _, w := range words {
		if !fold {
			starts = append(starts, key.Len())
			key.WriteString(w)
			continue
		}
		for _, sp := range spellings {
			w = sp.Replace(w)
		}
		first := true
		for _, r := range w {
			if r == last {
				// A doubled letter, within a word or across two, counts
				// once; a word starting on it starts at the one kept.
				if first {
					starts = append(starts, key.Len()-utf8.RuneLen(r))
					first = false
				}
				continue
			}
			if first {
				starts = append(starts, key.Len())
				first = false
			}
			key.WriteRune(r)
			last = r
		}
	}
	return key.String(), starts
}
