// ANCHOR: word
/// One word of a text and the line it is on, pointing into the text instead of copying it.
/// `'a` says: a `Word<'a>` must not outlive the text its `text` field borrows from.
struct Word<'a> {
    text: &'a str,
    line: usize,
}

/// Every word of `text`; the result borrows from `text` (the elided lifetime `'_`).
fn words(text: &str) -> Vec<Word<'_>> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for w in line.split_whitespace() {
            found.push(Word {
                text: w,
                line: i + 1,
            });
        }
    }
    found
}
// ANCHOR_END: word

fn main() {
    let text = String::from("own borrow\nlend");
    let index = words(&text); // no word is copied
    for word in &index {
        println!("{} on line {}", word.text, word.line);
    }
    // Every word points into `text`'s buffer.
    let buffer = text.as_bytes().as_ptr_range();
    assert!(
        index
            .iter()
            .all(|word| buffer.contains(&word.text.as_ptr()))
    );
}
