package sites

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ecoatlas/ecoatlas/geo/gpkg"
	"github.com/paulmach/orb"
)

// DraftKind is what a draft is a form of.
type DraftKind string

// Draft kinds.
const (
	SiteDraft       DraftKind = "site"
	InspectionDraft DraftKind = "inspection"
)

// Draft is a form being typed, kept in the store as the user types so
// that a crash loses nothing: the app offers drafts back on its next
// start. A draft is deleted in the same transaction as the edit that
// saves it (EditOptions.Draft) or when the user discards it.
type Draft struct {
	// Key identifies the form: DraftKey of its kind and subject.
	Key  string
	Kind DraftKind
	// Subject is the UUID of the site or inspection the form edits, or,
	// for a new inspection, of its site; "" for a new site.
	Subject string
	// Position is the position of a new or moved site, nil otherwise.
	Position *orb.Point
	// Values are the form's fields as typed, valid or not.
	Values  map[string]string
	SavedAt time.Time
}

// DraftKey returns the key of the draft of a form: its kind and what it
// edits ("site:new" for a new site, "site:UUID", "inspection:new:SITE",
// "inspection:UUID").
func DraftKey(kind DraftKind, subject string, isNew bool) string {
	switch {
	case kind == SiteDraft && isNew:
		return "site:new"
	case isNew:
		return string(kind) + ":new:" + subject
	default:
		return string(kind) + ":" + subject
	}
}

// SaveDraft keeps a draft, replacing the one with the same key.
func (s *Store) SaveDraft(ctx context.Context, d Draft) error {
	if d.Key == "" {
		return errors.New("sites: a draft needs a key")
	}
	form, err := json.Marshal(d.Values)
	if err != nil {
		return fmt.Errorf("sites: draft %s: %w", d.Key, err)
	}
	var pos any
	if d.Position != nil {
		b, _ := json.Marshal([2]float64{d.Position[0], d.Position[1]})
		pos = string(b)
	}
	return s.db.Update(ctx, func(tx *gpkg.Tx) error {
		_, err := tx.Exec(ctx, `INSERT OR REPLACE INTO ecoatlas_drafts (key, kind, subject, position, form, saved_at) VALUES (?, ?, ?, ?, ?, ?)`,
			d.Key, string(d.Kind), d.Subject, pos, string(form), time.Now().UTC().Format(timeLayout))
		return err
	})
}

// Drafts returns every draft kept, oldest first.
func (s *Store) Drafts(ctx context.Context) ([]Draft, error) {
	rows, err := s.db.SQL().QueryContext(ctx, `SELECT key, kind, subject, position, form, CAST(saved_at AS TEXT) FROM ecoatlas_drafts ORDER BY saved_at`)
	if err != nil {
		return nil, fmt.Errorf("sites: drafts: %w", err)
	}
	defer rows.Close()
	var out []Draft
	for rows.Next() {
		var (
			d           Draft
			kind, form  string
			pos         sql.NullString
			savedAt     string
			coordinates [2]float64
		)
		if err := rows.Scan(&d.Key, &kind, &d.Subject, &pos, &form, &savedAt); err != nil {
			return nil, err
		}
		d.Kind = DraftKind(kind)
		if err := json.Unmarshal([]byte(form), &d.Values); err != nil {
			return nil, fmt.Errorf("sites: draft %s: %w", d.Key, err)
		}
		if pos.Valid && json.Unmarshal([]byte(pos.String), &coordinates) == nil {
			p := orb.Point(coordinates)
			d.Position = &p
		}
		d.SavedAt = parseTime(savedAt)
		out = append(out, d)
	}
	return out, rows.Err()
}

// DiscardDraft deletes a draft; discarding one that is not there is no
// error.
func (s *Store) DiscardDraft(ctx context.Context, key string) error {
	return s.db.Update(ctx, func(tx *gpkg.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM ecoatlas_drafts WHERE key = ?`, key)
		return err
	})
}
