package style

// Magnified returns a copy of the style whose labels and point symbols are
// k times their size, and whose lines are thicker by half as much, for a
// map seen from afar: on a projector, a wall screen. The copy shares
// nothing it changes with s, so s stays as it was; filters, colours and
// everything else are shared. Cluster cells grow with their symbols, so
// that the bigger symbols do not crowd.
func (s *Style) Magnified(k float64) *Style {
	c := s.Clone()
	lines := 1 + (k-1)/2
	for i := range c.Layers {
		l := &c.Layers[i]
		rules := make([]Rule, len(l.Rules))
		for j, r := range l.Rules {
			if r.Stroke != nil {
				st := *r.Stroke
				st.Width = st.Width.scaled(lines)
				r.Stroke = &st
			}
			if r.Symbol != nil {
				r.Symbol = r.Symbol.magnified(k)
			}
			if r.Label != nil {
				lb := *r.Label
				lb.Size, lb.MinSize = lb.Size.scaled(k), lb.MinSize.scaled(k)
				lb.HaloWidth *= k
				lb.MaxWidth *= k
				r.Label = &lb
			}
			rules[j] = r
		}
		l.Rules = rules
		if l.Cluster != nil {
			cl := *l.Cluster
			cl.Radius = cl.Radius.scaled(k)
			cl.Symbol = *cl.Symbol.magnified(k)
			cl.TextSize *= k
			l.Cluster = &cl
		}
	}
	return c
}

// magnified returns a copy of the symbol k times its size.
func (s *Symbol) magnified(k float64) *Symbol {
	c := *s
	c.Size, c.StrokeWidth = c.Size.scaled(k), c.StrokeWidth.scaled(k)
	if c.Ring != nil {
		ring := *c.Ring
		ring.Diameter = ring.Diameter.scaled(k)
		ring.Width *= k
		c.Ring = &ring
	}
	return &c
}

// scaled returns the number with every value it takes multiplied by k.
func (n Number) scaled(k float64) Number {
	n.Value *= k
	if len(n.Stops) > 0 {
		stops := make([][2]float64, len(n.Stops))
		for i, s := range n.Stops {
			stops[i] = [2]float64{s[0], s[1] * k}
		}
		n.Stops = stops
	}
	return n
}
