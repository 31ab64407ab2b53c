/// One word of a text and the line it is on, pointing into the text instead of copying it.
struct Word<'a> {
    text: &'a str,
    line: usize,
}

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

/// The words of `text`, upper-cased.
fn shouted_words(text: &str) -> Vec<Word<'_>> {
    let upper = text.to_uppercase(); // a new String, owned by this function
    words(&upper)
}

fn main() {
    for word in shouted_words("own\nborrow") {
        println!("{} on line {}", word.text, word.line);
    }
}
