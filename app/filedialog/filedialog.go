// Package filedialog asks the user for a file to open or to write, with
// Fyne's file dialog, and hands the feature that asked a path: features
// read and write their files themselves, off the UI goroutine and
// atomically, rather than through the dialog's reader or writer.
package filedialog

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
)

// Open asks for an existing file with one of the extensions (".mbtiles";
// none for any file) and calls chosen with its path, unless the user
// cancels. A dialog error goes to failed.
func Open(w fyne.Window, extensions []string, chosen func(path string), failed func(error)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		switch {
		case err != nil:
			failed(err)
		case r != nil:
			path := r.URI().Path()
			r.Close()
			chosen(path)
		}
	}, w)
	if len(extensions) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(extensions))
	}
	d.Show()
}

// Save asks where to write a file, suggesting a name, and calls chosen
// with the path, unless the user cancels. The dialog creates the file
// empty; the feature then writes it. A dialog error goes to failed.
func Save(w fyne.Window, name string, chosen func(path string), failed func(error)) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		switch {
		case err != nil:
			failed(err)
		case wc != nil:
			path := wc.URI().Path()
			wc.Close()
			chosen(path)
		}
	}, w)
	d.SetFileName(name)
	d.Show()
}
