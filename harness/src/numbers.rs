//! Numbers quoted in prose agree with the generated file they come from.
//!
//! A chapter that quotes measurements names the file that holds them, once, in an HTML comment
//! (invisible to the reader), relative to the chapter like an include:
//!
//! ```markdown
//! <!-- results: img/case-study/results.txt -->
//! ```
//!
//! The file has one `key = value` line per number (`#` starts a comment). Then:
//!
//! * `2.68<!-- ratio.arena_over_best_arc -->`: the number just before the marker, written with
//!   as many decimals as the prose wants, must be the file's value rounded to that many
//!   (thousands separators allowed; a `%`, `×` or `x` may sit between number and marker). A
//!   `` `code` `` span before the marker is compared with a text value.
//! * `<!-- check: arc-mutex.w0.meps > arc-mutex.w2.meps -->`: a claim the sentence before it
//!   makes, as comparisons (`<`, `>`, `<=`, `>=`, `==`) of keys, numbers and `"text"`, joined
//!   by `and`; it must hold for the file's values. A key that the file gives with an interval
//!   (`ratio` with `ratio_low` and `ratio_high`: a median and its confidence interval) cannot be
//!   compared by its median, which a re-run can move across the line: the claim must hold for
//!   the whole interval, so it compares `ratio_low` or `ratio_high`.
//! * `checks.interval_ends` is a key that no file holds: how many distinct ends of intervals the
//!   chapter's checks compare. A chapter that says how likely its claims are to be wrong all
//!   together (each end can be wrong with a known probability; the union bound adds them up)
//!   quotes and checks it like any other number, so the count follows the checks.
//! * In such a chapter, every number with a decimal point in the prose must carry a marker, and
//!   so must every whole number written with a thousands separator (`11,163`) or of five digits
//!   or more: such numbers are measurements until proven otherwise. (Small whole numbers and
//!   percentages are not flagged: "80% of events" or "two workers" are settings, not results;
//!   mark the measured ones.)
//!
//! A problem names the chapter's line, the key, both values and what to do, under
//! [`Rule::NumbersMatchResults`]. Under `TRYBUILD=overwrite`, [`bless`] first rewrites every
//! marked number from the file (claims are left to a person). The self-tests are in
//! `tests/harness_rejects_broken_books.rs`.

use crate::book::{Chapter, resolve, slash};
use crate::{Problem, Rule};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The results a chapter declared: where, and what they say.
struct Results {
    path: PathBuf,
    values: BTreeMap<String, String>,
}

/// The key that holds how many distinct interval ends the chapter's checks compare.
pub const INTERVAL_ENDS: &str = "checks.interval_ends";

/// Adds [`INTERVAL_ENDS`] to `results`, counted from the chapter's checks.
fn add_interval_ends(results: &mut Results, comments: &[Comment]) {
    let has = |key: String| results.values.contains_key(&key);
    let ends: BTreeSet<&str> = comments
        .iter()
        .filter_map(|c| c.body.strip_prefix("check:"))
        .flat_map(str::split_whitespace)
        .filter(|token| {
            let base = token
                .strip_suffix("_low")
                .or_else(|| token.strip_suffix("_high"));
            base.is_some_and(|b| has(format!("{b}_low")) && has(format!("{b}_high")))
        })
        .collect();
    let count = ends.len().to_string();
    results.values.insert(INTERVAL_ENDS.to_string(), count);
}

/// Checks every chapter that declares a results file.
pub fn check(root: &Path, chapters: &[Chapter]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for chapter in chapters {
        let Ok(source) = fs::read_to_string(root.join(&chapter.path)) else {
            continue; // reported by the summary check
        };
        problems.extend(check_chapter(root, &chapter.path, &source));
    }
    problems
}

/// One HTML comment outside code, with the text just before it on its line.
struct Comment {
    /// Byte offset of `<!--` in the chapter.
    at: usize,
    line: usize,
    body: String,
    before: String,
}

/// The HTML comments and the prose text of a chapter, outside code: (comments, texts), a text
/// as (start, end, text).
type Scanned = (Vec<Comment>, Vec<(usize, usize, String)>);

fn scan(source: &str) -> Scanned {
    let line_of = |offset: usize| source[..offset].matches('\n').count() + 1;
    let mut comments = Vec::new();
    let mut texts: Vec<(usize, usize, String)> = Vec::new(); // (start, end, text)
    let mut in_code = false;
    for (event, range) in Parser::new_ext(source, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Html(html) | Event::InlineHtml(html) if !in_code => {
                let mut offset = range.start;
                for piece in html.split_inclusive("-->") {
                    if let Some(start) = piece.find("<!--") {
                        let at = offset + start;
                        let body = piece[start + 4..].trim_end_matches("-->").trim();
                        let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
                        comments.push(Comment {
                            at,
                            line: line_of(at),
                            body: body.to_string(),
                            before: source[line_start..at].to_string(),
                        });
                    }
                    offset += piece.len();
                }
            }
            Event::Text(text) if !in_code => texts.push((range.start, range.end, text.to_string())),
            _ => {}
        }
    }
    (comments, texts)
}

/// The results file a chapter declares, read; `Ok(None)` if it declares none.
fn declared(root: &Path, chapter: &Path, comments: &[Comment]) -> Result<Option<Results>, Problem> {
    let Some(declaration) = comments.iter().find(|c| c.body.starts_with("results:")) else {
        return Ok(None);
    };
    let path = resolve(chapter, declaration.body["results:".len()..].trim());
    match fs::read_to_string(root.join(&path)) {
        Ok(text) => Ok(Some(Results {
            values: parse_results(&text),
            path,
        })),
        Err(e) => Err(Problem::new(
            Rule::NumbersMatchResults,
            chapter,
            format!(
                "takes its numbers from {}, which cannot be read ({e}); generate it (see the \
                 chapter's note on reproducing the numbers) or fix the path",
                slash(&path)
            ),
        )
        .at_line(declaration.line)),
    }
}

fn check_chapter(root: &Path, chapter: &Path, source: &str) -> Vec<Problem> {
    let line_of = |offset: usize| source[..offset].matches('\n').count() + 1;
    let problem = |line: usize, message: String| {
        Problem::new(Rule::NumbersMatchResults, chapter, message).at_line(line)
    };
    let (comments, texts) = scan(source);

    let mut results = match declared(root, chapter, &comments) {
        Ok(Some(results)) => results,
        Ok(None) => return Vec::new(), // this chapter quotes no generated numbers
        Err(problem) => return vec![problem],
    };
    add_interval_ends(&mut results, &comments);
    let mut problems = Vec::new();
    let declarations: Vec<&Comment> = comments
        .iter()
        .filter(|c| c.body.starts_with("results:"))
        .collect();
    if declarations.len() > 1 {
        problems.push(problem(
            declarations[1].line,
            "declares a second results file; a chapter takes its numbers from one".into(),
        ));
    }

    let mut marked_lines: Vec<(usize, String)> = Vec::new();
    for comment in &comments {
        if comment.body.starts_with("results:") {
            continue;
        }
        if let Some(claim) = comment.body.strip_prefix("check:") {
            if let Err(message) = check_claim(claim.trim(), &results) {
                problems.push(problem(comment.line, message));
            }
        } else if is_key(&comment.body) {
            marked_lines.push((comment.line, number_before(&comment.before).to_string()));
            if let Err(message) = check_quote(&comment.before, &comment.body, &results) {
                problems.push(problem(comment.line, message));
            }
        }
    }

    // Numbers that look measured, in prose, without a marker.
    for (start, end, text) in &texts {
        for (at, number) in measured_looking_numbers(text) {
            let line = line_of(start + at.min(end - start));
            if !marked_lines.iter().any(|(l, n)| *l == line && *n == number) {
                problems.push(problem(
                    line,
                    format!(
                        "quotes {number} without saying where it comes from; follow it with \
                         `<!-- key -->`, a key of {} that holds it, or write it out if it is not \
                         a measurement",
                        slash(&results.path)
                    ),
                ));
            }
        }
    }
    problems
}

/// Rewrites every marked number (and code span) of every chapter that declares a results file
/// with the file's value, at the precision written: what `TRYBUILD=overwrite` does after the
/// measurements were run again. Claims (`check:`) are left alone: only a person can rewrite the
/// sentence a failing claim belongs to. Returns the chapters it changed.
pub fn bless(root: &Path) -> Vec<PathBuf> {
    let (chapters, _) = crate::book::load(root);
    let mut changed = Vec::new();
    for chapter in &chapters {
        let Ok(source) = fs::read_to_string(root.join(&chapter.path)) else {
            continue;
        };
        let (comments, _) = scan(&source);
        let Ok(Some(mut results)) = declared(root, &chapter.path, &comments) else {
            continue;
        };
        add_interval_ends(&mut results, &comments);
        let mut text = source.clone();
        for comment in comments.iter().rev() {
            let Some(value) = results.values.get(&comment.body) else {
                continue;
            };
            let unit =
                comment.before.len() - comment.before.trim_end_matches(['%', '×', 'x']).len();
            let end = comment.at - unit;
            let before = &source[..end];
            if let Some(code) = before.strip_suffix('`') {
                if let Some(open) = code.rfind('`') {
                    text.replace_range(open + 1..end - 1, value);
                }
                continue;
            }
            let written = number_before(before);
            let Ok(number) = value.parse::<f64>() else {
                continue;
            };
            if written.is_empty() {
                continue;
            }
            let decimals = written.split_once('.').map_or(0, |(_, d)| d.len());
            let mut new = format!("{number:.decimals$}");
            if written.contains(',') {
                new = with_separators(&new);
            }
            // A minus sign written before the number is part of it: replace it too, or a
            // negative value would gain one more sign at every bless.
            let mut start = end - written.len();
            if let Some(sign) = source[..start].chars().next_back()
                && matches!(sign, '-' | '−')
            {
                start -= sign.len_utf8();
            }
            text.replace_range(start..end, &new);
        }
        if text != source {
            fs::write(root.join(&chapter.path), text).expect("cannot rewrite a chapter");
            changed.push(chapter.path.clone());
        }
    }
    changed
}

/// `1234567.5` as `1,234,567.5`.
fn with_separators(number: &str) -> String {
    let (int, frac) = number
        .split_once('.')
        .map_or((number, None), |(i, f)| (i, Some(f)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// `key = value` lines; `#` starts a comment line.
pub fn parse_results(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

fn is_key(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

/// The digits (with separators and decimal point) at the end of `before`, after any unit; the
/// second number of an interval written `1.2..3.4`.
fn number_before(before: &str) -> &str {
    let before = before.trim_end_matches(['%', '×', 'x']);
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == ',' || *c == '.')
        .last()
        .map_or(before.len(), |(i, _)| i);
    let number = &before[start..];
    number
        .rfind("..")
        .map_or(number, |dots| &number[dots + 2..])
}

/// The number (or code span) right before a marker, compared with the value of `key`.
fn check_quote(before: &str, key: &str, results: &Results) -> Result<String, String> {
    let file = slash(&results.path);
    let value = results.values.get(key).ok_or_else(|| {
        format!("quotes `{key}`, which {file} does not have; use one of its keys")
    })?;
    let before = before.trim_end_matches(['%', '×', 'x']);
    if let Some(code) = before.strip_suffix('`') {
        let quoted = &code[code.rfind('`').map_or(0, |i| i + 1)..];
        return if quoted == value {
            Ok(quoted.to_string())
        } else {
            Err(format!(
                "says `{quoted}` for `{key}`, but {file} has `{value}`; write `{value}`, or \
                 regenerate {file} if it is stale"
            ))
        };
    }
    let written = number_before(before);
    let signs = before[..before.len() - written.len()]
        .chars()
        .rev()
        .take_while(|c| matches!(c, '-' | '−'))
        .count();
    if signs > 1 {
        return Err(format!(
            "writes {signs} minus signs before the number for `{key}`; write one"
        ));
    }
    let negative = signs == 1;
    if written.is_empty() || !written.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!(
            "has a marker for `{key}` that follows no number; put it right after the number it \
             checks (`2.68<!-- {key} -->`)"
        ));
    }
    let number: f64 = value.parse().map_err(|_| {
        format!("quotes a number for `{key}`, but {file} has the text `{value}` there")
    })?;
    let decimals = written.split_once('.').map_or(0, |(_, d)| d.len());
    let plain = written.replace(',', "");
    let shown = if negative {
        format!("-{plain}")
    } else {
        plain.clone()
    };
    let expected = format!("{number:.decimals$}");
    // `-0.00` and `0.00` are the same number.
    let zero = |t: &str| {
        t.trim_start_matches('-')
            .trim_matches(['0', '.'])
            .is_empty()
    };
    if shown == expected || (zero(&shown) && zero(&expected)) {
        Ok(written.to_string())
    } else if key == INTERVAL_ENDS {
        Err(format!(
            "says {shown} for `{key}`, but the chapter's checks compare {value} distinct ends of \
             intervals; write {value}"
        ))
    } else {
        Err(format!(
            "says {shown} for `{key}`, but {file} has {value} ({expected} at this precision); \
             write {expected}, or regenerate {file} if it is stale"
        ))
    }
}

/// `a < b and c >= 2`: every comparison must hold.
fn check_claim(claim: &str, results: &Results) -> Result<(), String> {
    let file = slash(&results.path);
    for part in claim.split(" and ") {
        let tokens: Vec<&str> = part.split_whitespace().collect();
        let [left, op, right] = tokens[..] else {
            return Err(format!(
                "has a check it cannot read, `{part}`; write `key OP key-or-number` with OP one \
                 of < > <= >= ==, joined by `and`"
            ));
        };
        for token in [left, right] {
            let bound = |end: &str| results.values.contains_key(&format!("{token}{end}"));
            if bound("_low") && bound("_high") {
                return Err(format!(
                    "compares `{token}` in `{part}`, but {file} gives it with a confidence \
                     interval (`{token}_low`..`{token}_high`), and a re-run can move a median \
                     across the line; compare the end of the interval the sentence needs \
                     (`{token}_low > 1` for \"faster\"), so that the claim holds for the whole \
                     interval"
                ));
            }
        }
        let value = |token: &str| -> Result<String, String> {
            if token.parse::<f64>().is_ok() {
                return Ok(token.to_string());
            }
            if let Some(text) = token.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
                return Ok(text.to_string());
            }
            results
                .values
                .get(token)
                .cloned()
                .ok_or_else(|| format!("checks `{token}`, which {file} does not have"))
        };
        let (a, b) = (value(left)?, value(right)?);
        let holds = match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) => match op {
                "<" => x < y,
                ">" => x > y,
                "<=" => x <= y,
                ">=" => x >= y,
                "==" => x == y,
                _ => return Err(format!("has an unknown comparison `{op}` in `{part}`")),
            },
            _ if op == "==" => a == b,
            _ => return Err(format!("compares text with `{op}` in `{part}`")),
        };
        if !holds {
            return Err(format!(
                "claims `{part}`, but {file} has {left} = {a} and {right} = {b}; the sentence \
                 before this check no longer says what the results say: rewrite it (and the \
                 check)"
            ));
        }
    }
    Ok(())
}

/// Numbers that look measured in `text`, with their byte offsets: decimals (`2.68`,
/// `1,250.5`), whole numbers with a thousands separator (`11,163`) or of five digits or more
/// (`37998064`), each end of an interval (`1.2..3.4`); not version numbers such as `1.95.0`,
/// nor numbers inside a word (`x86_64`).
fn measured_looking_numbers(text: &str) -> Vec<(usize, String)> {
    let bytes = text.as_bytes();
    let dots_at = |i: usize| bytes.get(i..i + 2) == Some(b"..");
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let after_dots = i >= 2 && dots_at(i - 2);
        let starts =
            bytes[i].is_ascii_digit() && (i == 0 || !is_number_byte(bytes[i - 1]) || after_dots);
        if !starts {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < bytes.len() && is_number_byte(bytes[end]) && !dots_at(end) {
            end += 1;
        }
        let token = text[i..end].trim_end_matches(['.', ',']);
        let dots = token.matches('.').count();
        let in_word = |b: u8| b.is_ascii_alphabetic() || b == b'_';
        let word = (end < bytes.len() && in_word(bytes[end])) || (i > 0 && in_word(bytes[i - 1]));
        let separated = token.contains(',') && token.split(',').skip(1).all(|g| g.len() == 3);
        let digits = token.bytes().filter(u8::is_ascii_digit).count();
        let decimal = dots == 1 && token.split('.').all(|p| !p.is_empty());
        let whole = dots == 0 && (separated || digits >= 5);
        if !word && (decimal || whole) {
            out.push((i, token.to_string()));
        }
        i = end;
    }
    out
}

fn is_number_byte(b: u8) -> bool {
    b.is_ascii_digit() || b == b'.' || b == b','
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(text: &str) -> Results {
        Results {
            path: PathBuf::from("src/results.txt"),
            values: parse_results(text),
        }
    }

    #[test]
    fn a_quote_matches_at_the_precision_it_is_written() {
        let r = results("ratio = 2.6849\nbytes = 37998112\nbest = arc-mutex-weak\n");
        assert!(check_quote("a ratio of 2.68", "ratio", &r).is_ok());
        assert!(check_quote("about 2.7", "ratio", &r).is_ok());
        assert!(check_quote("about 3", "ratio", &r).is_ok());
        assert!(check_quote("with 37,998,112", "bytes", &r).is_ok());
        assert!(check_quote("the best is `arc-mutex-weak`", "best", &r).is_ok());
        assert!(check_quote("faster by 268%", "ratio", &r).is_err());
        let wrong = check_quote("a ratio of 2.71", "ratio", &r).unwrap_err();
        assert!(
            wrong.contains("says 2.71") && wrong.contains("write 2.68"),
            "{wrong}"
        );
        assert!(check_quote("no number", "ratio", &r).is_err());
        assert!(check_quote("2.68", "missing", &r).is_err());
    }

    #[test]
    fn claims_are_comparisons_of_keys_and_numbers() {
        let r = results("a = 1.5\nb = 2\nname = arena\n");
        assert!(check_claim("a < b", &r).is_ok());
        assert!(check_claim("a < b and b >= 2 and name == \"arena\"", &r).is_ok());
        let broken = check_claim("a > b", &r).unwrap_err();
        assert!(
            broken.contains("a = 1.5") && broken.contains("b = 2"),
            "{broken}"
        );
        assert!(check_claim("a >", &r).is_err());
        assert!(check_claim("c > 1", &r).is_err());
    }

    #[test]
    fn separators_go_every_three_digits() {
        assert_eq!(with_separators("1234567"), "1,234,567");
        assert_eq!(with_separators("123"), "123");
        assert_eq!(with_separators("-1234.56"), "-1,234.56");
    }

    #[test]
    fn numbers_that_look_measured_are_found_but_not_versions_or_small_integers() {
        let found = measured_looking_numbers(
            "ratio 2.68, rustc 1.95.0, 80% and 1,250.5 then 3. End: 11,163 faults, 37998064 \
             bytes, 4096 bytes, edition 2024, x86_64, 12345abc, 1,2 and 60,000, (0.9..1.15).",
        );
        let numbers: Vec<&str> = found.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(
            numbers,
            [
                "2.68", "1,250.5", "11,163", "37998064", "60,000", "0.9", "1.15"
            ]
        );
        assert_eq!(number_before("(0.90<!-- low -->..1.15"), "1.15");
        assert_eq!(number_before("was 1,250.5×"), "1,250.5");
    }

    #[test]
    fn a_claim_about_a_median_with_an_interval_must_use_its_ends() {
        let r = results("gain = 1.5\ngain_low = 1.2\ngain_high = 1.9\nbound = 2\n");
        assert!(check_claim("gain_low > 1 and gain_high < bound", &r).is_ok());
        let median = check_claim("gain > 1", &r).unwrap_err();
        assert!(
            median.contains("compares `gain`") && median.contains("`gain_low`..`gain_high`"),
            "{median}"
        );
        assert!(check_claim("bound > gain", &r).is_err());
    }
}
