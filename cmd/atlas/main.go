// Command atlas renders Ecoatlas maps without a window, with exactly the
// engine and style of the desktop app, edits inspectors' stores of
// tailings sites,
//
//	atlas render --out map.png|map.jpg [--size 1600x1000] [--scale 1|2]
//	             [--bbox minlon,minlat,maxlon,maxlat | --center lon,lat --zoom z]
//	             [--layers name,...|none] [--style file.json] [--add FILE ...]
//	             [--tiles file.mbtiles|file.pmtiles ... [--tiles-below id] [--tiles-opacity 0..1]]
//	             [--lang en|ru|kk|ky|tg|tk|uz] [--clause N] [--limit name=value ...] [--timings]
//	atlas tiles info FILE
//	atlas tiles fetch --bbox minlon,minlat,maxlon,maxlat --zoom MIN-MAX --url TEMPLATE --out FILE.mbtiles
//	             [--subdomains a,b,c] [--name TEXT] [--attribution TEXT] [--max-tiles N]
//	             [--rate REQUESTS_PER_SECOND] [--concurrency N] [--dry-run]
//	atlas sites add|list|show|move|delete|import|export|merge|… --db FILE …
//	atlas clauses [--json]
//	atlas belts --out belts.geojson [--min-pop N] [--km K] [--density D]
//	            [--countries KAZ,KGZ,TJK,TKM,UZB|all]
//	atlas help [render]
//
// "render --clause N" highlights what clause N of the declaration speaks
// of, veils the rest and sets its badges, fitted to its places unless a
// view is given; "clauses" lists the clauses with their links to the map;
// "belts" plans the green belts of clause 17.
//
// and asks the map questions with the query engine of the app:
//
//	atlas find TEXT [--lang L] [--limit N] [--layer id] [--json]
//	atlas identify --at lon,lat [--zoom z] [--tolerance px] [--lang L] [--json]
//	atlas within --layer id (--basin NAME | --near id --km K) [--lang L] [--json]
//	atlas compare [NAME] [--lang L] [--json]
//
// It exits with 0 on success, 1 when reading data or writing the output
// fails, 2 on bad arguments, 3 when it crashes (a bug) and 128+N when
// signal N stops it, printing one line that says why. "tiles fetch" is
// the only command that uses the network; it exits with 1 when a tile
// could not be had (the others are kept, and running it again fetches only
// what is missing).
package main

import "os"

func main() {
	if os.Getenv(workerEnv) == "" {
		os.Exit(supervise(os.Args[1:], os.Stderr))
	}
	code := work(os.Args[1:])
	if code == exitUsage {
		code = workerUsage
	}
	os.Exit(code)
}
