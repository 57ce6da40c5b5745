module github.com/ecoatlas/ecoatlas

go 1.26.3

require (
	fyne.io/fyne/v2 v2.7.1 // indirect
	github.com/paulmach/orb v0.14.0 // indirect
	github.com/tidwall/geoindex v1.7.0 // indirect
	github.com/tidwall/rtree v1.10.0 // indirect
	github.com/twpayne/go-geom v1.7.0 // indirect
	golang.org/x/image v0.48.0 // indirect
)
