package vector

import (
	"github.com/ecoatlas/ecoatlas/assets"
	"github.com/ecoatlas/ecoatlas/geo/render/text"
)

// face is one of the four faces of the label font.
type face struct {
	// style is fpdf's style string: "", "B", "I" or "BI".
	style string
	// weight and italic are the CSS font-weight and font-style.
	weight, italic string
	ttf            []byte
}

// faces are the faces of Noto Sans, by faceOf's index.
var faces = [4]face{
	{"", "normal", "normal", assets.FontRegular},
	{"B", "bold", "normal", assets.FontBold},
	{"I", "normal", "italic", assets.FontItalic},
	{"BI", "bold", "italic", assets.FontBoldItalic},
}

// fontFamily is the name the documents give the label font.
const fontFamily = "Noto Sans"

// faceOf returns the index in faces of the face a text style uses.
func faceOf(st text.Style) int {
	i := 0
	if st.Weight == text.Bold {
		i++
	}
	if st.Italic {
		i += 2
	}
	return i
}
