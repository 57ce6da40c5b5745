// Command generate enriches the embedded base-map and world layers in
// place (see package enrich): stable IDs and the names of the names table.
// Run it from the assets folder, as `go generate` does.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/ecoatlas/ecoatlas/assets/internal/enrich"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "generate:", err)
		os.Exit(1)
	}
}

func run() error {
	table, err := os.Open("names/names.csv")
	if err != nil {
		return err
	}
	defer table.Close()
	names, err := enrich.ReadNames(table)
	if err != nil {
		return err
	}
	files, err := enrich.Files("data")
	if err != nil {
		return err
	}
	var used []string
	for _, file := range files {
		data, err := os.ReadFile(filepath.Join("data", file))
		if err != nil {
			return err
		}
		out, ids, err := enrich.File(file, data, names)
		if err != nil {
			return err
		}
		used = append(used, ids...)
		if err := os.WriteFile(filepath.Join("data", file), out, 0o644); err != nil {
			return err
		}
	}
	for id := range names {
		if !slices.Contains(used, id) {
			return fmt.Errorf("names/names.csv: no embedded feature has the ID %q", id)
		}
	}
	return nil
}
