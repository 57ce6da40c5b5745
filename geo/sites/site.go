package sites

import (
	"math"
	"strings"
	"time"

	"github.com/ecoatlas/ecoatlas/geo/edit"
	"github.com/paulmach/orb"
)

// Column names of the tailings_sites table besides the attributes: the
// embedded layer's style draws sites by type and coord_precision and
// labels them by name, so the names are the embedded layer's.
const (
	ColUUID       = "uuid"
	ColCreatedAt  = "created_at"
	ColCreatedBy  = "created_by"
	ColModifiedAt = "modified_at"
	ColModifiedBy = "modified_by"
)

// SiteFields are the attributes of a tailings storage facility or other
// pollution source, in form order. Hazard classes are those of the Global
// Industry Standard on Tailings Management (GISTM, 2020): the consequence
// of a dam failure.
var SiteFields = []Field{
	{Name: "name", Label: "Name", Kind: Text, Required: true, MaxLen: 200},
	{Name: "name_ru", Label: "Name in Russian", Kind: Text, MaxLen: 200},
	{Name: "country", Label: "Country", Kind: Choice, Options: []Option{
		{"KAZ", "Kazakhstan"}, {"KGZ", "Kyrgyzstan"}, {"TJK", "Tajikistan"}, {"TKM", "Turkmenistan"}, {"UZB", "Uzbekistan"},
	}},
	{Name: "type", Label: "Type", Kind: Choice, Required: true, Default: "tailings_storage", Options: []Option{
		{"tailings_storage", "Tailings storage facility"}, {"uranium_legacy", "Uranium legacy site"},
		{"industrial", "Industrial site"}, {"waste_dump", "Waste rock dump"}, {"landfill", "Landfill"},
	}},
	{Name: "commodity", Label: "Commodity", Kind: Text, MaxLen: 200},
	{Name: "status", Label: "Status", Kind: Choice, Required: true, Default: "unknown", Options: []Option{
		{"active", "Active"}, {"inactive", "Inactive"}, {"closed", "Closed"}, {"abandoned", "Abandoned"},
		{"remediated", "Remediated"}, {"unknown", "Unknown"},
	}},
	{Name: "hazard", Label: "Hazard class (GISTM)", Kind: Choice, Required: true, Default: "unknown", Options: []Option{
		{"low", "Low"}, {"significant", "Significant"}, {"high", "High"}, {"very_high", "Very high"},
		{"extreme", "Extreme"}, {"unknown", "Unknown"},
	}},
	{Name: "volume_m3", Label: "Volume", Kind: Number, Min: 0, Max: 1e11, Unit: "m³"},
	{Name: "area_ha", Label: "Area", Kind: Number, Min: 0, Max: 1e6, Unit: "ha"},
	{Name: "dam_height_m", Label: "Dam height", Kind: Number, Min: 0, Max: 500, Unit: "m"},
	{Name: "operator", Label: "Operator", Kind: Text, MaxLen: 200},
	{Name: "coord_precision", Label: "Position precision", Kind: Choice, Required: true, Default: "unknown", Options: []Option{
		{"exact", "Exact (surveyed or GPS)"}, {"approx_100m", "About 100 m"}, {"approx_1km", "About 1 km"},
		{"approx_10km", "About 10 km"}, {"unknown", "Unknown"},
	}},
	{Name: "notes", Label: "Notes", Kind: LongText, MaxLen: 10000},
	{Name: "source", Label: "Source", Kind: LongText, MaxLen: 2000},
}

// SiteField returns the description of a site attribute.
func SiteField(name string) (*Field, bool) { return fieldByName(SiteFields, name) }

func fieldByName(fields []Field, name string) (*Field, bool) {
	for i := range fields {
		if fields[i].Name == name {
			return &fields[i], true
		}
	}
	return nil, false
}

// Site is one site of the store.
type Site struct {
	// UUID identifies the site in every copy of the store; it is the
	// site's feature ID on the map and what merges match on.
	UUID     string
	Position orb.Point // WGS 84 longitude, latitude
	// Values are the attributes by field name (see SiteFields): text as
	// the user typed it, numbers and dates in canonical form; a field
	// without a value is absent or "".
	Values     map[string]string
	CreatedAt  time.Time
	CreatedBy  string
	ModifiedAt time.Time
	ModifiedBy string
}

// NewSite returns a site at a position with the fields' defaults and a
// new random UUID.
func NewSite(p orb.Point) Site {
	s := Site{UUID: NewUUID(), Position: p, Values: map[string]string{}}
	for _, f := range SiteFields {
		if f.Default != "" {
			s.Values[f.Name] = f.Default
		}
	}
	return s
}

// Get returns the value of a field.
func (s Site) Get(field string) string { return s.Values[field] }

// Number returns the value of a Number field; ok is false when it has
// none or it does not parse.
func (s Site) Number(field string) (v float64, ok bool) {
	t := s.Values[field]
	if strings.TrimSpace(t) == "" {
		return 0, false
	}
	v, err := ParseNumber(t)
	return v, err == nil
}

// Validate checks every field and the position, and puts numbers into
// canonical form ("1 200,5" becomes "1200.5"); it returns a
// *ValidationError listing all faults, or nil.
func (s *Site) Validate() error {
	var errs []FieldError
	if !validLonLat(s.Position) {
		errs = append(errs, FieldError{Field: "position", Value: formatPoint(s.Position), Reason: ErrBadPosition, Detail: "longitude -180 to 180, latitude -90 to 90"})
	}
	if !ValidUUID(s.UUID) {
		errs = append(errs, FieldError{Field: ColUUID, Value: s.UUID, Reason: ErrBadUUID})
	}
	errs = append(errs, validate(SiteFields, s.Values)...)
	if len(errs) == 0 {
		canonical(SiteFields, s.Values)
	}
	return errorsOrNil(errs)
}

// validate checks values against fields, unknown keys included.
func validate(fields []Field, values map[string]string) []FieldError {
	var errs []FieldError
	for i := range fields {
		if e := fields[i].check(values[fields[i].Name]); e != nil {
			errs = append(errs, *e)
		}
	}
	for k, v := range values {
		if _, ok := fieldByName(fields, k); !ok {
			errs = append(errs, FieldError{Field: k, Value: v, Reason: ErrUnknown})
		}
	}
	return errs
}

// canonical rewrites numbers and dates of valid values in their stored
// form and trims text.
func canonical(fields []Field, values map[string]string) {
	for _, f := range fields {
		v, ok := values[f.Name]
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch f.Kind {
		case Number:
			if n, err := ParseNumber(v); err == nil {
				v = FormatNumber(n)
			}
		case Date:
			if d, err := ParseDate(v); err == nil {
				v = d.Format(time.DateOnly)
			}
		}
		if v == "" {
			delete(values, f.Name)
		} else {
			values[f.Name] = v
		}
	}
}

func validLonLat(p orb.Point) bool {
	return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90 && !math.IsNaN(p[0]) && !math.IsNaN(p[1])
}

func formatPoint(p orb.Point) string {
	return FormatNumber(p[0]) + " " + FormatNumber(p[1])
}

// record returns the site as an edit record: the position and every
// column but the uuid, numbers as float64 and absent values as nil.
func (s Site) record() *edit.Record {
	props := valuesToProps(SiteFields, s.Values)
	props[ColCreatedAt] = formatTime(s.CreatedAt)
	props[ColCreatedBy] = nilIfEmpty(s.CreatedBy)
	props[ColModifiedAt] = formatTime(s.ModifiedAt)
	props[ColModifiedBy] = nilIfEmpty(s.ModifiedBy)
	return &edit.Record{Geometry: s.Position, Properties: props}
}

// siteFromRecord is the inverse of record.
func siteFromRecord(uuid string, r *edit.Record) Site {
	s := Site{UUID: uuid, Values: propsToValues(SiteFields, r.Properties)}
	if p, ok := r.Geometry.(orb.Point); ok {
		s.Position = p
	}
	s.CreatedAt = parseTime(r.Properties[ColCreatedAt])
	s.CreatedBy, _ = r.Properties[ColCreatedBy].(string)
	s.ModifiedAt = parseTime(r.Properties[ColModifiedAt])
	s.ModifiedBy, _ = r.Properties[ColModifiedBy].(string)
	return s
}

// valuesToProps returns the properties of values: numbers as float64,
// text as it is; fields without a value are left out (a missing property
// is a NULL column).
func valuesToProps(fields []Field, values map[string]string) map[string]any {
	props := make(map[string]any, len(values)+4)
	for _, f := range fields {
		v := strings.TrimSpace(values[f.Name])
		switch {
		case v == "":
		case f.Kind == Number:
			if n, err := ParseNumber(v); err == nil {
				props[f.Name] = n
			}
		default:
			props[f.Name] = v
		}
	}
	return props
}

func propsToValues(fields []Field, props map[string]any) map[string]string {
	values := make(map[string]string, len(fields))
	for _, f := range fields {
		switch v := props[f.Name].(type) {
		case string:
			if v != "" {
				values[f.Name] = v
			}
		case float64:
			values[f.Name] = FormatNumber(v)
		}
	}
	return values
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// timeLayout is how times are stored: ISO 8601 in UTC with milliseconds,
// GeoPackage's DATETIME.
const timeLayout = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(timeLayout)
}

func parseTime(v any) time.Time {
	s, _ := v.(string)
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		t, _ = time.Parse(time.RFC3339Nano, s)
	}
	return t
}
