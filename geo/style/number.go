package style

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
)

// Attributes is what a style needs to read from a feature.
type Attributes interface {
	Get(key string) (any, bool)
}

// Number is a style value that is either constant or interpolated on the
// zoom or on a numeric property. In JSON it is a plain number, or
//
//	{"by": "zoom", "stops": [[4, 0.5], [10, 3]]}
//	{"by": "pop_max", "log": true, "stops": [[1e5, 3], [1e7, 7]]}
//
// Between stops the value is linear (in the logarithm of the input when
// "log" is set); outside them it holds the end value. A feature without
// the property gets the first stop's value.
type Number struct {
	Value float64
	By    string
	Stops [][2]float64
	Log   bool
}

// Const returns a constant Number.
func Const(v float64) Number { return Number{Value: v} }

// IsZero reports whether the number is an unset constant 0.
func (n Number) IsZero() bool { return n.By == "" && n.Value == 0 }

// Eval returns the value at a zoom for a feature (attrs may be nil).
func (n Number) Eval(zoom float64, attrs Attributes) float64 {
	if n.By == "" || len(n.Stops) == 0 {
		return n.Value
	}
	var in float64
	if n.By == "zoom" {
		in = zoom
	} else {
		if attrs == nil {
			return n.Stops[0][1]
		}
		v, ok := attrs.Get(n.By)
		f, isNum := v.(float64)
		if !ok || !isNum {
			return n.Stops[0][1]
		}
		in = f
	}
	return interpolate(n.Stops, in, n.Log)
}

func interpolate(stops [][2]float64, in float64, logScale bool) float64 {
	if in <= stops[0][0] {
		return stops[0][1]
	}
	last := stops[len(stops)-1]
	if in >= last[0] {
		return last[1]
	}
	i := sort.Search(len(stops), func(i int) bool { return stops[i][0] > in })
	a, b := stops[i-1], stops[i]
	x0, x1, x := a[0], b[0], in
	if logScale && x0 > 0 {
		x0, x1, x = math.Log(x0), math.Log(x1), math.Log(x)
	}
	t := (x - x0) / (x1 - x0)
	return a[1] + t*(b[1]-a[1])
}

type numberJSON struct {
	By    string       `json:"by"`
	Stops [][2]float64 `json:"stops"`
	Log   bool         `json:"log,omitempty"`
}

// UnmarshalJSON reads a constant or an interpolation object.
func (n *Number) UnmarshalJSON(b []byte) error {
	var v float64
	if err := json.Unmarshal(b, &v); err == nil {
		*n = Number{Value: v}
		return nil
	}
	var o numberJSON
	if err := json.Unmarshal(b, &o); err != nil {
		return fmt.Errorf("style: a value must be a number or {\"by\": ..., \"stops\": ...}: %s", b)
	}
	if o.By == "" || len(o.Stops) == 0 {
		return fmt.Errorf("style: interpolated value %s needs \"by\" and at least one stop", b)
	}
	for i := 1; i < len(o.Stops); i++ {
		if o.Stops[i][0] <= o.Stops[i-1][0] {
			return fmt.Errorf("style: stops of %q must increase: %v after %v", o.By, o.Stops[i][0], o.Stops[i-1][0])
		}
	}
	if o.Log && o.Stops[0][0] <= 0 {
		return fmt.Errorf("style: logarithmic stops of %q must be positive", o.By)
	}
	*n = Number{By: o.By, Stops: o.Stops, Log: o.Log}
	return nil
}

// MarshalJSON writes a constant as a number and an interpolation as an object.
func (n Number) MarshalJSON() ([]byte, error) {
	if n.By == "" {
		return json.Marshal(n.Value)
	}
	return json.Marshal(numberJSON{By: n.By, Stops: n.Stops, Log: n.Log})
}
