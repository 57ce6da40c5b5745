// Package proj reads coordinate reference systems and transforms orb
// points and geometries between them, through PROJ (go-proj).
//
// A CRS comes from an EPSG code, an ESRI .prj or OGC WKT text (WKT1 or
// WKT2), a PROJ string or a CRS name; Parse identifies it against the EPSG
// database where PROJ can, so a UI can say what it read ("Pulkovo 1942 /
// Gauss-Kruger zone 13, EPSG:28413").
//
// Axis order is normalised everywhere: x is the easting or longitude and y
// the northing or latitude, whatever the CRS's own definition says
// (EPSG:4326 is latitude-first in PROJ, and the Pulkovo 1942 Gauss-Krüger
// CRSs such as EPSG:28413 northing-first). Angles are in degrees, projected
// coordinates in the CRS's unit (metres for every CRS of this region).
//
// Concurrency: PROJ contexts are not thread-safe, so each Transform owns a
// PROJ context of its own, and go-proj holds that context's mutex around
// every call. A Transform is therefore safe for concurrent use, calls on one
// Transform run one at a time, and separate Transforms run in parallel:
// give each worker its own Transform when throughput matters. Parse uses a
// short-lived context of its own per call.
package proj

// #cgo LDFLAGS: -lproj
// #include <stdlib.h>
// #include <proj.h>
// #include "crsinfo.h"
import "C"

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unsafe"
)

// ErrParse is returned by Parse for text that is not a CRS PROJ can read.
var ErrParse = errors.New("proj: cannot read CRS")

// Kind says what sort of coordinates a CRS has.
type Kind int

// The kinds of CRS that Parse accepts.
const (
	// Geographic CRSs have longitude and latitude in degrees.
	Geographic Kind = iota + 1
	// Projected CRSs have eastings and northings on a map projection.
	Projected
	// Compound CRSs pair a horizontal CRS with a vertical one; only the
	// horizontal coordinates are transformed.
	Compound
)

// String returns the kind's name in lower case.
func (k Kind) String() string {
	switch k {
	case Geographic:
		return "geographic"
	case Projected:
		return "projected"
	case Compound:
		return "compound"
	}
	return "unknown"
}

// CRS is a coordinate reference system that PROJ has read and, where it
// could, identified. The zero CRS is not usable; make one with Parse or
// EPSG, or use WGS84.
type CRS struct {
	definition string
	name       string
	authority  string
	code       string
	kind       Kind
}

// WGS84 is the geographic WGS 84 CRS (EPSG:4326), with longitude as x.
var WGS84 = CRS{
	definition: "EPSG:4326",
	name:       "WGS 84",
	authority:  "EPSG",
	code:       "4326",
	kind:       Geographic,
}

// Parse reads a CRS from text: "EPSG:N" (or a bare EPSG number, or an OGC
// URN), WKT in any dialect PROJ knows (OGC WKT1 and WKT2, and the ESRI WKT
// of .prj files; a byte order mark and surrounding space are ignored), a
// PROJ string ("+proj=utm +zone=43 +datum=WGS84"; "+type=crs" is added when
// missing), PROJJSON, or a CRS name from the database ("WGS 84 / UTM zone
// 43N"). Only geographic, projected and compound CRSs are accepted.
func Parse(text string) (CRS, error) {
	text = strings.TrimSpace(strings.TrimPrefix(text, "\uFEFF"))
	if text == "" {
		return CRS{}, fmt.Errorf("%w: the text is empty", ErrParse)
	}
	if strings.ContainsRune(text, 0) {
		return CRS{}, fmt.Errorf("%w: the text contains a NUL byte", ErrParse)
	}
	definition := text
	if _, err := strconv.Atoi(text); err == nil {
		definition = "EPSG:" + text
	} else if strings.HasPrefix(text, "+") || strings.HasPrefix(text, "proj=") {
		if !strings.Contains(text, "type=crs") {
			definition += " +type=crs"
		}
	}
	isWKT := looksLikeWKT(text)

	cDefinition := C.CString(definition)
	defer C.free(unsafe.Pointer(cDefinition))
	var info C.crs_info
	wkt := C.int(0)
	if isWKT {
		wkt = 1
	}
	C.crs_inspect(cDefinition, wkt, &info)
	if info.ok == 0 {
		return CRS{}, fmt.Errorf("%w %s: %s", ErrParse, quoteShort(text), C.GoString(&info.message[0]))
	}
	c := CRS{
		definition: definition,
		name:       C.GoString(&info.name[0]),
		authority:  C.GoString(&info.authority[0]),
		code:       C.GoString(&info.code[0]),
	}
	if c.authority == "" && (c.name == "" || c.name == "unknown") {
		c.name = strings.Join(strings.Fields(text), " ")
	}
	switch info._type {
	case C.PJ_TYPE_GEOGRAPHIC_2D_CRS, C.PJ_TYPE_GEOGRAPHIC_3D_CRS:
		c.kind = Geographic
	case C.PJ_TYPE_PROJECTED_CRS:
		c.kind = Projected
	case C.PJ_TYPE_COMPOUND_CRS:
		c.kind = Compound
	default:
		return CRS{}, fmt.Errorf("%w %s: %q is %s, not a geographic, projected or compound CRS",
			ErrParse, quoteShort(text), c.name, typeName(info._type))
	}
	return c, nil
}

// EPSG returns the CRS with the given EPSG code.
func EPSG(code int) (CRS, error) {
	return Parse("EPSG:" + strconv.Itoa(code))
}

// Name returns the CRS's name: the database's name when the CRS has an ID
// or PROJ identified it, otherwise the name its definition gives, or for a
// nameless PROJ string the string itself.
func (c CRS) Name() string { return c.name }

// Kind says whether the CRS is geographic, projected or compound.
func (c CRS) Kind() Kind { return c.kind }

// ID returns the CRS's identifier as "AUTHORITY:CODE" (e.g. "EPSG:28413"):
// the one its text gives, or the one database entry PROJ found equivalent
// (an ESRI .prj, a PROJ string). It is "" when there is none, or when
// several entries fit equally (a PROJ string on the Krassowsky ellipsoid
// fits Pulkovo 1942, Pulkovo 1995 and Beijing 1954 alike).
func (c CRS) ID() string {
	if c.authority == "" {
		return ""
	}
	return c.authority + ":" + c.code
}

// EPSG returns the CRS's EPSG code, or 0 when it has none.
func (c CRS) EPSG() int {
	if c.authority != "EPSG" {
		return 0
	}
	code, err := strconv.Atoi(c.code)
	if err != nil {
		return 0
	}
	return code
}

// Definition returns the text PROJ reads this CRS from.
func (c CRS) Definition() string { return c.definition }

// String returns the name and ID for display, e.g.
// "Pulkovo 1942 / Gauss-Kruger zone 13 (EPSG:28413)".
func (c CRS) String() string {
	if id := c.ID(); id != "" {
		return c.name + " (" + id + ")"
	}
	return c.name
}

// looksLikeWKT reports whether text starts with a WKT CRS keyword.
func looksLikeWKT(text string) bool {
	i := strings.IndexAny(text, "[(")
	if i <= 0 {
		return false
	}
	switch strings.ToUpper(strings.TrimSpace(text[:i])) {
	case "GEOGCS", "PROJCS", "COMPD_CS", "GEOCCS", "VERT_CS", "LOCAL_CS",
		"GEODCRS", "GEOGCRS", "GEODETICCRS", "GEOGRAPHICCRS", "PROJCRS", "PROJECTEDCRS",
		"COMPOUNDCRS", "VERTCRS", "VERTICALCRS", "ENGCRS", "ENGINEERINGCRS", "BOUNDCRS":
		return true
	}
	return false
}

// quoteShort quotes text for an error message, cut to its first line and
// 60 characters.
func quoteShort(text string) string {
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		text = text[:i] + "…"
	}
	if r := []rune(text); len(r) > 60 {
		text = string(r[:60]) + "…"
	}
	return strconv.Quote(text)
}

// typeName says in words what sort of CRS a PROJ type is.
func typeName(t C.int) string {
	switch t {
	case C.PJ_TYPE_GEOCENTRIC_CRS:
		return "a geocentric CRS"
	case C.PJ_TYPE_VERTICAL_CRS:
		return "a vertical CRS"
	case C.PJ_TYPE_TEMPORAL_CRS:
		return "a temporal CRS"
	case C.PJ_TYPE_ENGINEERING_CRS:
		return "an engineering (local) CRS"
	}
	return "a CRS of another kind"
}
