package sites

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// FieldKind is how a form shows and parses a field.
type FieldKind int

// Field kinds.
const (
	// Text is one line of text.
	Text FieldKind = iota
	// LongText is several lines (notes, findings).
	LongText
	// Choice is one of a list of codes.
	Choice
	// Number is a decimal number, with a decimal point or comma.
	Number
	// Date is a calendar date, YYYY-MM-DD or DD.MM.YYYY.
	Date
)

// Option is one allowed value of a Choice field: the code stored and the
// English text shown. The app shows the text of the translation key
// "sites.FIELD.CODE", falling back to Label.
type Option struct {
	Code  string
	Label string
}

// Field describes one attribute of a site or an inspection: everything a
// form needs to lay it out and the rules values must follow.
type Field struct {
	// Name is the column name, and the key of the field in form values.
	Name string
	// Label is the English label; the app shows the text of the
	// translation key "sites.field.NAME", falling back to Label.
	Label    string
	Kind     FieldKind
	Required bool
	// MaxLen is the most characters a text may have.
	MaxLen int
	// Options are the allowed codes of a Choice field, in display order.
	Options []Option
	// Min and Max bound a Number field, both included.
	Min, Max float64
	// Unit is the unit of a Number field ("m³", "ha", "m").
	Unit string
	// Default is the value a new record starts with, "" for none.
	Default string
}

// Option returns the option with a code.
func (f *Field) Option(code string) (Option, bool) {
	for _, o := range f.Options {
		if o.Code == code {
			return o, true
		}
	}
	return Option{}, false
}

// Reasons a value is refused, for errors.Is on a FieldError; the app
// shows the text of the translation key "sites.error.CODE" (see
// ReasonCode) next to the field.
var (
	ErrRequired    = errors.New("is required")
	ErrNotInList   = errors.New("is not one of the allowed values")
	ErrNotNumber   = errors.New("is not a number")
	ErrOutOfRange  = errors.New("is out of range")
	ErrNotDate     = errors.New("is not a date (YYYY-MM-DD or DD.MM.YYYY)")
	ErrTooLong     = errors.New("is too long")
	ErrUnknown     = errors.New("is not a field")
	ErrBadPosition = errors.New("is not a position in WGS 84 longitude/latitude")
	ErrBadUUID     = errors.New("is not a UUID")
	ErrDateOrder   = errors.New("is before the inspection date")
)

// reasonCodes are the stable names of the reasons, for translation keys.
var reasonCodes = map[error]string{
	ErrRequired: "required", ErrNotInList: "not_in_list", ErrNotNumber: "not_number",
	ErrOutOfRange: "out_of_range", ErrNotDate: "not_date", ErrTooLong: "too_long",
	ErrUnknown: "unknown_field", ErrBadPosition: "bad_position", ErrBadUUID: "bad_uuid",
	ErrDateOrder: "date_order",
}

// ReasonCode returns the stable name of the reason a field error has
// ("required", "out_of_range", …), which the app's translation keys
// "sites.error.CODE" use; "" for an error that is none of the reasons.
func ReasonCode(err error) string {
	for reason, code := range reasonCodes {
		if errors.Is(err, reason) {
			return code
		}
	}
	return ""
}

// FieldError is a value a field refuses: the field, the value as given,
// and the reason (one of the Err values above), with the bounds or the
// list that it broke in Detail.
type FieldError struct {
	Field  string
	Value  string
	Reason error
	// Detail completes the reason in English: "0 to 500 m", "one of: low,
	// significant, …"; "" when the reason says it all.
	Detail string
}

// Error returns `FIELD: "VALUE" REASON (DETAIL)`.
func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString(e.Field)
	b.WriteString(": ")
	if e.Value != "" {
		fmt.Fprintf(&b, "%q ", e.Value)
	}
	b.WriteString(e.Reason.Error())
	if e.Detail != "" {
		fmt.Fprintf(&b, " (%s)", e.Detail)
	}
	return b.String()
}

// Unwrap returns the reason.
func (e *FieldError) Unwrap() error { return e.Reason }

// ErrInvalid is what a ValidationError matches with errors.Is.
var ErrInvalid = errors.New("sites: invalid values")

// ValidationError lists every field a record or a form refuses, in the
// order of the fields.
type ValidationError struct {
	Fields []FieldError
}

// Error joins the field errors.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i := range e.Fields {
		parts[i] = e.Fields[i].Error()
	}
	return "sites: " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// For returns the error of one field, nil if it has none: what a form
// shows next to that field.
func (e *ValidationError) For(field string) *FieldError {
	for i := range e.Fields {
		if e.Fields[i].Field == field {
			return &e.Fields[i]
		}
	}
	return nil
}

// errorsOrNil returns a *ValidationError for the field errors, or nil.
func errorsOrNil(errs []FieldError) error {
	if len(errs) == 0 {
		return nil
	}
	return &ValidationError{Fields: errs}
}

// check returns the error of a value of a field, nil when it is fine.
// Text is the form's text; a number or a date is checked as text, so a
// form and a stored record follow the same rules.
func (f *Field) check(text string) *FieldError {
	text = strings.TrimSpace(text)
	fail := func(reason error, detail string) *FieldError {
		return &FieldError{Field: f.Name, Value: text, Reason: reason, Detail: detail}
	}
	if text == "" {
		if f.Required {
			return fail(ErrRequired, "")
		}
		return nil
	}
	switch f.Kind {
	case Choice:
		if _, ok := f.Option(text); !ok {
			codes := make([]string, len(f.Options))
			for i, o := range f.Options {
				codes[i] = o.Code
			}
			return fail(ErrNotInList, "one of: "+strings.Join(codes, ", "))
		}
	case Number:
		v, err := ParseNumber(text)
		if err != nil {
			return fail(ErrNotNumber, "")
		}
		if v < f.Min || v > f.Max {
			return fail(ErrOutOfRange, f.rangeText())
		}
	case Date:
		if _, err := ParseDate(text); err != nil {
			return fail(ErrNotDate, "")
		}
	}
	if n := utf8.RuneCountInString(text); f.MaxLen > 0 && n > f.MaxLen {
		return fail(ErrTooLong, fmt.Sprintf("%d characters, at most %d", n, f.MaxLen))
	}
	return nil
}

func (f *Field) rangeText() string {
	s := FormatNumber(f.Min) + " to " + FormatNumber(f.Max)
	if f.Unit != "" {
		s += " " + f.Unit
	}
	return s
}

// ParseNumber reads a decimal number as people type it: with a point or
// a comma as the decimal mark (one comma and no point is a decimal comma:
// "2,5"), spaces or commas between thousands ("1 200 000", "1,200,000.5"),
// and no NaN or infinity.
func ParseNumber(s string) (float64, error) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\u2009', '\'':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	switch commas := strings.Count(s, ","); {
	case commas == 1 && !strings.Contains(s, "."):
		s = strings.Replace(s, ",", ".", 1)
	case commas > 0:
		s = strings.ReplaceAll(s, ",", "")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, ErrNotNumber
	}
	return v, nil
}

// FormatNumber writes a number the shortest way that reads back the same.
func FormatNumber(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// ParseDate reads a date written YYYY-MM-DD or DD.MM.YYYY.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.DateOnly, "02.01.2006", "2.1.2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, ErrNotDate
}
