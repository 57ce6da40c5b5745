package sites

import (
	"time"

	"github.com/ecoatlas/ecoatlas/geo/edit"
)

// Column of the inspections and photos tables naming their site.
const ColSiteUUID = "site_uuid"

// InspectionFields are the attributes of an inspection, in form order.
var InspectionFields = []Field{
	{Name: "date", Label: "Date", Kind: Date, Required: true},
	{Name: "inspector", Label: "Inspector", Kind: Text, Required: true, MaxLen: 200},
	{Name: "condition", Label: "Condition", Kind: Choice, Required: true, Default: "unknown", Options: []Option{
		{"good", "Good"}, {"fair", "Fair"}, {"poor", "Poor"}, {"critical", "Critical"}, {"unknown", "Unknown"},
	}},
	{Name: "findings", Label: "Findings", Kind: LongText, MaxLen: 10000},
	{Name: "action", Label: "Recommended action", Kind: LongText, MaxLen: 5000},
	{Name: "next_due", Label: "Next inspection due", Kind: Date},
}

// InspectionField returns the description of an inspection attribute.
func InspectionField(name string) (*Field, bool) { return fieldByName(InspectionFields, name) }

// Inspection is a visit to a site and what the inspector found.
type Inspection struct {
	UUID     string
	SiteUUID string
	// Values are the attributes by field name (see InspectionFields).
	Values     map[string]string
	CreatedAt  time.Time
	CreatedBy  string
	ModifiedAt time.Time
	ModifiedBy string
}

// NewInspection returns an inspection of a site, dated today, with the
// fields' defaults and a new UUID.
func NewInspection(siteUUID string, today time.Time) Inspection {
	in := Inspection{UUID: NewUUID(), SiteUUID: siteUUID, Values: map[string]string{"date": today.Format(time.DateOnly)}}
	for _, f := range InspectionFields {
		if f.Default != "" {
			in.Values[f.Name] = f.Default
		}
	}
	return in
}

// Validate checks every field, and that the next inspection is not due
// before this one; it puts dates into YYYY-MM-DD and returns a
// *ValidationError listing all faults, or nil.
func (in *Inspection) Validate() error {
	var errs []FieldError
	if !ValidUUID(in.UUID) {
		errs = append(errs, FieldError{Field: ColUUID, Value: in.UUID, Reason: ErrBadUUID})
	}
	if !ValidUUID(in.SiteUUID) {
		errs = append(errs, FieldError{Field: ColSiteUUID, Value: in.SiteUUID, Reason: ErrBadUUID})
	}
	errs = append(errs, validate(InspectionFields, in.Values)...)
	if len(errs) == 0 {
		canonical(InspectionFields, in.Values)
		if due := in.Values["next_due"]; due != "" && due < in.Values["date"] {
			errs = append(errs, FieldError{Field: "next_due", Value: due, Reason: ErrDateOrder})
		}
	}
	return errorsOrNil(errs)
}

func (in Inspection) record() *edit.Record {
	props := valuesToProps(InspectionFields, in.Values)
	props[ColSiteUUID] = in.SiteUUID
	props[ColCreatedAt] = formatTime(in.CreatedAt)
	props[ColCreatedBy] = nilIfEmpty(in.CreatedBy)
	props[ColModifiedAt] = formatTime(in.ModifiedAt)
	props[ColModifiedBy] = nilIfEmpty(in.ModifiedBy)
	return &edit.Record{Properties: props}
}

func inspectionFromRecord(uuid string, r *edit.Record) Inspection {
	in := Inspection{UUID: uuid, Values: propsToValues(InspectionFields, r.Properties)}
	in.SiteUUID, _ = r.Properties[ColSiteUUID].(string)
	in.CreatedAt = parseTime(r.Properties[ColCreatedAt])
	in.CreatedBy, _ = r.Properties[ColCreatedBy].(string)
	in.ModifiedAt = parseTime(r.Properties[ColModifiedAt])
	in.ModifiedBy, _ = r.Properties[ColModifiedBy].(string)
	return in
}
