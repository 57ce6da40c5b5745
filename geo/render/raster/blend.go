package raster

import (
	"encoding/binary"
	"image/color"
)

// paint is a colour prepared for source-over compositing.
//
// Fully covered pixels are blended with image/draw's 16-bit arithmetic,
// so a shape's interior matches draw.Draw exactly. Partly covered pixels,
// which are most of the pixels of small shapes and thin lines, are blended
// with 8-bit coverage on all four channels at once (four 16-bit lanes of a
// uint64); that rounds correctly, so edge pixels are within one of the
// exact result.
type paint struct {
	// r, g, b, a are the premultiplied colour in 16 bits per channel.
	r, g, b, a uint32
	// keep is the factor, scaled by 0x101·0xffff, by which a fully
	// covered pixel keeps the destination.
	keep uint32
	// lanes holds the premultiplied colour in 8 bits per channel, one per
	// 16-bit lane in the order of spread.
	lanes uint64
	// alpha8 is the premultiplied alpha in 8 bits.
	alpha8 uint32
	// opaque is set when a fully covered pixel simply takes the colour,
	// solid.
	opaque bool
	solid  uint32
}

// newPaint prepares a non-premultiplied colour for compositing.
func newPaint(col color.NRGBA) paint {
	r, g, b, a := col.RGBA()
	r8, g8, b8 := div255(uint32(col.R)*uint32(col.A)), div255(uint32(col.G)*uint32(col.A)), div255(uint32(col.B)*uint32(col.A))
	solid := r>>8 | g>>8<<8 | b>>8<<16 | a>>8<<24
	return paint{
		r: r, g: g, b: b, a: a,
		keep:   (0xffff - a) * 0x101,
		lanes:  spread(r8 | g8<<8 | b8<<16 | uint32(col.A)<<24),
		alpha8: uint32(col.A),
		opaque: col.A == 0xff,
		solid:  solid,
	}
}

// div255 returns x/255 rounded to nearest, for x ≤ 255·255.
func div255(x uint32) uint32 {
	x += 0x80
	return (x + x>>8) >> 8
}

// laneMask selects the low byte of each 16-bit lane.
const laneMask = 0x00ff00ff00ff00ff

// spread moves the four bytes of an RGBA pixel into the low bytes of four
// 16-bit lanes, in the order R, B, G, A.
func spread(px uint32) uint64 {
	x := uint64(px)
	return (x | x<<24) & laneMask
}

// pack is the inverse of spread.
func pack(x uint64) uint32 {
	return uint32(x) | uint32(x>>24)
}

// div255Lanes divides every 16-bit lane by 255, rounding to nearest.
func div255Lanes(x uint64) uint64 {
	x += 0x0080008000800080
	return (x + x>>8&laneMask) >> 8 & laneMask
}

// blendFull composites p over one fully covered pixel.
func blendFull(px []uint8, p *paint) {
	if p.opaque {
		binary.LittleEndian.PutUint32(px, p.solid)
		return
	}
	px = px[:4:4]
	px[0] = uint8((uint32(px[0])*p.keep/0xffff + p.r) >> 8)
	px[1] = uint8((uint32(px[1])*p.keep/0xffff + p.g) >> 8)
	px[2] = uint8((uint32(px[2])*p.keep/0xffff + p.b) >> 8)
	px[3] = uint8((uint32(px[3])*p.keep/0xffff + p.a) >> 8)
}

// blendPartial composites p over one pixel with coverage c/255,
// 0 < c < 255.
func blendPartial(px []uint8, c uint32, p *paint) {
	keep := uint64(255 - div255(p.alpha8*c))
	d := spread(binary.LittleEndian.Uint32(px))
	d = div255Lanes(d*keep) + div255Lanes(p.lanes*uint64(c))
	binary.LittleEndian.PutUint32(px, pack(d))
}

// blendSpan composites p with constant coverage c/255 over every pixel of
// pix.
func blendSpan(pix []uint8, c uint32, p *paint) {
	switch {
	case c == 0:
	case c == 255:
		for i := 0; i+4 <= len(pix); i += 4 {
			blendFull(pix[i:i+4], p)
		}
	default:
		keep := uint64(255 - div255(p.alpha8*c))
		src := div255Lanes(p.lanes * uint64(c))
		for i := 0; i+4 <= len(pix); i += 4 {
			d := spread(binary.LittleEndian.Uint32(pix[i:]))
			binary.LittleEndian.PutUint32(pix[i:], pack(div255Lanes(d*keep)+src))
		}
	}
}
