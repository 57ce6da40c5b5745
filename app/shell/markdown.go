package shell

import (
	"regexp"
	"strings"

	"fyne.io/fyne/v2/widget"
)

// newMarkdown returns a RichText showing Markdown written for GitHub:
// [displayMarkdown] turns it into what RichText shows well, and
// [joinUnderscores] undoes a quirk of RichText's Markdown reader.
func newMarkdown(md string) *widget.RichText {
	rt := widget.NewRichTextFromMarkdown(displayMarkdown(md))
	joinUnderscores(rt.Segments)
	return rt
}

// joinUnderscores removes the space Fyne's Markdown reader puts after an
// underscore inside a word: the parser ends a text at each underscore and
// the reader separates texts with a space, so "lakes_historic" would read
// "lakes_ historic". Texts written for the app never have an underscore
// before a space.
func joinUnderscores(segs []widget.RichTextSegment) {
	for _, s := range segs {
		switch s := s.(type) {
		case *widget.TextSegment:
			s.Text = strings.ReplaceAll(s.Text, "_ ", "_")
		case *widget.ParagraphSegment:
			joinUnderscores(s.Texts)
		case *widget.ListSegment:
			joinUnderscores(s.Items)
		}
	}
}

// displayMarkdown rewrites Markdown into the subset Fyne's RichText shows
// well:
//
//   - a table becomes a list, one item per row: the first cell in bold,
//     then "header: cell" for the other non-empty cells (RichText has no
//     tables and would print the pipes);
//   - an inline code span becomes its plain text (RichText wraps a code
//     span that reaches the end of a line one letter per line).
//
// Fenced code blocks are left as they are.
func displayMarkdown(md string) string {
	lines := strings.Split(md, "\n")
	out := make([]string, 0, len(lines))
	fenced := false
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			out = append(out, line)
			continue
		}
		if fenced {
			out = append(out, line)
			continue
		}
		if isTableRow(line) && i+1 < len(lines) && isTableRule(lines[i+1]) {
			header := tableCells(line)
			for i += 2; i < len(lines) && isTableRow(lines[i]); i++ {
				out = append(out, tableItem(header, tableCells(lines[i])))
			}
			i--
			continue
		}
		out = append(out, codeSpan.ReplaceAllString(line, "$1"))
	}
	return strings.Join(out, "\n")
}

// codeSpan matches an inline code span of single backticks.
var codeSpan = regexp.MustCompile("`([^`]+)`")

// tableRule matches a table's header separator, such as "|---|:-:|".
var tableRule = regexp.MustCompile(`^\s*\|?(\s*:?-+:?\s*\|)+\s*(:?-+:?\s*)?$`)

func isTableRow(line string) bool { return strings.HasPrefix(strings.TrimSpace(line), "|") }

func isTableRule(line string) bool { return tableRule.MatchString(line) }

// tableCells splits a table row into its trimmed cells.
func tableCells(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimSuffix(strings.TrimPrefix(line, "|"), "|")
	cells := strings.Split(line, "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(codeSpan.ReplaceAllString(cells[i], "$1"))
	}
	return cells
}

// tableItem returns a table row as a list item.
func tableItem(header, cells []string) string {
	var b strings.Builder
	b.WriteString("- ")
	if len(cells) > 0 && cells[0] != "" {
		b.WriteString("**" + cells[0] + "**")
	}
	sep := " — "
	for j := 1; j < len(cells); j++ {
		if cells[j] == "" || cells[j] == "–" || cells[j] == "-" {
			continue
		}
		b.WriteString(sep)
		sep = "; "
		if j < len(header) && header[j] != "" {
			b.WriteString(header[j] + ": ")
		}
		b.WriteString(cells[j])
	}
	return b.String()
}
