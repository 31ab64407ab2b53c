//! Diagrams that cannot disagree with the programs: every number a memory diagram states is one
//! a listing prints.
//!
//! A diagram (`src/img/**/*.svg`) names the listings it depicts on its root element, and every
//! element whose text states numbers names the lines of their `.stdout` that print them:
//!
//! ```xml
//! <svg ... data-listings="listings/stack-and-heap/string_and_vec_layout.rs">
//!   <g data-stdout="s">                      <!-- .stdout: "s: len 5, capacity 8" -->
//!     <text>len = 5</text>
//!     <text>capacity = 8</text>
//!   </g>
//!   <text data-stdout="String">24 bytes (3 × 8)</text>   <!-- "String: 24 bytes (3 × 8)" -->
//! ```
//!
//! * A `.stdout` line `key: value` (split at the first `": "`) defines `key`; the numbers of
//!   `value` are what the key shows. A key must name exactly one line among the diagram's
//!   listings.
//! * `data-stdout="k1; k2"` on any element: the numbers in the text inside it (document order,
//!   except text inside a nested `data-stdout`) must be exactly the numbers of `k1`, then `k2`.
//! * Every number in the diagram's text (`<text>`, `<tspan>`, `<title>`, `<desc>`) must be
//!   inside such an element: a number typed by hand, with no program behind it, is refused.
//! * A number is a run of digits not glued to a name: the digits of `u32`, `E0382` or `watch.0`
//!   (right after a letter, `_` or `.`) are part of a name.
//!
//! The `.stdout` files are checked against the programs by `tests/listings.rs`, so a diagram
//! that passes here shows what the programs print. Editing a number in a diagram, or a program
//! that starts printing another one, fails `cargo test` with the SVG, the line, the key and the
//! listing named. Diagrams a program writes (the case study's charts) are exempt here, see
//! [`GENERATED`]: `compare` draws them from the `results.txt` it writes, and the case study's
//! `tests/charts.rs` redraws them from the committed file and compares them byte for byte.

use crate::book::{files_under, slash};
use crate::{Problem, Rule};
use std::fs;
use std::path::{Path, PathBuf};

/// Where the diagrams are.
pub const DIAGRAMS: &str = "src/img";

/// SVGs that a program generates from its own measured output (not checked here): the case
/// study's charts, written by `bash listings/case-study/regenerate` and compared with what
/// `results.txt` draws by `listings/case-study/tests/charts.rs`. Its hand-drawn arena
/// (`src/img/case-study/arena.svg`) is checked like every other diagram.
pub const GENERATED: [&str; 3] = [
    "src/img/case-study/throughput.svg",
    "src/img/case-study/memory.svg",
    "src/img/case-study/amdahl.svg",
];

/// The root element's attribute naming the listings a diagram depicts (root-relative paths,
/// separated by spaces).
pub const LISTINGS_ATTRIBUTE: &str = "data-listings";
/// The attribute naming the `.stdout` keys an element's numbers come from (separated by `;`).
pub const STDOUT_ATTRIBUTE: &str = "data-stdout";

/// Checks every hand-made diagram of the book at `root`.
pub fn check(root: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    for file in files_under(root, Path::new(DIAGRAMS)) {
        let is_svg = file.extension().is_some_and(|e| e == "svg");
        if is_svg && !GENERATED.iter().any(|g| file.starts_with(g)) {
            problems.extend(check_one(root, &file));
        }
    }
    problems
}

/// Checks one diagram (`svg`, relative to `root`).
pub fn check_one(root: &Path, svg: &Path) -> Vec<Problem> {
    let problem = |line: usize, message: String| {
        Problem::new(Rule::DiagramNumbersFromPrograms, svg, message).at_line(line)
    };
    let text = match fs::read_to_string(root.join(svg)) {
        Ok(text) => text,
        Err(e) => {
            return vec![Problem::new(
                Rule::DiagramNumbersFromPrograms,
                svg,
                format!("cannot be read: {e}"),
            )];
        }
    };
    let document = match xml::parse(&text) {
        Ok(document) => document,
        Err((line, why)) => return vec![problem(line, format!("is not well-formed XML: {why}"))],
    };

    // The listings it depicts, and their keys.
    let mut problems = Vec::new();
    let listings: Vec<PathBuf> = document
        .attribute(LISTINGS_ATTRIBUTE)
        .unwrap_or_default()
        .split_whitespace()
        .map(PathBuf::from)
        .collect();
    let mut keys: Vec<Key> = Vec::new();
    for listing in &listings {
        let stdout = listing.with_extension("stdout");
        let is_listing =
            listing.extension().is_some_and(|e| e == "rs") && root.join(listing).is_file();
        match fs::read_to_string(root.join(&stdout)) {
            Ok(text) if is_listing => keys.extend(keys_of(listing, &text)),
            _ => problems.push(problem(
                document.line,
                format!(
                    "names {} in `{LISTINGS_ATTRIBUTE}`, which is not a listing with a .stdout ({} \
                     must exist); name the listing whose output the diagram shows",
                    slash(listing),
                    slash(&stdout)
                ),
            )),
        }
    }
    let depicted = if listings.is_empty() {
        "(none named)".to_owned()
    } else {
        listings
            .iter()
            .map(|l| slash(l))
            .collect::<Vec<_>>()
            .join(", ")
    };

    // Every number belongs to the nearest element that says where it comes from.
    let mut carriers: Vec<Carrier> = Vec::new();
    collect(
        &document,
        None,
        &mut carriers,
        &mut |line, numbers, text| {
            problems.push(problem(
                line,
                format!(
                    "states {} in \"{}\", which no program is said to print; print the number in a \
                 listing's .stdout as a `key: value` line and name the key in a \
                 `{STDOUT_ATTRIBUTE}` attribute on the text or a group around it (listings of this \
                 diagram: {depicted})",
                    numbers.join(", "),
                    short(text)
                ),
            ));
        },
    );

    for carrier in &carriers {
        let mut expected = Vec::new();
        let mut sources = Vec::new();
        let mut unresolved = false;
        for name in carrier
            .keys
            .split(';')
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            let found: Vec<&Key> = keys.iter().filter(|k| k.key == name).collect();
            match found.as_slice() {
                [key] => {
                    expected.extend(key.numbers.iter().cloned());
                    sources.push(format!(
                        "\"{}\" ({}:{})",
                        key.line_text,
                        slash(&key.stdout),
                        key.line
                    ));
                }
                [] => {
                    unresolved = true;
                    problems.push(problem(
                        carrier.line,
                        format!(
                            "takes its numbers from `{name}`, but no `{name}: ...` line is printed \
                             by {depicted}; print it (a `key: value` line), or fix the key"
                        ),
                    ));
                }
                several => {
                    unresolved = true;
                    let places: Vec<String> = several
                        .iter()
                        .map(|k| format!("{}:{}", slash(&k.stdout), k.line))
                        .collect();
                    problems.push(problem(
                        carrier.line,
                        format!(
                            "takes its numbers from `{name}`, which names several lines ({}); give \
                             each line a key of its own",
                            places.join(", ")
                        ),
                    ));
                }
            }
        }
        if !unresolved && expected != carrier.numbers {
            problems.push(problem(
                carrier.line,
                format!(
                    "states [{}] in \"{}\", but the program prints [{}] for `{}`: {}. The diagram \
                     must show what {} prints: fix the diagram (or the program, then run `{}`)",
                    carrier.numbers.join(", "),
                    short(&carrier.text),
                    expected.join(", "),
                    carrier.keys,
                    sources.join(", "),
                    depicted,
                    crate::bless::BLESS_COMMAND
                ),
            ));
        }
    }
    if carriers.is_empty() && !listings.is_empty() && problems.is_empty() {
        problems.push(problem(
            document.line,
            format!(
                "names {depicted} but takes no number from it; drop `{LISTINGS_ATTRIBUTE}`, or \
                 name the keys its numbers come from"
            ),
        ));
    }
    problems
}

/// A `key: value` line of a listing's `.stdout`.
#[derive(Debug)]
struct Key {
    key: String,
    numbers: Vec<String>,
    stdout: PathBuf,
    line: usize,
    line_text: String,
}

fn keys_of(listing: &Path, stdout: &str) -> Vec<Key> {
    stdout
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let (key, value) = line.split_once(": ")?;
            Some(Key {
                key: key.trim().to_owned(),
                numbers: numbers_in(value),
                stdout: listing.with_extension("stdout"),
                line: i + 1,
                line_text: line.trim().to_owned(),
            })
        })
        .collect()
}

/// An element with `data-stdout`, and the numbers of the text that belongs to it.
#[derive(Debug)]
struct Carrier {
    line: usize,
    keys: String,
    numbers: Vec<String>,
    text: String,
}

/// Walks the document: text belongs to the nearest enclosing carrier; a number outside any
/// carrier is reported through `orphan(line, number, text)`.
fn collect(
    element: &xml::Element,
    carrier: Option<usize>,
    carriers: &mut Vec<Carrier>,
    orphan: &mut dyn FnMut(usize, &[String], &str),
) {
    if matches!(element.name.as_str(), "style" | "script") {
        return;
    }
    let carrier = match element.attribute(STDOUT_ATTRIBUTE) {
        Some(keys) => {
            carriers.push(Carrier {
                line: element.line,
                keys: keys.to_owned(),
                numbers: Vec::new(),
                text: String::new(),
            });
            Some(carriers.len() - 1)
        }
        None => carrier,
    };
    for child in &element.children {
        match child {
            xml::Node::Element(child) => collect(child, carrier, carriers, orphan),
            xml::Node::Text(text, line) => {
                let numbers = numbers_in(text);
                match carrier {
                    Some(i) => {
                        let c = &mut carriers[i];
                        c.numbers.extend(numbers);
                        if !c.text.is_empty() && !text.trim().is_empty() {
                            c.text.push_str(" | ");
                        }
                        c.text.push_str(text.trim());
                    }
                    None if !numbers.is_empty() => orphan(*line, &numbers, text),
                    None => {}
                }
            }
        }
    }
}

/// A text for a message: trimmed, at most 80 characters.
fn short(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(80) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text.to_owned(),
    }
}

/// The numbers in a text: runs of ASCII digits not glued to a name (not right after a letter,
/// `_` or `.`), in order.
pub fn numbers_in(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut numbers = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let glued = start > 0 && {
            let before = chars[start - 1];
            before.is_alphabetic() || before == '_' || before == '.'
        };
        if !glued {
            numbers.push(chars[start..i].iter().collect());
        }
    }
    numbers
}

/// Just enough XML for hand-written SVG: elements, attributes, text, comments, the XML
/// declaration, CDATA and the predefined and numeric entities.
mod xml {
    #[derive(Debug)]
    pub struct Element {
        pub name: String,
        pub attributes: Vec<(String, String)>,
        pub children: Vec<Node>,
        /// 1-based line of the start tag.
        pub line: usize,
    }

    #[derive(Debug)]
    pub enum Node {
        Element(Element),
        /// Text (entities decoded) and the line it starts on.
        Text(String, usize),
    }

    impl Element {
        pub fn attribute(&self, name: &str) -> Option<&str> {
            self.attributes
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        }
    }

    type Error = (usize, String);

    struct Reader<'a> {
        text: &'a str,
        at: usize,
    }

    impl Reader<'_> {
        fn line(&self) -> usize {
            self.text[..self.at].matches('\n').count() + 1
        }
        fn rest(&self) -> &str {
            &self.text[self.at..]
        }
        fn error<T>(&self, why: impl Into<String>) -> Result<T, Error> {
            Err((self.line(), why.into()))
        }
        /// Skips past `end`.
        fn skip_past(&mut self, end: &str) -> Result<(), Error> {
            match self.rest().find(end) {
                Some(i) => {
                    self.at += i + end.len();
                    Ok(())
                }
                None => self.error(format!("`{end}` expected")),
            }
        }
        fn skip_space(&mut self) {
            let trimmed = self.rest().trim_start();
            self.at = self.text.len() - trimmed.len();
        }
        fn name(&mut self) -> Result<String, Error> {
            let len = self
                .rest()
                .find(|c: char| c.is_whitespace() || "=/>".contains(c))
                .unwrap_or(self.rest().len());
            if len == 0 {
                return self.error("a name expected");
            }
            let name = self.rest()[..len].to_owned();
            self.at += len;
            Ok(name)
        }
    }

    /// Parses a document and returns its root element.
    pub fn parse(text: &str) -> Result<Element, Error> {
        let mut reader = Reader { text, at: 0 };
        // Prolog: declaration, comments, doctype.
        loop {
            reader.skip_space();
            if reader.rest().starts_with("<?") {
                reader.skip_past("?>")?;
            } else if reader.rest().starts_with("<!--") {
                reader.skip_past("-->")?;
            } else if reader.rest().starts_with("<!DOCTYPE") {
                reader.skip_past(">")?;
            } else {
                break;
            }
        }
        if !reader.rest().starts_with('<') {
            return reader.error("the root element expected");
        }
        let root = element(&mut reader)?;
        loop {
            reader.skip_space();
            if reader.rest().starts_with("<!--") {
                reader.skip_past("-->")?;
            } else if reader.rest().is_empty() {
                return Ok(root);
            } else {
                return reader.error("nothing may follow the root element");
            }
        }
    }

    /// Parses an element, the reader at its `<`.
    fn element(reader: &mut Reader) -> Result<Element, Error> {
        let line = reader.line();
        reader.at += 1;
        let name = reader.name()?;
        let mut attributes = Vec::new();
        loop {
            reader.skip_space();
            if reader.rest().starts_with("/>") {
                reader.at += 2;
                return Ok(Element {
                    name,
                    attributes,
                    children: Vec::new(),
                    line,
                });
            }
            if reader.rest().starts_with('>') {
                reader.at += 1;
                break;
            }
            let attribute = reader.name()?;
            reader.skip_space();
            if !reader.rest().starts_with('=') {
                return reader.error(format!("`=` expected after attribute `{attribute}`"));
            }
            reader.at += 1;
            reader.skip_space();
            let quote = match reader.rest().chars().next() {
                Some(q @ ('"' | '\'')) => q,
                _ => return reader.error(format!("a quoted value expected for `{attribute}`")),
            };
            reader.at += 1;
            let Some(len) = reader.rest().find(quote) else {
                return reader.error(format!("the value of `{attribute}` is not closed"));
            };
            let raw = &reader.rest()[..len];
            if raw.contains('<') {
                return reader.error(format!("`<` in the value of `{attribute}`"));
            }
            let value = decode(raw).map_err(|why| (reader.line(), why))?;
            reader.at += len + 1;
            if attributes.iter().any(|(n, _)| *n == attribute) {
                return reader.error(format!("attribute `{attribute}` repeated"));
            }
            attributes.push((attribute, value));
        }
        let mut children = Vec::new();
        loop {
            let rest = reader.rest();
            if rest.is_empty() {
                return reader.error(format!("`</{name}>` expected"));
            }
            if rest.starts_with("</") {
                reader.at += 2;
                let closing = reader.name()?;
                if closing != name {
                    return reader.error(format!("`</{name}>` expected, found `</{closing}>`"));
                }
                reader.skip_space();
                if !reader.rest().starts_with('>') {
                    return reader.error("`>` expected");
                }
                reader.at += 1;
                return Ok(Element {
                    name,
                    attributes,
                    children,
                    line,
                });
            }
            if rest.starts_with("<!--") {
                reader.skip_past("-->")?;
            } else if rest.starts_with("<![CDATA[") {
                let line = reader.line();
                reader.at += "<![CDATA[".len();
                let start = reader.at;
                reader.skip_past("]]>")?;
                let text = reader.text[start..reader.at - 3].to_owned();
                children.push(Node::Text(text, line));
            } else if rest.starts_with("<?") {
                reader.skip_past("?>")?;
            } else if rest.starts_with('<') {
                children.push(Node::Element(element(reader)?));
            } else {
                let line = reader.line();
                let len = rest.find('<').unwrap_or(rest.len());
                let text = decode(&rest[..len]).map_err(|why| (line, why))?;
                reader.at += len;
                children.push(Node::Text(text, line));
            }
        }
    }

    /// Decodes `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` and `&#...;`.
    fn decode(raw: &str) -> Result<String, String> {
        let mut out = String::with_capacity(raw.len());
        let mut rest = raw;
        while let Some(i) = rest.find('&') {
            out.push_str(&rest[..i]);
            let Some(end) = rest[i..].find(';') else {
                return Err("an `&` that starts no entity (write `&amp;`)".into());
            };
            let entity = &rest[i + 1..i + end];
            let decoded = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => entity
                    .strip_prefix("#x")
                    .map(|hex| u32::from_str_radix(hex, 16))
                    .or_else(|| entity.strip_prefix('#').map(str::parse))
                    .and_then(Result::ok)
                    .and_then(char::from_u32),
            };
            match decoded {
                Some(c) => out.push(c),
                None => return Err(format!("unknown entity `&{entity};`")),
            }
            rest = &rest[i + end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_glued_to_names_are_not_numbers() {
        assert_eq!(numbers_in("len = 5, capacity 8"), ["5", "8"]);
        assert_eq!(
            numbers_in("b: u32 at E0382 in watch.0 of Vec<i32>"),
            Vec::<String>::new()
        );
        assert_eq!(
            numbers_in("(3 × 8) 64-bit, [10, 20]"),
            ["3", "8", "64", "10", "20"]
        );
        assert_eq!(numbers_in("x_1 and 12"), ["12"]);
    }

    #[test]
    fn the_xml_reader_keeps_text_lines_and_entities() {
        let svg = "<?xml version=\"1.0\"?>\n<svg a=\"1\">\n  <!-- note 7 -->\n  <text x='2'>&amp;i32: 8&#32;bytes</text>\n</svg>\n";
        let root = xml::parse(svg).unwrap();
        assert_eq!(root.name, "svg");
        assert_eq!(root.attribute("a"), Some("1"));
        let texts: Vec<(String, usize)> = root
            .children
            .iter()
            .filter_map(|n| match n {
                xml::Node::Element(e) => match &e.children[0] {
                    xml::Node::Text(t, line) => Some((t.clone(), *line)),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        assert_eq!(texts, [("&i32: 8 bytes".to_owned(), 4)]);
        for broken in [
            "<svg><g></svg>",
            "<svg><text>a & b</text></svg>",
            "<svg a=\"1/></svg>",
            "<svg></svg><svg/>",
        ] {
            assert!(xml::parse(broken).is_err(), "{broken}");
        }
    }
}
