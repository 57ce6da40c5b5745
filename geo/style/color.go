package style

import (
	"encoding/json"
	"fmt"
	"image/color"
	"strconv"
	"strings"
)

// Color is a non-premultiplied RGBA colour written in JSON as "#rgb",
// "#rrggbb", "#rrggbbaa" or "rgba(r, g, b, a)" with a in 0..1.
type Color color.NRGBA

// NRGBA returns the colour as a color.NRGBA.
func (c Color) NRGBA() color.NRGBA { return color.NRGBA(c) }

// IsZero reports whether the colour is unset (fully transparent black).
func (c Color) IsZero() bool { return c == Color{} }

// ParseColor parses the JSON text forms of a colour.
func ParseColor(s string) (Color, error) {
	s = strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(s, "#"):
		h := s[1:]
		if len(h) == 3 {
			h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
		}
		if len(h) == 6 {
			h += "ff"
		}
		if len(h) != 8 {
			return Color{}, fmt.Errorf("style: colour %q: want #rgb, #rrggbb or #rrggbbaa", s)
		}
		v, err := strconv.ParseUint(h, 16, 32)
		if err != nil {
			return Color{}, fmt.Errorf("style: colour %q: not hexadecimal", s)
		}
		return Color{R: uint8(v >> 24), G: uint8(v >> 16), B: uint8(v >> 8), A: uint8(v)}, nil
	case strings.HasPrefix(s, "rgba(") && strings.HasSuffix(s, ")"):
		parts := strings.Split(s[5:len(s)-1], ",")
		if len(parts) != 4 {
			return Color{}, fmt.Errorf("style: colour %q: rgba() takes four values", s)
		}
		var v [4]float64
		for i, p := range parts {
			f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
			if err != nil {
				return Color{}, fmt.Errorf("style: colour %q: %q is not a number", s, strings.TrimSpace(p))
			}
			v[i] = f
		}
		return Color{R: byteOf(v[0]), G: byteOf(v[1]), B: byteOf(v[2]), A: uint8(clamp01(v[3])*255 + 0.5)}, nil
	}
	return Color{}, fmt.Errorf("style: colour %q: want #rrggbb or rgba(r, g, b, a)", s)
}

func byteOf(f float64) uint8 {
	if f < 0 {
		return 0
	}
	if f > 255 {
		return 255
	}
	return uint8(f + 0.5)
}

func clamp01(f float64) float64 {
	if f < 0 {
		return 0
	}
	if f > 1 {
		return 1
	}
	return f
}

// String returns the colour as #rrggbb or #rrggbbaa.
func (c Color) String() string {
	if c.A == 255 {
		return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
	}
	return fmt.Sprintf("#%02x%02x%02x%02x", c.R, c.G, c.B, c.A)
}

// MarshalJSON writes the colour as a string.
func (c Color) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

// UnmarshalJSON reads any of the colour's text forms.
func (c *Color) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("style: colour must be a string like \"#1f4e79\": %w", err)
	}
	v, err := ParseColor(s)
	if err != nil {
		return err
	}
	*c = v
	return nil
}
