// Package locale settles the process's locale variables before Fyne reads
// them. Import it for its side effect, first, in a program or test that
// uses Fyne:
//
//	import _ "github.com/ecoatlas/ecoatlas/app/locale"
//
// Fyne's lang package reads LC_ALL, LC_MESSAGES, LANG and LANGUAGE while
// it is initialised, before main runs, and logs "Error parsing user
// locale" for values that are not BCP 47 tags, such as "C", "C.UTF-8"
// and "POSIX", which bare machines and CI set. This package's init unsets
// such values (Fyne then falls back to the next variable, or English) and
// leaves well-formed ones such as "ru_RU.UTF-8" alone.
//
// It runs first because Go initialises packages in dependency order and,
// among those ready, in import path order: this package needs only os and
// strings, and Fyne's lang package waits for github.com/nicksnyder/go-i18n,
// whose path sorts after this one's. The smoke test of cmd/ecoatlas checks
// that a real start with LANG=C.UTF-8 logs nothing.
package locale

import (
	"os"
	"strings"
)

func init() { settle() }

// settle unsets the locale variables whose values are not well formed and
// drops such entries from LANGUAGE.
func settle() {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v, ok := os.LookupEnv(name); ok && !wellFormed(v) {
			os.Unsetenv(name)
		}
	}
	if v, ok := os.LookupEnv("LANGUAGE"); ok {
		var kept []string
		for _, l := range strings.Split(v, ":") {
			if wellFormed(l) {
				kept = append(kept, l)
			}
		}
		if len(kept) == 0 {
			os.Unsetenv("LANGUAGE")
		} else {
			os.Setenv("LANGUAGE", strings.Join(kept, ":"))
		}
	}
}

// wellFormed reports whether a POSIX locale name ("ru_RU.UTF-8",
// "kk_KZ", "en") has the shape of a BCP 47 language and region: two or
// three letters, then optionally "_" and two letters or three digits.
// (golang.org/x/text/language would parse it, but importing it here would
// make this package initialise after Fyne's.)
func wellFormed(v string) bool {
	name, _, _ := strings.Cut(v, ".")
	name, _, _ = strings.Cut(name, "@")
	lang, region, hasRegion := strings.Cut(name, "_")
	if len(lang) < 2 || len(lang) > 3 || !all(lang, isLetter) {
		return false
	}
	return !hasRegion || len(region) == 2 && all(region, isLetter) || len(region) == 3 && all(region, isDigit)
}

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
func isDigit(r rune) bool  { return r >= '0' && r <= '9' }

// all reports whether every character of s passes ok.
func all(s string, ok func(rune) bool) bool {
	for _, r := range s {
		if !ok(r) {
			return false
		}
	}
	return true
}
