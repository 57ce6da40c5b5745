package gpkg

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"
)

// An R*Tree virtual table keeps its nodes in three shadow tables, which
// this file writes directly to build a whole index at once, as GDAL does
// for GeoPackages since 3.6: inserting entries one by one through the
// virtual table costs a node write per entry and, in this pure-Go SQLite,
// more than inserting the rows themselves.
//
//	NAME_node(nodeno INTEGER PRIMARY KEY, data)       node 1 is the root
//	NAME_rowid(rowid INTEGER PRIMARY KEY, nodeno)     the leaf of each entry
//	NAME_parent(nodeno INTEGER PRIMARY KEY, parentnode)
//
// A node's data is a blob of the index's node size (the root's length):
//
//	+-------+-------+------------------+------------------+-----
//	| depth | count | cell 1           | cell 2           | …
//	| u16   | u16   | 24 bytes         |                  |
//	+-------+-------+------------------+------------------+-----
//	cell: id int64, minx maxx miny maxy float32, all big-endian
//
// Depth (the tree's height above the leaves) is read from the root only.
// A leaf cell's id is the row's key; an inner cell's is its child's node
// number. Bounds are float32 rounded outwards, as SQLite rounds them.
// Nodes are filled in Hilbert order (Kamel and Faloutsos' packed
// R-tree), which gives well-shaped nodes for searches; SQLite's
// rtreecheck() accepts the result.

// cellSize is the size of a cell of a two-dimensional R*Tree.
const cellSize = 24

// cell is an R*Tree cell: an id and a float32 bound.
type cell struct {
	id                     int64
	minX, maxX, minY, maxY float32
}

// cellOf rounds a bound outwards to float32, as SQLite's R*Tree does.
func cellOf(id int64, b orb.Bound) cell {
	down := func(v float64) float32 {
		f := float32(v)
		if float64(f) > v {
			f = math.Nextafter32(f, float32(math.Inf(-1)))
		}
		return f
	}
	up := func(v float64) float32 {
		f := float32(v)
		if float64(f) < v {
			f = math.Nextafter32(f, float32(math.Inf(1)))
		}
		return f
	}
	return cell{id, down(b.Min[0]), up(b.Max[0]), down(b.Min[1]), up(b.Max[1])}
}

func (c cell) union(o cell) cell {
	return cell{c.id, min(c.minX, o.minX), max(c.maxX, o.maxX), min(c.minY, o.minY), max(c.maxY, o.maxY)}
}

// rebuildRTree replaces the content of an R*Tree with a packed tree of
// entries. The R*Tree must exist (it has a root node).
func (tx *Tx) rebuildRTree(ctx context.Context, rtree string, entries []indexEntry) error {
	var nodeSize int
	if err := tx.QueryRow(ctx, `SELECT length(data) FROM `+quote(rtree+"_node")+` WHERE nodeno = 1`).Scan(&nodeSize); err != nil {
		return fmt.Errorf("R*Tree %s: %w", rtree, err)
	}
	fanout := (nodeSize - 4) / cellSize
	if fanout < 2 {
		return fmt.Errorf("R*Tree %s: node size %d", rtree, nodeSize)
	}
	for _, t := range []string{"_node", "_rowid", "_parent"} {
		if _, err := tx.Exec(ctx, `DELETE FROM `+quote(rtree+t)); err != nil {
			return fmt.Errorf("R*Tree %s: %w", rtree, err)
		}
	}
	sortSpatially(entries)
	level := make([]cell, len(entries))
	for i, e := range entries {
		level[i] = cellOf(e.fid, e.b)
	}
	// Build the levels bottom up, each node taking up to fanout cells of
	// the level below; an inner cell's id is, for now, the index of its
	// node in the level below. Node numbers are given top down at the
	// end, so that the root is 1.
	var levels [][][]cell
	for {
		var nodes [][]cell
		for i := 0; i < len(level) || i == 0; i += fanout {
			nodes = append(nodes, level[i:min(i+fanout, len(level))])
		}
		levels = append(levels, nodes)
		if len(nodes) == 1 {
			break
		}
		level = make([]cell, len(nodes))
		for i, n := range nodes {
			c := n[0]
			for _, o := range n[1:] {
				c = c.union(o)
			}
			c.id = int64(i)
			level[i] = c
		}
	}
	depth := len(levels) - 1
	numbers := make([][]int64, len(levels))
	next := int64(1)
	for l := depth; l >= 0; l-- {
		numbers[l] = make([]int64, len(levels[l]))
		for i := range levels[l] {
			numbers[l][i] = next
			next++
		}
	}
	insNode, err := tx.Stmt(ctx, `INSERT INTO `+quote(rtree+"_node")+` (nodeno, data) VALUES (?, ?)`)
	if err != nil {
		return err
	}
	insParent, err := tx.Stmt(ctx, `INSERT INTO `+quote(rtree+"_parent")+` (nodeno, parentnode) VALUES (?, ?)`)
	if err != nil {
		return err
	}
	blob := make([]byte, nodeSize)
	for l := depth; l >= 0; l-- {
		for i, n := range levels[l] {
			clear(blob)
			if l == depth {
				binary.BigEndian.PutUint16(blob, uint16(depth))
			}
			binary.BigEndian.PutUint16(blob[2:], uint16(len(n)))
			for j, c := range n {
				if l > 0 {
					c.id = numbers[l-1][c.id]
				}
				putCell(blob[4+j*cellSize:], c)
			}
			if _, err := insNode.ExecContext(ctx, numbers[l][i], blob); err != nil {
				return fmt.Errorf("R*Tree %s: %w", rtree, err)
			}
			if l < depth {
				if _, err := insParent.ExecContext(ctx, numbers[l][i], numbers[l+1][i/fanout]); err != nil {
					return fmt.Errorf("R*Tree %s: %w", rtree, err)
				}
			}
		}
	}
	// The row-to-leaf map, in key order so that its B-tree is appended to.
	type leafOf struct{ fid, node int64 }
	rows := make([]leafOf, 0, len(entries))
	for i, n := range levels[0] {
		for _, c := range n {
			rows = append(rows, leafOf{c.id, numbers[0][i]})
		}
	}
	slices.SortFunc(rows, func(a, b leafOf) int { return cmp.Compare(a.fid, b.fid) })
	const group = 200
	insert := func(n int) (*sql.Stmt, error) {
		return tx.Stmt(ctx, `INSERT INTO `+quote(rtree+"_rowid")+` (rowid, nodeno) VALUES `+strings.TrimSuffix(strings.Repeat("(?, ?), ", n), ", "))
	}
	many, err := insert(group)
	if err != nil {
		return err
	}
	args := make([]any, 0, 2*group)
	for len(rows) > 0 {
		n := min(group, len(rows))
		stmt := many
		if n < group {
			if stmt, err = insert(n); err != nil {
				return err
			}
		}
		args = args[:0]
		for _, r := range rows[:n] {
			args = append(args, r.fid, r.node)
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("R*Tree %s: %w", rtree, err)
		}
		rows = rows[n:]
	}
	return nil
}

// putCell writes a cell.
func putCell(b []byte, c cell) {
	binary.BigEndian.PutUint64(b, uint64(c.id))
	binary.BigEndian.PutUint32(b[8:], math.Float32bits(c.minX))
	binary.BigEndian.PutUint32(b[12:], math.Float32bits(c.maxX))
	binary.BigEndian.PutUint32(b[16:], math.Float32bits(c.minY))
	binary.BigEndian.PutUint32(b[20:], math.Float32bits(c.maxY))
}
