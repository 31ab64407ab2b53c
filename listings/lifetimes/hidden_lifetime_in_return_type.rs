// rustc only warns about this signature; this listing makes the warning an error, as the
// book does with every warning (its listings are compiled with `-D warnings`).
#![deny(mismatched_lifetime_syntaxes)]

/// A word of a text, pointing into the text.
struct Word<'a> {
    text: &'a str,
}

/// The first word of `text`. The result borrows from `text`, but `Word` alone does not say so.
fn first_word(text: &str) -> Word {
    Word {
        text: text.split(' ').next().unwrap_or(""),
    }
}

fn main() {
    let line = String::from("borrow checker");
    println!("{}", first_word(&line).text);
}
