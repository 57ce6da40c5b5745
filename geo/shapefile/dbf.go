package shapefile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// dbfField is a field descriptor of a .dbf header.
type dbfField struct {
	name   string
	kind   byte // C, N, F, L, D, …
	offset int  // in the record, after the deletion flag
	length int
}

// dbfReader reads the records of a .dbf in order.
type dbfReader struct {
	r            io.Reader
	fields       []dbfField
	recordSize   int
	records      int // as the header says
	read         int
	record       []byte
	decode       *encoding.Decoder // nil: guess per value
	encodingName string
}

// maxFields bounds the field descriptors read (dBASE allows 255).
const maxFields = 2048

// newDBF reads a .dbf header. The code page is cpg's, else the header's
// language driver's, else guessed per value.
func newDBF(r io.Reader, cpg string) (*dbfReader, error) {
	var h [32]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, fmt.Errorf("%w: the 32-byte header is cut short", ErrCorrupt)
	}
	d := &dbfReader{
		r:          r,
		records:    int(binary.LittleEndian.Uint32(h[4:])),
		recordSize: int(binary.LittleEndian.Uint16(h[10:])),
	}
	headerSize := int(binary.LittleEndian.Uint16(h[8:]))
	if headerSize < 33 || (headerSize-33)/32 > maxFields {
		return nil, fmt.Errorf("%w: header size %d", ErrCorrupt, headerSize)
	}
	rest := make([]byte, headerSize-32)
	if _, err := io.ReadFull(r, rest); err != nil {
		return nil, fmt.Errorf("%w: the header's %d bytes are cut short", ErrCorrupt, headerSize)
	}
	offset := 0
	for i := 0; i+32 <= len(rest) && rest[i] != 0x0d; i += 32 {
		desc := rest[i : i+32]
		name := string(bytes.TrimRight(desc[:11], "\x00 "))
		if j := strings.IndexByte(name, 0); j >= 0 {
			name = name[:j]
		}
		f := dbfField{name: name, kind: desc[11], offset: offset, length: int(desc[16])}
		if f.kind == 'C' {
			// Character fields longer than 255 keep the high byte in the
			// decimal count, as Clipper and GDAL write them.
			f.length += 256 * int(desc[17])
		}
		offset += f.length
		d.fields = append(d.fields, f)
	}
	if offset+1 != d.recordSize {
		return nil, fmt.Errorf("%w: the fields take %d bytes, the records %d", ErrCorrupt, offset+1, d.recordSize)
	}
	d.record = make([]byte, d.recordSize)
	d.decode, d.encodingName = codePage(cpg, h[29])
	return d, nil
}

// codePage returns the decoder of a .cpg text or a language driver id,
// nil when neither names one it knows.
func codePage(cpg string, ldid byte) (*encoding.Decoder, string) {
	name := strings.ToLower(strings.TrimSpace(cpg))
	name = strings.NewReplacer("ansi ", "", "windows-", "", "windows", "", "cp", "", "ibm", "", "_", "-").Replace(name)
	switch name {
	case "":
	case "utf-8", "utf8", "65001":
		return nil, "UTF-8"
	default:
		if e, ok := codePages[name]; ok {
			return e.NewDecoder(), e.String()
		}
	}
	if e, ok := ldids[ldid]; ok {
		return e.NewDecoder(), e.String()
	}
	return nil, "UTF-8, else windows-1251"
}

// codePages are the code pages a .cpg may name, by their number or name
// with "cp", "windows-" or "ibm" taken off.
var codePages = map[string]*charmap.Charmap{
	"1250": charmap.Windows1250, "1251": charmap.Windows1251, "1252": charmap.Windows1252,
	"1253": charmap.Windows1253, "1254": charmap.Windows1254, "1257": charmap.Windows1257,
	"866": charmap.CodePage866, "437": charmap.CodePage437, "850": charmap.CodePage850, "852": charmap.CodePage852,
	"koi8-r": charmap.KOI8R, "koi8-u": charmap.KOI8U, "iso-8859-1": charmap.ISO8859_1, "latin1": charmap.ISO8859_1,
	"iso-8859-5": charmap.ISO8859_5, "88591": charmap.ISO8859_1, "88595": charmap.ISO8859_5,
}

// ldids are the language driver ids of the .dbf header that name a code
// page (the ones of Cyrillic and Western systems).
var ldids = map[byte]*charmap.Charmap{
	0x01: charmap.CodePage437, 0x02: charmap.CodePage850, 0x03: charmap.Windows1252,
	0x26: charmap.CodePage866, 0x64: charmap.CodePage852, 0x65: charmap.CodePage866,
	0xc8: charmap.Windows1250, 0xc9: charmap.Windows1251, 0xca: charmap.Windows1254,
	0xcb: charmap.Windows1253, 0xcc: charmap.Windows1257,
}

// next reads the next record's values; deleted reports a record marked
// deleted. After the last record it returns no values.
func (d *dbfReader) next() (props map[string]any, deleted bool, err error) {
	if d.read >= d.records {
		return map[string]any{}, false, nil
	}
	d.read++
	if _, err := io.ReadFull(d.r, d.record); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, false, fmt.Errorf("%w: the file ends before record %d of %d", ErrCorrupt, d.read, d.records)
		}
		return nil, false, err
	}
	if d.record[0] == '*' {
		return nil, true, nil
	}
	props = make(map[string]any, len(d.fields))
	for _, f := range d.fields {
		raw := d.record[1+f.offset : 1+f.offset+f.length]
		props[f.name] = d.value(f, raw)
	}
	return props, false, nil
}

// value converts a field's bytes.
func (d *dbfReader) value(f dbfField, raw []byte) any {
	switch f.kind {
	case 'C':
		s := d.text(bytes.TrimRight(raw, " \x00"))
		if s == "" {
			return nil
		}
		return s
	case 'N', 'F':
		s := strings.TrimSpace(string(bytes.Trim(raw, "\x00")))
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return v
	case 'L':
		switch s := strings.TrimSpace(string(raw)); s {
		case "Y", "y", "T", "t":
			return true
		case "N", "n", "F", "f":
			return false
		}
		return nil
	case 'D':
		s := strings.TrimSpace(string(raw))
		if len(s) != 8 {
			return nil
		}
		if _, err := strconv.Atoi(s); err != nil {
			return nil
		}
		return s[:4] + "-" + s[4:6] + "-" + s[6:]
	default:
		return nil
	}
}

// text decodes a character value.
func (d *dbfReader) text(b []byte) string {
	if d.decode != nil {
		if s, err := d.decode.Bytes(b); err == nil {
			return string(s)
		}
	}
	if utf8.Valid(b) {
		return string(b)
	}
	s, _ := charmap.Windows1251.NewDecoder().Bytes(b)
	return string(s)
}
