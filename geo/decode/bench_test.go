package decode_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/ecoatlas/ecoatlas/geo/decode"
)

// coordinate formats a coordinate like the benchmark workloads: six
// decimals, trailing zeros trimmed.
func coordinate(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(v, 'f', 6, 64), "0"), ".")
}

// writeFeature writes one feature of the benchmark workloads' shape.
func writeFeature(b *bytes.Buffer, r *rand.Rand, i int, geometry string) {
	if i > 0 {
		b.WriteString(",\n")
	}
	fmt.Fprintf(b, `{"type":"Feature","properties":{"uid":%d,"cat":%d,"value":%s},"geometry":%s}`,
		i, r.IntN(10), coordinate(math.Round(r.Float64()*1000_00)/100), geometry)
}

// pointsCollection returns a FeatureCollection of n points in Central
// Asia, shaped like the 1,000,000-point benchmark workload.
func pointsCollection(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","name":"points","features":[` + "\n")
	for i := range n {
		geometry := `{"type":"Point","coordinates":[` + coordinate(46+r.Float64()*42) + "," + coordinate(35+r.Float64()*21) + "]}"
		writeFeature(&b, r, i, geometry)
	}
	b.WriteString("\n]}\n")
	return b.Bytes()
}

// polygonsCollection returns a FeatureCollection of n star-shaped polygons
// of 20 to 200 vertices in Central Asia, shaped like the 100,000-polygon
// benchmark workload.
func polygonsCollection(n int) []byte {
	r := rand.New(rand.NewPCG(3, 4))
	var b bytes.Buffer
	var g bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","name":"polygons","features":[` + "\n")
	for i := range n {
		cx, cy, radius := 47+r.Float64()*40, 36+r.Float64()*19, 0.05+r.Float64()*0.5
		vertices := 20 + r.IntN(181)
		g.Reset()
		g.WriteString(`{"type":"Polygon","coordinates":[[`)
		var first string
		for k := range vertices {
			a := 2 * math.Pi * (float64(k) + 0.9*r.Float64()) / float64(vertices)
			rr := radius * (0.5 + r.Float64())
			p := "[" + coordinate(cx+rr*math.Cos(a)) + "," + coordinate(cy+rr*math.Sin(a)) + "]"
			if k == 0 {
				first = p
			}
			g.WriteString(p + ",")
		}
		g.WriteString(first + "]]}")
		writeFeature(&b, r, i, g.String())
	}
	b.WriteString("\n]}\n")
	return b.Bytes()
}

func benchmarkGeoJSON(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := decode.GeoJSON(data, "bench.geojson"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGeoJSON_points(b *testing.B) { benchmarkGeoJSON(b, pointsCollection(120_000)) }

func BenchmarkGeoJSON_polygons(b *testing.B) { benchmarkGeoJSON(b, polygonsCollection(5_000)) }

func benchmarkGeoJSONReader(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decode.GeoJSONReader(context.Background(), bytes.NewReader(data), "bench.geojson", decode.Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGeoJSONReader_points reads the points from a reader, block by
// block, as decode.File reads a file.
func BenchmarkGeoJSONReader_points(b *testing.B) {
	benchmarkGeoJSONReader(b, pointsCollection(120_000))
}

// BenchmarkGeoJSONReader_polygons reads the polygons from a reader.
func BenchmarkGeoJSONReader_polygons(b *testing.B) {
	benchmarkGeoJSONReader(b, polygonsCollection(5_000))
}
