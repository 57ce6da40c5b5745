package decode

// slab hands out sub-slices of large blocks, so that a million rings cost
// a few dozen allocations rather than a million. Elements are added to
// the open run at the end of the current block, and take closes the run
// and returns it. When a block fills up, the open run moves to a new one;
// the runs already taken stay where they are, keeping their block alive.
//
// Each slab has one open run at a time, which is why points, rings, lines
// and polygons have slabs of their own.
type slab[T any] struct {
	block []T
	run   int // start of the open run in block
}

// Block sizes, in elements: the first block is small so that a file of a
// few features stays small, and blocks double up to the largest.
const (
	firstBlockLen = 256
	maxBlockLen   = 1 << 16
)

// add appends v to the open run.
func (s *slab[T]) add(v T) {
	if len(s.block) == cap(s.block) {
		s.grow()
	}
	s.block = append(s.block, v)
}

// grow moves the open run to a new block with room to spare.
func (s *slab[T]) grow() {
	open := s.block[s.run:]
	n := max(min(2*cap(s.block), maxBlockLen), firstBlockLen, 2*len(open))
	block := make([]T, len(open), n)
	copy(block, open)
	s.block, s.run = block, 0
}

// open returns the open run, with the rest of the block as its spare
// capacity.
func (s *slab[T]) open() []T { return s.block[s.run:] }

// setOpen makes run, which open returned and the caller appended to, the
// open run. If appending outgrew the block, run's new array becomes the
// block.
func (s *slab[T]) setOpen(run []T) {
	if cap(run) == cap(s.block)-s.run {
		s.block = s.block[:s.run+len(run)]
	} else {
		s.block, s.run = run, 0
	}
}

// reserve makes room for at least n more elements in the block.
func (s *slab[T]) reserve(n int) {
	if cap(s.block)-len(s.block) < n {
		s.grow()
	}
}

// take closes the open run and returns it, with no spare capacity so that
// appending to it cannot overwrite the next run.
func (s *slab[T]) take() []T {
	run := s.block[s.run:len(s.block):len(s.block)]
	s.run = len(s.block)
	return run
}
