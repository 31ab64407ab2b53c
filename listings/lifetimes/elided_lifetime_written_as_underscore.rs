use std::borrow::Cow;

/// A word of a text, pointing into the text.
struct Word<'a> {
    text: &'a str,
}

/// `Word<'_>`: a `Word` that borrows, with the lifetime elision picks (here, that of `text`).
/// Written out: fn first_word<'a>(text: &'a str) -> Word<'a>
fn first_word(text: &str) -> Word<'_> {
    Word {
        text: text.split(' ').next().unwrap_or(""),
    }
}

/// `Word<'_>` in, `&str` out: both elided, so the result borrows what the word borrows.
fn text_of(word: Word<'_>) -> &str {
    word.text
}

/// The same for a library type: `Cow<'_, str>` may borrow from `text`.
fn trimmed(text: &str) -> Cow<'_, str> {
    Cow::Borrowed(text.trim())
}

fn main() {
    let line = String::from("  borrow checker  ");
    let clean = trimmed(&line); // borrows from `line`
    let word = first_word(&clean); // borrows from `clean`
    println!("{:?}", text_of(word));
}
