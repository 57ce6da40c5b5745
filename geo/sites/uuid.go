package sites

import (
	"crypto/rand"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"sync"
	"time"
)

// NewUUID returns a new time-ordered (version 7) UUID in lower case: the
// Unix time in milliseconds, then random bits (RFC 9562, section 5.7).
// Those made one after another sort in that order (a counter orders those
// of the same millisecond), so the store's uuid index is appended to
// rather than written all over, which makes a big import much cheaper.
func NewUUID() string {
	var u [16]byte
	rand.Read(u[:])
	uuidClock.Lock()
	ms := time.Now().UnixMilli()
	if ms <= uuidClock.ms {
		ms = uuidClock.ms
		uuidClock.seq++
		if uuidClock.seq > 0xfff {
			ms++
			uuidClock.seq = 0
		}
	} else {
		uuidClock.seq = uint16(u[6])<<4&0x7ff | uint16(u[7])>>4 // a random start leaves room to count
	}
	uuidClock.ms = ms
	seq := uuidClock.seq
	uuidClock.Unlock()
	binary.BigEndian.PutUint64(u[:8], uint64(ms)<<16|uint64(seq))
	u[6] = u[6]&0x0f | 0x70
	u[8] = u[8]&0x3f | 0x80
	return formatUUID(u)
}

// uuidClock is the last millisecond NewUUID used and its counter in it.
var uuidClock struct {
	sync.Mutex
	ms  int64
	seq uint16
}

// seedNamespace is the namespace of the name-based UUIDs of the sites of
// the embedded layer (itself a random UUID, fixed for good): every store
// made from the embedded layer gives its sites the same UUIDs, so stores
// of different inspectors merge.
var seedNamespace = [16]byte{0x6b, 0x3c, 0x1e, 0x52, 0x0f, 0x8d, 0x4a, 0x71, 0x9c, 0x24, 0xd5, 0x0e, 0x83, 0x6f, 0x2a, 0x19}

// nameUUID returns the name-based (version 5, SHA-1) UUID of a name in
// the seed namespace (RFC 9562, section 5.5).
func nameUUID(name string) string {
	h := sha1.New()
	h.Write(seedNamespace[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return formatUUID(u)
}

func formatUUID(u [16]byte) string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// ValidUUID reports whether s is a UUID written in the canonical form,
// 8-4-4-4-12 hexadecimal digits in lower case.
func ValidUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return false
			}
		}
	}
	return true
}
