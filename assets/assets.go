// Package assets embeds the static resources of Ecoatlas into the binary, so
// that the viewer works fully offline:
//
//   - the application icon (icon.png, 512×512 PNG);
//   - the map data under data/: the Central Asia base map (data/basemap:
//     GeoJSON layers, hillshade.png and its world file hillshade.pgw) and the
//     curated thematic layers (data/curated: tailings, protected areas,
//     basins, Aral shorelines), together with the original provenance notes
//     of both folders;
//   - PROVENANCE.md, the summary of sources, versions, licences and required
//     credits of every data file;
//   - the label font (fonts/, Noto Sans);
//   - the full licence texts of the data and the font under licenses/.
//
// The data carry their own licences (public domain, LGPL-3.0-or-later,
// CC BY 4.0, MIT, …), which differ from the licence of the Ecoatlas code; an
// application that shows the data must show the credits listed in
// Provenance(). The package depends on the standard library only.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed data licenses
var files embed.FS

// Icon is the Ecoatlas application icon: a 512×512 PNG (RGBA, transparent
// outside a rounded square). Wrap it with fyne.NewStaticResource("icon.png",
// assets.Icon) to use it as a window or application icon. The slice is shared
// and must not be modified.
//
//go:embed icon.png
var Icon []byte

//go:embed PROVENANCE.md
var provenance string

// The label font: Noto Sans (SIL Open Font License 1.1, licenses/OFL-1.1-NotoSans.txt)
// in its four faces, cut down to Latin, Cyrillic with the letters of Kazakh,
// Kyrgyz and Tajik, and the Turkmen and Uzbek Latin letters (see fonts/README.md).
// The slices are shared and must not be modified.
var (
	//go:embed fonts/NotoSans-Regular.ttf
	FontRegular []byte
	//go:embed fonts/NotoSans-Bold.ttf
	FontBold []byte
	//go:embed fonts/NotoSans-Italic.ttf
	FontItalic []byte
	//go:embed fonts/NotoSans-BoldItalic.ttf
	FontBoldItalic []byte
)

// Data returns the embedded map data. The file system is rooted at the data
// folder, so paths look like "basemap/countries.geojson",
// "basemap/hillshade.png" or "curated/tailings.geojson". It also holds the
// original provenance notes "basemap/PROVENANCE.md" and
// "curated/SOURCES.md". The returned file system is read-only and safe for
// concurrent use.
func Data() fs.FS {
	return sub("data")
}

// Licenses returns the embedded licence texts of the data, rooted at the
// licenses folder: "LGPL-3.0.txt", "GPL-3.0.txt", "LGPL-2.1.txt",
// "CC-BY-4.0.txt", "MIT-WaterHydro-Kazakhstan-Portal.txt" and "README.md",
// which maps each data file to its licence. The returned file system is
// read-only and safe for concurrent use.
func Licenses() fs.FS {
	return sub("licenses")
}

// Provenance returns the Markdown text of PROVENANCE.md: for every embedded
// data file its source, version, licence and feature count, followed by the
// required credits and attribution statements (Natural Earth, GSHHG, HydroATLAS,
// WaterHydro-Kazakhstan-Portal, Marble) and notes on data precision. Suitable
// for an "About / Data sources" dialog.
func Provenance() string {
	return provenance
}

// sub returns the embedded sub-tree dir; the directories are fixed at compile
// time, so an error is a programming error.
func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic("assets: " + err.Error())
	}
	return f
}

//go:generate go run ./internal/enrich/generate
