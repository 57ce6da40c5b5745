package decode

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Limits bound what the decoder accepts from a file, so that a broken or
// hostile file is refused with a message naming the limit instead of
// exhausting memory or time. Each limit has a name, used in messages and
// by [Limits.Set]. A zero field means the default.
type Limits struct {
	// FeatureBytes ("feature-size") is the largest text of one feature,
	// and of the text of a file outside its "features" array; it bounds
	// the memory one read needs beyond what the decoded features take.
	FeatureBytes int64
	// StringBytes ("string-size") is the longest string, in bytes.
	StringBytes int64
	// Depth ("depth") is the deepest nesting of arrays and objects.
	Depth int64
	// Vertices ("vertices") is the most positions in one feature.
	Vertices int64
}

// DefaultLimits are the limits of a zero [Limits]: far above what real
// data needs (a feature of 256 MiB holds some 16 million positions) and
// far below what would exhaust a desktop computer.
var DefaultLimits = Limits{
	FeatureBytes: 256 << 20,
	StringBytes:  16 << 20,
	Depth:        512,
	Vertices:     16_000_000,
}

// maxDepth is the largest depth limit: JSON nested deeper than the JSON
// scanner's own limit is malformed whatever the limit.
const maxDepth = 10_000

// limitNames are the names of the limits, in the order of the fields.
var limitNames = []string{"feature-size", "string-size", "depth", "vertices"}

// field returns a pointer to the limit of a name, or nil.
func (l *Limits) field(name string) *int64 {
	switch name {
	case "feature-size":
		return &l.FeatureBytes
	case "string-size":
		return &l.StringBytes
	case "depth":
		return &l.Depth
	case "vertices":
		return &l.Vertices
	default:
		return nil
	}
}

// withDefaults returns the limits with zero fields set to the defaults.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	for _, name := range limitNames {
		if v := l.field(name); *v == 0 {
			*v = *d.field(name)
		}
	}
	return l
}

// ErrLimit is what a [*LimitError] matches with errors.Is.
var ErrLimit = errors.New("decode: limit exceeded")

// Set sets one limit from "name=value", such as "vertices=50000000" or
// "feature-size=1GiB": sizes take the suffixes K, M and G (or KiB, MiB,
// GiB, powers of 1024), counts the same suffixes as powers of 1000.
func (l *Limits) Set(spec string) error {
	name, value, ok := strings.Cut(spec, "=")
	name = strings.TrimSpace(name)
	v := l.field(name)
	if !ok || v == nil {
		return fmt.Errorf("decode: limit %q: want NAME=VALUE, NAME one of %s", spec, strings.Join(limitNames, ", "))
	}
	n, err := parseAmount(strings.TrimSpace(value), strings.HasSuffix(name, "-size"))
	if err != nil || n <= 0 {
		return fmt.Errorf("decode: limit %s: %q is not a positive whole number (with an optional K, M or G)", name, value)
	}
	if name == "depth" && n > maxDepth {
		return fmt.Errorf("decode: limit depth: %d is more than the largest, %d", n, maxDepth)
	}
	*v = n
	return nil
}

// String returns the limits as Set takes them, comma-separated.
func (l Limits) String() string {
	l = l.withDefaults()
	parts := make([]string, len(limitNames))
	for i, name := range limitNames {
		parts[i] = name + "=" + formatLimit(name, *l.field(name))
	}
	return strings.Join(parts, ",")
}

// parseAmount parses a whole number with an optional K, M or G suffix,
// binary (1024) for sizes and decimal for counts; "KiB" and the like are
// always binary.
func parseAmount(s string, size bool) (int64, error) {
	units := []struct {
		suffix string
		factor int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 0}, {"MB", 0}, {"GB", 0}, {"K", 0}, {"M", 0}, {"G", 0}}
	factor := int64(1)
	for _, u := range units {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, factor = rest, u.factor
			if factor == 0 {
				exp := strings.IndexByte("KMG", u.suffix[0]) + 1
				base := int64(1000)
				if size {
					base = 1024
				}
				factor = 1
				for range exp {
					factor *= base
				}
			}
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0, err
	}
	if n > 0 && n > (1<<62)/factor {
		return 0, errors.New("too large")
	}
	return n * factor, nil
}

// formatLimit formats a limit's value for messages: sizes in the largest
// binary unit that divides them, counts as plain numbers.
func formatLimit(name string, v int64) string {
	if !strings.HasSuffix(name, "-size") {
		return strconv.FormatInt(v, 10)
	}
	for _, u := range []struct {
		suffix string
		factor int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if v >= u.factor && v%u.factor == 0 {
			return strconv.FormatInt(v/u.factor, 10) + " " + u.suffix
		}
	}
	return strconv.FormatInt(v, 10) + " bytes"
}

// LimitError is input beyond one of the [Limits]. It matches [ErrLimit].
type LimitError struct {
	// Name is the limit's name, as [Limits.Set] takes it.
	Name string
	// Max is the limit's value.
	Max int64
	// outside is set for text outside the "features" array.
	outside bool
}

// Error says what went beyond which limit.
func (e *LimitError) Error() string {
	var what string
	switch e.Name {
	case "feature-size":
		what = "more than " + formatLimit(e.Name, e.Max) + " of text in one feature"
		if e.outside {
			what = "more than " + formatLimit(e.Name, e.Max) + ` of text outside the "features" array`
		}
	case "string-size":
		what = "a string longer than " + formatLimit(e.Name, e.Max)
	case "depth":
		what = "arrays and objects nested more than " + formatLimit(e.Name, e.Max) + " deep"
	default:
		what = "more than " + formatLimit(e.Name, e.Max) + " positions in one feature"
	}
	return what + ` (the "` + e.Name + `" limit)`
}

// Is reports whether target is ErrLimit.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }
