package layer

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/paulmach/orb"
)

// Relief is a single-band raster in plate carrée (EPSG:4326) georeferenced
// by a world file, such as the embedded shaded relief. Bound is the lon/lat
// extent of the pixel edges (not the pixel centres).
type Relief struct {
	Pix   *image.Gray
	Bound orb.Bound

	levelsOnce sync.Once
	levels     []*image.Gray
}

// Level returns the raster reduced n times by half in each direction (2×2
// pixels averaged), Pix being level 0: what a view that shrinks the
// raster 2ⁿ times or more samples, so that it shows averages rather than
// every 2ⁿth pixel. Levels beyond the last (one pixel across) give the
// last. The levels are made on the first call.
func (r *Relief) Level(n int) *image.Gray {
	r.levelsOnce.Do(func() {
		r.levels = []*image.Gray{r.Pix}
		for g := r.Pix; g.Rect.Dx() > 1 || g.Rect.Dy() > 1; {
			g = halve(g)
			r.levels = append(r.levels, g)
		}
	})
	return r.levels[min(max(n, 0), len(r.levels)-1)]
}

// halve averages 2×2 blocks of pixels; an odd last row or column is
// averaged with itself.
func halve(src *image.Gray) *image.Gray {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dst := image.NewGray(image.Rect(0, 0, (w+1)/2, (h+1)/2))
	at := func(x, y int) uint32 { return uint32(src.Pix[min(y, h-1)*src.Stride+min(x, w-1)]) }
	for y := range dst.Rect.Dy() {
		for x := range dst.Rect.Dx() {
			sum := at(2*x, 2*y) + at(2*x+1, 2*y) + at(2*x, 2*y+1) + at(2*x+1, 2*y+1)
			dst.Pix[y*dst.Stride+x] = uint8((sum + 2) / 4)
		}
	}
	return dst
}

// WorldFile is the six-line affine georeference of an image (ESRI world
// file: .pgw, .tfw, ...). X and Y are the centre of the top-left pixel.
type WorldFile struct {
	PixelWidth, RotationY, RotationX, PixelHeight, X, Y float64
}

// ParseWorldFile reads a world file. Rotated rasters are refused because
// nothing here can draw them.
func ParseWorldFile(r io.Reader) (WorldFile, error) {
	var v [6]float64
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if n == 6 {
			return WorldFile{}, fmt.Errorf("world file: more than six values (line %q)", line)
		}
		f, err := strconv.ParseFloat(line, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return WorldFile{}, fmt.Errorf("world file: value %d %q is not a number", n+1, line)
		}
		v[n] = f
		n++
	}
	if err := sc.Err(); err != nil {
		return WorldFile{}, fmt.Errorf("world file: %w", err)
	}
	if n != 6 {
		return WorldFile{}, fmt.Errorf("world file: %d values, want 6", n)
	}
	w := WorldFile{v[0], v[1], v[2], v[3], v[4], v[5]}
	if w.RotationX != 0 || w.RotationY != 0 {
		return WorldFile{}, fmt.Errorf("world file: rotated rasters are not supported")
	}
	if w.PixelWidth <= 0 || w.PixelHeight >= 0 {
		return WorldFile{}, fmt.Errorf("world file: want a positive pixel width and a negative pixel height, got %v and %v", w.PixelWidth, w.PixelHeight)
	}
	return w, nil
}

// NewRelief georeferences an image, converted to grey, with a world file.
// Transparency is ignored: a grey PNG with a tRNS chunk marks one grey
// level as transparent, and that level is still the relief's value there.
func NewRelief(img image.Image, wf WorldFile) *Relief {
	g, ok := img.(*image.Gray)
	if n, isNRGBA := img.(*image.NRGBA); isNRGBA {
		// The common case (a grey PNG with tRNS) without a per-pixel
		// interface call: 19595, 38470 and 7471 are color.GrayModel's weights.
		g = image.NewGray(image.Rect(0, 0, n.Rect.Dx(), n.Rect.Dy()))
		for y := range g.Rect.Dy() {
			src := n.Pix[y*n.Stride : y*n.Stride+4*g.Rect.Dx()]
			dst := g.Pix[y*g.Stride : y*g.Stride+g.Rect.Dx()]
			for x := range dst {
				r, gr, b := uint32(src[4*x]), uint32(src[4*x+1]), uint32(src[4*x+2])
				dst[x] = uint8((19595*r*0x101 + 38470*gr*0x101 + 7471*b*0x101 + 1<<15) >> 24)
			}
		}
		ok = true
	}
	if !ok {
		b := img.Bounds()
		g = image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
				c.A = 255
				g.SetGray(x-b.Min.X, y-b.Min.Y, color.GrayModel.Convert(c).(color.Gray))
			}
		}
	}
	w, h := float64(g.Rect.Dx()), float64(g.Rect.Dy())
	west := wf.X - wf.PixelWidth/2
	north := wf.Y - wf.PixelHeight/2
	return &Relief{Pix: g, Bound: orb.Bound{
		Min: orb.Point{west, north + h*wf.PixelHeight},
		Max: orb.Point{west + w*wf.PixelWidth, north},
	}}
}

// At returns the bilinearly interpolated grey value at a lon/lat, and false
// outside the raster.
func (r *Relief) At(lon, lat float64) (float64, bool) {
	b := r.Bound
	if lon < b.Min[0] || lon > b.Max[0] || lat < b.Min[1] || lat > b.Max[1] {
		return 0, false
	}
	w, h := r.Pix.Rect.Dx(), r.Pix.Rect.Dy()
	fx := (lon-b.Min[0])/(b.Max[0]-b.Min[0])*float64(w) - 0.5
	fy := (b.Max[1]-lat)/(b.Max[1]-b.Min[1])*float64(h) - 0.5
	return r.sample(fx, fy), true
}

// sample interpolates at fractional pixel coordinates, clamping at edges.
func (r *Relief) sample(fx, fy float64) float64 {
	w, h := r.Pix.Rect.Dx(), r.Pix.Rect.Dy()
	x0, y0 := int(math.Floor(fx)), int(math.Floor(fy))
	tx, ty := fx-float64(x0), fy-float64(y0)
	x1, y1 := min(max(x0+1, 0), w-1), min(max(y0+1, 0), h-1)
	x0, y0 = min(max(x0, 0), w-1), min(max(y0, 0), h-1)
	p, s := r.Pix.Pix, r.Pix.Stride
	a := float64(p[y0*s+x0])*(1-tx) + float64(p[y0*s+x1])*tx
	c := float64(p[y1*s+x0])*(1-tx) + float64(p[y1*s+x1])*tx
	return a*(1-ty) + c*ty
}
