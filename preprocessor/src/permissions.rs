//! A listing's permission table, rendered under it: the `.perms` snapshot beside the listing
//! (see [`book_harness::permissions`]), read, not recomputed: what the reader sees is what
//! `cargo test` checked.
//!
//! One table per function: a row per line, a column per path; each cell shows R, W and O, with
//! what changed since the row above marked in text as well as colour (▲ gained, ▼ lost, as the
//! paper's figures do). A row where rustc rejects the line is marked ✗ with the error code, its
//! cells are the permissions before that line, and `!W` in a cell is a permission the error
//! names that the path lacked there. A ✗ row can mark nothing (the conflict arises inside the
//! line, or the error is about a point no row shows or a flow no letter names); the legend and
//! the row's title then say so, so that a reader does not look for a mark that is not there. Under the tables, a one-line legend links
//! to the section that explains them. The CSS is in `theme/permissions.css`.

use crate::escape;
use book_harness::permissions::{EXPLAINED_AT, FunctionTable, Perms, Row, Table};
use std::fmt::Write as _;

/// The HTML (and the Markdown legend) to put after a listing's fence. `explained_at` is the link
/// to the explaining section, relative to the page (`ownership.md#...`, or `#...` on its page).
pub fn render(table: &Table, id: &str, explained_at: &str) -> String {
    let mut out = format!("<div class=\"permission-tables\" id=\"{id}\">\n");
    for function in &table.functions {
        out.push_str(&function_table(function));
    }
    if !table.elsewhere.is_empty() {
        let list: Vec<String> = table
            .elsewhere
            .iter()
            .map(|(code, line)| format!("{code} on line {line}"))
            .collect();
        let _ = writeln!(
            out,
            "<p class=\"permission-tables-elsewhere\">rustc's errors outside these rows: {}.</p>",
            list.join(", ")
        );
    }
    let rows = || table.functions.iter().flat_map(|f| &f.rows);
    let rejected = rows().any(|r| !r.errors.is_empty());
    let unmarked = rows().any(Row::rejected_without_mark);
    // A blank line ends the HTML block, so the legend is Markdown: mdBook resolves and the link
    // checker checks its link like any other.
    let _ = write!(
        out,
        "\n<span class=\"permission-tables-legend\">Permissions after each line, computed by \
         rustc:</span> **R** read, **W** write, **O** own; ▲ gained, ▼ lost; blank: not in \
         scope.{}{} [How these are computed]({explained_at})\n\n</div>\n",
        if rejected {
            " ✗ marks the line rustc rejects, with the permissions before it; `!R`, `!W` or `!O` \
             marks one its error names that the path lacked there."
        } else {
            ""
        },
        if unmarked {
            " A ✗ row with no mark: no cell shows what its error is about."
        } else {
            ""
        }
    );
    out
}

fn function_table(function: &FunctionTable) -> String {
    let rejected = function.rows.iter().any(|r| !r.errors.is_empty());
    let mut out = String::from("<div class=\"permission-tables-scroll\"><table>");
    let _ = write!(
        out,
        "<caption><code>fn {}</code></caption><thead><tr><th class=\"perm-line\" \
         title=\"after this line\">line</th><th class=\"perm-code\">code</th>",
        escape(&function.name)
    );
    for path in &function.paths {
        let _ = write!(out, "<th><code>{}</code></th>", escape(path));
    }
    if rejected {
        out.push_str("<th class=\"perm-rustc\">rustc</th>");
    }
    out.push_str("</tr></thead><tbody>");
    let mut previous: Vec<Option<Perms>> = vec![None; function.paths.len()];
    for row in &function.rows {
        out.push_str(&row_html(function, row, &previous, rejected));
        for (before, now) in previous.iter_mut().zip(&row.cells) {
            *before = *now;
        }
    }
    out.push_str("</tbody></table></div>\n");
    out
}

fn row_html(
    function: &FunctionTable,
    row: &Row,
    previous: &[Option<Perms>],
    rejected: bool,
) -> String {
    let error = !row.errors.is_empty();
    let mut out = String::new();
    if error {
        let _ = write!(
            out,
            "<tr class=\"perm-error\"><td class=\"perm-line\" title=\"rustc rejects line {line}; \
             the cells are the permissions before it{}\">✗ {line}</td>",
            if row.rejected_without_mark() {
                ", and none shows what the error is about"
            } else {
                ""
            },
            line = row.line
        );
    } else {
        let _ = write!(out, "<tr><td class=\"perm-line\">{}</td>", row.line);
    }
    let _ = write!(
        out,
        "<td class=\"perm-code\" title=\"{code}\"><code>{code}</code></td>",
        code = escape(&row.code)
    );
    for ((path, cell), before) in function.paths.iter().zip(&row.cells).zip(previous) {
        let Some(now) = cell else {
            out.push_str("<td class=\"perm-out\"></td>");
            continue;
        };
        let before = before.unwrap_or_default();
        let missing = row.missing_of(path);
        out.push_str("<td class=\"perm-cell\">");
        for (((letter, has), (_, had)), name) in now
            .letters()
            .into_iter()
            .zip(before.letters())
            .zip(["read", "write", "own"])
        {
            let _ = match (has, had, missing.contains(&letter)) {
                (true, true, _) => write!(out, "<span class=\"perm\">{letter}</span>"),
                (true, false, _) => write!(
                    out,
                    "<span class=\"perm gained\" title=\"{name}: gained\">{letter}<b>▲</b></span>"
                ),
                (false, _, true) => write!(
                    out,
                    "<span class=\"perm missing\" title=\"{name}: needed here, and missing\">!\
                     {letter}</span>"
                ),
                (false, true, false) => write!(
                    out,
                    "<span class=\"perm lost\" title=\"{name}: lost\"><s>{letter}</s><b>▼</b></span>"
                ),
                (false, false, false) => {
                    write!(
                        out,
                        "<span class=\"perm none\" title=\"no {name}\">-</span>"
                    )
                }
            };
        }
        out.push_str("</td>");
    }
    if rejected {
        let codes = row.errors.join(" ");
        let _ = write!(out, "<td class=\"perm-rustc\">{codes}</td>");
    }
    out.push_str("</tr>");
    out
}

/// The link from a page to the explaining section: `#id` on its own page.
pub fn explained_link(page: &str, explaining_page: Option<&str>) -> String {
    match explaining_page {
        Some(p) if p == page => format!("#{EXPLAINED_AT}"),
        Some(p) => {
            let depth = page.matches('/').count();
            format!("{}{p}#{EXPLAINED_AT}", "../".repeat(depth))
        }
        None => format!("#{EXPLAINED_AT}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use book_harness::permissions::parse;

    /// The tables of a listing with one function, from `.perms` rows.
    fn rendered(rows: &str) -> String {
        let text = format!("fn main\nline | s      | rustc | code\n{rows}");
        render(&parse(&text).unwrap(), "t", "#explained")
    }

    const ACCEPTED: &str = "   2 | R - O  |       | let s = String::new();\n";
    const UNMARKED: &str = "   3 | R - O  | E0515 | &s\n";
    const MARKED: &str = "   3 | !R - - | E0382 | println!(\"{s}\");\n";
    const NO_MARK: &str = "A ✗ row with no mark";
    const NONE_SHOWS: &str = "none shows what the error is about";

    #[test]
    fn a_rejected_row_that_marks_nothing_says_so_in_its_title_and_the_legend() {
        let html = rendered(&format!("{ACCEPTED}{UNMARKED}"));
        assert!(html.contains(&format!(
            "title=\"rustc rejects line 3; the cells are the permissions before it, and \
             {NONE_SHOWS}\">✗ 3</td>"
        )));
        assert!(html.contains("✗ marks the line rustc rejects, with the permissions before it"));
        assert!(html.contains(&format!(
            "{NO_MARK}: no cell shows what its error is about."
        )));
    }

    #[test]
    fn a_rejected_row_with_its_mark_needs_no_such_note() {
        let html = rendered(&format!("{ACCEPTED}{MARKED}"));
        assert!(html.contains(
            "<span class=\"perm missing\" title=\"read: needed here, and missing\">!R</span>"
        ));
        assert!(html.contains("that the path lacked there."));
        assert!(!html.contains(NO_MARK) && !html.contains(NONE_SHOWS));
        let accepted = rendered(ACCEPTED);
        assert!(!accepted.contains("✗") && !accepted.contains(NO_MARK));
    }
}
