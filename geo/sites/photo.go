package sites

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/ecoatlas/ecoatlas/geo/edit"
)

// MaxPhotoSize is the largest photo a store takes, in bytes.
const MaxPhotoSize = 50 << 20

// Errors about photos, for errors.Is.
var (
	// ErrNotImage is photo data that is not a JPEG, PNG, WebP, GIF or
	// HEIC image.
	ErrNotImage = errors.New("sites: not an image")
	// ErrPhotoTooBig is photo data over MaxPhotoSize.
	ErrPhotoTooBig = errors.New("sites: photo too big")
	// ErrChecksum is photo data whose SHA-256 differs from the one its
	// record has: a damaged file.
	ErrChecksum = errors.New("sites: photo checksum mismatch")
)

// Photo is a photograph attached to a site, and optionally to one of its
// inspections. Its data is kept once per content, under its SHA-256.
type Photo struct {
	UUID           string
	SiteUUID       string
	InspectionUUID string // "" when the photo is of the site
	FileName       string // the name the photo was added from
	ContentType    string // image/jpeg, image/png, …
	SHA256         string // of the data, in lower-case hex
	Size           int64
	Caption        string
	CreatedAt      time.Time
	CreatedBy      string
}

// NewPhoto returns a photo record for image data: its checksum, size and
// content type (sniffed from the data, not trusted from the name).
func NewPhoto(siteUUID, fileName string, data []byte) (Photo, error) {
	if len(data) > MaxPhotoSize {
		return Photo{}, fmt.Errorf("%w: %s is %d MB, at most %d MB", ErrPhotoTooBig, fileName, len(data)>>20, MaxPhotoSize>>20)
	}
	ct := contentType(data)
	if ct == "" {
		return Photo{}, fmt.Errorf("%w: %s", ErrNotImage, fileName)
	}
	sum := sha256.Sum256(data)
	return Photo{
		UUID: NewUUID(), SiteUUID: siteUUID, FileName: path.Base(strings.ReplaceAll(fileName, `\`, "/")),
		ContentType: ct, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data)),
	}, nil
}

// contentType returns the image type of data, "" if it is not an image
// a photo can be.
func contentType(data []byte) string {
	switch ct := http.DetectContentType(data); ct {
	case "image/jpeg", "image/png", "image/webp", "image/gif":
		return ct
	}
	if len(data) >= 12 && string(data[4:8]) == "ftyp" {
		switch string(data[8:12]) {
		case "heic", "heix", "mif1", "msf1":
			return "image/heic"
		}
	}
	return ""
}

// photoColumns are the attribute columns of the photos table.
var photoColumns = []string{ColSiteUUID, "inspection_uuid", "file_name", "content_type", "sha256", "size", "caption", ColCreatedAt, ColCreatedBy}

func (p Photo) record() *edit.Record {
	return &edit.Record{Properties: map[string]any{
		ColSiteUUID:       p.SiteUUID,
		"inspection_uuid": nilIfEmpty(p.InspectionUUID),
		"file_name":       p.FileName,
		"content_type":    p.ContentType,
		"sha256":          p.SHA256,
		"size":            float64(p.Size),
		"caption":         nilIfEmpty(p.Caption),
		ColCreatedAt:      formatTime(p.CreatedAt),
		ColCreatedBy:      nilIfEmpty(p.CreatedBy),
	}}
}

func photoFromRecord(uuid string, r *edit.Record) Photo {
	p := Photo{UUID: uuid}
	str := func(k string) string { s, _ := r.Properties[k].(string); return s }
	p.SiteUUID, p.InspectionUUID = str(ColSiteUUID), str("inspection_uuid")
	p.FileName, p.ContentType, p.SHA256 = str("file_name"), str("content_type"), str("sha256")
	if n, ok := r.Properties["size"].(float64); ok {
		p.Size = int64(n)
	}
	p.Caption = str("caption")
	p.CreatedAt = parseTime(r.Properties[ColCreatedAt])
	p.CreatedBy = str(ColCreatedBy)
	return p
}
