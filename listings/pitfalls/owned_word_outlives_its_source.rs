// ANCHOR: owned
/// One word and its line, owning its text: it can outlive whatever it was read from.
struct Word {
    text: String,
    line: usize,
}

fn words(text: &str) -> Vec<Word> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for w in line.split_whitespace() {
            found.push(Word {
                text: w.to_owned(),
                line: i + 1,
            }); // one allocation per word
        }
    }
    found
}

/// The words of `text`, upper-cased: the owned words outlive the local `upper`.
fn shouted_words(text: &str) -> Vec<Word> {
    let upper = text.to_uppercase();
    words(&upper)
}
// ANCHOR_END: owned

fn main() {
    for word in shouted_words("own\nborrow") {
        println!("{} on line {}", word.text, word.line);
    }
}
