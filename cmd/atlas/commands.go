package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/ecoatlas/ecoatlas/geo/query"
)

// queryUsage is the usage of the commands that ask the map questions.
const queryUsage = `       atlas find TEXT [--lang L] [--limit N] [--layer id] [--json]
       atlas identify --at lon,lat [--zoom z] [--tolerance px] [--lang L] [--json]
       atlas within --layer id (--basin NAME | --near id --km K) [--lang L] [--json]
       atlas compare [NAME] [--lang L] [--json]
`

// newFlags returns a flag set for a command that reports its errors as
// usage errors, with the --json and --lang flags every query command has.
func newFlags(name string) (fl *flag.FlagSet, asJSON *bool, lang *string) {
	fl = flag.NewFlagSet("atlas "+name, flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	asJSON = fl.Bool("json", false, "write the answer as JSON")
	lang = fl.String("lang", "en", "language of names and words (en, ru, kk, ky, tg, tk, uz)")
	return fl, asJSON, lang
}

// parseFlags parses a command's flags, wanting exactly nArgs arguments
// besides them (wherever they stand), and returns those.
func parseFlags(fl *flag.FlagSet, args []string, nArgs int) ([]string, error) {
	var rest []string
	for {
		if err := fl.Parse(args); err != nil {
			return nil, usageError{err.Error()}
		}
		if fl.NArg() == 0 {
			break
		}
		rest = append(rest, fl.Arg(0))
		args = fl.Args()[1:]
	}
	if len(rest) != nArgs {
		if len(rest) > nArgs {
			return nil, usagef("%s: unexpected argument %q", fl.Name(), rest[nArgs])
		}
		return nil, usagef("%s: want %d argument(s), got %d", fl.Name(), nArgs, len(rest))
	}
	return rest, nil
}

// loadEngine loads the embedded map and its query engine.
func loadEngine(ctx context.Context) (*query.Engine, error) {
	return query.Default(ctx)
}

// asUsage turns the errors that name a layer or feature that does not
// exist, which come from the command line, into usage errors.
func asUsage(err error) error {
	if errors.Is(err, query.ErrUnknownLayer) || errors.Is(err, query.ErrNotFound) {
		return usageError{err.Error()}
	}
	return err
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// writer collects the first error of a series of writes.
type writer struct {
	w   io.Writer
	err error
}

// printf writes unless an earlier write failed.
func (w *writer) printf(format string, args ...any) {
	if w.err == nil {
		_, w.err = fmt.Fprintf(w.w, format, args...)
	}
}
