package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// imageFormat is an encoding the command writes.
type imageFormat int

const (
	formatPNG imageFormat = iota
	formatJPEG
)

// formatOf returns the format an output path asks for by its extension.
func formatOf(path string) (imageFormat, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".png":
		return formatPNG, nil
	case ".jpg", ".jpeg":
		return formatJPEG, nil
	case "":
		return 0, usagef("--out %s: the name has no extension; give .png, .jpg or .jpeg", path)
	default:
		return 0, usagef("--out %s: %q is not an image format atlas writes; give .png, .jpg or .jpeg", path, ext)
	}
}

// maxLinks is how many symbolic links a path may go through.
const maxLinks = 40

// output is a file being written. What is written goes into a new file
// next to the destination, which is renamed over it once complete, so an
// interrupted or failed run never leaves a truncated file where a good one
// was, nor a temporary file behind.
type output struct {
	path   string // as typed, for messages
	target string // the file the output replaces: path through its links
	tmp    *os.File
	// mode and owner are those of the file replaced, kept on the new one.
	replaces  bool
	mode      fs.FileMode
	uid, gid  int
	haveOwner bool
	done      bool
}

// createOutput checks where an output is to go and creates the file it
// will be written into. The destination must be a regular file or a new
// path, possibly through symbolic links, which stay links; its folder
// must exist.
func createOutput(path string) (*output, error) {
	target, err := resolveLinks(path)
	if err != nil {
		return nil, fmt.Errorf("--out %s: %w", path, err)
	}
	o := &output{path: path, target: target}
	switch fi, err := os.Stat(target); {
	case err == nil && !fi.Mode().IsRegular():
		return nil, fmt.Errorf("--out %s: %s, not a regular file; atlas writes to regular files only", path, describe(fi.Mode()))
	case err == nil:
		o.replaces, o.mode = true, fi.Mode().Perm()
		o.uid, o.gid, o.haveOwner = ownerOf(fi)
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("--out %s: %w", path, unwrapPath(err))
	}
	dir := filepath.Dir(target)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("--out %s: the folder %s does not exist", path, filepath.Dir(path))
	}
	// A name of our own, made with the permissions a new file gets
	// under the umask; a replaced file's are set when it is complete.
	for range 10 {
		var suffix [6]byte
		rand.Read(suffix[:])
		name := filepath.Join(dir, "."+filepath.Base(target)+"."+hex.EncodeToString(suffix[:])+".tmp")
		o.tmp, err = os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("--out %s: cannot write in %s: %w", path, filepath.Dir(path), unwrapPath(err))
	}
	return o, nil
}

// describe names the kind of file a mode that is not regular belongs to.
func describe(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	default:
		return "a special file"
	}
}

// unwrapPath returns the error inside a *fs.PathError, whose path is not
// the one the user typed.
func unwrapPath(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	return err
}

// resolveLinks follows the symbolic links of the last element of path,
// and returns the path they lead to, which need not exist.
func resolveLinks(path string) (string, error) {
	for range maxLinks {
		fi, err := os.Lstat(path)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		dest, err := os.Readlink(path)
		if err != nil {
			return "", unwrapPath(err)
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(path), dest)
		}
		path = dest
	}
	return "", errors.New("too many levels of symbolic links")
}

// createImage is createOutput for an image, whose format the path's
// extension gives.
func createImage(path string) (*output, imageFormat, error) {
	o, err := createOutput(path)
	if err != nil {
		return nil, 0, err
	}
	format, err := formatOf(path)
	if err != nil {
		o.discard()
		return nil, 0, err
	}
	return o, format, nil
}

// writeImage encodes an image in a format with write.
func (o *output) writeImage(ctx context.Context, format imageFormat, img *image.RGBA) error {
	return o.write(ctx, func(w io.Writer) error {
		if format == formatJPEG {
			return jpeg.Encode(w, img, &jpeg.Options{Quality: 90})
		}
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		return enc.Encode(w, img)
	})
}

// write writes the file with encode, syncs it and renames it over the
// destination. It stops, leaving nothing behind, when ctx is done.
func (o *output) write(ctx context.Context, encode func(io.Writer) error) error {
	w := bufio.NewWriterSize(o.tmp, 1<<20)
	err := encode(ctxWriter{ctx, w})
	if err == nil {
		err = w.Flush()
	}
	if err == nil && o.replaces {
		err = o.tmp.Chmod(o.mode)
		if o.haveOwner {
			// Only root may give a file away; for anyone else, the file
			// is theirs already or the chown fails harmlessly.
			o.tmp.Chown(o.uid, o.gid)
		}
	}
	if err == nil {
		err = o.tmp.Sync()
	}
	if cerr := o.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(o.tmp.Name(), o.target)
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("--out %s: %w", o.path, unwrapPath(err))
	}
	o.done = true
	syncDir(filepath.Dir(o.target))
	return nil
}

// discard removes the temporary file unless it became the image.
func (o *output) discard() {
	if o.done {
		return
	}
	o.tmp.Close()
	os.Remove(o.tmp.Name())
	o.done = true
}

// syncDir makes a rename in a folder durable.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// ctxWriter fails every write once its context is done, which stops an
// encoder promptly.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
